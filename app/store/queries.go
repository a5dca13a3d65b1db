package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// list decodes the JSON data column of every row a query returns.
func list[T any](ctx context.Context, db *sql.DB, query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, fmt.Errorf("decode row: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// one decodes the single row a query returns; ErrNotFound when there is none.
func one[T any](ctx context.Context, db *sql.DB, query string, args ...any) (*T, error) {
	var data []byte
	err := db.QueryRowContext(ctx, query, args...).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("decode row: %w", err)
	}
	return &v, nil
}

// Organisation returns the organisation's master data, ErrNotFound before the first sync.
func (s *Store) Organisation(ctx context.Context) (*api.Organisation, error) {
	v, err := one[api.Organisation](ctx, s.db, `SELECT data FROM organisation LIMIT 1`)
	return v, s.noted(err)
}

// Certification returns the certification data, ErrNotFound when there is none.
func (s *Store) Certification(ctx context.Context) (*api.Certification, error) {
	v, err := one[api.Certification](ctx, s.db, `SELECT data FROM certification LIMIT 1`)
	return v, s.noted(err)
}

// Contacts returns the contacts, FLOCERT's analyst first, then by name.
func (s *Store) Contacts(ctx context.Context) ([]api.Contact, error) {
	v, err := list[api.Contact](ctx, s.db,
		`SELECT data FROM contact ORDER BY COALESCE(json_extract(data, '$.analyst'), 0) DESC, name`)
	return v, s.noted(err)
}

// Certificates returns the certificates, newest first.
func (s *Store) Certificates(ctx context.Context) ([]api.Certificate, error) {
	v, err := list[api.Certificate](ctx, s.db, `SELECT data FROM certificate ORDER BY year DESC, id`)
	return v, s.noted(err)
}

// Documents returns the documents, newest first.
func (s *Store) Documents(ctx context.Context) ([]api.Document, error) {
	v, err := list[api.Document](ctx, s.db, `SELECT data FROM document ORDER BY date DESC, id`)
	return v, s.noted(err)
}

// Audits returns the audits, newest first.
func (s *Store) Audits(ctx context.Context) ([]api.Audit, error) {
	v, err := list[api.Audit](ctx, s.db, `SELECT data FROM audit ORDER BY date DESC, id`)
	return v, s.noted(err)
}

// Audit returns one audit.
func (s *Store) Audit(ctx context.Context, id string) (*api.Audit, error) {
	v, err := one[api.Audit](ctx, s.db, `SELECT data FROM audit WHERE id = ?`, id)
	return v, s.noted(err)
}

// NCs returns the NCs in the given stages (all when none is given), by due date
// (those without one last), then received date and number. The decoded list is kept
// between calls until a write touches the NCs: decoding 5,000 NCs' JSON is most of the
// cost of listing them (sync/BENCHMARKS.md). Callers must not modify the NCs returned.
func (s *Store) NCs(ctx context.Context, stages ...string) ([]api.NC, error) {
	all, err := s.allNCs(ctx)
	if err != nil || len(stages) == 0 {
		return all, err
	}
	out := make([]api.NC, 0, len(all))
	for _, nc := range all {
		if slices.Contains(stages, nc.Stage) {
			out = append(out, nc)
		}
	}
	return out, nil
}

// ncCache holds every NC decoded, valid while gen is the store's ncGen.
type ncCache struct {
	mu  sync.Mutex
	gen uint64
	all []api.NC
}

// ncsChanged is called after a transaction that wrote NCs committed.
func (s *Store) ncsChanged() { s.ncGen.Add(1) }

func (s *Store) allNCs(ctx context.Context) ([]api.NC, error) {
	s.ncs.mu.Lock()
	defer s.ncs.mu.Unlock()
	gen := s.ncGen.Load()
	if s.ncs.all != nil && s.ncs.gen == gen {
		return s.ncs.all, nil
	}
	all, err := list[api.NC](ctx, s.db, `SELECT data FROM nc ORDER BY COALESCE(due, '9999'), received DESC, id`)
	if err != nil {
		return nil, s.noted(err)
	}
	s.ncs.all, s.ncs.gen = all, gen
	return all, nil
}

// NC returns one NC.
func (s *Store) NC(ctx context.Context, id string) (*api.NC, error) {
	v, err := one[api.NC](ctx, s.db, `SELECT data FROM nc WHERE id = ?`, id)
	return v, s.noted(err)
}

// Messages returns an NC's thread, oldest first.
func (s *Store) Messages(ctx context.Context, ncID string) ([]api.Message, error) {
	v, err := list[api.Message](ctx, s.db, `SELECT data FROM message WHERE nc_id = ? ORDER BY sent_at, id`, ncID)
	return v, s.noted(err)
}

// LatestMessages returns the newest messages of every thread, newest first.
func (s *Store) LatestMessages(ctx context.Context, limit int) ([]api.Message, error) {
	v, err := list[api.Message](ctx, s.db, `SELECT data FROM message ORDER BY sent_at DESC, id LIMIT ?`, limit)
	return v, s.noted(err)
}

// Evidence returns the evidence files of an NC.
func (s *Store) Evidence(ctx context.Context, ncID string) ([]api.Evidence, error) {
	v, err := list[api.Evidence](ctx, s.db, `SELECT data FROM evidence WHERE nc_id = ? ORDER BY json_extract(data, '$.date'), id`, ncID)
	return v, s.noted(err)
}

// Criteria returns the checklist in criterion-number order.
func (s *Store) Criteria(ctx context.Context) ([]api.Criterion, error) {
	v, err := list[api.Criterion](ctx, s.db, `SELECT data FROM criterion ORDER BY number, id`)
	return v, s.noted(err)
}

// Criterion returns the checklist entry with the given number.
func (s *Store) Criterion(ctx context.Context, number string) (*api.Criterion, error) {
	v, err := one[api.Criterion](ctx, s.db, `SELECT data FROM criterion WHERE number = ? LIMIT 1`, number)
	return v, s.noted(err)
}

// Unread returns, per NC, the number of analyst messages the user has not read; only
// for the NCs given, when some are.
func (s *Store) Unread(ctx context.Context, ncIDs ...string) (map[string]int, error) {
	where, args := inNCs(ncIDs)
	return s.countsByNC(ctx, `SELECT nc_id, COUNT(*) FROM message INDEXED BY message_unread
		WHERE `+where+` author_role != 'client' AND NOT EXISTS (SELECT 1 FROM message_read r WHERE r.id = message.id)
		GROUP BY nc_id`, args...)
}

// inNCs is the condition "nc_id IN (…) AND" for a few NCs, or nothing for all.
func inNCs(ids []string) (string, []any) {
	if len(ids) == 0 {
		return "", nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return `nc_id IN (?` + strings.Repeat(",?", len(ids)-1) + `) AND`, args
}

// countsByNC runs a query answering (nc_id, count) rows.
func (s *Store) countsByNC(ctx context.Context, query string, args ...any) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.noted(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, s.noted(err)
		}
		out[id] = n
	}
	return out, s.noted(rows.Err())
}

// IsRead says whether the user has read a message.
func (s *Store) IsRead(ctx context.Context, messageID string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM message_read WHERE id = ?`, messageID).Scan(&n)
	return n > 0, err
}

// MarkRead marks every message of an NC's thread as read.
func (s *Store) MarkRead(ctx context.Context, ncID string) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO message_read(id) SELECT id FROM message WHERE nc_id = ?`, ncID)
	return err
}
