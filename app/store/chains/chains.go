package chains

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Chains reads and edits the replica's chains. Safe for concurrent use.
type Chains struct {
	db    *sql.DB
	noted func(error) error // the replica's: marks it damaged when err says so
}

// New returns the chains of the replica db, whose tables its migrations made. noted
// sees every database error before it is returned (nil: errors pass as they are).
func New(db *sql.DB, noted func(error) error) *Chains {
	if noted == nil {
		noted = func(err error) error { return err }
	}
	return &Chains{db: db, noted: noted}
}

// Pending states of a Link: an edit made here that the server has not confirmed yet.
const (
	PendingAdd    = "add"
	PendingRemove = "remove"
)

// Link is one partner of a chain as the replica sees it: the server's, with the edits
// waiting in the outbox on top (Pending says which).
type Link struct {
	api.ChainLink
	Pending string `json:"pending,omitempty"`
}

// Queue writes a chain entry (api.KindChainAdd or api.KindChainRemove) to the outbox;
// the list shows it at once. The caller checked the link (api.ChainProblem) and, for
// an addition, that the directory knows the FLO ID.
func (c *Chains) Queue(ctx context.Context, kind string, link api.ChainLink, now time.Time) error {
	link = api.ChainLink{Product: api.CleanProduct(link.Product), FLOID: link.FLOID, Role: link.Role}
	data, err := json.Marshal(link)
	if err != nil {
		return err
	}
	_, err = c.db.ExecContext(ctx, `INSERT INTO outbox(kind, nc_id, text, created_at, chain) VALUES (?, '', '', ?, ?)`,
		kind, now.UTC().Format(time.RFC3339), string(data))
	if err != nil {
		return c.noted(fmt.Errorf("queue %s: %w", kind, err))
	}
	return nil
}

// List returns every partner of every chain, by product then FLO ID: those pulled, and
// the edits still in the outbox applied over them in their order.
func (c *Chains) List(ctx context.Context) ([]Link, error) {
	byID := map[string]*Link{}
	rows, err := c.db.QueryContext(ctx, `SELECT data FROM chain_link`)
	if err != nil {
		return nil, c.noted(fmt.Errorf("list chains: %w", err))
	}
	for rows.Next() {
		var data string
		var l Link
		if err := rows.Scan(&data); err != nil {
			rows.Close()
			return nil, c.noted(err)
		}
		if err := json.Unmarshal([]byte(data), &l.ChainLink); err != nil {
			rows.Close()
			return nil, fmt.Errorf("decode chain link: %w", err)
		}
		byID[l.ID] = &l
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, c.noted(err)
	}
	rows, err = c.db.QueryContext(ctx, `SELECT kind, chain, created_at FROM outbox
		WHERE kind IN (?, ?) AND state = 'pending' ORDER BY seq`, api.KindChainAdd, api.KindChainRemove)
	if err != nil {
		return nil, c.noted(fmt.Errorf("list chains: %w", err))
	}
	defer rows.Close()
	for rows.Next() {
		var kind, data, created string
		if err := rows.Scan(&kind, &data, &created); err != nil {
			return nil, c.noted(err)
		}
		var e api.ChainLink
		if err := json.Unmarshal([]byte(data), &e); err != nil {
			return nil, fmt.Errorf("decode queued chain entry: %w", err)
		}
		id := api.ChainLinkID(e.Product, e.FLOID)
		switch cur := byID[id]; {
		case kind == api.KindChainAdd:
			e.ID = id
			e.AddedAt, _ = time.Parse(time.RFC3339, created)
			byID[id] = &Link{ChainLink: e, Pending: PendingAdd}
		case cur != nil && cur.Pending == PendingAdd && cur.Revision == 0:
			delete(byID, id) // added and removed here, neither sent yet
		case cur != nil:
			cur.Pending = PendingRemove
		}
	}
	if err := rows.Err(); err != nil {
		return nil, c.noted(err)
	}
	out := make([]Link, 0, len(byID))
	for _, l := range byID {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b Link) int {
		if c := strings.Compare(strings.ToLower(a.Product), strings.ToLower(b.Product)); c != 0 {
			return c
		}
		return strings.Compare(a.FLOID, b.FLOID)
	})
	return out, nil
}

// ApplyResult records, in the push results' transaction tx, the server's answer to a
// chain entry whose fields were chain (the outbox's JSON): an applied addition is the
// server's link at once; an applied removal drops the link. A duplicate (the answer to
// a replayed entry) leaves the pulled rows alone, as they may be newer. The caller
// removes or marks the outbox entry.
func ApplyResult(ctx context.Context, tx *sql.Tx, kind, chain string, r api.PushResult) error {
	if r.Status != api.PushApplied {
		return nil
	}
	switch {
	case kind == api.KindChainAdd && r.Chain != nil:
		data, err := json.Marshal(r.Chain)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO chain_link(id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data
			WHERE json_extract(excluded.data, '$.revision') >= json_extract(data, '$.revision')`, r.Chain.ID, string(data))
		return err
	case kind == api.KindChainRemove:
		var e api.ChainLink
		if err := json.Unmarshal([]byte(chain), &e); err != nil {
			return fmt.Errorf("decode chain entry: %w", err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM chain_link WHERE id = ?`, api.ChainLinkID(e.Product, e.FLOID))
		return err
	}
	return nil
}
