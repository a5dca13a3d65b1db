package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// The size of an upload's PATCH requests adapts to the link: each sync starts with
// ChunkSize, doubles the size after a chunk that took less than half of ChunkTarget and
// halves it after one that took more than twice ChunkTarget, within [MinChunkSize,
// MaxChunkSize]. Large chunks save the round trip and the saved offset of each chunk
// (a 50 MB upload on loopback: 25 chunks of 2 MiB, or 6 growing ones); a chunk of about
// ChunkTarget keeps progress and pausing responsive on a slow link. A cut connection
// costs at most the chunk in flight again (nothing with tusd, which keeps what a cut
// PATCH delivered), and the sync after it starts again from ChunkSize. Package
// variables so that tests can change them.
var (
	ChunkSize    int64 = 2 << 20
	MinChunkSize int64 = 256 << 10
	MaxChunkSize int64 = 16 << 20
	ChunkTarget        = time.Second
)

// nextChunk is the size of the chunk after one of n bytes that took took.
func nextChunk(n int64, took time.Duration) int64 {
	switch {
	case took < ChunkTarget/2:
		n *= 2
	case took > 2*ChunkTarget:
		n /= 2
	}
	return max(MinChunkSize, min(n, MaxChunkSize))
}

// Progress is the state of the uploads, given to Options.OnProgress at most a few times
// a second, and always at the end of each file.
type Progress struct {
	SHA256    string
	Name      string
	Done      int64 // bytes of this file the server has
	Total     int64
	AllDone   int64 // over every file of this run
	AllTotal  int64
	Files     int // files left, this one included
	Completed bool
}

// SetPaused pauses (true) or resumes uploads. A paused engine still pushes and pulls;
// files wait, their attachments with them.
func (e *Engine) SetPaused(paused bool) {
	e.paused.Store(paused)
	if !paused {
		e.SyncNow()
	}
}

// Paused says whether uploads are paused.
func (e *Engine) Paused() bool { return e.paused.Load() }

var errPaused = errors.New("uploads paused")

// upload sends the bytes of every file the server lacks, resuming where each stopped,
// then queues the attachments and submissions that waited for them.
func (e *Engine) upload(ctx context.Context) error {
	up, ok := e.replica.(Uploader)
	rem, ok2 := e.remote.(UploadRemote)
	if !ok || !ok2 {
		return nil
	}
	files, err := up.PendingUploads(ctx)
	if err != nil {
		return err
	}
	if len(files) > 0 {
		if err := e.uploadFiles(ctx, up, rem, files); err != nil {
			e.uploadsWaiting.Store(!errors.Is(err, errPaused)) // paused files wait for the user, not the link
			return err
		}
	}
	e.uploadsWaiting.Store(false)
	_, err = up.QueueDueSubmissions(ctx, e.opt.Now())
	return err
}

// uploadFiles sends the files the server lacks and records each as uploaded, or as
// refused when the server will never take it.
func (e *Engine) uploadFiles(ctx context.Context, up Uploader, rem UploadRemote, files []api.FileRef) error {
	hashes := make([]string, len(files))
	for i, f := range files {
		hashes[i] = f.SHA256
	}
	missing, err := rem.Missing(ctx, hashes)
	if err != nil {
		return err
	}
	lacks := map[string]bool{}
	for _, h := range missing {
		lacks[h] = true
	}
	var all progressCounter
	for _, f := range files {
		if lacks[f.SHA256] {
			all.total += f.Size
		}
	}
	left := len(missing)
	for _, f := range files {
		if lacks[f.SHA256] { // else the organisation uploaded these bytes before
			if e.paused.Load() {
				return errPaused
			}
			err := e.uploadFile(ctx, up, rem, f, &all, left)
			left--
			if err != nil {
				code := client.Code(err)
				if code == "" || client.Temporary(err) || code == api.CodeSessionExpired || code == api.CodePasswordChanged || code == api.CodeAccountDisabled || errors.Is(err, errPaused) {
					return fmt.Errorf("upload %s: %w", f.Name, err)
				}
				// Refused for good (too large, type, quota): the other files go on.
				if err := up.UploadRefused(ctx, f.SHA256, refusal(err)); err != nil {
					return err
				}
				continue
			}
		}
		if err := up.Uploaded(ctx, f.SHA256, e.opt.Now()); err != nil {
			return err
		}
	}
	return nil
}

type progressCounter struct {
	done, total int64
	last        time.Time
}

// uploadFile sends one file with the tus protocol: it resumes a recorded upload from the
// server's offset, or creates one; each confirmed chunk's offset is saved, so a broken
// transfer — or quitting the app — resumes from there. An upload the server no longer
// has, or refused for a hash mismatch, starts again from a clean start, once.
func (e *Engine) uploadFile(ctx context.Context, up Uploader, rem UploadRemote, f api.FileRef, all *progressCounter, left int) error {
	src, err := up.OpenBlob(ctx, f.SHA256)
	if err != nil {
		return err
	}
	defer src.Close()
	restarted := false
	url, offset, err := up.UploadState(ctx, f.SHA256)
	if err != nil {
		return err
	}
	base := all.done
	for {
		if url == "" {
			if url, err = rem.CreateUpload(ctx, f); err != nil {
				return err
			}
			offset = 0
			if err := up.SaveUpload(ctx, f.SHA256, url, 0); err != nil {
				return err
			}
		} else if offset, err = rem.UploadOffset(ctx, url); err != nil {
			if client.Code(err) != api.CodeUploadGone {
				return err
			}
			url = ""
			continue
		}
		err = e.sendChunks(ctx, up, rem, f, src, url, offset, func(done int64) {
			all.done = base + done
			e.progress(all, f, done, left, false)
		})
		code := client.Code(err)
		if (code == api.CodeUploadGone || code == api.CodeHashMismatch) && !restarted {
			restarted = true
			url = ""
			if err := up.SaveUpload(ctx, f.SHA256, "", 0); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		all.done = base + f.Size
		e.progress(all, f, f.Size, left, true)
		return nil
	}
}

// sendChunks PATCHes the file from offset to its end, recording each confirmed offset.
//
// A PATCH that another request for the same upload interrupted or locked — a request
// from before a cut that reached the server late — is tried again once, from the offset
// the server then gives: that is no reason to refuse the file. Refused again at the same
// offset, the error goes up as a temporary one and the next sync tries again.
func (e *Engine) sendChunks(ctx context.Context, up Uploader, rem UploadRemote, f api.FileRef, src io.ReaderAt, url string, offset int64, onChunk func(int64)) error {
	onChunk(offset)
	size := max(MinChunkSize, min(ChunkSize, MaxChunkSize))
	retried := int64(-1) // the offset whose refused PATCH was tried again
	for offset < f.Size {
		if e.paused.Load() {
			return errPaused
		}
		n := min(size, f.Size-offset)
		start := time.Now()
		next, err := rem.UploadChunk(ctx, url, src, offset, n)
		switch code := client.Code(err); {
		case err == nil:
		case code == api.CodeOffsetConflict || busy(code) && retried != offset:
			if busy(code) {
				e.opt.Logger.Warn("upload chunk refused: asking the offset", logKeySHA256, f.SHA256, logKeyError, err)
				retried = offset
			}
			if next, err = rem.UploadOffset(ctx, url); err != nil {
				return err
			}
		default:
			return err
		}
		if next < offset || next > f.Size {
			return &client.Error{Code: api.CodeBadResponse, Err: fmt.Errorf("server offset %d after %d", next, offset)}
		}
		if next-offset == n { // a whole chunk: its time says how the link does
			size = nextChunk(size, time.Since(start))
		}
		offset = next
		if err := up.SaveUpload(ctx, f.SHA256, url, offset); err != nil {
			return err
		}
		onChunk(offset)
	}
	return nil
}

// progress reports upload progress, a few times a second at most.
func (e *Engine) progress(all *progressCounter, f api.FileRef, done int64, left int, completed bool) {
	if e.opt.OnProgress == nil {
		return
	}
	now := time.Now()
	if !completed && now.Sub(all.last) < ProgressInterval {
		return
	}
	all.last = now
	e.opt.OnProgress(Progress{SHA256: f.SHA256, Name: f.Name, Done: done, Total: f.Size,
		AllDone: all.done, AllTotal: all.total, Files: left, Completed: completed})
}

// ProgressInterval is the least time between two progress reports of a file.
var ProgressInterval = 250 * time.Millisecond

// refusal is the reason the server gave for refusing a file, else the client's code.
func refusal(err error) string {
	var ce *client.Error
	if errors.As(err, &ce) && ce.Reason != "" {
		return ce.Reason
	}
	return client.Code(err)
}

// busy reports whether an upload's PATCH was refused because another request for the
// same upload interrupted it or holds it.
func busy(code string) bool {
	return code == api.CodeUploadInterrupted || code == api.CodeUploadLocked
}
