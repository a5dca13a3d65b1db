package app

import (
	"context"
	"runtime/debug"

	"github.com/ecert-desktop/ecert-desktop/app/crash"
	"github.com/ecert-desktop/ecert-desktop/app/version"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// CrashPrefs says whether crash reports are sent and how many wait on this computer.
type CrashPrefs struct {
	// Consent: "" (never asked: the UI asks once), "on" or "off" (the default).
	Consent string `json:"consent"`
	Pending int    `json:"pending"`
}

// CrashReports returns the consent and the number of reports kept.
func (s *Settings) CrashReports() CrashPrefs {
	consent, _ := s.store.Meta(s.ctx, crash.MetaConsent)
	p := CrashPrefs{Consent: consent}
	if pending, err := s.crash.Pending(); err == nil {
		p.Pending = len(pending)
	}
	return p
}

// SetCrashReports saves the user's answer: send crash reports at each sync, or never.
func (s *Settings) SetCrashReports(on bool) error {
	v := crash.ConsentOff
	if on {
		v = crash.ConsentOn
	}
	return s.fail(s.store.SetMeta(s.ctx, crash.MetaConsent, v))
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

// sendCrashes sends the kept reports when the user allowed it.
func (b *base) sendCrashes(ctx context.Context, c *client.Client) {
	if consent, _ := b.store.Meta(ctx, crash.MetaConsent); consent == crash.ConsentOn {
		b.crash.Send(ctx, c, b.log)
	}
}
