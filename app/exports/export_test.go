package exports

import (
	"strings"
	"testing"
)

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
