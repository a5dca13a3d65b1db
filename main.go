// Command ecert-desktop is the Ecert Desktop app: with no arguments it opens the window;
// with a command (login, sync, status, nc) it runs headless on the same data.
package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/cli"
	"github.com/ecert-desktop/ecert-desktop/app/desktop"
	"github.com/ecert-desktop/ecert-desktop/app/version"
	"github.com/ecert-desktop/ecert-desktop/frontend"
)

// Environment variables that pre-fill the login form (make run sets them for the demo).
const (
	envServer = "ECERT_SERVER"
	envUser   = "ECERT_USER"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		os.Exit(version.Main(os.Args[2:], os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	dist, err := frontend.Assets()
	if err != nil {
		log.Error("assets", "error", err)
		os.Exit(1)
	}
	platform := &desktop.Platform{}
	a := app.New(app.Config{
		DataDir:  dataDirArg(os.Args[1:]),
		Logger:   log,
		Platform: platform,
		Keyring:  true,
		Defaults: app.LoginDefaults{
			Server:   envOr(envServer, "http://127.0.0.1:8470"),
			Username: os.Getenv(envUser),
			Password: os.Getenv(cli.EnvPassword),
		},
	})
	defer a.Guard() // a panic of the window's Go side leaves a crash report
	if err := desktop.Run(a, platform, dist, log); err != nil {
		log.Error("ecert-desktop", "error", err)
		os.Exit(1)
	}
}

// dataDirArg finds --data-dir in the arguments. The window's arguments are not parsed
// with package flag because Wails' dev build parses its own (-assetdir, -devserver).
func dataDirArg(args []string) string {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--data-dir="); ok {
			return v
		}
		if (a == "--data-dir" || a == "-data-dir") && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
