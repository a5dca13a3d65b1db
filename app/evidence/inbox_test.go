package evidence_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/evidence"
	"github.com/fsnotify/fsnotify"
)

// waitTimeout bounds every wait of these tests: generous, for a loaded 2-core machine.
const waitTimeout = 20 * time.Second

type report struct {
	nc, path string
	content  []byte // as read when reported
}

// recorder collects what Serve reports.
type recorder struct {
	mu  sync.Mutex
	got []report
}

func (r *recorder) found(nc, path string) {
	content, _ := os.ReadFile(path)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, report{nc, path, content})
}

func (r *recorder) reports() []report {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// count returns how many times path was reported.
func (r *recorder) count(path string) int {
	n := 0
	for _, rep := range r.reports() {
		if rep.path == path {
			n++
		}
	}
	return n
}

type inboxTest struct {
	t    *testing.T
	in   *evidence.Inbox
	rec  *recorder
	root string
	n    int // sentinels written
}

// newInbox makes an inbox with the NC folders given; start runs Serve.
func newInbox(t *testing.T, quiet time.Duration, ncs ...string) *inboxTest {
	t.Helper()
	root := filepath.Join(t.TempDir(), "Inbox")
	in, err := evidence.NewInbox(root, evidence.InboxOptions{Quiet: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.SetNCs(ncs); err != nil {
		t.Fatal(err)
	}
	return &inboxTest{t: t, in: in, rec: &recorder{}, root: in.Root()}
}

func (it *inboxTest) start() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- it.in.Serve(ctx, it.rec.found) }()
	it.t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				it.t.Errorf("Serve returned %v, want context.Canceled", err)
			}
		case <-time.After(waitTimeout):
			it.t.Error("Serve did not stop")
		}
	})
}

func (it *inboxTest) path(parts ...string) string {
	return filepath.Join(append([]string{it.root}, parts...)...)
}

// waitFor polls cond until it holds, failing the test after waitTimeout.
func (it *inboxTest) waitFor(what string, cond func() bool) {
	it.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			it.t.Fatalf("timed out waiting for %s; reported: %v", what, it.paths())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (it *inboxTest) waitReported(path string) {
	it.t.Helper()
	it.waitFor("report of "+path, func() bool { return it.rec.count(path) > 0 })
}

// sync writes a new file in nc's folder and waits until it is reported: every change
// made before has then been seen and, if it was to be reported, reported (a file due
// at the same time may be reported a few microseconds later: recheck once, briefly).
func (it *inboxTest) sync(nc string) {
	it.t.Helper()
	it.n++
	p := it.path(nc, fmt.Sprintf("zz-sentinel-%d.txt", it.n))
	writeFile(it.t, p, []byte("sentinel"))
	it.waitReported(p)
	time.Sleep(20 * time.Millisecond)
}

// paths returns the reported paths relative to the root, sentinels left out.
func (it *inboxTest) paths() []string {
	var out []string
	for _, rep := range it.rec.reports() {
		rel, _ := filepath.Rel(it.root, rep.path)
		if m, _ := filepath.Match("zz-sentinel-*", filepath.Base(rel)); !m {
			out = append(out, filepath.ToSlash(rel))
		}
	}
	slices.Sort(out)
	return out
}

func (it *inboxTest) wantPaths(want ...string) {
	it.t.Helper()
	slices.Sort(want)
	if got := it.paths(); !slices.Equal(got, want) {
		it.t.Errorf("reported %q, want %q", got, want)
	}
}

const nc1, nc2 = "NC-150424-2019", "NC-167140-2019"

func TestInboxReportsExistingFilesAtStart(t *testing.T) {
	it := newInbox(t, 100*time.Millisecond, nc1, nc2)
	writeFile(t, it.path(nc1, "a.pdf"), []byte("a"))
	writeFile(t, it.path(nc2, "b.jpg"), []byte("b"))
	it.start()
	it.waitFor("both files", func() bool { return len(it.paths()) == 2 })
	it.sync(nc1)
	it.wantPaths(nc1+"/a.pdf", nc2+"/b.jpg")
	for _, rep := range it.rec.reports() {
		if want := filepath.Base(filepath.Dir(rep.path)); rep.nc != want {
			t.Errorf("%s reported for NC %q, want %q", rep.path, rep.nc, want)
		}
	}
}

func TestInboxSlowWriteReportedOnceSettled(t *testing.T) {
	const quiet = 200 * time.Millisecond
	// The scenario needs every pause between writes to stay well under Quiet; on a
	// machine so busy that one does not, it is tried again rather than failing.
	for attempt := 1; ; attempt++ {
		it := newInbox(t, quiet, nc1)
		it.start()
		p := it.path(nc1, "scan.pdf")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		var want []byte
		var maxGap time.Duration
		last := time.Now()
		for i := range 8 { // 8 × 50 ms: the writing lasts longer than Quiet
			chunk := bytes.Repeat([]byte{byte('a' + i)}, 1000)
			if _, err := f.Write(chunk); err != nil {
				t.Fatal(err)
			}
			want = append(want, chunk...)
			maxGap = max(maxGap, time.Since(last))
			last = time.Now()
			time.Sleep(quiet / 4)
		}
		f.Close()
		if maxGap >= quiet*3/4 && attempt < 3 {
			t.Logf("attempt %d: writes %v apart, machine too busy, again", attempt, maxGap)
			continue
		}
		it.waitReported(p)
		it.sync(nc1)
		if n := it.rec.count(p); n != 1 {
			t.Errorf("reported %d times, want once", n)
		}
		if got := it.rec.reports()[0].content; !bytes.Equal(got, want) {
			t.Errorf("reported with %d bytes, want the final %d", len(got), len(want))
		}
		return
	}
}

func TestInboxDeletedBeforeSettledNotReported(t *testing.T) {
	const quiet = 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		it := newInbox(t, quiet, nc1)
		it.start()
		time.Sleep(quiet) // let the start scan pass, so the file is seen by its events
		p := it.path(nc1, "erreur.pdf")
		began := time.Now()
		writeFile(t, p, []byte("oops"))
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(began); took >= quiet/2 && attempt < 3 {
			t.Logf("attempt %d: deleting took %v, machine too busy, again", attempt, took)
			continue
		}
		it.sync(nc1)
		it.wantPaths()
		return
	}
}

func TestInboxRename(t *testing.T) {
	it := newInbox(t, 100*time.Millisecond, nc1)
	it.start()

	// A browser downloads under a temporary name, then renames: reported once, under
	// the final name.
	part := it.path(nc1, "facture.pdf.crdownload")
	writeFile(t, part, bytes.Repeat([]byte("x"), 10_000))
	final := it.path(nc1, "facture.pdf")
	if err := os.Rename(part, final); err != nil {
		t.Fatal(err)
	}
	it.waitReported(final)

	// Renaming a reported file does not report it again.
	renamed := it.path(nc1, "facture 2019.pdf")
	if err := os.Rename(final, renamed); err != nil {
		t.Fatal(err)
	}
	it.sync(nc1)
	it.wantPaths(nc1 + "/facture.pdf")

	// Changing it does.
	if err := os.WriteFile(renamed, []byte("corrigée"), 0o600); err != nil {
		t.Fatal(err)
	}
	it.waitReported(renamed)
	it.sync(nc1)
	it.wantPaths(nc1+"/facture.pdf", nc1+"/facture 2019.pdf")
}

func TestInboxIgnoresTemporaryFiles(t *testing.T) {
	it := newInbox(t, 100*time.Millisecond, nc1)
	it.start()
	for _, name := range []string{
		"~$rapport.docx", ".~lock.rapport.odt#", "~WRL0001.tmp", "X.TMP", "photo.jpg.part",
		"scan.pdf.crdownload", "doc.pdf.download", ".cache", "Thumbs.db", ".DS_Store", "desktop.ini",
	} {
		writeFile(t, it.path(nc1, name), []byte("tmp"))
	}
	writeFile(t, it.path(nc1, "vrai.pdf"), []byte("evidence"))
	it.waitReported(it.path(nc1, "vrai.pdf"))
	it.sync(nc1)
	it.wantPaths(nc1 + "/vrai.pdf")
}

func TestInboxReportsOnlyFilesOfNCFolders(t *testing.T) {
	it := newInbox(t, 100*time.Millisecond, nc1)
	// Before Serve: seen by the start scan.
	writeFile(t, it.path("racine.pdf"), []byte("root"))
	writeFile(t, it.path("Autres", "a.pdf"), []byte("other"))
	writeFile(t, it.path(nc1, "sous-dossier", "b.pdf"), []byte("sub")) // sub-folders are not walked
	it.start()
	// While serving: seen by events.
	writeFile(t, it.path("racine2.pdf"), []byte("root"))
	writeFile(t, it.path("NC-1-18", "c.pdf"), []byte("not an NC folder"))
	writeFile(t, it.path(nc1, "sous-dossier2", "d.pdf"), []byte("sub"))
	it.sync(nc1)
	it.wantPaths()
}

func TestInboxBurst(t *testing.T) {
	const n = 500
	it := newInbox(t, 150*time.Millisecond, nc1)
	it.start()
	for i := range n {
		writeFile(t, it.path(nc1, fmt.Sprintf("photo-%03d.jpg", i)), []byte(fmt.Sprintf("photo %d", i)))
	}
	it.waitFor(fmt.Sprintf("%d reports", n), func() bool { return len(it.paths()) >= n })
	it.sync(nc1)
	got := it.paths()
	if len(got) != n || len(slices.Compact(slices.Clone(got))) != n {
		t.Errorf("%d reports of %d distinct files, want %d of %d", len(got), len(slices.Compact(got)), n, n)
	}
}

func TestInboxWatchesNewNCFolders(t *testing.T) {
	it := newInbox(t, 100*time.Millisecond, nc1)
	it.start()
	it.sync(nc1) // Serve runs and watches
	if err := it.in.SetNCs([]string{nc1, nc2}); err != nil {
		t.Fatal(err)
	}
	p := it.path(nc2, "nouveau.pdf")
	writeFile(t, p, []byte("new"))
	it.waitReported(p)
	// Folder created again after removal: watched again.
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := it.in.SetNCs([]string{nc1}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(it.path(nc2)); !os.IsNotExist(err) {
		t.Fatalf("empty folder of a dropped NC still there: %v", err)
	}
	it.sync(nc1) // the removal was seen
	if err := it.in.SetNCs([]string{nc1, nc2}); err != nil {
		t.Fatal(err)
	}
	p2 := it.path(nc2, "encore.pdf")
	writeFile(t, p2, []byte("again"))
	it.waitReported(p2)
	it.sync(nc1)
	it.wantPaths(nc2+"/nouveau.pdf", nc2+"/encore.pdf")
}

func TestInboxOverflowRescans(t *testing.T) {
	defer evidence.SetRescanEvery(time.Hour)() // only the overflow may rescan
	it := newInbox(t, 100*time.Millisecond, nc1)
	drop, inject := evidence.LossyWatcher(it.in)
	writeFile(t, it.path(nc1, "avant.pdf"), []byte("before"))
	it.start()
	it.waitReported(it.path(nc1, "avant.pdf"))

	// The system loses events: the new files go unseen…
	drop.Store(true)
	for i := range 5 {
		writeFile(t, it.path(nc1, fmt.Sprintf("perdu-%d.pdf", i)), []byte{byte(i)})
	}
	time.Sleep(500 * time.Millisecond)
	if got := it.paths(); len(got) != 1 {
		t.Fatalf("reported %q although events were dropped", got)
	}
	// …until it says so: the rescan reports them, and only them.
	drop.Store(false)
	inject <- fsnotify.ErrEventOverflow
	it.waitFor("the lost files", func() bool { return len(it.paths()) == 6 })
	it.sync(nc1)
	it.wantPaths(nc1+"/avant.pdf", nc1+"/perdu-0.pdf", nc1+"/perdu-1.pdf", nc1+"/perdu-2.pdf", nc1+"/perdu-3.pdf", nc1+"/perdu-4.pdf")
}

func TestSetNCs(t *testing.T) {
	root := filepath.Join(t.TempDir(), "Inbox")
	in, err := evidence.NewInbox(root, evidence.InboxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.SetNCs([]string{nc1, nc2}); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, nc1, "garder.pdf"), []byte("keep"))
	writeFile(t, filepath.Join(root, "Autres", "x"), nil)
	if err := os.Mkdir(filepath.Join(root, "NC-9-2020"), 0o700); err != nil {
		t.Fatal(err)
	}

	err = in.SetNCs([]string{"NC-3-2021", "../évasion", "NC-3-2021/.."})
	if err == nil {
		t.Error("SetNCs accepted ids that are not NC ids")
	}
	cases := []struct {
		dir    string
		exists bool
	}{
		{nc1, true},          // holds a file: kept
		{nc2, false},         // empty, no longer listed: removed
		{"NC-9-2020", false}, // empty: removed
		{"NC-3-2021", true},  // listed: created
		{"Autres", true},     // not an NC folder: left alone
		{"../évasion", false},
	}
	for _, tc := range cases {
		_, err := os.Stat(filepath.Join(root, tc.dir))
		if exists := err == nil; exists != tc.exists {
			t.Errorf("%s exists = %v, want %v", tc.dir, exists, tc.exists)
		}
	}
}
