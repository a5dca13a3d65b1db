package desktop

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// Environment switches for browser tests, where native dialogs and external programs
// would block or escape the test: set, they make the platform record instead.
const (
	EnvE2ESaveDir = "ECERT_E2E_SAVE_DIR" // save dialogs answer a path in this folder
	EnvE2EOpenLog = "ECERT_E2E_OPEN_LOG" // opened files are appended to this file
	EnvE2EPick    = "ECERT_E2E_PICK"     // file dialogs answer these paths (separated by the OS's list separator)
)

// Platform implements app.Platform with Wails' runtime. Until the window started,
// events are dropped (there is no one to receive them).
type Platform struct {
	mu  sync.Mutex
	ctx context.Context

	startup *startupLog // set by Run before the window starts; nil records nothing
}

// SetContext is called from OnStartup with Wails' context.
func (p *Platform) SetContext(ctx context.Context) {
	p.mu.Lock()
	p.ctx = ctx
	p.mu.Unlock()
}

func (p *Platform) context() context.Context {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ctx
}

// Emit sends an event to the UI.
func (p *Platform) Emit(event string, data any) {
	p.startup.observe(event, data)
	if ctx := p.context(); ctx != nil {
		wruntime.EventsEmit(ctx, event, data)
	}
}

// OpenPath opens a file with the system's default program. Wails' BrowserOpenURL is
// for web addresses, so this starts the OS's opener itself and reports its failure.
func (p *Platform) OpenPath(path string) error {
	if log := os.Getenv(EnvE2EOpenLog); log != "" {
		f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = f.WriteString(path + "\n")
		return err
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", path)
	case "darwin":
		cmd = exec.Command("open", path)
	default:
		cmd = exec.Command("xdg-open", path)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it; the viewer may outlive the opener
	return nil
}

// SaveDialog asks where to save a file.
func (p *Platform) SaveDialog(defaultName string) (string, error) {
	if dir := os.Getenv(EnvE2ESaveDir); dir != "" {
		return filepath.Join(dir, defaultName), nil
	}
	ctx := p.context()
	if ctx == nil {
		return "", errors.New("no window")
	}
	return wruntime.SaveFileDialog(ctx, wruntime.SaveDialogOptions{DefaultFilename: defaultName})
}

// OpenFilesDialog asks for files to attach, several at once.
func (p *Platform) OpenFilesDialog(title string) ([]string, error) {
	if pick := os.Getenv(EnvE2EPick); pick != "" {
		return filepath.SplitList(pick), nil
	}
	ctx := p.context()
	if ctx == nil {
		return nil, errors.New("no window")
	}
	return wruntime.OpenMultipleFilesDialog(ctx, wruntime.OpenDialogOptions{Title: title})
}
