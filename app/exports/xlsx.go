package exports

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// headerRow is the spreadsheet row of the column titles; above it, the title and who
// and when.
const headerRow = 4

// WriteXLSX writes the register as a workbook of one sheet: a title, then one row per
// NC in an Excel table (filters and sorting on every column), dates as real dates.
// Rows go through excelize's stream writer, which keeps them on disk rather than in
// memory, so the 5,000-NC register costs little more than a small one.
func WriteXLSX(ctx context.Context, w io.Writer, reg Register, progress OnProgress) error {
	l := words(reg.Lang)
	f := excelize.NewFile()
	defer f.Close()
	sheet := l.Sheet
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	styles, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	cols := l.columns()
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	title := []any{excelize.Cell{StyleID: styles.title, Value: l.Title}}
	if err := sw.SetRow("A1", title); err != nil {
		return err
	}
	who := []any{reg.Organisation + " (FLO ID " + reg.OrgID + ")", l.Exported + " " + l.long(reg.Date),
		l.Filter + l.Colon + word(l.Filters, reg.Filter)}
	if err := sw.SetRow("A2", who); err != nil {
		return err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: styles.header, Value: c.title}
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", headerRow), header); err != nil {
		return err
	}
	total := len(reg.Rows)
	for i, r := range reg.Rows {
		if i%every == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", headerRow+1+i), l.xlsxValues(r, styles)); err != nil {
			return err
		}
		progress.report(i+1, total)
	}
	if total > 0 {
		last, _ := excelize.CoordinatesToCellName(len(cols), headerRow+total)
		if err := sw.AddTable(&excelize.Table{Range: fmt.Sprintf("A%d:%s", headerRow, last), Name: "Register",
			StyleName: "TableStyleLight9"}); err != nil {
			return err
		}
	} else {
		progress.report(0, 0)
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	f.SetDocProps(&excelize.DocProperties{Title: l.Title + " — " + reg.Organisation, Creator: "Ecert Desktop",
		Language: reg.Lang})
	_, err = f.WriteTo(w)
	return err
}

type xlsxStyles struct{ title, header, date, text int }

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	if s.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return s, err
	}
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return s, err
	}
	// 14 is the built-in short date, shown in the reader's own date order.
	if s.date, err = f.NewStyle(&excelize.Style{NumFmt: 14, Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return s, err
	}
	s.text, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return s, err
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

// xlsxValues is a row of the sheet. Dates are time values with a date style, so that
// the sheet sorts and filters them as dates; empty ones stay empty cells.
func (l *labels) xlsxValues(r Row, s xlsxStyles) []any {
	nc := r.NC
	text := func(v string) any { return excelize.Cell{StyleID: s.text, Value: v} }
	date := func(d string) any {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return nil
		}
		return excelize.Cell{StyleID: s.date, Value: t}
	}
	var score any
	if nc.Score > 0 {
		score = nc.Score
	}
	ca, draft := r.caText()
	draftMark := ""
	if draft {
		draftMark = "✓"
	}
	sentAt, sentBy := r.caSent()
	var sent any
	if !sentAt.IsZero() {
		sent = date(sentAt.Format(time.DateOnly))
	}
	who, due := r.responsible()
	return []any{
		nc.AuditID, date(string(r.Audit.Date)), text(r.Audit.ServiceType), nc.ID, nc.CriterionNumber,
		text(nc.CriterionText), word(l.Types, nc.CriterionType), text(nc.Finding), score,
		date(string(nc.ReceivedDate)), date(string(nc.StepDueDate())), text(who), date(due),
		word(l.Stages, nc.Stage), word(l.Statuses, nc.CAStatus), text(ca), draftMark, text(r.caAuthor()),
		sent, sentBy, text(strings.Join(l.caDecisions(r), "\n")), word(l.Statuses, nc.EvidenceStatus),
		text(strings.Join(l.evidenceList(r), "\n")), text(r.evidenceAuthors()), r.evidenceBy(),
		text(strings.Join(l.evidenceDecisions(r), "\n")),
	}
}
