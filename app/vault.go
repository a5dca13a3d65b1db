package app

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/zalando/go-keyring"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The login's tokens never go into the replica: they live in the OS keyring where there
// is one (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows),
// else in a file of the data directory that only the user can read. The UI says which.

// Where the tokens are kept (SessionState.TokenStore).
const (
	VaultKeyring = "keyring"
	VaultFile    = "file"
)

const (
	keyringService = "ecert-desktop"
	metaVault      = "session.vault" // which vault holds the tokens of the saved session
	tokenFile      = "session.token"
)

// tokens are the secret part of a session.
type tokens struct {
	Access  string `json:"access"`
	Refresh string `json:"refresh"`
}

func (t tokens) of(s api.Session) tokens {
	return tokens{Access: s.AccessToken, Refresh: s.RefreshToken}
}

// errVaultUnreachable means the vault that holds the tokens cannot be reached here (a
// keyring outside the user's desktop session): the user must log in again.
var errVaultUnreachable = errors.New("the login's vault cannot be reached")

// vaultAccount names the data directory in the keyring: one login per replica.
func vaultAccount(dataDir string) string {
	sum := sha256.Sum256([]byte(dataDir))
	return "replica-" + hex.EncodeToString(sum[:8])
}

// chooseVault says where new tokens go: the keyring when allowed and it answers.
func (s *Session) chooseVault() string {
	if !s.keyring {
		return VaultFile
	}
	probe := vaultAccount(s.store.Dir()) + ".probe"
	if err := keyring.Set(keyringService, probe, "ok"); err != nil {
		s.log.Info("no keyring: the login is kept in a private file", "error", err)
		return VaultFile
	}
	keyring.Delete(keyringService, probe)
	return VaultKeyring
}

func (s *Session) putTokens(kind string, t tokens) error {
	raw, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if kind == VaultKeyring {
		return keyring.Set(keyringService, vaultAccount(s.store.Dir()), string(raw))
	}
	return writePrivate(filepath.Join(s.store.Dir(), tokenFile), raw)
}

func (s *Session) getTokens(kind string) (tokens, error) {
	var raw []byte
	switch kind {
	case VaultKeyring:
		v, err := keyring.Get(keyringService, vaultAccount(s.store.Dir()))
		if err != nil {
			return tokens{}, fmt.Errorf("%w: %v", errVaultUnreachable, err)
		}
		raw = []byte(v)
	default:
		var err error
		if raw, err = os.ReadFile(filepath.Join(s.store.Dir(), tokenFile)); err != nil {
			return tokens{}, fmt.Errorf("%w: %v", errVaultUnreachable, err)
		}
	}
	var t tokens
	err := json.Unmarshal(raw, &t)
	return t, err
}

func (s *Session) dropTokens() {
	if s.keyring {
		keyring.Delete(keyringService, vaultAccount(s.store.Dir()))
	}
	os.Remove(filepath.Join(s.store.Dir(), tokenFile))
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
