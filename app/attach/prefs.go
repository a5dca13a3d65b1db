package attach

import (
	"context"
	"encoding/json"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Preferences are the user's settings beyond the language.
type Preferences struct {
	// Downscale sends a smaller copy of JPEG and PNG photos above DownscaleAboveBytes,
	// keeping the original on this computer.
	Downscale           bool  `json:"downscale"`
	DownscaleAboveBytes int64 `json:"downscale_above_bytes"`
	// PauseUploads holds file uploads (messages and CAs still go).
	PauseUploads bool `json:"pause_uploads"`
}

const metaPreferences = "ui.preferences"

// defaultPreferences: photos over 3 MB are sent downscaled.
var defaultPreferences = Preferences{Downscale: true, DownscaleAboveBytes: 3 << 20}

// preferences returns the saved preferences, or the defaults.
func (e *Evidence) preferences(ctx context.Context) Preferences {
	p := defaultPreferences
	if raw, _ := e.cfg.Store().Meta(ctx, metaPreferences); raw != "" {
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			e.cfg.Log.Warn("preferences", "error", err)
			return defaultPreferences
		}
	}
	return p
}

// setPreferences saves the preferences and applies them.
func (e *Evidence) setPreferences(ctx context.Context, p Preferences) error {
	if p.DownscaleAboveBytes < 100<<10 || p.DownscaleAboveBytes > 1<<30 {
		return coded.Error(api.CodeInvalidInput)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if err := e.cfg.Store().SetMeta(ctx, metaPreferences, string(raw)); err != nil {
		return err
	}
	e.cfg.Pause(p.PauseUploads)
	return nil
}
