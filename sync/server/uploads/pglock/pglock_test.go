package pglock_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	tusd "github.com/tus/tusd/v2/pkg/handler"

	"github.com/ecert-desktop/ecert-desktop/sync/server/store/postgres"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/postgres/pgtest"
	"github.com/ecert-desktop/ecert-desktop/sync/server/uploads/pglock"
)

func TestMain(m *testing.M) {
	// Short, so a lost lock is noticed and taken over within the tests' waits.
	pglock.KeepAliveEvery, pglock.TakeoverWait = 100*time.Millisecond, 500*time.Millisecond
	if os.Getenv(envHolder) != "" {
		holdForever()
		return
	}
	pgtest.Main(m)
}

// database returns a new database with the store's schema, which has the locks' table.
func database(t *testing.T) string {
	t.Helper()
	url := pgtest.Database(t)
	st, err := postgres.Open(context.Background(), url, 2)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return url
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
	url := database(t)
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

// A lock whose connection dies (its backend terminated) is lost: the holder's
// keep-alive notices and stops its request, and a node waiting for the lock gets it
// only after that — two nodes never write one upload. A lock released cleanly is
// taken at once.
func TestLockLostWithItsConnection(t *testing.T) {
	// b asks a to release once only, before the kill, so that a stop recorded after the
	// kill is the keep-alive's.
	defer func(d time.Duration) { pglock.RenotifyEvery = d }(pglock.RenotifyEvery)
	pglock.RenotifyEvery = time.Hour
	url := database(t)
	a, b := newLocker(t, url), newLocker(t, url)
	var stopped atomic.Int64 // when a's request was told to stop, Unix nanoseconds
	held := lockWithin(t, a, "upload-1", 5*time.Second, func() { stopped.CompareAndSwap(0, time.Now().UnixNano()) })

	// b waits for the lock (asking a to release: a's requestUnlock is called for that
	// too, so the test's holder ignores it until its connection dies — it writes on).
	stopped.Store(0)
	type taken struct {
		at  time.Time
		err error
	}
	got := make(chan taken, 1)
	k, _ := b.NewLock("upload-1")
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := k.Lock(ctx, func() {})
		got <- taken{time.Now(), err}
	}()
	time.Sleep(300 * time.Millisecond)
	stopped.Store(0) // the requests to release so far were b's asking
	killed := time.Now()
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
	r := <-got
	if r.err != nil {
		t.Fatalf("b's lock after a's connection died: %v", r.err)
	}
	stop := stopped.Load()
	if stop == 0 {
		t.Fatal("a's request was never stopped although its lock was lost")
	}
	if stopAt := time.Unix(0, stop); !stopAt.Before(r.at) {
		t.Fatalf("b took the lock %v after the kill, before a's request was stopped (%v after): two writers",
			r.at.Sub(killed), stopAt.Sub(killed))
	}
	t.Logf("a stopped %v after its connection died; b took the lock %v after",
		time.Unix(0, stop).Sub(killed).Round(time.Millisecond), r.at.Sub(killed).Round(time.Millisecond))
	if err := held.Unlock(); err != nil { // a lost lock's Unlock only closes
		t.Fatalf("unlock of a lost lock: %v", err)
	}

	// b releases cleanly: a takes the lock without the takeover's wait.
	if err := k.Unlock(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	lockWithin(t, a, "upload-1", 5*time.Second, func() {}).Unlock()
	if d := time.Since(start); d >= pglock.TakeoverWait {
		t.Errorf("a lock released cleanly took %v to take, want less than the takeover wait %v", d, pglock.TakeoverWait)
	}
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
	url := database(t)
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
