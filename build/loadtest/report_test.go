package main

import (
	"strings"
	"testing"
)

// A set-up's run rewrites its own section only: an older document keeps its notes, a
// second set-up's section goes before them, and a new run of one replaces it in place.
func TestPlaceSection(t *testing.T) {
	sec := func(label, body string) string {
		return sectionBegin(label) + "\n" + body + "\n" + sectionEnd(label) + "\n"
	}
	old := "# Load test results\n\nold figures\n\n" + handMarker + "\n## Notes\nkept, quoting `<!-- load:begin … -->`\n"
	doc := placeSection(old, "a", sec("a", "A1"))
	if strings.Contains(doc, "old figures") || !strings.HasPrefix(doc, header) || !strings.HasSuffix(doc, handMarker+"\n## Notes\nkept, quoting `<!-- load:begin … -->`\n") {
		t.Fatalf("older document:\n%s", doc)
	}
	doc = placeSection(doc, "b", sec("b", "B1"))
	doc = placeSection(doc, "a", sec("a", "A2"))
	ia, ib, in := strings.Index(doc, "A2"), strings.Index(doc, "B1"), strings.Index(doc, "## Notes")
	if strings.Contains(doc, "A1") || ia < 0 || ib < 0 || !(ia < ib && ib < in) || strings.Count(doc, handMarker) != 1 {
		t.Fatalf("after b, then a again:\n%s", doc)
	}
}
