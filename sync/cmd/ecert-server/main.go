// Command ecert-server runs the reference Ecert server.
//
//	ecert-server [--addr 127.0.0.1:8470] [--data-dir ./ecert-server-data] [--demo [--demo-today YYYY-MM-DD]]
//	             [--database postgres://… [--database-max-conns 16]]
//	             [--max-file-mb 100] [--quota-mb 5120] [--upload-expiry 24h] [--file-types .pdf,.jpg,…]
//	             [--s3-bucket B --s3-endpoint URL [--s3-region R] [--s3-path-style] [--s3-prefix P]]
//	ecert-server generate [--data-dir …] [--org 90001] [--user large] --ncs 5000 --messages 20000 --evidence 2000 --audits 50
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/datadir"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
)

const defaultDataDir = "./ecert-server-data"

func main() {
	// The level comes from $ECERT_LOG_LEVEL (debug shows a line per request; the default,
	// info, counts requests in /metrics instead).
	level := new(slog.LevelVar)
	if v := os.Getenv("ECERT_LOG_LEVEL"); v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			fmt.Fprintln(os.Stderr, "ecert-server: ECERT_LOG_LEVEL:", err)
			os.Exit(2)
		}
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	var err error
	if len(os.Args) > 1 && os.Args[1] == "generate" {
		err = generate(log, os.Args[2:])
	} else {
		err = serve(log, os.Args[1:])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ecert-server:", err)
		os.Exit(1)
	}
}

func serve(log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("ecert-server", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:8470", "listen address")
	dataDir := fs.String("data-dir", defaultDataDir, "folder of the database and files")
	seedDemo := fs.Bool("demo", false, "seed the demo organisations and users into a new database")
	demoToday := fs.String("demo-today", "", "tell the demo's story from this day (YYYY-MM-DD; default today), for tests that need known dates")
	maxFileMB := fs.Int64("max-file-mb", server.DefaultMaxFileBytes>>20, "largest evidence file, in MiB")
	quotaMB := fs.Int64("quota-mb", server.DefaultQuotaBytes>>20, "evidence bytes an organisation may upload, in MiB; 0 = no quota")
	expiry := fs.Duration("upload-expiry", server.DefaultUploadExpiry, "delete an unfinished upload untouched this long")
	types := fs.String("file-types", strings.Join(server.DefaultFileTypes, ","), "accepted evidence file name extensions, comma-separated")
	maxInFlight := fs.Int("max-in-flight", server.DefaultMaxInFlight, "API requests served at once; more wait briefly, then get 503 with Retry-After")
	publicMetrics := fs.Bool("public-metrics", false, "serve /metrics to anyone (default: only to this machine, without a proxy in between)")
	s3f := addS3Flags(fs)
	database := addDatabaseFlags(fs)
	fs.Parse(args)
	if *maxFileMB <= 0 || *quotaMB < 0 || *expiry <= 0 || *maxInFlight <= 0 {
		return errors.New("--max-file-mb, --upload-expiry and --max-in-flight must be positive, --quota-mb 0 or more")
	}
	var demoDay time.Time
	if *demoToday != "" {
		d, err := time.Parse(time.DateOnly, *demoToday)
		if err != nil {
			return fmt.Errorf("--demo-today %q is not a date (YYYY-MM-DD)", *demoToday)
		}
		demoDay = d
	}
	quota := *quotaMB << 20
	if quota == 0 {
		quota = -1 // no quota
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Bind first: a busy address fails before anything is created or seeded.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	dir, err := datadir.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer dir.Close()
	db, closeDB, err := database.open(ctx, dir)
	if err != nil {
		return err
	}
	defer closeDB()
	cfg := server.Config{Store: db, Blobs: dir.Blobs, UploadDir: dir.Uploads, Logger: log,
		MaxFileBytes: *maxFileMB << 20, QuotaBytes: quota, UploadExpiry: *expiry, FileTypes: strings.Split(*types, ","),
		MaxInFlight: *maxInFlight, PublicMetrics: *publicMetrics}
	if err := s3f.apply(ctx, &cfg, *dataDir); err != nil {
		return err
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}

	if *seedDemo {
		seeded, err := demo.Seed(ctx, demo.Server{Workflow: srv.Workflow(), Auth: srv.Auth(), Store: db, Today: demoDay})
		if err != nil {
			return err
		}
		if seeded {
			fmt.Println("demo data created")
		}
		fmt.Println("demo logins (password = username):")
		for _, l := range demo.Logins {
			org := ""
			if l.OrgID != "" {
				org = " organisation " + l.OrgID
			}
			fmt.Printf("  %-8s %s%s\n", l.Username, l.Role, org)
		}
	}

	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Printf("ecert-server listening on http://%s (analyst console: http://%s/console/)\n", ln.Addr(), ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	// The background work (the upload janitor) runs until the shutdown.
	bg, stopBg := context.WithCancel(ctx)
	bgDone := make(chan struct{})
	go func() {
		defer close(bgDone)
		if err := srv.Serve(bg); err != nil {
			log.Error("background work", logkey.Error, err)
		}
	}()
	defer func() {
		stopBg()
		<-bgDone
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func generate(log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("ecert-server generate", flag.ExitOnError)
	dataDir := fs.String("data-dir", defaultDataDir, "folder of the database and files")
	var o demo.GenerateOptions
	fs.StringVar(&o.Org, "org", "90001", "FLO ID of the generated organisation")
	fs.StringVar(&o.Username, "user", "large", "client login created for it (password = login)")
	database := addDatabaseFlags(fs)
	fs.IntVar(&o.Audits, "audits", 50, "number of audits")
	fs.IntVar(&o.NCs, "ncs", 5000, "number of NCs")
	fs.IntVar(&o.Messages, "messages", 20000, "number of messages")
	fs.IntVar(&o.Evidence, "evidence", 2000, "number of evidence records")
	fs.Parse(args)

	ctx := context.Background()
	dir, err := datadir.Open(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer dir.Close()
	db, closeDB, err := database.open(ctx, dir)
	if err != nil {
		return err
	}
	defer closeDB()
	srv, err := server.New(server.Config{Store: db, Blobs: dir.Blobs, UploadDir: dir.Uploads, Logger: log})
	if err != nil {
		return err
	}
	start := time.Now()
	if err := demo.GenerateLarge(ctx, demo.Server{Workflow: srv.Workflow(), Auth: srv.Auth(), Store: db}, o); err != nil {
		return err
	}
	fmt.Printf("generated organisation %s (login %s/%s): %d audits, %d NCs, %d messages, %d evidence in %s\n",
		o.Org, o.Username, o.Username, o.Audits, o.NCs, o.Messages, o.Evidence, time.Since(start).Round(time.Millisecond))
	return nil
}
