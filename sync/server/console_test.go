package server_test

import (
	"bytes"
	"context"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// browser is a cookie-keeping HTTP client that does not follow redirects.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	status   int
	location string
	header   http.Header
	body     string
}

func (b *browser) send(req *http.Request) page {
	b.e.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, location: res.Header.Get("Location"), header: res.Header, body: string(body)}
}

func (b *browser) get(path string) page {
	b.e.t.Helper()
	req, _ := http.NewRequest("GET", b.e.http.URL+path, nil)
	return b.send(req)
}

func (b *browser) post(path string, form url.Values) page {
	b.e.t.Helper()
	req, _ := http.NewRequest("POST", b.e.http.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}

var errorRe = regexp.MustCompile(`data-testid="error"[^>]*>([^<]*)<`)

// errorOf is the error message a console page shows, "" if none.
func errorOf(p page) string {
	if m := errorRe.FindStringSubmatch(p.body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, p page) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF token in page (%d): %.300s", p.status, p.body)
	}
	return m[1]
}

func (b *browser) login(user string) page {
	b.e.t.Helper()
	lp := b.get("/console/login")
	return b.post("/console/login", url.Values{"csrf": {csrfOf(b.e.t, lp)}, "username": {user}, "password": {user}})
}

func wantStatus(t *testing.T, p page, status int) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status: got %d, want %d (location %q): %.500s", p.status, status, p.location, p.body)
	}
}

func TestConsoleLoginRequired(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for _, p := range []string{"/console/", "/console/orgs", "/console/orgs/3542/ncs/NC-167140-2019"} {
		got := b.get(p)
		wantStatus(t, got, http.StatusSeeOther)
		if !strings.HasPrefix(got.location, "/console/login?next=") {
			t.Errorf("%s redirects to %q", p, got.location)
		}
	}
	// A POST without a session changes nothing.
	wantStatus(t, b.post("/console/orgs/3542/ncs/"+hiddenNC+"/confirm", url.Values{"due": {"2019-08-01"}}), http.StatusForbidden)
	ncs, _ := e.srv.NCs(context.Background(), demo.OrgCoop)
	for _, nc := range ncs {
		if nc.ID == hiddenNC && nc.Stage != workflow.StageEntered {
			t.Fatal("hidden NC confirmed without a session")
		}
	}
}

func TestConsoleLogin(t *testing.T) {
	e := newEnv(t)
	// A client user has no access to the console.
	b := e.browser()
	p := b.login("coop")
	wantStatus(t, p, http.StatusForbidden)
	wantStatus(t, b.get("/console/orgs"), http.StatusSeeOther)
	// Its right password is told apart from a wrong one: the account is for the app.
	if got := errorOf(p); !strings.Contains(got, "Ecert Desktop app") || strings.Contains(got, "Wrong") {
		t.Errorf("a client's right password: message %q, want one pointing to the desktop app", got)
	}

	// A wrong password, then a login form without its CSRF token.
	lp := b.get("/console/login")
	wrong := b.post("/console/login", url.Values{"csrf": {csrfOf(t, lp)}, "username": {"coop"}, "password": {"nope"}})
	wantStatus(t, wrong, http.StatusUnauthorized)
	if got := errorOf(wrong); got != "Wrong username or password." {
		t.Errorf("a wrong password: message %q", got)
	}
	lp = b.get("/console/login")
	wantStatus(t, b.post("/console/login", url.Values{"csrf": {csrfOf(t, lp)}, "username": {"analyst"}, "password": {"nope"}}), http.StatusUnauthorized)
	wantStatus(t, e.browser().post("/console/login", url.Values{"username": {"analyst"}, "password": {"analyst"}}), http.StatusForbidden)

	p = b.login("analyst")
	wantStatus(t, p, http.StatusSeeOther)
	if p.location != "/console/orgs" {
		t.Fatalf("after login: %q", p.location)
	}
	cookie := strings.Join(p.header.Values("Set-Cookie"), "\n")
	for _, want := range []string{"ecert_console=", "HttpOnly", "SameSite=Strict", "Path=/console/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie lacks %s: %s", want, cookie)
		}
	}
	orgs := b.get("/console/orgs")
	wantStatus(t, orgs, http.StatusOK)
	if csp := orgs.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP: %q", csp)
	}
	// The estate has a submitted CA to evaluate: it comes first.
	if i, j := strings.Index(orgs.body, `data-testid="org-27816"`), strings.Index(orgs.body, `data-testid="org-3542"`); i < 0 || j < 0 || i > j {
		t.Errorf("organisation order: estate at %d, coop at %d", i, j)
	}
	org := b.get("/console/orgs/3542")
	for _, want := range []string{`data-testid="nc-NC-167140-2019"`, "entered — awaiting analyst confirmation", "AO-38369"} {
		if !strings.Contains(org.body, want) {
			t.Errorf("organisation page lacks %q", want)
		}
	}
	wantStatus(t, b.get("/console/orgs/99999"), http.StatusNotFound)

	// Logout ends the session.
	wantStatus(t, b.post("/console/logout", url.Values{"csrf": {csrfOf(t, orgs)}}), http.StatusSeeOther)
	wantStatus(t, b.get("/console/orgs"), http.StatusSeeOther)
}

func TestConsoleAccept(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	// The client saves a draft, then submits a CA.
	base := e.nc(coop, ncOpen).Revision
	e.push(coop, clientA,
		api.PushEntry{Seq: 1, Kind: api.KindCADraft, NCID: ncOpen2, Text: "PRIVATE DRAFT TEXT"},
		api.PushEntry{Seq: 2, Kind: api.KindCASubmit, NCID: ncOpen, BaseRevision: base, Text: "Réunions en février."})
	all := e.allChanges(coop, 2000)
	cursor := all[len(all)-1].Seq

	b := e.browser()
	wantStatus(t, b.login("analyst"), http.StatusSeeOther)
	ncPath := "/console/orgs/3542/ncs/" + ncOpen
	p := b.get(ncPath)
	wantStatus(t, p, http.StatusOK)
	for _, want := range []string{`name="accept"`, `name="return"`, "Réunions en février.", "push ca.submit: applied", "CA submitted — to evaluate"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("NC page lacks %q", want)
		}
	}
	if d := b.get("/console/orgs/3542/ncs/" + ncOpen2); strings.Contains(d.body, "PRIVATE DRAFT TEXT") {
		t.Error("the client's draft is shown to the analyst")
	}

	// Without the CSRF token: refused, nothing changed.
	wantStatus(t, b.post(ncPath+"/accept", url.Values{"request_evidence": {"1"}}), http.StatusForbidden)
	wantStatus(t, b.post(ncPath+"/accept", url.Values{"request_evidence": {"1"}, "csrf": {"forged"}}), http.StatusForbidden)
	if nc := e.nc(coop, ncOpen); nc.Stage != api.StageCASubmitted {
		t.Fatalf("changed without CSRF: %s", nc.Stage)
	}

	// With it: accepted, and the client pulls the change.
	csrf := csrfOf(t, p)
	got := b.post(ncPath+"/accept", url.Values{"csrf": {csrf}, "request_evidence": {"1"}, "comment": {"Satisfait."}, "evidence_due": {"2019-08-30"}})
	wantStatus(t, got, http.StatusSeeOther)
	if got.location != ncPath+"?done=accept" {
		t.Fatalf("redirect: %q", got.location)
	}
	var page api.ChangesPage
	decode(t, e.do("GET", "/changes?cursor="+itoa(int(cursor)), coop, nil).body, &page)
	if len(page.Changes) != 1 || page.Changes[0].ID != ncOpen {
		t.Fatalf("changes after accepting: %+v", page.Changes)
	}
	var nc api.NC
	decode(t, page.Changes[0].Data, &nc)
	if nc.Stage != api.StageEvidenceRequested || nc.CAStatus != api.StatusAccepted || nc.CA.AnalystComment != "Satisfait." ||
		nc.EvidenceDueDate != "2019-08-30" {
		t.Fatalf("pulled NC: %+v", nc)
	}
	done := b.get(ncPath + "?done=accept")
	if !strings.Contains(done.body, `data-testid="flash"`) || !strings.Contains(done.body, "accept CA and request evidence") ||
		!strings.Contains(done.body, `data-testid="nc-evidence-due"`) {
		t.Errorf("NC page after accepting lacks the flash or the trail")
	}

	// A second accept is refused with a clear message.
	again := b.post(ncPath+"/accept", url.Values{"csrf": {csrf}})
	wantStatus(t, again, http.StatusConflict)
	if !strings.Contains(again.body, `data-testid="error"`) {
		t.Error("no error shown")
	}

	// Confirm the entered NC, and write a message.
	wantStatus(t, b.post("/console/orgs/3542/ncs/"+hiddenNC+"/confirm", url.Values{"csrf": {csrf}, "due": {"2019-09-30"}}), http.StatusSeeOther)
	if nc := e.nc(coop, hiddenNC); nc.Stage != api.StageCARequested || nc.DueDate != "2019-09-30" {
		t.Fatalf("confirmed via console: %+v", nc)
	}
	wantStatus(t, b.post(ncPath+"/message", url.Values{"csrf": {csrf}, "body": {"Merci, envoyez les listes."}}), http.StatusSeeOther)
	ms := e.messages(coop, ncOpen)
	if last := ms[len(ms)-1]; last.Body != "Merci, envoyez les listes." || last.Author != "Claire Dubois" {
		t.Fatalf("last message: %+v", last)
	}
}

func TestConsoleAuditor(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	wantStatus(t, b.login("auditor"), http.StatusSeeOther)
	auditPath := "/console/orgs/27816/audits/AO-41207"
	p := b.get(auditPath)
	wantStatus(t, p, http.StatusOK)
	for _, want := range []string{`name="enter-nc"`, `name="import"`} {
		if !strings.Contains(p.body, want) {
			t.Fatalf("audit page lacks %s", want)
		}
	}
	csrf := csrfOf(t, p)
	wantStatus(t, b.post(auditPath+"/ncs", url.Values{"csrf": {csrf}, "criterion_number": {"3.5.0.01"}, "criterion_type": {"core"},
		"finding": {"Registre incomplet."}, "score": {""}}), http.StatusSeeOther)
	wantStatus(t, b.post(auditPath+"/ncs", url.Values{"csrf": {csrf}, "criterion_number": {"3.5.0.01"}, "criterion_type": {"core"}}), http.StatusBadRequest)

	// Upload a closing report.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", csrf)
	mw.WriteField("format", "auto")
	fw, _ := mw.CreateFormFile("report", "closing.csv")
	fw.Write([]byte("criterion_number,criterion_text,criterion_type,finding,score\n2.1.0.01,Comité,core,Pas élu,\n4.3.0.02,Eau,voluntary,Pas mesuré,3\n"))
	mw.Close()
	req, _ := http.NewRequest("POST", e.http.URL+auditPath+"/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	got := b.send(req)
	wantStatus(t, got, http.StatusSeeOther)
	if !strings.Contains(got.location, "n=2") {
		t.Fatalf("import redirect: %q", got.location)
	}
	p = b.get(auditPath)
	if n := strings.Count(p.body, "entered — awaiting analyst confirmation"); n != 3 {
		t.Fatalf("entered NCs on the audit page: %d, want 3", n)
	}
	// Auditors do not evaluate CAs.
	wantStatus(t, b.post("/console/orgs/27816/ncs/NC-171521-2019/accept", url.Values{"csrf": {csrf}}), http.StatusForbidden)
}

// The console's failed logins count with the API's: once the limit is reached the
// form answers 429 with Retry-After, even to the right password.
func TestConsoleLoginRateLimit(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	try := func(password string) page {
		lp := b.get("/console/login")
		return b.post("/console/login", url.Values{"csrf": {csrfOf(t, lp)}, "username": {"analyst"}, "password": {password}})
	}
	for range auth.LoginFailures {
		wantStatus(t, try("nope"), http.StatusUnauthorized)
	}
	p := try("analyst")
	wantStatus(t, p, http.StatusTooManyRequests)
	if s, err := strconv.Atoi(p.header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After of a refused console login: %q", p.header.Get("Retry-After"))
	}
}
