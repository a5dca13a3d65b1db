package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/health"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The full integrity check runs after an unclean end, after a query met damage, at least
// every CheckEvery, and never otherwise; the probe of every open catches damage to a
// table's first pages. Each case damages a page while the replica is closed, as a failing
// disk would.

// manyMessages is a replica closed in order with 400 messages of ~1.5 KB each (a table of
// hundreds of pages); it returns its directory.
func manyMessages(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	page := api.ChangesPage{Cursor: "1"}
	for i := range 400 {
		page.Changes = append(page.Changes, change(t, api.EntityMessage, fmt.Sprintf("m%04d", i), map[string]string{
			"nc_id": "NC-1", "author_role": "analyst", "sent_at": "2026-01-01T00:00:00Z",
			"text": fmt.Sprintf("MARK-%04d-", i) + strings.Repeat("x", 1500)}))
	}
	if err := s.ApplyPage(context.Background(), page, "2026-01-01T00:00:00Z"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// damagePageOf overwrites the page of the replica holding marker (a message's text: a
// leaf of the message table, deep inside it) with garbage.
func damagePageOf(t *testing.T, dir, marker string) {
	t.Helper()
	path := filepath.Join(dir, store.FileName)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(raw, []byte(marker))
	if at < 0 {
		t.Fatalf("%s is not in the replica's file", marker)
	}
	const pageSize = 4096 // SQLite's default, which the replica keeps
	start := at / pageSize * pageSize
	if err := os.WriteFile(path, append(append(raw[:start:start], bytes.Repeat([]byte("\xde\xad\xbe\xef"), pageSize/4)...), raw[start+pageSize:]...), 0o600); err != nil {
		t.Fatal(err)
	}
}

func wantCorrupt(t *testing.T, dir, why string) {
	t.Helper()
	s, err := store.Open(context.Background(), dir)
	if err == nil {
		s.Close()
		t.Fatalf("%s: the damaged replica opened", why)
	}
	if !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("%s: got %v, want ErrCorrupt", why, err)
	}
}

func TestCleanCloseSkipsTheFullCheckUntilDamageIsMet(t *testing.T) {
	dir := manyMessages(t)
	damagePageOf(t, dir, "MARK-0200-")

	// Closed in order, checked a moment ago: the probe does not reach a deep page.
	s, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("open after a clean close: %v (the full check ran, or the probe reads the whole table)", err)
	}
	// A query that reads the damaged page says so, as ErrCorrupt.
	if _, err := s.State(context.Background()); !errors.Is(err, store.ErrCorrupt) {
		t.Errorf("reading every message: got %v, want ErrCorrupt", err)
	}
	s.Close()
	// That replica was not marked clean: its next open runs the full check.
	wantCorrupt(t, dir, "the open after a query met damage")
}

func TestUncleanEndRunsTheFullCheck(t *testing.T) {
	dir := manyMessages(t)
	// Another process opens the replica and ends without closing it (as kill -9 would).
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperOpenAndExit$")
	cmd.Env = append(os.Environ(), "ECERT_STORE_OPEN_AND_EXIT="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("helper process: %v\n%s", err, out)
	}
	damagePageOf(t, dir, "MARK-0200-")
	wantCorrupt(t, dir, "the open after an unclean end")
}

// TestHelperOpenAndExit is the process of TestUncleanEndRunsTheFullCheck: it opens the
// replica and exits without closing it.
func TestHelperOpenAndExit(t *testing.T) {
	dir := os.Getenv("ECERT_STORE_OPEN_AND_EXIT")
	if dir == "" {
		t.Skip("a helper process of TestUncleanEndRunsTheFullCheck")
	}
	if _, err := store.Open(context.Background(), dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

func TestFullCheckRunsAtLeastEveryCheckEvery(t *testing.T) {
	dir := manyMessages(t)
	damagePageOf(t, dir, "MARK-0200-")
	defer func(d time.Duration) { health.CheckEvery = d }(health.CheckEvery)
	health.CheckEvery = time.Nanosecond // the last check is older than that
	wantCorrupt(t, dir, "the open after CheckEvery")
}

func TestProbeFindsADamagedFirstPageAfterACleanClose(t *testing.T) {
	dir := manyMessages(t)
	damagePageOf(t, dir, "MARK-0000-") // the message table's first leaf
	wantCorrupt(t, dir, "the open after a clean close")
}

func TestMissingLockFileRunsTheFullCheck(t *testing.T) {
	dir := manyMessages(t)
	damagePageOf(t, dir, "MARK-0200-")
	if err := os.Remove(filepath.Join(dir, "lock")); err != nil {
		t.Fatal(err)
	}
	wantCorrupt(t, dir, "the open without a lock file")
}

// The user's own work goes through the same check as the synced data: a query of the
// outbox that meets a damaged page says so, and the next open runs the full check.
func TestOutboxQueryMeetingDamageSaysSo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 400 {
		text := fmt.Sprintf("MARK-%04d-", i) + strings.Repeat("x", 1500)
		if _, err := s.Work.QueueMessage(ctx, "NC-1", text, "2026-01-01T00:00:00Z"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	damagePageOf(t, dir, "MARK-0200-")

	s, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatalf("open after a clean close: %v", err)
	}
	if _, err := s.Work.Outbox(ctx); !errors.Is(err, store.ErrCorrupt) {
		t.Errorf("reading the outbox: got %v, want ErrCorrupt", err)
	}
	s.Close()
	wantCorrupt(t, dir, "the open after the outbox met damage")
}
