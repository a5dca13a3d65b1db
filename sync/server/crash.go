package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// CrashReportsPerDay is how many crash reports one organisation may send per UTC day;
// more are refused with rate_limited until the next day. A package variable so that
// tests can shrink it.
var CrashReportsPerDay = 50

// handleCrashReport keeps a desktop app's crash report for the operators (the console's
// crashes page). A report sent again (same id) is answered as a duplicate.
func (s *Server) handleCrashReport(w http.ResponseWriter, r *http.Request) {
	var rep api.CrashReport
	if err := httpjson.DecodeMax(w, r, &rep, api.MaxCrashReportBytes); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := rep.Check(); err != nil {
		s.writeError(w, r, problem.BadRequest("invalid crash report: "+err.Error()))
		return
	}
	now := s.now().UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	org := auth.CallerOf(r.Context()).User.OrgID
	added, err := s.store.AddCrashReport(r.Context(), store.CrashRecord{OrgID: org, ReceivedAt: now, Report: rep}, day, CrashReportsPerDay)
	if errors.Is(err, store.ErrCrashLimit) {
		w.Header().Set("Retry-After", "3600")
		s.writeError(w, r, problem.WithStatus(api.CodeRateLimited, http.StatusTooManyRequests, "the organisation sent its crash reports of the day"))
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	status := http.StatusCreated
	if !added {
		status = http.StatusOK
	}
	httpjson.Write(w, r, status, api.CrashReportResult{ID: rep.ID, Duplicate: !added})
}
