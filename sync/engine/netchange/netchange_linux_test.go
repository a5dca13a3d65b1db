//go:build linux

package netchange_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/engine/netchange"
)

// inNamespace is set in the child process that runs in its own network namespace.
const inNamespace = "NETCHANGE_TEST_NETNS"

// An address added to an interface is told, once the network settles. The change is
// made in a network namespace of its own (unshare -rn), so the machine's network is
// never touched; the test re-runs itself there.
func TestListenerTellsOfAnAddressAdded(t *testing.T) {
	if os.Getenv(inNamespace) == "" {
		unshare, err := exec.LookPath("unshare")
		if err != nil {
			t.Skip("no unshare command: cannot make a network namespace")
		}
		cmd := exec.Command(unshare, "-rn", os.Args[0], "-test.run=^TestListenerTellsOfAnAddressAdded$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), inNamespace+"=1")
		out, err := cmd.CombinedOutput()
		if strings.Contains(string(out), "unshare failed") {
			t.Skipf("the kernel refuses a network namespace to this user: %s", strings.TrimSpace(string(out)))
		}
		if strings.Contains(string(out), "--- SKIP") {
			t.Skipf("in the namespace: %s", out)
		}
		if err != nil || !strings.Contains(string(out), "--- PASS") {
			t.Fatalf("in the namespace: %v\n%s", err, out)
		}
		return
	}
	ip, err := exec.LookPath("ip")
	if err != nil {
		t.Skip("no ip command to change the namespace's network")
	}
	netchange.Settle = 50 * time.Millisecond
	l, err := netchange.Open()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	told := make(chan struct{}, 10)
	done := make(chan error, 1)
	go func() { done <- l.Serve(ctx, func() { told <- struct{}{} }) }()

	// Nothing changes: nothing is told.
	select {
	case <-told:
		t.Fatal("told of a change before any")
	case <-time.After(200 * time.Millisecond):
	}
	// Bringing lo up and adding an address make several notices: one is told.
	for _, args := range [][]string{{"link", "set", "lo", "up"}, {"addr", "add", "10.77.0.1/32", "dev", "lo"}} {
		if out, err := exec.Command(ip, args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v: %v %s", args, err, out)
		}
	}
	select {
	case <-told:
	case <-time.After(5 * time.Second):
		t.Fatal("the address added was not told")
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(told); n != 0 {
		t.Errorf("one burst of changes told %d more times", n)
	}
	// Removing it is a change too.
	if out, err := exec.Command(ip, "addr", "del", "10.77.0.1/32", "dev", "lo").CombinedOutput(); err != nil {
		t.Fatalf("ip addr del: %v %s", err, out)
	}
	select {
	case <-told:
	case <-time.After(5 * time.Second):
		t.Fatal("the address removed was not told")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Serve: %v, want context.Canceled", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Serve did not stop with its context")
	}
}
