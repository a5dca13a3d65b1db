package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

func (s *Store) AppendTrail(ctx context.Context, orgID, clientID string, entries []api.TrailEntry, at time.Time) (int64, error) {
	for _, e := range entries {
		if !storable(e.Author, e.Kind, e.NCID, e.Digest, e.Prev, e.Hash) {
			return 0, &store.TrailBrokenError{Seq: e.Seq, Reason: "text that cannot be stored"}
		}
	}
	var last int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// The organisation's head row, locked until commit: its appends go one at a time,
		// whichever node serves them.
		if _, err := tx.Exec(ctx, `INSERT INTO trail_heads (org_id, seq, chain) VALUES ($1, 0, $2) ON CONFLICT (org_id) DO NOTHING`,
			orgID, api.TrailGenesis); err != nil {
			return err
		}
		var orgSeq int64
		var chain string
		if err := tx.QueryRow(ctx, `SELECT seq, chain FROM trail_heads WHERE org_id = $1 FOR UPDATE`, orgID).Scan(&orgSeq, &chain); err != nil {
			return err
		}
		lastHash := api.TrailGenesis
		last = 0
		err := tx.QueryRow(ctx, `SELECT seq, hash FROM trail_entries WHERE org_id = $1 AND client_id = $2 ORDER BY seq DESC LIMIT 1`,
			orgID, clientID).Scan(&last, &lastHash)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		appended := false
		for _, e := range entries {
			if e.Seq <= last {
				var held string
				err := tx.QueryRow(ctx, `SELECT hash FROM trail_entries WHERE org_id = $1 AND client_id = $2 AND seq = $3`,
					orgID, clientID, e.Seq).Scan(&held)
				if err != nil && !errors.Is(err, pgx.ErrNoRows) {
					return err
				}
				if err := store.TrailSame(e, held); err != nil {
					return err
				}
				continue
			}
			if err := store.TrailNext(e, last, lastHash); err != nil {
				return err
			}
			orgSeq++
			chain = api.TrailChainHash(chain, clientID, e.Hash)
			if _, err := tx.Exec(ctx, `INSERT INTO trail_entries (org_id, org_seq, client_id, seq, at, author, kind, nc_id,
				digest, prev, hash, chain, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
				orgID, orgSeq, clientID, e.Seq, e.At.UTC().Format(api.TrailTimeLayout), e.Author, e.Kind, e.NCID,
				e.Digest, e.Prev, e.Hash, chain, at.UnixNano()); err != nil {
				return err
			}
			last, lastHash, appended = e.Seq, e.Hash, true
		}
		if !appended {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE trail_heads SET seq = $2, chain = $3 WHERE org_id = $1`, orgID, orgSeq, chain)
		return err
	})
	var broken *store.TrailBrokenError
	if errors.As(err, &broken) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("append trail: %w", err)
	}
	return last, nil
}

func (s *Store) TrailRecords(ctx context.Context, orgID string, after int64, limit int) ([]api.TrailRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT org_seq, client_id, seq, at, author, kind, nc_id, digest, prev, hash, chain, received_at
		FROM trail_entries WHERE org_id = $1 AND org_seq > $2 ORDER BY org_seq LIMIT $3`, orgID, after, limit)
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
