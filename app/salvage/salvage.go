package salvage

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/vault"
)

// Salvage is what could be read from a damaged replica, and where it was put. Its JSON
// is the export the user (or their IT support) reads.
type Salvage struct {
	Folder  string            `json:"-"` // where the damaged replica and the export are
	Export  string            `json:"-"` // the exported unsent work, "" when nothing could be read
	Server  string            `json:"server"`
	Session json.RawMessage   `json:"-"`
	Vault   string            `json:"-"`
	CAs     []map[string]any  `json:"corrective_measures"`
	Outbox  []map[string]any  `json:"unsent_changes"`
	Files   []map[string]any  `json:"evidence_files"`
	Errors  map[string]string `json:"unreadable,omitempty"`
}

// MoveAside moves the damaged replica in dir into a new folder damaged-<time> beside
// it, reads what it can of it, and exports what the user wrote and had not sent to
// unsent-work.json there. Nothing is deleted.
func MoveAside(dir string, now time.Time) (*Salvage, error) {
	folder := filepath.Join(dir, "damaged-"+now.UTC().Format("20060102-150405"))
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return nil, err
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		src := filepath.Join(dir, store.FileName+suffix)
		if _, err := os.Stat(src); err == nil {
			if err := os.Rename(src, filepath.Join(folder, store.FileName+suffix)); err != nil {
				return nil, fmt.Errorf("move the damaged replica aside: %w", err)
			}
		}
	}
	s := readDamaged(filepath.Join(folder, store.FileName))
	s.Folder = folder
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
			return nil, err
		}
		s.Export = filepath.Join(folder, "unsent-work.json")
		if err := os.WriteFile(s.Export, raw, 0o600); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// readDamaged reads, table by table, what a damaged replica still gives.
func readDamaged(path string) *Salvage {
	s := &Salvage{Errors: map[string]string{}}
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
	db.QueryRow(`SELECT value FROM meta WHERE key = ?`, vault.Meta).Scan(&s.Vault)
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
