package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// batchLimit is how many statements go to the server in one round trip.
const batchLimit = 512

// key names an entity of the organisation.
type key struct{ entity, id string }

// current is what a write must know of an entity before it: its revision (0: none)
// and whether the change log holds a change of it.
type current struct {
	rev       int64
	hasChange bool
}

// Write is the single path by which entities change: each write updates the entity,
// takes the organisation's next seq and replaces the entity's change-log row. One
// query reads the current state of every entity written, then the statements go in
// batches, so a bulk write of tens of thousands of entities is a few round trips.
func (t *orgTx) Write(ws ...store.EntityWrite) error {
	state, err := t.current(ws)
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	b := &pgx.Batch{}
	for _, e := range ws {
		if err := t.queue(b, state, e); err != nil {
			return fmt.Errorf("write %s %s: %w", e.Entity, e.ID, err)
		}
		if b.Len() >= batchLimit {
			if err := t.tx.SendBatch(t.ctx, b).Close(); err != nil {
				return fmt.Errorf("write: %w", err)
			}
			b = &pgx.Batch{}
		}
	}
	if err := t.tx.SendBatch(t.ctx, b).Close(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// current reads the state of the entities ws write.
func (t *orgTx) current(ws []store.EntityWrite) (map[key]current, error) {
	state := make(map[key]current, len(ws))
	var kinds, ids []string
	for _, e := range ws {
		k := key{e.Entity, e.ID}
		if _, ok := state[k]; !ok && storable(e.Entity, e.ID) { // the others fail when written
			state[k] = current{}
			kinds, ids = append(kinds, e.Entity), append(ids, e.ID)
		}
	}
	rows, _ := t.tx.Query(t.ctx, `SELECT k.entity, k.id, COALESCE(e.revision, 0), c.seq IS NOT NULL
		FROM unnest($2::TEXT[], $3::TEXT[]) AS k(entity, id)
		LEFT JOIN entities e ON e.org_id = $1 AND e.entity = k.entity AND e.id = k.id
		LEFT JOIN changes c ON c.org_id = $1 AND c.entity = k.entity AND c.id = k.id`, t.org, kinds, ids)
	var k key
	var c current
	_, err := pgx.ForEachRow(rows, []any{&k.entity, &k.id, &c.rev, &c.hasChange}, func() error {
		state[k] = c
		return nil
	})
	return state, err
}

// queue adds the statements of one write to b and moves state past it.
func (t *orgTx) queue(b *pgx.Batch, state map[key]current, e store.EntityWrite) error {
	if e.ID == "" {
		return errors.New("empty id")
	}
	k := key{e.Entity, e.ID}
	was := state[k]
	rev := was.rev + 1
	var op string
	var data []byte
	switch {
	case e.Delete:
		op = api.OpDelete // below: a client that never saw the entity needs no tombstone
	case e.Encode == nil:
		return errors.New("no payload")
	default:
		var err error
		if data, err = e.Encode(rev); err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		op = api.OpUpsert
		if !e.Visible {
			op = api.OpDelete // hidden again (or never shown): clients that had it drop it
		}
	}
	changed := op == api.OpUpsert || was.hasChange
	if changed && !t.known {
		return fmt.Errorf("unknown organisation %q", t.org)
	}

	if was.rev > 0 {
		b.Queue(`DELETE FROM file_refs WHERE org_id = $1 AND entity = $2 AND entity_id = $3`, t.org, e.Entity, e.ID)
	}
	if was.hasChange {
		b.Queue(`DELETE FROM changes WHERE org_id = $1 AND entity = $2 AND id = $3`, t.org, e.Entity, e.ID)
	}
	if e.Delete {
		b.Queue(`DELETE FROM entities WHERE org_id = $1 AND entity = $2 AND id = $3`, t.org, e.Entity, e.ID)
		rev = 0
	} else {
		b.Queue(`INSERT INTO entities (org_id, entity, id, parent_id, data, visible, revision)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (org_id, entity, id) DO UPDATE SET parent_id = excluded.parent_id,
				data = excluded.data, visible = excluded.visible, revision = excluded.revision`,
			t.org, e.Entity, e.ID, e.Parent, string(data), e.Visible, rev)
	}
	if op == api.OpUpsert {
		for _, f := range e.Files {
			b.Queue(`INSERT INTO file_refs (org_id, entity, entity_id, sha256, name, size, media_type)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
				t.org, e.Entity, e.ID, f.SHA256, f.Name, f.Size, f.MediaType)
		}
	}
	if changed {
		var d *string
		if op == api.OpUpsert {
			s := string(data)
			d = &s
		}
		t.seq++
		b.Queue(`INSERT INTO changes (org_id, seq, entity, id, op, data) VALUES ($1, $2, $3, $4, $5, $6)`,
			t.org, t.seq, e.Entity, e.ID, op, d)
	}
	state[k] = current{rev: rev, hasChange: changed}
	return nil
}
