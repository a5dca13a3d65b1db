package export

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
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
			iw := &icsWriter{w: bufio.NewWriter(&b)}
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
	got := icsText("a, b; c\\d\ne")
	if want := `a\, b\; c\\d\ne`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWrapKeepsEveryWordWithinTheWidth(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		indent   float64
	}{
		{"words", strings.Repeat("mesure corrective ", 40), 0},
		{"label first", strings.Repeat("évaluation ", 40), 120},
		{"one long word", strings.Repeat("x", 400), 0},
		{"line breaks kept", "première\nseconde", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := wrap(tc.in, 9, false, 200, tc.indent)
			for i, l := range lines {
				avail := 200.0
				if i == 0 {
					avail -= tc.indent
				}
				if w := textWidth(l, 9, false); w > avail {
					t.Errorf("line %d is %.1f pt wide, over %.1f: %q", i, w, avail, l)
				}
			}
			joined := strings.Join(lines, " ")
			if strings.Join(strings.Fields(joined), "") != strings.Join(strings.Fields(tc.in), "") {
				t.Errorf("text changed: %q", joined)
			}
		})
	}
}
