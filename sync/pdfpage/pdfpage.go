package pdfpage

import (
	"bytes"
	"fmt"
	"strings"
)

// Line is one line of text of a generated page.
type Line struct {
	Text string
	Size float64 // points; 0 means 11
	Bold bool
	Gap  float64 // extra space above the line, in points
}

// Render writes a one-page A4 PDF 1.4. Lines in WinAnsi use the standard Helvetica
// fonts, which every viewer has; a line with other characters (a partner's name in
// Greek, Arabic, Chinese…) uses embedded subsets of TrueType fonts (see unicodeText),
// bold drawn as a thin outline around the letters. The xref table is computed from the
// real byte offsets of the objects, so strict readers (pdftoppm, pdf.js) open it
// without repair.
func Render(title string, lines []Line) []byte {
	var content bytes.Buffer
	var uni *unicodeText
	y := 842.0 - 72
	for _, l := range lines {
		size := l.Size
		if size == 0 {
			size = 11
		}
		y -= l.Gap + size*1.45
		if winAnsi(l.Text) {
			font := "F1"
			if l.Bold {
				font = "F2"
			}
			fmt.Fprintf(&content, "BT /%s %.1f Tf 72 %.1f Td (%s) Tj ET\n", font, size, y, String(l.Text))
			continue
		}
		if uni == nil {
			uni = newUnicodeText()
		}
		content.WriteString("BT ")
		if l.Bold {
			fmt.Fprintf(&content, "2 Tr %.2f w ", size*0.04)
		}
		fmt.Fprintf(&content, "72 %.1f Td ", y)
		uni.line(&content, l.Text, size)
		content.WriteString("ET\n")
		if l.Bold {
			content.WriteString("0 Tr\n")
		}
	}
	// A frame around the page, as certificates have.
	content.WriteString("0.2 0.45 0.3 RG 2 w 40 40 515 762 re S\n")

	var fontObjs []string
	resources := ""
	if uni != nil {
		fontObjs, resources = uni.fontObjects(8)
	}
	titleText := "(" + String(title) + ")"
	if !winAnsi(title) {
		titleText = utf16Hex(title)
	}
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " +
			"/Resources << /Font << /F1 4 0 R /F2 5 0 R " + resources + ">> >> /Contents 6 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		fmt.Sprintf("<< /Title %s /Producer (Ecert) >>", titleText),
	}
	objects = append(objects, fontObjs...)
	var out bytes.Buffer
	// The second line's high bytes tell transfer tools that the file is binary.
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, obj := range objects {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, obj)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(objects)+1, xref)
	return out.Bytes()
}

// String encodes text as a PDF literal string in WinAnsiEncoding, escaping the
// delimiters. Characters outside WinAnsi become '?'.
func String(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r >= 0xa0 && r <= 0xff:
			fmt.Fprintf(&b, "\\%03o", r)
		default:
			if c, ok := winAnsiExtra[r]; ok {
				fmt.Fprintf(&b, "\\%03o", c)
			} else {
				b.WriteByte('?')
			}
		}
	}
	return b.String()
}

// winAnsiExtra maps the typographic characters of WinAnsi's 0x80–0x9F range.
var winAnsiExtra = map[rune]byte{
	'€': 0x80, '…': 0x85, 'Œ': 0x8c, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94,
	'•': 0x95, '–': 0x96, '—': 0x97, 'œ': 0x9c,
}
