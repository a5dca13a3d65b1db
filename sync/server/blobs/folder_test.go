package blobs_test

import (
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/blobstest"
)

func TestFolderConformance(t *testing.T) {
	blobstest.Run(t, func(t *testing.T) blobs.Store {
		s, err := blobs.NewFolder(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
