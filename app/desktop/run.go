package desktop

import (
	"context"
	"io/fs"
	"log/slog"

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
			wruntime.OnFileDrop(ctx, func(_, _ int, paths []string) { platform.Emit(app.EventDropped, paths) })
			if startErr = a.Start(ctx); startErr != nil {
				// Without its replica the app cannot show anything: say why, then quit.
				log.Error("start", "err", startErr)
				wruntime.MessageDialog(ctx, wruntime.MessageDialogOptions{
					Type:    wruntime.ErrorDialog,
					Title:   "Ecert Desktop",
					Message: startFailure(app.SystemLanguage(), startErr),
				})
				wruntime.Quit(ctx)
			}
		},
		OnShutdown: func(context.Context) {
			if err := a.Close(); err != nil {
				log.Error("close", "err", err)
			}
		},
		Bind:  a.Services(),
		Linux: &linux.Options{ProgramName: "ecert-desktop"},
	})
}
