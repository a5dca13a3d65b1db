package server

import (
	"net/http"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/team"
)

// The routes of the organisation's accounts, over team.Service: its manager's only.

// manager serves a route to the manager of a producer organisation only: staff get
// 403 forbidden_role.
func manager(h handlerFunc) func(*Server) http.Handler {
	return client(func(s *Server, w http.ResponseWriter, r *http.Request) {
		if err := team.CheckManager(auth.CallerOf(r.Context()).User); err != nil {
			s.writeError(w, r, err)
			return
		}
		h(s, w, r)
	})
}

func (s *Server) team() *team.Service { return team.New(s.store, s.auth) }

func (s *Server) handleOrgUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.team().List(r.Context(), auth.CallerOf(r.Context()).User)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	httpjson.Write(w, r, http.StatusOK, api.OrgUsers{Users: users})
}

func (s *Server) handleCreateStaff(w http.ResponseWriter, r *http.Request) {
	var req api.NewStaffRequest
	if err := httpjson.Decode(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := s.team().Create(r.Context(), auth.CallerOf(r.Context()).User, req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	httpjson.Write(w, r, http.StatusCreated, u)
}

func (s *Server) handleDisableStaff(w http.ResponseWriter, r *http.Request) {
	s.setDisabled(w, r, true)
}
func (s *Server) handleEnableStaff(w http.ResponseWriter, r *http.Request) {
	s.setDisabled(w, r, false)
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	u, err := s.team().SetDisabled(r.Context(), auth.CallerOf(r.Context()).User, r.PathValue("username"), disabled)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	httpjson.Write(w, r, http.StatusOK, u)
}

func (s *Server) handleResetStaffPassword(w http.ResponseWriter, r *http.Request) {
	u, err := s.team().ResetPassword(r.Context(), auth.CallerOf(r.Context()).User, r.PathValue("username"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	httpjson.Write(w, r, http.StatusOK, u)
}
