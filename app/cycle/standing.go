package cycle

import (
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Certification statuses the app derives from the data, beyond the server's own
// (certified, suspended, decertified, in_progress): a status the dates contradict is
// never shown as it came.
const (
	StandingExpired      = "expired"       // the certificate (or the cycle) ended
	StandingAuditOverdue = "audit_overdue" // the next audit was due and is not recorded
)

// Standing is the certification status as it stands today, and since when for the
// statuses the app derives.
type Standing struct {
	Status string   `json:"status"`
	Since  api.Date `json:"since"` // empty for the server's own statuses
}

// JudgeStanding judges the server's status against today: "certified" with an expired
// certificate (or cycle) is expired since the day after it ended; with the next audit's
// date passed, audit_overdue since that date. Other statuses are the server's. Nil
// when there is no certification data.
func JudgeStanding(c *api.Certification, latest *api.Certificate, today time.Time) *Standing {
	if c == nil {
		return nil
	}
	s := &Standing{Status: c.Status}
	if c.Status != "certified" {
		return s
	}
	day := api.Date(today.Format(time.DateOnly))
	end := c.CycleEnd
	if latest != nil && latest.ValidUntil != "" {
		end = latest.ValidUntil
	}
	if end != "" && end < day {
		s.Status, s.Since = StandingExpired, dayAfter(end)
	} else if c.NextAuditDue != "" && c.NextAuditDue < day {
		s.Status, s.Since = StandingAuditOverdue, c.NextAuditDue
	}
	return s
}

// dayAfter is the day after d; d itself when it is not a date.
func dayAfter(d api.Date) api.Date {
	t, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return d
	}
	return api.Date(t.AddDate(0, 0, 1).Format(time.DateOnly))
}
