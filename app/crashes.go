package app

import (
	"context"
	"errors"
	"runtime/debug"

	"github.com/ecert-desktop/ecert-desktop/app/crash"
	"github.com/ecert-desktop/ecert-desktop/app/version"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// Consent to sending crash reports (meta metaCrashConsent): not asked yet, yes, no.
const (
	CrashConsentUnasked = ""
	CrashConsentOn      = "on"
	CrashConsentOff     = "off"
)

const metaCrashConsent = "crash.consent"

// CrashPrefs says whether crash reports are sent and how many wait on this computer.
type CrashPrefs struct {
	// Consent: "" (never asked: the UI asks once), "on" or "off" (the default).
	Consent string `json:"consent"`
	Pending int    `json:"pending"`
}

// CrashReports returns the consent and the number of reports kept.
func (s *Settings) CrashReports() CrashPrefs {
	consent, _ := s.store.Meta(s.ctx, metaCrashConsent)
	p := CrashPrefs{Consent: consent}
	if pending, err := s.crash.Pending(); err == nil {
		p.Pending = len(pending)
	}
	return p
}

// SetCrashReports saves the user's answer: send crash reports at each sync, or never.
func (s *Settings) SetCrashReports(on bool) error {
	v := CrashConsentOff
	if on {
		v = CrashConsentOn
	}
	return s.fail(s.store.SetMeta(s.ctx, metaCrashConsent, v))
}

// crashProgram is what a crash report says of this build.
func crashProgram() crash.Program {
	v := version.Get()
	return crash.Program{Version: v.Version, Commit: v.Commit, WebView: v.WebView}
}

// Guard, deferred at the top of main, writes a report of a panic once the replica is
// open (before, there is no data folder to write to), and panics again.
func (a *App) Guard() {
	if v := recover(); v != nil {
		a.base.crash.Record(v, debug.Stack())
		panic(v)
	}
}

// Go runs fn in a goroutine whose panic leaves a crash report.
func (a *App) Go(fn func()) { a.base.crash.Go(fn) }

// RecordPanic writes a report of the panic v (for callers that recover themselves).
func (a *App) RecordPanic(v any, stack []byte) { a.base.crash.Record(v, stack) }

// WatchWindow reports, at the next start, a window that dies without closing (Close
// ends the watch).
func (a *App) WatchWindow() error {
	stop, err := a.base.crash.Watch()
	a.stopWatch = stop
	return err
}

// sendCrashes sends the kept reports when the user allowed it, and forgets each one the
// server took (or refused for good). A report the server cannot take today (its daily
// limit), or a failed connection, waits for a later sync.
func (b *base) sendCrashes(ctx context.Context, c *client.Client) {
	if consent, _ := b.store.Meta(ctx, metaCrashConsent); consent != CrashConsentOn {
		return
	}
	pending, err := b.crash.Pending()
	if err != nil {
		b.log.Warn("crash reports", "error", err)
		return
	}
	for _, p := range pending {
		_, err := c.SendCrashReport(ctx, p.Report)
		var ce *client.Error
		switch {
		case err == nil:
		case errors.As(err, &ce) && (ce.Code == api.CodeBadRequest || ce.Reason == api.CodeTooLarge):
			b.log.Warn("crash report refused by the server: dropped", "id", p.Report.ID, "error", err)
		default:
			b.log.Info("crash reports wait for a later sync", "error", err)
			return
		}
		if err := b.crash.Remove(p); err != nil {
			b.log.Warn("remove a sent crash report", "error", err)
		}
	}
}
