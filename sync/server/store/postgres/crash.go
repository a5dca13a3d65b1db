package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

func (s *Store) AddCrashReport(ctx context.Context, rec store.CrashRecord, since time.Time, perDay int) (bool, error) {
	raw, err := json.Marshal(rec.Report)
	if err != nil {
		return false, err
	}
	if !storable(rec.OrgID, rec.Report.ID, string(raw)) {
		return false, fmt.Errorf("add crash report: text that cannot be stored")
	}
	added := false
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		// One organisation's reports are counted and added one call at a time.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('crash:' || $1))`, rec.OrgID); err != nil {
			return err
		}
		var known, today int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM crash_reports WHERE org_id = $1 AND id = $2`, rec.OrgID, rec.Report.ID).Scan(&known); err != nil {
			return err
		}
		if known > 0 {
			return nil
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM crash_reports WHERE org_id = $1 AND received_at >= $2`, rec.OrgID, since.UnixNano()).Scan(&today); err != nil {
			return err
		}
		if today >= perDay {
			return store.ErrCrashLimit
		}
		if _, err := tx.Exec(ctx, `INSERT INTO crash_reports (org_id, id, received_at, report) VALUES ($1, $2, $3, $4)`,
			rec.OrgID, rec.Report.ID, rec.ReceivedAt.UnixNano(), string(raw)); err != nil {
			return err
		}
		added = true
		return nil
	})
	if err != nil && err != store.ErrCrashLimit {
		return false, fmt.Errorf("add crash report: %w", err)
	}
	return added, err
}

func (s *Store) CrashReports(ctx context.Context, limit int) ([]store.CrashRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT org_id, received_at, report FROM crash_reports ORDER BY received_at DESC, id LIMIT $1`, limit)
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
