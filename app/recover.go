package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/store"
)

// A replica that fails its integrity check is moved aside, never deleted, and a new one
// is built from the server. What the user wrote and had not sent is read out of the
// damaged file as far as it can be read: corrective measures come back as local drafts
// (to be confirmed again), and everything unsent is exported to a file beside it.

// Recovery tells what happened to a damaged replica; the UI shows it once.
type Recovery struct {
	Folder   string `json:"folder"`    // where the damaged replica and the export are
	Export   string `json:"export"`    // the exported unsent work (JSON), "" when nothing could be read
	Restored int    `json:"restored"`  // corrective measures restored as local drafts
	Unsent   int    `json:"unsent"`    // outbox entries found (exported, not resent)
	LoggedIn bool   `json:"logged_in"` // the login could be carried over
}

// salvage is what could be read from a damaged replica.
type salvage struct {
	Server  string            `json:"server"`
	Session json.RawMessage   `json:"-"`
	Vault   string            `json:"-"`
	CAs     []map[string]any  `json:"corrective_measures"`
	Outbox  []map[string]any  `json:"unsent_changes"`
	Files   []map[string]any  `json:"evidence_files"`
	Errors  map[string]string `json:"unreadable,omitempty"`
}

// recoverDamaged moves the damaged replica in dir aside and reads what it can of it.
func recoverDamaged(dir string, now time.Time) (*Recovery, *salvage, error) {
	folder := filepath.Join(dir, "damaged-"+now.UTC().Format("20060102-150405"))
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return nil, nil, err
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		src := filepath.Join(dir, store.FileName+suffix)
		if _, err := os.Stat(src); err == nil {
			if err := os.Rename(src, filepath.Join(folder, store.FileName+suffix)); err != nil {
				return nil, nil, fmt.Errorf("move the damaged replica aside: %w", err)
			}
		}
	}
	rec := &Recovery{Folder: folder}
	s := readDamaged(filepath.Join(folder, store.FileName))
	rec.Unsent = len(s.Outbox)
	if len(s.Errors) > 0 { // for whoever looks into the folder
		var b []byte
		for what, why := range s.Errors {
			b = fmt.Appendf(b, "%s: %s\n", what, why)
		}
		os.WriteFile(filepath.Join(folder, "unreadable.txt"), b, 0o600)
	}
	if len(s.CAs)+len(s.Outbox)+len(s.Files) > 0 {
		raw, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return nil, nil, err
		}
		rec.Export = filepath.Join(folder, "unsent-work.json")
		if err := os.WriteFile(rec.Export, raw, 0o600); err != nil {
			return nil, nil, err
		}
	}
	return rec, s, nil
}

// readDamaged reads, table by table, what a damaged replica still gives.
func readDamaged(path string) *salvage {
	s := &salvage{Errors: map[string]string{}}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		s.Errors["database"] = err.Error()
		return s
	}
	defer db.Close()
	var session string
	if err := db.QueryRow(`SELECT value FROM meta WHERE key = ?`, store.MetaSession).Scan(&session); err == nil {
		s.Session = json.RawMessage(session)
	}
	db.QueryRow(`SELECT value FROM meta WHERE key = ?`, store.MetaServer).Scan(&s.Server)
	db.QueryRow(`SELECT value FROM meta WHERE key = ?`, metaVault).Scan(&s.Vault)
	for name, dst := range map[string]*[]map[string]any{
		`SELECT nc_id, text, ready, updated_at FROM ca_local`:                                        &s.CAs,
		`SELECT seq, kind, nc_id, text, evidence_id, created_at FROM outbox WHERE state = 'pending'`: &s.Outbox,
		`SELECT id, nc_id, sha256, name, size, subject, state FROM evidence_local`:                   &s.Files,
	} {
		rows, err := db.Query(name)
		if err != nil {
			s.Errors[name] = err.Error()
			continue
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				s.Errors[name] = err.Error()
				break
			}
			row := map[string]any{}
			for i, c := range cols {
				if b, ok := vals[i].([]byte); ok {
					vals[i] = string(b)
				}
				row[c] = vals[i]
			}
			*dst = append(*dst, row)
		}
		if err := rows.Err(); err != nil {
			s.Errors[name] = err.Error()
		}
		rows.Close()
	}
	return s
}

// restore puts what was salvaged into the new replica: the login (so that the rebuild
// from the server starts at once) and the corrective measures, as local drafts the user
// confirms again. Messages and attachments are only exported: resending them from a new
// replica could not be told apart from their first sending.
func (ss *Session) restore(ctx context.Context, rec *Recovery, s *salvage) {
	if len(s.Session) > 0 && s.Server != "" {
		if err := ss.store.SetMeta(ctx, store.MetaServer, s.Server, store.MetaSession, string(s.Session), metaVault, s.Vault); err == nil {
			rec.LoggedIn = true
		}
	}
	stamp := ss.stamp()
	for _, ca := range s.CAs {
		id, _ := ca["nc_id"].(string)
		text, _ := ca["text"].(string)
		if id == "" || text == "" {
			continue
		}
		if _, err := ss.store.Autosave(ctx, id, text, stamp); err == nil {
			rec.Restored++
		}
	}
	ss.mu.Lock()
	ss.recovery = rec
	ss.mu.Unlock()
	ss.log.Warn("the replica was damaged: moved aside and rebuilt", "folder", rec.Folder,
		"restored", rec.Restored, "unsent", rec.Unsent)
}
