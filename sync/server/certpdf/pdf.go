package certpdf

import (
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/pdfpage"
)

// Line is one line of text of a page (pdfpage.Line).
type Line = pdfpage.Line

// Render writes a one-page PDF (pdfpage.Render).
func Render(title string, lines []Line) []byte { return pdfpage.Render(title, lines) }

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
