package crash_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/crash"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Personal data a crash could carry, which no report may hold.
const (
	secretToken = "eyJhbGciOiJIUzI1NiJ9.tok3n-secret"
	userText    = "Notre mesure corrective : former Mme Ndiaye"
)

// The child process: panics in a guarded goroutine, with personal data in the value.
func TestMain(m *testing.M) {
	if dir := os.Getenv("CRASH_TEST_DIR"); dir != "" {
		k := crash.New(dir, crash.Program{Version: "1.2.3", Commit: "abc", WebView: "none"})
		k.Watch()
		k.Go(func() { panic(secretToken + " " + userText + " " + dir) })
		time.Sleep(30 * time.Second) // not over: the panic ends the process
		os.Exit(0)
	}
	if dir := os.Getenv("CRASH_TEST_UNGUARDED"); dir != "" {
		// A goroutine the app does not guard (one of Wails'): only the runtime's crash
		// output knows where it panicked.
		k := crash.New(dir, crash.Program{Version: "1.2.3"})
		if _, err := k.Watch(); err != nil {
			panic(err)
		}
		go unguarded(dir)
		time.Sleep(30 * time.Second)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func unguarded(dir string) {
	var m map[string]string
	if len(dir) > 0 {
		panic(secretToken + " " + userText + " " + dir)
	}
	m["x"] = dir
}

func TestAPanicLeavesAScrubbedReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "home", "Aminata Traoré", "Ecert")
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), "CRASH_TEST_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the child did not crash:\n%s", out)
	}
	k := crash.New(dir, crash.Program{})
	pending, err := k.Pending()
	if err != nil || len(pending) != 1 {
		t.Fatalf("reports: %d, %v", len(pending), err)
	}
	r := pending[0].Report
	if err := r.Check(); err != nil {
		t.Errorf("the report does not pass the server's check: %v", err)
	}
	if r.Kind != api.CrashPanic || r.Version != "1.2.3" || r.Panic != "panic(string)" || len(r.Frames) == 0 {
		t.Errorf("report: %+v", r)
	}
	if !strings.Contains(r.Frames[0], "crash_test.TestMain") {
		t.Errorf("the first frame is %q, want the function that panicked", r.Frames[0])
	}
	raw, _ := os.ReadFile(pending[0].Path)
	for _, personal := range []string{secretToken, "Ndiaye", "Aminata", dir, os.Getenv("HOME") + "/"} {
		if strings.Contains(string(raw), personal) {
			t.Errorf("the report holds %q:\n%s", personal, raw)
		}
	}
	// The next start does not report the same crash again from the runtime's output.
	stop, err := k.Watch()
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if again, _ := k.Pending(); len(again) != 1 {
		t.Errorf("%d reports after the next start, want the same 1", len(again))
	}
	if err := k.Remove(pending[0]); err != nil {
		t.Fatal(err)
	}
	if p, _ := k.Pending(); len(p) != 0 {
		t.Errorf("%d reports after removing the only one", len(p))
	}
}

func TestAPanicOutsideTheAppsGoroutinesIsReportedAtTheNextStart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "home", "Aminata Traoré", "Ecert")
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), "CRASH_TEST_UNGUARDED="+dir)
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("the child did not crash:\n%s", out)
	}
	k := crash.New(dir, crash.Program{Version: "1.2.3"})
	stop, err := k.Watch() // the next start
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	pending, _ := k.Pending()
	if len(pending) != 1 {
		t.Fatalf("%d reports at the next start, want 1", len(pending))
	}
	r := pending[0].Report
	if r.Kind != api.CrashPanic || r.Panic != "panic" || len(r.Frames) == 0 || !strings.Contains(r.Frames[0], "crash_test.unguarded") {
		t.Errorf("report: %+v", r)
	}
	raw, _ := os.ReadFile(pending[0].Path)
	for _, personal := range []string{secretToken, "Ndiaye", "Aminata", dir} {
		if strings.Contains(string(raw), personal) {
			t.Errorf("the report holds %q:\n%s", personal, raw)
		}
	}
}

func TestAWindowThatDiedLeavesAReport(t *testing.T) {
	dir := t.TempDir()
	k := crash.New(dir, crash.Program{Version: "1.2.3"})

	// A clean run: no report.
	stop, err := k.Watch()
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if p, _ := k.Pending(); len(p) != 0 {
		t.Fatalf("a clean exit left %d reports", len(p))
	}
	// A run that never stopped (killed): the next start reports it, once.
	if _, err := k.Watch(); err != nil {
		t.Fatal(err)
	}
	stop, err = k.Watch()
	if err != nil {
		t.Fatal(err)
	}
	stop()
	p, _ := k.Pending()
	if len(p) != 1 || p[0].Report.Kind != api.CrashUncleanExit || len(p[0].Report.Frames) != 0 {
		t.Fatalf("after an unclean exit: %+v", p)
	}
}

func TestReportsAreCapped(t *testing.T) {
	old := crash.MaxKept
	crash.MaxKept = 3
	defer func() { crash.MaxKept = old }()
	dir := t.TempDir()
	k := crash.New(dir, crash.Program{})
	for range 5 {
		k.Watch() // each start after an unclean one writes a report
	}
	if p, _ := k.Pending(); len(p) != 3 {
		t.Errorf("%d reports kept, want 3", len(p))
	}
	// A file that is not a report is dropped, not sent.
	os.WriteFile(filepath.Join(dir, crash.Folder, "crash-0000-bad.json"), []byte("{"), 0o600)
	if p, _ := k.Pending(); len(p) != 3 {
		t.Errorf("%d reports with a broken file, want 3", len(p))
	}
}

func TestFramesKeepFunctionsAndShortPathsOnly(t *testing.T) {
	stack := []byte(`goroutine 7 [running]:
runtime/debug.Stack()
	/usr/lib/go/src/runtime/debug/stack.go:26 +0x5e
github.com/ecert-desktop/ecert-desktop/app/crash.(*Keeper).Guard(0xc000010000)
	/home/aminata/src/ecert/app/crash/crash.go:50 +0x65
panic({0x5b8a40?, 0xc000012345?})
	/usr/lib/go/src/runtime/panic.go:785 +0x132
github.com/ecert-desktop/ecert-desktop/app.(*Sync).start.func1()
	/home/aminata/src/ecert/app/syncing.go:124 +0x1d
created by github.com/ecert-desktop/ecert-desktop/app.(*Sync).start in goroutine 1
	C:/Users/Aminata/src/ecert/app/syncing.go:122 +0x2f
`)
	got := crash.Frames(stack)
	want := []string{
		"github.com/ecert-desktop/ecert-desktop/app.(*Sync).start.func1 app/syncing.go:124",
		"github.com/ecert-desktop/ecert-desktop/app.(*Sync).start app/syncing.go:122",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("frames:\ngot  %q\nwant %q", got, want)
	}
}
