package cycle

import (
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

func TestCycleOfAnAudit(t *testing.T) {
	today := time.Date(2026, 12, 5, 9, 0, 0, 0, time.Local)
	audit := api.Audit{ID: "AO-1", Date: "2026-10-24", Status: "in_evaluation"}
	nc := func(id, stage string, due, evDue api.Date) api.NC {
		return api.NC{ID: id, AuditID: "AO-1", Stage: stage, ReceivedDate: "2026-11-05", DueDate: due, EvidenceDueDate: evDue}
	}
	states := func(c AuditCycle) string {
		out := ""
		for _, s := range c.Steps {
			out += s.State[:1]
		}
		return out
	}
	cases := []struct {
		name    string
		audit   api.Audit
		ncs     []api.NC
		current string
		states  string // d(one) c(urrent) t(odo), one letter per step
		next    *NextDue
	}{
		// Before the audit, and before the analyst confirmed anything.
		{"planned", api.Audit{ID: "AO-1", Date: "2027-01-10", Status: "planned"}, nil, StepAudit, "cttttt", nil},
		{"performed", audit, nil, StepConfirmed, "dctttt", &NextDue{Who: ByAnalyst, What: StepConfirmed}},
		// The client's turn: the NC due first is next, whatever else is further on.
		{"corrective measures", audit, []api.NC{
			nc("NC-b", api.StageCARequested, "2026-12-20", ""),
			nc("NC-a", api.StageCAReturned, "2026-12-10", ""),
			nc("NC-c", api.StageEvidenceSubmitted, "2026-11-01", "2026-12-01"),
		}, StepCA, "ddcttt", &NextDue{Who: ByClient, What: StepCA, NCID: "NC-a", Due: "2026-12-10", Count: 2}},
		// Evidence: its own deadline, overdue here, never the CA's old one.
		{"evidence", audit, []api.NC{
			nc("NC-a", api.StageEvidenceRequested, "2026-11-20", "2026-12-01"),
			nc("NC-b", api.StageClosed, "2026-11-20", ""),
		}, StepEvidence, "dddctt", &NextDue{Who: ByClient, What: StepEvidence, NCID: "NC-a", Due: "2026-12-01", Count: 1}},
		{"evidence without a deadline set", audit, []api.NC{
			nc("NC-a", api.StageEvidenceRequested, "2026-11-20", ""),
		}, StepEvidence, "dddctt", &NextDue{Who: ByClient, What: StepEvidence, NCID: "NC-a", Count: 1}},
		// The analyst's turn.
		{"evaluation", audit, []api.NC{
			nc("NC-a", api.StageCASubmitted, "2026-11-20", ""),
			nc("NC-b", api.StageEvidenceSubmitted, "2026-11-20", "2026-12-01"),
		}, StepEvaluation, "ddddct", &NextDue{Who: ByAnalyst, What: StepEvaluation, Count: 2}},
		{"decision", audit, []api.NC{nc("NC-a", api.StageClosed, "", "")}, StepDecision, "dddddc", &NextDue{Who: ByAnalyst, What: StepDecision}},
		{"complete", api.Audit{ID: "AO-1", Date: "2026-10-24", Status: "closed"}, []api.NC{nc("NC-a", api.StageClosed, "", "")}, "", "dddddd", nil},
	}
	for _, c := range cases {
		got := Of(c.audit, c.ncs, today)
		if got.Current != c.current || states(got) != c.states {
			t.Errorf("%s: current %q, states %s; want %q, %s", c.name, got.Current, states(got), c.current, c.states)
		}
		switch {
		case c.next == nil && got.Next != nil:
			t.Errorf("%s: next %+v, want none", c.name, *got.Next)
		case c.next != nil && got.Next == nil:
			t.Errorf("%s: no next, want %+v", c.name, *c.next)
		case c.next != nil:
			g := *got.Next
			g.DaysLeft = nil
			if g != *c.next {
				t.Errorf("%s: next %+v, want %+v", c.name, g, *c.next)
			}
		}
	}
	// Days left count to the real deadline.
	got := Of(audit, []api.NC{nc("NC-a", api.StageEvidenceRequested, "2019-06-01", "2026-12-01")}, today)
	if got.Next == nil || got.Next.DaysLeft == nil || *got.Next.DaysLeft != -4 {
		t.Errorf("days left to the evidence deadline: %+v", got.Next)
	}
	if got.Steps[1].Date != "2026-11-05" || got.Steps[0].Date != "2026-10-24" {
		t.Errorf("step dates: %+v", got.Steps)
	}
}
