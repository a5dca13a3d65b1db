package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

var _ store.Store = (*Store)(nil)

// Pool and durability settings of Open. Package variables so that tests may change
// them (the power-cut test sets Synchronous to NORMAL to show what FULL prevents).
var (
	// MaxOpenConns bounds the connections, so a burst of requests queues for one
	// instead of opening file handles until the process runs out (each connection is
	// one handle of the database file, one of its WAL and one of its shared memory).
	// SQLite has one writer at a time: more connections only add readers.
	MaxOpenConns = 16
	// MaxIdleConns stay open between requests: all of them, as a connection closed
	// when the pool has more idle than this must be opened again at the next burst —
	// the file, the schema parsed anew, its page cache and prepared statements lost —
	// which under a steady load of a few requests at once cost more than the requests.
	// ConnMaxIdleTime closes them once the load stops, so handles and page caches
	// return to their idle level.
	MaxIdleConns    = MaxOpenConns
	ConnMaxIdleTime = 30 * time.Second
	// Synchronous is SQLite's synchronous setting. FULL fsyncs the WAL at every
	// commit, so a write is on disk before the server answers it. With WAL and NORMAL
	// a commit reaches the disk only at the next checkpoint: a power cut after the
	// answer to a push could roll the push back after the client dropped its outbox
	// entry — an item lost. FULL costs one fsync per write transaction.
	Synchronous = "FULL"
	// StmtCacheSize is how many prepared statements each connection keeps: more than
	// the server's distinct queries, so that none is prepared twice on a connection.
	StmtCacheSize = 256
)

// Store is the embedded store.Store: one SQLite file in WAL mode.
type Store struct {
	db      *sql.DB
	created bool
	// writing is held by the one write transaction of this process at a time
	// (beginWrite): the others wait here, parked, rather than inside SQLite's busy
	// handler, which sleeps in steps of up to 100 ms while holding a pooled connection.
	writing chan struct{}
}

// Open opens (creating if needed) the database at path and migrates it. The caller
// must Close it.
func Open(ctx context.Context, path string) (*Store, error) {
	// _txlock=immediate takes the write lock at BEGIN, so two writers queue on
	// busy_timeout instead of failing to upgrade a read lock.
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", Synchronous)
	q.Set("_txlock", "immediate")
	// Each connection keeps its statements prepared (the driver's cache): parsing and
	// planning a query cost more than running it on an indexed row, and every request
	// runs the same few (its token, its user, the change log after a cursor).
	q.Set("_stmt_cache_size", strconv.Itoa(StmtCacheSize))
	db, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(MaxOpenConns)
	db.SetMaxIdleConns(MaxIdleConns)
	db.SetConnMaxIdleTime(ConnMaxIdleTime)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	before, err := migrate(ctx, db, time.Now)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, created: before == 0, writing: make(chan struct{}, 1)}, nil
}

// beginWrite begins a write transaction (IMMEDIATE, _txlock) once no other of this
// process is running; the caller must endWrite it. Another process writing the file
// (ecert-server generate, password) is still waited for by SQLite's busy timeout.
func (s *Store) beginWrite(ctx context.Context) (*sql.Tx, error) {
	select {
	case s.writing <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		<-s.writing
		return nil, err
	}
	return tx, nil
}

// endWrite rolls tx back unless it was committed, and lets the next write begin.
func (s *Store) endWrite(tx *sql.Tx) {
	tx.Rollback()
	<-s.writing
}

// Created reports whether Open created the database (rather than reopening one).
func (s *Store) Created() bool { return s.created }

func (s *Store) Close() error { return s.db.Close() }

// Stats reports the use of the connection pool (for the server's metrics).
func (s *Store) Stats() sql.DBStats { return s.db.Stats() }

// Ping checks that the database answers a query (for the server's readiness probe).
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

func (s *Store) CreateOrg(ctx context.Context, id, name string) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("create org: %w", err)
	}
	defer s.endWrite(tx)
	if _, err := tx.ExecContext(ctx, `INSERT INTO orgs (id, name) VALUES (?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name`, id, name); err != nil {
		return fmt.Errorf("create org: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO org_seq (org_id, last_seq) VALUES (?, 0)
		ON CONFLICT (org_id) DO NOTHING`, id); err != nil {
		return fmt.Errorf("create org: %w", err)
	}
	return tx.Commit()
}

func (s *Store) CreateUser(ctx context.Context, u store.UserRecord) error {
	var org any
	if u.OrgID != "" {
		org = u.OrgID
	}
	orgRole := u.OrgRole
	if orgRole == "" {
		orgRole = api.OrgRoleManager // the column's default; analysts ignore it
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO users (username, name, role, org_id, password_hash, org_role, disabled)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, u.Username, u.Name, string(u.Role), org, u.PasswordHash, string(orgRole), u.Disabled)
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Username, err)
	}
	return nil
}

func (s *Store) User(ctx context.Context, username string) (store.UserRecord, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+`
		FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.username = ?`, username))
	if errors.Is(err, sql.ErrNoRows) {
		return u, store.ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("read user: %w", err)
	}
	return u, nil
}

const userColumns = `u.username, u.name, u.role, u.org_id, o.name, u.password_hash, u.org_role, u.disabled`

func scanUser(row interface{ Scan(...any) error }) (store.UserRecord, error) {
	var us userScan
	err := row.Scan(us.dest()...)
	return us.user(), err
}

// userScan receives the columns of userColumns.
type userScan struct {
	u             store.UserRecord
	role, orgRole string
	org, orgName  sql.NullString
}

func (s *userScan) dest() []any {
	return []any{&s.u.Username, &s.u.Name, &s.role, &s.org, &s.orgName, &s.u.PasswordHash, &s.orgRole, &s.u.Disabled}
}

func (s *userScan) user() store.UserRecord {
	u := s.u
	u.Role, u.OrgID, u.OrgName = api.Role(s.role), s.org.String, s.orgName.String
	if u.Role == api.RoleClient {
		u.OrgRole = api.OrgRole(s.orgRole)
	}
	return u
}

func (s *Store) OrgUsers(ctx context.Context, orgID string) ([]store.UserRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+`
		FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.org_id = ? ORDER BY u.username`, orgID)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []store.UserRecord
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (s *Store) SetUserDisabled(ctx context.Context, username string, disabled bool) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("disable user: %w", err)
	}
	defer s.endWrite(tx)
	res, err := tx.ExecContext(ctx, `UPDATE users SET disabled = ? WHERE username = ?`, disabled, username)
	if err != nil {
		return fmt.Errorf("disable user: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return store.ErrNotFound
	}
	if disabled {
		if _, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked = ? WHERE username = ? AND revoked = ''`,
			store.RevokedAccountDisabled, username); err != nil {
			return fmt.Errorf("disable user: end sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM console_sessions WHERE username = ?`, username); err != nil {
			return fmt.Errorf("disable user: end console sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_feeds WHERE username = ?`, username); err != nil {
			return fmt.Errorf("disable user: end calendar feed: %w", err)
		}
	}
	return tx.Commit()
}

func (s *Store) PutToken(ctx context.Context, t store.TokenRecord) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO tokens (hash, kind, username, expires_at, family) VALUES (?, ?, ?, ?, ?)`,
		t.Hash, t.Kind, t.Username, t.ExpiresAt.UnixNano(), t.Family)
	if err != nil {
		return fmt.Errorf("store token: %w", err)
	}
	return nil
}

const tokenColumns = `hash, kind, username, expires_at, family, spent_at, revoked`

func (s *Store) Token(ctx context.Context, hash string) (store.TokenRecord, error) {
	return scanToken(s.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = ?`, hash))
}

func (s *Store) TokenUser(ctx context.Context, hash string) (store.TokenRecord, store.UserRecord, error) {
	return scanTokenUser(s.db.QueryRowContext(ctx, `SELECT `+tokenUserColumns+` FROM tokens t
		JOIN users u ON u.username = t.username LEFT JOIN orgs o ON o.id = u.org_id WHERE t.hash = ?`, hash))
}

// tokenUserColumns are tokenColumns (of t) then userColumns.
const tokenUserColumns = `t.hash, t.kind, t.username, t.expires_at, t.family, t.spent_at, t.revoked, ` + userColumns

func scanTokenUser(row *sql.Row) (store.TokenRecord, store.UserRecord, error) {
	var ts tokenScan
	var us userScan
	err := row.Scan(append(ts.dest(), us.dest()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return ts.t, us.u, store.ErrNotFound
	}
	if err != nil {
		return ts.t, us.u, fmt.Errorf("read token: %w", err)
	}
	return ts.token(), us.user(), nil
}

func (s *Store) SpendRefreshToken(ctx context.Context, hash string, at time.Time) (store.TokenRecord, error) {
	tx, err := s.beginWrite(ctx) // immediate (_txlock): concurrent spends queue here
	if err != nil {
		return store.TokenRecord{}, fmt.Errorf("spend token: %w", err)
	}
	defer s.endWrite(tx)
	t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = ? AND kind = ?`, hash, store.TokenRefresh))
	if err != nil {
		return t, err
	}
	if t.Revoked != "" {
		return t, store.ErrTokenRevoked
	}
	if !t.Spent.IsZero() {
		return t, store.ErrTokenReused
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tokens SET spent_at = ? WHERE hash = ?`, at.UnixNano(), hash); err != nil {
		return t, fmt.Errorf("spend token: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tokens SET expires_at = MIN(expires_at, ?) WHERE family = ? AND kind = ?`,
		at.UnixNano(), t.Family, store.TokenAccess); err != nil {
		return t, fmt.Errorf("spend token: end access tokens: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return t, fmt.Errorf("spend token: %w", err)
	}
	t.Spent = at.UTC()
	return t, nil
}

func (s *Store) RevokeFamily(ctx context.Context, family string) error {
	if family == "" {
		return nil // no family: never the tokens of everyone who has none
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM tokens WHERE family = ?`, family); err != nil {
		return fmt.Errorf("revoke tokens: %w", err)
	}
	return nil
}

func scanToken(row *sql.Row) (store.TokenRecord, error) {
	var ts tokenScan
	err := row.Scan(ts.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return ts.t, store.ErrNotFound
	}
	if err != nil {
		return ts.t, fmt.Errorf("read token: %w", err)
	}
	return ts.token(), nil
}

// tokenScan receives the columns of tokenColumns.
type tokenScan struct {
	t     store.TokenRecord
	exp   int64
	spent sql.NullInt64
}

func (s *tokenScan) dest() []any {
	return []any{&s.t.Hash, &s.t.Kind, &s.t.Username, &s.exp, &s.t.Family, &s.spent, &s.t.Revoked}
}

func (s *tokenScan) token() store.TokenRecord {
	t := s.t
	t.ExpiresAt = time.Unix(0, s.exp).UTC()
	if s.spent.Valid {
		t.Spent = time.Unix(0, s.spent.Int64).UTC()
	}
	return t
}

func (s *Store) ChangePassword(ctx context.Context, username, passwordHash, keepFamily, keepConsole string) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	defer s.endWrite(tx)
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE username = ?`, passwordHash, username)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return store.ErrNotFound
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked = ? WHERE username = ? AND family <> ? AND revoked = ''`,
		store.RevokedPasswordChanged, username, keepFamily); err != nil {
		return fmt.Errorf("change password: end sessions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM console_sessions WHERE username = ? AND hash <> ?`, username, keepConsole); err != nil {
		return fmt.Errorf("change password: end console sessions: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return nil
}

func (s *Store) DeleteExpiredTokens(ctx context.Context, t time.Time) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM tokens WHERE expires_at < ?`, t.UnixNano()); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `DELETE FROM console_sessions WHERE expires_at < ?`, t.UnixNano())
	return err
}

func (s *Store) Entity(ctx context.Context, orgID, entity, id string) (store.EntityRecord, error) {
	var r store.EntityRecord
	var data string
	err := s.db.QueryRowContext(ctx, `SELECT data, visible, revision FROM entities
		WHERE org_id = ? AND entity = ? AND id = ?`, orgID, entity, id).Scan(&data, &r.Visible, &r.Revision)
	if errors.Is(err, sql.ErrNoRows) {
		return r, store.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("read %s: %w", entity, err)
	}
	r.Data = json.RawMessage(data)
	return r, nil
}

func (s *Store) Children(ctx context.Context, orgID, entity, parentID string) ([]store.EntityRecord, error) {
	return entityRecords(ctx, s.db, entity, `SELECT data, visible, revision FROM entities
		WHERE org_id = ? AND entity = ? AND parent_id = ? ORDER BY rowid`, orgID, entity, parentID)
}

func (s *Store) Changes(ctx context.Context, orgID string, after int64, limit int) ([]api.Change, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, entity, id, op, data FROM changes
		WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?`, orgID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	defer rows.Close()
	// Empty, not nil (JSON []), and without room made in advance: most syncs are idle
	// and find nothing, and append grows the slice for the others.
	out := []api.Change{}
	for rows.Next() {
		var c api.Change
		var data sql.NullString
		if err := rows.Scan(&c.Seq, &c.Entity, &c.ID, &c.Op, &data); err != nil {
			return nil, fmt.Errorf("read changes: %w", err)
		}
		if data.Valid {
			c.Data = json.RawMessage(data.String)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) FileRef(ctx context.Context, orgID, sha256 string) (api.FileRef, error) {
	return fileRef(ctx, s.db, orgID, sha256)
}

func (t *orgTx) FileRef(sha256 string) (api.FileRef, error) {
	return fileRef(t.ctx, t.tx, t.org, sha256)
}

func fileRef(ctx context.Context, q queryer, orgID, sha256 string) (api.FileRef, error) {
	f := api.FileRef{SHA256: sha256}
	err := q.QueryRowContext(ctx, `SELECT name, size, media_type FROM file_refs
		WHERE org_id = ? AND sha256 = ? LIMIT 1`, orgID, sha256).Scan(&f.Name, &f.Size, &f.MediaType)
	if errors.Is(err, sql.ErrNoRows) {
		// Not referred to by an item: the organisation may still have uploaded it.
		return orgBlob(ctx, q, orgID, sha256)
	}
	if err != nil {
		return f, fmt.Errorf("read file ref: %w", err)
	}
	return f, nil
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// entityRecords runs a query answering (data, visible, revision) rows of one entity.
func entityRecords(ctx context.Context, q querier, entity, query string, args ...any) ([]store.EntityRecord, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", entity, err)
	}
	defer rows.Close()
	var out []store.EntityRecord
	for rows.Next() {
		var r store.EntityRecord
		var data string
		if err := rows.Scan(&data, &r.Visible, &r.Revision); err != nil {
			return nil, fmt.Errorf("list %s: %w", entity, err)
		}
		r.Data = json.RawMessage(data)
		out = append(out, r)
	}
	return out, rows.Err()
}
