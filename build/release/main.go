// Command release makes the publisher's signing key and signs release manifests
// (package sync/release). Maintainers only; see build/packaging/README.md.
//
//	go run ./build/release keygen -key FILE [-pub FILE]
//	go run ./build/release sign -key FILE -version 1.2.3 -dir RELEASE_DIR platform=PATH…
//
// For tests only (the browser tests publish a release signed with the key everyone
// knows, and build a dev app that trusts it): `sign -test-only-key …` and
// `test-only-pubkey`.
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/release"
	"github.com/ecert-desktop/ecert-desktop/sync/release/releasetest"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  release keygen -key FILE [-pub FILE]   new signing key (FILE, mode 0600, must not exist);
                                         prints the public key (and writes it to -pub)
  release sign -key FILE -version X.Y.Z -dir DIR platform=PATH...
                                         copies each PATH into DIR (unless it is there) and
                                         writes DIR/manifest.json, signed
  release test-only-pubkey               the TEST-ONLY public key (releasetest), for dev builds
  (sign -test-only-key instead of -key signs with the TEST-ONLY key, for tests)`

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "keygen":
		return keygen(args[1:], stdout)
	case "sign":
		return sign(args[1:], stdout)
	case "test-only-pubkey":
		fmt.Fprintln(stdout, releasetest.TestOnlyPublicKeyBase64())
		return nil
	}
	return errors.New(usage)
}

func keygen(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	keyPath := fs.String("key", "", "private key file to create")
	pubPath := fs.String("pub", "", "also write the public key here (what make package PUBLISHER_PUB= reads)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *keyPath == "" {
		return errors.New("keygen: -key FILE is required")
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	// O_EXCL: never overwrite a key that signed releases already out there.
	f, err := os.OpenFile(*keyPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	if _, err := fmt.Fprintln(f, release.EncodeKey(priv)); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if *pubPath != "" {
		if err := os.WriteFile(*pubPath, []byte(release.EncodeKey(pub)+"\n"), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, release.EncodeKey(pub))
	return nil
}

func sign(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	keyPath := fs.String("key", "", "private key file (from keygen)")
	version := fs.String("version", "", "release version X.Y.Z")
	dir := fs.String("dir", "", "release folder (ecert-server --release-dir)")
	testOnly := fs.Bool("test-only-key", false, "sign with the TEST-ONLY key everyone knows (tests only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*keyPath == "") == !*testOnly || *version == "" || *dir == "" || fs.NArg() == 0 {
		return errors.New("sign: -key (or -test-only-key), -version, -dir and at least one platform=PATH are required")
	}
	key := releasetest.TestOnlyPrivateKey()
	if !*testOnly {
		raw, err := os.ReadFile(*keyPath)
		if err != nil {
			return fmt.Errorf("sign: %w", err)
		}
		if key, err = release.ParsePrivateKey(string(raw)); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	m := release.Manifest{Version: *version}
	for _, a := range fs.Args() {
		platform, path, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("sign: %q is not platform=PATH", a)
		}
		f, err := publish(path, *dir)
		if err != nil {
			return fmt.Errorf("sign: %s: %w", path, err)
		}
		f.Platform = platform
		m.Files = append(m.Files, f)
	}
	signed, err := release.Sign(m, key)
	if err != nil {
		return err
	}
	// Written beside, then renamed: a server never serves half a manifest.
	tmp := filepath.Join(*dir, release.ManifestFile+".tmp")
	if err := os.WriteFile(tmp, release.Encode(signed), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(*dir, release.ManifestFile)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "signed %s: %d file(s) in %s\n", signed.Version, len(signed.Files), *dir)
	return nil
}

// publish copies path into dir (unless it is that file already) and describes it.
func publish(path, dir string) (release.File, error) {
	name := filepath.Base(path)
	dst := filepath.Join(dir, name)
	src, err := os.Open(path)
	if err != nil {
		return release.File{}, err
	}
	defer src.Close()
	h := sha256.New()
	var w io.Writer = h
	same := false
	if a, err := filepath.Abs(path); err == nil {
		if b, err := filepath.Abs(dst); err == nil && a == b {
			same = true
		}
	}
	var out *os.File
	if !same {
		out, err = os.Create(dst)
		if err != nil {
			return release.File{}, err
		}
		defer out.Close()
		w = io.MultiWriter(h, out)
	}
	n, err := io.Copy(w, src)
	if err != nil {
		return release.File{}, err
	}
	if out != nil {
		if err := out.Close(); err != nil {
			return release.File{}, err
		}
	}
	return release.File{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}
