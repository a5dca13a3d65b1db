package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/cli"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// kill -9 of the headless app at random points while it applies pull pages and while it
// uploads: the next run finishes the job, nothing twice, nothing missing.

// envSeed replays a run of the randomised tests: ECERT_TEST_SEED=<the seed they logged>.
const envSeed = "ECERT_TEST_SEED"

// testSeed returns the seed of a randomised test, $ECERT_TEST_SEED or a new one, and
// logs it.
func testSeed(t *testing.T) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(envSeed); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("%s: %v", envSeed, err)
		}
	}
	t.Logf("seed %d (replay with %s=%d)", seed, envSeed, seed)
	return seed
}

// killedRun starts a command of the headless app and kills it after a random delay.
func killedRun(t *testing.T, r *rand.Rand, max time.Duration, args ...string) {
	t.Helper()
	cmd := exec.Command(bin.desktop, args...)
	cmd.Env = append(os.Environ(), cli.EnvNoKeyring+"=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Duration(r.Int64N(int64(max))))
	cmd.Process.Kill()
	cmd.Wait()
}

func status(t *testing.T, data string) cli.StatusReport {
	t.Helper()
	var s cli.StatusReport
	r := run(t, data, "", nil, "status", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("status: %v\n%s%s", err, r.stdout, r.stderr)
	}
	return s
}

func TestKilledWhileApplyingPullPages(t *testing.T) {
	srv := servertest.Start(t)
	if err := srv.GenerateLarge(context.Background(), demo.GenerateOptions{Audits: 20, NCs: 2000, Messages: 4000, Evidence: 100}); err != nil {
		t.Fatal(err)
	}
	seed := testSeed(t)
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
	seed := testSeed(t)
	r := rand.New(rand.NewPCG(seed, 2))
	data := coopDataDir(t, srv.URL)
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

// killedAfter runs a command of the headless app and kills it after d, unless it ended
// before; it reports whether the command ended, and succeeded, before the kill, and how
// long it ran.
func killedAfter(t *testing.T, data string, d time.Duration, args ...string) (bool, time.Duration) {
	t.Helper()
	cmd := exec.Command(bin.desktop, append(args, "--data-dir", data)...)
	cmd.Env = append(os.Environ(), cli.EnvNoKeyring+"=1")
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(d, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	timer.Stop()
	return err == nil, time.Since(start)
}

// killPoint draws when to kill a command that takes about typical to run: anywhere in
// its run, its start and end included. The seed replays the draws; where they fall in
// the command's work depends on the machine's speed.
func killPoint(r *rand.Rand, typical time.Duration) time.Duration {
	return time.Duration(r.Float64() * 1.1 * float64(typical))
}

// kill -9 while a loop of headless commands writes corrective measures and messages.
// Texts near the server's limit make each command write several pages, and fold them
// into the database as it closes: most kills land in a write. After each kill the
// replica opens whole; every command that ended before has its effect; the one killed
// has all of it or none; run again, it completes; the server gets each message once.
func TestKilledWhileWritingDraftsAndMessages(t *testing.T) {
	srv := servertest.Start(t)
	seed := testSeed(t)
	r := rand.New(rand.NewPCG(seed, 3))
	data := coopDataDir(t, srv.URL)
	const unit = "Registre des primes tenu à jour et contrôlé chaque trimestre. "
	long := strings.Repeat(unit, (api.MaxTextBytes-100)/len(unit))
	ctx := context.Background()
	var messages []string // written, in order: each must be in the outbox once
	draft, killed, landed := "", 0, 0
	typical := 20 * time.Millisecond // until a command ends and says how long it takes
	for i := range 60 {
		text := fmt.Sprintf("%02d %s", i, long)
		args := []string{"ca", "draft", ncCA, "--text", text}
		if i%2 == 1 {
			args = []string{"message", ncCA, "--text", text}
		}
		ended, took := killedAfter(t, data, killPoint(r, typical), args...)
		if ended {
			typical = took
		} else {
			killed++
		}
		checkDataFolder(t, data)
		st, err := store.Open(ctx, data)
		if err != nil {
			t.Fatal(err)
		}
		has := false
		if i%2 == 0 {
			c, err := st.Work.LocalCA(ctx, ncCA)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
			got := ""
			if c != nil {
				got = c.Text
			}
			if has = got == text; !has && got != draft {
				t.Fatalf("command %d (killed: %v): the corrective measure is neither the new text nor the one before: %.20q", i, !ended, got)
			}
		} else {
			outbox, err := st.Work.Outbox(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range outbox {
				if e.Kind == api.KindMessage {
					got = append(got, e.Text)
				}
			}
			has = len(got) == len(messages)+1 && got[len(got)-1] == text
			if !has && !slices.Equal(got, messages) {
				t.Fatalf("command %d (killed: %v): %d messages in the outbox, want the %d written before, and this one whole or not at all", i, !ended, len(got), len(messages))
			}
		}
		st.Close()
		if ended && !has {
			t.Fatalf("command %d succeeded, but its effect is not in the replica", i)
		}
		if !ended && has {
			landed++
		}
		if !has { // as the user would: it is not there, so write it again
			start := time.Now()
			if res := run(t, data, "", nil, args...); res.code != 0 {
				t.Fatalf("command %d run again: %s%s", i, res.stdout, res.stderr)
			}
			typical = time.Since(start)
		}
		if i%2 == 0 {
			draft = text
		} else {
			messages = append(messages, text)
		}
	}
	t.Logf("%d of 60 commands killed before they ended, %d of them after their write", killed, landed)
	if res := run(t, data, "", nil, "sync"); res.code != 0 {
		t.Fatalf("sync: %s%s", res.stdout, res.stderr)
	}
	if s := status(t, data); s.Pending != 0 {
		t.Errorf("%d entries still pending", s.Pending)
	}
	other := manualApp(t, t.TempDir(), srv.URL)
	d, err := other.Portal.NC(ncCA)
	if err != nil {
		t.Fatal(err)
	}
	if d.SharedDraft == nil || d.SharedDraft.Text != draft {
		t.Errorf("the server's draft is not the last one written")
	}
	seen := map[string]int{}
	for _, m := range d.Messages {
		seen[m.Body]++
	}
	for i, m := range messages {
		if seen[m] != 1 {
			t.Errorf("message %d is on the server %d times, want exactly once", i, seen[m])
		}
	}
}

// kill -9 while "evidence add" copies large files into the content store and records
// them. After each kill: the replica opens whole; a file under a hash name has that
// hash; nothing is recorded that is not there whole; run again, the command completes
// and attaches each file once; the server gets each file once.
func TestKilledWhileAttachingEvidence(t *testing.T) {
	srv := servertest.Start(t)
	seed := testSeed(t)
	r := rand.New(rand.NewPCG(seed, 4))
	data := coopDataDir(t, srv.URL)
	attached := func() map[string]int {
		var rows []app.EvidenceRow
		res := run(t, data, "", nil, "evidence", "list", ncEvidence, "--json")
		if err := json.Unmarshal([]byte(res.stdout), &rows); err != nil {
			t.Fatalf("evidence list: %v\n%s%s", err, res.stdout, res.stderr)
		}
		n := map[string]int{}
		for _, row := range rows {
			n[row.Evidence.File.SHA256]++
		}
		return n
	}
	var sums []string
	typical := 300 * time.Millisecond // until a run says how long three files take
	for round := range 4 {
		// Three files in one command: a kill may fall after the first is recorded.
		args := []string{"evidence", "add", ncEvidence}
		for k := range 3 {
			path, sum := randomFile(t, (4+r.IntN(9))<<20, seed+uint64(10*round+k))
			args, sums = append(args, path), append(sums, sum)
		}
		ended, _ := killedAfter(t, data, killPoint(r, typical), args...)
		checkDataFolder(t, data)
		before, recorded := attached(), 0
		for _, sum := range sums[len(sums)-3:] {
			if n := before[sum]; n > 1 || ended && n != 1 {
				t.Fatalf("round %d (killed: %v): a file is attached %d times", round, !ended, n)
			}
			recorded += before[sum]
		}
		t.Logf("round %d: killed %v, %d of 3 files recorded", round, !ended, recorded)
		// The user runs the command again. It copies and hashes the three files again,
		// as the first run did: its time is what the next kill draws from.
		start := time.Now()
		if res := run(t, data, "", nil, args...); res.code != 0 {
			t.Fatalf("round %d, run again: %s%s", round, res.stdout, res.stderr)
		}
		typical = time.Since(start)
		checkDataFolder(t, data)
		after := attached()
		for i, sum := range sums {
			if after[sum] != 1 {
				t.Errorf("round %d (killed: %v): file %d is attached %d times, want once", round, !ended, i, after[sum])
			}
		}
	}
	if res := run(t, data, "", nil, "sync"); res.code != 0 {
		t.Fatalf("sync: %s%s", res.stdout, res.stderr)
	}
	if s := status(t, data); s.Pending != 0 {
		t.Errorf("%d entries still pending", s.Pending)
	}
	d, err := manualApp(t, t.TempDir(), srv.URL).Portal.NC(ncEvidence)
	if err != nil {
		t.Fatal(err)
	}
	onServer := map[string]int{}
	for _, e := range d.Evidence {
		onServer[e.Evidence.File.SHA256]++
	}
	for i, sum := range sums {
		if onServer[sum] != 1 {
			t.Errorf("file %d is on the server %d times, want exactly once", i, onServer[sum])
		}
	}
}

// coopDataDir is a data folder logged in as coop through the headless commands, synced.
func coopDataDir(t *testing.T, url string) string {
	t.Helper()
	data := t.TempDir()
	if res := run(t, data, "coop\n", nil, "login", "--server", url, "--user", "coop"); res.code != 0 {
		t.Fatal(res.stderr)
	}
	if res := run(t, data, "", nil, "sync"); res.code != 0 {
		t.Fatalf("first sync: %s", res.stderr)
	}
	return data
}
