package client_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// A change page decoded as it streams is the page json.Unmarshal makes of the whole body.
func TestChangesDecodeAsTheWholeBodyWould(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	c, _ := client.New(srv.URL)
	s, err := c.Login(ctx, "coop", "coop")
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Changes(ctx, "", 2000)
	if err != nil {
		t.Fatal(err)
	}
	// The same page, read whole by net/http's own (transparent) gzip.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+api.Version+"/changes?cursor=&limit=2000", nil)
	req.Header.Set("Authorization", "Bearer "+s.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var want api.ChangesPage
	if err := json.NewDecoder(resp.Body).Decode(&want); err != nil {
		t.Fatal(err)
	}
	if len(want.Changes) < 10 || !reflect.DeepEqual(got, want) {
		t.Errorf("streamed page differs from the whole body's: %d changes, cursor %q; want %d, %q",
			len(got.Changes), got.Cursor, len(want.Changes), want.Cursor)
	}
}

// What the server answers to GET /changes, and the code the client makes of it.
func TestChangesAnswersHaveCodes(t *testing.T) {
	page := `{"changes":[{"seq":1,"entity":"nc","id":"NC-1","op":"upsert","data":{"id":"NC-1"}}],"cursor":"1","more":false}`
	gz := gzipped(t, page)
	badSum := bytes.Clone(gz)
	badSum[len(badSum)-8] ^= 0xff // the trailer's CRC-32
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string // code; "" for success
	}{
		// Good answers, gzipped or not.
		{"gzipped page", answer(200, "application/json", true, gz), ""},
		{"plain page", answer(200, "application/json", false, []byte(page)), ""},
		// Error answers, mapped as every call maps them.
		{"gzipped api error", answer(404, "application/json", true, gzipped(t, `{"code":"not_found","message":"no"}`)), api.CodeNotFound},
		{"rate limited", answer(429, "application/json", false, []byte(`{"code":"rate_limited","message":"slow"}`)), api.CodeRateLimited},
		{"proxy error page", answer(502, "text/html", true, gzipped(t, "<html>Bad gateway</html>")), api.CodeServerError},
		{"forbidden without api error", answer(403, "text/html", false, []byte("<html>no</html>")), api.CodeBadResponse},
		// Malformed answers: bad responses, not the network's fault.
		{"html page", answer(200, "text/html", false, []byte("<html>Welcome to the hotel wifi</html>")), api.CodeBadResponse},
		{"not gzip", answer(200, "application/json", true, []byte(page)), api.CodeBadResponse},
		{"bad checksum", answer(200, "application/json", true, badSum), api.CodeBadResponse},
		{"truncated json", answer(200, "application/json", true, gzipped(t, page[:40])), api.CodeBadResponse},
		{"changes not an array", answer(200, "application/json", false, []byte(`{"changes":{}}`)), api.CodeBadResponse},
		{"not an object", answer(200, "application/json", false, []byte(`[1]`)), api.CodeBadResponse},
		// The connection breaks inside the body: the network's fault.
		{"cut connection", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(len(gz)))
			w.Write(gz[:len(gz)/2])
			w.(http.Flusher).Flush() // the answer has begun
			panic(http.ErrAbortHandler)
		}, api.CodeUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := httptest.NewServer(tt.handler)
			defer hs.Close()
			c, _ := client.New(hs.URL, client.WithTimeout(5*time.Second))
			c.SetSession(api.Session{AccessToken: "a", RefreshToken: "r"})
			p, err := c.Changes(context.Background(), "", 10)
			if got := client.Code(err); got != tt.want {
				t.Fatalf("got code %q (%v), want %q", got, err, tt.want)
			}
			if tt.want == "" && (len(p.Changes) != 1 || p.Changes[0].ID != "NC-1" || p.Cursor != "1") {
				t.Errorf("page %+v", p)
			}
		})
	}
}

// A page that stalls half way ends with the caller's context, or with the timeout.
func TestChangesStalledBodyEnds(t *testing.T) {
	gz := gzipped(t, `{"changes":[{"seq":1,"entity":"nc","id":"NC-1","op":"upsert"}],"cursor":"1","more":false}`)
	sent := make(chan struct{}, 1)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz[:len(gz)/2])
		w.(http.Flusher).Flush()
		sent <- struct{}{}
		<-r.Context().Done()
	}))
	defer hs.Close()

	// Cancelled: the context's error, not a network error.
	c, _ := client.New(hs.URL)
	c.SetSession(api.Session{AccessToken: "a", RefreshToken: "r"})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-sent; cancel() }()
	if _, err := c.Changes(ctx, "", 10); !errors.Is(err, context.Canceled) || client.Code(err) != "" {
		t.Errorf("cancelled: got %v (code %q), want context.Canceled", err, client.Code(err))
	}

	// Timed out: unreachable, which is retried later.
	c, _ = client.New(hs.URL, client.WithTimeout(300*time.Millisecond))
	c.SetSession(api.Session{AccessToken: "a", RefreshToken: "r"})
	go func() { <-sent }()
	start := time.Now()
	if _, err := c.Changes(context.Background(), "", 10); client.Code(err) != api.CodeUnreachable || !client.Temporary(err) {
		t.Errorf("timed out: got %v, want unreachable", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the timeout took %v", d)
	}
}

func answer(status int, contentType string, gzip bool, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer a" || r.Header.Get("User-Agent") != "ecert-desktop" {
			w.WriteHeader(http.StatusTeapot)
			return
		}
		w.Header().Set("Content-Type", contentType)
		if gzip {
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.WriteHeader(status)
		w.Write(body)
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
