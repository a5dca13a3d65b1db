package server

import (
	"net/http"
	"path"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Route is one served route: an HTTP method and a path below api.Version in the
// syntax of http.ServeMux ("/files/{sha256}").
type Route struct {
	Method string
	Path   string
}

type route struct {
	Route
	handler http.HandlerFunc
}

// routes is the one table of the API; the OpenAPI document is checked against it.
func (s *Server) routes() []route {
	return []route{
		{Route{"GET", "/health"}, s.handleHealth},
		{Route{"POST", "/auth/login"}, s.handleLogin},
		{Route{"POST", "/auth/refresh"}, s.handleRefresh},
		{Route{"POST", "/auth/logout"}, s.authed(s.handleLogout)},
		{Route{"GET", "/me"}, s.authed(s.handleMe)},
		{Route{"GET", "/changes"}, s.client(s.handleChanges)},
		{Route{"POST", "/push"}, s.client(s.handlePush)},
		{Route{"GET", "/files/{sha256}"}, s.client(s.handleFile)},
		{Route{"POST", "/blobs/missing"}, s.client(s.handleBlobsMissing)},
		// Resumable uploads (tus 1.0, see uploads.go). OPTIONS is tus' discovery: open.
		{Route{"OPTIONS", api.UploadsPath}, s.tusRoute(nil, false)},
		{Route{"POST", api.UploadsPath}, s.tusRoute(s.tusPost, false)},
		{Route{"OPTIONS", api.UploadsPath + "{id}"}, s.tusRoute(nil, false)},
		{Route{"HEAD", api.UploadsPath + "{id}"}, s.tusRoute(s.tusHead, true)},
		{Route{"PATCH", api.UploadsPath + "{id}"}, s.tusRoute(s.tusPatch, true)},
		{Route{"DELETE", api.UploadsPath + "{id}"}, s.tusRoute(s.tusDelete, true)},
		{Route{"GET", "/audits/{id}"}, s.client(s.entityReader(api.EntityAudit))},
		{Route{"GET", "/ncs/{id}"}, s.client(s.entityReader(api.EntityNC))},
		{Route{"GET", "/ncs/{id}/messages"}, s.client(s.handleMessages)},
		{Route{"GET", "/certificates/{id}"}, s.client(s.entityReader(api.EntityCertificate))},
		{Route{"GET", "/documents/{id}"}, s.client(s.entityReader(api.EntityDocument))},
	}
}

// tusRoute builds the handler of an upload route. Routes() builds the table on a
// zero Server, which has no upload handler: it only needs the routes' names.
func (s *Server) tusRoute(h func(*uploads) http.HandlerFunc, owned bool) http.HandlerFunc {
	if s.uploads == nil {
		return nil
	}
	var next http.HandlerFunc
	if h != nil {
		next = h(s.uploads)
	}
	switch {
	case h == nil:
		return s.tusServe(nil)
	case owned:
		return s.client(s.tusOwned(next))
	default:
		return s.client(s.tusServe(next))
	}
}

func (s *Server) tusPost(u *uploads) http.HandlerFunc   { return u.h.PostFile }
func (s *Server) tusHead(u *uploads) http.HandlerFunc   { return u.h.HeadFile }
func (s *Server) tusPatch(u *uploads) http.HandlerFunc  { return u.h.PatchFile }
func (s *Server) tusDelete(u *uploads) http.HandlerFunc { return u.h.DelFile }

// Routes lists the served routes, for documentation checks.
func Routes() []Route {
	var out []Route
	for _, r := range (&Server{}).routes() {
		out = append(out, r.Route)
	}
	return out
}

func (s *Server) routesHandler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routes() {
		pattern := r.Method + " " + api.Version + r.Path
		if strings.HasSuffix(pattern, "/") {
			pattern += "{$}" // exactly this path, not the subtree
		}
		mux.Handle(pattern, r.handler)
	}
	// The analyst console: HTML pages, not part of the API document.
	mux.Handle("/console/", s.consoleHandler())
	mux.Handle("GET /console", http.RedirectHandler("/console/", http.StatusSeeOther))
	// Anything else gets a JSON error rather than ServeMux's plain text.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, newError(http.StatusNotFound, api.CodeNotFound, "no such route"))
	})
	return s.logRequests(securityHeaders(canonicalPaths(s, mux)))
}

// canonicalPaths refuses API paths with dot or empty segments ("/ncs/../x", "//"),
// which ServeMux would answer with a redirect in HTML: no client builds such a path, so
// it gets the API's error instead. Escaped slashes and dots ("..%2f") are not segments:
// they reach the handlers as part of an id, which then does not exist.
func canonicalPaths(s *Server, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.EscapedPath()
		if strings.HasPrefix(p, api.Version+"/") {
			clean := path.Clean(p)
			if strings.HasSuffix(p, "/") {
				clean += "/"
			}
			if clean != p {
				s.writeError(w, r, badRequest("the path must be canonical: no empty, . or .. segments"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}
