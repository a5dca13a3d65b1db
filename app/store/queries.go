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

// Portal reads what the portal screens show: the synced entities, decoded, and the
// user's marks on them (messages read, notices seen). Safe for concurrent use.
type Portal struct {
	db  *database
	ncs ncCache
}

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
func (p *Portal) Organisation(ctx context.Context) (*api.Organisation, error) {
	v, err := one[api.Organisation](ctx, p.db.sql, `SELECT data FROM organisation LIMIT 1`)
	return v, p.db.noted(err)
}

// Certification returns the certification data, ErrNotFound when there is none.
func (p *Portal) Certification(ctx context.Context) (*api.Certification, error) {
	v, err := one[api.Certification](ctx, p.db.sql, `SELECT data FROM certification LIMIT 1`)
	return v, p.db.noted(err)
}

// Contacts returns the contacts, FLOCERT's analyst first, then by name.
func (p *Portal) Contacts(ctx context.Context) ([]api.Contact, error) {
	v, err := list[api.Contact](ctx, p.db.sql,
		`SELECT data FROM contact ORDER BY COALESCE(json_extract(data, '$.analyst'), 0) DESC, name`)
	return v, p.db.noted(err)
}

// ChangeRequests returns the change requests the server holds, newest first.
func (p *Portal) ChangeRequests(ctx context.Context) ([]api.ChangeRequest, error) {
	v, err := list[api.ChangeRequest](ctx, p.db.sql, `SELECT data FROM change_request ORDER BY json_extract(data, '$.requested_at') DESC`)
	return v, p.db.noted(err)
}

// Certificates returns the certificates, newest first.
func (p *Portal) Certificates(ctx context.Context) ([]api.Certificate, error) {
	v, err := list[api.Certificate](ctx, p.db.sql, `SELECT data FROM certificate ORDER BY year DESC, id`)
	return v, p.db.noted(err)
}

// Documents returns the documents, newest first.
func (p *Portal) Documents(ctx context.Context) ([]api.Document, error) {
	v, err := list[api.Document](ctx, p.db.sql, `SELECT data FROM document ORDER BY date DESC, id`)
	return v, p.db.noted(err)
}

// Audits returns the audits, newest first.
func (p *Portal) Audits(ctx context.Context) ([]api.Audit, error) {
	v, err := list[api.Audit](ctx, p.db.sql, `SELECT data FROM audit ORDER BY date DESC, id`)
	return v, p.db.noted(err)
}

// Audit returns one audit.
func (p *Portal) Audit(ctx context.Context, id string) (*api.Audit, error) {
	v, err := one[api.Audit](ctx, p.db.sql, `SELECT data FROM audit WHERE id = ?`, id)
	return v, p.db.noted(err)
}

// NCs returns the NCs in the given stages (all when none is given), by the due date of
// their current step (api.NC.StepDueDate; those without one last), then received date
// and number. The decoded list is kept
// between calls until a write touches the NCs: decoding 5,000 NCs' JSON is most of the
// cost of listing them (sync/BENCHMARKS.md). Callers must not modify the NCs returned.
func (p *Portal) NCs(ctx context.Context, stages ...string) ([]api.NC, error) {
	all, err := p.allNCs(ctx)
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

// NCIDs returns the ids of the NCs in the given stages, in the order of NCs, read from
// the stage index without decoding an NC: `send` needs the ids of thousands of NCs left
// behind, and its first byte must not wait for their JSON.
func (p *Portal) NCIDs(ctx context.Context, stages ...string) ([]string, error) {
	where, args := "", make([]any, len(stages))
	for i, st := range stages {
		args[i] = st
	}
	if len(stages) > 0 {
		where = ` WHERE stage IN (?` + strings.Repeat(`, ?`, len(stages)-1) + `)`
	}
	// The step's deadline as api.NC.StepDueDate chooses it; none last.
	rows, err := p.db.sql.QueryContext(ctx, `SELECT id FROM (SELECT id, received, CASE
		WHEN stage IN ('`+api.StageCARequested+`', '`+api.StageCAReturned+`') THEN due
		WHEN stage IN ('`+api.StageEvidenceRequested+`', '`+api.StageEvidenceReturned+`') THEN evidence_due
		END AS step FROM nc`+where+`)
		ORDER BY COALESCE(step, '') = '', step, received DESC, id`, args...)
	if err != nil {
		return nil, p.db.noted(err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, p.db.noted(err)
		}
		ids = append(ids, id)
	}
	return ids, p.db.noted(rows.Err())
}

// ncCache holds every NC decoded, valid while gen is the database's ncGen.
type ncCache struct {
	mu  sync.Mutex
	gen uint64
	all []api.NC
}

// ncsChanged is called after a transaction that wrote NCs committed.
func (d *database) ncsChanged() { d.ncGen.Add(1) }

// NCsDecoded says whether the replica's NCs are decoded and current: the next read of
// NCs will not decode them (see App.Prepare).
func (p *Portal) NCsDecoded() bool {
	p.ncs.mu.Lock()
	defer p.ncs.mu.Unlock()
	return p.ncs.all != nil && p.ncs.gen == p.db.ncGen.Load()
}

func (p *Portal) allNCs(ctx context.Context) ([]api.NC, error) {
	p.ncs.mu.Lock()
	defer p.ncs.mu.Unlock()
	gen := p.db.ncGen.Load()
	if p.ncs.all != nil && p.ncs.gen == gen {
		return p.ncs.all, nil
	}
	all, err := list[api.NC](ctx, p.db.sql, `SELECT data FROM nc ORDER BY received DESC, id`)
	if err != nil {
		return nil, p.db.noted(err)
	}
	// The step's deadline is chosen per stage, so it is sorted here, not in SQL; the
	// query's order (received, id) stays the tie-break.
	slices.SortStableFunc(all, func(a, b api.NC) int { return cmpDue(a.StepDueDate(), b.StepDueDate()) })
	p.ncs.all, p.ncs.gen = all, gen
	return all, nil
}

// cmpDue orders due dates, the empty one (nothing due) last.
func cmpDue(a, b api.Date) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	case a < b:
		return -1
	}
	return 1
}

// NC returns one NC.
func (p *Portal) NC(ctx context.Context, id string) (*api.NC, error) {
	v, err := one[api.NC](ctx, p.db.sql, `SELECT data FROM nc WHERE id = ?`, id)
	return v, p.db.noted(err)
}

// Messages returns an NC's thread, oldest first.
func (p *Portal) Messages(ctx context.Context, ncID string) ([]api.Message, error) {
	v, err := list[api.Message](ctx, p.db.sql, `SELECT data FROM message WHERE nc_id = ? ORDER BY sent_at, id`, ncID)
	return v, p.db.noted(err)
}

// LatestMessages returns the newest messages of every thread, newest first.
func (p *Portal) LatestMessages(ctx context.Context, limit int) ([]api.Message, error) {
	v, err := list[api.Message](ctx, p.db.sql, `SELECT data FROM message ORDER BY sent_at DESC, id LIMIT ?`, limit)
	return v, p.db.noted(err)
}

// Evidence returns the evidence files of an NC.
func (p *Portal) Evidence(ctx context.Context, ncID string) ([]api.Evidence, error) {
	v, err := list[api.Evidence](ctx, p.db.sql, `SELECT data FROM evidence WHERE nc_id = ? ORDER BY json_extract(data, '$.date'), id`, ncID)
	return v, p.db.noted(err)
}

// EvidenceByNC returns every evidence file, grouped by NC, each NC's in the order of
// Evidence (the register reads them all at once rather than NC by NC).
func (p *Portal) EvidenceByNC(ctx context.Context) (map[string][]api.Evidence, error) {
	all, err := list[api.Evidence](ctx, p.db.sql, `SELECT data FROM evidence ORDER BY nc_id, json_extract(data, '$.date'), id`)
	if err != nil {
		return nil, p.db.noted(err)
	}
	out := map[string][]api.Evidence{}
	for _, e := range all {
		out[e.NCID] = append(out[e.NCID], e)
	}
	return out, nil
}

// Criteria returns the checklist in criterion-number order.
func (p *Portal) Criteria(ctx context.Context) ([]api.Criterion, error) {
	v, err := list[api.Criterion](ctx, p.db.sql, `SELECT data FROM criterion ORDER BY number, id`)
	return v, p.db.noted(err)
}

// Criterion returns the checklist entry with the given number.
func (p *Portal) Criterion(ctx context.Context, number string) (*api.Criterion, error) {
	v, err := one[api.Criterion](ctx, p.db.sql, `SELECT data FROM criterion WHERE number = ? LIMIT 1`, number)
	return v, p.db.noted(err)
}

// Unread returns, per NC, the number of analyst messages the user has not read; only
// for the NCs given, when some are.
func (p *Portal) Unread(ctx context.Context, ncIDs ...string) (map[string]int, error) {
	where, args := inNCs(ncIDs)
	return p.countsByNC(ctx, `SELECT nc_id, COUNT(*) FROM message INDEXED BY message_unread
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
func (p *Portal) countsByNC(ctx context.Context, query string, args ...any) (map[string]int, error) {
	rows, err := p.db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, p.db.noted(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, p.db.noted(err)
		}
		out[id] = n
	}
	return out, p.db.noted(rows.Err())
}

// IsRead says whether the user has read a message.
func (p *Portal) IsRead(ctx context.Context, messageID string) (bool, error) {
	var n int
	err := p.db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM message_read WHERE id = ?`, messageID).Scan(&n)
	return n > 0, p.db.noted(err)
}

// MarkRead marks every message of an NC's thread as read.
func (p *Portal) MarkRead(ctx context.Context, ncID string) error {
	_, err := p.db.sql.ExecContext(ctx, `INSERT OR IGNORE INTO message_read(id) SELECT id FROM message WHERE nc_id = ?`, ncID)
	return p.db.noted(err)
}
