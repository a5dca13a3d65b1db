package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

var _ store.Store = (*Store)(nil)

// DefaultMaxConns bounds the pool when Open is given no bound: enough for a node's
// concurrent requests on two to four cores, few enough that several nodes stay under
// PostgreSQL's default max_connections (100).
const DefaultMaxConns = 16

const pgxSimple = pgx.QueryExecModeSimpleProtocol

// Store is store.Store on a PostgreSQL database, through a bounded pool. Several
// processes may share one database.
type Store struct {
	pool    *pgxpool.Pool
	created bool
	gates   [gateStripes]chan struct{} // see inOrgTx
}

// Open connects to the database at url (postgres://user:password@host:port/db?…),
// with at most maxConns connections (DefaultMaxConns when 0 or less), and migrates
// it. A request that finds every connection busy waits for one (its context bounds
// the wait). The caller must Close the store.
func Open(ctx context.Context, url string, maxConns int32) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database address: %w", err)
	}
	if maxConns <= 0 {
		maxConns = DefaultMaxConns
	}
	cfg.MaxConns = maxConns
	// After a burst the pool shrinks back within a minute or so: connections (a
	// server process each on the database's side) return to their idle level.
	cfg.MinConns = 0
	cfg.MaxConnIdleTime = time.Minute
	// Every transaction here is READ COMMITTED, the server's default, made explicit:
	// the per-organisation lock (lockOrg) relies on each later statement of a
	// transaction seeing what committed before the lock was granted.
	cfg.ConnConfig.RuntimeParams["default_transaction_isolation"] = "read committed"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	before, err := migrate(ctx, pool, time.Now)
	if err != nil {
		pool.Close()
		return nil, err
	}
	s := &Store{pool: pool, created: before == 0}
	for i := range s.gates {
		s.gates[i] = make(chan struct{}, 1)
	}
	return s, nil
}

// Created reports whether Open created the schema (rather than finding one).
func (s *Store) Created() bool { return s.created }

// Close waits for the connections in use to be returned, then closes them all.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Stats is the pool's use in database/sql's terms, which the server's metrics read
// from every store with a pool.
func (s *Store) Stats() sql.DBStats {
	st := s.pool.Stat()
	return sql.DBStats{
		MaxOpenConnections: int(st.MaxConns()),
		OpenConnections:    int(st.TotalConns()),
		InUse:              int(st.AcquiredConns()),
		Idle:               int(st.IdleConns()),
		WaitCount:          st.EmptyAcquireCount(),
		WaitDuration:       st.EmptyAcquireWaitTime(),
		MaxIdleTimeClosed:  st.MaxIdleDestroyCount(),
		MaxLifetimeClosed:  st.MaxLifetimeDestroyCount(),
	}
}

// Ping checks that the database answers, on a connection of the pool (for the
// server's readiness probe).
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// querier is what the pool and a transaction share.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// inTx runs fn in a transaction of the pool, committed when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

func (s *Store) CreateOrg(ctx context.Context, id, name string) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO orgs (id, name) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name`, id, name); err != nil {
		return fmt.Errorf("create org: %w", err)
	}
	return nil
}

func (s *Store) Orgs(ctx context.Context) ([]store.OrgRecord, error) {
	rows, _ := s.pool.Query(ctx, `SELECT id, name FROM orgs ORDER BY id`)
	out, err := collect(rows, func(r pgx.CollectableRow) (store.OrgRecord, error) {
		var o store.OrgRecord
		return o, r.Scan(&o.ID, &o.Name)
	})
	if err != nil {
		return nil, fmt.Errorf("list orgs: %w", err)
	}
	return out, nil
}

func (s *Store) CreateUser(ctx context.Context, u store.UserRecord) error {
	var org *string
	if u.OrgID != "" {
		org = &u.OrgID
	}
	orgRole := u.OrgRole
	if orgRole == "" {
		orgRole = api.OrgRoleManager // the column's default; analysts ignore it
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO users (username, name, role, org_id, password_hash, org_role, disabled)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, u.Username, u.Name, string(u.Role), org, u.PasswordHash, string(orgRole), u.Disabled)
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Username, err)
	}
	return nil
}

func (s *Store) User(ctx context.Context, username string) (store.UserRecord, error) {
	var u store.UserRecord
	if !storable(username) {
		return u, store.ErrNotFound
	}
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+`
		FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.username = $1`, username))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, store.ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("read user: %w", err)
	}
	return u, nil
}

const userColumns = `u.username, u.name, u.role, u.org_id, o.name, u.password_hash, u.org_role, u.disabled`

func scanUser(row pgx.Row) (store.UserRecord, error) {
	var us userScan
	if err := row.Scan(us.dest()...); err != nil {
		return us.u, err
	}
	return us.user(), nil
}

// userScan receives the columns of userColumns.
type userScan struct {
	u             store.UserRecord
	role, orgRole string
	org, orgName  *string
}

func (s *userScan) dest() []any {
	return []any{&s.u.Username, &s.u.Name, &s.role, &s.org, &s.orgName, &s.u.PasswordHash, &s.orgRole, &s.u.Disabled}
}

func (s *userScan) user() store.UserRecord {
	u := s.u
	u.Role = api.Role(s.role)
	if s.org != nil {
		u.OrgID = *s.org
	}
	if s.orgName != nil {
		u.OrgName = *s.orgName
	}
	if u.Role == api.RoleClient {
		u.OrgRole = api.OrgRole(s.orgRole)
	}
	return u
}

func (s *Store) OrgUsers(ctx context.Context, orgID string) ([]store.UserRecord, error) {
	if !storable(orgID) {
		return nil, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+userColumns+`
		FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.org_id = $1 ORDER BY u.username`, orgID)
	out, err := collect(rows, func(r pgx.CollectableRow) (store.UserRecord, error) { return scanUser(r) })
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

func (s *Store) SetUserDisabled(ctx context.Context, username string, disabled bool) error {
	if !storable(username) {
		return store.ErrNotFound
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET disabled = $1 WHERE username = $2`, disabled, username)
		if err != nil {
			return fmt.Errorf("disable user: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		if !disabled {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE tokens SET revoked = $1 WHERE username = $2 AND revoked = ''`,
			store.RevokedAccountDisabled, username); err != nil {
			return fmt.Errorf("disable user: end sessions: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM console_sessions WHERE username = $1`, username); err != nil {
			return fmt.Errorf("disable user: end console sessions: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM calendar_feeds WHERE username = $1`, username); err != nil {
			return fmt.Errorf("disable user: end calendar feed: %w", err)
		}
		return nil
	})
}

func (s *Store) PutToken(ctx context.Context, t store.TokenRecord) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO tokens (hash, kind, username, expires_at, family) VALUES ($1, $2, $3, $4, $5)`,
		t.Hash, t.Kind, t.Username, t.ExpiresAt.UnixNano(), t.Family)
	if err != nil {
		return fmt.Errorf("store token: %w", err)
	}
	return nil
}

const tokenColumns = `hash, kind, username, expires_at, family, spent_at, revoked`

func (s *Store) Token(ctx context.Context, hash string) (store.TokenRecord, error) {
	if !storable(hash) {
		return store.TokenRecord{}, store.ErrNotFound
	}
	return scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, hash))
}

func (s *Store) TokenUser(ctx context.Context, hash string) (store.TokenRecord, store.UserRecord, error) {
	if !storable(hash) {
		return store.TokenRecord{}, store.UserRecord{}, store.ErrNotFound
	}
	return scanTokenUser(s.pool.QueryRow(ctx, `SELECT `+tokenUserColumns+` FROM tokens t
		JOIN users u ON u.username = t.username LEFT JOIN orgs o ON o.id = u.org_id WHERE t.hash = $1`, hash))
}

// tokenUserColumns are tokenColumns (of t) then userColumns.
const tokenUserColumns = `t.hash, t.kind, t.username, t.expires_at, t.family, t.spent_at, t.revoked, ` + userColumns

func scanTokenUser(row pgx.Row) (store.TokenRecord, store.UserRecord, error) {
	var ts tokenScan
	var us userScan
	err := row.Scan(append(ts.dest(), us.dest()...)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return ts.t, us.u, store.ErrNotFound
	}
	if err != nil {
		return ts.t, us.u, fmt.Errorf("read token: %w", err)
	}
	return ts.token(), us.user(), nil
}

// SpendRefreshToken locks the token's row (FOR UPDATE): concurrent spends of one hash
// queue on it, and each one after the first reads the row as the first left it (READ
// COMMITTED re-reads a row it waited for), so it sees the token spent.
func (s *Store) SpendRefreshToken(ctx context.Context, hash string, at time.Time) (store.TokenRecord, error) {
	var t store.TokenRecord
	if !storable(hash) {
		return t, store.ErrNotFound
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		t, err = scanToken(tx.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1 AND kind = $2 FOR UPDATE`,
			hash, store.TokenRefresh))
		if err != nil {
			return err
		}
		if t.Revoked != "" {
			return store.ErrTokenRevoked
		}
		if !t.Spent.IsZero() {
			return store.ErrTokenReused
		}
		if _, err := tx.Exec(ctx, `UPDATE tokens SET spent_at = $1 WHERE hash = $2`, at.UnixNano(), hash); err != nil {
			return fmt.Errorf("spend token: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE tokens SET expires_at = LEAST(expires_at, $1) WHERE family = $2 AND kind = $3`,
			at.UnixNano(), t.Family, store.TokenAccess); err != nil {
			return fmt.Errorf("spend token: end access tokens: %w", err)
		}
		return nil
	})
	if err != nil {
		return t, err
	}
	t.Spent = at.UTC()
	return t, nil
}

func (s *Store) RevokeFamily(ctx context.Context, family string) error {
	if family == "" || !storable(family) {
		return nil // no family: never the tokens of everyone who has none
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM tokens WHERE family = $1`, family); err != nil {
		return fmt.Errorf("revoke tokens: %w", err)
	}
	return nil
}

func scanToken(row pgx.Row) (store.TokenRecord, error) {
	var ts tokenScan
	err := row.Scan(ts.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
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
	spent *int64
}

func (s *tokenScan) dest() []any {
	return []any{&s.t.Hash, &s.t.Kind, &s.t.Username, &s.exp, &s.t.Family, &s.spent, &s.t.Revoked}
}

func (s *tokenScan) token() store.TokenRecord {
	t := s.t
	t.ExpiresAt = time.Unix(0, s.exp).UTC()
	if s.spent != nil {
		t.Spent = time.Unix(0, *s.spent).UTC()
	}
	return t
}

func (s *Store) ChangePassword(ctx context.Context, username, passwordHash, keepFamily, keepConsole string) error {
	if !storable(username) {
		return store.ErrNotFound
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE username = $2`, passwordHash, username)
		if err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `UPDATE tokens SET revoked = $1 WHERE username = $2 AND family <> $3 AND revoked = ''`,
			store.RevokedPasswordChanged, username, keepFamily); err != nil {
			return fmt.Errorf("change password: end sessions: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM console_sessions WHERE username = $1 AND hash <> $2`, username, keepConsole); err != nil {
			return fmt.Errorf("change password: end console sessions: %w", err)
		}
		return nil
	})
}

func (s *Store) DeleteExpiredTokens(ctx context.Context, t time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM tokens WHERE expires_at < $1`, t.UnixNano()); err != nil {
		return fmt.Errorf("delete expired tokens: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM console_sessions WHERE expires_at < $1`, t.UnixNano()); err != nil {
		return fmt.Errorf("delete expired console sessions: %w", err)
	}
	return nil
}

func (s *Store) PutConsoleSession(ctx context.Context, cs store.ConsoleSession) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO console_sessions (hash, username, csrf, expires_at) VALUES ($1, $2, $3, $4)`,
		cs.Hash, cs.Username, cs.CSRF, cs.ExpiresAt.UnixNano())
	if err != nil {
		return fmt.Errorf("store console session: %w", err)
	}
	return nil
}

func (s *Store) ConsoleSession(ctx context.Context, hash string) (store.ConsoleSession, error) {
	cs := store.ConsoleSession{Hash: hash}
	if !storable(hash) {
		return cs, store.ErrNotFound
	}
	var exp int64
	err := s.pool.QueryRow(ctx, `SELECT username, csrf, expires_at FROM console_sessions WHERE hash = $1`, hash).
		Scan(&cs.Username, &cs.CSRF, &exp)
	if errors.Is(err, pgx.ErrNoRows) {
		return cs, store.ErrNotFound
	}
	if err != nil {
		return cs, fmt.Errorf("read console session: %w", err)
	}
	cs.ExpiresAt = time.Unix(0, exp).UTC()
	return cs, nil
}

func (s *Store) DeleteConsoleSession(ctx context.Context, hash string) error {
	if !storable(hash) {
		return nil
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM console_sessions WHERE hash = $1`, hash); err != nil {
		return fmt.Errorf("delete console session: %w", err)
	}
	return nil
}

// storable reports whether PostgreSQL can hold each of ss as TEXT: valid UTF-8 without
// NUL. SQLite keeps any bytes; here a look-up by a key that no write could have
// stored answers "not found" without asking the server, whose refusal would be an
// error (a 500 to a client sending such a key) and would abort the caller's
// transaction.
func storable(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			return false
		}
	}
	return true
}

// holdable returns s as PostgreSQL can hold it: invalid UTF-8 and NUL become U+FFFD.
// For the audit trail only, which records what a client sent, whatever it was.
func holdable(s string) string {
	if storable(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// collect reads every row with fn. No rows is a nil slice, as the SQLite store
// answers (it encodes as JSON null where a caller encodes it).
func collect[T any](rows pgx.Rows, fn pgx.RowToFunc[T]) ([]T, error) {
	return pgx.AppendRows([]T(nil), rows, fn)
}
