package update

import (
	"crypto/ed25519"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/release"
)

// The key a build verifies releases with: the publisher's when stamped; none, a
// malformed one, or the test-only key outside a test build leave updates off.
func TestKeyInfo(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(nil)
	publisher := release.EncodeKey(pub)
	for _, c := range []struct {
		name, stamped string
		allowTest     bool
		state         string
		on            bool
	}{
		{"no key", "", false, KeyNone, false},
		{"blank", "  \n", false, KeyNone, false},
		{"not a key", "c2hvcnQ=", false, KeyInvalid, false},
		{"publisher", publisher, false, KeyPublisher, true},
		{"publisher, file's newline", publisher + "\n", false, KeyPublisher, true},
		{"publisher in a test build", publisher, true, KeyPublisher, true},
		{"test-only key in a release build", release.TestOnlyPublicKey, false, KeyTestRefused, false},
		{"test-only key in a test build", release.TestOnlyPublicKey, true, KeyTestOnly, true},
	} {
		k, state, fp := keyInfo(c.stamped, c.allowTest)
		if state != c.state || (k != nil) != c.on {
			t.Errorf("%s: state %q, key %v; want %q, on %v", c.name, state, k != nil, c.state, c.on)
		}
		if c.on && len(fp) != 16 {
			t.Errorf("%s: fingerprint %q", c.name, fp)
		}
	}
}

// About names the key the updater verifies with: the one it was given, else the
// built-in one's state (none, in a plain test build).
func TestAboutNamesTheKey(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(nil)
	_, _, fp := keyInfo(release.EncodeKey(pub), false)
	given := NewService(ServiceConfig{Updater: New(Config{PublicKey: pub, Dir: t.TempDir()})}).About().Key
	if given != (KeyState{State: KeyPublisher, Fingerprint: fp}) {
		t.Errorf("a given key: %+v, want publisher %s", given, fp)
	}
	builtIn := NewService(ServiceConfig{Updater: New(Config{Dir: t.TempDir()})}).About().Key
	if builtIn != (KeyState{State: KeyNone}) {
		t.Errorf("no key built in: %+v, want none", builtIn)
	}
}
