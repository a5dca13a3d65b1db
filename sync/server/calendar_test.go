package server_test

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/ical"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
)

// The calendar feed: made, read by a calendar program without a token, moved,
// rotated, revoked, ended with its account, and never another organisation's.

// createFeed makes the user's feed and returns it.
func createFeed(t *testing.T, e *env, token, lang string) api.CalendarFeed {
	t.Helper()
	r := e.do("POST", api.CalendarFeedPath, token, api.CalendarFeedRequest{Lang: lang})
	if r.status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", api.CalendarFeedPath, r.status, r.body)
	}
	var f api.CalendarFeed
	decode(t, r.body, &f)
	if !f.Active || f.Lang != lang || !strings.HasPrefix(f.Path, api.Version+api.CalendarPath) || f.URL != e.http.URL+f.Path {
		t.Fatalf("feed: %+v", f)
	}
	return f
}

// coopFeed makes coop's feed and returns its path below api.Version.
func coopFeed(t *testing.T, e *env, coop string) string {
	return strings.TrimPrefix(createFeed(t, e, coop, "fr").Path, api.Version)
}

// readFeed reads a feed as a calendar program does: no token.
func readFeed(t *testing.T, e *env, path string, headers ...string) (resp, map[string]*ics.VEvent) {
	t.Helper()
	r := e.do("GET", strings.TrimPrefix(path, api.Version), "", nil, headers...)
	if r.status != http.StatusOK {
		return r, nil
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, r.body)
	}
	out := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		if _, dup := out[ev.Id()]; dup {
			t.Errorf("UID %s twice", ev.Id())
		}
		out[ev.Id()] = ev
	}
	return r, out
}

func value(ev *ics.VEvent, p ics.ComponentProperty) string {
	if ev == nil {
		return ""
	}
	if v := ev.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func TestCalendarFeedServesTheOrganisationsDeadlines(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	f := createFeed(t, e, coop, "fr")
	if len(strings.TrimSuffix(f.Path[strings.LastIndex(f.Path, "/")+1:], ".ics")) != 43 {
		t.Errorf("the token is not 32 random bytes: %s", f.Path)
	}
	r, events := readFeed(t, e, f.Path)
	if r.status != http.StatusOK {
		t.Fatalf("GET the feed: %d %s", r.status, r.body)
	}
	for h, want := range map[string]string{
		"Content-Type":  "text/calendar; charset=utf-8",
		"Cache-Control": "private, no-cache",
	} {
		if got := r.header.Get(h); got != want {
			t.Errorf("%s: got %q, want %q", h, got, want)
		}
	}
	etag, modified := r.header.Get("ETag"), r.header.Get("Last-Modified")
	if etag == "" || modified != e.clock.Now().UTC().Format(http.TimeFormat) {
		t.Errorf("ETag %q, Last-Modified %q (now %s)", etag, modified, e.clock.Now())
	}
	uid := func(what string) string { return ical.UID(what, demo.OrgCoop) }
	for _, want := range []string{"ca-NC-167140-2019", "evidence-NC-150424-2019", "ca-NC-174410-2018", "ca-NC-173086-2018", "next-audit"} {
		if events[uid(want)] == nil {
			t.Errorf("no %s event among %d", want, len(events))
		}
	}
	for id := range events {
		if !strings.HasSuffix(id, "."+demo.OrgCoop+"@ecert-desktop") {
			t.Errorf("an event of another organisation: %s", id)
		}
		if strings.Contains(id, "NC-131877-2018") || strings.Contains(id, "NC-168802-2018") {
			t.Errorf("%s: the NC waits on nobody, or is closed", id)
		}
	}
	if s := value(events[uid("ca-NC-167140-2019")], ics.ComponentPropertySummary); !strings.HasPrefix(s, "MC due — NC-167140-2019") {
		t.Errorf("summary in French: %q", s)
	}
	// A calendar program that has the feed gets 304, and nothing is written.
	if again := e.do("GET", strings.TrimPrefix(f.Path, api.Version), "", nil, "If-None-Match", etag); again.status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", again.status)
	}
	// The feed's status, without its address (the server does not keep the token).
	var st api.CalendarFeed
	decode(t, e.do("GET", api.CalendarFeedPath, coop, nil).body, &st)
	if !st.Active || st.Lang != "fr" || st.Path != "" || st.URL != "" || !st.CreatedAt.Equal(f.CreatedAt) {
		t.Errorf("status: %+v", st)
	}

	// Nothing changed: the same content, stamp and ETag an hour later.
	e.clock.Add(time.Hour)
	r2, _ := readFeed(t, e, f.Path)
	if r2.header.Get("ETag") != etag || r2.header.Get("Last-Modified") != modified || !bytes.Equal(r.body, r2.body) {
		t.Errorf("an unchanged feed changed: ETag %s → %s", etag, r2.header.Get("ETag"))
	}

	// The analyst returns evidence with a due date, then moves it: one event, moved.
	ctx := context.Background()
	const nc = "NC-168802-2018"
	if err := e.srv.ReturnEvidence(ctx, "analyst", demo.OrgCoop, nc, "Les bulletins de mai manquent.", "2019-07-01"); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Hour)
	r3, before := readFeed(t, e, f.Path)
	ev := before[uid("evidence-"+nc)]
	if value(ev, ics.ComponentPropertyDtStart) != "20190701" {
		t.Fatalf("returned evidence: %v", ev)
	}
	if r3.header.Get("ETag") == etag || r3.header.Get("Last-Modified") != e.clock.Now().UTC().Format(http.TimeFormat) {
		t.Errorf("a changed feed kept its ETag or date: %s %s", r3.header.Get("ETag"), r3.header.Get("Last-Modified"))
	}
	if err := e.srv.RequestEvidence(ctx, "analyst", demo.OrgCoop, nc, "2019-07-15"); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Hour)
	_, after := readFeed(t, e, f.Path)
	moved := after[uid("evidence-"+nc)]
	if value(moved, ics.ComponentPropertyDtStart) != "20190715" {
		t.Fatalf("the moved deadline's UID changed, or it did not move: %v", moved)
	}
	seq0, _ := strconv.Atoi(value(ev, ics.ComponentPropertySequence))
	seq1, _ := strconv.Atoi(value(moved, ics.ComponentPropertySequence))
	if seq1 <= seq0 {
		t.Errorf("SEQUENCE did not grow: %d then %d", seq0, seq1)
	}
	if s0, s1 := value(ev, ics.ComponentPropertyDtstamp), value(moved, ics.ComponentPropertyDtstamp); s1 <= s0 {
		t.Errorf("DTSTAMP did not grow: %s then %s", s0, s1)
	}
	if len(after) != len(before) {
		t.Errorf("%d events, then %d after the move", len(before), len(after))
	}
}

func TestCalendarFeedEndsWhenRotatedRevokedOrItsAccountDisabled(t *testing.T) {
	e := newEnv(t)
	coop, staff := e.token("coop"), e.token("coop-staff")
	unknown := api.Version + api.CalendarPath + strings.Repeat("A", 43) + ".ics"
	notFound := e.do("GET", strings.TrimPrefix(unknown, api.Version), "", nil)
	wantError(t, notFound, http.StatusNotFound, api.CodeNotFound)
	gone := func(what, path string) {
		t.Helper()
		r := e.do("GET", strings.TrimPrefix(path, api.Version), "", nil)
		// The same answer as a token that never was: nothing said about why.
		if r.status != http.StatusNotFound || !bytes.Equal(r.body, notFound.body) {
			t.Errorf("%s: %d %s, want the unknown token's 404 %s", what, r.status, r.body, notFound.body)
		}
	}
	works := func(what, path string) {
		t.Helper()
		if r, _ := readFeed(t, e, path); r.status != http.StatusOK {
			t.Errorf("%s: %d %s", what, r.status, r.body)
		}
	}

	// Rotation: a new address, the old one gone at once.
	first := createFeed(t, e, coop, "fr")
	works("the first feed", first.Path)
	second := createFeed(t, e, coop, "en")
	gone("the rotated feed", first.Path)
	works("the new feed", second.Path)

	// Revocation, idempotent.
	for range 2 {
		if r := e.do("DELETE", api.CalendarFeedPath, coop, nil); r.status != http.StatusNoContent {
			t.Fatalf("DELETE: %d %s", r.status, r.body)
		}
	}
	gone("the revoked feed", second.Path)
	var st api.CalendarFeed
	decode(t, e.do("GET", api.CalendarFeedPath, coop, nil).body, &st)
	if st.Active {
		t.Errorf("status after revocation: %+v", st)
	}

	// Staff have a feed of their own; disabling the account ends it, and enabling the
	// account does not bring it back.
	mine := createFeed(t, e, staff, "pt")
	works("staff's feed", mine.Path)
	works("the manager's feed is not the staff's", createFeed(t, e, coop, "fr").Path)
	if r := e.do("POST", api.OrgUsersPath+"/coop-staff/disable", coop, nil); r.status != http.StatusOK {
		t.Fatalf("disable: %d %s", r.status, r.body)
	}
	gone("a disabled account's feed", mine.Path)
	if r := e.do("POST", api.OrgUsersPath+"/coop-staff/enable", coop, nil); r.status != http.StatusOK {
		t.Fatalf("enable: %d %s", r.status, r.body)
	}
	gone("a feed ended by disabling, after enabling", mine.Path)

	// An analyst has no organisation, so no feed.
	wantError(t, e.do("POST", api.CalendarFeedPath, e.token("analyst"), api.CalendarFeedRequest{Lang: "fr"}), http.StatusForbidden, api.CodeForbidden)
}

// TestCalendarFeedIsolation: a feed never shows another organisation's events, and a
// user's feed routes reach the user's own feed only.
func TestCalendarFeedIsolation(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	coopPath, estatePath := createFeed(t, e, coop, "fr").Path, createFeed(t, e, estate, "es").Path
	_, coopEvents := readFeed(t, e, coopPath)
	_, estateEvents := readFeed(t, e, estatePath)
	if len(coopEvents) == 0 || len(estateEvents) == 0 {
		t.Fatalf("events: coop %d, estate %d", len(coopEvents), len(estateEvents))
	}
	for id := range estateEvents {
		if !strings.HasSuffix(id, "."+demo.OrgEstate+"@ecert-desktop") || coopEvents[id] != nil {
			t.Errorf("estate's feed has %s", id)
		}
	}
	for id := range coopEvents {
		if strings.Contains(id, "NC-17152") {
			t.Errorf("coop's feed has estate's %s", id)
		}
	}
	// Estate revoking its feed leaves coop's.
	if r := e.do("DELETE", api.CalendarFeedPath, estate, nil); r.status != http.StatusNoContent {
		t.Fatal(r.status)
	}
	if r, _ := readFeed(t, e, coopPath); r.status != http.StatusOK {
		t.Errorf("coop's feed after estate revoked its own: %d", r.status)
	}
	// A bearer token changes nothing: the address alone says whose feed it is.
	r := e.do("GET", strings.TrimPrefix(estatePath, api.Version), coop, nil)
	if r.status != http.StatusNotFound {
		t.Errorf("estate's revoked feed read with coop's token: %d", r.status)
	}
}
