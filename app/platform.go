package app

import (
	"github.com/ecert-desktop/ecert-desktop/app/attach"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Platform is the OS boundary the services use: events to the window, opening a file
// with the system's default program, the native save dialog. The desktop build wires
// Wails' runtime; headless runs and tests use their own.
type Platform interface {
	// Emit sends an event to the UI.
	Emit(event string, data any)
	// OpenPath opens a local file with the system's default program.
	OpenPath(path string) error
	// SaveDialog asks where to save a file; "" when the user cancelled.
	SaveDialog(defaultName string) (string, error)
	// OpenFilesDialog asks for files to attach (several at once); none when cancelled.
	OpenFilesDialog(title string) ([]string, error)
}

// Events emitted to the UI.
const (
	EventSyncStatus     = "sync:status"        // SyncStatus
	EventDataChanged    = "data:changed"       // {entities: []string}
	EventSessionExpired = "session:expired"    // {reason: session_expired or password_changed}
	EventNotify         = "sync:notify"        // []Notice: what the analyst did, to announce
	EventUpload         = "upload:progress"    // engine.Progress, a few times a second
	EventAttached       = attach.EventAttached // []attach.AttachResult with nc_id: files the inbox attached
	EventDropped        = "files:dropped"      // []string: paths dropped on the window
)

// headless is the Platform of runs without a window.
type headless struct{}

func (headless) Emit(string, any)                         {}
func (headless) OpenPath(string) error                    { return &CodeError{Code: api.CodeInvalidInput} }
func (headless) SaveDialog(string) (string, error)        { return "", nil }
func (headless) OpenFilesDialog(string) ([]string, error) { return nil, nil }
