package server

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/calendar"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
)

// The calendar feed (package calendar): a client user makes, checks and revokes its
// own feed with its token; calendar programs read it with none.

func (s *Server) calendar() *calendar.Service { return calendar.New(s.store, s.now) }

func (s *Server) handleCreateCalendarFeed(w http.ResponseWriter, r *http.Request) {
	var req api.CalendarFeedRequest
	if err := httpjson.Decode(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	f, err := s.calendar().Create(r.Context(), auth.CallerOf(r.Context()).User.Username, req.Lang)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	f.URL = scheme + "://" + r.Host + f.Path
	httpjson.Write(w, r, http.StatusCreated, f)
}

func (s *Server) handleCalendarFeed(w http.ResponseWriter, r *http.Request) {
	f, err := s.calendar().Status(r.Context(), auth.CallerOf(r.Context()).User.Username)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	httpjson.Write(w, r, http.StatusOK, f)
}

func (s *Server) handleRevokeCalendarFeed(w http.ResponseWriter, r *http.Request) {
	if err := s.calendar().Revoke(r.Context(), auth.CallerOf(r.Context()).User.Username); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleCalendarFile serves GET /calendar/{file}: file is the token and ".ics".
func (s *Server) handleCalendarFile(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		s.writeError(w, r, calendar.ErrNoFeed)
		return
	}
	f, err := s.calendar().Read(r.Context(), token)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("ETag", f.ETag)
	// Private: the feed is one organisation's, whatever cache sits between.
	h.Set("Cache-Control", "private, no-cache")
	// ServeContent answers If-None-Match and If-Modified-Since with 304.
	http.ServeContent(w, r, "", f.Modified, bytes.NewReader(f.Body))
}
