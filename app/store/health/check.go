package health

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/lockfile"
)

// When the replica's integrity is checked.
//
// SQLite's full check (PRAGMA quick_check) reads every page: on the large organisation's
// replica it was 96 % of the time of a command such as `status`. It runs where damage is
// likely or was seen, not at every open:
//
//   - after an unclean end: the lock file says "open" until the replica is closed in
//     order, so a process killed, a crash or a power cut (the usual cause of a damaged
//     file) leaves it saying so, and the next open checks;
//   - when a query met a damaged page (SQLite's SQLITE_CORRUPT): the error is returned as
//     ErrCorrupt and the replica is not marked clean at close, so the next open checks
//     and the app rebuilds it (see noted);
//   - at least every CheckEvery (a day), for damage nothing has read yet;
//   - when the lock file is missing or unreadable (a copied or older data folder).
//
// Every other open runs a probe instead: it reads the schema and the first row of every
// table, which walks each table from its root page down. Damage to those pages makes a
// whole table unreadable (and a small table, such as the user's unsent work, is that page
// alone), so it is caught at start whatever the command. A page deeper in a large table
// damaged while the app was closed is found by the first query that reads it, or by the
// daily check — the one case the probe leaves to them; the data of large tables is
// synced data, which the rebuild brings back from the server.

// ErrCorrupt means the replica's file is damaged: the app moves it aside and rebuilds it
// from the server.
var ErrCorrupt = errors.New("replica is damaged")

// CheckEvery is the longest time between two full integrity checks of a replica that was
// always closed in order. A variable so that tests can shrink it.
var CheckEvery = 24 * time.Hour

// NeedsCheck says why the replica must have its full check at this open ("" when not).
func NeedsCheck(prev lockfile.State, now time.Time) string {
	switch {
	case prev.Checked.IsZero():
		return "no record of a check"
	case !prev.Clean:
		return "not closed in order"
	case now.Sub(prev.Checked) >= CheckEvery || now.Before(prev.Checked):
		return "last check " + prev.Checked.UTC().Format(time.RFC3339)
	}
	return ""
}

// Check runs SQLite's quick integrity check; a damaged file gives ErrCorrupt.
func Check(ctx context.Context, db *sql.DB) error {
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&result); err != nil {
		// Only a file SQLite finds malformed is damaged. A full disk (SQLite cannot create
		// its -shm file), an I/O error or a lock says nothing of the file: taken for
		// damage, the replica would be moved aside and what was not sent left behind.
		if Damaged(err) {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		return fmt.Errorf("check replica: %w", err)
	}
	if result != "ok" {
		return fmt.Errorf("%w: %s", ErrCorrupt, result)
	}
	return nil
}

// Probe reads the schema and the first row of every table, each from its own b-tree
// (NOT INDEXED: not through an index that covers it); a damaged page on the way gives
// ErrCorrupt.
func Probe(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		return probed(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return probed(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Close(); err != nil {
		return probed(err)
	}
	if len(tables) == 0 {
		return nil
	}
	// One statement for all the tables (a column each), not one query each: the cost of
	// the probe is then SQLite's page reads, not a statement's round trip through the
	// driver per table (40 of them, a tenth of an idle sync's time).
	firsts := make([]string, len(tables))
	for i, t := range tables {
		// Finding the first row loads every page on the way (SQLite checks each page's
		// header as it loads it); no column is computed.
		firsts[i] = `(SELECT 1 FROM "` + strings.ReplaceAll(t, `"`, `""`) + `" NOT INDEXED LIMIT 1)`
	}
	r, err := db.QueryContext(ctx, `SELECT `+strings.Join(firsts, ", "))
	if err == nil {
		for r.Next() {
		}
		err = r.Err()
		r.Close()
	}
	if err != nil {
		return probed(err)
	}
	return nil
}

func probed(err error) error {
	if Damaged(err) {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return fmt.Errorf("check replica: %w", err)
}
