// Command ecert-server runs the reference Ecert server.
//
//	ecert-server [--addr 127.0.0.1:8470] [--data-dir ./ecert-server-data] [--demo [--demo-today YYYY-MM-DD]]
//	             [--database postgres://… [--database-max-conns 16]] [--drain-wait 5s] [--shutdown-wait 30s]
//	             [--trusted-proxy 10.0.0.5,10.0.1.0/24]
//	             [--max-file-mb 100] [--quota-mb 5120] [--upload-expiry 24h] [--file-types .pdf,.jpg,…]
//	             [--release-dir DIR]
//	             [--s3-bucket B --s3-endpoint URL [--s3-region R] [--s3-path-style] [--s3-prefix P]]
//	ecert-server password [--data-dir …] [--allow-weak] USER   (the new password on stdin)
//	ecert-server generate [--data-dir …] [--org 90001] [--user large] --ncs 5000 --messages 20000 --evidence 2000 --audits 50 [--operators 30000 --seed 14]
//	                      [--orgs N] [--password P]   (N organisations from --org; P hashed once for all: a load fixture)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/datadir"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
	"github.com/ecert-desktop/ecert-desktop/sync/server/memrelease"
	"github.com/ecert-desktop/ecert-desktop/sync/server/uploads/pglock"
)

const defaultDataDir = "./ecert-server-data"

// singleNodeFiles is the warning of --database without --s3-bucket.
const singleNodeFiles = "--database without --s3-bucket: files and unfinished uploads stay in this node's --data-dir, " +
	"which other nodes cannot read; run one node only, or keep the files in S3 (--s3-bucket) for several"

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
	switch {
	case len(os.Args) > 1 && os.Args[1] == "generate":
		err = generate(log, os.Args[2:])
	case len(os.Args) > 1 && os.Args[1] == "password":
		err = password(log, os.Args[2:], os.Stdin, os.Stdout)
	default:
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
	releaseDir := fs.String("release-dir", "", "serve the desktop app's signed release from this folder (manifest.json and its files)")
	drainWait := fs.Duration("drain-wait", 0, "on SIGTERM, answer /readyz with 503 this long before closing, so a load balancer stops sending requests first")
	shutdownWait := fs.Duration("shutdown-wait", 30*time.Second, "on SIGTERM, after --drain-wait, how long requests in flight may take to finish")
	trusted := fs.String("trusted-proxy", "", "load balancers in front of the server, comma-separated addresses or CIDR ranges: from them the client's address is the last hop of X-Forwarded-For")
	publicMetrics := fs.Bool("public-metrics", false, "serve /metrics to anyone (default: only to this machine, without a proxy in between)")
	s3f := addS3Flags(fs)
	database := addDatabaseFlags(fs)
	fs.Parse(args)
	if *maxFileMB <= 0 || *quotaMB < 0 || *expiry <= 0 || *maxInFlight <= 0 || *drainWait < 0 || *shutdownWait <= 0 {
		return errors.New("--max-file-mb, --upload-expiry, --max-in-flight and --shutdown-wait must be positive, --quota-mb and --drain-wait 0 or more")
	}
	proxies, err := parsePrefixes(*trusted)
	if err != nil {
		return fmt.Errorf("--trusted-proxy: %w", err)
	}
	if *database.url != "" && s3f.cfg.Bucket == "" {
		// Allowed (one node on PostgreSQL is a deployment), but the usual reason for
		// --database is several nodes, and they cannot share one node's folder.
		log.Warn(singleNodeFiles, "data-dir", *dataDir)
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
		MaxInFlight: *maxInFlight, PublicMetrics: *publicMetrics, ReleaseDir: *releaseDir, TrustedProxies: proxies}
	if err := s3f.apply(ctx, &cfg, *dataDir); err != nil {
		return err
	}
	if *database.url != "" {
		// Nodes on one database lock uploads against each other: a resumed upload may
		// land on any of them.
		locker, err := pglock.New(ctx, *database.url, 0, log)
		if err != nil {
			return err
		}
		defer locker.Close()
		cfg.UploadLocker = locker
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
	// After an overload, the memory of its thousands of connections goes back to the
	// system within Interval, not at the runtime's slow pace.
	go memrelease.Run(bg, memrelease.Interval, memrelease.Threshold)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Behind a load balancer: first fail its probe and keep serving what still comes
	// until it has noticed, then stop taking connections and let those in flight end.
	if *drainWait > 0 {
		log.Info("draining", logkey.Duration, *drainWait)
		srv.Drain()
		select {
		case err := <-errc:
			return err
		case <-time.After(*drainWait):
		}
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), *shutdownWait)
	defer cancel()
	if err := hs.Shutdown(sctx); errors.Is(err, context.DeadlineExceeded) {
		log.Warn("requests still in flight after --shutdown-wait are cut", logkey.Duration, *shutdownWait)
		hs.Close()
	} else if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// parsePrefixes parses a comma-separated list of addresses and CIDR ranges; an
// address is a range of one.
func parsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, err
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func generate(log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("ecert-server generate", flag.ExitOnError)
	dataDir := fs.String("data-dir", defaultDataDir, "folder of the database and files")
	var o demo.GenerateOptions
	fs.StringVar(&o.Org, "org", "90001", "FLO ID of the generated organisation (with --orgs, the first: a number)")
	fs.StringVar(&o.Username, "user", "large", "client login created for it; with --orgs, the prefix of each login: <user><FLO ID>")
	orgs := fs.Int("orgs", 0, "make this many organisations, FLO IDs --org, --org+1, …, in this one process (0: just --org)")
	password := fs.String("password", "", "every generated user's password, hashed once: all share one argon2id hash "+
		"(a load fixture, quick to make; never for real accounts). Empty: each user's password is its login, hashed for each")
	database := addDatabaseFlags(fs)
	fs.IntVar(&o.Audits, "audits", 50, "number of audits")
	fs.IntVar(&o.NCs, "ncs", 5000, "number of NCs")
	fs.IntVar(&o.Messages, "messages", 20000, "number of messages")
	fs.IntVar(&o.Evidence, "evidence", 2000, "number of evidence records")
	operators := fs.Int("operators", directory.DemoSize, "operators of the directory, when it is empty")
	seed := fs.Uint64("seed", directory.DemoSeed, "seed of the generated directory (the same seed gives the same one)")
	fs.Parse(args)
	first, err := strconv.Atoi(o.Org)
	if *orgs > 0 && (err != nil || first < 0) {
		return fmt.Errorf("generate: --orgs needs a numeric --org, not %q", o.Org)
	}

	ctx := context.Background()
	srv, db, closeAll, err := database.offlineServer(ctx, *dataDir, log)
	if err != nil {
		return err
	}
	defer closeAll()
	start := time.Now()
	if *password != "" {
		// One hash for all: one per user costs ~60 ms each (argon2id).
		if o.PasswordHash, err = auth.HashPassword(*password); err != nil {
			return err
		}
	}
	prefix := o.Username
	for i := range max(*orgs, 1) {
		if *orgs > 0 {
			o.Org = strconv.Itoa(first + i)
			o.Username = prefix + o.Org
		}
		if err := demo.GenerateLarge(ctx, demo.Server{Workflow: srv.Workflow(), Auth: srv.Auth(), Store: db}, o); err != nil {
			return err
		}
	}
	if err := directory.SeedWith(ctx, db, *seed, *operators, time.Now()); err != nil {
		return err
	}
	pw := "= login"
	if *password != "" {
		pw = strconv.Quote(*password) + ", one shared hash"
	}
	if *orgs > 0 {
		fmt.Printf("generated organisations %d to %s (logins %s<FLO ID>, password %s): %d audits, %d NCs, %d messages, %d evidence each in %s\n",
			first, o.Org, prefix, pw, o.Audits, o.NCs, o.Messages, o.Evidence, time.Since(start).Round(time.Millisecond))
		return nil
	}
	fmt.Printf("generated organisation %s (login %s, password %s): %d audits, %d NCs, %d messages, %d evidence in %s\n",
		o.Org, o.Username, pw, o.Audits, o.NCs, o.Messages, o.Evidence, time.Since(start).Round(time.Millisecond))
	return nil
}
