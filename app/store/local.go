package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Work is what the user writes on this computer: the texts of corrective measures
// (autosaved, saved as the shared draft, marked ready, queued) and messages to the
// analyst, and the outbox that carries them to the server. Safe for concurrent use.
type Work struct{ db *database }

// LocalCA is the user's own text of a corrective measure and where it stands locally.
type LocalCA struct {
	NCID       string
	Text       string
	Ready      bool  // marked "ready to send"
	Queued     bool  // Send was pressed: a submission is in the outbox
	DraftBase  int64 // the server draft revision the text builds on
	NCBase     int64 // the NC revision the user saw when marking it ready
	PushedText string
	// Notice is a code telling the user to look again: draft_changed (another computer
	// saved the draft), nc_changed (the analyst changed the NC), nc_closed, or the reason
	// of a rejection.
	Notice        string
	OtherText     string // the conflicting version: another computer's draft
	OtherRevision int64
	OtherBy       string
	UpdatedAt     string
}

// Diverged reports whether the user typed something not yet saved as a draft.
func (c *LocalCA) Diverged() bool { return c.Text != c.PushedText }

// OutboxEntry is a local change waiting to be pushed, or refused by the server.
type OutboxEntry struct {
	EvidenceID   string
	Seq          int64
	Kind         string
	NCID         string
	Text         string
	BaseRevision int64
	CreatedAt    string
	State        string // pending, rejected
	Code         string
	Message      string
}

// Outbox states.
const (
	OutboxPending  = "pending"
	OutboxRejected = "rejected"
)

const localColumns = `nc_id, text, ready, queued, draft_base, nc_base, pushed_text, notice,
	other_text, other_revision, other_by, updated_at`

func scanLocal(row interface{ Scan(...any) error }) (*LocalCA, error) {
	var c LocalCA
	err := row.Scan(&c.NCID, &c.Text, &c.Ready, &c.Queued, &c.DraftBase, &c.NCBase, &c.PushedText,
		&c.Notice, &c.OtherText, &c.OtherRevision, &c.OtherBy, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &c, err
}

// LocalCA returns the user's text of an NC's CA; ErrNotFound when they wrote none.
func (w *Work) LocalCA(ctx context.Context, ncID string) (*LocalCA, error) {
	c, err := scanLocal(w.db.sql.QueryRowContext(ctx, `SELECT `+localColumns+` FROM ca_local WHERE nc_id = ?`, ncID))
	return c, w.db.noted(err)
}

// LocalCAs returns every local CA by NC id.
func (w *Work) LocalCAs(ctx context.Context) (map[string]LocalCA, error) {
	rows, err := w.db.sql.QueryContext(ctx, `SELECT `+localColumns+` FROM ca_local`)
	if err != nil {
		return nil, w.db.noted(err)
	}
	defer rows.Close()
	out := map[string]LocalCA{}
	for rows.Next() {
		c, err := scanLocal(rows)
		if err != nil {
			return nil, w.db.noted(err)
		}
		out[c.NCID] = *c
	}
	return out, w.db.noted(rows.Err())
}

// CADraft returns the organisation's shared draft of an NC's CA, as last pulled.
func (w *Work) CADraft(ctx context.Context, ncID string) (*api.CADraft, error) {
	d, err := one[api.CADraft](ctx, w.db.sql, `SELECT data FROM ca_draft WHERE id = ?`, ncID)
	return d, w.db.noted(err)
}

func localTx(ctx context.Context, tx *sql.Tx, ncID string) (*LocalCA, error) {
	return scanLocal(tx.QueryRowContext(ctx, `SELECT `+localColumns+` FROM ca_local WHERE nc_id = ?`, ncID))
}

// putLocal writes c whole.
func putLocal(ctx context.Context, tx *sql.Tx, c *LocalCA) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO ca_local(`+localColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(nc_id) DO UPDATE SET text = excluded.text, ready = excluded.ready, queued = excluded.queued,
			draft_base = excluded.draft_base, nc_base = excluded.nc_base, pushed_text = excluded.pushed_text,
			notice = excluded.notice, other_text = excluded.other_text, other_revision = excluded.other_revision,
			other_by = excluded.other_by, updated_at = excluded.updated_at`,
		c.NCID, c.Text, c.Ready, c.Queued, c.DraftBase, c.NCBase, c.PushedText, c.Notice,
		c.OtherText, c.OtherRevision, c.OtherBy, c.UpdatedAt)
	if err != nil {
		return fmt.Errorf("save local CA %s: %w", c.NCID, err)
	}
	return nil
}

// editLocal loads the local CA of ncID (starting from the shared draft when the user has
// none yet), lets fn change it, and writes it back, all in tx.
func editLocal(ctx context.Context, tx *sql.Tx, ncID, now string, fn func(*LocalCA) error) (*LocalCA, error) {
	c, err := localTx(ctx, tx, ncID)
	if errors.Is(err, ErrNotFound) {
		c = &LocalCA{NCID: ncID}
		var data []byte
		err = tx.QueryRowContext(ctx, `SELECT data FROM ca_draft WHERE id = ?`, ncID).Scan(&data)
		switch {
		case err == nil:
			var d api.CADraft
			if err := json.Unmarshal(data, &d); err != nil {
				return nil, err
			}
			c.Text, c.PushedText, c.DraftBase = d.Text, d.Text, d.Revision
		case !errors.Is(err, sql.ErrNoRows):
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	if err := fn(c); err != nil {
		return nil, err
	}
	c.UpdatedAt = now
	return c, putLocal(ctx, tx, c)
}

// editText is editLocal for changes of the text, which a queued CA does not take.
func editText(ctx context.Context, tx *sql.Tx, ncID, now string, fn func(*LocalCA)) (*LocalCA, error) {
	return editLocal(ctx, tx, ncID, now, func(c *LocalCA) error {
		if c.Queued {
			return ErrQueued
		}
		fn(c)
		return nil
	})
}

func addOutbox(ctx context.Context, tx *sql.Tx, kind, ncID, text string, base int64, now string) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO outbox(kind, nc_id, text, base_revision, created_at) VALUES (?, ?, ?, ?, ?)`,
		kind, ncID, text, base, now)
	if err != nil {
		return 0, fmt.Errorf("queue %s: %w", kind, err)
	}
	return res.LastInsertId()
}

// ErrEmptyText means a CA marked ready, or a message, has no text.
var ErrEmptyText = errors.New("the text is empty")

// ErrQueued means the CA was sent (or is queued to be): it cannot be edited now.
var ErrQueued = errors.New("the corrective measure is queued to be sent")

// Autosave keeps the user's text, locally only: it runs at every pause in typing.
func (w *Work) Autosave(ctx context.Context, ncID, text, now string) (*LocalCA, error) {
	var out *LocalCA
	err := w.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = editText(ctx, tx, ncID, now, func(c *LocalCA) { c.Text = text })
		return err
	})
	return out, err
}

// SaveDraft keeps the text and queues it to the server as the shared draft, in one
// transaction. Saving text already saved queues nothing.
func (w *Work) SaveDraft(ctx context.Context, ncID, text, now string) (*LocalCA, error) {
	var out *LocalCA
	err := w.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = editText(ctx, tx, ncID, now, func(c *LocalCA) { c.Text = text })
		if err != nil || !needsDraft(out) {
			return err
		}
		_, err = addOutbox(ctx, tx, api.KindCADraft, ncID, text, 0, now)
		return err
	})
	return out, err
}

// needsDraft says whether the text must go to the server as the shared draft: it is not
// empty and differs from what was last saved there.
func needsDraft(c *LocalCA) bool {
	return strings.TrimSpace(c.Text) != "" && (c.Diverged() || c.DraftBase == 0)
}

// SetReady marks the CA ready to send (or not), saving its text as a draft too.
// ncRevision is the NC revision the user sees: a later change by the analyst makes the
// mark fall. Unmarking a queued CA takes it out of the queue when it was not pushed yet.
func (w *Work) SetReady(ctx context.Context, ncID, text string, ready bool, ncRevision int64, now string) (*LocalCA, error) {
	var out *LocalCA
	err := w.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = editLocal(ctx, tx, ncID, now, func(c *LocalCA) error {
			if c.Queued && ready {
				return ErrQueued
			}
			if c.Queued {
				res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE nc_id = ? AND kind = ? AND state = ?`,
					ncID, api.KindCASubmit, OutboxPending)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					return ErrQueued // already sent
				}
				c.Queued = false
			}
			if ready && strings.TrimSpace(text) == "" {
				return ErrEmptyText
			}
			c.Text, c.Ready, c.NCBase = text, ready, ncRevision
			if ready {
				c.Notice = ""
			}
			return nil
		})
		if err != nil || !needsDraft(out) {
			return err
		}
		_, err = addOutbox(ctx, tx, api.KindCADraft, ncID, text, 0, now)
		return err
	})
	return out, err
}

// QueueReady queues a submission of every CA marked ready and not yet queued, and
// returns their NC ids. Each goes with the NC revision the user saw when marking it.
func (w *Work) QueueReady(ctx context.Context, now string) ([]string, error) {
	var queued []string
	err := w.db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT nc_id, text, nc_base FROM ca_local WHERE ready = 1 AND queued = 0 ORDER BY nc_id`)
		if err != nil {
			return err
		}
		type item struct {
			id, text string
			base     int64
		}
		var items []item
		for rows.Next() {
			var it item
			if err := rows.Scan(&it.id, &it.text, &it.base); err != nil {
				rows.Close()
				return err
			}
			items = append(items, it)
		}
		rows.Close()
		for _, it := range items {
			if _, err := addOutbox(ctx, tx, api.KindCASubmit, it.id, it.text, it.base, now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE ca_local SET queued = 1, updated_at = ? WHERE nc_id = ?`, now, it.id); err != nil {
				return err
			}
			queued = append(queued, it.id)
		}
		return nil
	})
	return queued, err
}

// Resolve ends a conflict with the text the user chose (theirs, the other, or a mix):
// it now builds on the other version, and is queued as the draft.
func (w *Work) Resolve(ctx context.Context, ncID, text, now string) (*LocalCA, error) {
	var out *LocalCA
	err := w.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = editText(ctx, tx, ncID, now, func(c *LocalCA) {
			if c.OtherRevision > c.DraftBase {
				c.DraftBase = c.OtherRevision
			}
			c.Text, c.Notice, c.OtherText, c.OtherRevision, c.OtherBy = text, "", "", 0, ""
		})
		if err != nil {
			return err
		}
		_, err = addOutbox(ctx, tx, api.KindCADraft, ncID, text, 0, now)
		return err
	})
	return out, err
}

// QueueMessage queues a message to the analyst in an NC's thread.
func (w *Work) QueueMessage(ctx context.Context, ncID, text, now string) (int64, error) {
	if strings.TrimSpace(text) == "" {
		return 0, ErrEmptyText
	}
	var seq int64
	err := w.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		seq, err = addOutbox(ctx, tx, api.KindMessage, ncID, text, 0, now)
		return err
	})
	return seq, err
}

// QueueGeneralMessage queues a message to FLOCERT in the organisation's general thread
// (about no NC).
func (w *Work) QueueGeneralMessage(ctx context.Context, text, now string) (int64, error) {
	if strings.TrimSpace(text) == "" {
		return 0, ErrEmptyText
	}
	var seq int64
	err := w.db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		seq, err = addOutbox(ctx, tx, api.KindMessageGeneral, "", text, 0, now)
		return err
	})
	return seq, err
}

// QueueChangeRequest queues a change request; proposal is its api.ChangeProposal as
// JSON, which waits in the entry's text.
func (w *Work) QueueChangeRequest(ctx context.Context, proposal, now string) (int64, error) {
	var seq int64
	err := w.db.tx(ctx, func(tx *sql.Tx) (err error) {
		seq, err = addOutbox(ctx, tx, api.KindChangeRequest, "", proposal, 0, now)
		return err
	})
	return seq, err
}

// Outbox lists the entries waiting to be pushed and those refused, oldest first.
func (w *Work) Outbox(ctx context.Context) ([]OutboxEntry, error) {
	rows, err := w.db.sql.QueryContext(ctx, `SELECT seq, kind, nc_id, text, base_revision, created_at, state, code, message
		FROM outbox ORDER BY seq`)
	if err != nil {
		return nil, w.db.noted(err)
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		if err := rows.Scan(&e.Seq, &e.Kind, &e.NCID, &e.Text, &e.BaseRevision, &e.CreatedAt, &e.State, &e.Code, &e.Message); err != nil {
			return nil, w.db.noted(err)
		}
		out = append(out, e)
	}
	return out, w.db.noted(rows.Err())
}

// Dismiss removes a rejected entry the user has read.
func (w *Work) Dismiss(ctx context.Context, seq int64) error {
	res, err := w.db.sql.ExecContext(ctx, `DELETE FROM outbox WHERE seq = ? AND state = ?`, seq, OutboxRejected)
	if err != nil {
		return w.db.noted(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
