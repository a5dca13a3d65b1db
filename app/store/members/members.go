package members

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Members reads the replica's members. Safe for concurrent use.
type Members struct {
	db    *sql.DB
	noted func(error) error // the replica's: marks it damaged when err says so
}

// New returns the members of the replica db, whose table its migrations made. noted
// sees every database error before it is returned (nil: errors pass as they are).
func New(db *sql.DB, noted func(error) error) *Members {
	if noted == nil {
		noted = func(err error) error { return err }
	}
	return &Members{db: db, noted: noted}
}

// ErrNotFound is Find's answer for a username the replica does not know.
var ErrNotFound = errors.New("no such member")

// List returns every member as last pulled, disabled ones included, by name then
// username.
func (m *Members) List(ctx context.Context) ([]api.Member, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT data FROM member`)
	if err != nil {
		return nil, m.noted(fmt.Errorf("list members: %w", err))
	}
	defer rows.Close()
	out := []api.Member{}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, m.noted(fmt.Errorf("list members: %w", err))
		}
		var x api.Member
		if err := json.Unmarshal(data, &x); err != nil {
			return nil, fmt.Errorf("list members: %w", err)
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, m.noted(fmt.Errorf("list members: %w", err))
	}
	slices.SortFunc(out, func(a, b api.Member) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.Username, b.Username)
	})
	return out, nil
}

// Find returns the member of a username, or ErrNotFound.
func (m *Members) Find(ctx context.Context, username string) (api.Member, error) {
	var data []byte
	err := m.db.QueryRowContext(ctx, `SELECT data FROM member WHERE id = ?`, username).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return api.Member{}, ErrNotFound
	}
	if err != nil {
		return api.Member{}, m.noted(fmt.Errorf("find member: %w", err))
	}
	var x api.Member
	if err := json.Unmarshal(data, &x); err != nil {
		return api.Member{}, fmt.Errorf("find member: %w", err)
	}
	return x, nil
}

// Known says whether the replica holds any member: a replica that never pulled them
// (a server from before the entity) cannot tell an unknown username from a real one.
func (m *Members) Known(ctx context.Context) (bool, error) {
	var n int
	if err := m.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM member)`).Scan(&n); err != nil {
		return false, m.noted(fmt.Errorf("members: %w", err))
	}
	return n == 1, nil
}

// Me returns the logged-in user's username and display name, as the last login or
// refresh told them (empty when nobody is logged in): the author of what is written on
// this computer and not sent yet. Only the saved session's user is read, never its tokens.
func (m *Members) Me(ctx context.Context) (username, name string, err error) {
	err = m.db.QueryRowContext(ctx, `SELECT COALESCE(json_extract(value, '$.user.username'), ''),
		COALESCE(json_extract(value, '$.user.name'), '') FROM meta WHERE key = 'session.json'`).Scan(&username, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", m.noted(fmt.Errorf("who is logged in: %w", err))
	}
	return username, name, nil
}

// Names returns every member's display name by username, to name the authors of a
// list of changes.
func (m *Members) Names(ctx context.Context) (map[string]string, error) {
	ms, err := m.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ms))
	for _, x := range ms {
		out[x.Username] = x.Name
	}
	return out, nil
}

// Put writes an account as the server just answered the manager (created, disabled,
// enabled), so that it can be picked at once; the next pull brings the same.
func (m *Members) Put(ctx context.Context, x api.Member) error {
	data, err := json.Marshal(x)
	if err != nil {
		return err
	}
	if _, err := m.db.ExecContext(ctx, `INSERT INTO member(id, data) VALUES (?, ?)
		ON CONFLICT(id) DO UPDATE SET data = excluded.data`, x.Username, string(data)); err != nil {
		return m.noted(fmt.Errorf("write member: %w", err))
	}
	return nil
}
