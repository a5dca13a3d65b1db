package uploads

import (
	"context"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
)

// Serve expires unfinished uploads every UploadExpiry/10 (1 min–1 h) until ctx ends;
// it returns nil then.
func (u *Uploads) Serve(ctx context.Context) error {
	every := min(max(u.expiry()/10, time.Minute), time.Hour)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if n, err := u.Expire(ctx); err != nil && ctx.Err() == nil {
				u.log.ErrorContext(ctx, "expire uploads", logkey.Error, err)
			} else if n > 0 {
				u.log.InfoContext(ctx, "expired uploads", logkey.Count, n)
			}
		}
	}
}

// Expire deletes the unfinished uploads untouched for the limits' UploadExpiry (by
// Options.Now) and their bytes, and bytes without a record begun before it, and
// returns how many it deleted. Serve runs it periodically; it is safe to call at any
// time.
func (u *Uploads) Expire(ctx context.Context) (int, error) {
	stale, err := u.store.StaleUploads(ctx, u.now().Add(-u.expiry()))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, rec := range stale {
		if err := u.discard(ctx, rec.ID, true); err != nil {
			return n, fmt.Errorf("expire upload %s: %w", rec.ID, err)
		}
		n++
	}
	if o, ok := u.files.(orphanFiles); ok {
		m, err := o.AbortOrphans(ctx, u.now().Add(-u.expiry()))
		n += m
		if err != nil {
			return n, fmt.Errorf("abort orphan uploads: %w", err)
		}
	}
	return n, nil
}

// orphanFiles are Files that can hold bytes of uploads without a record (s3.Uploads:
// a multipart upload begun by a node that failed at once); Expire aborts those begun
// before the expiry.
type orphanFiles interface {
	AbortOrphans(ctx context.Context, before time.Time) (int, error)
}
