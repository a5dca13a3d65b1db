package release_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/release"
	"github.com/ecert-desktop/ecert-desktop/sync/release/releasetest"
)

func sample() release.Manifest {
	return release.Manifest{Version: "1.4.0", Files: []release.File{
		{Platform: "windows-amd64", Name: "ecert-desktop-1.4.0.exe", Size: 10, SHA256: strings.Repeat("ab", 32)},
		{Platform: "linux-amd64", Name: "ecert-desktop_1.4.0_amd64.deb", Size: 20, SHA256: strings.Repeat("cd", 32)},
	}}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	m, err := release.Sign(sample(), releasetest.TestOnlyPrivateKey())
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := release.Parse(release.Encode(m))
	if err != nil {
		t.Fatalf("parse the encoded manifest: %v", err)
	}
	if err := release.Verify(parsed, releasetest.TestOnlyPublicKey()); err != nil {
		t.Fatalf("verify: got %v, want nil", err)
	}
	// The files' order does not matter to the signature (canonical: sorted by platform).
	parsed.Files[0], parsed.Files[1] = parsed.Files[1], parsed.Files[0]
	if err := release.Verify(parsed, releasetest.TestOnlyPublicKey()); err != nil {
		t.Errorf("verify with the files reordered: got %v, want nil", err)
	}
}

func TestVerifyRefusesChanges(t *testing.T) {
	good, _ := release.Sign(sample(), releasetest.TestOnlyPrivateKey())
	cases := []struct {
		name   string
		change func(m *release.Manifest)
	}{
		{"another version", func(m *release.Manifest) { m.Version = "9.9.9" }},
		{"another hash", func(m *release.Manifest) { m.Files[0].SHA256 = strings.Repeat("00", 32) }},
		{"another size", func(m *release.Manifest) { m.Files[0].Size++ }},
		{"another name", func(m *release.Manifest) { m.Files[0].Name = "evil.exe" }},
		{"another platform", func(m *release.Manifest) { m.Files[0].Platform = "windows-arm64" }},
		{"a file dropped", func(m *release.Manifest) { m.Files = m.Files[:1] }},
		{"signed by another key", func(m *release.Manifest) {
			o, _ := release.Sign(*m, releasetest.OtherPrivateKey())
			m.Signature = o.Signature
		}},
		{"no signature", func(m *release.Manifest) { m.Signature = "" }},
		{"a signature that is not base64", func(m *release.Manifest) { m.Signature = "***" }},
	}
	for _, c := range cases {
		m := good
		m.Files = append([]release.File(nil), good.Files...)
		c.change(&m)
		if err := release.Verify(m, releasetest.TestOnlyPublicKey()); !errors.Is(err, release.ErrSignature) {
			t.Errorf("%s: got %v, want ErrSignature", c.name, err)
		}
	}
}

func TestValidateRefusesBadFields(t *testing.T) {
	cases := []struct {
		name   string
		change func(m *release.Manifest)
	}{
		{"version dev", func(m *release.Manifest) { m.Version = "dev" }},
		{"version with a newline", func(m *release.Manifest) { m.Version = "1.0.0\nfile x" }},
		{"no files", func(m *release.Manifest) { m.Files = nil }},
		{"a platform twice", func(m *release.Manifest) { m.Files[1].Platform = m.Files[0].Platform }},
		{"a name with a slash", func(m *release.Manifest) { m.Files[0].Name = "../x.exe" }},
		{"a name with a backslash", func(m *release.Manifest) { m.Files[0].Name = `..\x.exe` }},
		{"a dot file", func(m *release.Manifest) { m.Files[0].Name = ".hidden" }},
		{"a name with a space", func(m *release.Manifest) { m.Files[0].Name = "a b.exe" }},
		{"size zero", func(m *release.Manifest) { m.Files[0].Size = 0 }},
		{"upper-case hash", func(m *release.Manifest) { m.Files[0].SHA256 = strings.Repeat("AB", 32) }},
		{"short hash", func(m *release.Manifest) { m.Files[0].SHA256 = "abcd" }},
		{"long hash", func(m *release.Manifest) { m.Files[0].SHA256 = strings.Repeat("ab", 32) + "0" }},
		{"a name of 201 bytes", func(m *release.Manifest) { m.Files[0].Name = strings.Repeat("a", 197) + ".exe" }},
	}
	for _, c := range cases {
		m := sample()
		c.change(&m)
		if err := m.Validate(); err == nil {
			t.Errorf("%s: Validate accepted it", c.name)
		}
		if _, err := release.Sign(m, releasetest.TestOnlyPrivateKey()); err == nil {
			t.Errorf("%s: Sign accepted it", c.name)
		}
	}
	if _, err := release.Parse([]byte(`{"version":"1.0.0","files":[],"extra":1}`)); err == nil {
		t.Error("Parse accepted an unknown field")
	}
}

func TestCompare(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1.2.3", "1.2.3", 0},
		{"1.2.3", "1.2.4", -1},
		{"1.10.0", "1.9.9", 1},
		{"2.0.0", "10.0.0", -1},
		{"1.0.0-rc.1", "1.0.0", -1},
		{"1.0.0-rc.2", "1.0.0-rc.1", 1},
		{"v1.2.3", "1.2.3", 0},
		// A source build sorts before any release.
		{"dev", "0.0.1", -1},
		{"0.0.1", "dev", 1},
	}
	for _, c := range cases {
		if got := release.Compare(c.a, c.b); got != c.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestKeysRoundTrip(t *testing.T) {
	priv := releasetest.TestOnlyPrivateKey()
	back, err := release.ParsePrivateKey(release.EncodeKey(priv))
	if err != nil || !back.Equal(priv) {
		t.Fatalf("private key round trip: %v", err)
	}
	pub, err := release.ParsePublicKey(releasetest.TestOnlyPublicKeyBase64())
	if err != nil || !pub.Equal(releasetest.TestOnlyPublicKey()) {
		t.Fatalf("public key round trip: %v", err)
	}
	if _, err := release.ParsePublicKey("c2hvcnQ="); err == nil {
		t.Error("a 5-byte public key was accepted")
	}
	// The constant the app refuses outside test builds is the test-only key's public half.
	if release.TestOnlyPublicKey != releasetest.TestOnlyPublicKeyBase64() {
		t.Errorf("release.TestOnlyPublicKey is %s, the test-only key's is %s", release.TestOnlyPublicKey, releasetest.TestOnlyPublicKeyBase64())
	}
}

// TestNameOfMaxLength: a file name of 200 bytes, the most, is accepted.
func TestNameOfMaxLength(t *testing.T) {
	m := sample()
	m.Files[0].Name = strings.Repeat("a", 196) + ".exe"
	if err := m.Validate(); err != nil {
		t.Error(err)
	}
}
