package s3test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	blobs3 "github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3"
)

// RequireEnv set to 1 makes a test fail, not skip, when the S3 server cannot be had
// (CI sets it).
const RequireEnv = "ECERT_REQUIRE_S3"

// BinaryEnv may name a versitygw binary to use instead of build/out/versitygw.
const BinaryEnv = "ECERT_VERSITYGW"

const (
	accessKey = "ecert-test-access"
	secretKey = "ecert-test-secret-key"
	bucket    = "ecert-test"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// Start runs a versitygw server over a fresh temporary folder with one empty bucket
// for the rest of t, and returns how to reach it. Without the server (it is not built
// and cannot be) t is skipped, or fails when ECERT_REQUIRE_S3=1.
func Start(t testing.TB) blobs3.Config {
	t.Helper()
	buildOnce.Do(func() { binary, buildErr = findOrBuild() })
	if buildErr != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("s3test: no S3 server (%s=1): %v", RequireEnv, buildErr)
		}
		t.Skipf("s3test: no S3 server, skipped (set %s=1 to fail instead): %v", RequireEnv, buildErr)
	}
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	if err := os.Mkdir(root, 0o750); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, binary, "--access", accessKey, "--secret", secretKey,
		"--port", addr, "--quiet", "posix", root)
	log, err := os.Create(filepath.Join(dir, "versitygw.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("s3test: start %s: %v", binary, err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		log.Close()
	})
	cfg := blobs3.Config{Endpoint: "http://" + addr, Bucket: bucket, AccessKey: accessKey, SecretKey: secretKey, PathStyle: true}
	if err := createBucket(cfg); err != nil {
		out, _ := os.ReadFile(log.Name())
		t.Fatalf("s3test: versitygw on %s: %v\n%s", addr, err, out)
	}
	return cfg
}

// createBucket makes cfg's bucket once the server answers (within 20 s).
func createBucket(cfg blobs3.Config) error {
	c := s3.New(s3.Options{Region: "us-east-1", UsePathStyle: true, BaseEndpoint: aws.String(cfg.Endpoint),
		Credentials: credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, ""),
		HTTPClient:  &http.Client{Timeout: 5 * time.Second}})
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(cfg.Bucket)})
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("create bucket: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// findOrBuild returns the versitygw binary: $ECERT_VERSITYGW, else build/out/versitygw
// of the repository, built from build/tools/s3 when missing.
func findOrBuild() (string, error) {
	if p := os.Getenv(BinaryEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s: %w", BinaryEnv, err)
		}
		return p, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	out := filepath.Join(root, "build", "out", "versitygw")
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	// Build under another name and rename, so that test binaries building at once
	// never run a half-written file.
	tmp := fmt.Sprintf("%s.%d", out, os.Getpid())
	cmd := exec.Command("go", "build", "-o", tmp, "github.com/versity/versitygw/cmd/versitygw")
	cmd.Dir = filepath.Join(root, "build", "tools", "s3")
	if b, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("build versitygw (build/scripts/setup.sh builds it): %v: %s", err, strings.TrimSpace(string(b)))
	}
	if err := os.Rename(tmp, out); err != nil {
		return "", err
	}
	return out, nil
}

// repoRoot is the folder above the working directory that holds build/tools/s3.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "build", "tools", "s3", "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no build/tools/s3 above the working directory")
		}
		dir = parent
	}
}

// List returns the names below prefix in cfg's bucket, sorted: each object's key
// without the prefix, and each unfinished multipart upload's as "<key> (multipart)".
func List(t testing.TB, cfg blobs3.Config, prefix string) []string {
	t.Helper()
	c := Client(cfg)
	full := cfg.Prefix + prefix
	var names []string
	objs, err := c.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(cfg.Bucket), Prefix: aws.String(full)})
	if err != nil {
		t.Fatalf("s3test: list objects: %v", err)
	}
	for _, o := range objs.Contents {
		names = append(names, strings.TrimPrefix(aws.ToString(o.Key), full))
	}
	ups, err := c.ListMultipartUploads(t.Context(), &s3.ListMultipartUploadsInput{Bucket: aws.String(cfg.Bucket), Prefix: aws.String(full)})
	if err != nil {
		t.Fatalf("s3test: list multipart uploads: %v", err)
	}
	for _, u := range ups.Uploads {
		names = append(names, strings.TrimPrefix(aws.ToString(u.Key), full)+" (multipart)")
	}
	slices.Sort(names)
	return names
}

// Client is a plain S3 client of cfg's server, for tests that look behind the store.
func Client(cfg blobs3.Config) *s3.Client {
	return s3.New(s3.Options{Region: "us-east-1", UsePathStyle: true, BaseEndpoint: aws.String(cfg.Endpoint),
		Credentials: credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")})
}
