package app_test

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/exports"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The calendar subscription: the server's feed has the events of the app's .ics file,
// UID for UID, so a user who imported the file and then subscribes gets no duplicate.

// getFeed reads a feed as a calendar program does (no token) and returns its events.
func getFeed(t *testing.T, url string) (int, map[string]*ics.VEvent) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return res.StatusCode, nil
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the feed does not parse: %v", err)
	}
	out := map[string]*ics.VEvent{}
	for _, e := range cal.Events() {
		out[e.Id()] = e
	}
	return res.StatusCode, out
}

func TestCalendarSubscriptionHasTheFilesEvents(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	// An internal due date, synced: it is in the file and in the feed alike.
	if _, err := a.Team.Assign(draftNC, "coop-staff", "2019-06-20"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)

	if s, err := a.Calendar.Subscription(); err != nil || s.Active {
		t.Fatalf("before any feed: %+v, %v", s, err)
	}
	s, err := a.Calendar.Subscribe()
	if err != nil || !s.Active || !strings.HasPrefix(s.URL, srv.URL+api.Version+api.CalendarPath) || s.Lang != "en" {
		t.Fatalf("Subscribe: %+v, %v", s, err)
	}
	status, feed := getFeed(t, s.URL)
	if status != http.StatusOK {
		t.Fatalf("GET the feed: %d", status)
	}
	path := filepath.Join(t.TempDir(), "deadlines.ics")
	if _, err := exports.WriteCalendar(context.Background(), a.Export, path, "en"); err != nil {
		t.Fatal(err)
	}
	file := events(t, path)
	if got, want := slices.Sorted(maps.Keys(feed)), slices.Sorted(maps.Keys(file)); !slices.Equal(got, want) {
		t.Errorf("the feed's UIDs differ from the file's:\nfeed %v\nfile %v", got, want)
	}
	org, _ := a.Portal.Organisation()
	internal := feed["internal-"+draftNC+"."+org.ID+"@ecert-desktop"]
	if prop(internal, ics.ComponentPropertyDtStart) != "20190620" || !strings.Contains(prop(internal, ics.ComponentPropertySummary), "Jean-Paul Essomba") {
		t.Errorf("the internal due date in the feed: %v", internal)
	}
	for uid, ev := range file {
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyDtStart, ics.ComponentPropertySequence, ics.ComponentPropertySummary} {
			if prop(ev, p) != prop(feed[uid], p) {
				t.Errorf("%s %s: file %q, feed %q", uid, p, prop(ev, p), prop(feed[uid], p))
			}
		}
	}

	// This computer knows the address; another computer of the same user does not (the
	// server keeps no copy of the token), and making one there ends this one.
	if again, err := a.Calendar.Subscription(); err != nil || again.URL != s.URL {
		t.Errorf("Subscription: %+v, %v; want the address made here", again, err)
	}
	other := newApp(t, t.TempDir(), &recorder{})
	if _, err := other.Session.Login(srv.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	if there, err := other.Calendar.Subscription(); err != nil || !there.Active || there.URL != "" {
		t.Errorf("on another computer: %+v, %v; want active, without the address", there, err)
	}
	if err := a.Calendar.Revoke(); err != nil {
		t.Fatal(err)
	}
	if status, _ := getFeed(t, s.URL); status != http.StatusNotFound {
		t.Errorf("the revoked feed: %d", status)
	}
	if after, err := a.Calendar.Subscription(); err != nil || after.Active || after.URL != "" {
		t.Errorf("after Revoke: %+v, %v", after, err)
	}

	// Offline: a clear error, nothing queued.
	srv.HTTP.Close()
	if _, err := a.Calendar.Subscribe(); app.Code(err) != api.CodeNeedsConnection {
		t.Errorf("Subscribe offline: %v, want %s", err, api.CodeNeedsConnection)
	}
}

// The headless command: export ics --feed prints the address (the same one while it
// is active), --revoke ends it; offline it says so.
func TestCalendarFeedCommand(t *testing.T) {
	url, stopServer := startServer(t)
	data := t.TempDir()
	if r := run(t, data, "coop\n", nil, "login", "--server", url, "--user", "coop"); r.code != 0 {
		t.Fatalf("login: %s", r.stderr)
	}
	r := run(t, data, "", nil, "export", "ics", "--feed", "--lang", "fr")
	feedURL := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(feedURL, url+api.Version+api.CalendarPath) || !strings.Contains(r.stderr, "new calendar feed") {
		t.Fatalf("export ics --feed: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	status, feed := getFeed(t, feedURL)
	if status != http.StatusOK || len(feed) < 4 {
		t.Fatalf("the feed: %d, %d events", status, len(feed))
	}
	for _, ev := range feed {
		if s := prop(ev, ics.ComponentPropertySummary); strings.HasPrefix(s, "CA due") {
			t.Errorf("not in French: %q", s)
		}
	}
	if again := run(t, data, "", nil, "export", "ics", "--feed"); again.code != 0 || strings.TrimSpace(again.stdout) != feedURL || again.stderr != "" {
		t.Errorf("the second --feed: code %d\n%s%s; want the same address", again.code, again.stdout, again.stderr)
	}
	for _, args := range [][]string{
		{"export", "ics", "--feed", "--revoke"},
		{"export", "ics", "--feed", "--out", filepath.Join(t.TempDir(), "x.ics")},
		{"export", "register", "--feed"},
	} {
		if bad := run(t, data, "", nil, args...); bad.code != 2 {
			t.Errorf("%v: code %d, want 2\n%s", args, bad.code, bad.stderr)
		}
	}
	if rv := run(t, data, "", nil, "export", "ics", "--revoke"); rv.code != 0 || !strings.Contains(rv.stdout, "revoked") {
		t.Fatalf("export ics --revoke: code %d\n%s%s", rv.code, rv.stdout, rv.stderr)
	}
	if status, _ := getFeed(t, feedURL); status != http.StatusNotFound {
		t.Errorf("the revoked feed: %d", status)
	}
	stopServer()
	if off := run(t, data, "", nil, "export", "ics", "--feed"); off.code != 1 || !strings.Contains(off.stderr, "cannot be reached") {
		t.Errorf("offline: code %d\n%s%s", off.code, off.stdout, off.stderr)
	}
}
