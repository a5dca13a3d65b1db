// Package cycle tells where an audit stands in its certification cycle: the portal
// manual's six steps, which one the audit is at, and what is due next from whom. It is
// pure: the NCs and today's date in, the view out.
package cycle

import (
	"slices"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The steps of a certification cycle, in the portal manual's order: the audit, the NCs
// the analyst confirmed, corrective measures, evidence, the analyst's evaluation, and
// the certification decision.
const (
	StepAudit      = "audit"
	StepConfirmed  = "ncs_confirmed"
	StepCA         = "corrective_measures"
	StepEvidence   = "evidence"
	StepEvaluation = "evaluation"
	StepDecision   = "decision"
)

// CycleSteps lists the steps in order.
var CycleSteps = []string{StepAudit, StepConfirmed, StepCA, StepEvidence, StepEvaluation, StepDecision}

// States of a step.
const (
	StepDone    = "done"
	StepCurrent = "current"
	StepTodo    = "todo"
)

// Who is expected to act next.
const (
	ByClient  = "client"
	ByAnalyst = "analyst"
)

// AuditCycle is where one audit stands in its certification cycle.
type AuditCycle struct {
	Audit api.Audit   `json:"audit"`
	Steps []CycleStep `json:"steps"`
	// Current is the key of the step the cycle is at; "" when the cycle is complete.
	Current string `json:"current"`
	// Next is what is due next, from whom; nil when nothing is.
	Next *NextDue `json:"next"`
	NCs  int      `json:"ncs"`  // NCs of the audit the organisation sees
	Open int      `json:"open"` // of which not closed
}

// CycleStep is one step of the cycle: done, current or still to come, and how many
// NCs are at it.
type CycleStep struct {
	Key   string `json:"key"`
	State string `json:"state"`
	Count int    `json:"count"`
	// Date is when the step was reached, where the data says: the audit's date, the
	// first NC's received date.
	Date api.Date `json:"date"`
}

// NextDue is what is expected next: from the client (a corrective measure or evidence,
// with the real deadline of the NC due first) or from the analyst (evaluation, the
// certification decision: the data holds no deadline of theirs).
type NextDue struct {
	Who  string `json:"who"`  // client or analyst
	What string `json:"what"` // a step key: corrective_measures, evidence, evaluation, decision, ncs_confirmed
	// NCID is the NC due first (for the client), Due its step's deadline, DaysLeft until it.
	NCID     string   `json:"nc_id"`
	Due      api.Date `json:"due"`
	DaysLeft *int     `json:"days_left"`
	Count    int      `json:"count"` // NCs awaiting this
}

// All judges each audit from its NCs, the latest audit first (the given order breaks
// ties).
func All(audits []api.Audit, ncs []api.NC, today time.Time) []AuditCycle {
	byAudit := map[string][]api.NC{}
	for _, nc := range ncs {
		byAudit[nc.AuditID] = append(byAudit[nc.AuditID], nc)
	}
	out := make([]AuditCycle, 0, len(audits))
	for _, au := range audits {
		out = append(out, Of(au, byAudit[au.ID], today))
	}
	slices.SortStableFunc(out, func(a, b AuditCycle) int { return strings.Compare(string(b.Audit.Date), string(a.Audit.Date)) })
	return out
}

// Of judges one audit from its NCs. Steps before the current one are done, after it still to come; an NC
// further on (evidence sent while another NC still awaits its CA) counts at its own
// step, which stays "todo" until the cycle gets there.
func Of(au api.Audit, ncs []api.NC, today time.Time) AuditCycle {
	c := AuditCycle{Audit: au, NCs: len(ncs)}
	count := map[string]int{}
	var firstReceived api.Date
	var clientNext *api.NC
	for i, nc := range ncs {
		if nc.Stage != api.StageClosed {
			c.Open++
		}
		if nc.ReceivedDate != "" && (firstReceived == "" || nc.ReceivedDate < firstReceived) {
			firstReceived = nc.ReceivedDate
		}
		switch nc.Stage {
		case api.StageCARequested, api.StageCAReturned:
			count[StepCA]++
		case api.StageEvidenceRequested, api.StageEvidenceReturned:
			count[StepEvidence]++
		case api.StageCASubmitted, api.StageEvidenceSubmitted:
			count[StepEvaluation]++
		}
		// The client's next: the NC due first; one with no deadline set only when none has.
		if clientActs(nc.Stage) {
			due, best := nc.StepDueDate(), api.Date("")
			if clientNext != nil {
				best = clientNext.StepDueDate()
			}
			if clientNext == nil || due != "" && (best == "" || due < best) {
				clientNext = &ncs[i]
			}
		}
	}
	day := api.Date(today.Format(time.DateOnly))
	switch {
	case au.Date == "" || au.Date > day:
		c.Current = StepAudit
	case len(ncs) == 0 && au.Status != "closed":
		// Performed; the analyst has not confirmed any NC yet (or there are none and the
		// decision is still to come: the data cannot tell these apart).
		c.Current = StepConfirmed
		c.Next = &NextDue{Who: ByAnalyst, What: StepConfirmed}
	case count[StepCA] > 0:
		c.Current = StepCA
	case count[StepEvidence] > 0:
		c.Current = StepEvidence
	case count[StepEvaluation] > 0:
		c.Current = StepEvaluation
	case au.Status != "closed":
		c.Current = StepDecision
		c.Next = &NextDue{Who: ByAnalyst, What: StepDecision}
	}
	if clientNext != nil {
		c.Next = &NextDue{Who: ByClient, What: StepCA, NCID: clientNext.ID, Due: clientNext.StepDueDate(),
			Count: count[StepCA] + count[StepEvidence]}
		if clientNext.Stage == api.StageEvidenceRequested || clientNext.Stage == api.StageEvidenceReturned {
			c.Next.What = StepEvidence
		}
		if c.Next.Due != "" {
			c.Next.DaysLeft = DaysLeft(today, c.Next.Due)
		}
	} else if c.Current == StepEvaluation {
		c.Next = &NextDue{Who: ByAnalyst, What: StepEvaluation, Count: count[StepEvaluation]}
	}
	state := StepDone
	for _, k := range CycleSteps {
		s := CycleStep{Key: k, Count: count[k]}
		if k == c.Current {
			state = StepCurrent
		}
		s.State = state
		if state == StepCurrent {
			state = StepTodo
		}
		switch k {
		case StepAudit:
			s.Date = au.Date
		case StepConfirmed:
			s.Date = firstReceived
		}
		c.Steps = append(c.Steps, s)
	}
	return c
}

// clientActs says whether an NC at this stage waits for the client: a corrective
// measure or evidence to send.
func clientActs(stage string) bool {
	switch stage {
	case api.StageCARequested, api.StageCAReturned, api.StageEvidenceRequested, api.StageEvidenceReturned:
		return true
	}
	return false
}

// DaysLeft counts calendar days from today to due; nil when due is empty or invalid.
func DaysLeft(today time.Time, due api.Date) *int {
	t, err := time.Parse(time.DateOnly, string(due))
	if err != nil {
		return nil
	}
	n := int(t.Sub(today).Hours() / 24)
	return &n
}
