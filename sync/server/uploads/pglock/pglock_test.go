package pglock_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	tusd "github.com/tus/tusd/v2/pkg/handler"

	"github.com/ecert-desktop/ecert-desktop/sync/server/store/postgres/pgtest"
	"github.com/ecert-desktop/ecert-desktop/sync/server/uploads/pglock"
)

func TestMain(m *testing.M) {
	if os.Getenv(envHolder) != "" {
		holdForever()
		return
	}
	pgtest.Main(m)
}

func newLocker(t *testing.T, url string) *pglock.Locker {
	t.Helper()
	l, err := pglock.New(context.Background(), url, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// lockWithin takes upload id's lock of l, or fails the test after d.
func lockWithin(t *testing.T, l *pglock.Locker, id string, d time.Duration, requestUnlock func()) tusd.Lock {
	t.Helper()
	k, _ := l.NewLock(id)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := k.Lock(ctx, requestUnlock); err != nil {
		t.Fatalf("lock %s: %v", id, err)
	}
	return k
}

// Two nodes (two lockers on one database) never hold one upload's lock at once; the
// waiting one asks the holder to release, and gets the lock once it did.
func TestLockersExcludeEachOther(t *testing.T) {
	url := pgtest.Database(t)
	a, b := newLocker(t, url), newLocker(t, url)

	asked := make(chan struct{}, 10)
	held := lockWithin(t, a, "upload-1", 5*time.Second, func() { asked <- struct{}{} })

	// Another upload is not held up.
	other := lockWithin(t, b, "upload-2", 5*time.Second, func() {})
	other.Unlock()

	// While a holds it, b waits and times out, having asked a to release.
	k, _ := b.NewLock("upload-1")
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	err := k.Lock(ctx, func() {})
	cancel()
	if !errors.Is(err, tusd.ErrLockTimeout) {
		t.Fatalf("lock held by the other node: %v, want ErrLockTimeout", err)
	}
	select {
	case <-asked:
	case <-time.After(5 * time.Second):
		t.Fatal("the holder was never asked to release")
	}

	// A holder that releases when asked (as tusd does) lets the waiter in.
	held.Unlock()
	held = lockWithin(t, a, "upload-1", 5*time.Second, func() { go held.Unlock() })
	start := time.Now()
	got := lockWithin(t, b, "upload-1", 5*time.Second, func() {})
	t.Logf("lock moved between nodes in %v", time.Since(start).Round(time.Millisecond))

	// Now a waits on b, within one process too.
	k, _ = a.NewLock("upload-1")
	ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
	err = k.Lock(ctx, func() {})
	cancel()
	if !errors.Is(err, tusd.ErrLockTimeout) {
		t.Fatalf("lock held by b: %v, want ErrLockTimeout", err)
	}
	got.Unlock()
	lockWithin(t, a, "upload-1", 5*time.Second, func() {}).Unlock()
}

// A lock whose holder's connection dies is free at once for another node.
func TestLockFreedWhenConnectionDies(t *testing.T) {
	url := pgtest.Database(t)
	a, b := newLocker(t, url), newLocker(t, url)
	lockWithin(t, a, "upload-1", 5*time.Second, func() {})

	admin, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	var n int
	if err := admin.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("terminate the holder's connection: %d terminated, %v", n, err)
	}
	lockWithin(t, b, "upload-1", 5*time.Second, func() {}).Unlock()
}

// envHolder makes the test binary a process that takes the lock of an upload, says so,
// and holds it until it is killed.
const envHolder = "PGLOCK_TEST_HOLDER"

func holdForever() {
	url, id, _ := strings.Cut(os.Getenv(envHolder), " ")
	l, err := pglock.New(context.Background(), url, 0, nil)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	k, _ := l.NewLock(id)
	if err := k.Lock(context.Background(), func() {}); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("locked")
	select {}
}

// A lock whose holder's process is killed (kill -9: no Unlock, no Close) is free for
// another node as soon as PostgreSQL sees the connection close.
func TestLockFreedWhenProcessDies(t *testing.T) {
	url := pgtest.Database(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envHolder+"="+url+" upload-1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		t.Fatalf("holder process: %q, %v", line, err)
	}

	b := newLocker(t, url)
	k, _ := b.NewLock("upload-1")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	err = k.Lock(ctx, func() {})
	cancel()
	if !errors.Is(err, tusd.ErrLockTimeout) {
		t.Fatalf("lock held by the other process: %v, want ErrLockTimeout", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	lockWithin(t, b, "upload-1", 5*time.Second, func() {}).Unlock()
}
