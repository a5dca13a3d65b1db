// Package releasetest holds a TEST-ONLY release signing key and helpers that publish a
// signed release into a folder. The key is public in this repository: it must never be
// built into a released app (only tests and dev builds use it, through ldflags or the
// updater's configuration).
package releasetest

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/release"
)

// TestOnlySeed is the seed of the test-only key pair: 32 fixed bytes, known to anyone.
var TestOnlySeed = []byte("ecert-desktop TEST ONLY key seed")

// TestOnlyPrivateKey is the test-only signing key. NEVER use it for a real release.
func TestOnlyPrivateKey() ed25519.PrivateKey { return ed25519.NewKeyFromSeed(TestOnlySeed) }

// TestOnlyPublicKey is its public half.
func TestOnlyPublicKey() ed25519.PublicKey {
	return TestOnlyPrivateKey().Public().(ed25519.PublicKey)
}

// TestOnlyPublicKeyBase64 is the public half as the app's ldflags take it.
func TestOnlyPublicKeyBase64() string { return release.EncodeKey(TestOnlyPublicKey()) }

// OtherPrivateKey is a second test-only key: a manifest signed with it has a wrong
// signature for TestOnlyPublicKey.
func OtherPrivateKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed([]byte("ecert-desktop OTHER test-only ky"))
}

// Entry is one file to publish: its platform, name and content.
type Entry struct {
	Platform, Name string
	Data           []byte
}

// FileOf describes data as a manifest entry.
func FileOf(e Entry) release.File {
	sum := sha256.Sum256(e.Data)
	return release.File{Platform: e.Platform, Name: e.Name, Size: int64(len(e.Data)), SHA256: hex.EncodeToString(sum[:])}
}

// Publish writes the entries' files and a manifest of version signed with key into dir,
// and returns the manifest.
func Publish(t testing.TB, dir, version string, key ed25519.PrivateKey, entries ...Entry) release.Manifest {
	t.Helper()
	m := release.Manifest{Version: version}
	for _, e := range entries {
		if err := os.WriteFile(filepath.Join(dir, e.Name), e.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		m.Files = append(m.Files, FileOf(e))
	}
	signed, err := release.Sign(m, key)
	if err != nil {
		t.Fatal(err)
	}
	WriteManifest(t, dir, signed)
	return signed
}

// WriteManifest writes m, as it is, as dir's manifest (tests tamper with it first).
func WriteManifest(t testing.TB, dir string, m release.Manifest) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, release.ManifestFile), release.Encode(m), 0o644); err != nil {
		t.Fatal(err)
	}
}
