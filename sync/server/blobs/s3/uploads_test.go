package s3_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	tusd "github.com/tus/tusd/v2/pkg/handler"

	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3/s3test"
)

func newUploads(t *testing.T, cfg s3.Config) (*s3.Uploads, *s3.Store) {
	t.Helper()
	c, err := s3.NewClient(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s3.NewUploads(c, t.TempDir()), s3.NewStore(c, t.TempDir())
}

// TestUploadAcrossNodes begins an upload on one node and ends it on another (its own
// client, nothing shared but the bucket), then adopts the file as a blob.
func TestUploadAcrossNodes(t *testing.T) {
	cfg := s3test.Start(t)
	ctx := context.Background()
	one, _ := newUploads(t, cfg)
	two, blobs := newUploads(t, cfg)
	data := bytes.Repeat([]byte("ecert "), 2000)
	const id = "0123456789abcdef0123456789abcdef"

	up, err := one.NewUpload(ctx, tusd.FileInfo{ID: id, Size: int64(len(data)), MetaData: tusd.MetaData{"filename": "a.pdf"}})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := up.WriteChunk(ctx, 0, bytes.NewReader(data[:5000])); err != nil || n != 5000 {
		t.Fatalf("WriteChunk = %d, %v", n, err)
	}

	up, err = two.GetUpload(ctx, id)
	if err != nil {
		t.Fatalf("GetUpload on the other node: %v", err)
	}
	info, err := up.GetInfo(ctx)
	if err != nil || info.ID != id || info.Offset != 5000 || info.Size != int64(len(data)) {
		t.Fatalf("GetInfo = %+v, %v; want id %s at offset 5000", info, err, id)
	}
	if n, err := up.WriteChunk(ctx, 5000, bytes.NewReader(data[5000:])); err != nil || n != int64(len(data)-5000) {
		t.Fatalf("WriteChunk = %d, %v", n, err)
	}
	if err := up.FinishUpload(ctx); err != nil {
		t.Fatal(err)
	}
	rd, err := up.GetReader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rd)
	rd.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the finished object: %d bytes, %v", len(got), err)
	}

	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	for range 2 { // idempotent
		if err := blobs.AdoptObject(ctx, two.ObjectKey(id), sum); err != nil {
			t.Fatalf("AdoptObject: %v", err)
		}
	}
	f, err := blobs.Open(ctx, sum)
	if err != nil {
		t.Fatal(err)
	}
	got, err = io.ReadAll(f)
	f.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the adopted blob: %d bytes, %v", len(got), err)
	}

	if err := two.AsTerminatableUpload(up).Terminate(ctx); err != nil {
		t.Fatalf("Terminate a finished upload: %v", err)
	}
	if left := s3test.List(t, cfg, "uploads/"); len(left) != 0 {
		t.Errorf("left after Terminate: %v", left)
	}
	if _, err := one.GetUpload(ctx, id); !errors.Is(err, tusd.ErrNotFound) {
		t.Errorf("GetUpload after Terminate = %v, want ErrNotFound", err)
	}
}

func TestTerminateAbortsMultipart(t *testing.T) {
	cfg := s3test.Start(t)
	ctx := context.Background()
	u, _ := newUploads(t, cfg)
	const id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	up, err := u.NewUpload(ctx, tusd.FileInfo{ID: id, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up.WriteChunk(ctx, 0, strings.NewReader("half")); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s3test.List(t, cfg, "uploads/"), ", "); got != id+" (multipart), "+id+".info, "+id+".part" {
		t.Fatalf("during the upload: %s", got)
	}
	if err := u.AsTerminatableUpload(up).Terminate(ctx); err != nil {
		t.Fatal(err)
	}
	if left := s3test.List(t, cfg, "uploads/"); len(left) != 0 {
		t.Errorf("left after Terminate: %v", left)
	}
}

func TestGetUploadNotFound(t *testing.T) {
	cfg := s3test.Start(t)
	u, _ := newUploads(t, cfg)
	if _, err := u.GetUpload(context.Background(), "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"); !errors.Is(err, tusd.ErrNotFound) {
		t.Fatalf("GetUpload = %v, want ErrNotFound", err)
	}
}

// TestAbortOrphans: a multipart upload without its .info (its node failed before it
// wrote it) is aborted once old enough; one with its .info is left to the expiry.
func TestAbortOrphans(t *testing.T) {
	cfg := s3test.Start(t)
	ctx := context.Background()
	u, _ := newUploads(t, cfg)
	const kept = "cccccccccccccccccccccccccccccccc"
	if _, err := u.NewUpload(ctx, tusd.FileInfo{ID: kept, Size: 10}); err != nil {
		t.Fatal(err)
	}
	_, err := s3test.Client(cfg).CreateMultipartUpload(ctx, &awss3.CreateMultipartUploadInput{
		Bucket: aws.String(cfg.Bucket), Key: aws.String("uploads/orphan")})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := u.AbortOrphans(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("AbortOrphans of recent uploads = %d, %v; want 0", n, err)
	}
	if n, err := u.AbortOrphans(ctx, time.Now().Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("AbortOrphans = %d, %v; want 1", n, err)
	}
	if got := strings.Join(s3test.List(t, cfg, "uploads/"), ", "); got != kept+" (multipart), "+kept+".info" {
		t.Errorf("after AbortOrphans: %s", got)
	}
}

// TestEmptyUpload: tusd finishes an upload of no bytes at its creation; the store
// completes its multipart upload with one empty part.
func TestEmptyUpload(t *testing.T) {
	cfg := s3test.Start(t)
	ctx := context.Background()
	u, blobs := newUploads(t, cfg)
	const id = "dddddddddddddddddddddddddddddddd"
	up, err := u.NewUpload(ctx, tusd.FileInfo{ID: id, Size: 0})
	if err != nil {
		t.Fatal(err)
	}
	if err := up.FinishUpload(ctx); err != nil {
		t.Fatalf("FinishUpload: %v", err)
	}
	const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if err := blobs.AdoptObject(ctx, u.ObjectKey(id), empty); err != nil {
		t.Fatalf("AdoptObject: %v", err)
	}
	f, err := blobs.Open(ctx, empty)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, err := io.ReadAll(f); err != nil || len(b) != 0 {
		t.Fatalf("empty blob: %d bytes, %v", len(b), err)
	}
}
