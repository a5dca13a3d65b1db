package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// fakeLog is a change log of n changes with seq 1..n, each with some data.
func fakeLog(n int) func(after int64, limit int) ([]api.Change, error) {
	return func(after int64, limit int) ([]api.Change, error) {
		var out []api.Change
		for seq := after + 1; seq <= int64(n) && len(out) < limit; seq++ {
			data := fmt.Sprintf(`{"id":"m%d","text":"message %d of the log, long enough to fill a block"}`, seq, seq)
			out = append(out, api.Change{Seq: seq, Entity: "message", ID: fmt.Sprint("m", seq), Op: "upsert", Data: json.RawMessage(data)})
		}
		return out, nil
	}
}

func noDirectory(context.Context) (int64, error) { return 0, nil }

// pageServer serves a change page of read through the server's request middleware
// (logRequests), logging into log.
func pageServer(t *testing.T, log *bytes.Buffer, read func(after int64, limit int) ([]api.Change, error), limit int) *httptest.Server {
	s := &Server{log: slog.New(slog.NewTextHandler(log, nil))}
	h := s.logRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveChangesPages(w, r, read, noDirectory, 0, limit, 1)
	}))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func getGzip(t *testing.T, url string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// A page's first changes reach the client while the rest are still being read: the
// read of the second batch waits until the client has bytes, so a server that made
// the whole page before sending never answers.
func TestChangesPageIsSentWhileRead(t *testing.T) {
	const total = 2500
	full := fakeLog(total)
	got := make(chan struct{})
	read := func(after int64, limit int) ([]api.Change, error) {
		if after > 0 {
			select {
			case <-got:
			case <-time.After(10 * time.Second):
				return nil, errors.New("nothing reached the client before the page was read whole")
			}
		}
		return full(after, limit)
	}
	var log bytes.Buffer
	srv := pageServer(t, &log, read, MaxChangesLimit)
	resp := getGzip(t, srv.URL)
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("not gzipped: %v", resp.Header)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, 1)
	if _, err := io.ReadFull(zr, first); err != nil {
		t.Fatal(err)
	}
	close(got)
	rest, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("read the page: %v (log: %s)", err, log.String())
	}
	body := append(first, rest...)
	var page api.ChangesPage
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) != total || page.More || page.Cursor != fmt.Sprint(total) {
		t.Fatalf("page of %d changes, more %v, cursor %q", len(page.Changes), page.More, page.Cursor)
	}
	for i, c := range page.Changes {
		if c.Seq != int64(i+1) {
			t.Fatalf("change %d has seq %d", i, c.Seq)
		}
	}
	// Byte for byte what encoding/json writes for the same page.
	if want, _ := json.Marshal(page); !bytes.Equal(body, want) {
		t.Errorf("the streamed page differs from json.Marshal's:\n%.300s\n%.300s", body, want)
	}
}

// A failure once the page has started cuts the connection: the client gets an error
// reading the answer, never an answer that ends as if whole, and the server logs why.
func TestChangesPageFailingMidwayIsCut(t *testing.T) {
	full := fakeLog(5000)
	read := func(after int64, limit int) ([]api.Change, error) {
		if after > 0 {
			return nil, errors.New("disk on fire")
		}
		return full(after, limit)
	}
	for _, zipped := range []bool{false, true} {
		var log bytes.Buffer
		srv := pageServer(t, &log, read, MaxChangesLimit)
		req, _ := http.NewRequest("GET", srv.URL, nil)
		if zipped {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		// The cut may come before the status line left (nothing to read) or after.
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err == nil {
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: the page had started", resp.StatusCode)
			}
			var body []byte
			body, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("gzip %v: reading the cut page gave %v after %d bytes, want an unexpected EOF", zipped, err, len(body))
			}
		} else if !errors.Is(err, io.EOF) {
			t.Errorf("gzip %v: got %v, want the connection closed", zipped, err)
		}
		if !strings.Contains(log.String(), "changes page cut") || !strings.Contains(log.String(), "disk on fire") {
			t.Errorf("gzip %v: the cut is not logged with its cause: %s", zipped, log.String())
		}
	}
}

// A failure before anything was sent is answered as an error, as any request's.
func TestChangesPageFailingAtOnceIsAnError(t *testing.T) {
	read := func(after int64, limit int) ([]api.Change, error) { return nil, errors.New("disk on fire") }
	var log bytes.Buffer
	srv := pageServer(t, &log, read, 100)
	resp := getGzip(t, srv.URL)
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), `"code":"internal"`) {
		t.Fatalf("got %d %s %v, want a 500 internal error", resp.StatusCode, body, err)
	}
}
