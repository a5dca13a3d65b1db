package certpdf

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Line is one line of text of a generated page.
type Line struct {
	Text string
	Size float64 // points; 0 means 11
	Bold bool
	Gap  float64 // extra space above the line, in points
}

// Render writes a one-page A4 PDF 1.4 with the standard Helvetica fonts, which every
// viewer has, so no font is embedded. The xref table is computed from the real byte
// offsets of the objects, so strict readers (pdftoppm, pdf.js) open it without repair.
func Render(title string, lines []Line) []byte {
	var content bytes.Buffer
	y := 842.0 - 72
	for _, l := range lines {
		size := l.Size
		if size == 0 {
			size = 11
		}
		font := "F1"
		if l.Bold {
			font = "F2"
		}
		y -= l.Gap + size*1.45
		fmt.Fprintf(&content, "BT /%s %.1f Tf 72 %.1f Td (%s) Tj ET\n", font, size, y, pdfString(l.Text))
	}
	// A frame around the page, as certificates have.
	content.WriteString("0.2 0.45 0.3 RG 2 w 40 40 515 762 re S\n")

	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " +
			"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		fmt.Sprintf("<< /Title (%s) /Producer (ecert-server) >>", pdfString(title)),
	}
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
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(objects)+1, len(objects), xref)
	return out.Bytes()
}

// pdfString encodes text as a PDF literal string in WinAnsiEncoding, escaping the
// delimiters. Characters outside WinAnsi become '?'.
func pdfString(s string) string {
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

// Certificate renders the certificate of an organisation; issued is the place and
// date of issue ("Bonn, le 15 octobre 2019").
func Certificate(org api.Organisation, number, standard, validUntil, issued string) []byte {
	return Render("Certificat "+number, certificateLines(org, number, standard, validUntil, issued))
}

// certificateLines is the text of a certificate's page; issued is the place and date
// of issue.
func certificateLines(org api.Organisation, number, standard, validUntil, issued string) []Line {
	return []Line{
		{Text: "FLOCERT", Size: 22, Bold: true},
		{Text: "CERTIFICAT", Size: 28, Bold: true, Gap: 30},
		{Text: "Fairtrade – " + standard, Size: 14, Gap: 6},
		{Text: "FLOCERT certifie que", Gap: 30},
		{Text: org.LegalName, Size: 16, Bold: true, Gap: 8},
		{Text: org.Address + ", " + org.PostalCode + " " + org.City + ", " + org.Country},
		{Text: "FLO ID : " + org.ID},
		{Text: "respecte les standards Fairtrade applicables pour les produits :", Gap: 16},
		{Text: joinComma(org.Products), Bold: true},
		{Text: "Numéro du certificat : " + number, Gap: 24},
		{Text: "Valide jusqu'au : " + validUntil},
		{Text: issued, Gap: 40},
		{Text: "Ce certificat reste la propriété de FLOCERT GmbH et peut être vérifié en ligne.", Size: 9, Gap: 60},
	}
}

func joinComma(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}

var frenchMonths = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// FrenchDate writes t as a French date: 4 décembre 2026.
func FrenchDate(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), frenchMonths[t.Month()-1], t.Year())
}
