package datadir

import (
	"os"
	"path/filepath"
	"runtime"
)

// Env overrides the data directory (the --data-dir flag overrides it in turn).
const Env = "ECERT_DATA_DIR"

// Default is where the replica lives unless told otherwise: the OS's per-user
// application data directory.
func Default() (string, error) {
	if d := os.Getenv(Env); d != "" {
		return d, nil
	}
	var base string
	switch runtime.GOOS {
	case "windows":
		base = os.Getenv("LocalAppData")
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		base = filepath.Join(home, "Library", "Application Support")
	default:
		base = os.Getenv("XDG_DATA_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			base = filepath.Join(home, ".local", "share")
		}
	}
	return filepath.Join(base, "ecert-desktop"), nil
}
