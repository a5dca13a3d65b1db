package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// The watched inbox, in the running app: files saved in an NC's folder are attached to
// that NC once; files elsewhere are not.
func TestInboxAttachesWhatItShouldOnce(t *testing.T) {
	srv := servertest.Start(t)
	p := &recorder{}
	inbox := filepath.Join(t.TempDir(), "Inbox")
	a := app.New(app.Config{DataDir: t.TempDir(), Platform: p, InboxDir: inbox,
		InboxQuiet: 200 * time.Millisecond, SyncInterval: time.Hour})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Session.Login(srv.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(inbox, ncEvidence)
	eventually(t, "the NC's inbox folder", func() bool { _, err := os.Stat(folder); return err == nil })
	if _, err := os.Stat(filepath.Join(inbox, "NC-167140-2019")); err == nil {
		t.Error("a folder was made for an NC that awaits no evidence")
	}

	count := func() (n int, names map[string]int) {
		d, err := a.Portal.NC(ncEvidence)
		if err != nil {
			t.Fatal(err)
		}
		names = map[string]int{}
		for _, e := range d.Evidence {
			names[e.Evidence.File.Name]++
			n++
		}
		return n, names
	}
	base, _ := count() // what the NC had before
	// A burst of files, one written slowly, one renamed, one deleted before it settled,
	// an office lock file, and a folder for an NC that does not exist.
	const burst = 60
	for i := range burst {
		os.WriteFile(filepath.Join(folder, fmt.Sprintf("registre-%02d.pdf", i)), []byte(fmt.Sprintf("%%PDF-1.4 %d", i)), 0o600)
	}
	slow, _ := os.Create(filepath.Join(folder, "rapport lent.pdf"))
	for i := range 5 {
		fmt.Fprintf(slow, "%%PDF-1.4 part %d\n", i)
		slow.Sync()
		time.Sleep(80 * time.Millisecond)
	}
	slow.Close()
	os.WriteFile(filepath.Join(folder, "scan.pdf.part"), []byte("%PDF partial"), 0o600)
	os.Rename(filepath.Join(folder, "scan.pdf.part"), filepath.Join(folder, "scan.pdf"))
	os.WriteFile(filepath.Join(folder, "brouillon.pdf"), []byte("%PDF gone"), 0o600)
	os.Remove(filepath.Join(folder, "brouillon.pdf"))
	os.WriteFile(filepath.Join(folder, "~$rapport.docx"), []byte("lock"), 0o600)
	os.MkdirAll(filepath.Join(inbox, "NC-999999-2099"), 0o700)
	os.WriteFile(filepath.Join(inbox, "NC-999999-2099", "autre.pdf"), []byte("%PDF other"), 0o600)

	want := burst + 2 // the burst, the slow file, the renamed scan
	deadline := time.Now().Add(20 * time.Second)
	for n, _ := count(); n-base < want && time.Now().Before(deadline); n, _ = count() {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second) // nothing more may come
	n, names := count()
	if n-base != want {
		t.Errorf("%d files attached from the inbox, want %d: %v", n-base, want, names)
	}
	for name, k := range names {
		if k > 1 {
			t.Errorf("%s attached %d times", name, k)
		}
	}
	for _, name := range []string{"brouillon.pdf", "~$rapport.docx", "scan.pdf.part", "autre.pdf"} {
		if names[name] > 0 {
			t.Errorf("%s must not be attached", name)
		}
	}
	if names["rapport lent.pdf"] != 1 || names["scan.pdf"] != 1 {
		t.Errorf("the slow and the renamed files: %v", names)
	}
	if !p.saw(app.EventAttached) {
		t.Error("the user was not told what the inbox attached")
	}
}
