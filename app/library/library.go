package library

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Config is what the app gives the service.
type Config struct {
	Context context.Context     // of the bound calls; cancelled when the app closes
	Store   func() *store.Store // the replica, once the app opened it
	Now     func() time.Time
	// Kick asks the running sync to push now (nothing when none runs).
	Kick func()
	// Fail turns an error into what a bound method returns: a code the window translates.
	Fail func(error) error
}

// Library lists the organisation's files and links one to an NC's evidence.
type Library struct{ cfg Config }

// New returns the service.
func New(cfg Config) *Library { return &Library{cfg: cfg} }

// Kinds of use of a file.
const (
	KindEvidence    = "evidence"
	KindDocument    = "document"
	KindCertificate = "certificate"
)

// SourceLibrary is the source of evidence linked from the library.
const SourceLibrary = "library"

// maxQueryText caps the search text: longer input is cut, never refused.
const maxQueryText = 1000

// Query narrows the list: Text (words matched in names, subjects, NC ids, types;
// case and accents ignored) and Kind (evidence, document, certificate; "" = all).
type Query struct {
	Text string `json:"text"`
	Kind string `json:"kind"`
}

// Use is one place a file is used.
type Use struct {
	Kind    string `json:"kind"`    // evidence, document, certificate
	ID      string `json:"id"`      // the evidence, document or certificate id
	NCID    string `json:"nc_id"`   // evidence: its NC
	Subject string `json:"subject"` // evidence: its subject
	Label   string `json:"label"`   // document: its type; certificate: its number
	Date    string `json:"date"`    // YYYY-MM-DD when known
	// State of an evidence use: submitted (sent to FLOCERT), attached (on the server,
	// not sent), pending (waiting to go: attached or linked here, offline or not yet
	// synced), refused (Code says why).
	State string `json:"state"`
	Code  string `json:"code"`
}

// File is one file of the organisation, by content: the same bytes used twice are one
// file with two uses.
type File struct {
	SHA256    string   `json:"sha256"`
	Name      string   `json:"name"`
	Size      int64    `json:"size"`
	MediaType string   `json:"media_type"`
	Kinds     []string `json:"kinds"`
	Uses      []Use    `json:"uses"`
	NCs       []string `json:"ncs"`    // the NCs whose evidence it is, sorted
	Cached    bool     `json:"cached"` // its content is on this computer (opens offline)
	// OnServer: the server has it, so linking it moves only a reference; else its
	// bytes go first, once.
	OnServer bool `json:"on_server"`
}

// Target is an NC whose evidence a file may be linked to now.
type Target struct {
	NCID      string `json:"nc_id"`
	AuditID   string `json:"audit_id"`
	Criterion string `json:"criterion"`
	Linked    bool   `json:"linked"` // the file is already among its evidence
}

// LinkResult is what a link did.
type LinkResult struct {
	ID      string `json:"id"`      // the evidence id on the NC
	Already bool   `json:"already"` // the NC had the file already: nothing new was queued
}

// List returns the organisation's files that match q, by name. It needs no connection.
func (l *Library) List(q Query) ([]File, error) {
	files, err := l.list(l.cfg.Context, q)
	return files, l.cfg.Fail(err)
}

// Targets returns the NCs the file may be linked to now (evidence requested or
// returned), saying which have it already.
func (l *Library) Targets(sha256 string) ([]Target, error) {
	t, err := l.targets(l.cfg.Context, sha256)
	return t, l.cfg.Fail(err)
}

// Link attaches a file of the library to an NC's evidence, with subject. Offline it is
// queued; it goes exactly once: linking the same file to the same NC again returns the
// evidence it has.
func (l *Library) Link(ncID, sha256, subject string) (LinkResult, error) {
	r, err := l.link(l.cfg.Context, ncID, sha256, subject)
	return r, l.cfg.Fail(err)
}

func (l *Library) store() (*store.Store, error) {
	s := l.cfg.Store()
	if s == nil {
		return nil, coded.Error(api.CodeNotLoggedIn)
	}
	return s, nil
}

func (l *Library) list(ctx context.Context, q Query) ([]File, error) {
	s, err := l.store()
	if err != nil {
		return nil, err
	}
	all, err := collect(ctx, s.DB())
	if err != nil {
		return nil, err
	}
	text := q.Text
	if len(text) > maxQueryText {
		text = text[:maxQueryText]
	}
	words := strings.Fields(fold(text))
	out := []File{}
	for _, f := range all {
		if q.Kind != "" && !slices.Contains(f.Kinds, q.Kind) {
			continue
		}
		if len(words) > 0 && !matches(haystack(f), words) {
			continue
		}
		out = append(out, f)
	}
	return out, nil
}

// haystack is what a search looks in: names, subjects, NC ids, kinds, types.
func haystack(f File) string {
	parts := []string{f.Name, f.MediaType, strings.TrimPrefix(filepath.Ext(f.Name), ".")}
	parts = append(parts, f.Kinds...)
	for _, u := range f.Uses {
		parts = append(parts, u.ID, u.NCID, u.Subject, u.Label)
	}
	return fold(strings.Join(parts, "\n"))
}

// collect reads every file of the replica, grouped by hash, sorted by name.
func collect(ctx context.Context, db *sql.DB) ([]File, error) {
	byHash := map[string]*File{}
	add := func(ref api.FileRef, u Use, onServer bool) {
		if !api.ValidSHA256(ref.SHA256) {
			return
		}
		f := byHash[ref.SHA256]
		if f == nil {
			f = &File{SHA256: ref.SHA256, Name: ref.Name, Size: ref.Size, MediaType: ref.MediaType}
			byHash[ref.SHA256] = f
		}
		f.OnServer = f.OnServer || onServer
		if !slices.Contains(f.Kinds, u.Kind) {
			f.Kinds = append(f.Kinds, u.Kind)
		}
		if u.NCID != "" && !slices.Contains(f.NCs, u.NCID) {
			f.NCs = append(f.NCs, u.NCID)
		}
		f.Uses = append(f.Uses, u)
	}
	// Evidence as the server has it.
	rows, err := db.QueryContext(ctx, `SELECT data FROM evidence ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list evidence: %w", err)
	}
	err = eachJSON(rows, func(ev api.Evidence) {
		state := "attached"
		if ev.Submitted {
			state = "submitted"
		}
		add(ev.File, Use{Kind: KindEvidence, ID: ev.ID, NCID: ev.NCID, Subject: ev.Subject, Date: string(ev.Date), State: state}, true)
	})
	if err != nil {
		return nil, err
	}
	// Evidence attached or linked here that the server has not confirmed yet.
	lrows, err := db.QueryContext(ctx, `SELECT id, nc_id, sha256, name, size, media_type, subject, state, code, added_at
		FROM evidence_local WHERE state <> ? AND id NOT IN (SELECT id FROM evidence) ORDER BY added_at, id`, store.EvidenceRemoving)
	if err != nil {
		return nil, fmt.Errorf("list local evidence: %w", err)
	}
	for lrows.Next() {
		var ref api.FileRef
		var u Use
		var state, added string
		if err := lrows.Scan(&u.ID, &u.NCID, &ref.SHA256, &ref.Name, &ref.Size, &ref.MediaType, &u.Subject, &state, &u.Code, &added); err != nil {
			lrows.Close()
			return nil, err
		}
		u.Kind, u.Date = KindEvidence, strings.SplitN(added, "T", 2)[0]
		switch state {
		case store.EvidenceRefused:
			u.State = "refused"
		case store.EvidenceAttached:
			u.State = "attached"
		default:
			u.State = "pending"
		}
		// Queued means uploaded (or linked from a file the server has).
		add(ref, u, state != store.EvidenceLocal && state != store.EvidenceRefused)
	}
	lrows.Close()
	if err := lrows.Err(); err != nil {
		return nil, err
	}
	// Documents and certificates.
	rows, err = db.QueryContext(ctx, `SELECT data FROM document ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	if err := eachJSON(rows, func(d api.Document) {
		add(d.File, Use{Kind: KindDocument, ID: d.ID, Label: d.Type, Date: string(d.Date)}, true)
	}); err != nil {
		return nil, err
	}
	rows, err = db.QueryContext(ctx, `SELECT data FROM certificate ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list certificates: %w", err)
	}
	if err := eachJSON(rows, func(c api.Certificate) {
		if c.File != nil {
			add(*c.File, Use{Kind: KindCertificate, ID: c.ID, Label: c.Number, Date: string(c.ValidUntil)}, true)
		}
	}); err != nil {
		return nil, err
	}
	cached, err := cachedHashes(ctx, db)
	if err != nil {
		return nil, err
	}
	out := make([]File, 0, len(byHash))
	for _, f := range byHash {
		f.Cached = cached[f.SHA256]
		sort.Strings(f.NCs)
		if f.NCs == nil {
			f.NCs = []string{}
		}
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := fold(out[i].Name), fold(out[j].Name)
		if a != b {
			return a < b
		}
		return out[i].SHA256 < out[j].SHA256
	})
	return out, nil
}

func eachJSON[T any](rows *sql.Rows, fn func(T)) error {
	defer rows.Close()
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return err
		}
		var v T
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		fn(v)
	}
	return rows.Err()
}

// cachedHashes is the set of files whose content this computer has.
func cachedHashes(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT sha256 FROM blob`)
	if err != nil {
		return nil, fmt.Errorf("list cached files: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return nil, err
		}
		out[sha] = true
	}
	return out, rows.Err()
}

// find returns one file of the library by hash.
func find(ctx context.Context, db *sql.DB, sha string) (*File, error) {
	if !api.ValidSHA256(sha) {
		return nil, coded.Error(api.CodeFileUnknown)
	}
	all, err := collect(ctx, db)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].SHA256 == sha {
			return &all[i], nil
		}
	}
	return nil, coded.Error(api.CodeFileUnknown)
}

func awaitingEvidence(stage string) bool {
	return stage == api.StageEvidenceRequested || stage == api.StageEvidenceReturned
}

func (l *Library) targets(ctx context.Context, sha string) ([]Target, error) {
	s, err := l.store()
	if err != nil {
		return nil, err
	}
	f, err := find(ctx, s.DB(), sha)
	if err != nil {
		return nil, err
	}
	ncs, err := s.Portal.NCs(ctx, api.StageEvidenceRequested, api.StageEvidenceReturned)
	if err != nil {
		return nil, err
	}
	out := []Target{}
	for _, nc := range ncs {
		out = append(out, Target{NCID: nc.ID, AuditID: nc.AuditID, Criterion: nc.CriterionNumber, Linked: linkedTo(f, nc.ID)})
	}
	return out, nil
}

// linkedTo reports whether the file is evidence of the NC (not refused).
func linkedTo(f *File, ncID string) bool {
	for _, u := range f.Uses {
		if u.Kind == KindEvidence && u.NCID == ncID && u.State != "refused" {
			return true
		}
	}
	return false
}

func (l *Library) link(ctx context.Context, ncID, sha, subject string) (LinkResult, error) {
	s, err := l.store()
	if err != nil {
		return LinkResult{}, err
	}
	if len(subject) > api.MaxTextBytes {
		return LinkResult{}, coded.Error(api.CodeTextTooLong)
	}
	nc, err := s.Portal.NC(ctx, ncID)
	if errors.Is(err, store.ErrNotFound) {
		return LinkResult{}, coded.Error(api.CodeNCNotFound)
	}
	if err != nil {
		return LinkResult{}, err
	}
	if !awaitingEvidence(nc.Stage) {
		return LinkResult{}, coded.Error(api.CodeNotAwaitingEvidence)
	}
	if pending, err := s.Evidence.SubmissionPending(ctx, ncID); err != nil {
		return LinkResult{}, err
	} else if pending {
		return LinkResult{}, coded.Error(api.CodeEvidenceSent)
	}
	f, err := find(ctx, s.DB(), sha)
	if err != nil {
		return LinkResult{}, err
	}
	limits, err := s.Evidence.Limits(ctx)
	if err != nil {
		return LinkResult{}, err
	}
	if limits != nil && len(limits.Types) > 0 && !slices.Contains(limits.Types, strings.ToLower(filepath.Ext(f.Name))) {
		return LinkResult{}, coded.Error(api.CodeTypeRefused)
	}
	if limits != nil && limits.MaxFileBytes > 0 && f.Size > limits.MaxFileBytes {
		return LinkResult{}, coded.Error(api.CodeTooLarge)
	}
	ref := api.FileRef{SHA256: f.SHA256, Name: f.Name, Size: f.Size, MediaType: f.MediaType}
	if !f.OnServer {
		// Attached here and not uploaded yet: attach the same bytes, which go once.
		ev, err := s.Evidence.Attach(ctx, store.LocalEvidence{NCID: nc.ID, File: ref, Subject: subject, Source: SourceLibrary}, l.cfg.Now())
		if err != nil {
			return LinkResult{}, err
		}
		l.cfg.Kick()
		return LinkResult{ID: ev.ID}, nil
	}
	clientID, err := s.ClientID(ctx)
	if err != nil {
		return LinkResult{}, err
	}
	now := l.cfg.Now().UTC()
	stamp := now.Format(time.RFC3339)
	var res LinkResult
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		// Already there (from this computer, another, or a link not yet sent): the same.
		err := tx.QueryRowContext(ctx, `SELECT id FROM (
				SELECT id, added_at AS at FROM evidence_local WHERE nc_id = ?1 AND sha256 = ?2 AND state IN (?3, ?4, ?5)
				UNION ALL SELECT id, '' AS at FROM evidence WHERE nc_id = ?1 AND file_sha256 = ?2
					AND id NOT IN (SELECT id FROM evidence_local WHERE state = ?6))
			ORDER BY at LIMIT 1`, nc.ID, f.SHA256, store.EvidenceLocal, store.EvidenceQueued, store.EvidenceAttached,
			store.EvidenceRemoving).Scan(&res.ID)
		if err == nil {
			res.Already = true
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) + 1 FROM evidence_local`).Scan(&n); err != nil {
			return err
		}
		res.ID = fmt.Sprintf("PM-%s-%d-%d", clientID, now.UnixNano()%1e9, n)
		if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_local(id, nc_id, sha256, name, size, media_type, subject,
				original_sha256, original_size, source, state, code, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', 0, ?, ?, '', ?)`,
			res.ID, nc.ID, ref.SHA256, ref.Name, ref.Size, ref.MediaType, subject, SourceLibrary, store.EvidenceQueued, stamp); err != nil {
			return err
		}
		file, err := json.Marshal(api.FileRef{SHA256: ref.SHA256, Name: ref.Name})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO outbox(kind, nc_id, text, created_at, evidence_id, file) VALUES (?, ?, ?, ?, ?, ?)`,
			api.KindEvidenceLink, nc.ID, subject, stamp, res.ID, string(file))
		return err
	})
	if err != nil {
		return LinkResult{}, err
	}
	if !res.Already {
		l.cfg.Kick()
	}
	return res, nil
}
