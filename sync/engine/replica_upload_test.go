package engine_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// memReplica's Uploader: the upload state of each file, and the attachments and
// submissions that wait for the bytes.

func (r *memReplica) PendingUploads(ctx context.Context) ([]api.FileRef, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []api.FileRef
	for _, sha := range r.order {
		if u := r.uploads[sha]; !u.done && u.refused == "" {
			out = append(out, u.ref)
		}
	}
	return out, ctx.Err()
}

func (r *memReplica) UploadState(ctx context.Context, sha string) (string, int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	u, ok := r.uploads[sha]
	if !ok {
		return "", 0, ctx.Err()
	}
	return u.url, u.offset, ctx.Err()
}

func (r *memReplica) SaveUpload(ctx context.Context, sha, url string, offset int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if u, ok := r.uploads[sha]; ok {
		u.url, u.offset = url, offset
	}
	return ctx.Err()
}

func (r *memReplica) Uploaded(ctx context.Context, sha string, now time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	u, ok := r.uploads[sha]
	if !ok {
		return ctx.Err()
	}
	u.done, u.url, u.offset = true, "", u.ref.Size
	for _, e := range u.waiting {
		r.queue(e, now)
	}
	u.waiting = nil
	return ctx.Err()
}

func (r *memReplica) QueueDueSubmissions(ctx context.Context, now time.Time) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, nc := range slices.Sorted(maps.Keys(r.submissions)) {
		if r.waitsForUpload(nc) {
			continue
		}
		r.queue(api.PushEntry{Kind: api.KindEvidenceSubmit, NCID: nc, BaseRevision: r.submissions[nc]}, now)
		delete(r.submissions, nc)
		n++
	}
	return n, ctx.Err()
}

// waitsForUpload says whether an attachment to nc waits for its file's bytes.
func (r *memReplica) waitsForUpload(nc string) bool {
	for _, u := range r.uploads {
		if !u.done && u.refused == "" && slices.ContainsFunc(u.waiting, func(e api.PushEntry) bool { return e.NCID == nc }) {
			return true
		}
	}
	return false
}

func (r *memReplica) OpenBlob(_ context.Context, sha string) (*os.File, error) {
	if !api.ValidSHA256(sha) {
		return nil, fmt.Errorf("open blob: bad hash %q", sha)
	}
	return os.Open(r.blobPath(sha))
}

func (r *memReplica) UploadRefused(ctx context.Context, sha, code string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if u, ok := r.uploads[sha]; ok && !u.done {
		u.refused = code
	}
	return ctx.Err()
}

// What the tests do as the user.

// attach keeps data as an evidence file of ncID, to be attached once it is uploaded.
func (r *memReplica) attach(t *testing.T, ncID, evidenceID, name string, data []byte) api.FileRef {
	t.Helper()
	ref := api.FileRef{SHA256: sha256Hex(data), Name: name, Size: int64(len(data)), MediaType: "application/pdf"}
	if err := os.WriteFile(r.blobPath(ref.SHA256), data, 0o600); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cached[ref.SHA256] = true
	u, ok := r.uploads[ref.SHA256]
	if !ok {
		u = &upload{ref: ref}
		r.uploads[ref.SHA256] = u
		r.order = append(r.order, ref.SHA256)
	}
	u.done = false // the server may have the bytes: Missing will say
	u.waiting = append(u.waiting, api.PushEntry{Kind: api.KindEvidenceAdd, NCID: ncID, Text: name,
		EvidenceID: evidenceID, File: &ref})
	return ref
}

// send presses Send on ncID's evidence, seen at the NC's revision in the replica.
func (r *memReplica) send(ncID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.submissions[ncID] = r.revision(api.EntityNC, ncID)
}

// refusal returns why the server refused the file sha for good, "" when it did not.
func (r *memReplica) refusal(sha string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if u, ok := r.uploads[sha]; ok {
		return u.refused
	}
	return ""
}
