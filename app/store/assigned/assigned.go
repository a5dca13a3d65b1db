package assigned

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Querier is what News reads with: the page's transaction.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// News tells whether the assignment about to be applied (data, the change's JSON) makes
// the logged-in user responsible for the NC anew, or moves their internal due date, and
// returns that due date ("" when none); id is the change's (the NC's). It reads the replica's row before the change
// is written, and the session's username from the replica's meta.
//
// Not news: an assignment of someone else, the same person and date again (every
// replica pulls its own manager's push back), and one the user made themselves.
func News(ctx context.Context, q Querier, id string, data []byte) (bool, string, error) {
	var a api.Assignment
	if err := json.Unmarshal(data, &a); err != nil {
		return false, "", err
	}
	if a.Assignee == "" {
		return false, "", nil
	}
	var me string
	err := q.QueryRowContext(ctx, `SELECT COALESCE(json_extract(value, '$.user.username'), '') FROM meta WHERE key = 'session.json'`).Scan(&me)
	if errors.Is(err, sql.ErrNoRows) {
		return false, "", nil // nobody logged in: nobody to tell
	}
	if err != nil {
		return false, "", err
	}
	if me == "" || a.Assignee != me || a.AssignedBy == me {
		return false, "", nil
	}
	var old []byte
	switch err := q.QueryRowContext(ctx, `SELECT data FROM assignment WHERE id = ?`, id).Scan(&old); {
	case errors.Is(err, sql.ErrNoRows):
		return true, string(a.Due), nil
	case err != nil:
		return false, "", err
	}
	var was api.Assignment
	if err := json.Unmarshal(old, &was); err != nil {
		return false, "", err
	}
	if was.Assignee == a.Assignee && was.Due == a.Due {
		return false, "", nil
	}
	return true, string(a.Due), nil
}
