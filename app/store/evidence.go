package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Local evidence states.
const (
	EvidenceLocal    = "local"    // the bytes are not on the server yet
	EvidenceQueued   = "queued"   // uploaded; the attachment waits in the outbox
	EvidenceAttached = "attached" // the server has it (not yet submitted)
	EvidenceRemoving = "removing" // its removal waits in the outbox
	EvidenceRefused  = "refused"  // the server refused the attachment (Code says why)
)

// Evidence keeps the evidence files attached on this computer until they are sent:
// attaching, removing and naming them, and the marks that say an NC's evidence is
// ready to send. The files' uploads go through Store. Safe for concurrent use.
type Evidence struct{ db *database }

// LocalEvidence is an evidence file attached on this computer.
type LocalEvidence struct {
	ID             string
	NCID           string
	File           api.FileRef
	Subject        string
	OriginalSHA256 string // the full-size original, when a downscaled copy is sent
	OriginalSize   int64
	Source         string // dialog, drop, inbox, cli
	State          string
	Code           string
	AddedAt        string
}

// ErrEvidenceSubmitted means the file was sent to FLOCERT and can no longer change.
var ErrEvidenceSubmitted = errors.New("the evidence was submitted")

const evidenceColumns = `id, nc_id, sha256, name, size, media_type, subject, original_sha256, original_size,
	source, state, code, added_at`

func scanEvidence(row interface{ Scan(...any) error }) (*LocalEvidence, error) {
	var e LocalEvidence
	err := row.Scan(&e.ID, &e.NCID, &e.File.SHA256, &e.File.Name, &e.File.Size, &e.File.MediaType, &e.Subject,
		&e.OriginalSHA256, &e.OriginalSize, &e.Source, &e.State, &e.Code, &e.AddedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &e, err
}

// Attach records a file, already in the content store (Files.Dir), as evidence of
// an NC. The file goes to the server with the next sync: bytes first, then the
// attachment. The id is derived from the replica's client id so the server never
// attaches it twice. Attaching bytes the NC already has (not yet submitted) returns
// that evidence: it is idempotent.
func (ev *Evidence) Attach(ctx context.Context, e LocalEvidence, now time.Time) (*LocalEvidence, error) {
	clientID, err := ev.db.clientID(ctx)
	if err != nil {
		return nil, err
	}
	stamp := now.UTC().Format(time.RFC3339)
	err = ev.db.tx(ctx, func(tx *sql.Tx) error {
		// The same bytes again on the same NC: a command run again after a crash stopped
		// it between two files, or a file dropped twice. Sent twice, the analyst would
		// find it twice.
		same, err := scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM evidence_local
			WHERE nc_id = ? AND sha256 = ? AND state IN (?, ?, ?) ORDER BY added_at LIMIT 1`,
			e.NCID, e.File.SHA256, EvidenceLocal, EvidenceQueued, EvidenceAttached))
		if err == nil {
			e = *same
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) + 1 FROM evidence_local`).Scan(&n); err != nil {
			return err
		}
		e.ID = fmt.Sprintf("PM-%s-%d-%d", clientID, now.UnixNano()%1e9, n)
		e.State, e.AddedAt = EvidenceLocal, stamp
		if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_local(`+evidenceColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			e.ID, e.NCID, e.File.SHA256, e.File.Name, e.File.Size, e.File.MediaType, e.Subject, e.OriginalSHA256,
			e.OriginalSize, e.Source, e.State, "", e.AddedAt); err != nil {
			return err
		}
		for _, b := range []struct {
			sha  string
			size int64
		}{{e.File.SHA256, e.File.Size}, {e.OriginalSHA256, e.OriginalSize}} {
			if b.sha == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO blob(sha256, size, fetched_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
				b.sha, b.size, stamp); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO upload(sha256, size, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			e.File.SHA256, e.File.Size, stamp)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// Local lists the evidence files attached on this computer to an NC ("" = all).
func (ev *Evidence) Local(ctx context.Context, ncID string) ([]LocalEvidence, error) {
	q := `SELECT ` + evidenceColumns + ` FROM evidence_local`
	args := []any{}
	if ncID != "" {
		q += ` WHERE nc_id = ?`
		args = append(args, ncID)
	}
	rows, err := ev.db.sql.QueryContext(ctx, q+` ORDER BY added_at, id`, args...)
	if err != nil {
		return nil, ev.db.noted(err)
	}
	defer rows.Close()
	var out []LocalEvidence
	for rows.Next() {
		e, err := scanEvidence(rows)
		if err != nil {
			return nil, ev.db.noted(err)
		}
		out = append(out, *e)
	}
	return out, ev.db.noted(rows.Err())
}

// Remove takes an evidence file off its NC. Not yet on the server, it is simply
// dropped (a queued attachment is taken out of the outbox); attached, its removal is
// queued; submitted, it cannot be removed.
func (ev *Evidence) Remove(ctx context.Context, id string, now time.Time) error {
	stamp := now.UTC().Format(time.RFC3339)
	return ev.db.tx(ctx, func(tx *sql.Tx) error {
		e, err := scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM evidence_local WHERE id = ?`, id))
		if errors.Is(err, ErrNotFound) {
			return removeServerEvidence(ctx, tx, id, stamp)
		}
		if err != nil {
			return err
		}
		switch e.State {
		case EvidenceQueued:
			res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE evidence_id = ? AND kind IN (?, ?) AND state = ?`,
				id, api.KindEvidenceAdd, api.KindEvidenceLink, OutboxPending)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return markRemoving(ctx, tx, e, stamp) // pushed meanwhile: remove it on the server
			}
			fallthrough
		case EvidenceLocal, EvidenceRefused:
			_, err := tx.ExecContext(ctx, `DELETE FROM evidence_local WHERE id = ?`, id)
			return err
		case EvidenceAttached:
			return markRemoving(ctx, tx, e, stamp)
		}
		return nil // already being removed
	})
}

// removeServerEvidence queues the removal of an evidence file known only from a pull
// (attached from another computer), unless it was submitted.
func removeServerEvidence(ctx context.Context, tx *sql.Tx, id, stamp string) error {
	var ev api.Evidence
	if err := loadEntity(ctx, tx, api.EntityEvidence, id, &ev); err != nil {
		return err
	}
	if ev.Submitted {
		return ErrEvidenceSubmitted
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox(kind, nc_id, text, created_at, evidence_id) VALUES (?, ?, '', ?, ?)`,
		api.KindEvidenceRemove, ev.NCID, stamp, id)
	return err
}

func markRemoving(ctx context.Context, tx *sql.Tx, e *LocalEvidence, stamp string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE evidence_local SET state = ? WHERE id = ?`, EvidenceRemoving, e.ID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox(kind, nc_id, text, created_at, evidence_id) VALUES (?, ?, '', ?, ?)`,
		api.KindEvidenceRemove, e.NCID, stamp, e.ID)
	return err
}

// SetSubject changes the subject ("Sujet") of an evidence file not yet submitted.
func (ev *Evidence) SetSubject(ctx context.Context, id, subject string, now time.Time) error {
	stamp := now.UTC().Format(time.RFC3339)
	return ev.db.tx(ctx, func(tx *sql.Tx) error {
		e, err := scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM evidence_local WHERE id = ?`, id))
		if errors.Is(err, ErrNotFound) {
			var pulled api.Evidence
			if err := loadEntity(ctx, tx, api.EntityEvidence, id, &pulled); err != nil {
				return err
			}
			if pulled.Submitted {
				return ErrEvidenceSubmitted
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO outbox(kind, nc_id, text, created_at, evidence_id) VALUES (?, ?, ?, ?, ?)`,
				api.KindEvidenceSubject, pulled.NCID, subject, stamp, id)
			return err
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE evidence_local SET subject = ? WHERE id = ?`, subject, id); err != nil {
			return err
		}
		switch e.State {
		case EvidenceQueued:
			res, err := tx.ExecContext(ctx, `UPDATE outbox SET text = ? WHERE evidence_id = ? AND kind IN (?, ?) AND state = ?`,
				subject, id, api.KindEvidenceAdd, api.KindEvidenceLink, OutboxPending)
			if n, _ := res.RowsAffected(); err != nil || n > 0 {
				return err
			}
			fallthrough // pushed meanwhile
		case EvidenceAttached:
			_, err := tx.ExecContext(ctx, `INSERT INTO outbox(kind, nc_id, text, created_at, evidence_id) VALUES (?, ?, ?, ?, ?)`,
				api.KindEvidenceSubject, e.NCID, subject, stamp, id)
			return err
		}
		return nil
	})
}

// SetReady marks an NC's evidence ready to send (or not). ncRevision is the NC
// revision the user sees, as for CAs.
func (ev *Evidence) SetReady(ctx context.Context, ncID string, ready bool, ncRevision int64, now time.Time) error {
	_, err := ev.db.sql.ExecContext(ctx, `INSERT INTO evidence_ready(nc_id, ready, nc_base, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT(nc_id) DO UPDATE SET ready = excluded.ready, nc_base = excluded.nc_base,
			send = CASE WHEN excluded.ready = 0 THEN 0 ELSE send END,
			notice = CASE WHEN excluded.ready = 1 THEN '' ELSE notice END, updated_at = excluded.updated_at`,
		ncID, ready, ncRevision, now.UTC().Format(time.RFC3339))
	return ev.db.noted(err)
}

// EvidenceReady is the ready mark of an NC's evidence.
type EvidenceReady struct {
	NCID   string
	Ready  bool
	Send   bool // Send was pressed; the submission goes once every file is uploaded
	NCBase int64
	Notice string
}

// Readiness returns the ready marks by NC.
func (ev *Evidence) Readiness(ctx context.Context) (map[string]EvidenceReady, error) {
	rows, err := ev.db.sql.QueryContext(ctx, `SELECT nc_id, ready, send, nc_base, notice FROM evidence_ready`)
	if err != nil {
		return nil, ev.db.noted(err)
	}
	defer rows.Close()
	out := map[string]EvidenceReady{}
	for rows.Next() {
		var r EvidenceReady
		if err := rows.Scan(&r.NCID, &r.Ready, &r.Send, &r.NCBase, &r.Notice); err != nil {
			return nil, ev.db.noted(err)
		}
		out[r.NCID] = r
	}
	return out, ev.db.noted(rows.Err())
}

// SendReady marks every NC whose evidence is ready as to be sent, except those
// in skip (the caller's: NCs with no file to send), and returns them. The submission
// is queued by QueueDueSubmissions once their files are uploaded.
func (ev *Evidence) SendReady(ctx context.Context, now time.Time, skip []string) ([]string, error) {
	var ids []string
	err := ev.db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT nc_id FROM evidence_ready WHERE ready = 1 AND send = 0 ORDER BY nc_id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			if !slices.Contains(skip, id) {
				ids = append(ids, id)
			}
		}
		rows.Close()
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE evidence_ready SET send = 1, updated_at = ? WHERE nc_id = ?`,
				now.UTC().Format(time.RFC3339), id); err != nil {
				return err
			}
		}
		return nil
	})
	return ids, err
}

// SubmissionPending reports whether the NC's evidence submission waits in the outbox:
// until the server has it, nothing may be added to that evidence nor sent again.
func (ev *Evidence) SubmissionPending(ctx context.Context, ncID string) (bool, error) {
	var pending bool
	err := ev.db.sql.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM outbox WHERE nc_id = ? AND kind = ? AND state = ?)`,
		ncID, api.KindEvidenceSubmit, OutboxPending).Scan(&pending)
	return pending, ev.db.noted(err)
}

// Limits returns the server's upload limits as last pulled; nil before the first sync.
func (ev *Evidence) Limits(ctx context.Context) (*api.Limits, error) {
	l, err := one[api.Limits](ctx, ev.db.sql, `SELECT data FROM limits WHERE id = 'upload'`)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return l, ev.db.noted(err)
}
