package client_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

func TestLoginErrorsHaveCodes(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()

	// A closed port: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()

	// Something that is not the Ecert API: a captive portal's HTML page.
	garbled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>Welcome to the hotel wifi</body></html>"))
	}))
	defer garbled.Close()
	// Something that answers JSON, but not the API's.
	badJSON := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"access_token": 12`))
	}))
	defer badJSON.Close()

	tests := []struct {
		name, server, user, password, want string
	}{
		{"wrong password", srv.URL, "coop", "wrong", api.CodeBadCredentials},
		{"unknown user", srv.URL, "nobody", "coop", api.CodeBadCredentials},
		{"server unreachable", closed, "coop", "coop", api.CodeUnreachable},
		{"html answer", garbled.URL, "coop", "coop", api.CodeBadResponse},
		{"truncated json", badJSON.URL, "coop", "coop", api.CodeBadResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := client.New(tt.server, client.WithTimeout(5*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Login(ctx, tt.user, tt.password)
			if got := client.Code(err); got != tt.want {
				t.Errorf("got code %q (%v), want %q", got, err, tt.want)
			}
			if c.Session().AccessToken != "" {
				t.Error("a failed login left a session behind")
			}
		})
	}
}

func TestNormaliseServer(t *testing.T) {
	tests := []struct{ in, want, code string }{
		{"http://127.0.0.1:8470/", "http://127.0.0.1:8470", ""},
		{"  ecert.example.org ", "http://ecert.example.org", ""},
		{"https://ecert.example.org/base", "https://ecert.example.org/base", ""},
		{"ftp://ecert.example.org", "", api.CodeInvalidServer},
		{"", "", api.CodeInvalidServer},
		{"http://", "", api.CodeInvalidServer},
	}
	for _, tt := range tests {
		got, err := client.NormaliseServer(tt.in)
		if got != tt.want || client.Code(err) != tt.code {
			t.Errorf("NormaliseServer(%q) = %q, %v; want %q, code %q", tt.in, got, err, tt.want, tt.code)
		}
	}
}

func TestExpiredAccessTokenIsRefreshedOnce(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	var refreshed []api.Session
	c, _ := client.New(srv.URL, client.OnRefresh(func(s api.Session) { refreshed = append(refreshed, s) }))
	first, err := c.Login(ctx, "coop", "coop")
	if err != nil {
		t.Fatal(err)
	}
	srv.Clock.Advance(time.Hour) // past the access token's life, within the refresh token's
	if _, err := c.Changes(ctx, "", 10); err != nil {
		t.Fatalf("changes with an expired access token: %v", err)
	}
	if len(refreshed) != 1 || refreshed[0].AccessToken == first.AccessToken {
		t.Fatalf("want one refresh with a new token, got %d", len(refreshed))
	}
	// The spent refresh token must not work again.
	old, _ := client.New(srv.URL)
	old.SetSession(first)
	if _, err := old.Changes(ctx, "", 10); client.Code(err) != api.CodeSessionExpired {
		t.Errorf("old session after refresh: got %v, want session_expired", err)
	}
}

func TestExpiredRefreshTokenMeansSessionExpired(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	c, _ := client.New(srv.URL)
	if _, err := c.Login(ctx, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	srv.Clock.Advance(60 * 24 * time.Hour)
	_, err := c.Changes(ctx, "", 10)
	if client.Code(err) != api.CodeSessionExpired {
		t.Errorf("got %v, want session_expired", err)
	}
	var ce *client.Error
	if !errors.As(err, &ce) || client.Temporary(err) {
		t.Errorf("an expired session must not be retried as temporary: %v", err)
	}
}

func TestDownloadOfAnotherOrganisationsFileIsNotFound(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	coop, _ := client.New(srv.URL)
	if _, err := coop.Login(ctx, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	page, err := coop.Changes(ctx, "", 2000)
	if err != nil {
		t.Fatal(err)
	}
	var sha string
	for _, ch := range page.Changes {
		if ch.Entity == api.EntityCertificate {
			sha = extractSHA(t, ch.Data)
		}
	}
	if sha == "" {
		t.Fatal("no certificate in coop's changes")
	}
	estate, _ := client.New(srv.URL)
	if _, err := estate.Login(ctx, "estate", "estate"); err != nil {
		t.Fatal(err)
	}
	var sink discard
	to := func(int64) (io.Writer, error) { return &sink, nil }
	if err := estate.Download(ctx, sha, 0, to); client.Code(err) != api.CodeNotFound {
		t.Errorf("estate downloading coop's certificate: got %v, want not_found", err)
	}
	if sink.n != 0 {
		t.Errorf("estate received %d bytes of coop's file", sink.n)
	}
	if err := coop.Download(ctx, sha, 0, to); err != nil || sink.n == 0 {
		t.Errorf("coop downloading its own certificate: %v (%d bytes)", err, sink.n)
	}
	// A full local disk is the local disk's error, not the network's.
	full := func(int64) (io.Writer, error) { return fullDisk{}, nil }
	if err := coop.Download(ctx, sha, 0, full); client.Code(err) != "" || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("download to a full disk: got %v (code %q), want ENOSPC without a code", err, client.Code(err))
	}
	// A resumed download asks only for the rest.
	whole := sink.n
	var start int64 = -1
	rest := discard{}
	err = coop.Download(ctx, sha, 100, func(s int64) (io.Writer, error) { start = s; return &rest, nil })
	if err != nil || start != 100 || rest.n != whole-100 {
		t.Errorf("resumed download: start %d, %d bytes of %d, %v", start, rest.n, whole, err)
	}
}

type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

type discard struct{ n int }

func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }
