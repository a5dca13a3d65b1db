package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

func (s *Store) AppendTrail(ctx context.Context, orgID, clientID string, entries []api.TrailEntry, at time.Time) (int64, error) {
	tx, err := s.beginWrite(ctx) // immediate (_txlock): one append at a time
	if err != nil {
		return 0, fmt.Errorf("append trail: %w", err)
	}
	defer s.endWrite(tx)
	var last int64
	lastHash := api.TrailGenesis
	err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM trail_entries WHERE org_id = ? AND client_id = ? ORDER BY seq DESC LIMIT 1`,
		orgID, clientID).Scan(&last, &lastHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("append trail: %w", err)
	}
	var orgSeq int64
	chain := api.TrailGenesis
	err = tx.QueryRowContext(ctx, `SELECT seq, chain FROM trail_heads WHERE org_id = ?`, orgID).Scan(&orgSeq, &chain)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("append trail: %w", err)
	}
	appended := false
	for _, e := range entries {
		if e.Seq <= last {
			var held string
			if err := tx.QueryRowContext(ctx, `SELECT hash FROM trail_entries WHERE org_id = ? AND client_id = ? AND seq = ?`,
				orgID, clientID, e.Seq).Scan(&held); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return 0, fmt.Errorf("append trail: %w", err)
			}
			if err := store.TrailSame(e, held); err != nil {
				return 0, err
			}
			continue
		}
		if err := store.TrailNext(e, last, lastHash); err != nil {
			return 0, err
		}
		orgSeq++
		chain = api.TrailChainHash(chain, clientID, e.Hash)
		if _, err := tx.ExecContext(ctx, `INSERT INTO trail_entries (org_id, org_seq, client_id, seq, at, author, kind, nc_id,
			digest, prev, hash, chain, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			orgID, orgSeq, clientID, e.Seq, e.At.UTC().Format(api.TrailTimeLayout), e.Author, e.Kind, e.NCID,
			e.Digest, e.Prev, e.Hash, chain, at.UnixNano()); err != nil {
			return 0, fmt.Errorf("append trail: %w", err)
		}
		last, lastHash, appended = e.Seq, e.Hash, true
	}
	if !appended {
		return last, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO trail_heads (org_id, seq, chain) VALUES (?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET seq = excluded.seq, chain = excluded.chain`, orgID, orgSeq, chain); err != nil {
		return 0, fmt.Errorf("append trail: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("append trail: %w", err)
	}
	return last, nil
}

func (s *Store) TrailRecords(ctx context.Context, orgID string, after int64, limit int) ([]api.TrailRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT org_seq, client_id, seq, at, author, kind, nc_id, digest, prev, hash, chain, received_at
		FROM trail_entries WHERE org_id = ? AND org_seq > ? ORDER BY org_seq LIMIT ?`, orgID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("trail records: %w", err)
	}
	defer rows.Close()
	out := []api.TrailRecord{}
	for rows.Next() {
		var r api.TrailRecord
		var at string
		var received int64
		if err := rows.Scan(&r.OrgSeq, &r.ClientID, &r.Entry.Seq, &at, &r.Entry.Author, &r.Entry.Kind, &r.Entry.NCID,
			&r.Entry.Digest, &r.Entry.Prev, &r.Entry.Hash, &r.Chain, &received); err != nil {
			return nil, fmt.Errorf("trail records: %w", err)
		}
		r.Entry.At, _ = time.Parse(api.TrailTimeLayout, at)
		r.ReceivedAt = time.Unix(0, received).UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
