package update

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/release"
)

// Mode says what the app may do with a new release.
type Mode string

const (
	// ModeSwap replaces the running binary (Windows; tests on a scratch binary).
	ModeSwap Mode = "swap"
	// ModeNotice only tells the user: the system's package manager owns the binary
	// (a Linux package), or it is a source build.
	ModeNotice Mode = "notice"
)

// DefaultMode is the mode of this platform: swap on Windows, the notice elsewhere.
func DefaultMode() Mode {
	if runtime.GOOS == "windows" {
		return ModeSwap
	}
	return ModeNotice
}

// Platform is this build's platform as the manifest names it: "windows-amd64".
func Platform() string { return runtime.GOOS + "-" + runtime.GOARCH }

// Dir is the updates folder inside a data folder.
func Dir(dataDir string) string { return filepath.Join(dataDir, "updates") }

// Config configures an Updater.
type Config struct {
	// Server returns the ecert-server address (http://host:port); "" when none is known
	// yet (no login), and then a check does nothing.
	Server    func(context.Context) string
	HTTP      *http.Client      // nil: a client with a 30 s header timeout
	PublicKey ed25519.PublicKey // nil: BuiltInKey(); none at all turns updates off
	Current   string            // this build's version (version.Version)
	Platform  string            // "": Platform()
	Dir       string            // downloads and the pending marker: <data folder>/updates
	Exe       string            // the binary a swap replaces: "" is os.Executable()
	Mode      Mode              // "": DefaultMode()
	// Probe starts the new binary and reports whether it runs as version want. nil runs
	// `Exe update --probe`, which must print the version and exit 0 (probe.go).
	Probe func(ctx context.Context, exe, want string) error
}

// Updater checks, downloads and applies releases. Safe for concurrent use: one
// operation runs at a time.
type Updater struct {
	cfg Config
	key KeyState // the key's state, for About
	mu  sync.Mutex
	// manifest is the last verified manifest offering a newer release for this platform.
	manifest *release.Manifest
	// progress, when set, hears the bytes of a download as they come.
	progress func(done, total int64)
}

// New returns an updater; cfg.Dir must be set.
func New(cfg Config) *Updater {
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, ResponseHeaderTimeout: 30 * time.Second}}
	}
	key := stateOf(cfg.PublicKey)
	if cfg.PublicKey == nil {
		cfg.PublicKey = BuiltInKey()
	}
	if cfg.Platform == "" {
		cfg.Platform = Platform()
	}
	if cfg.Mode == "" {
		cfg.Mode = DefaultMode()
	}
	if cfg.Exe == "" {
		if exe, err := os.Executable(); err == nil {
			cfg.Exe, _ = filepath.EvalSymlinks(exe)
		}
	}
	if cfg.Probe == nil {
		cfg.Probe = ProbeProcess
	}
	return &Updater{cfg: cfg, key: key}
}

// Enabled reports whether this build trusts a publisher's key (else it never updates).
func (u *Updater) Enabled() bool { return len(u.cfg.PublicKey) == ed25519.PublicKeySize }

// Mode is what this updater may do with a release.
func (u *Updater) Mode() Mode { return u.cfg.Mode }

// Offer is a release newer than this build, for this platform, verified.
type Offer struct {
	Version string       `json:"version"`
	File    release.File `json:"file"`
}

// Check reads the server's manifest and verifies it. It returns the offer, or an
// *Error: update_current (nothing newer: also when nothing is published),
// update_signature, update_downgrade, update_platform, or the client's codes
// (unreachable, bad_response) when the server cannot tell.
func (u *Updater) Check(ctx context.Context) (Offer, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.manifest = nil
	if !u.Enabled() {
		return Offer{}, fail(api.CodeUpdateSignature, errors.New("this build has no publisher key"))
	}
	server := ""
	if u.cfg.Server != nil {
		server = strings.TrimRight(u.cfg.Server(ctx), "/")
	}
	if server == "" {
		return Offer{}, fail(api.CodeNotLoggedIn, errors.New("no server known yet"))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, server+api.Version+"/release/manifest", nil)
	if err != nil {
		return Offer{}, fail(api.CodeInvalidServer, err)
	}
	res, err := u.cfg.HTTP.Do(req)
	if err != nil {
		return Offer{}, fail(api.CodeUnreachable, err)
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusNotFound:
		return Offer{}, fail(api.CodeUpdateCurrent, errors.New("no release is published"))
	case res.StatusCode != http.StatusOK:
		return Offer{}, fail(api.CodeServerError, fmt.Errorf("manifest: HTTP %d", res.StatusCode))
	}
	raw, err := io.ReadAll(io.LimitReader(res.Body, release.MaxManifestBytes+1))
	if err != nil {
		return Offer{}, fail(api.CodeUnreachable, err)
	}
	// A manifest that does not parse cannot be the publisher's: it is refused as one
	// with a bad signature.
	m, err := release.Parse(raw)
	if err == nil {
		err = release.Verify(m, u.cfg.PublicKey)
	}
	if err != nil {
		return Offer{}, fail(api.CodeUpdateSignature, err)
	}
	switch c := release.Compare(m.Version, u.cfg.Current); {
	case c == 0:
		return Offer{}, fail(api.CodeUpdateCurrent, nil)
	case c < 0:
		return Offer{}, fail(api.CodeUpdateDowngrade, fmt.Errorf("published %s is older than %s", m.Version, u.cfg.Current))
	}
	f, ok := m.For(u.cfg.Platform)
	if !ok {
		return Offer{}, fail(api.CodeUpdatePlatform, fmt.Errorf("release %s has no file for %s", m.Version, u.cfg.Platform))
	}
	u.manifest = &m
	return Offer{Version: m.Version, File: f}, nil
}

// partPath is where the download of f grows; readyPath where it lies once checked.
// Both are named by the hash, so a resume never mixes two releases' bytes.
func (u *Updater) partPath(f release.File) string { return filepath.Join(u.cfg.Dir, f.SHA256+".part") }
func (u *Updater) readyPath(f release.File) string {
	return filepath.Join(u.cfg.Dir, f.SHA256+".ready")
}

// Download fetches the offer of the last Check into the data folder, resuming what an
// earlier attempt left, and checks its size and SHA-256 (update_hash: the bytes are
// not the published ones; they are deleted). It returns the checked file's path. An
// interrupted download keeps its bytes for the next attempt.
func (u *Updater) Download(ctx context.Context) (string, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.manifest == nil {
		return "", fail(api.CodeUpdateCurrent, errors.New("no verified offer: check first"))
	}
	f, _ := u.manifest.For(u.cfg.Platform)
	return u.download(ctx, f)
}

func (u *Updater) download(ctx context.Context, f release.File) (string, error) {
	ready := u.readyPath(f)
	if err := checkFile(ready, f); err == nil {
		return ready, nil
	}
	if err := os.MkdirAll(u.cfg.Dir, 0o700); err != nil {
		return "", fail(api.CodeUpdateFailed, err)
	}
	part := u.partPath(f)
	out, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return "", fail(api.CodeUpdateFailed, err)
	}
	defer out.Close()
	have, err := out.Seek(0, io.SeekEnd)
	if err != nil {
		return "", fail(api.CodeUpdateFailed, err)
	}
	if have > f.Size { // longer than published: start again
		if err := out.Truncate(0); err != nil {
			return "", fail(api.CodeUpdateFailed, err)
		}
		have, _ = out.Seek(0, io.SeekStart)
	}
	if have < f.Size {
		if err := u.fetch(ctx, f, out, have); err != nil {
			return "", err
		}
	}
	if err := out.Sync(); err != nil {
		return "", fail(api.CodeUpdateFailed, err)
	}
	out.Close()
	if err := checkFile(part, f); err != nil {
		os.Remove(part) // not the publisher's bytes: never resumed from
		return "", err
	}
	if err := os.Rename(part, ready); err != nil {
		return "", fail(api.CodeUpdateFailed, err)
	}
	return ready, nil
}

// fetch appends the file's bytes from offset have to out, asking for the rest only
// (Range, If-Range on the hash: a changed file comes whole, from the start).
func (u *Updater) fetch(ctx context.Context, f release.File, out *os.File, have int64) error {
	server := strings.TrimRight(u.cfg.Server(ctx), "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, server+api.Version+"/release/files/"+f.Name, nil)
	if err != nil {
		return fail(api.CodeInvalidServer, err)
	}
	if have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
		req.Header.Set("If-Range", `"`+f.SHA256+`"`)
	}
	res, err := u.cfg.HTTP.Do(req)
	if err != nil {
		return fail(api.CodeUnreachable, err)
	}
	defer res.Body.Close()
	switch res.StatusCode {
	case http.StatusPartialContent:
	case http.StatusOK: // the whole file: what was there is dropped
		if err := out.Truncate(0); err != nil {
			return fail(api.CodeUpdateFailed, err)
		}
		have = 0
	case http.StatusNotFound:
		return fail(api.CodeUpdateCurrent, errors.New("the release is no longer published"))
	default:
		return fail(api.CodeServerError, fmt.Errorf("release file: HTTP %d", res.StatusCode))
	}
	if _, err := out.Seek(have, io.SeekStart); err != nil {
		return fail(api.CodeUpdateFailed, err)
	}
	// At most one byte more than published: enough to tell a longer file.
	body := io.LimitReader(res.Body, f.Size-have+1)
	buf := make([]byte, 64<<10)
	done := have
	for {
		n, rerr := body.Read(buf)
		if n > 0 {
			if _, err := out.Write(buf[:n]); err != nil {
				return fail(api.CodeUpdateFailed, err)
			}
			done += int64(n)
			if u.progress != nil {
				u.progress(done, f.Size)
			}
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			// The bytes so far stay for the next attempt.
			return fail(api.CodeUnreachable, rerr)
		}
	}
}

// checkFile reports whether path holds exactly f's bytes (update_hash if not).
func checkFile(path string, f release.File) error {
	in, err := os.Open(path)
	if err != nil {
		return fail(api.CodeUpdateFailed, err)
	}
	defer in.Close()
	h := sha256.New()
	n, err := io.Copy(h, in)
	if err != nil {
		return fail(api.CodeUpdateFailed, err)
	}
	if n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
		return fail(api.CodeUpdateHash, fmt.Errorf("%s: %d bytes, sha256 %x; published %d bytes, %s", filepath.Base(path), n, h.Sum(nil), f.Size, f.SHA256))
	}
	return nil
}

// pending is the marker of a swap not yet confirmed by the new binary's start.
type pending struct {
	Version  string `json:"version"`
	Exe      string `json:"exe"`
	Attempts int    `json:"attempts"`
}

func (u *Updater) pendingPath() string { return filepath.Join(u.cfg.Dir, "pending.json") }

// MaxStartAttempts is how many unconfirmed starts of a new binary roll it back.
const MaxStartAttempts = 2

// Apply installs the offer of the last Check: download (or resume) it, check its hash
// again, then swap the binary — the current one kept as <exe>.old — and start the new
// one to probe it. If it fails to start twice, the old binary is put back
// (update_failed_start). Under ModeNotice it refuses with update_manual, changing
// nothing. Nothing is replaced before the signature and the hash are checked.
func (u *Updater) Apply(ctx context.Context) (Offer, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.manifest == nil {
		return Offer{}, fail(api.CodeUpdateCurrent, errors.New("no verified offer: check first"))
	}
	m := *u.manifest
	f, _ := m.For(u.cfg.Platform)
	offer := Offer{Version: m.Version, File: f}
	if u.cfg.Mode != ModeSwap {
		return offer, fail(api.CodeUpdateManual, nil)
	}
	if u.cfg.Exe == "" {
		return offer, fail(api.CodeUpdateFailed, errors.New("the running binary is unknown"))
	}
	ready, err := u.download(ctx, f)
	if err != nil {
		return offer, err
	}
	if err := u.swap(ready, f); err != nil {
		return offer, err
	}
	p := pending{Version: m.Version, Exe: u.cfg.Exe}
	for p.Attempts < MaxStartAttempts {
		p.Attempts++
		if err := writePending(u.pendingPath(), p); err != nil {
			u.rollback()
			return offer, fail(api.CodeUpdateFailed, err)
		}
		if err := u.cfg.Probe(ctx, u.cfg.Exe, m.Version); err == nil {
			os.Remove(u.pendingPath())
			os.Remove(ready)
			u.manifest = nil
			return offer, nil
		} else if ctx.Err() != nil {
			u.rollback()
			return offer, fail(api.CodeCancelled, err)
		}
	}
	u.rollback()
	os.Remove(ready) // a release that does not start is not offered again from disk
	return offer, fail(api.CodeUpdateFailedStart, fmt.Errorf("%s did not start %d times", m.Version, MaxStartAttempts))
}

// swap puts the checked file in place of the binary: copied beside it first (same
// folder, so the renames are atomic), then the binary renamed to .old (Windows allows
// renaming a running exe, not overwriting it) and the new one renamed in.
func (u *Updater) swap(ready string, f release.File) error {
	exe := u.cfg.Exe
	next := exe + ".new"
	if err := copyFile(ready, next); err != nil {
		os.Remove(next)
		return fail(api.CodeUpdateFailed, err)
	}
	// The copy is checked too: what runs is what was signed.
	if err := checkFile(next, f); err != nil {
		os.Remove(next)
		return err
	}
	os.Remove(exe + ".old")
	if err := os.Rename(exe, exe+".old"); err != nil {
		os.Remove(next)
		return fail(api.CodeUpdateFailed, err)
	}
	if err := os.Rename(next, exe); err != nil {
		os.Rename(exe+".old", exe)
		return fail(api.CodeUpdateFailed, err)
	}
	return nil
}

// rollback puts <exe>.old back in place of a new binary that did not start.
func (u *Updater) rollback() {
	exe := u.cfg.Exe
	os.Remove(exe + ".failed")
	os.Rename(exe, exe+".failed")
	if err := os.Rename(exe+".old", exe); err == nil {
		os.Remove(exe + ".failed")
	}
	os.Remove(u.pendingPath())
}

func writePending(path string, p pending) error {
	b, _ := json.Marshal(p)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Confirm is called by a binary that started: a swap to this version that waits for
// confirmation (the applying process ended before its probe answered) is confirmed.
// The .old binary stays until the next update, to roll back by hand.
func Confirm(dir, current string) {
	path := filepath.Join(dir, "pending.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	var p pending
	if json.Unmarshal(b, &p) != nil || p.Version == current {
		os.Remove(path)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ProbeProcess runs `exe update --probe` and expects it to print want and exit 0
// within a minute.
func ProbeProcess(ctx context.Context, exe, want string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, exe, "update", "--probe").Output()
	if err != nil {
		return err
	}
	if got := strings.TrimSpace(string(out)); got != want {
		return fmt.Errorf("the new binary says it is %q, not %q", got, want)
	}
	return nil
}
