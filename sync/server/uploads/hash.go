package uploads

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"sync"
	"sync/atomic"
)

// Hashing an upload's bytes while its PATCHes deliver them, so that finishing a 50 MB
// upload does not read the whole file again to check its SHA-256 (that pass and a copy
// into the blob store cost a third of the upload's time on loopback).
//
// The running hash lives in memory only. It is used at the finish only when it covers
// exactly the upload's bytes: every PATCH it saw started where it ended (tusd accepts a
// PATCH only at the upload's offset, and only appends), and the count of bytes it hashed
// equals the upload's size. A PATCH that read more than the store wrote leaves it ahead
// of the offset, so the next PATCH drops it; after a restart there is none. In both cases
// the finish hashes the file, as before.

// runningHashes holds the running hash of each upload in progress.
type runningHashes struct {
	mu sync.Mutex
	m  map[string]*runningHash
}

// runningHash is the SHA-256 of an upload's first n bytes. busy: a PATCH is feeding
// it. spoilt: another PATCH of the upload came meanwhile, unhashed, and may have written
// bytes first; the hash is not used, and forgotten after its PATCH.
type runningHash struct {
	h      hash.Hash
	n      int64
	busy   bool
	spoilt atomic.Bool
}

// take lends the running hash of upload id to a PATCH starting at offset: the one that
// ended there, a new one at offset 0, else nil (the PATCH is not hashed). The caller
// gives it back with give.
func (r *runningHashes) take(id string, offset int64) *runningHash {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.m[id]
	if h != nil && h.busy {
		h.spoilt.Store(true)
		return nil
	}
	// Any other offset drops it: tusd will refuse the PATCH, or the hash is behind what
	// the store wrote (or ahead: a PATCH read bytes it could not write).
	if h == nil || h.n != offset {
		delete(r.m, id)
		if offset != 0 {
			return nil
		}
		h = &runningHash{h: sha256.New()}
		if r.m == nil {
			r.m = map[string]*runningHash{}
		}
		r.m[id] = h
	}
	h.busy = true
	return h
}

// give returns a running hash after its PATCH; keep false forgets it (the upload is
// finished or gone).
func (r *runningHashes) give(id string, h *runningHash, keep bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h.busy = false
	if (!keep || h.spoilt.Load()) && r.m[id] == h {
		delete(r.m, id)
	}
}

// drop forgets the running hash of upload id. Idempotent.
func (r *runningHashes) drop(id string) {
	r.mu.Lock()
	delete(r.m, id)
	r.mu.Unlock()
}

// hashingBody feeds what tusd reads of a PATCH body to the upload's running hash.
type hashingBody struct {
	io.ReadCloser
	h *runningHash
}

func (b *hashingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.h.h.Write(p[:n])
	b.h.n += int64(n)
	return n, err
}

type runningHashKey struct{}

// withRunningHash gives the finish hook, which runs inside the PATCH, its running hash.
func withRunningHash(ctx context.Context, h *runningHash) context.Context {
	return context.WithValue(ctx, runningHashKey{}, h)
}

// runningSum returns the SHA-256 of an upload of size bytes hashed while they arrived,
// or "" when the PATCH in ctx did not hash all of them.
func runningSum(ctx context.Context, size int64) string {
	h, _ := ctx.Value(runningHashKey{}).(*runningHash)
	if h == nil || h.n != size || h.spoilt.Load() {
		return ""
	}
	return hex.EncodeToString(h.h.Sum(nil))
}
