package vault

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/zalando/go-keyring"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Where the tokens are kept (the UI shows it).
const (
	Keyring = "keyring"
	File    = "file"
)

// Meta is the replica's meta key that says which vault holds the saved session's tokens.
const Meta = "session.vault"

const (
	keyringService = "ecert-desktop"
	tokenFile      = "session.token"
)

// Tokens are the secret part of a session.
type Tokens struct {
	Access  string `json:"access"`
	Refresh string `json:"refresh"`
}

// Of returns the tokens of s.
func Of(s api.Session) Tokens {
	return Tokens{Access: s.AccessToken, Refresh: s.RefreshToken}
}

// ErrUnreachable means the vault that holds the tokens cannot be reached here (a
// keyring outside the user's desktop session): the user must log in again.
var ErrUnreachable = errors.New("the login's vault cannot be reached")

// Vault keeps the tokens of the replica in dir. It holds no state of its own.
type Vault struct {
	dir     string
	keyring bool // the OS keyring may be used (tests must not touch the user's)
	log     *slog.Logger
}

// New returns the vault of the replica in dir.
func New(dir string, keyring bool, log *slog.Logger) *Vault {
	return &Vault{dir: dir, keyring: keyring, log: log}
}

// vaultAccount names the data directory in the keyring: one login per replica.
func vaultAccount(dataDir string) string {
	sum := sha256.Sum256([]byte(dataDir))
	return "replica-" + hex.EncodeToString(sum[:8])
}

// Choose says where new tokens go: the keyring when allowed and it answers.
func (v *Vault) Choose() string {
	if !v.keyring {
		return File
	}
	probe := vaultAccount(v.dir) + ".probe"
	if err := keyring.Set(keyringService, probe, "ok"); err != nil {
		v.log.Info("no keyring: the login is kept in a private file", "error", err)
		return File
	}
	keyring.Delete(keyringService, probe)
	return Keyring
}

// Put keeps t in the vault kind (Keyring or File).
func (v *Vault) Put(kind string, t Tokens) error {
	raw, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if kind == Keyring {
		return keyring.Set(keyringService, vaultAccount(v.dir), string(raw))
	}
	return writePrivate(filepath.Join(v.dir, tokenFile), raw)
}

// Get reads the tokens kept in the vault kind; ErrUnreachable when it cannot.
func (v *Vault) Get(kind string) (Tokens, error) {
	var raw []byte
	switch kind {
	case Keyring:
		v, err := keyring.Get(keyringService, vaultAccount(v.dir))
		if err != nil {
			return Tokens{}, fmt.Errorf("%w: %v", ErrUnreachable, err)
		}
		raw = []byte(v)
	default:
		var err error
		if raw, err = os.ReadFile(filepath.Join(v.dir, tokenFile)); err != nil {
			return Tokens{}, fmt.Errorf("%w: %v", ErrUnreachable, err)
		}
	}
	var t Tokens
	err := json.Unmarshal(raw, &t)
	return t, err
}

// Secrets other than the login's (the proxy's password) are kept beside the tokens, in
// the same kind of vault, under their own name.

// PutSecret keeps value under name in the vault kind (Keyring or File).
func (v *Vault) PutSecret(kind, name, value string) error {
	if kind == Keyring {
		return keyring.Set(keyringService, vaultAccount(v.dir)+"."+name, value)
	}
	return writePrivate(filepath.Join(v.dir, name+".secret"), []byte(value))
}

// GetSecret reads the secret name from the vault kind; ErrUnreachable when it cannot.
func (v *Vault) GetSecret(kind, name string) (string, error) {
	if kind == Keyring {
		s, err := keyring.Get(keyringService, vaultAccount(v.dir)+"."+name)
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrUnreachable, err)
		}
		return s, nil
	}
	raw, err := os.ReadFile(filepath.Join(v.dir, name+".secret"))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	return string(raw), nil
}

// DropSecret forgets the secret name, in both vaults.
func (v *Vault) DropSecret(name string) {
	if v.keyring {
		keyring.Delete(keyringService, vaultAccount(v.dir)+"."+name)
	}
	os.Remove(filepath.Join(v.dir, name+".secret"))
}

// Drop forgets the tokens, in both vaults.
func (v *Vault) Drop() {
	if v.keyring {
		keyring.Delete(keyringService, vaultAccount(v.dir))
	}
	os.Remove(filepath.Join(v.dir, tokenFile))
}

// writePrivate writes a file only the user can read: temp file, sync, rename.
func writePrivate(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".token-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
