// Command ecert-desktop is the Ecert Desktop app: with no arguments it opens the window;
// with a command (login, sync, status, nc) it runs headless on the same data.
package main

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/cli"
	"github.com/ecert-desktop/ecert-desktop/app/datadir"
	"github.com/ecert-desktop/ecert-desktop/app/desktop"
	"github.com/ecert-desktop/ecert-desktop/app/profile"
	"github.com/ecert-desktop/ecert-desktop/app/update"
	"github.com/ecert-desktop/ecert-desktop/app/version"
	"github.com/ecert-desktop/ecert-desktop/frontend"
)

// Environment variables that pre-fill the login form (make run sets them for the demo).
const (
	envServer = "ECERT_SERVER"
	envUser   = "ECERT_USER"
)

func main() {
	version.Updates = update.Describe()
	if len(os.Args) > 1 && os.Args[1] == "version" {
		os.Exit(version.Main(os.Args[2:], os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		stopProfile := profile.CPU(os.Getenv(profile.EnvCPU))
		code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stopProfile()
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
	var a *app.App
	dataDir := dataDirArg(os.Args[1:])
	if dataDir == "" {
		dataDir, _ = datadir.Default()
	}
	updatesDir := update.Dir(dataDir)
	// A version that starts confirms an update to it (see update.Confirm).
	update.Confirm(updatesDir, version.Version)
	restart := false
	updates := update.NewService(update.ServiceConfig{
		Updater: update.New(update.Config{Server: func(ctx context.Context) string { return a.ServerURL(ctx) },
			Current: version.Version, Dir: updatesDir}),
		Emit: platform.Emit, Logger: log,
		// After an install the window closes; the new binary starts once this one has
		// released the data folder (below).
		Restart: func() error { restart = true; platform.Quit(); return nil },
	})
	a = app.New(app.Config{
		DataDir:  dataDir,
		Logger:   log,
		Platform: platform,
		Keyring:  true,
		Services: []any{updates},
		Defaults: app.LoginDefaults{
			Server:   envOr(envServer, "http://127.0.0.1:8470"),
			Username: os.Getenv(envUser),
			Password: os.Getenv(cli.EnvPassword),
		},
	})
	defer a.Guard() // a panic of the window's Go side leaves a crash report
	if os.Getenv(envRestarted) != "" {
		// Started by an update: the previous process may still hold the single-instance
		// lock for a moment after it released the data folder.
		time.Sleep(time.Second)
	}
	// SIGTERM (a logout, a shutdown, systemd, kill) and SIGINT close the window as the
	// user would: the replica is closed and the lock released, and no crash is reported.
	// A second signal ends the process at once.
	stopSignals := quitOnSignal(platform, log)
	defer stopSignals()
	ctx, stopUpdates := context.WithCancel(context.Background())
	// Checks start once the replica is open (it knows the server).
	platform.AfterStart = func() { go update.Serve(ctx, updates) }
	err = desktop.Run(a, platform, dist, log)
	stopUpdates()
	if err != nil {
		log.Error("ecert-desktop", "error", err)
		os.Exit(1)
	}
	if restart {
		if err := restartInto(); err != nil {
			log.Error("restart after the update", "error", err)
			os.Exit(1)
		}
	}
}

// quitOnSignal has SIGTERM and SIGINT quit the window; the returned stop undoes it.
func quitOnSignal(platform *desktop.Platform, log *slog.Logger) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			signal.Reset(os.Interrupt, syscall.SIGTERM)
			log.Info("closing on a signal", "signal", s.String())
			platform.Quit()
		case <-done:
		}
	}()
	return func() { signal.Stop(sigs); close(done) }
}

// envRestarted marks the process an update started (restartInto).
const envRestarted = "ECERT_UPDATE_RESTARTED"

// restartInto starts the installed binary (the path now holds the new version) with
// this process's arguments.
func restartInto() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), envRestarted+"=1")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Start()
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
