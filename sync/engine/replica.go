package engine

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Replica is what the engine needs of the local store. app/store implements it on
// SQLite; the engine's tests implement it in memory. Every implementation keeps this
// contract:
//
//   - Not found is never an error: what is absent comes back as the zero value ("" for
//     the cursor, an empty list).
//   - An error may carry a client error code (a *client.Error, e.g. api.CodeDiskFull):
//     the engine shows the code to the user and stops the sync. An error without a code
//     is shown as "internal", except in the file downloads, where it skips the file
//     until the next sync.
//   - Methods are safe for concurrent use: files are downloaded by several goroutines
//     at once (DownloadWorkers and SmallDownloads), never two of them for the same hash.
type Replica interface {
	// Cursor returns where the next pull starts: the cursor of the last page applied,
	// "" before the first.
	Cursor(ctx context.Context) (string, error)

	// ApplyPage writes every change of page and page.Cursor as the new cursor,
	// atomically: after an error, a cancelled ctx or a crash, the replica holds either
	// the whole page and its cursor, or neither. An upsert replaces the entity (by
	// Entity and ID) with Data; a delete removes it, and deleting what is absent is no
	// error, so a page applied twice leaves the replica as once. Changes of an entity
	// the replica does not know are skipped (a newer server); an unknown operation or
	// an upsert whose Data is not JSON fails the whole page. lastSync (RFC 3339, this
	// device's clock) is recorded with them: the last sync as the user sees it.
	ApplyPage(ctx context.Context, page api.ChangesPage, lastSync string) error

	// MissingFiles lists the files referenced by the replicated entities (certificates,
	// documents, evidence) whose content is not cached, each hash once. A file leaves
	// the list when FinishDownload kept it.
	MissingFiles(ctx context.Context) ([]api.FileRef, error)

	// PartialDownload opens the partly downloaded content of sha for writing at its end
	// (creating it empty when there is none) and returns how many bytes it holds. The
	// caller owns the file: it appends, may truncate it to 0 and seek to 0 to start
	// over, and closes it. What was written survives a restart of the app.
	PartialDownload(sha string) (*os.File, int64, error)

	// FinishDownload checks the partial download of ref.SHA256 against that hash. When
	// it matches, it keeps it durably as the file's cached content. When it does not,
	// it throws it away — the next PartialDownload starts empty — and returns an error.
	FinishDownload(ctx context.Context, ref api.FileRef) error

	// ClientID names the replica in pushes: chosen at random on the first call (16 to
	// 64 characters of [A-Za-z0-9_-]), the same ever after. The server recognises a
	// replayed entry by (client id, seq), so a changed id would apply entries twice.
	ClientID(ctx context.Context) (string, error)

	// PendingPush returns at most max outbox entries still pending, by increasing Seq.
	// Seq grows with every entry written and is never reused. It may return fewer than
	// max (entries that must wait for the answers to earlier ones), but always the
	// oldest pending ones: the server refuses a Seq lower than one it has answered.
	// An entry is pending until ApplyPushResults records its result; none is returned
	// when the outbox holds nothing pending.
	PendingPush(ctx context.Context, max int) ([]api.PushEntry, error)

	// ApplyPushResults records the server's answers, atomically. Each result takes its
	// entry (by Seq) out of the pending ones, for good: an applied, duplicate or
	// conflicting entry leaves the outbox with its effect written (a conflict keeps
	// both versions for the user); a rejected one stays for the user to read, no longer
	// pending. A result whose entry is no longer pending (the answer to a retried
	// request) is ignored, so the call is idempotent. author and now stand for the
	// user's messages until a pull brings the server's copy.
	ApplyPushResults(ctx context.Context, results []api.PushResult, author string, now time.Time) error

	// PendingCount counts the entries PendingPush has still to return.
	PendingCount(ctx context.Context) (int, error)
}

// Uploader is what the upload step needs of the replica; a Replica that implements it
// too has its files uploaded at the start of each sync. Its errors must carry no client
// error code: the upload step takes a coded error for the server's refusal of a file.
// Any error stops the uploads of this sync (and is logged); the push and pull go on.
type Uploader interface {
	// PendingUploads lists the files whose bytes the server must receive before what
	// waits for them is queued, each hash once, oldest first. A file leaves the list
	// when Uploaded or UploadRefused recorded it.
	PendingUploads(ctx context.Context) ([]api.FileRef, error)

	// UploadState returns where the upload of sha stands: its address on the server and
	// the last offset the server confirmed; "" and 0 before an upload was created, or
	// after SaveUpload forgot it.
	UploadState(ctx context.Context, sha string) (url string, offset int64, err error)

	// SaveUpload records an upload's address and confirmed offset, durably, so that a
	// restarted app resumes there; url "" forgets the upload.
	SaveUpload(ctx context.Context, sha, url string, offset int64) error

	// Uploaded records that the server has the bytes of sha and, in the same
	// transaction, queues in the outbox what waited for them. Idempotent: nothing is
	// queued twice.
	Uploaded(ctx context.Context, sha string, now time.Time) error

	// QueueDueSubmissions queues, atomically, the evidence submissions whose files are
	// all on the server, and returns how many. Nothing is queued twice.
	QueueDueSubmissions(ctx context.Context, now time.Time) (int, error)

	// OpenBlob opens a file's content for reading; the caller closes it. Content that
	// is not there is an error.
	OpenBlob(ctx context.Context, sha string) (*os.File, error)

	// UploadRefused records that the server will never take sha; code (an api code)
	// says why. What waited for the file is shown to the user as refused.
	UploadRefused(ctx context.Context, sha, code string) error
}

// TrailLog is what the push needs of the replica's trail (see api.TrailEntry).
type TrailLog interface {
	// Pending returns, by seq, at most max entries the server has not acknowledged.
	Pending(ctx context.Context, max int) ([]api.TrailEntry, error)
	// Acknowledged records the server's answer to the trail of a push (ack.Code set:
	// refused; the entries stay pending). A Last lower than one recorded before changes
	// nothing.
	Acknowledged(ctx context.Context, ack api.TrailAck) error
}

// Remote is what the engine needs of the Ecert API client. Its errors carry the
// client's codes (client.Code).
type Remote interface {
	Push(ctx context.Context, req api.PushRequest) (api.PushResponse, error)
	Changes(ctx context.Context, cursor string, limit int) (api.ChangesPage, error)
	// Download writes the content of sha from byte from on; open is called with the
	// offset the server actually starts at (0 when it sends the whole file).
	Download(ctx context.Context, sha string, from int64, open func(start int64) (io.Writer, error)) error
}

// UploadRemote is what the upload step needs of the API client.
type UploadRemote interface {
	// Missing returns the hashes whose bytes the organisation has not uploaded.
	Missing(ctx context.Context, hashes []string) ([]string, error)
	// CreateUpload creates a tus upload of ref and returns its address.
	CreateUpload(ctx context.Context, ref api.FileRef) (string, error)
	// UploadOffset returns how many bytes of the upload the server has.
	UploadOffset(ctx context.Context, url string) (int64, error)
	// UploadChunk sends n bytes of src from offset and returns the server's new offset.
	UploadChunk(ctx context.Context, url string, src io.ReaderAt, offset, n int64) (int64, error)
}
