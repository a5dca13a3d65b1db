package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
)

// The console's share of the security suites: every page of server.Routes marked
// Console refuses a caller without a valid console session, and refuses bad input,
// changing nothing. Cases are derived from each route's pattern, so a new page is
// tried as soon as it is in the table.

// consolePublic are the pages open without a session.
var consolePublic = map[string]bool{
	"GET /console/style.css": true, "GET /console/login": true, "POST /console/login": true,
	"GET /console/lang/{lang}": true,
}

// consoleItems fill the parameters of a console route with items of the coop: an NC
// with evidence, its audit and one of its files.
var consoleItems = strings.NewReplacer("{org}", demo.OrgCoop, "{nc}", "NC-150424-2019", "{audit}", "AO-38369",
	"{action}", "message", "{id}", "PM-3542-0001", "{flo}", demo.OrgCoop, "{lang}", "fr", "{$}", "")

// consoleRoutes returns the console's routes.
func consoleRoutes(t *testing.T) []server.Route {
	var out []server.Route
	for _, r := range server.Routes() {
		if r.Console {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		t.Fatal("server.Routes lists no console page")
	}
	return out
}

// consoleSend sends a console request with cookie (name=value, or none) and form.
func consoleSend(t *testing.T, m *matrix, method, path, cookie string, form url.Values, headers ...string) page {
	t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, m.http.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := m.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	return page{status: res.StatusCode, location: res.Header.Get("Location"), header: res.Header}
}

// consoleSession logs user in to the console and returns its session cookie and the
// session's CSRF token.
func consoleSession(t *testing.T, m *matrix, user string) (cookie, csrf string) {
	t.Helper()
	b := m.browser()
	if p := b.login(user); p.status != http.StatusSeeOther {
		t.Fatalf("console login of %s: %d", user, p.status)
	}
	u, _ := url.Parse(m.http.URL + "/console/")
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "ecert_console" {
			cookie = c.Name + "=" + c.Value
		}
	}
	csrf = csrfOf(t, b.get("/console/orgs"))
	return cookie, csrf
}

// refusedConsole reports whether a console answer refuses a caller without a session:
// a page asks to log in, an action is forbidden.
func refusedConsole(method string, p page) bool {
	if method == http.MethodGet {
		return p.status == http.StatusSeeOther && strings.HasPrefix(p.location, "/console/login?next=")
	}
	return p.status == http.StatusForbidden
}

func TestEveryConsolePageRefusesWhoMustBeRefused(t *testing.T) {
	m := newMatrix(t)
	_, _ = consoleSession(t, m, "analyst") // a session that stays valid meanwhile
	loggedOut, csrf := consoleSession(t, m, "analyst")
	if p := consoleSend(t, m, "POST", "/console/logout", loggedOut, url.Values{"csrf": {csrf}}); p.status != http.StatusSeeOther {
		t.Fatalf("console logout: %d", p.status)
	}
	expiring, expiringCSRF := consoleSession(t, m, "auditor")
	before := m.snapshot(t)

	counts := map[string]int{}
	try := func(r server.Route, name, cookie string, form url.Values, headers ...string) {
		path := consoleItems.Replace(r.Path)
		p := consoleSend(t, m, r.Method, path, cookie, form, headers...)
		if !refusedConsole(r.Method, p) {
			t.Errorf("%s %s with %s: got %d (Location %q), want a refusal", r.Method, path, name, p.status, p.location)
			return
		}
		counts[r.Method+" "+r.Path]++
	}
	for _, r := range consoleRoutes(t) {
		if consolePublic[r.Method+" "+r.Path] {
			continue
		}
		form := url.Values{}
		if r.Method == http.MethodPost {
			form.Set("csrf", csrf) // the logged-out session's: right for it, useless now
		}
		try(r, "no session", "", form)
		try(r, "a garbage session", "ecert_console=not-a-session", form)
		try(r, "a logged-out session", loggedOut, form)
		try(r, "a client's API token", "", form, "Authorization", "Bearer "+m.coop)
	}
	// Sessions end after ConsoleSessionTTL (12 h).
	m.clock.Add(13 * time.Hour)
	for _, r := range consoleRoutes(t) {
		if !consolePublic[r.Method+" "+r.Path] {
			try(r, "an expired session", expiring, url.Values{"csrf": {expiringCSRF}})
		}
	}
	if d := before.diff(m.snapshot(t), false, ""); len(d) > 0 {
		t.Errorf("refused console calls changed the server: %v", d)
	}
	consoleReport(t, "security cases per console page", counts)
}

// consoleBadCases derives a console route's bad inputs: every path parameter naming
// nothing, and for a POST a missing or wrong CSRF token and another site's Origin.
func consoleBadCases(r server.Route, csrf string) []consoleBad {
	var out []consoleBad
	for _, param := range []string{"{org}", "{nc}", "{audit}", "{action}", "{id}", "{flo}", "{lang}"} {
		if !strings.Contains(r.Path, param) {
			continue
		}
		path := strings.Replace(r.Path, param, "nothing-"+strings.Trim(param, "{}"), 1)
		out = append(out, consoleBad{name: param + " naming nothing", path: consoleItems.Replace(path),
			form: url.Values{"csrf": {csrf}, "body": {"x"}, "due": {"2030-01-01"}}, status: http.StatusNotFound})
	}
	if r.Method == http.MethodPost {
		path := consoleItems.Replace(r.Path)
		out = append(out,
			consoleBad{name: "no CSRF token", path: path, form: url.Values{"body": {"x"}}, status: http.StatusForbidden},
			consoleBad{name: "a wrong CSRF token", path: path, form: url.Values{"csrf": {"x" + csrf}, "body": {"x"}}, status: http.StatusForbidden},
			consoleBad{name: "another site's Origin", path: path, form: url.Values{"csrf": {csrf}, "body": {"x"}},
				headers: []string{"Origin", "https://evil.example"}, status: http.StatusForbidden})
	}
	return out
}

type consoleBad struct {
	name    string
	path    string
	form    url.Values
	headers []string
	status  int
}

// consoleInputless says why a console page takes no input to refuse.
var consoleInputless = map[string]string{
	"GET /console/style.css": "a stylesheet: reads nothing",
	"GET /console/login":     "the login form: reads only ?next, kept inside the console (TestConsoleLogin)",
	"GET /console/{$}":       "redirects to the organisations",
	"GET /console/orgs":      "lists the organisations: no input",
	"GET /console/password":  "the password form: reads only ?done, a fixed message",
	"GET /console/crashes":   "lists the latest crash reports: no input",
	"GET /console/operators": "looks up ?flo=: an unknown FLO ID is a 404 page (TestConsoleSuspendsOperator)",
}

func TestEveryConsolePageRefusesBadInput(t *testing.T) {
	m := newMatrix(t)
	cookie, csrf := consoleSession(t, m, "analyst")
	before := m.snapshot(t)
	tried, refused := map[string]int{}, map[string]int{}
	for _, r := range consoleRoutes(t) {
		key := r.Method + " " + r.Path
		cases := consoleBadCases(r, csrf)
		if key == "POST /console/login" {
			// The login form's own double-submit token: a session's is no use to it.
			cases = []consoleBad{
				{name: "no login CSRF token", path: r.Path, form: url.Values{"username": {"analyst"}, "password": {"analyst"}}, status: http.StatusForbidden},
				{name: "another site's Origin", path: r.Path, form: url.Values{"username": {"analyst"}, "password": {"analyst"}},
					headers: []string{"Origin", "https://evil.example"}, status: http.StatusForbidden},
			}
		}
		if key == "POST /console/password" {
			// The form's own refusals, each with nothing changed.
			form := func(current, next, confirm string) url.Values {
				return url.Values{"csrf": {csrf}, "current": {current}, "new": {next}, "confirm": {confirm}}
			}
			cases = append(cases,
				consoleBad{name: "no current password", path: r.Path, form: form("", "a long new phrase", "a long new phrase"), status: http.StatusBadRequest},
				consoleBad{name: "confirmation differs", path: r.Path, form: form("analyst", "a long new phrase", "another phrase"), status: http.StatusBadRequest},
				consoleBad{name: "wrong current password", path: r.Path, form: form("guess", "a long new phrase", "a long new phrase"), status: http.StatusBadRequest},
				consoleBad{name: "too short", path: r.Path, form: form("analyst", "short", "short"), status: http.StatusBadRequest},
				consoleBad{name: "common", path: r.Path, form: form("analyst", "password123", "password123"), status: http.StatusBadRequest})
		}
		// The valid page the cases derive from is served: each refusal is the bad part's.
		if r.Method == http.MethodGet {
			path := consoleItems.Replace(r.Path)
			if p := consoleSend(t, m, r.Method, path, cookie, nil); p.status != http.StatusOK && p.status != http.StatusSeeOther {
				t.Errorf("%s %s with a valid session: got %d", r.Method, path, p.status)
			}
		}
		if len(cases) == 0 && consoleInputless[key] == "" {
			t.Errorf("%s: no bad input derived and no reason given in consoleInputless", key)
		}
		for _, c := range cases {
			tried[key]++
			p := consoleSend(t, m, r.Method, c.path, cookie, c.form, c.headers...)
			if p.status != c.status {
				t.Errorf("%s %s, %s: got %d, want %d", r.Method, c.path, c.name, p.status, c.status)
				continue
			}
			refused[key]++
		}
	}
	if d := before.diff(m.snapshot(t), false, ""); len(d) > 0 {
		t.Errorf("refused console input changed the server: %v", d)
	}
	counts := map[string]int{}
	for k, n := range tried {
		counts[k] = refused[k]
		if refused[k] != n {
			t.Errorf("%s: %d of %d refused", k, refused[k], n)
		}
	}
	consoleReport(t, "bad-input cases per console page (refused)", counts)
}

func consoleReport(t *testing.T, title string, counts map[string]int) {
	keys := make([]string, 0, len(counts))
	total := 0
	for k, n := range counts {
		keys = append(keys, k)
		total += n
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-52s %d\n", k, counts[k])
	}
	t.Logf("%s (%d in all):\n%s", title, total, b.String())
}
