package console

import (
	"bytes"
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs"
	"github.com/ecert-desktop/ecert-desktop/sync/server/console/i18n"
	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/requests"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// Refusals of auth.Login the login form answers in its own words.
var (
	errRateLimited    = problem.New(api.CodeRateLimited, "")
	errBadCredentials = problem.New(api.CodeBadCredentials, "")
)

// Store is what the console needs of the database.
type Store interface {
	store.Entities
	store.ConsoleSessions
	store.CrashReports
	User(ctx context.Context, username string) (store.UserRecord, error)
}

// Options configure a Console. All but Logger and Now are required.
type Options struct {
	Store     Store
	Blobs     blobs.Store
	Workflow  *workflow.Workflow
	Directory *directory.Directory
	Auth      *auth.Service
	Requests  *requests.Requests
	Logger    *slog.Logger
	Now       func() time.Time // nil means time.Now
}

// Console is the analyst console. Safe for concurrent use.
type Console struct {
	store   Store
	blobs   blobs.Store
	wf      *workflow.Workflow
	dir     *directory.Directory
	auth    *auth.Service
	rq      *requests.Requests
	log     *slog.Logger
	now     func() time.Time
	handler http.Handler
}

// New returns the console; it starts nothing.
func New(o Options) *Console {
	cn := &Console{store: o.Store, blobs: o.Blobs, wf: o.Workflow, dir: o.Directory, auth: o.Auth, rq: o.Requests, log: o.Logger, now: o.Now}
	if cn.log == nil {
		cn.log = slog.New(slog.DiscardHandler)
	}
	if cn.now == nil {
		cn.now = time.Now
	}
	cn.handler = cn.routes()
	return cn
}

// ServeHTTP serves the pages under /console/.
func (cn *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) { cn.handler.ServeHTTP(w, r) }

//go:embed templates
var consoleFS embed.FS

// ConsoleSessionTTL is how long a console login lasts. A package variable so that
// tests may shorten it.
var ConsoleSessionTTL = 12 * time.Hour

// Cookie names of the console.
const (
	consoleCookie    = "ecert_console"    // the session
	loginCSRFCookie  = "ecert_login_csrf" // double-submit token of the login form
	consoleCSRFField = "csrf"             // the form field of every POST
)

// maxConsoleForm caps a console POST body: a closing report plus the form around it.
func maxConsoleForm() int64 { return workflow.MaxClosingReportBytes + 1<<20 }

type consoleCtxKey struct{}

// consoleUser is the logged-in user of a console request.
type consoleUser struct {
	store.UserRecord
	session store.ConsoleSession
}

func consoleUserOf(r *http.Request) consoleUser {
	u, _ := r.Context().Value(consoleCtxKey{}).(consoleUser)
	return u
}

var consoleTemplates = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, page := range []string{"login", "orgs", "org", "nc", "audit", "message", "password", "crashes", "operator"} {
		out[page] = template.Must(template.New(page).Funcs(consoleFuncs).Funcs(funcs(i18n.For(i18n.Fallback))).
			ParseFS(consoleFS, "templates/layout.html", "templates/"+page+".html"))
	}
	return out
}()

// pageRoute is one console route: its pattern (http.ServeMux) and its handler; signed-in
// pages are behind consoleAuthed.
type pageRoute struct {
	pattern  string
	signedIn bool
	handler  func(cn *Console) http.HandlerFunc
}

// pages is the console's route table.
var pages = []pageRoute{
	{"GET /console/style.css", false, func(cn *Console) http.HandlerFunc { return cn.consoleCSS }},
	{"GET /console/login", false, func(cn *Console) http.HandlerFunc { return cn.consoleLoginPage }},
	{"GET /console/lang/{lang}", false, func(cn *Console) http.HandlerFunc { return cn.consoleLang }},
	{"POST /console/login", false, func(cn *Console) http.HandlerFunc { return cn.consoleLogin }},
	{"POST /console/logout", true, func(cn *Console) http.HandlerFunc { return cn.consoleLogout }},
	{"GET /console/password", true, func(cn *Console) http.HandlerFunc { return cn.consolePasswordPage }},
	{"POST /console/password", true, func(cn *Console) http.HandlerFunc { return cn.consolePassword }},
	{"GET /console/{$}", true, func(*Console) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/console/orgs", http.StatusSeeOther)
		}
	}},
	{"GET /console/orgs", true, func(cn *Console) http.HandlerFunc { return cn.consoleOrgs }},
	{"GET /console/orgs/{org}", true, func(cn *Console) http.HandlerFunc { return cn.consoleOrg }},
	{"POST /console/orgs/{org}/messages", true, func(cn *Console) http.HandlerFunc { return cn.consoleGeneralMessage }},
	{"POST /console/orgs/{org}/requests/{id}/{action}", true, func(cn *Console) http.HandlerFunc { return cn.consoleRequestAction }},
	{"GET /console/orgs/{org}/ncs/{nc}", true, func(cn *Console) http.HandlerFunc { return cn.consoleNC }},
	{"POST /console/orgs/{org}/ncs/{nc}/{action}", true, func(cn *Console) http.HandlerFunc { return cn.consoleNCAction }},
	{"GET /console/orgs/{org}/audits/{audit}", true, func(cn *Console) http.HandlerFunc { return cn.consoleAudit }},
	{"POST /console/orgs/{org}/audits/{audit}/ncs", true, func(cn *Console) http.HandlerFunc { return cn.consoleEnterNC }},
	{"POST /console/orgs/{org}/audits/{audit}/import", true, func(cn *Console) http.HandlerFunc { return cn.consoleImport }},
	{"POST /console/orgs/{org}/audits/{audit}/finalise", true, func(cn *Console) http.HandlerFunc { return cn.consoleFinalise }},
	{"GET /console/orgs/{org}/ncs/{nc}/evidence/{id}", true, func(cn *Console) http.HandlerFunc { return cn.consoleEvidenceFile }},
	{"GET /console/crashes", true, func(cn *Console) http.HandlerFunc { return cn.consoleCrashes }},
	{"GET /console/operators", true, func(cn *Console) http.HandlerFunc { return cn.consoleOperator }},
	{"POST /console/operators/{flo}/{action}", true, func(cn *Console) http.HandlerFunc { return cn.consoleOperatorAction }},
}

// Routes lists the console's pages as "METHOD /path" patterns of http.ServeMux.
func Routes() []string {
	out := make([]string, len(pages))
	for i, p := range pages {
		out[i] = p.pattern
	}
	return out
}

func (cn *Console) routes() http.Handler {
	m := http.NewServeMux()
	for _, p := range pages {
		h := p.handler(cn)
		if p.signedIn {
			h = cn.consoleAuthed(h)
		}
		m.HandleFunc(p.pattern, h)
	}
	m.HandleFunc("/console/", func(w http.ResponseWriter, r *http.Request) {
		cn.consoleMessage(w, r, http.StatusNotFound, "not_found")
	})
	return consoleHeaders(m)
}

// consoleHeaders replaces the API's headers with those of HTML pages: own origin
// only, no framing, no inline script or style.
func consoleHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

func (cn *Console) consoleCSS(w http.ResponseWriter, r *http.Request) {
	b, err := consoleFS.ReadFile("templates/style.css")
	if err != nil {
		http.Error(w, "no stylesheet", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

// page is what every template gets; Data is the page's own. Title, Flash and Error are
// in the request's language already.
type page struct {
	Title string
	Here  string // this page, where the language chooser comes back to
	User  *consoleUser
	CSRF  string
	Flash string
	Error string
	Data  any
}

func (cn *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	if u := consoleUserOf(r); u.Username != "" {
		p.User = &u
		if p.CSRF == "" {
			p.CSRF = u.session.CSRF
		}
	}
	p.Here = here(r)
	var buf bytes.Buffer
	tmpl, err := consoleTemplates[name].Clone()
	if err == nil {
		err = tmpl.Funcs(funcs(tr(r))).ExecuteTemplate(&buf, "layout", p)
	}
	if err != nil {
		cn.log.ErrorContext(r.Context(), "render console page", logkey.Path, r.URL.Path, logkey.Error, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", tr(r).Lang())
	w.Header().Add("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// consoleMessage renders a page with only a title and a sentence: msg.KEY.title and
// msg.KEY.text of the catalogue.
func (cn *Console) consoleMessage(w http.ResponseWriter, r *http.Request, status int, key string) {
	c := tr(r)
	cn.render(w, r, status, "message", page{Title: c.T("msg." + key + ".title"), Data: c.T("msg." + key + ".text")})
}

// consoleAuthed wraps a page that needs a logged-in analyst or auditor. A POST must
// also carry the session's CSRF token and, when the browser says where it comes from,
// come from this site.
func (cn *Console) consoleAuthed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := cn.consoleSession(r)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				cn.log.ErrorContext(r.Context(), "console session", logkey.Error, err)
			}
			if r.Method != http.MethodGet {
				cn.consoleMessage(w, r, http.StatusForbidden, "logged_out")
				return
			}
			http.Redirect(w, r, "/console/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), consoleCtxKey{}, u))
		if r.Method == http.MethodPost {
			if !sameOrigin(r) || !cn.parseConsoleForm(w, r) ||
				subtle.ConstantTimeCompare([]byte(r.PostFormValue(consoleCSRFField)), []byte(u.session.CSRF)) != 1 {
				cn.consoleMessage(w, r, http.StatusForbidden, "refused_form")
				return
			}
		}
		next(w, r)
	}
}

func (cn *Console) parseConsoleForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxConsoleForm())
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return r.ParseMultipartForm(maxConsoleForm()) == nil
	}
	return r.ParseForm() == nil
}

// sameOrigin rejects a POST whose Origin header names another site. Browsers send
// Origin on form posts; tools that send none rely on the CSRF token alone.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

func (cn *Console) consoleSession(r *http.Request) (consoleUser, error) {
	c, err := r.Cookie(consoleCookie)
	if err != nil || c.Value == "" {
		return consoleUser{}, store.ErrNotFound
	}
	cs, err := cn.store.ConsoleSession(r.Context(), auth.HashToken(c.Value))
	if err != nil {
		return consoleUser{}, err
	}
	if !cn.now().Before(cs.ExpiresAt) {
		return consoleUser{}, store.ErrNotFound
	}
	u, err := cn.store.User(r.Context(), cs.Username)
	if err != nil {
		return consoleUser{}, err
	}
	if u.Role != api.RoleAnalyst && u.Role != api.RoleAuditor {
		return consoleUser{}, store.ErrNotFound
	}
	return consoleUser{UserRecord: u, session: cs}, nil
}

type loginData struct {
	Username string
	Next     string
}

func (cn *Console) consoleLoginPage(w http.ResponseWriter, r *http.Request) {
	cn.renderLogin(w, r, http.StatusOK, "", "", r.URL.Query().Get("next"))
}

// renderLogin shows the login form with a fresh double-submit CSRF token: the same
// random value in a cookie and in the form.
func (cn *Console) renderLogin(w http.ResponseWriter, r *http.Request, status int, msg, username, next string) {
	token := auth.NewToken()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/console/login",
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	if msg != "" {
		msg = tr(r).T(msg)
	}
	cn.render(w, r, status, "login", page{Title: tr(r).T("login.title"), CSRF: token, Error: msg,
		Data: loginData{Username: username, Next: safeNext(next)}})
}

// safeNext keeps a redirect target inside the console.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/console/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/console/orgs"
	}
	return next
}

func (cn *Console) consoleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		cn.consoleMessage(w, r, http.StatusBadRequest, "bad_request")
		return
	}
	c, err := r.Cookie(loginCSRFCookie)
	if !sameOrigin(r) || err != nil || c.Value == "" ||
		subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue(consoleCSRFField))) != 1 {
		cn.consoleMessage(w, r, http.StatusForbidden, "refused_login")
		return
	}
	username, password, next := r.PostFormValue("username"), r.PostFormValue("password"), r.PostFormValue("next")
	if username == "" || password == "" || len(username) > 200 || len(password) > 1000 {
		cn.renderLogin(w, r, http.StatusBadRequest, "login.error.empty", username, next)
		return
	}
	u, err := cn.auth.Login(r.Context(), username, password, auth.RemoteHost(r))
	switch {
	case errors.Is(err, errRateLimited):
		var le *auth.LimitError
		if errors.As(err, &le) {
			w.Header().Set("Retry-After", strconv.Itoa(le.RetryAfterSeconds()))
		}
		cn.renderLogin(w, r, http.StatusTooManyRequests, "login.error.rate_limited", username, next)
		return
	case errors.Is(err, errBadCredentials):
		cn.renderLogin(w, r, http.StatusUnauthorized, "login.error.wrong", username, next)
		return
	case err != nil:
		cn.consoleError(w, r, err)
		return
	}
	if u.Role != api.RoleAnalyst && u.Role != api.RoleAuditor {
		// The password was right: say so, or the user would retry it until locked out.
		cn.renderLogin(w, r, http.StatusForbidden, "login.error.client_account", username, next)
		return
	}
	token := auth.NewToken()
	cs := store.ConsoleSession{Hash: auth.HashToken(token), Username: u.Username, CSRF: auth.NewToken(), ExpiresAt: cn.now().Add(ConsoleSessionTTL)}
	if err := cn.store.PutConsoleSession(r.Context(), cs); err != nil {
		cn.consoleError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: consoleCookie, Value: token, Path: "/console/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: int(ConsoleSessionTTL / time.Second)})
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: "", Path: "/console/login", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

func (cn *Console) consoleLogout(w http.ResponseWriter, r *http.Request) {
	if err := cn.store.DeleteConsoleSession(r.Context(), consoleUserOf(r).session.Hash); err != nil {
		cn.consoleError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: consoleCookie, Value: "", Path: "/console/", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
}

// consoleError answers an unexpected error: logged, never shown.
func (cn *Console) consoleError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, blobs.ErrNotFound) {
		cn.consoleMessage(w, r, http.StatusNotFound, "no_item")
		return
	}
	cn.log.ErrorContext(r.Context(), "console request failed", logkey.Method, r.Method, logkey.Path, r.URL.Path, logkey.Error, err)
	cn.consoleMessage(w, r, http.StatusInternalServerError, "error")
}
