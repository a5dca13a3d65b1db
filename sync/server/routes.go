package server

import (
	"net/http"

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
		{Route{"GET", "/audits/{id}"}, s.client(s.entityReader(api.EntityAudit))},
		{Route{"GET", "/ncs/{id}"}, s.client(s.entityReader(api.EntityNC))},
		{Route{"GET", "/ncs/{id}/messages"}, s.client(s.handleMessages)},
		{Route{"GET", "/certificates/{id}"}, s.client(s.entityReader(api.EntityCertificate))},
		{Route{"GET", "/documents/{id}"}, s.client(s.entityReader(api.EntityDocument))},
	}
}

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
		mux.Handle(r.Method+" "+api.Version+r.Path, r.handler)
	}
	// The analyst console: HTML pages, not part of the API document.
	mux.Handle("/console/", s.consoleHandler())
	mux.Handle("GET /console", http.RedirectHandler("/console/", http.StatusSeeOther))
	// Anything else gets a JSON error rather than ServeMux's plain text.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, newError(http.StatusNotFound, api.CodeNotFound, "no such route"))
	})
	return s.logRequests(securityHeaders(mux))
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}
