package server

import (
	"net/http"
	"path"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/console"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
)

// Route is one served route: an HTTP method and a path in the syntax of http.ServeMux.
// An API route's path is below api.Version ("/files/{sha256}"); a console page's is
// the whole path ("/console/orgs/{org}").
type Route struct {
	Method  string
	Path    string
	Console bool // an analyst console page: HTML, not in the API document
}

// route is a Route and how a server serves it.
type route struct {
	Route
	bind func(s *Server) http.Handler
}

// table is the one table of the API; the OpenAPI document and the security suites are
// checked against it (with the console's pages, Routes).
var table = []route{
	{Route{Method: "GET", Path: "/health"}, open((*Server).handleHealth)},
	{Route{Method: "POST", Path: "/auth/login"}, open((*Server).handleLogin)},
	{Route{Method: "POST", Path: "/auth/refresh"}, open((*Server).handleRefresh)},
	{Route{Method: "POST", Path: "/auth/logout"}, authed((*Server).handleLogout)},
	{Route{Method: "POST", Path: "/auth/password"}, client((*Server).handlePassword)},
	{Route{Method: "GET", Path: "/me"}, authed((*Server).handleMe)},
	{Route{Method: "GET", Path: "/changes"}, client((*Server).handleChanges)},
	{Route{Method: "POST", Path: "/push"}, client((*Server).handlePush)},
	{Route{Method: "GET", Path: "/trail"}, client((*Server).handleTrail)},
	{Route{Method: "GET", Path: "/files/{sha256}"}, client((*Server).handleFile)},
	{Route{Method: "POST", Path: "/blobs/missing"}, client((*Server).handleBlobsMissing)},
	// Resumable uploads (tus 1.0, package uploads). OPTIONS is tus' discovery: open.
	{Route{Method: "OPTIONS", Path: api.UploadsPath}, func(s *Server) http.Handler { return s.uploads.Discovery() }},
	{Route{Method: "POST", Path: api.UploadsPath}, func(s *Server) http.Handler { return s.client(s.uploads.Create()) }},
	{Route{Method: "OPTIONS", Path: api.UploadsPath + "{id}"}, func(s *Server) http.Handler { return s.uploads.Discovery() }},
	{Route{Method: "HEAD", Path: api.UploadsPath + "{id}"}, func(s *Server) http.Handler { return s.client(s.uploads.Head()) }},
	{Route{Method: "PATCH", Path: api.UploadsPath + "{id}"}, func(s *Server) http.Handler { return s.client(s.uploads.Patch()) }},
	{Route{Method: "DELETE", Path: api.UploadsPath + "{id}"}, func(s *Server) http.Handler { return s.client(s.uploads.Delete()) }},
	{Route{Method: "GET", Path: "/audits/{id}"}, entity(api.EntityAudit)},
	{Route{Method: "GET", Path: "/ncs/{id}"}, entity(api.EntityNC)},
	{Route{Method: "GET", Path: "/ncs/{id}/messages"}, client((*Server).handleMessages)},
	{Route{Method: "GET", Path: "/certificates/{id}"}, entity(api.EntityCertificate)},
	{Route{Method: "GET", Path: "/documents/{id}"}, entity(api.EntityDocument)},
	// The desktop app's signed releases (release.go): public, as the app checks them
	// before anyone logs in; the admission limit applies as to every other route.
	{Route{Method: "GET", Path: "/release/manifest"}, open((*Server).handleReleaseManifest)},
	{Route{Method: "GET", Path: "/release/files/{name}"}, open((*Server).handleReleaseFile)},
	{Route{Method: "POST", Path: api.CrashReportsPath}, client((*Server).handleCrashReport)},
	{Route{Method: "GET", Path: "/directory"}, client((*Server).handleDirectory)},
	{Route{Method: "GET", Path: "/directory/{flo_id}"}, client((*Server).handleOperator)},
	// The organisation's accounts (team.go): its manager's only.
	{Route{Method: "GET", Path: api.OrgUsersPath}, manager((*Server).handleOrgUsers)},
	{Route{Method: "POST", Path: api.OrgUsersPath}, manager((*Server).handleCreateStaff)},
	{Route{Method: "POST", Path: api.OrgUsersPath + "/{username}/disable"}, manager((*Server).handleDisableStaff)},
	{Route{Method: "POST", Path: api.OrgUsersPath + "/{username}/enable"}, manager((*Server).handleEnableStaff)},
	{Route{Method: "POST", Path: api.OrgUsersPath + "/{username}/password"}, manager((*Server).handleResetStaffPassword)},
	// The calendar feed (calendar.go): a client user's own; the feed itself is read by
	// calendar programs, which cannot log in: its token is in the path.
	{Route{Method: "POST", Path: api.CalendarFeedPath}, client((*Server).handleCreateCalendarFeed)},
	{Route{Method: "GET", Path: api.CalendarFeedPath}, client((*Server).handleCalendarFeed)},
	{Route{Method: "DELETE", Path: api.CalendarFeedPath}, client((*Server).handleRevokeCalendarFeed)},
	{Route{Method: "GET", Path: api.CalendarPath + "{file}"}, open((*Server).handleCalendarFile)},
}

// label names the route in the metrics: "POST /push".
func (r Route) label() string { return r.Method + " " + r.Path }

// routeLabels are the labels of the table's routes.
func routeLabels() []string {
	out := make([]string, 0, len(table))
	for _, r := range table {
		out = append(out, r.label())
	}
	return out
}

// errNoRoute answers a path the server does not serve.
var errNoRoute = problem.New(api.CodeNotFound, "no such route")

type handlerFunc = func(*Server, http.ResponseWriter, *http.Request)

// open serves a route without a token.
func open(h handlerFunc) func(*Server) http.Handler {
	return func(s *Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h(s, w, r) })
	}
}

// authed serves a route to any user with a valid access token.
func authed(h handlerFunc) func(*Server) http.Handler {
	return func(s *Server) http.Handler { return s.authed(open(h)(s)) }
}

// client serves a route to users of a producer organisation only.
func client(h handlerFunc) func(*Server) http.Handler {
	return func(s *Server) http.Handler { return s.client(open(h)(s)) }
}

// entity serves GET /<entities>/{id} of one kind to clients.
func entity(kind string) func(*Server) http.Handler {
	return client(func(s *Server, w http.ResponseWriter, r *http.Request) { s.handleEntity(w, r, kind) })
}

// Routes lists every served route: the API's, then the console's pages.
func Routes() []Route {
	out := make([]Route, 0, len(table))
	for _, r := range table {
		out = append(out, r.Route)
	}
	for _, p := range console.Routes() {
		method, path, _ := strings.Cut(p, " ")
		out = append(out, Route{Method: method, Path: path, Console: true})
	}
	return out
}

func (s *Server) routesHandler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range table {
		pattern := r.Method + " " + api.Version + r.Path
		if strings.HasSuffix(pattern, "/") {
			pattern += "{$}" // exactly this path, not the subtree
		}
		h := r.bind(s)
		if r.Method == http.MethodPatch && r.Path == api.UploadsPath+"{id}" {
			h = s.countUploads(h)
		}
		if admits(r.Route) {
			h = s.admitted(h)
		}
		mux.Handle(pattern, s.measured(r.label(), h))
	}
	mux.Handle("GET "+MetricsPath, s.measured(MetricsPath, http.HandlerFunc(s.handleMetrics)))
	mux.Handle("GET "+ReadyPath, s.measured(ReadyPath, http.HandlerFunc(s.handleReady)))
	// The analyst console routes its own pages (console.Routes).
	mux.Handle("/console/", s.measured(routeConsole, s.console))
	mux.Handle("GET /console", http.RedirectHandler("/console/", http.StatusSeeOther))
	// Anything else gets a JSON error rather than ServeMux's plain text.
	mux.Handle("/", s.measured(routeOther, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, errNoRoute)
	})))
	return behindProxies(s.trustedProxies, s.logRequests(securityHeaders(canonicalPaths(s, mux))))
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
				s.writeError(w, r, problem.BadRequest("the path must be canonical: no empty, . or .. segments"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// writeError answers err as the API's JSON error (httpjson.WriteError).
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	httpjson.WriteError(s.log, w, r, err)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	httpjson.Write(w, r, http.StatusOK, map[string]string{"status": "ok"})
}
