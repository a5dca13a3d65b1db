package app

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/health"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
)

// The sync engine knows only the client's error codes: it shows them in the status bar
// and stops the downloads on them; any other error is "internal" to it (or, for one
// file's download, skipped). replica and remote give it the store and the client with a
// full disk turned into the code disk_full, so that the status bar says what the user
// can do, and the downloads stop until there is room.

// diskFull gives err the code disk_full when it says the disk is full.
func diskFull(err error) error {
	if health.DiskFull(err) {
		return &client.Error{Code: api.CodeDiskFull, Err: err}
	}
	return err
}

// replica is the store as the engine sees it. The upload steps (engine.Uploader) keep
// their errors: there, a coded error is taken for the server's refusal of the file.
type replica struct{ *store.Store }

func (r replica) ClientID(ctx context.Context) (string, error) {
	id, err := r.Store.ClientID(ctx)
	return id, diskFull(err)
}

func (r replica) ApplyPage(ctx context.Context, page api.ChangesPage, lastSync string) error {
	return diskFull(r.Store.ApplyPage(ctx, page, lastSync))
}

func (r replica) ApplyPushResults(ctx context.Context, results []api.PushResult, author string, now time.Time) error {
	return diskFull(r.Store.ApplyPushResults(ctx, results, author, now))
}

func (r replica) PartialDownload(sha string) (*os.File, int64, error) {
	f, n, err := r.Store.PartialDownload(sha)
	return f, n, diskFull(err)
}

func (r replica) FinishDownload(ctx context.Context, ref api.FileRef) error {
	return diskFull(r.Store.FinishDownload(ctx, ref))
}

// remote is the client as the engine sees it.
func (r replica) ApplyDirectory(ctx context.Context, page api.DirectoryPage) error {
	return diskFull(r.Store.ApplyDirectory(ctx, page))
}

type remote struct{ *client.Client }

// Download is the client's. When the disk is full, the bytes received so far are
// dropped: they would keep it full, and what the user types matters more than resuming
// this download, which starts again once there is room.
func (r remote) Download(ctx context.Context, sha string, from int64, open func(start int64) (io.Writer, error)) error {
	var w io.Writer
	err := r.Client.Download(ctx, sha, from, func(start int64) (io.Writer, error) {
		var err error
		w, err = open(start)
		return w, err
	})
	if !health.DiskFull(err) {
		return err
	}
	if f, ok := w.(interface{ Truncate(int64) error }); ok {
		f.Truncate(0)
	}
	return diskFull(err)
}

var (
	_ engine.Replica      = replica{}
	_ engine.Uploader     = replica{}
	_ engine.Remote       = remote{}
	_ engine.UploadRemote = remote{}
)
