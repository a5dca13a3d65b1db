package api_test

import (
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

func TestStepDueDate(t *testing.T) {
	const ca, ev = api.Date("2019-06-01"), api.Date("2026-12-20")
	cases := []struct {
		stage string
		evDue api.Date
		want  api.Date
	}{
		// A corrective measure is expected: the CA's deadline.
		{api.StageCARequested, "", ca},
		{api.StageCAReturned, ev, ca},
		// Evidence is expected: its own deadline, never the CA's old one.
		{api.StageEvidenceRequested, ev, ev},
		{api.StageEvidenceReturned, ev, ev},
		{api.StageEvidenceRequested, "", ""},
		// Nothing is expected of the client.
		{api.StageCASubmitted, ev, ""},
		{api.StageEvidenceSubmitted, ev, ""},
		{api.StageClosed, ev, ""},
	}
	for _, c := range cases {
		nc := api.NC{Stage: c.stage, DueDate: ca, EvidenceDueDate: c.evDue}
		if got := nc.StepDueDate(); got != c.want {
			t.Errorf("%s (evidence due %q): got %q, want %q", c.stage, c.evDue, got, c.want)
		}
	}
}
