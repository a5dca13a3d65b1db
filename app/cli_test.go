package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/cli"
	"github.com/ecert-desktop/ecert-desktop/app/requests"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// The headless commands are tested as a user runs them: the real ecert-desktop binary
// (built without Wails tags: no display needed) against a real ecert-server process.

var bin struct{ desktop, server string }

func TestMain(m *testing.M) {
	// In-process servers seed a small directory: most tests do not read it, and
	// 30,000 operators would slow each first sync. The partner benchmarks seed the
	// full size; the headless commands' server process seeds it too.
	directory.DemoSize = 1000
	dir, err := os.MkdirTemp("", "ecert-cli-test")
	if err != nil {
		panic(err)
	}
	bin.desktop = filepath.Join(dir, "ecert-desktop")
	bin.server = filepath.Join(dir, "ecert-server")
	for _, b := range [][2]string{{bin.desktop, ".."}, {bin.server, "../sync/cmd/ecert-server"}} {
		out, err := exec.Command("go", "build", "-o", b[0], b[1]).CombinedOutput()
		if err != nil {
			os.RemoveAll(dir)
			panic("build " + b[1] + ": " + err.Error() + "\n" + string(out))
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startServer runs ecert-server --demo (and extra flags) on a free port and returns its URL.
func startServer(t *testing.T, extra ...string) (url string, stop func()) {
	t.Helper()
	cmd := exec.Command(bin.server, append([]string{"--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--demo",
		"--demo-today", servertest.DemoToday.Format(time.DateOnly)}, extra...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop = func() {
		cmd.Process.Kill()
		cmd.Wait()
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("ecert-server log:\n%s", logs.String())
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if _, u, ok := strings.Cut(sc.Text(), "listening on "); ok {
				found <- strings.Fields(u)[0]
			}
		}
	}()
	select {
	case url = <-found:
		return url, stop
	case <-time.After(20 * time.Second):
		t.Fatal("ecert-server did not start")
	}
	return "", nil
}

type result struct {
	code           int
	stdout, stderr string
}

// syncedAsCoop returns a new data folder logged in as coop to the server at url and
// synced once, as a user starts before the commands under test.
func syncedAsCoop(t *testing.T, url string) string {
	t.Helper()
	data := t.TempDir()
	if r := run(t, data, "coop\n", nil, "login", "--server", url, "--user", "coop"); r.code != 0 {
		t.Fatalf("login: %+v", r)
	}
	if r := run(t, data, "", nil, "sync"); r.code != 0 {
		t.Fatalf("sync: %+v", r)
	}
	return data
}

func run(t *testing.T, dataDir, stdin string, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin.desktop, append(args, "--data-dir", dataDir)...)
	// Tests never touch the user's keyring.
	cmd.Env = append(append(os.Environ(), cli.EnvNoKeyring+"=1"), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestHeadlessCommandsAgainstARealServer(t *testing.T) {
	url, stopServer := startServer(t)
	data := t.TempDir()

	// Before logging in, sync says what to do.
	if r := run(t, data, "", nil, "sync"); r.code != 1 || !strings.Contains(r.stderr, "not logged in") {
		t.Errorf("sync before login: code %d, stderr %q", r.code, r.stderr)
	}
	// A wrong password is refused in plain words, and nothing is saved.
	if r := run(t, data, "wrong\n", nil, "login", "--server", url, "--user", "coop"); r.code != 1 || !strings.Contains(r.stderr, "wrong user name or password") {
		t.Errorf("wrong password: code %d, stderr %q", r.code, r.stderr)
	}
	// Missing flags are a usage error.
	if r := run(t, data, "", nil, "login", "--user", "coop"); r.code != 2 {
		t.Errorf("login without --server: code %d, want 2", r.code)
	}
	// Password on stdin.
	if r := run(t, data, "coop\n", nil, "login", "--server", url, "--user", "coop"); r.code != 0 || !strings.Contains(r.stdout, "Logged in") {
		t.Fatalf("login: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r := run(t, data, "", nil, "sync"); r.code != 0 || !strings.Contains(r.stdout, "Synced") {
		t.Fatalf("sync: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	r := run(t, data, "", nil, "status", "--json")
	var status cli.StatusReport
	if err := json.Unmarshal([]byte(r.stdout), &status); err != nil {
		t.Fatalf("status --json: %v\n%s", err, r.stdout)
	}
	if !status.LoggedIn || status.Username != "coop" || status.LastSync == "" || status.Counts["nc"] < 4 || status.Counts["audit"] < 2 {
		t.Errorf("status after sync: %+v", status)
	}

	r = run(t, data, "", nil, "nc", "list", "--json")
	var rows []app.NCRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("nc list --json: %v\n%s", err, r.stdout)
	}
	ids := map[string]string{}
	for _, row := range rows {
		ids[row.NC.ID] = row.NC.CriterionNumber
	}
	if ids["NC-167140-2019"] != "2.2.0.03" || ids["NC-150424-2019"] != "0.1.1.01" {
		t.Errorf("nc list: %v", ids)
	}
	if r := run(t, data, "", nil, "nc", "list", "--filter", "ca"); !strings.Contains(r.stdout, "NC-167140-2019") || strings.Contains(r.stdout, "NC-150424-2019") || !strings.Contains(r.stdout, "08/06/2019") {
		t.Errorf("nc list --filter ca:\n%s", r.stdout)
	}
	if r := run(t, data, "", nil, "nc", "list", "--filter", "sent"); r.code != 0 || !strings.Contains(r.stdout, "NC-168802-2018") ||
		!strings.Contains(r.stdout, "evidence_submitted") || strings.Contains(r.stdout, "NC-167140-2019") {
		t.Errorf("nc list --filter sent: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Offline, the replica still answers and sync says why it failed.
	stopServer()
	if r := run(t, data, "", nil, "nc", "list"); r.code != 0 || !strings.Contains(r.stdout, "NC-167140-2019") {
		t.Errorf("nc list offline: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, data, "", nil, "sync"); r.code != 1 || !strings.Contains(r.stderr, "cannot be reached") {
		t.Errorf("sync offline: code %d, stderr %q", r.code, r.stderr)
	}
}

func TestHeadlessLoginTakesThePasswordFromTheEnvironment(t *testing.T) {
	url, _ := startServer(t)
	data := t.TempDir()
	r := run(t, data, "", []string{cli.EnvPassword + "=estate"}, "login", "--server", url, "--user", "estate")
	if r.code != 0 {
		t.Fatalf("login: %d %s", r.code, r.stderr)
	}
	if r := run(t, data, "", nil, "sync"); r.code != 0 {
		t.Fatalf("sync: %d %s", r.code, r.stderr)
	}
	r = run(t, data, "", nil, "nc", "list")
	if strings.Contains(r.stdout, "NC-167140-2019") {
		t.Errorf("estate sees coop's NC:\n%s", r.stdout)
	}
}

// send says what it sends, corrective measures apart from evidence, and how many NCs it
// leaves behind, naming a few.
func TestSendSaysWhatItSends(t *testing.T) {
	url, _ := startServer(t)
	data := syncedAsCoop(t, url)
	if r := run(t, data, "", nil, "send"); r.code != 0 || !strings.Contains(r.stdout, "Nothing is marked ready to send.") ||
		!strings.Contains(r.stdout, "Not sent, not marked ready: ") {
		t.Errorf("send of nothing: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	file, _ := randomFile(t, 32<<10, 7)
	for _, args := range [][]string{
		{"ca", "ready", "NC-167140-2019", "--text", "Contrats écrits pour tous les saisonniers"},
		{"evidence", "add", ncEvidence, file},
		{"evidence", "ready", ncEvidence},
	} {
		if r := run(t, data, "", nil, args...); r.code != 0 {
			t.Fatalf("%v: %s", args, r.stderr)
		}
	}
	r := run(t, data, "", nil, "send")
	want := "Sending: 1 corrective measure (NC-167140-2019), evidence of 1 NC (" + ncEvidence + ").\n"
	if r.code != 0 || !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "Everything was sent.") {
		t.Errorf("send: code %d, want %q in\n%s%s", r.code, want, r.stdout, r.stderr)
	}
}

// kill -9 of the headless app at points during a send: after restarting, everything the
// user marked ready reaches the server exactly once.
func TestKilledDuringSendLosesNothingAndDuplicatesNothing(t *testing.T) {
	url, _ := startServer(t)
	data := syncedAsCoop(t, url)
	ncs := []string{"NC-167140-2019", "NC-173086-2018", "NC-174410-2018"}
	for i, nc := range ncs {
		text := "Mesure corrective pour " + nc
		if r := run(t, data, "", nil, "ca", "ready", nc, "--text", text); r.code != 0 {
			t.Fatalf("ca ready: %s", r.stderr)
		}
		if r := run(t, data, "", nil, "message", nc, "--text", "Message pour "+nc); r.code != 0 {
			t.Fatalf("message: %s", r.stderr)
		}
		// send, killed after 0, 40 and 120 ms: before, during or after its push.
		cmd := exec.Command(bin.desktop, "send", "--data-dir", data)
		cmd.Env = append(os.Environ(), cli.EnvNoKeyring+"=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(i*i) * 40 * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		// The next start finishes the job.
		if r := run(t, data, "", nil, "sync"); r.code != 0 {
			t.Fatalf("sync after the kill: %s %s", r.stdout, r.stderr)
		}
		// If the kill came before Send queued it, it is still marked ready: send again.
		if r := run(t, data, "", nil, "send"); r.code != 0 {
			t.Fatalf("send after the kill: %s %s", r.stdout, r.stderr)
		}
	}
	var status cli.StatusReport
	json.Unmarshal([]byte(run(t, data, "", nil, "status", "--json").stdout), &status)
	if status.Pending != 0 {
		t.Errorf("%d entries still pending", status.Pending)
	}
	// What the server holds, seen from another computer.
	other := t.TempDir()
	run(t, other, "coop\n", nil, "login", "--server", url, "--user", "coop")
	run(t, other, "", nil, "sync")
	for _, nc := range ncs {
		var d app.NCDetail
		if err := json.Unmarshal([]byte(run(t, other, "", nil, "nc", "show", nc, "--json").stdout), &d); err != nil {
			t.Fatal(err)
		}
		if n := len(d.Row.NC.CAHistory); n != 1 {
			t.Errorf("%s: %d submissions on the server, want exactly 1", nc, n)
		}
		msgs := 0
		for _, m := range d.Messages {
			if m.Body == "Message pour "+nc {
				msgs++
			}
		}
		if msgs != 1 {
			t.Errorf("%s: the message is on the server %d times, want exactly 1", nc, msgs)
		}
	}
}

func TestASecondUserOfTheDataFolderIsToldWhy(t *testing.T) {
	data := t.TempDir()
	held := app.New(app.Config{DataDir: data, Manual: true})
	if err := held.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	r := run(t, data, "", nil, "status")
	if r.code != 1 || !strings.Contains(r.stderr, "another Ecert Desktop") {
		t.Errorf("status while the folder is in use: code %d, stderr %q", r.code, r.stderr)
	}
	held.Close()
	if r := run(t, data, "", nil, "status"); r.code != 0 {
		t.Errorf("status once the folder is free: code %d, stderr %q", r.code, r.stderr)
	}
}

// password changes the password with both on stdin; each refusal says why; offline it
// says that it needs the server.
func TestHeadlessPasswordChange(t *testing.T) {
	url, stopServer := startServer(t)
	data, other := t.TempDir(), t.TempDir()
	for _, d := range []string{data, other} {
		if r := run(t, d, "coop\n", nil, "login", "--server", url, "--user", "coop"); r.code != 0 {
			t.Fatalf("login: %d %s", r.code, r.stderr)
		}
	}
	for _, c := range []struct{ stdin, want string }{
		{"", "on stdin"},
		{"guess\na long new phrase\n", "current password is wrong"},
		{"coop\nshort\n", "too short"},
		{"coop\nmotdepasse2024\n", "too common"},
	} {
		if r := run(t, data, c.stdin, nil, "password"); r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("password with %q: code %d, stderr %q; want %q", c.stdin, r.code, r.stderr, c.want)
		}
	}
	if r := run(t, data, "coop\nPlantation du Mont Vert\n", nil, "password"); r.code != 0 || !strings.Contains(r.stdout, "Password changed") {
		t.Fatalf("password: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// This computer goes on; the other is told why it must log in again.
	if r := run(t, data, "", nil, "sync"); r.code != 0 {
		t.Errorf("sync after the change: code %d, stderr %q", r.code, r.stderr)
	}
	if r := run(t, other, "", nil, "sync"); r.code != 1 || !strings.Contains(r.stderr, "changed on another computer") {
		t.Errorf("sync of the other computer: code %d, stderr %q", r.code, r.stderr)
	}
	stopServer()
	if r := run(t, data, "Plantation du Mont Vert\nanother long phrase\n", nil, "password"); r.code != 1 || !strings.Contains(r.stderr, "needs the server") {
		t.Errorf("password offline: code %d, stderr %q", r.code, r.stderr)
	}
}

// message --general writes to FLOCERT about no NC; it waits here until the next sync.
func TestHeadlessGeneralMessage(t *testing.T) {
	url, _ := startServer(t)
	data := t.TempDir()
	if r := run(t, data, "coop\n", nil, "login", "--server", url, "--user", "coop"); r.code != 0 {
		t.Fatalf("login: %d %s", r.code, r.stderr)
	}
	if r := run(t, data, "", nil, "message", "--general", "--text", ""); r.code != 1 {
		t.Errorf("an empty general message: code %d, stderr %q", r.code, r.stderr)
	}
	if r := run(t, data, "", nil, "message", "--general", "--text", "Question sur notre contrat"); r.code != 0 || !strings.Contains(r.stdout, "Message to FLOCERT saved") {
		t.Fatalf("message --general: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	var status cli.StatusReport
	json.Unmarshal([]byte(run(t, data, "", nil, "status", "--json").stdout), &status)
	if status.Pending != 1 {
		t.Errorf("pending before the sync: %d, want 1", status.Pending)
	}
	if r := run(t, data, "", nil, "sync"); r.code != 0 {
		t.Fatalf("sync: %d %s", r.code, r.stderr)
	}
	json.Unmarshal([]byte(run(t, data, "", nil, "status", "--json").stdout), &status)
	if status.Pending != 0 {
		t.Errorf("pending after the sync: %d, want 0", status.Pending)
	}
}

// request contact|org proposes changes headless; request list shows them waiting, then
// pending with the values they replace, then decided.
func TestHeadlessChangeRequests(t *testing.T) {
	srv := servertest.Start(t) // in this process, so that the test can decide as the analyst
	url := srv.URL
	data := t.TempDir()
	if r := run(t, data, "coop\n", nil, "login", "--server", url, "--user", "coop"); r.code != 0 {
		t.Fatalf("login: %d %s", r.code, r.stderr)
	}
	run(t, data, "", nil, "sync") // the contacts, to check the requests against
	if r := run(t, data, "", nil, "request", "contact", "C-3542-02", "--email", "samuel@"); r.code != 1 || !strings.Contains(r.stderr, api.CodeInvalidEmail) {
		t.Errorf("a bad e-mail: code %d, stderr %q", r.code, r.stderr)
	}
	if r := run(t, data, "", nil, "request", "contact", "--email", "x@y.example"); r.code != 2 {
		t.Errorf("without the contact's id: code %d, want a usage error", r.code)
	}
	r := run(t, data, "", nil, "request", "contact", "C-3542-02", "--phone", "+237 600 00 00 01", "--note", "Nouveau numéro", "--json")
	var waiting requests.Request
	if err := json.Unmarshal([]byte(r.stdout), &waiting); r.code != 0 || err != nil || waiting.State != requests.StateWaiting || waiting.Old["phone"] != "+237 699 80 12 33" {
		t.Fatalf("request contact: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r := run(t, data, "", nil, "request", "org", "--postal-code", "BP 300"); r.code != 0 {
		t.Fatalf("request org: %d %s", r.code, r.stderr)
	}
	if r := run(t, data, "", nil, "request", "contact", "--add", "--name", "Paul Ndzi", "--role", "Magasinier"); r.code != 0 {
		t.Fatalf("request contact --add: %d %s", r.code, r.stderr)
	}
	if r := run(t, data, "", nil, "sync"); r.code != 0 {
		t.Fatalf("sync: %d %s", r.code, r.stderr)
	}
	var list []requests.Request
	json.Unmarshal([]byte(run(t, data, "", nil, "request", "list", "--json").stdout), &list)
	if len(list) != 3 {
		t.Fatalf("request list after the sync: %+v", list)
	}
	for _, l := range list {
		if l.State != requests.StatePending {
			t.Errorf("after the sync: %+v, want pending", l)
		}
		if l.Target == api.TargetContact && l.Action == api.ActionUpdate {
			if _, err := srv.ChangeRequests().Refuse(context.Background(), "analyst", demo.OrgCoop, l.ID, "Numéro injoignable."); err != nil {
				t.Fatal(err)
			}
		}
	}
	run(t, data, "", nil, "sync")
	out := run(t, data, "", nil, "request", "list").stdout
	if !strings.Contains(out, "refused") || !strings.Contains(out, "Numéro injoignable.") || !strings.Contains(out, "postal_code: 214 → BP 300") {
		t.Errorf("request list:\n%s", out)
	}
}
