package server

import (
	"bytes"
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The analyst console: server-rendered pages under /console/ for analysts and
// auditors. Sessions are cookies backed by the console_sessions table; every POST
// carries the session's CSRF token.

//go:embed console
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
func maxConsoleForm() int64 { return MaxClosingReportBytes + 1<<20 }

type consoleCtxKey struct{}

// consoleUser is the logged-in user of a console request.
type consoleUser struct {
	UserRecord
	session ConsoleSession
}

func consoleUserOf(r *http.Request) consoleUser {
	u, _ := r.Context().Value(consoleCtxKey{}).(consoleUser)
	return u
}

var consoleTemplates = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, page := range []string{"login", "orgs", "org", "nc", "audit", "message"} {
		out[page] = template.Must(template.New(page).Funcs(consoleFuncs).
			ParseFS(consoleFS, "console/layout.html", "console/"+page+".html"))
	}
	return out
}()

func (s *Server) consoleHandler() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("GET /console/style.css", s.consoleCSS)
	m.HandleFunc("GET /console/login", s.consoleLoginPage)
	m.HandleFunc("POST /console/login", s.consoleLogin)
	m.HandleFunc("POST /console/logout", s.consoleAuthed(s.consoleLogout))
	m.HandleFunc("GET /console/{$}", s.consoleAuthed(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console/orgs", http.StatusSeeOther)
	}))
	m.HandleFunc("GET /console/orgs", s.consoleAuthed(s.consoleOrgs))
	m.HandleFunc("GET /console/orgs/{org}", s.consoleAuthed(s.consoleOrg))
	m.HandleFunc("GET /console/orgs/{org}/ncs/{nc}", s.consoleAuthed(s.consoleNC))
	m.HandleFunc("POST /console/orgs/{org}/ncs/{nc}/{action}", s.consoleAuthed(s.consoleNCAction))
	m.HandleFunc("GET /console/orgs/{org}/audits/{audit}", s.consoleAuthed(s.consoleAudit))
	m.HandleFunc("POST /console/orgs/{org}/audits/{audit}/ncs", s.consoleAuthed(s.consoleEnterNC))
	m.HandleFunc("POST /console/orgs/{org}/audits/{audit}/import", s.consoleAuthed(s.consoleImport))
	m.HandleFunc("POST /console/orgs/{org}/audits/{audit}/finalise", s.consoleAuthed(s.consoleFinalise))
	m.HandleFunc("GET /console/orgs/{org}/ncs/{nc}/evidence/{id}", s.consoleAuthed(s.consoleEvidenceFile))
	m.HandleFunc("/console/", func(w http.ResponseWriter, r *http.Request) {
		s.consoleMessage(w, r, http.StatusNotFound, "Not found", "There is no such page.")
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

func (s *Server) consoleCSS(w http.ResponseWriter, r *http.Request) {
	b, err := consoleFS.ReadFile("console/style.css")
	if err != nil {
		http.Error(w, "no stylesheet", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

// page is what every template gets; Data is the page's own.
type page struct {
	Title string
	User  *consoleUser
	CSRF  string
	Flash string
	Error string
	Data  any
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	if u := consoleUserOf(r); u.Username != "" {
		p.User = &u
		if p.CSRF == "" {
			p.CSRF = u.session.CSRF
		}
	}
	var buf bytes.Buffer
	if err := consoleTemplates[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.ErrorContext(r.Context(), "render console page", keyPath, r.URL.Path, keyError, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// consoleMessage renders a page with only a title and a sentence.
func (s *Server) consoleMessage(w http.ResponseWriter, r *http.Request, status int, title, text string) {
	s.render(w, r, status, "message", page{Title: title, Data: text})
}

// consoleAuthed wraps a page that needs a logged-in analyst or auditor. A POST must
// also carry the session's CSRF token and, when the browser says where it comes from,
// come from this site.
func (s *Server) consoleAuthed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := s.consoleSession(r)
		if err != nil {
			if !errors.Is(err, ErrNotFound) {
				s.log.ErrorContext(r.Context(), "console session", keyError, err)
			}
			if r.Method != http.MethodGet {
				s.consoleMessage(w, r, http.StatusForbidden, "Logged out", "Your session has ended. Log in again.")
				return
			}
			http.Redirect(w, r, "/console/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), consoleCtxKey{}, u))
		if r.Method == http.MethodPost {
			if !sameOrigin(r) || !s.parseConsoleForm(w, r) ||
				subtle.ConstantTimeCompare([]byte(r.PostFormValue(consoleCSRFField)), []byte(u.session.CSRF)) != 1 {
				s.consoleMessage(w, r, http.StatusForbidden, "Refused", "The form was stale or did not come from this console. Reload the page and try again.")
				return
			}
		}
		next(w, r)
	}
}

func (s *Server) parseConsoleForm(w http.ResponseWriter, r *http.Request) bool {
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

func (s *Server) consoleSession(r *http.Request) (consoleUser, error) {
	c, err := r.Cookie(consoleCookie)
	if err != nil || c.Value == "" {
		return consoleUser{}, ErrNotFound
	}
	cs, err := s.store.ConsoleSession(r.Context(), hashToken(c.Value))
	if err != nil {
		return consoleUser{}, err
	}
	if !s.now().Before(cs.ExpiresAt) {
		return consoleUser{}, ErrNotFound
	}
	u, err := s.store.User(r.Context(), cs.Username)
	if err != nil {
		return consoleUser{}, err
	}
	if u.Role != api.RoleAnalyst && u.Role != api.RoleAuditor {
		return consoleUser{}, ErrNotFound
	}
	return consoleUser{UserRecord: u, session: cs}, nil
}

type loginData struct {
	Username string
	Next     string
}

func (s *Server) consoleLoginPage(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, http.StatusOK, "", "", r.URL.Query().Get("next"))
}

// renderLogin shows the login form with a fresh double-submit CSRF token: the same
// random value in a cookie and in the form.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, msg, username, next string) {
	token := newToken()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/console/login",
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	s.render(w, r, status, "login", page{Title: "Log in", CSRF: token, Error: msg,
		Data: loginData{Username: username, Next: safeNext(next)}})
}

// safeNext keeps a redirect target inside the console.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/console/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/console/orgs"
	}
	return next
}

func (s *Server) consoleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.consoleMessage(w, r, http.StatusBadRequest, "Bad request", "The form could not be read.")
		return
	}
	c, err := r.Cookie(loginCSRFCookie)
	if !sameOrigin(r) || err != nil || c.Value == "" ||
		subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue(consoleCSRFField))) != 1 {
		s.consoleMessage(w, r, http.StatusForbidden, "Refused", "The login form was stale. Open the login page again.")
		return
	}
	username, password, next := r.PostFormValue("username"), r.PostFormValue("password"), r.PostFormValue("next")
	if username == "" || password == "" || len(username) > 200 || len(password) > 1000 {
		s.renderLogin(w, r, http.StatusBadRequest, "Enter your username and password.", username, next)
		return
	}
	keys := []string{"user:" + strings.ToLower(username), "addr:" + remoteHost(r)}
	if s.limiter.blocked(keys...) {
		s.renderLogin(w, r, http.StatusTooManyRequests, "Too many failed logins. Wait a minute and try again.", username, next)
		return
	}
	u, err := s.store.User(r.Context(), username)
	hash := u.PasswordHash
	if errors.Is(err, ErrNotFound) {
		hash = dummyHash
	} else if err != nil {
		s.consoleError(w, r, err)
		return
	}
	ok, cerr := checkPassword(hash, password)
	if cerr != nil {
		s.consoleError(w, r, fmt.Errorf("check password of %q: %w", username, cerr))
		return
	}
	if err != nil || !ok {
		s.limiter.fail(keys...)
		s.renderLogin(w, r, http.StatusUnauthorized, "Wrong username or password.", username, next)
		return
	}
	if u.Role != api.RoleAnalyst && u.Role != api.RoleAuditor {
		s.renderLogin(w, r, http.StatusForbidden, "This console is for FLOCERT analysts and auditors. Producer organisations use Ecert Desktop.", username, next)
		return
	}
	if err := s.store.DeleteExpiredTokens(r.Context(), s.now()); err != nil {
		s.log.WarnContext(r.Context(), "delete expired sessions", keyError, err)
	}
	token := newToken()
	cs := ConsoleSession{Hash: hashToken(token), Username: u.Username, CSRF: newToken(), ExpiresAt: s.now().Add(ConsoleSessionTTL)}
	if err := s.store.PutConsoleSession(r.Context(), cs); err != nil {
		s.consoleError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: consoleCookie, Value: token, Path: "/console/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: int(ConsoleSessionTTL / time.Second)})
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: "", Path: "/console/login", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

func (s *Server) consoleLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.store.DeleteConsoleSession(r.Context(), consoleUserOf(r).session.Hash); err != nil {
		s.consoleError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: consoleCookie, Value: "", Path: "/console/", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
}

// consoleError answers an unexpected error: logged, never shown.
func (s *Server) consoleError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrNotFound) {
		s.consoleMessage(w, r, http.StatusNotFound, "Not found", "There is no such organisation, audit or NC.")
		return
	}
	s.log.ErrorContext(r.Context(), "console request failed", keyMethod, r.Method, keyPath, r.URL.Path, keyError, err)
	s.consoleMessage(w, r, http.StatusInternalServerError, "Error", "Something went wrong on the server. Try again.")
}
