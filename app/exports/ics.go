package exports

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Calendar is what the deadlines calendar is made of: the replica's NCs, certificates,
// certification data and audits.
type Calendar struct {
	Organisation  string
	OrgID         string
	Lang          string
	Now           time.Time // when the file is written (DTSTAMP)
	NCs           []api.NC
	Certificates  []api.Certificate
	Certification *api.Certification // nil when there is none
	Audits        []api.Audit
}

// WriteICS writes the deadlines as an iCalendar file (RFC 5545): the CA or evidence due
// date of every NC that waits on the organisation, each certificate's expiry, the next
// audit and planned audits.
//
// The deadlines are calendar days, so they are all-day events (VALUE=DATE): a due date
// is the same day in Bonn and in Lima, and no time zone can shift it. Each event's UID
// is made of what it is about (the NC and the kind of deadline, the certificate, the
// organisation's next audit), never of its date, so a calendar that imports the file
// again moves the event when the date moved rather than adding a second one; SEQUENCE
// follows the server's revision of the NC for the same reason.
//
// It returns the number of events written.
func WriteICS(w io.Writer, cal Calendar) (int, error) {
	l := words(cal.Lang)
	iw := &icsWriter{w: bufio.NewWriter(w)}
	stamp := cal.Now.UTC().Format("20060102T150405Z")
	iw.line("BEGIN:VCALENDAR")
	iw.line("VERSION:2.0")
	iw.line("PRODID:-//Ecert Desktop//Deadlines//" + strings.ToUpper(cal.Lang))
	iw.line("CALSCALE:GREGORIAN")
	iw.line("METHOD:PUBLISH")
	iw.line("X-WR-CALNAME:" + icsText(l.CalName+" — "+cal.Organisation))
	events := 0
	event := func(uid string, day api.Date, seq int64, summary, description string) {
		start, err := time.Parse(time.DateOnly, string(day))
		if err != nil {
			return
		}
		events++
		iw.line("BEGIN:VEVENT")
		iw.line("UID:" + uid + "." + cal.OrgID + "@ecert-desktop")
		iw.line("DTSTAMP:" + stamp)
		iw.line("DTSTART;VALUE=DATE:" + start.Format("20060102"))
		iw.line("DTEND;VALUE=DATE:" + start.AddDate(0, 0, 1).Format("20060102"))
		iw.line("SEQUENCE:" + strconv.FormatInt(seq, 10))
		iw.line("SUMMARY:" + icsText(summary))
		if description != "" {
			iw.line("DESCRIPTION:" + icsText(description))
		}
		iw.line("TRANSP:TRANSPARENT")
		iw.line("END:VEVENT")
	}
	for _, nc := range cal.NCs {
		var kind, what string
		switch nc.Stage {
		case api.StageCARequested, api.StageCAReturned:
			kind, what = "ca", l.CalCA
		case api.StageEvidenceRequested, api.StageEvidenceReturned:
			kind, what = "evidence", l.CalEvidence
		default:
			continue
		}
		desc := l.Audit + " " + nc.AuditID + "\n" + l.Criterion + " " + nc.CriterionNumber + " — " +
			nc.CriterionText + "\n" + l.Finding + l.Colon + nc.Finding
		event(kind+"-"+nc.ID, nc.StepDueDate(), nc.Revision, what+" — "+nc.ID+" ("+nc.CriterionNumber+")", desc)
	}
	for _, c := range cal.Certificates {
		event("certificate-"+c.ID, c.ValidUntil, 0, l.CalCertificate+" — "+c.Number, c.Description)
	}
	if c := cal.Certification; c != nil {
		event("next-audit", c.NextAuditDue, 0, l.CalNextAudit+" — "+cal.Organisation, c.Standard)
	}
	for _, a := range cal.Audits {
		if a.Status == "planned" {
			event("audit-"+a.ID, a.Date, 0, l.CalAudit+" — "+a.ID, a.ServiceType)
		}
	}
	iw.line("END:VCALENDAR")
	if iw.err != nil {
		return events, iw.err
	}
	return events, iw.w.Flush()
}

// icsWriter writes content lines ending in CRLF, folded at 75 octets as RFC 5545
// §3.1 asks: the rest goes on lines that begin with a space, and a character's
// UTF-8 bytes are never split.
type icsWriter struct {
	w   *bufio.Writer
	err error
}

func (iw *icsWriter) line(s string) {
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

// icsText escapes a TEXT value (RFC 5545 §3.3.11).
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}
