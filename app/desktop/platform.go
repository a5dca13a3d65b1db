package desktop

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Platform implements app.Platform with Wails' runtime. Until the window started,
// events are dropped (there is no one to receive them).
type Platform struct {
	mu  sync.Mutex
	ctx context.Context
	// quitAsked: Quit came before the window started; SetContext quits then.
	quitAsked bool

	startup *startupLog // set by Run before the window starts; nil records nothing
	release *releaser   // set by Run: gives memory back after syncs; nil does nothing

	// AfterStart, when set, is called once the app has started (its replica open), from
	// the window's start-up: background work that reads the replica starts there.
	AfterStart func()

	// stand, when not nil, answers for the OS in browser tests (see testhooks_dev.go);
	// only the dev build sets it.
	stand *standIn
}

// standIn stands in for native dialogs and external programs, which would block or
// escape a browser test. An empty field leaves that part to the OS.
type standIn struct {
	saveDir string   // save dialogs answer a path in this folder
	openLog string   // opened files are appended to this file
	pick    []string // file dialogs answer these paths
}

// SetContext is called from OnStartup with Wails' context.
func (p *Platform) SetContext(ctx context.Context) {
	p.mu.Lock()
	p.ctx = ctx
	quit := p.quitAsked
	p.mu.Unlock()
	if quit {
		wruntime.Quit(ctx)
	}
}

func (p *Platform) context() context.Context {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ctx
}

// Quit closes the window (the app then shuts down as when the user closes it).
// Before the window started, it quits as soon as it does.
func (p *Platform) Quit() {
	p.mu.Lock()
	ctx := p.ctx
	p.quitAsked = ctx == nil
	p.mu.Unlock()
	if ctx != nil {
		wruntime.Quit(ctx)
	}
}

// Emit sends an event to the UI.
func (p *Platform) Emit(event string, data any) {
	p.startup.observe(event, data)
	p.release.observe(event, data)
	if ctx := p.context(); ctx != nil {
		wruntime.EventsEmit(ctx, event, data)
	}
}

// OpenPath opens a file with the system's default program. Wails' BrowserOpenURL is
// for web addresses, so this starts the OS's opener itself and reports its failure.
func (p *Platform) OpenPath(path string) error {
	if p.stand != nil && p.stand.openLog != "" {
		f, err := os.OpenFile(p.stand.openLog, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
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
		return &app.CodeError{Code: api.CodeNoViewer}
	}
	// The opener hands the file to a viewer and exits: a quick failure means no program
	// takes this type (xdg-open exits 3, macOS' open 1). One still running after
	// openerWait has found a viewer; it is reaped in the background.
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return &app.CodeError{Code: api.CodeNoViewer}
		}
	case <-time.After(openerWait):
	}
	return nil
}

// openerWait is how long OpenPath waits for the system's opener to fail (a variable:
// tests shorten it).
var openerWait = 3 * time.Second

// SaveDialog asks where to save a file.
func (p *Platform) SaveDialog(defaultName string) (string, error) {
	if p.stand != nil && p.stand.saveDir != "" {
		return filepath.Join(p.stand.saveDir, defaultName), nil
	}
	ctx := p.context()
	if ctx == nil {
		return "", errors.New("no window")
	}
	return wruntime.SaveFileDialog(ctx, wruntime.SaveDialogOptions{DefaultFilename: defaultName})
}

// OpenFilesDialog asks for files to attach, several at once.
func (p *Platform) OpenFilesDialog(title string) ([]string, error) {
	if p.stand != nil && len(p.stand.pick) > 0 {
		return p.stand.pick, nil
	}
	ctx := p.context()
	if ctx == nil {
		return nil, errors.New("no window")
	}
	return wruntime.OpenMultipleFilesDialog(ctx, wruntime.OpenDialogOptions{Title: title})
}
