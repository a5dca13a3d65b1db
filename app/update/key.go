package update

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/release"
)

// PublicKey is the publisher's public key (base64), stamped at link time by the release
// build from the file the maintainer names (`make package PUBLISHER_PUB=FILE`):
//
//	-ldflags "-X github.com/ecert-desktop/ecert-desktop/app/update.PublicKey=BASE64"
//
// The key is not in the source: whoever publishes releases builds them with their own,
// and a build without one never updates itself (and says so).
var PublicKey = ""

// testKeyAllowed is set by testkey.go (build tag ecert_testkey), for tests only: a build
// without that tag refuses the TEST-ONLY key everyone knows, even when stamped with it.
var testKeyAllowed = false

// Key states, as KeyInfo reports them.
const (
	KeyPublisher   = "publisher"    // a publisher's key: updates are on
	KeyNone        = "none"         // no key: updates are off
	KeyInvalid     = "invalid"      // the stamped text is not a key: updates are off
	KeyTestOnly    = "test-only"    // the TEST-ONLY key, in a test build: updates are on
	KeyTestRefused = "test-refused" // the TEST-ONLY key in a build without the tag: off
)

// KeyInfo says which key this build verifies releases with: the key (nil when updates are
// off), its state and its fingerprint (the first 16 hex digits of its SHA-256).
func KeyInfo() (ed25519.PublicKey, string, string) {
	return keyInfo(PublicKey, testKeyAllowed)
}

func keyInfo(stamped string, allowTest bool) (ed25519.PublicKey, string, string) {
	if strings.TrimSpace(stamped) == "" {
		return nil, KeyNone, ""
	}
	k, err := release.ParsePublicKey(stamped)
	if err != nil {
		return nil, KeyInvalid, ""
	}
	sum := sha256.Sum256(k)
	fp := hex.EncodeToString(sum[:8])
	if release.EncodeKey(k) == release.TestOnlyPublicKey {
		if !allowTest {
			return nil, KeyTestRefused, fp
		}
		return k, KeyTestOnly, fp
	}
	return k, KeyPublisher, fp
}

// KeyState is the key updates are verified with, as the About dialog shows it.
type KeyState struct {
	// State is one of the Key… states: KeyPublisher and KeyTestOnly mean updates are on.
	State string `json:"state"`
	// Fingerprint is the key's (the first 16 hex digits of its SHA-256), "" without one.
	Fingerprint string `json:"fingerprint"`
}

// stateOf is the state of the key an updater was given: the built-in one's (which says
// why there is none), else that key's.
func stateOf(k ed25519.PublicKey) KeyState {
	if k == nil {
		_, state, fp := KeyInfo()
		return KeyState{State: state, Fingerprint: fp}
	}
	_, state, fp := keyInfo(release.EncodeKey(k), true)
	return KeyState{State: state, Fingerprint: fp}
}

// BuiltInKey is the key releases are verified with; nil when the build has none.
func BuiltInKey() ed25519.PublicKey {
	k, _, _ := KeyInfo()
	return k
}

// Describe is what `ecert-desktop version` says of updates, in plain words.
func Describe() string {
	_, state, fp := KeyInfo()
	switch state {
	case KeyPublisher:
		return "updates signed by the publisher's key " + fp
	case KeyTestOnly:
		return "updates signed by the TEST-ONLY key " + fp + " (a test build: never ship it)"
	case KeyTestRefused:
		return "updates off: this build was given the TEST-ONLY key, which only a test build accepts"
	case KeyInvalid:
		return "updates off: the publisher key built in is not a valid key"
	}
	return "updates off: this build has no publisher key"
}
