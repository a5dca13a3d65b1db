package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/fairmonitor"
)

// TestChainCommands: the chain commands as a user runs them against a real server:
// an addition kept offline and sent by the next sync, an unknown FLO ID refused with
// nothing queued, a removal.
func TestChainCommands(t *testing.T) {
	url, stop := startServer(t)
	defer stop()
	data := syncedAsCoop(t, url)
	if r := run(t, data, "", nil, "chain", "add", "--product", "coffee", "--partner", "000"); r.code != 1 ||
		!strings.Contains(r.stderr, "nothing was queued") {
		t.Errorf("add an unknown FLO ID: %+v", r)
	}
	if r := run(t, data, "", nil, "chain", "add", "--product", "coffee", "--partner", "27816", "--role", "buyer"); r.code != 0 {
		t.Fatalf("add: %+v", r)
	}
	if r := run(t, data, "", nil, "chain", "list"); r.code != 0 || !strings.Contains(r.stdout, "27816") || !strings.Contains(r.stdout, "not sent yet") {
		t.Errorf("list before the sync: %+v", r)
	}
	if r := run(t, data, "", nil, "sync"); r.code != 0 {
		t.Fatalf("sync: %+v", r)
	}
	r := run(t, data, "", nil, "chain", "list", "--json")
	var v fairmonitor.View
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || r.code != 0 || len(v.Chains) != 1 ||
		v.Chains[0].Partners[0].Pending != "" || v.Chains[0].Partners[0].Role != "buyer" || v.Chains[0].Partners[0].Name == "" {
		t.Fatalf("list --json after the sync: %v %+v", err, r)
	}
	if r := run(t, data, "", nil, "chain", "remove", "--product", "tea", "--partner", "27816"); r.code != 1 || !strings.Contains(r.stderr, "not in the chain") {
		t.Errorf("remove from a chain that lacks it: %+v", r)
	}
	if r := run(t, data, "", nil, "chain", "remove", "--product", "Coffee", "--partner", "27816"); r.code != 0 {
		t.Errorf("remove: %+v", r)
	}
	if r := run(t, data, "", nil, "chain"); r.code != 2 {
		t.Errorf("chain without a sub-command: %+v", r)
	}
}
