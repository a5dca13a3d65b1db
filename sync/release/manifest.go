package release

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ManifestFile is the manifest's name in a release folder (ecert-server --release-dir).
const ManifestFile = "manifest.json"

// MaxManifestBytes bounds a manifest read from the wire or the disk.
const MaxManifestBytes = 64 << 10

// Manifest is one published release. Signature covers Canonical(), so any change to a
// field (a file's hash, the version) breaks it.
type Manifest struct {
	Version string `json:"version"`
	// Files has one entry per platform, at most one per platform.
	Files []File `json:"files"`
	// Signature is the ed25519 signature of Canonical(), base64 (standard encoding).
	Signature string `json:"signature"`
}

// File is the download of one platform ("windows-amd64": GOOS-GOARCH).
type File struct {
	Platform string `json:"platform"`
	Name     string `json:"name"` // a plain file name, served at /release/files/{name}
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"` // lowercase hex
}

var (
	versionRe  = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$`)
	platformRe = regexp.MustCompile(`^[a-z0-9]+-[a-z0-9]+$`)
	// nameRe (and at most maxName bytes) is what a release file may be called: no
	// separators, no dot files, so a name is always one file directly in the release
	// folder. Lengths are checked apart: a counted repeat ({0,199}) compiles to a
	// program that many times as long, which every start of every command paid for
	// (3 ms of an idle sync's 40).
	nameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]*$`)
	hashRe = regexp.MustCompile(`^[0-9a-f]+$`)
)

const maxName = 200

// ErrSignature means the manifest is not signed by the key it was checked against.
var ErrSignature = errors.New("release manifest: bad signature")

// Validate checks every field's shape (not the signature).
func (m Manifest) Validate() error {
	if !versionRe.MatchString(m.Version) {
		return fmt.Errorf("release manifest: version %q is not MAJOR.MINOR.PATCH[-pre]", m.Version)
	}
	if len(m.Files) == 0 {
		return errors.New("release manifest: no files")
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		switch {
		case !platformRe.MatchString(f.Platform):
			return fmt.Errorf("release manifest: platform %q is not os-arch", f.Platform)
		case seen[f.Platform]:
			return fmt.Errorf("release manifest: platform %s twice", f.Platform)
		case len(f.Name) > maxName || !nameRe.MatchString(f.Name) || strings.Contains(f.Name, ".."):
			return fmt.Errorf("release manifest: file name %q is not a plain file name", f.Name)
		case f.Size <= 0:
			return fmt.Errorf("release manifest: %s has size %d", f.Name, f.Size)
		case len(f.SHA256) != 64 || !hashRe.MatchString(f.SHA256):
			return fmt.Errorf("release manifest: %s: sha256 is not 64 lowercase hex digits", f.Name)
		}
		seen[f.Platform] = true
	}
	return nil
}

// Canonical is the signed encoding: a header line, the version, then one line per file
// sorted by platform, fields separated by spaces. Validate guarantees that no field
// holds a space or a newline, so the encoding is unambiguous.
func (m Manifest) Canonical() []byte {
	files := slices.Clone(m.Files)
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Platform, b.Platform) })
	var b bytes.Buffer
	b.WriteString("ecert-desktop release manifest v1\n")
	b.WriteString("version " + m.Version + "\n")
	for _, f := range files {
		fmt.Fprintf(&b, "file %s %s %d %s\n", f.Platform, f.Name, f.Size, f.SHA256)
	}
	return b.Bytes()
}

// Sign validates m and returns it with its signature by key.
func Sign(m Manifest, key ed25519.PrivateKey) (Manifest, error) {
	if err := m.Validate(); err != nil {
		return Manifest{}, err
	}
	m.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, m.Canonical()))
	return m, nil
}

// Verify checks m's fields and its signature by pub; ErrSignature when the signature
// does not match.
func Verify(m Manifest, pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize {
		return errors.New("release manifest: no valid public key")
	}
	if err := m.Validate(); err != nil {
		return err
	}
	sig, err := base64.StdEncoding.DecodeString(m.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize || !ed25519.Verify(pub, m.Canonical(), sig) {
		return ErrSignature
	}
	return nil
}

// Parse decodes a manifest and validates its fields (not its signature).
func Parse(b []byte) (Manifest, error) {
	if len(b) > MaxManifestBytes {
		return Manifest{}, errors.New("release manifest: too large")
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("release manifest: %w", err)
	}
	return m, m.Validate()
}

// Encode is the manifest as published: indented JSON.
func Encode(m Manifest) []byte {
	b, _ := json.MarshalIndent(m, "", "  ")
	return append(b, '\n')
}

// For returns the file of platform, if the manifest has one.
func (m Manifest) For(platform string) (File, bool) {
	for _, f := range m.Files {
		if f.Platform == platform {
			return f, true
		}
	}
	return File{}, false
}

// Named returns the file called name, if the manifest lists one.
func (m Manifest) Named(name string) (File, bool) {
	for _, f := range m.Files {
		if f.Name == name {
			return f, true
		}
	}
	return File{}, false
}

// Keys travel as base64 text (standard encoding): the public key is built into the app,
// the private key (the ed25519 seed and public half, 64 bytes) stays with the publisher.

// ParsePublicKey decodes a base64 public key.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("release: the public key is not 32 bytes of base64")
	}
	return ed25519.PublicKey(b), nil
}

// ParsePrivateKey decodes a base64 private key.
func ParsePrivateKey(s string) (ed25519.PrivateKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PrivateKeySize {
		return nil, errors.New("release: the private key is not 64 bytes of base64")
	}
	return ed25519.PrivateKey(b), nil
}

// EncodeKey is the base64 text of a key.
func EncodeKey(k []byte) string { return base64.StdEncoding.EncodeToString(k) }

// Compare orders two versions MAJOR.MINOR.PATCH[-pre]: -1, 0 or +1. A pre-release sorts
// before its release; pre-release tags compare as text. A version that does not parse
// ("dev", a source build) sorts before every release.
func Compare(a, b string) int {
	pa, oka := parseVersion(a)
	pb, okb := parseVersion(b)
	switch {
	case !oka && !okb:
		return strings.Compare(a, b)
	case !oka:
		return -1
	case !okb:
		return 1
	}
	for i := range 3 {
		if c := cmpInt(pa.n[i], pb.n[i]); c != 0 {
			return c
		}
	}
	switch {
	case pa.pre == pb.pre:
		return 0
	case pa.pre == "":
		return 1
	case pb.pre == "":
		return -1
	}
	return strings.Compare(pa.pre, pb.pre)
}

type version struct {
	n   [3]uint64
	pre string
}

func parseVersion(s string) (version, bool) {
	s = strings.TrimPrefix(s, "v")
	if !versionRe.MatchString(s) {
		return version{}, false
	}
	core, pre, _ := strings.Cut(s, "-")
	var v version
	v.pre = pre
	for i, p := range strings.SplitN(core, ".", 3) {
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return version{}, false
		}
		v.n[i] = n
	}
	return v, true
}

func cmpInt(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// HashHex is the lowercase hex form used in File.SHA256.
func HashHex(sum []byte) string { return hex.EncodeToString(sum) }
