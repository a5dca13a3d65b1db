package pdfpage

// Arabic letters join their neighbours: each takes one of up to four shapes (isolated,
// final, initial, medial) that Unicode lists as "presentation forms" (U+FE80–U+FEFC).
// A PDF has no shaping engine, so the page writes those forms, right to left, and keeps
// the letters themselves in the text that readers copy (ActualText, ToUnicode).

// arabicForms gives, for each letter, its isolated presentation form and how many forms
// follow it: 2 for a letter that joins only the letter before it, 4 for one that joins
// both sides, 1 for one that joins neither.
var arabicForms = map[rune]struct {
	isolated rune
	forms    int
}{
	0x0621: {0xFE80, 1}, 0x0622: {0xFE81, 2}, 0x0623: {0xFE83, 2}, 0x0624: {0xFE85, 2},
	0x0625: {0xFE87, 2}, 0x0626: {0xFE89, 4}, 0x0627: {0xFE8D, 2}, 0x0628: {0xFE8F, 4},
	0x0629: {0xFE93, 2}, 0x062A: {0xFE95, 4}, 0x062B: {0xFE99, 4}, 0x062C: {0xFE9D, 4},
	0x062D: {0xFEA1, 4}, 0x062E: {0xFEA5, 4}, 0x062F: {0xFEA9, 2}, 0x0630: {0xFEAB, 2},
	0x0631: {0xFEAD, 2}, 0x0632: {0xFEAF, 2}, 0x0633: {0xFEB1, 4}, 0x0634: {0xFEB5, 4},
	0x0635: {0xFEB9, 4}, 0x0636: {0xFEBD, 4}, 0x0637: {0xFEC1, 4}, 0x0638: {0xFEC5, 4},
	0x0639: {0xFEC9, 4}, 0x063A: {0xFECD, 4}, 0x0641: {0xFED1, 4}, 0x0642: {0xFED5, 4},
	0x0643: {0xFED9, 4}, 0x0644: {0xFEDD, 4}, 0x0645: {0xFEE1, 4}, 0x0646: {0xFEE5, 4},
	0x0647: {0xFEE9, 4}, 0x0648: {0xFEED, 2}, 0x0649: {0xFEEF, 2}, 0x064A: {0xFEF1, 4},
}

// lamAlef are the ligatures of lam followed by an alef, by alef: isolated form (the
// final form follows it).
var lamAlef = map[rune]rune{0x0622: 0xFEF5, 0x0623: 0xFEF7, 0x0625: 0xFEF9, 0x0627: 0xFEFB}

const tatweel = 0x0640

// transparent marks (harakat) sit on a letter and do not break its joining.
func transparent(r rune) bool { return r >= 0x064B && r <= 0x065F || r == 0x0670 }

func joinsNext(r rune) bool { return r == tatweel || arabicForms[r].forms == 4 }
func joinsPrev(r rune) bool { return r == tatweel || arabicForms[r].forms >= 2 }

// glyphRun is a character to draw and the text it stands for.
type glyphRun struct {
	r    rune
	text string
}

// shapeArabic returns the shapes of a run of text in logical order, each with the
// letters it stands for (a lam-alef ligature stands for two).
func shapeArabic(text []rune) []glyphRun {
	var out []glyphRun
	neighbour := func(i, step int) rune {
		for j := i + step; j >= 0 && j < len(text); j += step {
			if !transparent(text[j]) {
				return text[j]
			}
		}
		return 0
	}
	for i := 0; i < len(text); i++ {
		r := text[i]
		f, ok := arabicForms[r]
		if !ok {
			out = append(out, glyphRun{r, string(r)})
			continue
		}
		prev := neighbour(i, -1)
		joinedBefore := joinsNext(prev) && joinsPrev(r)
		if r == 0x0644 && i+1 < len(text) {
			if lig, ok := lamAlef[text[i+1]]; ok {
				if joinedBefore {
					lig++
				}
				// Its text is written alef first: readers reverse a right-to-left
				// word character by character, a ligature's text included (poppler).
				out = append(out, glyphRun{lig, string([]rune{text[i+1], r})})
				i++
				continue
			}
		}
		joinedAfter := joinsNext(r) && joinsPrev(neighbour(i, 1))
		shape := f.isolated
		switch {
		case joinedBefore && joinedAfter:
			shape += 3
		case joinedAfter:
			shape += 2
		case joinedBefore:
			shape++
		}
		out = append(out, glyphRun{shape, string(r)})
	}
	return out
}

// rtl tells the characters written right to left (Hebrew and Arabic).
func rtl(r rune) bool {
	return r >= 0x0590 && r <= 0x08FF || r >= 0xFB1D && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF
}

// strong tells the characters that set a direction; spaces and punctuation take the
// direction of the text around them.
func strong(r rune) bool {
	return rtl(r) && !transparent(r) || r > 0x7f || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
}

// segment is a stretch of a line in one direction, in logical order.
type segment struct {
	text []rune
	rtl  bool
}

// segments splits a line into its left-to-right and right-to-left stretches; neutral
// characters between two right-to-left ones belong to them. The line itself is laid out
// left to right (the proofs' lines are labels followed by a name).
func segments(s string) []segment {
	text := []rune(s)
	var out []segment
	for i := 0; i < len(text); {
		j := i
		if rtl(text[i]) {
			last := i
			for j < len(text) && (rtl(text[j]) || !strong(text[j])) {
				if rtl(text[j]) {
					last = j
				}
				j++
			}
			j = last + 1
			out = append(out, segment{text[i:j], true})
		} else {
			for j < len(text) && !rtl(text[j]) {
				j++
			}
			out = append(out, segment{text[i:j], false})
		}
		i = j
	}
	return out
}
