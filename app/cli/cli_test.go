package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/cli"
)

// The commands against a real server run as real processes in package app's tests;
// these check, in process, what needs no server.
func TestUsageAndExitCodes(t *testing.T) {
	t.Setenv(cli.EnvNoKeyring, "1") // never the user's keyring
	tests := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		// Help: the usage, success.
		{[]string{"help"}, 0, "Usage: ecert-desktop", ""},
		// A usage error: why, then the usage, exit 2.
		{[]string{"login"}, 2, "", "--server and --user are required"},
		{[]string{"nc"}, 2, "", "nc needs a sub-command"},
		{[]string{"ca", "draft", "--text", "x"}, 2, "", "give the NC number"},
		// A failure: in plain words, exit 1.
		{[]string{"sync"}, 1, "", "not logged in"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		args := append(tt.args, "--data-dir", t.TempDir())
		got := cli.Run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
		if got != tt.code || !strings.Contains(stdout.String(), tt.inStdout) || !strings.Contains(stderr.String(), tt.inStderr) {
			t.Errorf("%v: exit %d, want %d\nstdout %q\nstderr %q", tt.args, got, tt.code, stdout.String(), stderr.String())
		}
	}
	for _, arg := range []string{"login", "sync", "evidence", "--help"} {
		if !cli.IsCommand(arg) {
			t.Errorf("IsCommand(%q) = false", arg)
		}
	}
	if cli.IsCommand("--data-dir") {
		t.Error("the window's own flags are not commands")
	}
}
