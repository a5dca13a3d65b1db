package s3_test

import (
	"context"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/blobstest"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3/s3test"
)

func TestStoreConformance(t *testing.T) {
	cfg := s3test.Start(t)
	n := 0
	blobstest.Run(t, func(t *testing.T) blobs.Store {
		// One server; each test its own prefix, so each starts with an empty store.
		n++
		cfg := cfg
		cfg.Prefix = "t" + string(rune('a'+n)) + "/"
		c, err := s3.NewClient(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		return s3.NewStore(c, t.TempDir())
	})
}

func TestNewClientRefusesMissingBucket(t *testing.T) {
	cfg := s3test.Start(t)
	cfg.Bucket = "no-such-bucket"
	if _, err := s3.NewClient(context.Background(), cfg); err == nil {
		t.Fatal("NewClient with a missing bucket succeeded")
	}
}
