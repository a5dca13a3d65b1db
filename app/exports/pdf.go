package exports

import (
	"context"
	"io"
	"strconv"
	"strings"
)

// Page layout of the PDF register, in points.
const (
	marginLeft  = 50.0
	marginRight = pageWidth - 50
	bodyTop     = pageHeight - 72 // below the page header
	bodyBottom  = 56.0            // above the footer
	bodyWidth   = marginRight - marginLeft
	textSize    = 9.0
	leading     = 1.3 // line height, times the size
)

// pdfLine is one line of the body: an optional bold label, then text.
type pdfLine struct {
	label string
	text  string
	bold  bool
	size  float64
	gap   float64 // extra space above
	rule  bool    // a separator line rather than text
}

func (l pdfLine) height() float64 {
	if l.rule {
		return l.gap + 6
	}
	return l.gap + l.size*leading
}

// WritePDF writes the register as an A4 PDF in the register's language: each page
// headed by the organisation's name, the title and the day of the export, and numbered
// "Page n / N". Each NC is a block of labelled lines that is not split across pages
// when it fits on one. The layout runs twice — once to count the pages, once to write
// them — so that every page can say how many there are without holding them all.
func WritePDF(ctx context.Context, w io.Writer, reg Register, progress OnProgress) error {
	l := words(reg.Lang)
	counter := &pager{l: l, reg: reg}
	if err := counter.run(ctx, nil); err != nil {
		return err
	}
	p := &pager{l: l, reg: reg, out: newPDFWriter(w), total: counter.page}
	if err := p.run(ctx, progress); err != nil {
		return err
	}
	return p.out.close(l.Title+" — "+reg.Organisation, reg.Lang)
}

// pager places blocks of lines on pages. Without an output it only counts the pages.
type pager struct {
	l     *labels
	reg   Register
	out   *pdfWriter
	total int // pages in all, known on the writing run
	page  int // pages begun
	y     float64
}

func (p *pager) run(ctx context.Context, progress OnProgress) error {
	p.newPage()
	if len(p.reg.Rows) == 0 {
		p.place([]pdfLine{{text: p.l.NoRows, size: textSize}})
		progress.report(0, 0)
	}
	for i, r := range p.reg.Rows {
		if i%every == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		p.place(p.l.block(r))
		if p.out != nil {
			progress.report(i+1, len(p.reg.Rows))
			if p.out.err != nil {
				return p.out.err
			}
		}
	}
	p.endPage()
	return nil
}

// place puts a block on the current page, or on a new one when it does not fit there
// but would on an empty page; a block taller than a page flows over.
func (p *pager) place(block []pdfLine) {
	var h float64
	for _, ln := range block {
		h += ln.height()
	}
	if p.y-h < bodyBottom && h <= bodyTop-bodyBottom {
		p.endPage()
		p.newPage()
	}
	for _, ln := range block {
		if p.y-ln.height() < bodyBottom {
			p.endPage()
			p.newPage()
		}
		p.y -= ln.height()
		if p.out == nil {
			continue
		}
		switch {
		case ln.rule:
			p.out.rule(marginLeft, marginRight, p.y+3)
		case ln.label != "":
			p.out.text(marginLeft, p.y, true, ln.size, ln.label)
			p.out.text(marginLeft+textWidth(ln.label, ln.size, true), p.y, false, ln.size, ln.text)
		default:
			p.out.text(marginLeft, p.y, ln.bold, ln.size, ln.text)
		}
	}
}

func (p *pager) newPage() {
	p.page++
	p.y = bodyTop
	if p.out == nil {
		return
	}
	org := p.reg.Organisation
	if p.reg.OrgID != "" {
		org += " (FLO ID " + p.reg.OrgID + ")"
	}
	p.out.text(marginLeft, pageHeight-44, true, 11, org)
	p.out.text(marginLeft, pageHeight-58, false, 8.5, p.l.Title+" — "+p.l.Filter+p.l.Colon+
		word(p.l.Filters, p.reg.Filter)+" — "+p.l.Exported+" "+p.l.long(p.reg.Date))
	p.out.rule(marginLeft, marginRight, pageHeight-64)
	footer := p.l.Page + " " + strconv.Itoa(p.page) + " / " + strconv.Itoa(p.total)
	p.out.text(marginRight-textWidth(footer, 8, false), 30, false, 8, footer)
	p.out.text(marginLeft, 30, false, 8, p.reg.Organisation)
}

func (p *pager) endPage() {
	if p.out != nil {
		p.out.endPage()
	}
}

// block is an NC's lines in the register.
func (l *labels) block(r Row) []pdfLine {
	nc := r.NC
	var out []pdfLine
	head := nc.ID + " — " + l.Criterion + " " + nc.CriterionNumber
	if nc.CriterionType != "" {
		head += " (" + word(l.Types, nc.CriterionType) + ")"
	}
	out = append(out, pdfLine{text: head, bold: true, size: 10.5, gap: 4})
	facts := []string{l.Audit + " " + nc.AuditID}
	if r.Audit.Date != "" {
		facts[0] += ", " + l.short(string(r.Audit.Date))
	}
	if r.Audit.ServiceType != "" {
		facts[0] += ", " + r.Audit.ServiceType
	}
	facts = append(facts, l.Received+" "+l.short(string(nc.ReceivedDate)))
	// The current step's deadline: an accepted CA's date never carries into the evidence step.
	if due := nc.StepDueDate(); due != "" {
		facts = append(facts, l.Due+" "+l.short(string(due)))
	}
	facts = append(facts, l.Stage+l.Colon+word(l.Stages, nc.Stage))
	if who, due := r.responsible(); who != "" {
		facts = append(facts, l.Responsible+l.Colon+who)
		if due != "" {
			facts = append(facts, l.InternalDue+" "+l.short(due))
		}
	}
	if nc.Score > 0 {
		facts = append(facts, l.Score+" "+strconv.Itoa(nc.Score))
	}
	for _, t := range wrapItems(facts, " · ", 8.5, bodyWidth) {
		out = append(out, pdfLine{text: t, size: 8.5})
	}
	field := func(label, text string) {
		if text == "" {
			return
		}
		label += l.Colon
		for i, t := range wrap(text, textSize, false, bodyWidth, textWidth(label, textSize, true)) {
			ln := pdfLine{text: t, size: textSize}
			if i == 0 {
				ln.label, ln.gap = label, 2
			}
			out = append(out, ln)
		}
	}
	field(l.CriterionText, nc.CriterionText)
	field(l.Finding, nc.Finding)
	ca, draft := r.caText()
	caLabel := l.CA + " (" + l.CAStatus + l.Colon + word(l.Statuses, nc.CAStatus) + ")"
	if draft {
		ca = "[" + l.CADraft + "] " + ca
	}
	if ca == "" {
		ca = l.None
	}
	field(caLabel, ca)
	field(l.CAAuthor, r.caAuthor())
	if at, by := r.caSent(); !at.IsZero() {
		sent := l.day(at)
		if by != "" {
			sent += " " + l.By + " " + by
		}
		field(l.CASent, sent)
	}
	field(l.CADecisions, strings.Join(l.caDecisions(r), " | "))
	evidence := strings.Join(l.evidenceList(r), "; ")
	if evidence == "" {
		evidence = l.None
	}
	field(l.Evidence+" ("+l.EvidenceStatus+l.Colon+word(l.Statuses, nc.EvidenceStatus)+")", evidence)
	field(l.EvidenceAddedBy, r.evidenceAuthors())
	field(l.EvidenceBy, r.evidenceBy())
	field(l.EvidenceDecisions, strings.Join(l.evidenceDecisions(r), " | "))
	out = append(out, pdfLine{rule: true, gap: 4})
	return out
}

// wrapItems joins items with sep into lines no wider than width, breaking between
// items rather than inside one (an item too long for a line is wrapped on its own).
func wrapItems(items []string, sep string, size, width float64) []string {
	var out []string
	line := ""
	for _, it := range items {
		cand := it
		if line != "" {
			cand = line + sep + it
		}
		if textWidth(cand, size, false) <= width {
			line = cand
			continue
		}
		if line != "" {
			out = append(out, line)
		}
		parts := wrap(it, size, false, width, 0)
		out = append(out, parts[:len(parts)-1]...)
		line = parts[len(parts)-1]
	}
	return append(out, line)
}
