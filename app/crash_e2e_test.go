package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/crash"
)

// The app crashes on purpose (the hidden __crash command panics in one of the app's
// goroutines with the login's token, the organisation's name and the data folder in the
// panic); the report it leaves is scrubbed, stays on this computer while the user has
// not allowed sending, and reaches the server's console at the next sync once allowed.
func TestACrashReachesTheServerScrubbedOnlyWithConsent(t *testing.T) {
	url, _ := startServer(t)
	data := filepath.Join(t.TempDir(), "Aminata Traoré", "Ecert Desktop")
	if r := run(t, data, "coop\n", nil, "login", "--server", url, "--user", "coop"); r.code != 0 {
		t.Fatalf("login: %d %s", r.code, r.stderr)
	}
	token, err := os.ReadFile(filepath.Join(data, "session.token"))
	if err != nil {
		t.Fatal(err)
	}
	var tokens struct{ Access, Refresh string }
	json.Unmarshal(token, &tokens)

	r := run(t, data, "", nil, "__crash")
	if r.code == 0 || !strings.Contains(r.stderr, "panic: crash on purpose") {
		t.Fatalf("the crash trigger did not crash: code %d, stderr %q", r.code, r.stderr)
	}
	reports, _ := filepath.Glob(filepath.Join(data, crash.Folder, "crash-*.json"))
	if len(reports) != 1 {
		t.Fatalf("%d reports in the data folder, want 1", len(reports))
	}
	raw, _ := os.ReadFile(reports[0])
	personal := []string{tokens.Access, tokens.Refresh, "Coopérative", "Aminata", data, "coop\""}
	for _, p := range personal {
		if p != "" && strings.Contains(string(raw), p) {
			t.Errorf("the local report holds %q:\n%s", p, raw)
		}
	}
	var rep struct {
		ID     string   `json:"id"`
		Frames []string `json:"frames"`
	}
	json.Unmarshal(raw, &rep)
	if len(rep.Frames) == 0 || !strings.Contains(rep.Frames[0], "cli.(*cmd).crash") {
		t.Errorf("the report does not say where it crashed: %q", rep.Frames)
	}

	// Not allowed (the default): a sync sends nothing.
	if r := run(t, data, "", nil, "sync"); r.code != 0 {
		t.Fatalf("sync: %d %s", r.code, r.stderr)
	}
	console := consoleCrashes(t, url)
	if strings.Contains(console, rep.ID) {
		t.Fatal("the report was sent without the user's consent")
	}
	if r := run(t, data, "", nil, "settings", "crash-reports"); !strings.Contains(r.stdout, "off (1 kept") {
		t.Errorf("settings crash-reports: %q", r.stdout)
	}

	// Allowed: the next sync sends it, and it leaves this computer.
	if r := run(t, data, "", nil, "settings", "crash-reports", "on"); r.code != 0 || !strings.Contains(r.stdout, "on: sent at each sync") {
		t.Fatalf("settings crash-reports on: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := run(t, data, "", nil, "sync"); r.code != 0 {
		t.Fatalf("sync: %d %s", r.code, r.stderr)
	}
	console = consoleCrashes(t, url)
	if !strings.Contains(console, rep.ID) || !strings.Contains(console, "cli.(*cmd).crash") {
		t.Fatalf("the console does not show the report %s:\n%s", rep.ID, console)
	}
	for _, p := range personal {
		if p != "" && strings.Contains(console, p) {
			t.Errorf("the console shows %q", p)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(data, crash.Folder, "crash-*.json")); len(left) != 0 {
		t.Errorf("%d reports left after sending", len(left))
	}
}

// consoleCrashes logs in to the server's console as the analyst and returns its crash
// reports page.
func consoleCrashes(t *testing.T, server string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(path string) string {
		res, err := c.Get(server + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(get("/console/login"))
	if m == nil {
		t.Fatal("no CSRF token on the console's login page")
	}
	res, err := c.PostForm(server+"/console/login", url.Values{"csrf": {m[1]}, "username": {"analyst"}, "password": {"analyst"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return get("/console/crashes")
}
