package exports

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Formats of the register.
const (
	XLSX = "xlsx"
	PDF  = "pdf"
)

// ErrFormat is returned for a format other than XLSX and PDF.
var ErrFormat = errors.New("unknown export format")

// Row is one NC of the register with what the app joins to it.
type Row struct {
	NC       api.NC
	Audit    api.Audit // zero when the replica does not hold the NC's audit
	Evidence []api.Evidence
	// Draft is the organisation's corrective measure written here and not sent yet;
	// DraftBy its author's name: the person logged in on this computer.
	Draft   string
	DraftBy string
	// Assignment is the organisation's responsible person and internal due date; nil
	// when nobody is responsible.
	Assignment *api.Assignment
	// NotSent holds the ids of evidence files attached here and not on the server yet.
	NotSent map[string]bool
}

// responsible is the NC's responsible person (their name, else their username) and
// internal due date (YYYY-MM-DD), "" when none.
func (r Row) responsible() (string, string) {
	a := r.Assignment
	if a == nil {
		return "", ""
	}
	return cmp.Or(a.AssigneeName, a.Assignee), string(a.Due)
}

// caAuthor is who wrote the corrective measure the register shows: the last one sent
// ("" for versions from before authors were kept), or the draft not sent yet.
func (r Row) caAuthor() string {
	if _, draft := r.caText(); draft {
		return r.DraftBy
	}
	if n := len(r.NC.CAHistory); n > 0 {
		v := r.NC.CAHistory[n-1]
		return cmp.Or(v.WrittenByName, v.WrittenBy)
	}
	return ""
}

// evidenceAuthors is who attached the NC's evidence files, each name once, in order.
func (r Row) evidenceAuthors() string {
	var names []string
	for _, e := range r.Evidence {
		if by := cmp.Or(e.AddedByName, e.AddedBy); by != "" && !slices.Contains(names, by) {
			names = append(names, by)
		}
	}
	return strings.Join(names, ", ")
}

// Register is what an export of the register needs. The rows are held by the caller
// (the replica's decoded NCs); the writers stream the file and keep little else.
type Register struct {
	Organisation string    // the organisation's name, on every page
	OrgID        string    // its FLO ID
	Lang         string    // fr, en, es; another gives English
	Filter       string    // the NC list's filter the rows follow (ca, evidence, open, history, all)
	Date         time.Time // the day of the export
	Rows         []Row
}

// OnProgress receives the number of rows written and the total, every few rows and once
// at the end. It may be nil.
type OnProgress func(done, total int)

// every is how many rows pass between two progress reports.
const every = 100

func (p OnProgress) report(done, total int) {
	if p != nil && (done%every == 0 || done == total) {
		p(done, total)
	}
}

// caText is the corrective measure the register shows, and whether it is a draft that
// was never sent.
func (r Row) caText() (string, bool) {
	if r.NC.CA != nil && r.NC.CA.Text != "" {
		return r.NC.CA.Text, false
	}
	return r.Draft, r.Draft != ""
}

// caSent is when and by whom the last corrective measure was sent.
func (r Row) caSent() (time.Time, string) {
	if n := len(r.NC.CAHistory); n > 0 {
		v := r.NC.CAHistory[n-1]
		return v.SubmittedAt, v.SubmittedBy
	}
	if r.NC.CA != nil {
		return r.NC.CA.SubmittedAt, ""
	}
	return time.Time{}, ""
}

// evidenceBy is who sent the NC's evidence, each name once, in order.
func (r Row) evidenceBy() string {
	var names []string
	for _, v := range r.NC.EvidenceHistory {
		if v.SubmittedBy != "" && !slices.Contains(names, v.SubmittedBy) {
			names = append(names, v.SubmittedBy)
		}
	}
	return strings.Join(names, ", ")
}

// caDecisions lists the analyst's decisions on each corrective measure sent, oldest
// first: "12/05/2019 retournée : comment".
func (l *labels) caDecisions(r Row) []string {
	var out []string
	for _, v := range r.NC.CAHistory {
		out = append(out, l.decision(v.DecidedAt, v.SubmittedAt, v.Decision, v.Comment))
	}
	// An NC whose history the replica does not hold (CAs decided before it existed)
	// still carries the last decision on its CA.
	if ca := r.NC.CA; len(out) == 0 && ca != nil && (ca.AnalystComment != "" || !ca.DecidedAt.IsZero()) {
		decision := ""
		if s := r.NC.CAStatus; s == "accepted" || s == "returned" {
			decision = s
		}
		out = append(out, l.decision(ca.DecidedAt, ca.SubmittedAt, decision, ca.AnalystComment))
	}
	return out
}

// evidenceDecisions is the same for each submission of evidence.
func (l *labels) evidenceDecisions(r Row) []string {
	var out []string
	for _, v := range r.NC.EvidenceHistory {
		out = append(out, l.decision(v.DecidedAt, v.SubmittedAt, v.Decision, v.Comment))
	}
	return out
}

func (l *labels) decision(decided, submitted time.Time, decision, comment string) string {
	at := decided
	if at.IsZero() {
		at = submitted
	}
	s := l.day(at) + " " + word(l.Decisions, decision)
	if comment != "" {
		s += " — " + comment
	}
	return s
}

// day writes an instant's calendar day in the language's short form; "" for zero.
func (l *labels) day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(l.dateFormat)
}

// evidenceList names the NC's evidence files: "photo.jpg (20/05/2019)".
func (l *labels) evidenceList(r Row) []string {
	out := make([]string, 0, len(r.Evidence))
	for _, e := range r.Evidence {
		s := e.File.Name
		if e.Subject != "" && e.Subject != e.File.Name {
			s += " — " + e.Subject
		}
		if e.Date != "" {
			s += " (" + l.short(string(e.Date)) + ")"
		}
		if r.NotSent[e.ID] {
			s += " — " + l.NotSent
		}
		out = append(out, s)
	}
	return out
}
