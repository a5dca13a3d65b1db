package workflow

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Limits of a closing report. Package variables so that tests may shrink them.
var (
	MaxClosingReportBytes int64 = 4 << 20
	MaxClosingReportRows        = 1000
)

// ClosingReportColumns is the header of a CSV closing report, and the fields of each
// object of a JSON one.
var ClosingReportColumns = []string{"criterion_number", "criterion_text", "criterion_type", "finding", "score"}

// closingRow is one NC of a closing report.
type closingRow struct {
	CriterionNumber string `json:"criterion_number"`
	CriterionText   string `json:"criterion_text"`
	CriterionType   string `json:"criterion_type"`
	Finding         string `json:"finding"`
	Score           int    `json:"score"`
}

// ImportClosingReport enters the NCs of an audit's closing report (format "csv" or
// "json") and returns how many it entered. All rows are entered in one transaction, or
// none when any row is invalid (the error names the row).
func (wf *Workflow) ImportClosingReport(ctx context.Context, auditor, orgID, auditID string, r io.Reader, format string) (int, error) {
	u, err := wf.actor(ctx, auditor, api.RoleAuditor)
	if err != nil {
		return 0, err
	}
	lr := &io.LimitedReader{R: r, N: MaxClosingReportBytes + 1}
	var rows []closingRow
	switch format {
	case "csv":
		rows, err = readClosingCSV(lr)
	case "json":
		rows, err = readClosingJSON(lr)
	default:
		return 0, problem.Errorf(ErrInvalid, "closing report format %q: use csv or json", format).Saying("closing_format", format)
	}
	if lr.N <= 0 {
		return 0, problem.Errorf(ErrInvalid, "the closing report is larger than %d bytes", MaxClosingReportBytes).
			Saying("closing_too_large", MaxClosingReportBytes)
	}
	if err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, problem.Errorf(ErrInvalid, "the closing report has no NC").Saying("closing_empty")
	}
	if len(rows) > MaxClosingReportRows {
		return 0, problem.Errorf(ErrInvalid, "the closing report has %d rows; at most %d", len(rows), MaxClosingReportRows).
			Saying("closing_rows", len(rows), MaxClosingReportRows)
	}
	ncs := make([]api.NC, len(rows))
	for i, row := range rows {
		ncs[i] = api.NC{AuditID: auditID, CriterionNumber: strings.TrimSpace(row.CriterionNumber), CriterionText: row.CriterionText,
			CriterionType: strings.ToLower(strings.TrimSpace(row.CriterionType)), Finding: row.Finding, Score: row.Score}
		if err := checkNewNC(ncs[i]); err != nil {
			return 0, problem.Errorf(ErrInvalid, "row %d: %v", i+1, err).Saying("closing_row", i+1, err)
		}
	}
	err = wf.store.Update(ctx, orgID, func(tx store.Tx) error {
		for _, nc := range ncs {
			if err := wf.enter(tx, u, nc, "enter NC (closing report)"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(ncs), nil
}

func readClosingCSV(r io.Reader) ([]closingRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(ClosingReportColumns)
	header, err := cr.Read()
	if err != nil {
		return nil, problem.Errorf(ErrInvalid, "closing report: no CSV header (%s)", strings.Join(ClosingReportColumns, ",")).
			Saying("closing_no_header", strings.Join(ClosingReportColumns, ","))
	}
	for i, want := range ClosingReportColumns {
		if strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")) != want {
			return nil, problem.Errorf(ErrInvalid, "closing report: the CSV header must be %s", strings.Join(ClosingReportColumns, ",")).
				Saying("closing_header", strings.Join(ClosingReportColumns, ","))
		}
	}
	var rows []closingRow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, csvRefusal(err)
		}
		row := closingRow{CriterionNumber: rec[0], CriterionText: rec[1], CriterionType: rec[2], Finding: rec[3]}
		if v := strings.TrimSpace(rec[4]); v != "" {
			if row.Score, err = strconv.Atoi(v); err != nil {
				return nil, problem.Errorf(ErrInvalid, "closing report line %d: score %q is not a number", line, v).
					Saying("closing_score", line, v)
			}
		}
		rows = append(rows, row)
		if len(rows) > MaxClosingReportRows {
			return rows, nil
		}
	}
}

func readClosingJSON(r io.Reader) ([]closingRow, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var rows []closingRow
	if err := dec.Decode(&rows); err != nil {
		return nil, problem.Errorf(ErrInvalid, "closing report: not a JSON array of {%s}: %v", strings.Join(ClosingReportColumns, ", "), err).
			Saying("closing_json", strings.Join(ClosingReportColumns, ", "))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, problem.Errorf(ErrInvalid, "closing report: data after the JSON array").Saying("closing_json_after")
	}
	return rows, nil
}

// csvRefusal says what is wrong with a closing report's CSV, and on which line.
func csvRefusal(err error) *problem.Error {
	key, args := "closing_csv", []any(nil)
	var ce *csv.ParseError
	if errors.As(err, &ce) {
		switch {
		case errors.Is(ce.Err, csv.ErrFieldCount):
			key, args = "closing_csv_fields", []any{ce.Line, len(ClosingReportColumns)}
		case errors.Is(ce.Err, csv.ErrQuote) || errors.Is(ce.Err, csv.ErrBareQuote):
			key, args = "closing_csv_quote", []any{ce.Line}
		default:
			key, args = "closing_csv_line", []any{ce.Line}
		}
	}
	return problem.Errorf(ErrInvalid, "closing report: %v", err).Saying(key, args...)
}
