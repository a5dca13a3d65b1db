package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Demo organisations (their FLO IDs) and the NC the auditor entered but the analyst has
// not confirmed: it exists on the server and must never reach a client.
const (
	DemoOrgCoop   = "3542"
	DemoOrgEstate = "27816"
	DemoHiddenNC  = "NC-172233-2019"
)

// DemoLogin is a user created by SeedDemo; its password equals its username.
type DemoLogin struct {
	Username string
	Role     api.Role
	OrgID    string
}

// DemoLogins lists the users SeedDemo creates.
var DemoLogins = []DemoLogin{
	{"coop", api.RoleClient, DemoOrgCoop},
	{"estate", api.RoleClient, DemoOrgEstate},
	{"analyst", api.RoleAnalyst, ""},
	{"auditor", api.RoleAuditor, ""},
}

// SeedDemo fills the database with the demo organisations and users. It does nothing
// when the user "coop" already exists, so it is safe on every start; it reports whether
// it seeded.
func (s *Server) SeedDemo(ctx context.Context) (bool, error) {
	if _, err := s.store.User(ctx, "coop"); err == nil {
		return false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	d := &demo{s: s, ctx: ctx}
	d.coop()
	d.estate()
	d.user(NewUser{Username: "analyst", Password: "analyst", Name: "Claire Dubois", Role: api.RoleAnalyst})
	d.user(NewUser{Username: "auditor", Password: "auditor", Name: "Paul Mbarga", Role: api.RoleAuditor})
	if d.err != nil {
		return false, fmt.Errorf("seed demo: %w", d.err)
	}
	return true, nil
}

// demo collects the first error so the data below reads as a list, not as error checks.
type demo struct {
	s   *Server
	ctx context.Context
	err error
}

func (d *demo) do(f func() error) {
	if d.err == nil {
		d.err = f()
	}
}

func (d *demo) user(u NewUser) { d.do(func() error { return d.s.CreateUser(d.ctx, u) }) }

func (d *demo) file(name, mediaType string, data []byte) api.FileRef {
	var ref api.FileRef
	d.do(func() (err error) {
		ref, err = d.s.PutFile(d.ctx, name, mediaType, data)
		return err
	})
	return ref
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

const analystName = "Claire Dubois"

var analystContact = api.Contact{ID: "C-FLO-0457", Name: analystName, Role: "Analyste FLOCERT",
	Company: "FLOCERT", Email: "claire.dubois@flocert.example", Phone: "+49 228 2493 457", Analyst: true}

func (d *demo) certificatePDF(org api.Organisation, number, standard, validUntil string) api.FileRef {
	pdf := renderPDF("Certificat "+number, certificateLines(org, number, standard, validUntil, "Bonn, le 15 octobre 2019"))
	return d.file("Certificat "+number+".pdf", "application/pdf", pdf)
}

// certificateLines is the text of a certificate's page; issued is the place and date
// of issue.
func certificateLines(org api.Organisation, number, standard, validUntil, issued string) []pdfLine {
	return []pdfLine{
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
