package app_test

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/audit"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// editTrail changes the replica's trail by hand, as someone with sqlite3 would: fn gets
// the entries and the connection.
func editTrail(t *testing.T, data string, fn func(db *sql.DB, entries []api.TrailEntry)) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(data, store.FileName)+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT seq, at, author, kind, nc_id, digest, prev, hash FROM trail ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var entries []api.TrailEntry
	for rows.Next() {
		var e api.TrailEntry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Author, &e.Kind, &e.NCID, &e.Digest, &e.Prev, &e.Hash); err != nil {
			t.Fatal(err)
		}
		e.At, _ = time.Parse(time.RFC3339, at)
		entries = append(entries, e)
	}
	rows.Close()
	fn(db, entries)
}

func verifyJSON(t *testing.T, data string) (audit.Report, result) {
	t.Helper()
	r := run(t, data, "", nil, "audit", "verify", "--json")
	var rep audit.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("audit verify --json: %v\n%s%s", err, r.stdout, r.stderr)
	}
	return rep, r
}

func TestAuditVerifyNamesTheFirstEntryEditedByHand(t *testing.T) {
	url, _ := startServer(t)
	data := t.TempDir()
	if r := run(t, data, "coop\n", nil, "login", "--server", url, "--user", "coop"); r.code != 0 {
		t.Fatalf("login: %s", r.stderr)
	}
	for _, args := range [][]string{
		{"sync"},
		{"message", "NC-167140-2019", "--text", "Bonjour, la formation a lieu demain."},
		{"ca", "draft", "NC-167140-2019", "--text", "Former les travailleurs à la prime"},
		{"message", "NC-167140-2019", "--text", "Le registre suit."},
		{"sync"},
	} {
		if r := run(t, data, "", nil, args...); r.code != 0 {
			t.Fatalf("%v: code %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}

	// Untouched, it passes: every entry on the server as here.
	if r := run(t, data, "", nil, "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "The trail matches.") {
		t.Fatalf("untouched: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	rep, _ := verifyJSON(t, data)
	if !rep.OK || rep.Entries != 3 || rep.Sent != 3 || rep.Organisation != 3 {
		t.Fatalf("untouched: %+v, want 3 entries, all on the server", rep)
	}

	// The author of entry 2 rewritten: its hash no longer holds.
	editTrail(t, data, func(db *sql.DB, _ []api.TrailEntry) {
		if _, err := db.Exec(`UPDATE trail SET author = 'mallory' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
	})
	rep, r := verifyJSON(t, data)
	if r.code == 0 || rep.OK || rep.Problem == nil || rep.Problem.Seq != 2 || !strings.Contains(r.stderr, "trail entry 2") {
		t.Fatalf("author edited: code %d, %+v\n%s", r.code, rep, r.stderr)
	}

	// Rewritten with care: entry 2 and every later one re-hashed, so the chain here holds
	// again; the server's copy tells.
	editTrail(t, data, func(db *sql.DB, entries []api.TrailEntry) {
		prev := entries[0].Hash
		for _, e := range entries[1:] {
			e.Prev = prev
			e.Hash = api.TrailHash(e)
			if _, err := db.Exec(`UPDATE trail SET prev = ?, hash = ? WHERE seq = ?`, e.Prev, e.Hash, e.Seq); err != nil {
				t.Fatal(err)
			}
			prev = e.Hash
		}
	})
	rep, r = verifyJSON(t, data)
	if r.code == 0 || rep.Problem == nil || rep.Problem.Seq != 2 || rep.Problem.Reason != "differs" {
		t.Fatalf("re-hashed: code %d, %+v\n%s", r.code, rep, r.stderr)
	}
	if r := run(t, data, "", nil, "audit", "verify"); r.code != 1 || !strings.Contains(r.stderr, "trail entry 2: differs") {
		t.Errorf("re-hashed, text: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
