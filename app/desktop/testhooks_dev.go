//go:build dev

package desktop

import (
	"os"
	"path/filepath"
)

// Environment switches of the browser tests (build/scripts/e2e.sh runs the dev build
// with them). Only the dev build reads them: a shipped app never answers its dialogs
// from the environment.
const (
	EnvE2ESaveDir = "ECERT_E2E_SAVE_DIR" // save dialogs answer a path in this folder
	EnvE2EOpenLog = "ECERT_E2E_OPEN_LOG" // opened files are appended to this file
	EnvE2EPick    = "ECERT_E2E_PICK"     // file dialogs answer these paths (separated by the OS's list separator)
)

// testStandIn reads the browser tests' switches; nil when none is set.
func testStandIn() *standIn {
	s := &standIn{saveDir: os.Getenv(EnvE2ESaveDir), openLog: os.Getenv(EnvE2EOpenLog)}
	if pick := os.Getenv(EnvE2EPick); pick != "" {
		s.pick = filepath.SplitList(pick)
	}
	if s.saveDir == "" && s.openLog == "" && s.pick == nil {
		return nil
	}
	return s
}
