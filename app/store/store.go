package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/lockfile"
	"github.com/ecert-desktop/ecert-desktop/app/store/chains"
	"github.com/ecert-desktop/ecert-desktop/app/store/directory"
	"github.com/ecert-desktop/ecert-desktop/app/store/health"
	"github.com/ecert-desktop/ecert-desktop/app/store/trail"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// FileName is the replica's database file inside the data directory.
const FileName = "replica.db"

var (
	// ErrCorrupt means the replica's file is damaged: its check at open failed, or a
	// query met a damaged page (package health).
	ErrCorrupt = health.ErrCorrupt
	// ErrTooNew means the replica was written by a newer version of the app.
	ErrTooNew = errors.New("replica is newer than this app")
	// ErrNotFound is returned by single-item reads when the item is not in the replica
	// (one sentinel for every part, the directory's included).
	ErrNotFound = directory.ErrNotFound
)

// noted returns err, as ErrCorrupt when it says that the replica's file is damaged; the
// replica is then not marked clean when it closes, so that its next open runs the full
// check (and the app rebuilds it).
func (d *database) noted(err error) error {
	if err == nil || !health.Damaged(err) {
		return err
	}
	d.damaged.Store(true)
	return fmt.Errorf("%w: %w", ErrCorrupt, err)
}

// Store is the local replica as the sync engine sees it: it opens, checks and closes
// the database, applies pulled pages, keeps the cursor and settings, hands the outbox to
// the push and records its results, and moves files up and down (engine.Replica and
// engine.Uploader). What the user reads and writes goes through its parts, which share
// its database. It is safe for concurrent use.
type Store struct {
	db   *database
	lock *lockfile.File // held while the store is open (see ErrLocked)

	checked time.Time // when the last full integrity check passed
	opened  bool      // the open completed: Close may mark the replica clean

	Portal   *Portal   // what the portal screens read: synced entities, read marks, notices
	Work     *Work     // the user's CA texts and messages, and the outbox that sends them
	Evidence *Evidence // evidence files attached on this computer, and their ready marks
	Files    *Files    // the cached content of files, by hash
	// Directory is the copy of the operator directory: offline partner search.
	Directory *directory.Directory
	Trail     *trail.Log // the hash-chained log of the user's changes
	// Chains are the organisation's FairMonitor supply chains and their alerts.
	Chains *chains.Chains
}

// database is what the store and its parts share: the one connection pool, the data
// directory, and what one part's writes must tell the others.
type database struct {
	sql     *sql.DB
	dir     string
	damaged atomic.Bool   // a query met a damaged page: the next open checks
	ncGen   atomic.Uint64 // bumped by every committed write of NCs (see Portal.NCs)
}

// Open opens (creating if needed) the replica in dir, checks its integrity (fully when
// package health says so, else a probe) and applies migrations. The directory and
// database are made readable by the user only.
func Open(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	lock, err := lockfile.Lock(dir)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, FileName)
	// synchronous=FULL: a committed transaction (a page of changes with its cursor, and
	// later the outbox) survives a power cut, at the cost of one more fsync per commit.
	dsn := "file:" + path + "?_journal_mode=WAL&_synchronous=FULL&_busy_timeout=5000&_foreign_keys=on&_txlock=immediate"
	sqlDB, err := sql.Open("sqlite3", dsn)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("open replica: %w", err)
	}
	db := &database{sql: sqlDB, dir: dir}
	s := &Store{
		db:        db,
		lock:      lock,
		Portal:    &Portal{db: db},
		Work:      &Work{db: db},
		Directory: directory.New(sqlDB, db.noted),
		Chains:    chains.New(sqlDB, db.noted),
		Evidence:  &Evidence{db: db},
		Files:     &Files{db: db},
		Trail:     trail.New(sqlDB),
	}
	if err := s.open(ctx, path, time.Now()); err != nil {
		s.Close()
		return nil, err
	}
	s.opened = true
	return s, nil
}

func (s *Store) open(ctx context.Context, path string, now time.Time) error {
	// "open" is on disk before anything else touches the replica: if this process does
	// not get to close it in order, the next open runs the full check.
	prev := s.lock.State()
	if err := s.lock.SetState(lockfile.State{Checked: prev.Checked}, true); err != nil {
		return fmt.Errorf("lock data directory: %w", err)
	}
	s.checked = prev.Checked
	if health.NeedsCheck(prev, now) != "" {
		if err := health.Check(ctx, s.db.sql); err != nil {
			return err
		}
		s.checked = now
	} else if err := health.Probe(ctx, s.db.sql); err != nil {
		return err
	}
	if err := migrate(ctx, s.db.sql); err != nil {
		return err
	}
	// Read now, while nothing else uses the replica: the sync asks for it during a
	// page's apply, and it then needs no connection of its own.
	if _, err := s.Directory.After(ctx); err != nil {
		return fmt.Errorf("read directory position: %w", s.db.noted(err))
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("restrict replica permissions: %w", err)
	}
	if err := os.MkdirAll(s.db.blobDir(), 0o700); err != nil {
		return fmt.Errorf("create file cache: %w", err)
	}
	return nil
}

// Close closes the database and lets another process open the directory. The replica is
// marked clean when it closed in order and no query met a damaged page.
func (s *Store) Close() error {
	s.Directory.Close() // its background read, if any, before the database's last connection
	err := s.db.sql.Close()
	if s.lock != nil {
		if err == nil && s.opened && !s.db.damaged.Load() {
			// Not synced: should this write be lost, the next open checks, which is safe.
			s.lock.SetState(lockfile.State{Clean: true, Checked: s.checked}, false)
		}
		s.lock.Close()
		s.lock = nil
	}
	return err
}

// DirectoryAfter returns the seq of the last directory page applied (engine.Replica).
func (s *Store) DirectoryAfter(ctx context.Context) (int64, error) { return s.Directory.After(ctx) }

// ApplyDirectory applies a pulled page of the directory (engine.Replica).
func (s *Store) ApplyDirectory(ctx context.Context, page api.DirectoryPage) error {
	return s.Directory.Apply(ctx, page)
}

// Dir is the data directory the replica lives in.
func (s *Store) Dir() string { return s.db.dir }

// Tx runs fn in one write transaction of the replica, for the parts of the app that
// keep their queries in their own packages (app/library).
func (s *Store) Tx(ctx context.Context, fn func(*sql.Tx) error) error { return s.db.tx(ctx, fn) }

// DB is the replica's pool, for those parts' reads.
func (s *Store) DB() *sql.DB { return s.db.sql }

// Meta returns the value of a local setting, or "" when it is not set.
func (s *Store) Meta(ctx context.Context, key string) (string, error) { return s.db.meta(ctx, key) }

func (d *database) meta(ctx context.Context, key string) (string, error) {
	var v string
	err := d.sql.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, d.noted(err)
}

// SetMeta sets local settings, all in one transaction. An empty value deletes the key.
func (s *Store) SetMeta(ctx context.Context, kv ...string) error {
	if len(kv)%2 != 0 {
		return errors.New("set meta: odd number of arguments")
	}
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		for i := 0; i < len(kv); i += 2 {
			if err := setMeta(ctx, tx, kv[i], kv[i+1]); err != nil {
				return err
			}
		}
		return nil
	})
}

// tx runs fn in a transaction, committed when fn returns nil. Its error goes through
// noted.
func (d *database) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return d.noted(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return d.noted(err)
	}
	if err := trail.Seal(ctx, tx); err != nil { // the changes fn made, in its transaction
		return d.noted(err)
	}
	return d.noted(tx.Commit())
}

func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	var err error
	if value == "" {
		_, err = tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, key)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	}
	if err != nil {
		return fmt.Errorf("set %s: %w", key, err)
	}
	return nil
}

// Meta keys.
const (
	MetaCursor   = "sync.cursor"
	MetaLastSync = "sync.last"
	// MetaCaughtUp is "0" while the first sync's pages arrive, "1" once one ended.
	MetaCaughtUp = "sync.caught_up"
	MetaLanguage = "ui.language"
	MetaServer   = "session.server"
	MetaSession  = "session.json"
)

// ErrLocked means another Ecert Desktop (a window or a headless command) is using the
// data directory: only one may write it at a time.
var ErrLocked = lockfile.ErrLocked
