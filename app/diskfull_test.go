//go:build linux

package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/attach"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// A full disk on the client. The data folder lives on a small tmpfs that a filler file
// fills to the last byte; every write the user makes is then refused with disk_full and
// leaves nothing half-done, what was saved before stays, and once the filler is gone the
// same operations succeed and each item reaches the server exactly once.

// envInNamespace marks the run of a test inside the user and mount namespace that
// smallDisk makes when the test does not run as root.
const envInNamespace = "ECERT_TEST_IN_NAMESPACE"

// smallDisk mounts a tmpfs of size bytes on a new folder, unmounted when the test ends.
// Mounting needs root; without it the test runs again in a user and mount namespace
// (unshare -rm), where it is root, and smallDisk returns "": the caller returns at once.
func smallDisk(t *testing.T, size int64) string {
	t.Helper()
	dir := t.TempDir()
	err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d,mode=0700", size))
	if err != nil && os.Geteuid() != 0 && os.Getenv(envInNamespace) == "" {
		rerunInNamespace(t, err)
		return ""
	}
	if err != nil {
		t.Skipf("cannot mount a tmpfs on %s (uid %d): %v", dir, os.Geteuid(), err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
			syscall.Unmount(dir, syscall.MNT_DETACH)
		}
	})
	return dir
}

func rerunInNamespace(t *testing.T, mountErr error) {
	t.Helper()
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skipf("mounting a tmpfs needs root (%v), and there is no unshare for a user namespace: %v", mountErr, err)
	}
	cmd := exec.Command(unshare, "-rm", os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), envInNamespace+"=1")
	out, err := cmd.CombinedOutput()
	switch {
	case !bytes.Contains(out, []byte("=== RUN")):
		t.Skipf("mounting a tmpfs needs root (%v), and unshare -rm failed: %v\n%s", mountErr, err, out)
	case bytes.Contains(out, []byte("--- SKIP")):
		t.Skipf("skipped in a user namespace:\n%s", out)
	case err != nil:
		t.Fatalf("failed in a user namespace (unshare -rm): %v\n%s", err, out)
	}
	t.Logf("ran in a user namespace (unshare -rm):\n%s", out)
}

// fill writes the file path until the disk is full (ENOSPC).
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := bytes.Repeat([]byte{0xfe}, 64<<10)
	for {
		if _, err := f.Write(buf); errors.Is(err, syscall.ENOSPC) {
			return
		} else if err != nil {
			t.Fatal(err)
		}
	}
}

// makeRoom frees n bytes of the filler.
func makeRoom(t *testing.T, filler string, n int64) {
	t.Helper()
	st, err := os.Stat(filler)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(filler, st.Size()-n); err != nil {
		t.Fatal(err)
	}
}

// truncateWAL checkpoints the replica's WAL and truncates it, as an open app may hold it.
// The WAL keeps the room of earlier writes, which SQLite reuses; truncated, every write
// needs new room: the worst case, where nothing the app writes fits.
func truncateWAL(t *testing.T, data string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(data, store.FileName)+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var busy, frames, done int
	if err := db.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil || busy != 0 {
		t.Fatalf("checkpoint: busy %d, %v", busy, err)
	}
}

// localState is everything the user's writes touch in the replica and the content store.
func localState(t *testing.T, a *app.App, data string) string {
	t.Helper()
	ctx := context.Background()
	ca, err := a.Store().Work.LocalCA(ctx, ncCA)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	outbox, err := a.Store().Work.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := a.Store().Evidence.Local(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	cursor, err := a.Store().Cursor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.WalkDir(filepath.Join(data, "files"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(path, "partial") {
			files = append(files, strings.TrimPrefix(path, data))
		}
		return nil
	})
	raw, err := json.MarshalIndent(map[string]any{"ca": ca, "outbox": outbox, "evidence": ev,
		"cursor": cursor, "files": files}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func TestFullDiskLosesNothingSaysSoAndGoesOnWhenSpaceReturns(t *testing.T) {
	root := smallDisk(t, 8<<20)
	if root == "" {
		return // ran in a user namespace
	}
	ctx := context.Background()
	srv := servertest.Start(t)
	data := filepath.Join(root, "data")
	filler := filepath.Join(root, "filler")
	p := &recorder{}
	// The desktop app as the window runs it, its engine syncing in the background.
	a := app.New(app.Config{DataDir: data, Platform: p, SyncInterval: time.Hour, MaxBackoff: time.Hour})
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Session.Login(srv.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	ca, outbox, ev, sy := service[*app.CA](a), service[*app.Outbox](a), service[*attach.Evidence](a), service[*app.Sync](a)
	settled := func(what string, cond func(app.SyncStatus) bool) app.SyncStatus {
		t.Helper()
		var s app.SyncStatus
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if s = sy.Status(); !s.Syncing && cond(s) {
				return s
			}
		}
		t.Fatalf("timed out waiting for %s; status %+v", what, s)
		return s
	}
	settled("the first sync", func(s app.SyncStatus) bool { return s.LastSync != "" && s.LastError == "" })

	// Saved before the disk fills: a corrective measure marked ready (its draft sent),
	// and — the server being down — a message still in the outbox.
	const before = "Formation des membres sur la prime, avant le disque plein"
	if _, err := ca.SetReady(ncCA, before, true); err != nil {
		t.Fatal(err)
	}
	settled("the draft sent", func(s app.SyncStatus) bool { return s.Pending == 0 && s.LastError == "" })
	srv.SetDown(true)
	const m0 = "Message écrit hors ligne avant le disque plein"
	if err := outbox.Message(ncCA, m0); err != nil {
		t.Fatal(err)
	}
	// Meanwhile the server gains an NC, a message of the analyst and a 1 MB document.
	newNC := api.NC{ID: "NC-900777-2026", AuditID: "AO-38369", CriterionNumber: "3.1.0.01",
		CriterionText: "Les travailleurs reçoivent un contrat écrit.", CriterionType: "core",
		Finding: "Deux travailleurs sans contrat.", Score: 2}
	if err := srv.EnterNC(ctx, "auditor", coop, newNC); err != nil {
		t.Fatal(err)
	}
	if err := srv.ConfirmNC(ctx, "analyst", coop, newNC.ID, "2026-12-31"); err != nil {
		t.Fatal(err)
	}
	const analystSays = "Merci de préciser le calendrier."
	if _, err := srv.AnalystMessage(ctx, "analyst", coop, ncCA, analystSays); err != nil {
		t.Fatal(err)
	}
	docPath, docSum := randomFile(t, 1<<20, 11)
	docBytes, _ := os.ReadFile(docPath)
	ref, err := srv.PutFile(ctx, "Contrat de certification 2026.pdf", "application/pdf", docBytes)
	if err != nil || ref.SHA256 != docSum {
		t.Fatalf("put file: %v", err)
	}
	if err := srv.UpsertDocument(ctx, coop, api.Document{ID: "DOC-2026-1", Type: "certification_contract", Date: "2026-01-15", File: ref}); err != nil {
		t.Fatal(err)
	}
	evPath, evSum := randomFile(t, 64<<10, 12)

	// The disk fills up.
	truncateWAL(t, data)
	fill(t, filler)
	saved := localState(t, a, data)
	const typed = "Formation des membres sur la prime, complétée pendant que le disque était plein"
	const m1 = "Message écrit quand le disque était plein"
	unchanged := func(what string) {
		t.Helper()
		if now := localState(t, a, data); now != saved {
			t.Errorf("%s on a full disk changed the local state:\nbefore %s\nafter %s", what, saved, now)
		}
	}
	isFull := func(what string, err error) {
		t.Helper()
		if !isCode(err, api.CodeDiskFull) {
			t.Errorf("%s on a full disk: %v, want the code %s", what, err, api.CodeDiskFull)
		}
		unchanged(what)
	}
	_, err = ca.Autosave(ncCA, typed)
	isFull("autosave", err)
	_, err = ca.SaveDraft(ncCA, typed)
	isFull("save draft", err)
	_, err = ca.SetReady(ncCA, typed, true)
	isFull("mark ready", err)
	_, err = ca.Send()
	isFull("send", err)
	isFull("message", outbox.Message(ncCA, m1))
	res, err := ev.AddFiles(ncEvidence, []string{evPath})
	if err != nil || len(res) != 1 || res[0].Code != api.CodeDiskFull {
		t.Errorf("attach on a full disk: %+v %v, want the code %s", res, err, api.CodeDiskFull)
	}
	unchanged("attach")
	if tmp, _ := os.ReadDir(filepath.Join(data, "files", "tmp")); len(tmp) > 0 {
		t.Errorf("the content store kept %d temporary files", len(tmp))
	}

	// A sync: the server takes the message, but its answer cannot be written, nor the
	// new data. The status bar says why; the cursor stays where it was.
	srv.SetDown(false)
	if err := sy.SyncNow(); err != nil {
		t.Fatal(err)
	}
	s := settled("the sync on a full disk", func(s app.SyncStatus) bool { return s.LastError == api.CodeDiskFull })
	if !s.Online || s.Pending != 1 {
		t.Errorf("status on a full disk: %+v, want online with the message pending", s)
	}
	unchanged("the sync")
	if _, err := a.Store().Portal.NC(ctx, newNC.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the new NC is in the replica without its page's cursor: %v", err)
	}

	// Some room, not enough for the document: the answer and the new data are written,
	// the download is refused, and its bytes are dropped so that the room is the user's.
	makeRoom(t, filler, 512<<10)
	sy.SyncNow()
	settled("the sync with little room", func(s app.SyncStatus) bool {
		_, err := a.Store().Portal.NC(ctx, newNC.ID)
		return err == nil && s.Pending == 0 && s.LastError == api.CodeDiskFull
	})
	if _, cached, err := a.Store().Files.Path(ctx, docSum); cached || err != nil {
		t.Errorf("the document is recorded as present (%v, %v) though it did not fit", cached, err)
	}
	if _, err := os.Stat(filepath.Join(data, "files", docSum[:2], docSum)); err == nil {
		t.Error("the document is under its final name though it did not fit")
	}
	if _, err := ca.Autosave(ncCA, typed); err != nil {
		t.Errorf("autosave after a download met a full disk: %v (the download kept the room)", err)
	}

	// Space returns: the same operations succeed, and the app goes on by itself.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.SaveDraft(ncCA, typed); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.SetReady(ncCA, typed, true); err != nil {
		t.Fatal(err)
	}
	if r, err := ca.Send(); err != nil || !slices.Contains(r.Queued, ncCA) {
		t.Fatalf("send: %+v %v", r, err)
	}
	if err := outbox.Message(ncCA, m1); err != nil {
		t.Fatal(err)
	}
	if res, err := ev.AddFiles(ncEvidence, []string{evPath}); err != nil || res[0].Code != "" {
		t.Fatalf("attach: %+v %v", res, err)
	}
	sy.SyncNow()
	settled("everything sent", func(s app.SyncStatus) bool {
		_, cached, _ := a.Store().Files.Path(ctx, docSum)
		local, _ := a.Store().Evidence.Local(ctx, ncEvidence)
		return s.Pending == 0 && s.LastError == "" && cached && len(local) == 1 && local[0].State == store.EvidenceAttached
	})
	a.Close()
	checkDataFolder(t, data)

	// Headless commands on a full disk: each says so, none takes the replica for damaged.
	fill(t, filler)
	evPath2, evSum2 := randomFile(t, 48<<10, 13)
	const m2, typed2 = "Message de la ligne de commande", "Contrats écrits pour tous les saisonniers"
	commands := [][]string{
		{"status"},
		{"ca", "draft", newNC.ID, "--text", typed2},
		{"message", newNC.ID, "--text", m2},
		{"evidence", "add", ncEvidence, evPath2},
		{"sync"},
	}
	for _, c := range commands {
		r := run(t, data, "", nil, c...)
		if r.code != 1 || !strings.Contains(r.stderr, "disk is full") {
			t.Errorf("%s on a full disk: code %d, stderr %q, want 1 and 'the disk is full'", c[0], r.code, r.stderr)
		}
	}
	if moved, _ := filepath.Glob(filepath.Join(data, "damaged-*")); len(moved) > 0 {
		t.Fatalf("the replica was taken for damaged and moved aside: %v", moved)
	}
	os.Remove(filler)
	checkDataFolder(t, data)
	for _, c := range append(commands, []string{"ca", "ready", newNC.ID}, []string{"send"}) {
		if r := run(t, data, "", nil, c...); r.code != 0 {
			t.Errorf("%s once space returned: code %d, %s%s", c[0], r.code, r.stdout, r.stderr)
		}
	}
	if st := status(t, data); st.Pending != 0 {
		t.Errorf("%d entries still pending", st.Pending)
	}
	checkDataFolder(t, data)

	// What the server holds, seen from another computer: each item exactly once.
	other := manualApp(t, t.TempDir(), srv.URL)
	count := func(nc string, match func(d app.NCDetail) int) int {
		d, err := other.Portal.NC(nc)
		if err != nil {
			t.Fatal(err)
		}
		return match(d)
	}
	messages := func(body string) func(app.NCDetail) int {
		return func(d app.NCDetail) int {
			n := 0
			for _, m := range d.Messages {
				if m.Body == body {
					n++
				}
			}
			return n
		}
	}
	files := func(sum string) func(app.NCDetail) int {
		return func(d app.NCDetail) int {
			n := 0
			for _, e := range d.Evidence {
				if e.Evidence.File.SHA256 == sum {
					n++
				}
			}
			return n
		}
	}
	submitted := func(text string) func(app.NCDetail) int {
		return func(d app.NCDetail) int {
			n := 0
			for _, v := range d.Row.NC.CAHistory {
				if v.Text == text {
					n++
				}
			}
			return n*100 + len(d.Row.NC.CAHistory) // exactly one: 101
		}
	}
	for _, c := range []struct {
		what string
		got  int
		want int
	}{
		{"the message written before the disk filled", count(ncCA, messages(m0)), 1},
		{"the message written once space returned", count(ncCA, messages(m1)), 1},
		{"the message of the headless command", count(newNC.ID, messages(m2)), 1},
		{"the corrective measure (submissions x100 + all)", count(ncCA, submitted(typed)), 101},
		{"the headless corrective measure (x100 + all)", count(newNC.ID, submitted(typed2)), 101},
		{"the file attached in the app", count(ncEvidence, files(evSum)), 1},
		{"the file attached by the headless command", count(ncEvidence, files(evSum2)), 1},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d on the server, want %d", c.what, c.got, c.want)
		}
	}
}
