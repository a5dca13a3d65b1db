package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Reads of entities, the change log and the audit trail.

func entity(ctx context.Context, q querier, orgID, kind, id string) (store.EntityRecord, error) {
	var r store.EntityRecord
	if !storable(orgID, kind, id) {
		return r, store.ErrNotFound
	}
	var data string
	err := q.QueryRow(ctx, `SELECT data, visible, revision FROM entities
		WHERE org_id = $1 AND entity = $2 AND id = $3`, orgID, kind, id).Scan(&data, &r.Visible, &r.Revision)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, store.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("read %s: %w", kind, err)
	}
	r.Data = json.RawMessage(data)
	return r, nil
}

// entityRecords runs a query answering (data, visible, revision) rows of one kind.
func entityRecords(ctx context.Context, q querier, kind, query string, args ...any) ([]store.EntityRecord, error) {
	rows, _ := q.Query(ctx, query, args...)
	out, err := collect(rows, func(row pgx.CollectableRow) (store.EntityRecord, error) {
		var r store.EntityRecord
		var data string
		err := row.Scan(&data, &r.Visible, &r.Revision)
		r.Data = json.RawMessage(data)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", kind, err)
	}
	return out, nil
}

func children(ctx context.Context, q querier, orgID, kind, parentID string) ([]store.EntityRecord, error) {
	if !storable(orgID, kind, parentID) {
		return nil, nil
	}
	return entityRecords(ctx, q, kind, `SELECT data, visible, revision FROM entities
		WHERE org_id = $1 AND entity = $2 AND parent_id = $3 ORDER BY ord`, orgID, kind, parentID)
}

func (s *Store) Entity(ctx context.Context, orgID, kind, id string) (store.EntityRecord, error) {
	return entity(ctx, s.pool, orgID, kind, id)
}

func (s *Store) Children(ctx context.Context, orgID, kind, parentID string) ([]store.EntityRecord, error) {
	return children(ctx, s.pool, orgID, kind, parentID)
}

func (s *Store) All(ctx context.Context, orgID, kind string) ([]store.EntityRecord, error) {
	return entityRecords(ctx, s.pool, kind, `SELECT data, visible, revision FROM entities
		WHERE org_id = $1 AND entity = $2 ORDER BY id`, orgID, kind)
}

// Changes reads one statement's snapshot. Writes of an organisation commit in seq
// order (see lockOrg), so a snapshot holding change n holds every change below n too:
// a page never has a gap that a later commit could fill.
func (s *Store) Changes(ctx context.Context, orgID string, after int64, limit int) ([]api.Change, error) {
	rows, _ := s.pool.Query(ctx, `SELECT seq, entity, id, op, data FROM changes
		WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, orgID, after, limit)
	out, err := collect(rows, func(row pgx.CollectableRow) (api.Change, error) {
		var c api.Change
		var data *string
		err := row.Scan(&c.Seq, &c.Entity, &c.ID, &c.Op, &data)
		if data != nil {
			c.Data = json.RawMessage(*data)
		}
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	if out == nil {
		out = []api.Change{}
	}
	return out, nil
}

func (s *Store) FileRef(ctx context.Context, orgID, sha256 string) (api.FileRef, error) {
	return fileRef(ctx, s.pool, orgID, sha256)
}

func (t *orgTx) FileRef(sha256 string) (api.FileRef, error) {
	return fileRef(t.ctx, t.tx, t.org, sha256)
}

func fileRef(ctx context.Context, q querier, orgID, sha256 string) (api.FileRef, error) {
	f := api.FileRef{SHA256: sha256}
	if !storable(orgID, sha256) {
		return f, store.ErrNotFound
	}
	err := q.QueryRow(ctx, `SELECT name, size, media_type FROM file_refs
		WHERE org_id = $1 AND sha256 = $2 LIMIT 1`, orgID, sha256).Scan(&f.Name, &f.Size, &f.MediaType)
	if errors.Is(err, pgx.ErrNoRows) {
		// Not referred to by an item: the organisation may still have uploaded it.
		return orgBlob(ctx, q, orgID, sha256)
	}
	if err != nil {
		return f, fmt.Errorf("read file ref: %w", err)
	}
	return f, nil
}

func (s *Store) Events(ctx context.Context, orgID, ncID string) ([]store.Event, error) {
	if !storable(orgID, ncID) {
		return nil, nil
	}
	q := `SELECT id, org_id, nc_id, at, username, name, role, action, detail FROM events WHERE org_id = $1`
	args := []any{orgID}
	if ncID != "" {
		q += ` AND nc_id = $2`
		args = append(args, ncID)
	}
	rows, _ := s.pool.Query(ctx, q+` ORDER BY id`, args...)
	out, err := collect(rows, func(row pgx.CollectableRow) (store.Event, error) {
		var ev store.Event
		var at int64
		var role string
		err := row.Scan(&ev.ID, &ev.OrgID, &ev.NCID, &at, &ev.Username, &ev.Name, &role, &ev.Action, &ev.Detail)
		ev.At, ev.Role = time.Unix(0, at).UTC(), api.Role(role)
		return ev, err
	})
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	return out, nil
}
