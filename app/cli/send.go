package cli

import (
	"fmt"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// maxNamed is how many NC numbers a summary of send names before "and N more": on a
// large organisation the NCs left behind run to thousands.
const maxNamed = 3

// queuedCAs returns the NCs whose corrective measure waits in the outbox; what send
// queued besides them is evidence.
func (c *cmd) queuedCAs() (map[string]bool, error) {
	items, err := c.app.Outbox.List()
	if err != nil {
		return nil, err
	}
	cas := map[string]bool{}
	for _, it := range items {
		if it.Kind == api.KindCASubmit {
			cas[it.NCID] = true
		}
	}
	return cas, nil
}

// sendSummary is what send says it queued and left behind: counts, corrective
// measures apart from evidence (cas says which queued NCs are corrective measures),
// and a few NC numbers of each.
func sendSummary(queued, notReady []string, cas map[string]bool) []string {
	var lines []string
	if len(queued) == 0 {
		lines = append(lines, "Nothing is marked ready to send.")
	} else {
		var measures, evidence []string
		for _, id := range queued {
			if cas[id] {
				measures = append(measures, id)
			} else {
				evidence = append(evidence, id)
			}
		}
		var parts []string
		if len(measures) > 0 {
			parts = append(parts, fmt.Sprintf("%s (%s)", plural(len(measures), "corrective measure"), named(measures)))
		}
		if len(evidence) > 0 {
			parts = append(parts, fmt.Sprintf("evidence of %s (%s)", plural(len(evidence), "NC"), named(evidence)))
		}
		lines = append(lines, "Sending: "+strings.Join(parts, ", ")+".")
	}
	if len(notReady) > 0 {
		lines = append(lines, fmt.Sprintf("Not sent, not marked ready: %s (%s).", plural(len(notReady), "NC"), named(notReady)))
	}
	return lines
}

// named lists the first maxNamed ids, then says how many more there are.
func named(ids []string) string {
	if len(ids) <= maxNamed {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:maxNamed], ", "), len(ids)-maxNamed)
}

// plural says "1 NC", "2 NCs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// SendReport is what send --json writes: every NC queued, corrective measures apart
// from evidence, and the NCs left behind because they were not marked ready.
type SendReport struct {
	CorrectiveMeasures []string `json:"corrective_measures"`
	Evidence           []string `json:"evidence"`
	NotReady           []string `json:"not_ready"`
}

func sendReport(queued, notReady []string, cas map[string]bool) SendReport {
	r := SendReport{CorrectiveMeasures: []string{}, Evidence: []string{}, NotReady: notReady}
	if r.NotReady == nil {
		r.NotReady = []string{}
	}
	for _, id := range queued {
		if cas[id] {
			r.CorrectiveMeasures = append(r.CorrectiveMeasures, id)
		} else {
			r.Evidence = append(r.Evidence, id)
		}
	}
	return r
}
