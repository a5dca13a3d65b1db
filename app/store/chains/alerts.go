package chains

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Events an alert is about.
const (
	EventSuspended   = "suspended"   // a partner's certification was suspended
	EventDecertified = "decertified" // a partner lost its certification
	EventExpiring    = "expiring"    // a certified partner's certificate ends within ExpiryWarning
)

// ExpiryWarning is how long before a partner's certificate ends the chains' owner is
// warned.
const ExpiryWarning = 60 * 24 * time.Hour

// Alert is a fact about a partner of a chain that its owner must hear of.
type Alert struct {
	FLOID      string   `json:"flo_id"`
	Name       string   `json:"name"`
	Event      string   `json:"event"`       // EventSuspended, EventDecertified, EventExpiring
	ValidUntil api.Date `json:"valid_until"` // for EventExpiring
	Products   []string `json:"products"`    // the chains it is in
}

// NewAlerts returns the alerts about the chains' partners (pulled or waiting in the
// outbox) that were not raised before, and records them as raised: each event is
// raised once — a suspension once per change of status, an expiry once per validity
// date — however many syncs follow. today is the local date the expiry counts from.
func (c *Chains) NewAlerts(ctx context.Context, today time.Time) ([]Alert, error) {
	links, err := c.List(ctx)
	if err != nil {
		return nil, err
	}
	products := map[string][]string{}
	var ids []string
	for _, l := range links {
		if l.Pending == PendingRemove {
			continue
		}
		if _, ok := products[l.FLOID]; !ok {
			ids = append(ids, l.FLOID)
		}
		products[l.FLOID] = append(products[l.FLOID], l.Product)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	limit := today.Add(ExpiryWarning).Format(time.DateOnly)
	stamp := today.UTC().Format(time.RFC3339)
	var out []Alert
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, c.noted(err)
	}
	defer tx.Rollback()
	for _, id := range ids {
		var a Alert
		var status, validUntil, changed string
		err := tx.QueryRowContext(ctx, `SELECT name, status, valid_until, status_changed_at FROM operators WHERE flo_id = ?`, id).
			Scan(&a.Name, &status, &validUntil, &changed)
		if errors.Is(err, sql.ErrNoRows) {
			continue // not in the copy yet: the next directory pull brings it
		}
		if err != nil {
			return nil, c.noted(err)
		}
		var fact string
		switch {
		case status == api.StatusSuspended || status == api.StatusDecertified:
			a.Event, fact = status, changed
		case status == api.StatusCertified && validUntil != "" && validUntil <= limit:
			a.Event, fact, a.ValidUntil = EventExpiring, validUntil, api.Date(validUntil)
		default:
			continue
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO chain_alert(key, flo_id, event, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT(key) DO NOTHING`, id+"|"+a.Event+"|"+fact, id, a.Event, stamp)
		if err != nil {
			return nil, c.noted(fmt.Errorf("record alert: %w", err))
		}
		if n, _ := res.RowsAffected(); n == 1 {
			a.FLOID, a.Products = id, products[id]
			out = append(out, a)
		}
	}
	return out, c.noted(tx.Commit())
}

// PastAlert is an alert raised before, for the chains page's list.
type PastAlert struct {
	Key    string `json:"key"`
	FLOID  string `json:"flo_id"`
	Name   string `json:"name"` // from the directory's copy; "" when it no longer holds the operator
	Event  string `json:"event"`
	Fact   string `json:"fact"`      // the status change's time (RFC 3339) or the validity date
	Raised string `json:"raised_at"` // RFC 3339
	Seen   string `json:"seen_at"`   // RFC 3339; "" until the user marked it seen
}

// MaxPastAlerts caps the list of past alerts, newest first.
const MaxPastAlerts = 200

// Alerts returns the alerts raised, newest first, at most MaxPastAlerts.
func (c *Chains) Alerts(ctx context.Context) ([]PastAlert, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT a.key, a.flo_id, coalesce(o.name, ''), a.event, a.created_at, a.seen_at
		FROM chain_alert a LEFT JOIN operators o ON o.flo_id = a.flo_id
		ORDER BY a.created_at DESC, a.key LIMIT ?`, MaxPastAlerts)
	if err != nil {
		return nil, c.noted(err)
	}
	defer rows.Close()
	out := []PastAlert{}
	for rows.Next() {
		var a PastAlert
		if err := rows.Scan(&a.Key, &a.FLOID, &a.Name, &a.Event, &a.Raised, &a.Seen); err != nil {
			return nil, c.noted(err)
		}
		// The key is flo_id|event|fact; the fact may itself hold no '|'.
		if _, fact, ok := strings.Cut(strings.TrimPrefix(a.Key, a.FLOID+"|"), "|"); ok {
			a.Fact = fact
		}
		out = append(out, a)
	}
	return out, c.noted(rows.Err())
}

// MarkSeen records that the user saw the alerts with these keys (all unseen ones when
// keys is empty); an alert seen before keeps its first date, an unknown key is ignored.
// It returns how many alerts it marked.
func (c *Chains) MarkSeen(ctx context.Context, keys []string, now time.Time) (int, error) {
	query, args := `UPDATE chain_alert SET seen_at = ? WHERE seen_at = ''`, []any{now.UTC().Format(time.RFC3339)}
	if len(keys) > 0 {
		query += ` AND key IN (?` + strings.Repeat(", ?", len(keys)-1) + `)`
		for _, k := range keys {
			args = append(args, k)
		}
	}
	res, err := c.db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, c.noted(fmt.Errorf("mark alerts seen: %w", err))
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
