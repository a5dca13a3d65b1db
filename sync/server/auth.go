package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
)

// The routes of logins and tokens, over auth.Service.

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req api.LoginRequest
	if err := httpjson.Decode(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Username == "" || req.Password == "" || len(req.Username) > 200 || len(req.Password) > 1000 {
		s.writeError(w, r, problem.BadRequest("username and password are required"))
		return
	}
	u, err := s.auth.Login(r.Context(), req.Username, req.Password, auth.RemoteHost(r))
	if err != nil {
		var le *auth.LimitError
		if errors.As(err, &le) {
			w.Header().Set("Retry-After", strconv.Itoa(le.RetryAfterSeconds()))
		}
		s.writeError(w, r, err)
		return
	}
	s.writeSession(w, r)(s.auth.Issue(r.Context(), u, ""))
}

// handleRefresh exchanges a refresh token for a new pair of the same family
// (auth.Service.Refresh).
func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) {
	var req api.RefreshRequest
	if err := httpjson.Decode(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeSession(w, r)(s.auth.Refresh(r.Context(), req.RefreshToken))
}

// writeSession returns a function answering a new session, or the error of making it.
func (s *Server) writeSession(w http.ResponseWriter, r *http.Request) func(api.Session, error) {
	return func(sess api.Session, err error) {
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		httpjson.Write(w, r, http.StatusOK, sess)
	}
}

// handleLogout revokes the caller's session and, when the body names one, the session
// of a refresh token of the same user (auth.Service.Logout).
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	var req api.RefreshRequest
	if r.ContentLength != 0 {
		if err := httpjson.Decode(w, r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if err := s.auth.Logout(r.Context(), auth.CallerOf(r.Context()), req.RefreshToken); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handlePassword changes the caller's password and ends the user's other sessions,
// keeping this one (auth.Service.ChangePassword).
func (s *Server) handlePassword(w http.ResponseWriter, r *http.Request) {
	var req api.PasswordRequest
	if err := httpjson.Decode(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Current == "" || req.New == "" || len(req.Current) > 1000 || len(req.New) > 1000 {
		s.writeError(w, r, problem.BadRequest("current and new are required, at most 1000 bytes each"))
		return
	}
	c := auth.CallerOf(r.Context())
	if err := s.auth.ChangePassword(r.Context(), c.User.Username, req.Current, req.New, auth.RemoteHost(r), c.Family, ""); err != nil {
		var le *auth.LimitError
		if errors.As(err, &le) {
			w.Header().Set("Retry-After", strconv.Itoa(le.RetryAfterSeconds()))
		}
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	httpjson.Write(w, r, http.StatusOK, auth.CallerOf(r.Context()).User)
}

// authed wraps a handler that needs a valid access token.
func (s *Server) authed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.auth.Authenticate(r.Context(), r.Header.Get("Authorization"))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ecert"`)
			s.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithCaller(r.Context(), c)))
	})
}

// client wraps a handler reserved to users of a producer organisation.
func (s *Server) client(next http.Handler) http.Handler {
	return s.authed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u := auth.CallerOf(r.Context()).User; u.Role != api.RoleClient || u.OrgID == "" {
			s.writeError(w, r, problem.Forbidden())
			return
		}
		next.ServeHTTP(w, r)
	}))
}
