package version_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/version"
)

func TestMain_JSON(t *testing.T) {
	old := version.Version
	version.Version = "1.2.3-test"
	defer func() { version.Version = old }()

	var out, errOut bytes.Buffer
	if code := version.Main([]string{"--json"}, &out, &errOut); code != 0 {
		t.Fatalf("exit code: got %d, want 0 (stderr %q)", code, errOut.String())
	}
	var got version.Info
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if got.Version != "1.2.3-test" {
		t.Errorf("version: got %q, want %q", got.Version, "1.2.3-test")
	}
	// A plain `go test` has no Wails tag: the headless build, no web view.
	if got.WebView != "none" {
		t.Errorf("webview: got %q, want %q", got.WebView, "none")
	}
	if got.Commit == "" || got.Date == "" || got.OS == "" {
		t.Errorf("empty field in %+v", got)
	}
}

func TestMain_Text(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := version.Main(nil, &out, &errOut); code != 0 {
		t.Fatalf("exit code: got %d, want 0", code)
	}
	if got := out.String(); !strings.HasPrefix(got, "ecert-desktop "+version.Version+" (") {
		t.Errorf("got %q, want it to start with the version", got)
	}
}

func TestMain_BadArgument(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := version.Main([]string{"--yaml"}, &out, &errOut); code != 2 {
		t.Errorf("exit code: got %d, want 2", code)
	}
	if out.Len() != 0 || !strings.Contains(errOut.String(), "--yaml") {
		t.Errorf("stdout %q, stderr %q: want nothing on stdout and the argument named", out.String(), errOut.String())
	}
}
