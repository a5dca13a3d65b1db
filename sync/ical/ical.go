package ical

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Calendar is what the deadlines calendar is made of: an organisation's NCs, their
// assignments, certificates, certification data and audits.
type Calendar struct {
	Organisation  string
	OrgID         string
	Lang          string
	Stamp         time.Time // DTSTAMP of every event: when the calendar was last written or changed
	NCs           []api.NC
	Assignments   []api.Assignment // the internal due dates of the NCs (issue 16.2)
	Certificates  []api.Certificate
	Certification *api.Certification // nil when there is none
	Audits        []api.Audit
}

// Write writes the deadlines as an iCalendar file: the CA or evidence due date of every
// NC that waits on the organisation, the internal due date of every assigned NC not
// closed, each certificate's expiry, the next audit and planned audits.
//
// The deadlines are calendar days, so they are all-day events (VALUE=DATE): a due date
// is the same day in Bonn and in Lima, and no time zone can shift it. Each event's UID
// is made of what it is about (the NC and the kind of deadline, the certificate, the
// organisation's next audit), never of its date, so a calendar that reads the file
// again moves the event when the date moved rather than adding a second one; SEQUENCE
// follows the server's revision of the NC (or the assignment) for the same reason.
//
// It returns the number of events written.
func Write(w io.Writer, cal Calendar) (int, error) {
	l := Words(cal.Lang)
	iw := &writer{w: bufio.NewWriter(w)}
	stamp := cal.Stamp.UTC().Format("20060102T150405Z")
	iw.line("BEGIN:VCALENDAR")
	iw.line("VERSION:2.0")
	iw.line("PRODID:-//Ecert Desktop//Deadlines//" + strings.ToUpper(cal.Lang))
	iw.line("CALSCALE:GREGORIAN")
	iw.line("METHOD:PUBLISH")
	iw.line("X-WR-CALNAME:" + Text(l.Name+" — "+cal.Organisation))
	events := 0
	event := func(what string, day api.Date, seq int64, summary, description string) {
		start, err := time.Parse(time.DateOnly, string(day))
		if err != nil {
			return
		}
		events++
		iw.line("BEGIN:VEVENT")
		iw.line("UID:" + UID(what, cal.OrgID))
		iw.line("DTSTAMP:" + stamp)
		iw.line("DTSTART;VALUE=DATE:" + start.Format("20060102"))
		iw.line("DTEND;VALUE=DATE:" + start.AddDate(0, 0, 1).Format("20060102"))
		iw.line("SEQUENCE:" + strconv.FormatInt(seq, 10))
		iw.line("SUMMARY:" + Text(summary))
		if description != "" {
			iw.line("DESCRIPTION:" + Text(description))
		}
		iw.line("TRANSP:TRANSPARENT")
		iw.line("END:VEVENT")
	}
	open := make(map[string]api.NC, len(cal.NCs))
	for _, nc := range cal.NCs {
		if nc.Stage != api.StageClosed {
			open[nc.ID] = nc
		}
		var kind, what string
		switch nc.Stage {
		case api.StageCARequested, api.StageCAReturned:
			kind, what = "ca", l.CA
		case api.StageEvidenceRequested, api.StageEvidenceReturned:
			kind, what = "evidence", l.Evidence
		default:
			continue
		}
		event(kind+"-"+nc.ID, nc.StepDueDate(), nc.Revision, what+" — "+nc.ID+" ("+nc.CriterionNumber+")", l.describe(nc))
	}
	for _, a := range cal.Assignments {
		nc, ok := open[a.NCID]
		if !ok || a.Due == "" {
			continue
		}
		desc := l.Responsible + l.Colon + a.AssigneeName + "\n" + l.describe(nc)
		event("internal-"+a.NCID, a.Due, a.Revision, l.Internal+" — "+a.NCID+" ("+a.AssigneeName+")", desc)
	}
	for _, c := range cal.Certificates {
		event("certificate-"+c.ID, c.ValidUntil, 0, l.Certificate+" — "+c.Number, c.Description)
	}
	if c := cal.Certification; c != nil {
		event("next-audit", c.NextAuditDue, 0, l.NextAudit+" — "+cal.Organisation, c.Standard)
	}
	for _, a := range cal.Audits {
		if a.Status == "planned" {
			event("audit-"+a.ID, a.Date, 0, l.Audit+" — "+a.ID, a.ServiceType)
		}
	}
	iw.line("END:VCALENDAR")
	if iw.err != nil {
		return events, iw.err
	}
	return events, iw.w.Flush()
}

// UID is the UID of the event about what (ca-NC-…, evidence-NC-…, internal-NC-…,
// certificate-…, next-audit, audit-AO-…) in an organisation's calendar.
func UID(what, orgID string) string { return what + "." + orgID + "@ecert-desktop" }

func (l *Labels) describe(nc api.NC) string {
	return l.AuditWord + " " + nc.AuditID + "\n" + l.Criterion + " " + nc.CriterionNumber + " — " +
		nc.CriterionText + "\n" + l.Finding + l.Colon + nc.Finding
}

// writer writes content lines ending in CRLF, folded at 75 octets as RFC 5545 §3.1
// asks: the rest goes on lines that begin with a space, and a character's UTF-8 bytes
// are never split.
type writer struct {
	w   *bufio.Writer
	err error
}

func (iw *writer) line(s string) {
	if iw.err != nil {
		return
	}
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		iw.w.WriteString(s[:cut])
		iw.w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	iw.w.WriteString(s)
	_, iw.err = iw.w.WriteString("\r\n")
}

// Text escapes a TEXT value (RFC 5545 §3.3.11).
func Text(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}
