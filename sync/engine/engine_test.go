// The engine is tested against a real ecert-server and memReplica (replica_test.go), an
// in-memory replica that keeps the contract of engine.Replica; app's tests run the
// engine on the real one, app/store.

package engine_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// setup starts the real server with the demo data, logs in as coop and makes an empty
// replica.
func setup(t *testing.T) (*servertest.Server, *client.Client, *memReplica) {
	t.Helper()
	srv := servertest.Start(t)
	return srv, login(t, srv.URL), newReplica(t)
}

// login logs in as coop on the server at url.
func login(t *testing.T, url string) *client.Client {
	t.Helper()
	c, err := client.New(url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(context.Background(), "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestInitialSyncBringsTheDemoOrganisationAndItsFiles(t *testing.T) {
	_, c, st := setup(t)
	ctx := context.Background()
	e := engine.New(st, c, engine.Options{PageSize: 7}) // small pages: many round trips
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var nc api.NC
	if err := st.get(api.EntityNC, "NC-167140-2019", &nc); err != nil {
		t.Fatalf("NC-167140-2019 after sync: %v", err)
	}
	if nc.CriterionNumber != "2.2.0.03" || nc.Stage != api.StageCARequested {
		t.Errorf("got criterion %q stage %q, want 2.2.0.03 ca_requested", nc.CriterionNumber, nc.Stage)
	}
	certs := st.all(api.EntityCertificate)
	if len(certs) == 0 {
		t.Fatal("no certificate after sync")
	}
	var cert api.Certificate
	if err := st.get(api.EntityCertificate, certs[0], &cert); err != nil || cert.File == nil {
		t.Fatalf("certificate %s: %+v %v", certs[0], cert, err)
	}
	pdf, cached := st.cachedFile(cert.File.SHA256)
	if !cached || sha256Hex(pdf) != cert.File.SHA256 || int64(len(pdf)) != cert.File.Size {
		t.Fatalf("certificate PDF: cached %v, %d bytes, want %d bytes of hash %s", cached, len(pdf), cert.File.Size, cert.File.SHA256)
	}
	missing, err := st.MissingFiles(ctx)
	if err != nil || len(missing) != 0 {
		t.Errorf("files still missing after sync: %v %v", missing, err)
	}
	if s := e.Status(); !s.Online || s.LastError != "" || s.Syncing {
		t.Errorf("status after a good sync: %+v", s)
	}
}

func TestIdleSyncIsOneSmallRequest(t *testing.T) {
	srv, c, st := setup(t)
	ctx := context.Background()
	e := engine.New(st, c, engine.Options{})
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	reqs, bytes := srv.Requests.Load(), srv.Bytes.Load()
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.Requests.Load() - reqs; got != 1 {
		t.Errorf("idle sync: got %d requests, want 1", got)
	}
	if got := srv.Bytes.Load() - bytes; got > 300 {
		t.Errorf("idle sync: got %d response bytes, want at most 300", got)
	}
}

func TestIncrementalSyncBringsOnlyWhatChanged(t *testing.T) {
	srv, c, st := setup(t)
	ctx := context.Background()
	var mu sync.Mutex
	var touched []string
	e := engine.New(st, c, engine.Options{OnChanges: func(es []string) {
		mu.Lock()
		touched = append(touched, es...)
		mu.Unlock()
	}})
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	touched = nil
	msg := api.Message{ID: "M-test-1", NCID: "NC-167140-2019", Author: "Claire Dubois",
		AuthorRole: api.RoleAnalyst, Body: "Merci de préciser le calendrier.", SentAt: time.Now().UTC()}
	if err := srv.AddMessage(ctx, demo.OrgCoop, msg); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests.Load()
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.Requests.Load() - reqs; got != 1 {
		t.Errorf("one change: got %d requests, want 1", got)
	}
	var got api.Message
	if err := st.get(api.EntityMessage, msg.ID, &got); err != nil || got.Body != msg.Body || got.NCID != msg.NCID {
		t.Errorf("the analyst's new message did not arrive: %+v %v", got, err)
	}
	if len(touched) != 1 || touched[0] != api.EntityMessage {
		t.Errorf("entities reported changed: got %v, want [message]", touched)
	}
}

func TestServeGoesOfflineAndComesBackByItself(t *testing.T) {
	srv, c, st := setup(t)
	statuses := make(chan engine.Status, 100)
	e := engine.New(st, c, engine.Options{
		Interval:   time.Hour, // only the backoff may bring it back
		MinBackoff: 10 * time.Millisecond,
		MaxBackoff: 50 * time.Millisecond,
		OnStatus:   func(s engine.Status) { statuses <- s },
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	srv.SetDown(true)
	go func() { done <- e.Serve(ctx) }()
	waitFor(t, statuses, func(s engine.Status) bool { return !s.Online && s.LastError == api.CodeUnreachable })
	srv.SetDown(false)
	waitFor(t, statuses, func(s engine.Status) bool { return s.Online && s.LastError == "" && !s.LastSync.IsZero() })
	if err := st.get(api.EntityNC, "NC-150424-2019", &api.NC{}); err != nil {
		t.Errorf("replica after coming back online: %v", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Serve returned %v, want context.Canceled", err)
	}
}

func TestServeStopsWhenTheSessionIsRevoked(t *testing.T) {
	_, c, st := setup(t)
	ctx := context.Background()
	s := c.Session()
	other, _ := client.New(c.Server())
	other.SetSession(s)
	if err := other.Logout(ctx); err != nil { // revokes the tokens c also holds
		t.Fatal(err)
	}
	e := engine.New(st, c, engine.Options{MinBackoff: time.Millisecond})
	errc := make(chan error, 1)
	go func() { errc <- e.Serve(ctx) }()
	select {
	case err := <-errc:
		if !errors.Is(err, engine.ErrSessionExpired) {
			t.Errorf("Serve returned %v, want ErrSessionExpired", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve kept running with a revoked session")
	}
	if got := e.Status().LastError; got != api.CodeSessionExpired {
		t.Errorf("last error: got %q, want %q", got, api.CodeSessionExpired)
	}
}

func waitFor(t *testing.T, statuses <-chan engine.Status, ok func(engine.Status) bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case s := <-statuses:
			if ok(s) {
				return
			}
		case <-deadline:
			t.Fatal("status never reached the expected state")
		}
	}
}
