package ical

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

func TestICSLinesAreFoldedWithoutSplittingCharacters(t *testing.T) {
	for _, tc := range []struct {
		name, in string
	}{
		// Short lines stay whole.
		{"short", "SUMMARY:MC due"},
		// Exactly 75 octets: no fold.
		{"at the limit", strings.Repeat("a", 75)},
		// Accented letters (2 octets) across the 75th octet.
		{"accents", "DESCRIPTION:" + strings.Repeat("é", 80)},
		// Three-octet characters and a long line.
		{"long", "DESCRIPTION:" + strings.Repeat("— ligne ", 60)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			iw := &writer{w: bufio.NewWriter(&b)}
			iw.line(tc.in)
			iw.w.Flush()
			out := b.String()
			if !strings.HasSuffix(out, "\r\n") {
				t.Fatalf("no CRLF at the end: %q", out)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
			for i, l := range lines {
				if len(l) > 75 {
					t.Errorf("line %d: %d octets", i, len(l))
				}
				if !utf8.ValidString(l) {
					t.Errorf("line %d splits a character: %q", i, l)
				}
				if i > 0 && !strings.HasPrefix(l, " ") {
					t.Errorf("continuation %d does not start with a space", i)
				}
			}
			unfolded := strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n ", "")
			if unfolded != tc.in {
				t.Errorf("unfolded: got %q, want %q", unfolded, tc.in)
			}
		})
	}
}

func TestICSTextIsEscaped(t *testing.T) {
	got := Text("a, b; c\\d\ne")
	if want := `a\, b\; c\\d\ne`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestICSDeadlinesAreAllDayAndStampedInUTC(t *testing.T) {
	lima := time.FixedZone("Lima", -5*3600)
	cal := Calendar{Organisation: "Coop, Sud; Nord", OrgID: "42", Lang: "es",
		Stamp: time.Date(2026, 12, 4, 22, 30, 0, 0, lima), // already the 5th in UTC
		NCs: []api.NC{
			{ID: "NC-1-2026", CriterionNumber: "1.1", DueDate: "2026-01-31", Stage: api.StageCAReturned, Revision: 7},
			{ID: "NC-2-2026", DueDate: "2026-02-10", Stage: api.StageCASubmitted},                                      // with the analyst: no deadline
			{ID: "NC-3-2026", DueDate: "2026-01-15", EvidenceDueDate: "2026-12-31", Stage: api.StageEvidenceRequested}, // the evidence step: its own deadline
			{ID: "NC-4-2026", Stage: api.StageCARequested},                                                             // no due date
		},
		Assignments: []api.Assignment{
			{NCID: "NC-2-2026", AssigneeName: "Ana Quispe", Due: "2026-02-01", Revision: 3}, // with the analyst, still due inside
			{NCID: "NC-1-2026", AssigneeName: "Ana Quispe"},                                 // no internal due date
			{NCID: "NC-9-2026", AssigneeName: "Ana Quispe", Due: "2026-02-01"},              // closed or not the organisation's
		},
		Certification: &api.Certification{NextAuditDue: "2027-03-01"},
	}
	var b bytes.Buffer
	n, err := Write(&b, cal)
	if err != nil || n != 4 {
		t.Fatalf("Write: %d events, %v; want 4", n, err)
	}
	out := b.String()
	for _, want := range []string{
		"DTSTAMP:20261205T033000Z\r\n",
		"UID:ca-NC-1-2026.42@ecert-desktop\r\nDTSTAMP:20261205T033000Z\r\nDTSTART;VALUE=DATE:20260131\r\nDTEND;VALUE=DATE:20260201\r\nSEQUENCE:7\r\n",
		"UID:evidence-NC-3-2026.42@ecert-desktop\r\n",
		"DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n",
		"UID:next-audit.42@ecert-desktop\r\n",
		"UID:internal-NC-2-2026.42@ecert-desktop\r\nDTSTAMP:20261205T033000Z\r\nDTSTART;VALUE=DATE:20260201\r\nDTEND;VALUE=DATE:20260202\r\nSEQUENCE:3\r\nSUMMARY:Plazo interno — NC-2-2026 (Ana Quispe)\r\n",
		"SUMMARY:Próxima auditoría — Coop\\, Sud\\; Nord\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	for _, not := range []string{"ca-NC-2-2026", "NC-4-2026", "NC-9-2026", "internal-NC-1"} {
		if strings.Contains(out, not) {
			t.Errorf("%s has no deadline of the organisation's, but is in the calendar", not)
		}
	}
}
