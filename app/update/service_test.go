package update_test

import (
	"bytes"
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/update"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/release/releasetest"
)

// events records what the service emits.
type events struct {
	mu  sync.Mutex
	got []update.State
}

func (e *events) emit(name string, data any) {
	if name != update.EventState {
		return
	}
	e.mu.Lock()
	e.got = append(e.got, data.(update.State))
	e.mu.Unlock()
}

func (e *events) statuses() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, s := range e.got {
		out = append(out, s.Status)
	}
	return out
}

// The service checks by itself at start, tells the window, and installs on the user's
// word, then restarts.
func TestServiceChecksAtStartAndInstalls(t *testing.T) {
	f := newFixture(t)
	newBin := script("1.3.0", 0, 100<<10)
	releasetest.Publish(t, f.rel, "1.3.0", releasetest.TestOnlyPrivateKey(),
		releasetest.Entry{Platform: platform, Name: "ecert-desktop.exe", Data: newBin})
	ev := &events{}
	restarted := 0
	s := update.NewService(update.ServiceConfig{Updater: f.updater(f.srv.URL), Emit: ev.emit,
		FirstCheck: time.Millisecond, Interval: time.Hour, Restart: func() error { restarted++; return nil }})
	if st := s.State(); st.Status != update.StatusIdle || st.Current != "1.2.0" || st.Mode != "swap" {
		t.Fatalf("before the first check: %+v", st)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- update.Serve(ctx, s) }()
	deadline := time.Now().Add(10 * time.Second)
	for s.State().Status != update.StatusAvailable && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	st := s.State()
	if st.Status != update.StatusAvailable || st.Available != "1.3.0" || st.Code != "" || st.CheckedAt == "" {
		t.Fatalf("after the start check: %+v", st)
	}
	// Nothing is installed before the user says so.
	if b, _ := os.ReadFile(f.exe); !bytes.Equal(b, f.old) {
		t.Fatal("the binary changed before Install")
	}
	st, err := s.Install()
	if err != nil || st.Status != update.StatusInstalled || restarted != 1 {
		t.Fatalf("install: %+v %v, restarted %d", st, err, restarted)
	}
	if b, _ := os.ReadFile(f.exe); !bytes.Equal(b, newBin) {
		t.Error("the binary is not the new one")
	}
	got := ev.statuses()
	if got[0] != update.StatusChecking || got[len(got)-1] != update.StatusInstalled {
		t.Errorf("events: %v", got)
	}
	sawDownload := false
	for _, s := range got {
		sawDownload = sawDownload || s == update.StatusDownloading
	}
	if !sawDownload {
		t.Errorf("no download progress among the events: %v", got)
	}
	cancel()
	<-done
}

// A refused release is reported with its code; Install then refuses and changes nothing.
func TestServiceReportsRefusals(t *testing.T) {
	f := newFixture(t)
	releasetest.Publish(t, f.rel, "1.3.0", releasetest.OtherPrivateKey(),
		releasetest.Entry{Platform: platform, Name: "ecert-desktop.exe", Data: script("1.3.0", 0, 100)})
	s := update.NewService(update.ServiceConfig{Updater: f.updater(f.srv.URL)})
	if st := s.Check(); st.Status != update.StatusRefused || st.Code != api.CodeUpdateSignature {
		t.Errorf("check: %+v, want refused update_signature", st)
	}
	if _, err := s.Install(); err == nil || err.Error() != api.CodeUpdateCurrent {
		t.Errorf("install after a refusal: got %v, want update_current (no offer)", err)
	}
	f.unchanged(t)
	// A build without a publisher key never checks.
	if update.BuiltInKey() != nil {
		return // stamped with a key (-ldflags): this test binary is not one without
	}
	off := update.NewService(update.ServiceConfig{Updater: update.New(update.Config{Dir: t.TempDir(), Current: "1.2.0"})})
	if st := off.Check(); st.Status != update.StatusDisabled {
		t.Errorf("no key: %+v, want disabled", st)
	}
}
