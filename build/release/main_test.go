package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/release"
)

// keygen then sign: the manifest verifies with the printed public key, names the copied
// files with their sizes and hashes, and keygen never overwrites a key.
func TestKeygenSign(t *testing.T) {
	dir := t.TempDir()
	key, pubFile := filepath.Join(dir, "release.key"), filepath.Join(dir, "publisher.pub")
	var out bytes.Buffer
	if err := run([]string{"keygen", "-key", key, "-pub", pubFile}, &out); err != nil {
		t.Fatal(err)
	}
	pub, err := release.ParsePublicKey(out.String())
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(key); st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(pubFile); strings.TrimSpace(string(b)) != strings.TrimSpace(out.String()) {
		t.Errorf("publisher.pub %q differs from the printed key %q", b, out.String())
	}
	if err := run([]string{"keygen", "-key", key}, &out); err == nil {
		t.Error("keygen overwrote an existing key")
	}

	exe := filepath.Join(dir, "ecert-desktop.exe")
	os.WriteFile(exe, []byte("new windows build"), 0o644)
	rel := filepath.Join(dir, "rel")
	if err := run([]string{"sign", "-key", key, "-version", "1.3.0", "-dir", rel, "windows-amd64=" + exe}, &out); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(rel, release.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	m, err := release.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := release.Verify(m, pub); err != nil {
		t.Fatalf("verify the signed manifest: %v", err)
	}
	f, ok := m.For("windows-amd64")
	if !ok || f.Name != "ecert-desktop.exe" || f.Size != int64(len("new windows build")) {
		t.Errorf("windows entry: got %+v", f)
	}
	if b, _ := os.ReadFile(filepath.Join(rel, f.Name)); string(b) != "new windows build" {
		t.Errorf("copied file holds %q", b)
	}
	if err := run([]string{"sign", "-key", key, "-version", "dev", "-dir", rel, "windows-amd64=" + exe}, &out); err == nil {
		t.Error("sign accepted version dev")
	}
}
