package desktop

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"log/slog"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/ecert-desktop/ecert-desktop/app"
)

// Run opens the window and blocks until it is closed. a must have been built with
// platform as its Platform; the replica is opened in OnStartup, not before, because
// the bindings generator runs main up to here without a display.
func Run(a *app.App, platform *Platform, assets fs.FS, log *slog.Logger) error {
	var startErr error
	startup := newStartupLog(os.Getenv(EnvStartupLog), log)
	platform.stand = testStandIn()
	platform.startup = startup
	platform.release = newReleaser()
	startup.mark("run")
	return wails.Run(&options.App{
		Title:     "Ecert Desktop",
		Width:     1280,
		Height:    820,
		MinWidth:  900,
		MinHeight: 600,
		AssetServer: &assetserver.Options{
			Assets:     assets,
			Middleware: a.FileMiddleware,
		},
		BackgroundColour: &options.RGBA{R: 255, G: 255, B: 255, A: 255},
		// Files dropped on the window reach Go as paths; the UI, which knows the NC on
		// screen, attaches them (Wails v2.9 on Linux: see the notes on file drop).
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		OnStartup: func(ctx context.Context) {
			platform.SetContext(ctx)
			keepSignalsOnAltStack(ctx)
			useDocumentViewerCache()
			startup.listen(ctx)
			wruntime.OnFileDrop(ctx, func(_, _ int, paths []string) { platform.Emit(app.EventDropped, paths) })
			if startErr = a.Start(ctx); startErr != nil {
				// Without its replica the app cannot show anything: say why, then quit.
				log.Error("start", "error", startErr)
				wruntime.MessageDialog(ctx, wruntime.MessageDialogOptions{
					Type:    wruntime.ErrorDialog,
					Title:   "Ecert Desktop",
					Message: startFailure(app.SystemLanguage(), startErr),
				})
				wruntime.Quit(ctx)
				return
			}
			// WebKit takes most of a second to start and load the page: the dashboard's
			// data is read meanwhile.
			go a.Prepare(ctx)
			// A window that dies without closing leaves a report for the next start.
			if err := a.WatchWindow(); err != nil {
				log.Warn("crash watch", "error", err)
			}
			if platform.AfterStart != nil {
				platform.AfterStart()
			}
		},
		// Fires again on each file drop (Wails v2.9 on Linux): recorded the first time only.
		OnDomReady: func(context.Context) { startup.mark("domready") },
		OnShutdown: func(context.Context) {
			if err := a.Close(); err != nil {
				log.Error("close", "error", err)
			}
		},
		// A second start on the same data brings the open window to the front (over
		// D-Bus on Linux); where that cannot work, the data directory's own lock refuses
		// the second instance with a message.
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId: "org.ecert-desktop." + instanceID(a.DataDir()),
			OnSecondInstanceLaunch: func(options.SecondInstanceData) {
				if ctx := platform.context(); ctx != nil {
					wruntime.WindowUnminimise(ctx)
					wruntime.WindowShow(ctx)
				}
			},
		},
		Bind:  a.Services(),
		Linux: &linux.Options{ProgramName: "ecert-desktop"},
	})
}

// instanceID names the single-instance lock after the data directory, so that two data
// directories (two users' demo and real data) may each have a window.
func instanceID(dataDir string) string {
	sum := sha256.Sum256([]byte(dataDir))
	return hex.EncodeToString(sum[:8])
}
