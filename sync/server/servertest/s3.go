package servertest

import (
	"context"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3"
)

// S3 returns a configure function (for StartWith, StartIn) that keeps finished files
// and uploads in progress in the bucket of cfg (s3test.Start gives one) instead of the
// data folder; the database stays in the data folder.
func S3(t testing.TB, cfg s3.Config) func(*server.Config) {
	t.Helper()
	c, err := s3.NewClient(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	blobs, files := s3.NewStore(c, t.TempDir()), s3.NewUploads(c, t.TempDir())
	return func(sc *server.Config) {
		sc.Blobs, sc.UploadFiles = blobs, files
	}
}
