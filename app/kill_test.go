package app_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// kill -9 of the headless app at random points while it applies pull pages and while it
// uploads: the next run finishes the job, nothing twice, nothing missing.

// killedRun starts a command of the headless app and kills it after a random delay.
func killedRun(t *testing.T, r *rand.Rand, max time.Duration, args ...string) {
	t.Helper()
	cmd := exec.Command(bin.desktop, args...)
	cmd.Env = append(os.Environ(), app.EnvNoKeyring+"=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Duration(r.Int64N(int64(max))))
	cmd.Process.Kill()
	cmd.Wait()
}

func status(t *testing.T, data string) app.StatusReport {
	t.Helper()
	var s app.StatusReport
	r := run(t, data, "", nil, "status", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("status: %v\n%s%s", err, r.stdout, r.stderr)
	}
	return s
}

func TestKilledWhileApplyingPullPages(t *testing.T) {
	srv := servertest.Start(t)
	if err := srv.GenerateLarge(context.Background(), server.GenerateOptions{Audits: 20, NCs: 2000, Messages: 4000, Evidence: 100}); err != nil {
		t.Fatal(err)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	data := t.TempDir()
	if res := run(t, data, "large\n", nil, "login", "--server", srv.URL, "--user", "large"); res.code != 0 {
		t.Fatal(res.stderr)
	}
	for range 4 {
		killedRun(t, r, 600*time.Millisecond, "sync", "--data-dir", data)
	}
	if res := run(t, data, "", nil, "sync"); res.code != 0 {
		t.Fatalf("sync after the kills: %s", res.stderr)
	}
	clean := t.TempDir()
	run(t, clean, "large\n", nil, "login", "--server", srv.URL, "--user", "large")
	run(t, clean, "", nil, "sync")
	got, want := status(t, data), status(t, clean)
	for k, n := range want.Counts {
		if got.Counts[k] != n {
			t.Errorf("%s: %d after the kills, %d in a clean sync", k, got.Counts[k], n)
		}
	}
	if want.Counts["nc"] != 2000 || want.Counts["message"] != 4000 {
		t.Errorf("the clean sync itself: %v", want.Counts)
	}
}

func TestKilledWhileUploading(t *testing.T) {
	srv := servertest.Start(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 2))
	data := t.TempDir()
	if res := run(t, data, "coop\n", nil, "login", "--server", srv.URL, "--user", "coop"); res.code != 0 {
		t.Fatal(res.stderr)
	}
	run(t, data, "", nil, "sync")
	path, sum := randomFile(t, 24<<20, seed)
	if res := run(t, data, "", nil, "evidence", "add", ncEvidence, path); res.code != 0 {
		t.Fatalf("evidence add: %s %s", res.stdout, res.stderr)
	}
	for range 4 {
		killedRun(t, r, 700*time.Millisecond, "sync", "--data-dir", data)
	}
	if res := run(t, data, "", nil, "sync"); res.code != 0 {
		t.Fatalf("sync after the kills: %s %s", res.stdout, res.stderr)
	}
	if s := status(t, data); s.Pending != 0 {
		t.Errorf("%d entries still pending", s.Pending)
	}
	other := t.TempDir()
	run(t, other, "coop\n", nil, "login", "--server", srv.URL, "--user", "coop")
	run(t, other, "", nil, "sync")
	var rows []app.EvidenceRow
	json.Unmarshal([]byte(run(t, other, "", nil, "evidence", "list", ncEvidence, "--json").stdout), &rows)
	n := 0
	for _, row := range rows {
		if row.Evidence.File.SHA256 == sum {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the file is attached %d times on the server, want exactly once", n)
	}
}
