package pdfpage

import "bytes"

// Text draws text of any script on the pages of a longer document, the way Render does
// on its one page: each character in the first of the fonts (DejaVu Sans embedded, then
// FallbackFonts) that has it, right-to-left stretches shaped. The pages share the
// fonts, written once at the end (Fonts) with every glyph any page used, so a page's
// resources refer to them before they exist. Not safe for concurrent use.
type Text struct{ u *unicodeText }

// NewText returns a Text that has drawn nothing yet.
func NewText() *Text { return &Text{u: newUnicodeText()} }

// Draw writes the operators that show s at the current text position (inside BT …
// ET): a run of glyph numbers per font, selecting /U<n> fonts that Fonts defines.
func (t *Text) Draw(w *bytes.Buffer, s string, size float64) { t.u.line(w, s, size) }

// Width is the advance width of s at size, in points, in the fonts Draw uses (a
// character no font has counts as '?').
func (t *Text) Width(s string, size float64) float64 {
	var units int
	for _, r := range s {
		i, g, ok := t.u.glyph(r)
		if !ok {
			i, g, _ = t.u.glyph('?')
		}
		units += t.u.fonts[i].font.Advance(g)
	}
	return float64(units) * size / 1000
}

// Used tells whether Draw drew anything, so that the document needs Fonts' objects.
func (t *Text) Used() bool {
	for _, f := range t.u.used {
		if f != nil {
			return true
		}
	}
	return false
}

// Fonts returns the objects of the fonts drawn with, numbered from first on (five a
// font), and the font resources that name them ("/U0 12 0 R …"), to put in the font
// dictionary of every page that drew.
func (t *Text) Fonts(first int) (objects []string, resources string) { return t.u.fontObjects(first) }

// TextString encodes s as a PDF text string (a title, a language): a WinAnsi literal
// when it can be one, else UTF-16 with its byte order mark.
func TextString(s string) string {
	if winAnsi(s) {
		return "(" + String(s) + ")"
	}
	return utf16Hex(s)
}
