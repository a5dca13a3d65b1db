package cycle

import (
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

func TestStandingIsHonestWhateverTheData(t *testing.T) {
	today := time.Date(2026, 12, 5, 15, 0, 0, 0, time.Local)
	cert := func(status string, end, nextAudit api.Date) *api.Certification {
		return &api.Certification{Status: status, CycleStart: "2024-01-10", CycleEnd: end, NextAuditDue: nextAudit}
	}
	valid := func(until api.Date) *api.Certificate { return &api.Certificate{ValidUntil: until} }
	cases := []struct {
		name   string
		c      *api.Certification
		latest *api.Certificate
		want   Standing
	}{
		// As the server says, when the dates agree.
		{"current", cert("certified", "2027-01-09", "2027-01-01"), valid("2027-01-09"), Standing{"certified", ""}},
		{"valid until today", cert("certified", "2026-12-05", ""), valid("2026-12-05"), Standing{"certified", ""}},
		{"audit due today", cert("certified", "2027-01-09", "2026-12-05"), nil, Standing{"certified", ""}},
		{"suspended stays suspended", cert("suspended", "2020-01-01", "2019-01-01"), nil, Standing{"suspended", ""}},
		// Never plain "certified" when the dates say otherwise.
		{"certificate expired", cert("certified", "2027-01-09", "2027-01-01"), valid("2023-10-14"), Standing{"expired", "2023-10-15"}},
		{"cycle ended, no certificate", cert("certified", "2026-12-04", ""), nil, Standing{"expired", "2026-12-05"}},
		{"audit overdue", cert("certified", "2027-01-09", "2026-11-30"), valid("2027-01-09"), Standing{"audit_overdue", "2026-11-30"}},
		{"expired wins over audit", cert("certified", "2023-10-14", "2020-10-15"), nil, Standing{"expired", "2023-10-15"}},
	}
	for _, c := range cases {
		if got := JudgeStanding(c.c, c.latest, today); got == nil || *got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
	if got := JudgeStanding(nil, nil, today); got != nil {
		t.Errorf("no certification: got %+v, want nil", got)
	}
}
