package cli

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestSendSummary(t *testing.T) {
	many := make([]string, 2999)
	for i := range many {
		many[i] = fmt.Sprintf("NC-%06d-2026", i+1)
	}
	cas := map[string]bool{"NC-1": true, "NC-2": true}
	tests := []struct {
		name             string
		queued, notReady []string
		want             []string
	}{
		// Nothing to send.
		{"nothing", nil, nil, []string{"Nothing is marked ready to send."}},
		{"nothing ready", nil, []string{"NC-5"}, []string{
			"Nothing is marked ready to send.",
			"Not sent, not marked ready: 1 NC (NC-5).",
		}},
		// Corrective measures and evidence, each called by its name.
		{"one measure", []string{"NC-1"}, nil, []string{"Sending: 1 corrective measure (NC-1)."}},
		{"one evidence", []string{"NC-9"}, nil, []string{"Sending: evidence of 1 NC (NC-9)."}},
		{"both", []string{"NC-1", "NC-2", "NC-9"}, []string{"NC-5", "NC-6"}, []string{
			"Sending: 2 corrective measures (NC-1, NC-2), evidence of 1 NC (NC-9).",
			"Not sent, not marked ready: 2 NCs (NC-5, NC-6).",
		}},
		// A large organisation: counts and a few numbers, never thousands.
		{"many left", []string{"NC-9"}, many, []string{
			"Sending: evidence of 1 NC (NC-9).",
			"Not sent, not marked ready: 2999 NCs (NC-000001-2026, NC-000002-2026, NC-000003-2026 and 2996 more).",
		}},
		{"many sent", many[:4], nil, []string{
			"Sending: evidence of 4 NCs (NC-000001-2026, NC-000002-2026, NC-000003-2026 and 1 more).",
		}},
	}
	for _, tt := range tests {
		got := sendSummary(tt.queued, tt.notReady, cas)
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.name, got, tt.want)
		}
		if n := len(strings.Join(got, "\n")); n > 200 {
			t.Errorf("%s: %d bytes of summary, want at most 200", tt.name, n)
		}
	}
}

// send --json lists every NC, however many, corrective measures apart from evidence.
func TestSendReport(t *testing.T) {
	var many []string
	for i := range 2999 {
		many = append(many, fmt.Sprintf("NC-%06d-2026", i))
	}
	got := sendReport([]string{"NC-1", "NC-9", "NC-2"}, many, map[string]bool{"NC-1": true, "NC-2": true})
	if !slices.Equal(got.CorrectiveMeasures, []string{"NC-1", "NC-2"}) || !slices.Equal(got.Evidence, []string{"NC-9"}) || len(got.NotReady) != 2999 {
		t.Errorf("report: %d measures %v, evidence %v, %d not ready", len(got.CorrectiveMeasures), got.CorrectiveMeasures, got.Evidence, len(got.NotReady))
	}
	// Nothing queued: empty lists, never null, so a script can iterate.
	raw, _ := json.Marshal(sendReport(nil, nil, nil))
	if string(raw) != `{"corrective_measures":[],"evidence":[],"not_ready":[]}` {
		t.Errorf("empty report: %s", raw)
	}
}
