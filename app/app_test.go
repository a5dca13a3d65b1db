package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/cycle"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// recorder is the Platform of these tests: it records events and opened files.
type recorder struct {
	mu     sync.Mutex
	events []string
	opened []string
	pick   []string // what the file dialog answers
	saveTo string   // what the save dialog answers ("": cancelled)
}

func (r *recorder) Emit(event string, _ any) {
	r.mu.Lock()
	r.events = append(r.events, event)
	r.mu.Unlock()
}

func (r *recorder) OpenPath(path string) error {
	r.mu.Lock()
	r.opened = append(r.opened, path)
	r.mu.Unlock()
	return nil
}

func (r *recorder) SaveDialog(string) (string, error) { return r.saveTo, nil }

func (r *recorder) OpenFilesDialog(string) ([]string, error) { return r.pick, nil }

func (r *recorder) saw(event string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.events, event)
}

// today in the demo: a fixed day, servertest.DemoToday, so that days left are known.
var today = time.Date(2019, 5, 20, 10, 0, 0, 0, time.Local)

func newApp(t *testing.T, dir string, p *recorder) *app.App {
	t.Helper()
	a := app.New(app.Config{DataDir: dir, Platform: p, Now: func() time.Time { return today },
		SyncInterval: time.Hour, MaxBackoff: 50 * time.Millisecond})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func loggedInApp(t *testing.T) (*app.App, *servertest.Server, *recorder, string) {
	t.Helper()
	srv := servertest.Start(t)
	dir := t.TempDir()
	p := &recorder{}
	a := newApp(t, dir, p)
	if _, err := a.Session.Login(srv.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the first sync", func() bool {
		s := a.Sync.Status()
		return s.LastSync != "" && s.Online && !s.Syncing
	})
	return a, srv, p, dir
}

func TestDashboardShowsWhatNeedsAction(t *testing.T) {
	a, _, p, _ := loggedInApp(t)
	d, err := a.Portal.Dashboard()
	if err != nil {
		t.Fatal(err)
	}
	if d.Organisation == nil || d.Organisation.ID == "" {
		t.Fatal("dashboard without the organisation")
	}
	var found *app.NCRow
	for i := range d.Actions {
		if d.Actions[i].NC.ID == "NC-167140-2019" {
			found = &d.Actions[i]
		}
	}
	if found == nil {
		t.Fatalf("NC-167140-2019 is not among the actions: %+v", d.Actions)
	}
	// Due 08/06/2019, today is 20/05/2019 (servertest.DemoToday).
	if found.Action != app.FilterCA || found.DaysLeft == nil || *found.DaysLeft != 19 {
		t.Errorf("NC-167140-2019: action %q, days left %v; want ca, 19", found.Action, found.DaysLeft)
	}
	if d.CACount == 0 || d.EvidenceCount == 0 {
		t.Errorf("counts: %d CAs, %d evidence; want both > 0", d.CACount, d.EvidenceCount)
	}
	if d.Certificate == nil || d.Certificate.ValidUntil != "2021-06-22" {
		t.Errorf("latest certificate: %+v", d.Certificate)
	}
	if d.Standing == nil || d.Standing.Status != "certified" {
		t.Errorf("standing of the demo: %+v, want certified", d.Standing)
	}
	if a.Sync.Status().Version == 0 {
		t.Error("the status version did not grow with the status events")
	}
	if !p.saw(app.EventDataChanged) || !p.saw(app.EventSyncStatus) {
		t.Errorf("events to the UI: %v", p.events)
	}
}

// Whatever the server says, a passed audit date or an expired certificate is never
// shown as plain "certified".
func TestStandingFollowsTheDates(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	ctx := context.Background()
	c, err := a.Portal.Certification()
	if err != nil || c == nil {
		t.Fatalf("certification: %+v, %v", c, err)
	}
	old := *c
	old.NextAuditDue = "2019-05-01" // today is 20/05/2019
	if err := srv.Workflow().UpsertCertification(ctx, "3542", old); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	s, err := a.Portal.Standing()
	if err != nil || s == nil || s.Status != cycle.StandingAuditOverdue || s.Since != "2019-05-01" {
		t.Errorf("audit date passed: %+v, %v; want audit_overdue since 2019-05-01", s, err)
	}
	old.CycleEnd = "2019-03-31"
	if err := srv.Workflow().UpsertCertification(ctx, "3542", old); err != nil {
		t.Fatal(err)
	}
	if err := srv.Workflow().UpsertCertificate(ctx, "3542", api.Certificate{ID: "CERT-3542-2019", Number: "FLO-3542-2016",
		Year: 2016, ValidUntil: "2019-03-31"}); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	d, err := a.Portal.Dashboard()
	if err != nil || d.Standing == nil || d.Standing.Status != cycle.StandingExpired || d.Standing.Since != "2019-04-01" {
		t.Errorf("certificate expired: %+v, %v; want expired since 2019-04-01", d.Standing, err)
	}
}

func TestNCFiltersFollowThePortal(t *testing.T) {
	a, _, _, _ := loggedInApp(t)
	ids := func(filter string) []string {
		rows, err := a.Portal.NCs(filter)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.NC.ID)
		}
		return out
	}
	ca, ev, all := ids(app.FilterCA), ids(app.FilterEvidence), ids(app.FilterAll)
	if !slices.Contains(ca, "NC-167140-2019") || slices.Contains(ca, "NC-150424-2018") {
		t.Errorf("filter a) CAs to submit: %v", ca)
	}
	if !slices.Contains(ev, "NC-150424-2018") || slices.Contains(ev, "NC-167140-2019") {
		t.Errorf("filter b) evidence to submit: %v", ev)
	}
	if len(all) < 4 {
		t.Errorf("all NCs: %v", all)
	}
	// Sent, awaiting evaluation: found in a place of its own, with its count.
	sent := ids(app.FilterSent)
	if !slices.Equal(sent, []string{"NC-168802-2019"}) {
		t.Errorf("sent, awaiting evaluation: %v, want NC-168802-2019", sent)
	}
	if slices.Contains(ca, "NC-168802-2019") || slices.Contains(ev, "NC-168802-2019") {
		t.Errorf("a sent NC is still among those to answer: %v %v", ca, ev)
	}
	if d, err := a.Portal.Dashboard(); err != nil || d.SentCount != 1 {
		t.Errorf("dashboard sent count: %d, %v; want 1", d.SentCount, err)
	}
	if _, err := a.Portal.NCs("'; DROP TABLE nc; --"); client.Code(err) != "" || !isCode(err, api.CodeInvalidInput) {
		t.Errorf("unknown filter: got %v, want invalid_input", err)
	}
}

// Where am I in the cycle: each audit's step, what is due next from whom, by when.
func TestCyclesSayWhatIsDueNext(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	cycles, err := a.Portal.Cycles()
	if err != nil {
		t.Fatal(err)
	}
	if len(cycles) != 2 || cycles[0].Audit.ID != "AO-38369" || cycles[1].Audit.ID != "AO-28681" {
		t.Fatalf("cycles, latest audit first: %+v", cycles)
	}
	// The latest audit: a CA due 08/06/2019 (today is 20/05/2019), and the unconfirmed
	// NC the client must not see is not counted.
	c := cycles[0]
	if c.Current != cycle.StepCA || c.NCs != 2 || c.Next == nil || c.Next.Who != cycle.ByClient || c.Next.NCID != "NC-167140-2019" ||
		c.Next.Due != "2019-06-08" || c.Next.DaysLeft == nil || *c.Next.DaysLeft != 19 {
		t.Errorf("AO-38369: current %q, %d NCs, next %+v", c.Current, c.NCs, c.Next)
	}
	// The earlier audit: its overdue CA comes first.
	if c := cycles[1]; c.Current != cycle.StepCA || c.Next == nil || c.Next.NCID != "NC-173086-2019" || c.Next.DaysLeft == nil || *c.Next.DaysLeft != -6 {
		t.Errorf("AO-28681: current %q, next %+v", c.Current, c.Next)
	}
	// The analyst closes the latest audit's CA-stage NC: evidence is what remains, due by
	// its own deadline.
	if err := srv.CloseNC(context.Background(), "analyst", "3542", "NC-167140-2019", ""); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	cycles, err = a.Portal.Cycles()
	if err != nil {
		t.Fatal(err)
	}
	if c := cycles[0]; c.Current != cycle.StepEvidence || c.Next == nil || c.Next.What != cycle.StepEvidence ||
		c.Next.NCID != "NC-150424-2018" || c.Next.Due != "2019-06-22" || c.Steps[2].State != cycle.StepDone {
		t.Errorf("AO-38369 after the CA step: current %q, next %+v, steps %+v", c.Current, c.Next, c.Steps)
	}
}

func isCode(err error, code string) bool {
	return err != nil && app.Code(err) == code
}

func TestNCDetailAndReadState(t *testing.T) {
	a, _, _, _ := loggedInApp(t)
	ctx := context.Background()
	d, err := a.Portal.NC("NC-167140-2019")
	if err != nil {
		t.Fatal(err)
	}
	if d.Audit.ID != "AO-38369" || d.Audit.Date != "2019-04-08" {
		t.Errorf("audit of the NC: %+v", d.Audit)
	}
	if len(d.Messages) == 0 {
		t.Fatal("the demo thread is missing")
	}
	if d.Row.Unread == 0 {
		t.Fatal("the analyst's messages should start unread")
	}
	if err := a.Store().Portal.MarkRead(ctx, "NC-167140-2019"); err != nil {
		t.Fatal(err)
	}
	if d, _ = a.Portal.NC("NC-167140-2019"); d.Row.Unread != 0 {
		t.Errorf("unread after reading: %d", d.Row.Unread)
	}
	ev, err := a.Portal.NC("NC-150424-2018")
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Evidence) == 0 || !ev.Evidence[0].Cached {
		t.Errorf("evidence of NC-150424-2018 should be listed and cached: %+v", ev.Evidence)
	}
	// Through the bound service, as the UI calls it: a code, not a Go error text.
	if _, err := service[*app.Portal](a).NC("NC-000000-0000"); !isCode(err, api.CodeNotFound) {
		t.Errorf("unknown NC: got %v, want not_found", err)
	}
}

// service returns the bound service of type S.
func service[S any](a *app.App) S {
	for _, s := range a.Services() {
		if v, ok := s.(S); ok {
			return v
		}
	}
	panic("no such service")
}

func TestCertificateOpensFromTheCacheOffline(t *testing.T) {
	a, srv, p, _ := loggedInApp(t)
	certs, err := a.Portal.Certificates()
	if err != nil || len(certs) == 0 || !certs[0].Cached {
		t.Fatalf("certificates: %+v %v", certs, err)
	}
	srv.SetDown(true)
	if err := a.Portal.OpenFile(certs[0].Certificate.File.SHA256); err != nil {
		t.Fatal(err)
	}
	if len(p.opened) != 1 || !hasSuffix(p.opened[0], ".pdf") {
		t.Errorf("opened: %v, want the certificate under a .pdf name", p.opened)
	}
}

func hasSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

func TestRestartWithoutConnectionOpensOnTheReplica(t *testing.T) {
	a, srv, _, dir := loggedInApp(t)
	a.Close()
	srv.SetDown(true)

	p := &recorder{}
	b := newApp(t, dir, p)
	st := b.Session.State()
	if !st.LoggedIn || !st.HasData || st.Username != "coop" {
		t.Fatalf("state after an offline restart: %+v", st)
	}
	rows, err := b.Portal.NCs(app.FilterAll)
	if err != nil || len(rows) < 4 {
		t.Fatalf("NCs offline: %d, %v", len(rows), err)
	}
	eventually(t, "the offline status", func() bool {
		s := b.Sync.Status()
		return !s.Online && s.LastError == api.CodeUnreachable && s.LastSync != ""
	})
	srv.SetDown(false)
	eventually(t, "coming back online by itself", func() bool {
		s := b.Sync.Status()
		return s.Online && s.LastError == ""
	})
}

func TestFailedLoginLeavesTheReplicaUntouched(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	ctx := context.Background()
	before, err := a.Store().Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ server, user, password, want string }{
		{srv.URL, "coop", "wrong", api.CodeBadCredentials},
		{"http://127.0.0.1:1", "coop", "coop", api.CodeUnreachable},
		{"not a url ::", "coop", "coop", api.CodeInvalidServer},
		{srv.URL, "", "coop", api.CodeInvalidInput},
		{srv.URL, "analyst", "analyst", "not_a_client"},
	}
	for _, tt := range tests {
		_, err := a.Session.Login(tt.server, tt.user, tt.password)
		var ce *app.CodeError
		got := client.Code(err)
		if errors.As(err, &ce) {
			got = ce.Code
		}
		if got != tt.want {
			t.Errorf("login %s@%s: got %v, want %s", tt.user, tt.server, err, tt.want)
		}
	}
	after, _ := a.Store().Counts(ctx)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %d rows before the failed logins, %d after", k, v, after[k])
		}
	}
	if st := a.Session.State(); st.Username != "coop" || !st.LoggedIn {
		t.Errorf("session after failed logins: %+v", st)
	}
}

func TestAnotherOrganisationReplacesTheReplica(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	ctx := context.Background()
	if _, err := a.Session.Login(srv.URL, "estate", "estate"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "estate's sync", func() bool {
		o, err := a.Store().Portal.Organisation(ctx)
		return err == nil && o.ID != ""
	})
	if _, err := a.Store().Portal.NC(ctx, "NC-167140-2019"); err == nil {
		t.Error("coop's NC is still in the replica after estate logged in")
	}
	ncs, _ := a.Store().Portal.NCs(ctx)
	for _, nc := range ncs {
		if nc.ID == "NC-167140-2019" || nc.ID == "NC-150424-2018" {
			t.Errorf("coop's %s visible to estate", nc.ID)
		}
	}
}

func TestLanguageDefaultsToTheSystemAndIsSaved(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "es_ES.UTF-8")
	a := newApp(t, t.TempDir(), &recorder{})
	s := service[*app.Settings](a)
	if got := s.Language(); got != "es" {
		t.Errorf("first start with LANG=es_ES: got %q", got)
	}
	if err := s.SetLanguage("fr"); err != nil {
		t.Fatal(err)
	}
	if got := s.Language(); got != "fr" {
		t.Errorf("after choosing French: got %q", got)
	}
	if err := s.SetLanguage("pt"); err != nil {
		t.Errorf("Portuguese: %v", err)
	}
	if got := s.Language(); got != "pt" {
		t.Errorf("after choosing Portuguese: got %q", got)
	}
	if err := s.SetLanguage("de"); !isCode(err, api.CodeInvalidInput) {
		t.Errorf("unsupported language: got %v", err)
	}
}

func TestSystemLanguageKnowsBrazilianPortuguese(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "pt_BR.UTF-8")
	if got := app.SystemLanguage(); got != "pt" {
		t.Errorf("LANG=pt_BR: got %q, want pt", got)
	}
}

func TestRevokedSessionAsksToLogInAgainAndKeepsTheReplica(t *testing.T) {
	a, srv, p, _ := loggedInApp(t)
	ctx := context.Background()
	before, _ := a.Store().Counts(ctx)
	// Another computer logs the same session out: the server revokes its tokens.
	raw, err := os.ReadFile(filepath.Join(a.Store().Dir(), "session.token"))
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Access, Refresh string }
	if err := json.Unmarshal(raw, &tok); err != nil {
		t.Fatal(err)
	}
	s := api.Session{AccessToken: tok.Access, RefreshToken: tok.Refresh}
	other, _ := client.New(srv.URL)
	other.SetSession(s)
	if err := other.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	// A message written now waits: an expired login pauses the queue, nothing is lost.
	if err := a.Outbox.Message("NC-167140-2019", "Écrit pendant que la session expirait"); err != nil {
		t.Fatal(err)
	}
	if err := a.Sync.SyncNow(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the session:expired event", func() bool { return p.saw(app.EventSessionExpired) })
	st := a.Session.State()
	if st.LoggedIn || st.Username != "coop" || !st.HasData {
		t.Errorf("state after the session expired: %+v; want logged out, user kept, data kept", st)
	}
	if got := a.Sync.Status().LastError; got != api.CodeSessionExpired {
		t.Errorf("status error: got %q, want session_expired", got)
	}
	after, _ := a.Store().Counts(ctx)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %d before, %d after the session expired", k, v, after[k])
		}
	}
	if n := a.Sync.Status().Pending; n != 1 {
		t.Errorf("pending after the session expired: %d, want the message kept", n)
	}
	// Logging in again resumes syncing, and the queue goes.
	if _, err := a.Session.Login(srv.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	if st := a.Session.State(); !st.LoggedIn {
		t.Errorf("state after logging in again: %+v", st)
	}
	eventually(t, "the queued message to be sent", func() bool { return a.Sync.Status().Pending == 0 })
}
