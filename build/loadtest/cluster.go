package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	blobs3 "github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3/s3test"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/postgres/pgtest"
)

// serveCluster is `loadtest cluster`: the shared parts of the two-node set-up — a
// PostgreSQL 15 cluster (pgtest's: Debian's programs, a loopback port) with one
// database, and a versitygw S3 server over a folder with one bucket — kept running
// until SIGTERM or SIGINT. It writes the addresses to -env as shell assignments, and
// the HAProxy configuration for -backends (the operator's, adapted) to -haproxy.
func serveCluster(args []string) error {
	fs := flag.NewFlagSet("loadtest cluster", flag.ExitOnError)
	env := fs.String("env", "", "file to write DATABASE=… and the S3 flags to")
	gw := fs.String("versitygw", "build/out/versitygw", "the versitygw program")
	dir := fs.String("dir", "", "folder of the S3 server's files")
	backends := fs.String("backends", "", "the nodes HAProxy balances over, host:port comma-separated")
	listen := fs.String("listen", "127.0.0.1:18480", "where HAProxy listens")
	haproxy := fs.String("haproxy", "", "file to write HAProxy's configuration to")
	fs.Parse(args)
	if *env == "" || *dir == "" || *backends == "" || *haproxy == "" {
		return fmt.Errorf("-env, -dir, -backends and -haproxy are required")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	ops, err := os.ReadFile(servertest.HAProxyConfig())
	if err != nil {
		return err
	}
	cfg, err := servertest.HAProxyConfigFor(ops, *listen, strings.Split(*backends, ","))
	if err != nil {
		return err
	}
	if err := os.WriteFile(*haproxy, cfg, 0o600); err != nil {
		return err
	}

	pg, err := pgtest.Start(ctx)
	if err != nil {
		return err
	}
	defer pg.Stop()
	database, err := pg.CreateDatabase(ctx)
	if err != nil {
		return err
	}

	root := filepath.Join(*dir, "root")
	if err := os.MkdirAll(root, 0o750); err != nil {
		return err
	}
	addr, err := freeLoopback()
	if err != nil {
		return err
	}
	const access, secret = "ecert-load-access", "ecert-load-secret-key"
	gwLog, err := os.Create(filepath.Join(*dir, "versitygw.log"))
	if err != nil {
		return err
	}
	defer gwLog.Close()
	cmd := exec.Command(*gw, "--access", access, "--secret", secret, "--port", addr, "--quiet", "posix", root)
	cmd.Stdout, cmd.Stderr = gwLog, gwLog
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", *gw, err)
	}
	defer func() {
		cmd.Process.Kill() // versitygw does not end on SIGTERM; its files are throwaway
		cmd.Wait()
	}()
	bucket := blobs3.Config{Endpoint: "http://" + addr, Bucket: "ecert", AccessKey: access, SecretKey: secret, PathStyle: true}
	if err := createBucket(ctx, bucket); err != nil {
		return err
	}
	lines := fmt.Sprintf("DATABASE='%s'\nS3_FLAGS='--s3-bucket %s --s3-endpoint %s --s3-path-style --s3-access-key %s --s3-secret-key %s'\n",
		database, bucket.Bucket, bucket.Endpoint, access, secret)
	if err := os.WriteFile(*env, []byte(lines), 0o600); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// createBucket makes the bucket once the server answers (within 20 s).
func createBucket(ctx context.Context, cfg blobs3.Config) error {
	c := s3test.Client(cfg)
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(cfg.Bucket)})
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("create bucket: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freeLoopback() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
