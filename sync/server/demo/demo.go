package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/certpdf"
	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// Demo organisations (their FLO IDs) and the number of the NC the auditor entered but the
// analyst has not confirmed: it exists on the server and must never reach a client.
const (
	OrgCoop        = "3542"
	OrgEstate      = "27816"
	HiddenNCNumber = "172233"
)

// Login is a user created by Seed; its password equals its username.
type Login struct {
	Username string
	Role     api.Role
	OrgID    string
}

// Logins lists the users Seed creates.
var Logins = []Login{
	{"coop", api.RoleClient, OrgCoop},
	{"coop-staff", api.RoleClient, OrgCoop}, // staff: drafts and evidence, never sending
	{"estate", api.RoleClient, OrgEstate},
	{"analyst", api.RoleAnalyst, ""},
	{"auditor", api.RoleAuditor, ""},
}

// Server is what the demo data is written through.
type Server struct {
	Workflow *workflow.Workflow // the server's writes of entities
	Auth     *auth.Service      // users
	Store    store.Store        // a look-up of users, and the generator's one big write
	// Today is the day the demo's story is told from: a recent audit, deadlines in the
	// coming weeks (one overdue), a valid certificate, history in the past months. Zero
	// means the real today; tests pass a fixed day so that dates are known.
	Today time.Time
}

// Seed fills the database with the demo organisations and users. It does nothing when
// the user "coop" already exists, so it is safe on every start; it reports whether it
// seeded.
func Seed(ctx context.Context, s Server) (bool, error) {
	// The directory first: a database seeded before it existed gets it on its next start.
	if err := directory.Seed(ctx, s.Store, time.Now()); err != nil {
		return false, err
	}
	if _, err := s.Store.User(ctx, "coop"); err == nil {
		return false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	today := s.Today
	if today.IsZero() {
		today = time.Now()
	}
	d := &demo{s: s.Workflow, auth: s.Auth, ctx: ctx, today: midnight(today)}
	d.coop()
	d.estate()
	d.user(auth.NewUser{Username: "analyst", Password: "analyst", Name: "Claire Dubois", Role: api.RoleAnalyst})
	d.user(auth.NewUser{Username: "auditor", Password: "auditor", Name: "Paul Mbarga", Role: api.RoleAuditor})
	if d.err != nil {
		return false, fmt.Errorf("seed demo: %w", d.err)
	}
	return true, nil
}

// demo collects the first error so the data below reads as a list, not as error checks.
type demo struct {
	s     *workflow.Workflow
	auth  *auth.Service
	ctx   context.Context
	today time.Time // midnight UTC of the story's today
	err   error
}

// midnight is the start of the calendar day of t, as a UTC day: the story counts whole days.
func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// ncAudit is, for each demo NC number, the day of its audit in days from today.
var ncAudit = map[string]int{
	"167140": coopAudit, "150424": coopAudit, HiddenNCNumber: coopAudit,
	"174410": coopEarlier, "168802": coopEarlier, "173086": coopEarlier, "131877": coopEarlier,
	"171520": estateAudit, "171521": estateAudit,
}

// NCID is the id of the demo NC of that number when the story is told from today: like
// the portal's, NC-<number>-<year of its audit>, so it changes with the day the demo was
// seeded. A number the demo does not have is a programming error: NCID panics.
func NCID(today time.Time, number string) string {
	offset, ok := ncAudit[number]
	if !ok {
		panic("demo: no NC numbered " + number)
	}
	return "NC-" + number + "-" + midnight(today).AddDate(0, 0, offset).Format("2006")
}

// nc is the id of the demo NC of that number (NCID).
func (d *demo) nc(number string) string { return NCID(d.today, number) }

// day is the date n days from today (negative: in the past).
func (d *demo) day(n int) api.Date { return api.Date(d.today.AddDate(0, 0, n).Format(time.DateOnly)) }

// at is the instant n days from today at hh:mm UTC.
func (d *demo) at(n, hh, mm int) time.Time {
	return d.today.AddDate(0, 0, n).Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

// dmy writes a date as the portal does in French: 01/06/2019.
func dmy(t api.Date) string {
	v, err := time.Parse(time.DateOnly, string(t))
	if err != nil {
		return string(t)
	}
	return v.Format("02/01/2006")
}

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// longFrench writes a date in words, as a letter is dated: 15 octobre 2019.
func longFrench(t api.Date) string {
	v, err := time.Parse(time.DateOnly, string(t))
	if err != nil {
		return string(t)
	}
	return fmt.Sprintf("%d %s %d", v.Day(), frenchMonths[v.Month()-1], v.Year())
}

// yearOf is the year of a date, as text.
func yearOf(t api.Date) string { return string(t)[:4] }

func (d *demo) do(f func() error) {
	if d.err == nil {
		d.err = f()
	}
}

func (d *demo) user(u auth.NewUser) { d.do(func() error { return d.auth.CreateUser(d.ctx, u) }) }

func (d *demo) file(name, mediaType string, data []byte) api.FileRef {
	var ref api.FileRef
	d.do(func() (err error) {
		ref, err = d.s.PutFile(d.ctx, name, mediaType, data)
		return err
	})
	return ref
}

const analystName = "Claire Dubois"

var analystContact = api.Contact{ID: "C-FLO-0457", Name: analystName, Role: "Analyste FLOCERT",
	Company: "FLOCERT", Email: "claire.dubois@flocert.example", Phone: "+49 228 2493 457", Analyst: true}

func (d *demo) certificatePDF(org api.Organisation, number, standard string, issued, validUntil api.Date) api.FileRef {
	pdf := certpdf.Certificate(org, number, standard, dmy(validUntil), "Bonn, le "+longFrench(issued))
	return d.file("Certificat "+number+".pdf", "application/pdf", pdf)
}
