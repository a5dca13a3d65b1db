package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

func (s *Store) AddCrashReport(ctx context.Context, rec store.CrashRecord, since time.Time, perDay int) (bool, error) {
	raw, err := json.Marshal(rec.Report)
	if err != nil {
		return false, err
	}
	tx, err := s.beginWrite(ctx) // immediate (_txlock): the count and the insert are one
	if err != nil {
		return false, fmt.Errorf("add crash report: %w", err)
	}
	defer s.endWrite(tx)
	var known int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM crash_reports WHERE org_id = ? AND id = ?`, rec.OrgID, rec.Report.ID).Scan(&known); err != nil {
		return false, fmt.Errorf("add crash report: %w", err)
	}
	if known > 0 {
		return false, nil
	}
	var today int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM crash_reports WHERE org_id = ? AND received_at >= ?`, rec.OrgID, since.UnixNano()).Scan(&today); err != nil {
		return false, fmt.Errorf("add crash report: %w", err)
	}
	if today >= perDay {
		return false, store.ErrCrashLimit
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO crash_reports (org_id, id, received_at, report) VALUES (?, ?, ?, ?)`,
		rec.OrgID, rec.Report.ID, rec.ReceivedAt.UnixNano(), string(raw)); err != nil {
		return false, fmt.Errorf("add crash report: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("add crash report: %w", err)
	}
	return true, nil
}

func (s *Store) CrashReports(ctx context.Context, limit int) ([]store.CrashRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT org_id, received_at, report FROM crash_reports ORDER BY received_at DESC, id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("crash reports: %w", err)
	}
	defer rows.Close()
	var out []store.CrashRecord
	for rows.Next() {
		var rec store.CrashRecord
		var at int64
		var raw string
		if err := rows.Scan(&rec.OrgID, &at, &raw); err != nil {
			return nil, fmt.Errorf("crash reports: %w", err)
		}
		if err := json.Unmarshal([]byte(raw), &rec.Report); err != nil {
			return nil, fmt.Errorf("crash report of %s: %w", rec.OrgID, err)
		}
		rec.ReceivedAt = time.Unix(0, at).UTC()
		out = append(out, rec)
	}
	return out, rows.Err()
}
