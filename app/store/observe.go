package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/ecert-desktop/ecert-desktop/app/store/assigned"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Notice kinds: what a pull brought from the analyst.
const (
	NoticeDecision = "decision" // the NC's stage or a status changed
	NoticeMessage  = "message"  // a new message from FLOCERT
	NoticeAssigned = "assigned" // the user was made responsible for the NC; Stage holds the due date
)

// observe looks at an upsert about to be applied, against what the replica holds, and
// records what the user must hear of: the analyst's decisions and messages (as notices,
// when news is true), and changes under a CA the user is writing — which then goes back
// to draft with both versions kept. It costs an index lookup or two per change.
func (w *pageTx) observe(ctx context.Context, c api.Change) error {
	switch c.Entity {
	case api.EntityNC:
		var data []byte
		switch err := w.row(ctx, `SELECT data FROM nc WHERE id = ?`, []any{c.ID}, &data); {
		case errors.Is(err, sql.ErrNoRows):
			return nil // a new NC: nothing here builds on it yet
		case err != nil:
			return err
		}
		var old, nc ncState
		if err := json.Unmarshal(data, &old); err != nil {
			return err
		}
		if err := json.Unmarshal(c.Data, &nc); err != nil {
			return err
		}
		if old.Stage == nc.Stage && old.CAStatus == nc.CAStatus && old.EvidenceStatus == nc.EvidenceStatus &&
			caComment(old) == caComment(nc) {
			return nil
		}
		if (nc.Stage == api.StageCASubmitted || nc.Stage == api.StageEvidenceSubmitted) && old.Stage != nc.Stage {
			// A submission: ours (its push result already cleared the local CA) or another
			// computer's. Not the analyst's news.
			return w.clearReadyUnlessQueued(ctx, c.ID, api.CodeNCChanged)
		}
		if w.news {
			if err := w.addNotice(ctx, c.ID, NoticeDecision, nc.Stage); err != nil {
				return err
			}
		}
		reason := api.CodeNCChanged
		if nc.Stage == api.StageClosed {
			reason = api.CodeNCClosed
		}
		return w.clearReadyUnlessQueued(ctx, c.ID, reason)
	case api.EntityMessage:
		if !w.news {
			return nil // the past: no need to read it
		}
		var m struct {
			NCID       string   `json:"nc_id"`
			AuthorRole api.Role `json:"author_role"`
		}
		if err := json.Unmarshal(c.Data, &m); err != nil {
			return err
		}
		if m.AuthorRole == api.RoleClient {
			return nil
		}
		var exists int
		if err := w.row(ctx, `SELECT COUNT(*) FROM message WHERE id = ?`, []any{c.ID}, &exists); err != nil {
			return err
		}
		if exists > 0 {
			return nil
		}
		return w.addNotice(ctx, m.NCID, NoticeMessage, "")
	case api.EntityAssignment:
		if !w.news {
			return nil
		}
		news, due, err := assigned.News(ctx, w.tx, c.ID, c.Data)
		if err != nil || !news {
			return err
		}
		return w.addNotice(ctx, c.ID, NoticeAssigned, due)
	case api.EntityCADraft:
		var d api.CADraft
		if err := json.Unmarshal(c.Data, &d); err != nil {
			return err
		}
		return adoptDraft(ctx, w.tx, d, w.stamp)
	case api.EntityEvidence:
		// A file sent to FLOCERT — by this computer or by a colleague's submission, which
		// takes every file of the NC not sent yet — is no longer this computer's to send:
		// left "attached" here, it would be counted for a Send the server refuses
		// (no_evidence).
		var ev struct {
			Submitted bool `json:"submitted"`
		}
		if err := json.Unmarshal(c.Data, &ev); err != nil {
			return err
		}
		if !ev.Submitted {
			return nil
		}
		return w.exec(ctx, `DELETE FROM evidence_local WHERE id = ? AND state = ?`, c.ID, EvidenceAttached)
	}
	return nil
}

// ncState is what observe compares of an NC (decoding the whole NC, its criterion's
// text and all, costs more than the rest of applying it).
type ncState struct {
	Stage          string `json:"stage"`
	CAStatus       string `json:"ca_status"`
	EvidenceStatus string `json:"evidence_status"`
	CA             *struct {
		AnalystComment string `json:"analyst_comment"`
	} `json:"ca"`
}

func caComment(nc ncState) string {
	if nc.CA == nil {
		return ""
	}
	return nc.CA.AnalystComment
}

func loadEntity(ctx context.Context, tx *sql.Tx, entity, id string, v any) error {
	var data []byte
	err := tx.QueryRowContext(ctx, `SELECT data FROM `+entity+` WHERE id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

func (w *pageTx) addNotice(ctx context.Context, ncID, kind, stage string) error {
	return w.exec(ctx, `INSERT INTO notice(nc_id, kind, stage, created_at) VALUES (?, ?, ?, ?)`, ncID, kind, stage, w.stamp)
}

// clearReadyUnlessQueued takes the "ready" mark off a CA whose NC changed under it. A
// queued submission is left to the server, which refuses it against the NC's new
// revision: its answer puts the CA back to draft.
func (w *pageTx) clearReadyUnlessQueued(ctx context.Context, ncID, reason string) error {
	err := w.exec(ctx, `UPDATE ca_local SET ready = 0, notice = ?, updated_at = ? WHERE nc_id = ? AND queued = 0`,
		reason, w.stamp, ncID)
	if err != nil {
		return err
	}
	return w.exec(ctx, `UPDATE evidence_ready SET ready = 0, notice = ?, updated_at = ? WHERE nc_id = ? AND send = 0 AND ready = 1`,
		reason, w.stamp, ncID)
}

// adoptDraft follows a draft saved on another computer: when the user has no unsaved
// text here, the local copy becomes that draft; otherwise both are kept for the user to
// choose.
func adoptDraft(ctx context.Context, tx *sql.Tx, d api.CADraft, stamp string) error {
	c, err := localTx(ctx, tx, d.NCID)
	if errors.Is(err, ErrNotFound) {
		return nil // nothing written here: the screen shows the shared draft
	}
	if err != nil || d.Revision <= c.DraftBase || c.Queued {
		return err
	}
	if !c.Diverged() {
		c.Text, c.PushedText, c.DraftBase = d.Text, d.Text, d.Revision
	} else if d.Text != c.Text {
		c.Notice, c.OtherText, c.OtherRevision, c.OtherBy = api.CodeDraftChanged, d.Text, d.Revision, d.UpdatedBy
	} else {
		c.PushedText, c.DraftBase = d.Text, d.Revision // the same text: no conflict
	}
	c.UpdatedAt = stamp
	return putLocal(ctx, tx, c)
}

// Notices returns the notices the user has not seen, per NC (only for the NCs given,
// when some are).
func (p *Portal) Notices(ctx context.Context, ncIDs ...string) (map[string]int, error) {
	where, args := inNCs(ncIDs)
	return p.countsByNC(ctx, `SELECT nc_id, COUNT(*) FROM notice WHERE `+where+` seen = 0 GROUP BY nc_id`, args...)
}

// Notice is one thing a pull brought from the analyst.
type Notice struct {
	ID    int64
	NCID  string
	Kind  string
	Stage string
}

// TakeNewNotices returns the notices not yet announced to the user and marks them
// announced, so that each is announced once.
func (p *Portal) TakeNewNotices(ctx context.Context) ([]Notice, error) {
	var out []Notice
	err := p.db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, nc_id, kind, stage FROM notice WHERE emitted = 0 ORDER BY id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n Notice
			if err := rows.Scan(&n.ID, &n.NCID, &n.Kind, &n.Stage); err != nil {
				rows.Close()
				return err
			}
			out = append(out, n)
		}
		rows.Close()
		_, err = tx.ExecContext(ctx, `UPDATE notice SET emitted = 1 WHERE emitted = 0`)
		return err
	})
	return out, err
}

// MarkSeen marks an NC's notices as seen (the user opened it).
func (p *Portal) MarkSeen(ctx context.Context, ncID string) error {
	_, err := p.db.sql.ExecContext(ctx, `UPDATE notice SET seen = 1 WHERE nc_id = ? AND seen = 0`, ncID)
	return p.db.noted(err)
}
