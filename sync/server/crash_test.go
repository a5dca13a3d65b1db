package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
)

func crashReport(n int) api.CrashReport {
	return api.CrashReport{ID: fmt.Sprintf("%032x", n), Kind: api.CrashPanic, Time: "2019-06-10T08:59Z",
		Version: "1.0.0", OS: "windows", Arch: "amd64", GoVersion: "go1.26", Panic: "panic(string)",
		Frames: []string{"github.com/ecert-desktop/ecert-desktop/app.(*Sync).start.func1 app/syncing.go:124"}}
}

func TestCrashReportsAreKeptOncePerOrganisationWithinADailyLimit(t *testing.T) {
	old := server.CrashReportsPerDay
	server.CrashReportsPerDay = 2
	defer func() { server.CrashReportsPerDay = old }()
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")

	// Kept; sent again, a duplicate kept once.
	if r := e.do("POST", api.CrashReportsPath, coop, crashReport(1)); r.status != http.StatusCreated || !strings.Contains(string(r.body), `"duplicate":false`) {
		t.Fatalf("first report: %d %s", r.status, r.body)
	}
	if r := e.do("POST", api.CrashReportsPath, coop, crashReport(1)); r.status != http.StatusOK || !strings.Contains(string(r.body), `"duplicate":true`) {
		t.Errorf("resent report: %d %s", r.status, r.body)
	}
	// Another organisation's report with the same id is its own: nothing is said of coop's.
	if r := e.do("POST", api.CrashReportsPath, estate, crashReport(1)); r.status != http.StatusCreated {
		t.Errorf("estate's report with coop's id: %d %s", r.status, r.body)
	}
	// The day's limit, per organisation; the next day it counts again.
	if r := e.do("POST", api.CrashReportsPath, coop, crashReport(2)); r.status != http.StatusCreated {
		t.Fatalf("second report: %d %s", r.status, r.body)
	}
	r := e.do("POST", api.CrashReportsPath, coop, crashReport(3))
	if r.status != http.StatusTooManyRequests || !strings.Contains(string(r.body), api.CodeRateLimited) {
		t.Errorf("third report of the day: %d %s, want 429 rate_limited", r.status, r.body)
	}
	if r := e.do("POST", api.CrashReportsPath, estate, crashReport(3)); r.status != http.StatusCreated {
		t.Errorf("estate's second report, after coop's limit: %d %s", r.status, r.body)
	}
	e.clock.Add(24 * time.Hour)
	coop = e.token("coop") // the old one expired meanwhile
	if r := e.do("POST", api.CrashReportsPath, coop, crashReport(3)); r.status != http.StatusCreated {
		t.Errorf("the next day: %d %s", r.status, r.body)
	}

	// A body over 64 KiB is refused whole, and nothing is kept.
	big := crashReport(4)
	big.Frames = nil
	for range 300 {
		big.Frames = append(big.Frames, strings.Repeat("f", 250))
	}
	if r := e.do("POST", api.CrashReportsPath, coop, big); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 75 KB report: %d %s, want 413", r.status, r.body)
	}

	recs, err := e.srv.Store().CrashReports(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	byOrg := map[string]int{}
	for _, rec := range recs {
		byOrg[rec.OrgID]++
	}
	coopOrg, _ := e.srv.OrgIDForUser(context.Background(), "coop")
	estateOrg, _ := e.srv.OrgIDForUser(context.Background(), "estate")
	if byOrg[coopOrg] != 3 || byOrg[estateOrg] != 2 || len(byOrg) != 2 {
		t.Errorf("kept per organisation: %v, want coop 3, estate 2", byOrg)
	}
}

func TestConsoleShowsCrashReportsToOperators(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	wantStatus(t, b.login("analyst"), http.StatusSeeOther)
	if p := b.get("/console/crashes"); !strings.Contains(p.body, `data-testid="no-crashes"`) {
		t.Errorf("empty crashes page: %d %s", p.status, p.body)
	}
	coop, estate := e.token("coop"), e.token("estate")
	for i, tok := range []string{coop, coop, estate} {
		if r := e.do("POST", api.CrashReportsPath, tok, crashReport(10+i)); r.status != http.StatusCreated {
			t.Fatalf("report %d: %d %s", i, r.status, r.body)
		}
	}
	p := b.get("/console/crashes")
	wantStatus(t, p, http.StatusOK)
	if n := strings.Count(p.body, `data-testid="crash-report"`); n != 3 {
		t.Errorf("%d reports listed, want 3", n)
	}
	// One place in the code, three reports from two organisations.
	if !strings.Contains(p.body, "app.(*Sync).start.func1 app/syncing.go:124") || !strings.Contains(p.body, `<td class="num">3</td><td class="num">2</td>`) {
		t.Errorf("crashes page does not group the reports:\n%s", p.body)
	}
}
