package exports

import (
	"context"
	"io"
	"strings"
	"time"
)

// headerRow is the spreadsheet row of the column titles; above it, the title and who
// and when.
const headerRow = 4

// WriteXLSX writes the register as a workbook of one sheet: a title, then one row per
// NC in an Excel table (filters and sorting on every column), dates as real dates.
// Rows go straight into the file's zip, so the 5,000-NC register costs little more
// memory than a small one.
func WriteXLSX(ctx context.Context, w io.Writer, reg Register, progress OnProgress) error {
	l := words(reg.Lang)
	cols := l.columns()
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = c.width
	}
	x, err := newXLSX(w, sheetSpec{name: l.Sheet, widths: widths, freezeRow: headerRow,
		title: l.Title + " — " + reg.Organisation, creator: "Ecert Desktop", lang: reg.Lang})
	if err != nil {
		return err
	}
	if err := x.rowAt(1, []cell{textCell(l.Title, styleTitle)}); err != nil {
		return err
	}
	who := []cell{textCell(reg.Organisation+" (FLO ID "+reg.OrgID+")", styleNone),
		textCell(l.Exported+" "+l.long(reg.Date), styleNone),
		textCell(l.Filter+l.Colon+word(l.Filters, reg.Filter), styleNone)}
	if err := x.rowAt(2, who); err != nil {
		return err
	}
	header := make([]cell, len(cols))
	titles := make([]string, len(cols))
	for i, c := range cols {
		header[i] = textCell(c.title, styleHeader)
		titles[i] = c.title
	}
	if err := x.rowAt(headerRow, header); err != nil {
		return err
	}
	total := len(reg.Rows)
	for i, r := range reg.Rows {
		if i%every == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := x.rowAt(headerRow+1+i, l.xlsxValues(r)); err != nil {
			return err
		}
		progress.report(i+1, total)
	}
	if total > 0 {
		x.setTable("Register", "TableStyleLight9", headerRow, headerRow+total, titles)
	} else {
		progress.report(0, 0)
	}
	return x.close()
}

type column struct {
	title string
	width float64
}

// columns are the register's columns, in the order of xlsxValues.
func (l *labels) columns() []column {
	return []column{
		{l.Audit, 12}, {l.AuditDate, 11}, {l.Service, 24}, {l.NC, 17}, {l.Criterion, 10},
		{l.CriterionText, 40}, {l.CriterionType, 14}, {l.Finding, 40}, {l.Score, 7},
		{l.Received, 11}, {l.Due, 11}, {l.Responsible, 18}, {l.InternalDue, 11}, {l.Stage, 16},
		{l.CAStatus, 12}, {l.CA, 50}, {l.CADraft, 8}, {l.CAAuthor, 16}, {l.CASent, 11}, {l.CASentBy, 14},
		{l.CADecisions, 40}, {l.EvidenceStatus, 12}, {l.Evidence, 40}, {l.EvidenceAddedBy, 18},
		{l.EvidenceBy, 14}, {l.EvidenceDecisions, 40},
	}
}

// xlsxValues is a row of the sheet. Dates are numbers with a date style, so that the
// sheet sorts and filters them as dates; empty ones stay empty cells.
func (l *labels) xlsxValues(r Row) []cell {
	nc := r.NC
	plain := func(v string) cell { return textCell(v, styleNone) }
	text := func(v string) cell { return textCell(v, styleText) }
	date := func(d string) cell {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return cell{}
		}
		return dateCell(t)
	}
	var score cell
	if nc.Score > 0 {
		score = numCell(float64(nc.Score), styleNone)
	}
	ca, draft := r.caText()
	draftMark := ""
	if draft {
		draftMark = "✓"
	}
	sentAt, sentBy := r.caSent()
	var sent cell
	if !sentAt.IsZero() {
		sent = date(sentAt.Format(time.DateOnly))
	}
	who, due := r.responsible()
	return []cell{
		plain(nc.AuditID), date(string(r.Audit.Date)), text(r.Audit.ServiceType), plain(nc.ID), plain(nc.CriterionNumber),
		text(nc.CriterionText), plain(word(l.Types, nc.CriterionType)), text(nc.Finding), score,
		date(string(nc.ReceivedDate)), date(string(nc.StepDueDate())), text(who), date(due),
		plain(word(l.Stages, nc.Stage)), plain(word(l.Statuses, nc.CAStatus)), text(ca), plain(draftMark), text(r.caAuthor()),
		sent, plain(sentBy), text(strings.Join(l.caDecisions(r), "\n")), plain(word(l.Statuses, nc.EvidenceStatus)),
		text(strings.Join(l.evidenceList(r), "\n")), text(r.evidenceAuthors()), plain(r.evidenceBy()),
		text(strings.Join(l.evidenceDecisions(r), "\n")),
	}
}
