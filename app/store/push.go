package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/store/chains"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// MetaClientID names the replica in pushes; a new replica gets a new one.
const MetaClientID = "sync.client_id"

// ClientID returns the replica's push identity, creating it on first use.
func (s *Store) ClientID(ctx context.Context) (string, error) { return s.db.clientID(ctx) }

func (d *database) clientID(ctx context.Context) (string, error) {
	id, err := d.meta(ctx, MetaClientID)
	if err != nil || id != "" {
		return id, err
	}
	id = newClientID()
	_, err = d.sql.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING`, MetaClientID, id)
	if err != nil {
		return "", d.noted(err)
	}
	return d.meta(ctx, MetaClientID)
}

func newClientID() string {
	b := make([]byte, 15)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// PendingCount counts the entries waiting to be pushed.
func (s *Store) PendingCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE state = ?`, OutboxPending).Scan(&n)
	return n, s.db.noted(err)
}

// PendingPush returns the next entries to push, oldest first: the longest run of pending
// entries in which no NC has two CA entries. A CA entry's result (a new draft revision,
// a conflict) decides how the next one for the same NC goes, so they travel one per
// request; sequence numbers must grow across requests, so the run stops there rather
// than skipping ahead. A draft goes with the draft revision the text builds on now.
func (s *Store) PendingPush(ctx context.Context, max int) ([]api.PushEntry, error) {
	rows, err := s.db.sql.QueryContext(ctx, `SELECT o.seq, o.kind, o.nc_id, o.text, o.base_revision, o.created_at,
			COALESCE(l.draft_base, 0), o.evidence_id, o.file, o.chain, o.due
		FROM outbox o LEFT JOIN ca_local l ON l.nc_id = o.nc_id
		WHERE o.state = ? ORDER BY o.seq LIMIT ?`, OutboxPending, max)
	if err != nil {
		return nil, s.db.noted(err)
	}
	defer rows.Close()
	var out []api.PushEntry
	caSeen, ncSeen := map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var e api.PushEntry
		var created, file, chain string
		var draftBase int64
		if err := rows.Scan(&e.Seq, &e.Kind, &e.NCID, &e.Text, &e.BaseRevision, &created, &draftBase, &e.EvidenceID, &file, &chain, &e.Due); err != nil {
			return nil, s.db.noted(err)
		}
		if chain != "" {
			e.Chain = new(api.ChainLink)
			if err := json.Unmarshal([]byte(chain), e.Chain); err != nil {
				return nil, err
			}
		}
		if file != "" {
			e.File = new(api.FileRef)
			if err := json.Unmarshal([]byte(file), e.File); err != nil {
				return nil, err
			}
		}
		switch e.Kind {
		case api.KindCADraft, api.KindCASubmit:
			if caSeen[e.NCID] {
				return out, nil
			}
			caSeen[e.NCID] = true
		case api.KindEvidenceSubmit:
			// A submission goes after the answers to the NC's other entries: an attachment
			// refused in the same request must not be left out of it silently.
			if ncSeen[e.NCID] {
				return out, nil
			}
		}
		ncSeen[e.NCID] = true
		if e.Kind == api.KindCADraft {
			e.BaseRevision = draftBase
		}
		if e.Kind == api.KindChangeRequest { // the proposal waits as JSON in text
			e.Change = new(api.ChangeProposal)
			if err := json.Unmarshal([]byte(e.Text), e.Change); err != nil {
				return nil, err
			}
			e.Text = ""
		}
		e.CreatedAt, _ = time.Parse(time.RFC3339, created)
		out = append(out, e)
	}
	return out, s.db.noted(rows.Err())
}

// ApplyPushResults records the server's answers to pushed entries, in one transaction:
// applied entries leave the outbox and their effect (the new draft revision, the
// submitted NC, the message) is written at once; conflicts keep both versions for the
// user to choose; rejected entries stay in the outbox, marked, for the user to read,
// and their CA goes back to draft. author names the user in messages shown before the
// next pull.
func (s *Store) ApplyPushResults(ctx context.Context, results []api.PushResult, author string, now time.Time) error {
	stamp := now.UTC().Format(time.RFC3339)
	defer s.db.ncsChanged() // results may carry NCs
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range results {
			var e OutboxEntry
			var chain string
			err := tx.QueryRowContext(ctx, `SELECT seq, kind, nc_id, text, evidence_id, chain FROM outbox WHERE seq = ? AND state = ?`,
				r.Seq, OutboxPending).Scan(&e.Seq, &e.Kind, &e.NCID, &e.Text, &e.EvidenceID, &chain)
			if errors.Is(err, sql.ErrNoRows) {
				continue // answered before (a retried request)
			}
			if err != nil {
				return err
			}
			if err := chains.ApplyResult(ctx, tx, e.Kind, chain, r); err != nil {
				return fmt.Errorf("push result %d: %w", r.Seq, err)
			}
			if err := applyResult(ctx, tx, e, r, author, now, stamp); err != nil {
				return fmt.Errorf("push result %d: %w", r.Seq, err)
			}
		}
		return nil
	})
}

func applyResult(ctx context.Context, tx *sql.Tx, e OutboxEntry, r api.PushResult, author string, now time.Time, stamp string) error {
	if r.NC != nil {
		if err := upsertEntity(ctx, tx, api.EntityNC, r.NC.ID, r.NC); err != nil {
			return err
		}
	}
	if strings.HasPrefix(e.Kind, "evidence.") {
		return applyEvidenceResult(ctx, tx, e, r, stamp)
	}
	switch r.Status {
	case api.PushApplied, api.PushDuplicate:
		switch e.Kind {
		case api.KindCADraft:
			if r.Draft != nil {
				if err := upsertEntity(ctx, tx, api.EntityCADraft, r.Draft.NCID, r.Draft); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE ca_local SET draft_base = ?, pushed_text = ? WHERE nc_id = ?`,
					r.Draft.Revision, e.Text, e.NCID); err != nil {
					return err
				}
			}
		case api.KindCASubmit:
			// The measure is FLOCERT's now: the NC carries it, the draft is gone.
			for _, q := range []string{`DELETE FROM ca_local WHERE nc_id = ?`, `DELETE FROM ca_draft WHERE id = ?`} {
				if _, err := tx.ExecContext(ctx, q, e.NCID); err != nil {
					return err
				}
			}
		case api.KindChangeRequest:
			if r.Request != nil {
				if err := upsertEntity(ctx, tx, api.EntityChangeRequest, r.Request.ID, r.Request); err != nil {
					return err
				}
			}
		case api.KindNCAssign: // the server's assignment (nil: nobody) replaces the one shown
			if err := applyAssignment(ctx, tx, e.NCID, r.Assignment); err != nil {
				return err
			}
		case api.KindMessage, api.KindMessageGeneral:
			m := api.Message{ID: r.MessageID, NCID: e.NCID, Author: author, AuthorRole: api.RoleClient, Body: e.Text, SentAt: now.UTC()}
			if r.MessageID != "" {
				if err := upsertEntity(ctx, tx, api.EntityMessage, m.ID, m); err != nil {
					return err
				}
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE seq = ?`, e.Seq)
		return err
	case api.PushConflict:
		switch {
		case e.Kind == api.KindCADraft && r.Draft != nil:
			if err := upsertEntity(ctx, tx, api.EntityCADraft, r.Draft.NCID, r.Draft); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE ca_local SET notice = ?, other_text = ?, other_revision = ?,
				other_by = ?, updated_at = ? WHERE nc_id = ?`, api.CodeDraftChanged, r.Draft.Text, r.Draft.Revision,
				r.Draft.UpdatedBy, stamp, e.NCID); err != nil {
				return err
			}
		case e.Kind == api.KindCASubmit:
			if err := backToDraft(ctx, tx, e.NCID, api.CodeNCChanged, stamp); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE seq = ?`, e.Seq)
		return err
	case api.PushRejected:
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, code = ?, message = ? WHERE seq = ?`,
			OutboxRejected, r.Code, r.Message, e.Seq); err != nil {
			return err
		}
		if e.Kind == api.KindMessage || e.Kind == api.KindMessageGeneral || e.Kind == api.KindChangeRequest || e.Kind == api.KindNCAssign || strings.HasPrefix(e.Kind, "chain.") {
			return nil
		}
		return backToDraft(ctx, tx, e.NCID, r.Code, stamp)
	default:
		return fmt.Errorf("unknown status %q", r.Status)
	}
}

// backToDraft takes a CA out of the queue and off "ready", keeping its text, with a
// notice saying why: the user confirms again; nothing is resubmitted by itself.
func backToDraft(ctx context.Context, tx *sql.Tx, ncID, notice, stamp string) error {
	_, err := tx.ExecContext(ctx, `UPDATE ca_local SET ready = 0, queued = 0, notice = ?, updated_at = ? WHERE nc_id = ?`,
		notice, stamp, ncID)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM outbox WHERE nc_id = ? AND kind = ? AND state = ?`, ncID, api.KindCASubmit, OutboxPending)
	return err
}

// upsertEntity writes an entity carried by a push result. A result may be older than
// what a pull already brought (the stored answer to a replayed entry): an entity with a
// revision only replaces an older one, and a message is only added, so the replica never
// goes back in time.
func upsertEntity(ctx context.Context, tx *sql.Tx, entity, id string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	q := `INSERT INTO ` + entity + `(id, data) VALUES (?, ?) ON CONFLICT(id) DO `
	switch entity {
	case api.EntityMessage:
		q += `NOTHING`
	case api.EntityEvidence: // no revision: the result is the server's state of the file
		q += `UPDATE SET data = excluded.data`
	default:
		q += `UPDATE SET data = excluded.data
			WHERE json_extract(excluded.data, '$.revision') >= json_extract(data, '$.revision')`
	}
	_, err = tx.ExecContext(ctx, q, id, string(data))
	return err
}

// applyEvidenceResult records the answer to an evidence entry.
func applyEvidenceResult(ctx context.Context, tx *sql.Tx, e OutboxEntry, r api.PushResult, stamp string) error {
	done := func() error {
		_, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE seq = ?`, e.Seq)
		return err
	}
	switch r.Status {
	case api.PushApplied, api.PushDuplicate:
		switch e.Kind {
		case api.KindEvidenceAdd, api.KindEvidenceLink, api.KindEvidenceSubject:
			if r.Evidence != nil {
				if err := upsertEntity(ctx, tx, api.EntityEvidence, r.Evidence.ID, r.Evidence); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE evidence_local SET state = ? WHERE id = ? AND state = ?`,
				EvidenceAttached, e.EvidenceID, EvidenceQueued); err != nil {
				return err
			}
		case api.KindEvidenceRemove:
			for _, q := range []string{`DELETE FROM evidence_local WHERE id = ?`, `DELETE FROM evidence WHERE id = ?`} {
				if _, err := tx.ExecContext(ctx, q, e.EvidenceID); err != nil {
					return err
				}
			}
		case api.KindEvidenceSubmit:
			// Sent: the files are FLOCERT's now; the pulled records carry them.
			if _, err := tx.ExecContext(ctx, `DELETE FROM evidence_local WHERE nc_id = ? AND state = ?`, e.NCID, EvidenceAttached); err != nil {
				return err
			}
		}
		return done()
	case api.PushConflict: // a submission against an NC the analyst changed: back to ready-to-confirm
		if _, err := tx.ExecContext(ctx, `UPDATE evidence_ready SET ready = 0, send = 0, notice = ?, updated_at = ? WHERE nc_id = ?`,
			r.Code, stamp, e.NCID); err != nil {
			return err
		}
		return done()
	case api.PushRejected:
		if e.Kind == api.KindEvidenceAdd && r.Code == api.CodeBlobMissing {
			// The server lacks the bytes after all: upload them again, then re-attach
			// with a new entry (this one's answer is final on the server).
			if _, err := tx.ExecContext(ctx, `UPDATE evidence_local SET state = ? WHERE id = ?`, EvidenceLocal, e.EvidenceID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE upload SET done = 0, url = '', offset = 0 WHERE sha256 =
				(SELECT sha256 FROM evidence_local WHERE id = ?)`, e.EvidenceID); err != nil {
				return err
			}
			return done()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, code = ?, message = ? WHERE seq = ?`,
			OutboxRejected, r.Code, r.Message, e.Seq); err != nil {
			return err
		}
		switch e.Kind {
		case api.KindEvidenceAdd, api.KindEvidenceLink:
			_, err := tx.ExecContext(ctx, `UPDATE evidence_local SET state = ?, code = ? WHERE id = ?`, EvidenceRefused, r.Code, e.EvidenceID)
			return err
		case api.KindEvidenceSubmit:
			_, err := tx.ExecContext(ctx, `UPDATE evidence_ready SET ready = 0, send = 0, notice = ?, updated_at = ? WHERE nc_id = ?`,
				r.Code, stamp, e.NCID)
			return err
		case api.KindEvidenceRemove:
			_, err := tx.ExecContext(ctx, `UPDATE evidence_local SET state = ?, code = ? WHERE id = ?`, EvidenceAttached, r.Code, e.EvidenceID)
			return err
		}
		return nil
	}
	return fmt.Errorf("unknown status %q", r.Status)
}
