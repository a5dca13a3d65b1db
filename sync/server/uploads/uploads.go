package uploads

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tus/tusd/v2/pkg/filestore"
	tusd "github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
	expslog "golang.org/x/exp/slog"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs"
	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// Adder records a checked upload as a blob of its organisation (workflow.AddUpload).
type Adder interface {
	AddUpload(ctx context.Context, orgID string, ref api.FileRef) error
}

// Files keeps the bytes of unfinished uploads under the ids the server gives (see
// preCreate), e.g. s3.Uploads; the default is tusd's file store over Options.Dir.
type Files interface {
	tusd.DataStore
	tusd.TerminaterDataStore
}

// objectFiles are Files in an object store whose complete upload id is the object
// ObjectKey(id); an objectAdopter blob store copies it inside the store.
type objectFiles interface {
	ObjectKey(id string) string
}

// objectAdopter is a blob store that can take a checked object of its own store as a
// blob (s3.Store); on error the caller copies it with Put.
type objectAdopter interface {
	AdoptObject(ctx context.Context, key, sha256 string) error
}

// Options configure Uploads. All but Dir or Files, Logger and Now are required.
type Options struct {
	Dir    string // unfinished uploads: <id> and <id>.info; created if missing; unused with Files
	Files  Files  // unfinished uploads elsewhere; nil means in Dir
	Store  store.Uploads
	Blobs  blobs.Store
	Adder  Adder
	Limits api.Limits // the evidence limits: size, types, quota, expiry
	// Locker locks an upload while a request works on it. nil means in memory, which
	// locks within this process only: nodes sharing the unfinished uploads (Files in an
	// object store) need one they share, such as pglock's.
	Locker tusd.Locker
	Logger *slog.Logger
	Now    func() time.Time // nil means time.Now
}

// Uploads is the tus side of the server. Safe for concurrent use.
type Uploads struct {
	h      *tusd.UnroutedHandler
	files  Files
	dir    string // Dir when files is the folder, else ""
	locker tusd.Locker
	hashes runningHashes // SHA-256 of each upload's bytes so far (hash.go)

	store  store.Uploads // the uploads table and the organisations' blobs
	blobs  blobs.Store
	adder  Adder
	limits api.Limits
	log    *slog.Logger
	now    func() time.Time
}

// New returns the upload handlers; it starts nothing (Serve runs the janitor).
func New(o Options) (*Uploads, error) {
	u := &Uploads{files: o.Files, locker: o.Locker,
		store: o.Store, blobs: o.Blobs, adder: o.Adder, limits: o.Limits, log: o.Logger, now: o.Now}
	if u.files == nil {
		if err := os.MkdirAll(o.Dir, 0o750); err != nil {
			return nil, fmt.Errorf("create upload folder: %w", err)
		}
		u.files, u.dir = filestore.New(o.Dir), o.Dir
	}
	if u.locker == nil {
		u.locker = memorylocker.New()
	}
	if u.log == nil {
		u.log = slog.New(slog.DiscardHandler)
	}
	if u.now == nil {
		u.now = time.Now
	}
	composer := tusd.NewStoreComposer()
	// Core and termination only: no deferred lengths (the limits need the size at
	// creation), no concatenation, no downloads of unfinished bytes.
	composer.UseCore(u.files)
	composer.UseTerminater(u.files)
	composer.UseLocker(u.locker)
	h, err := tusd.NewUnroutedHandler(tusd.Config{
		StoreComposer:             composer,
		BasePath:                  api.Version + api.UploadsPath,
		MaxSize:                   u.limits.MaxFileBytes,
		DisableDownload:           true, // bytes are read by hash, from /files, once checked
		DisableConcatenation:      true,
		Cors:                      &tusd.CorsConfig{Disable: true}, // like the rest of the API
		Logger:                    expslog.New(expslog.NewTextHandler(io.Discard, nil)),
		PreUploadCreateCallback:   u.preCreate,
		PreFinishResponseCallback: u.finishHook,
	})
	if err != nil {
		return nil, fmt.Errorf("tus handler: %w", err)
	}
	u.h = h
	return u, nil
}

// binPath is where tusd's file store keeps the bytes of upload id: a file named after
// the id in its folder.
func (u *Uploads) binPath(id string) string { return filepath.Join(u.dir, id) }

// expiry is how long an unfinished upload may stay untouched.
func (u *Uploads) expiry() time.Duration { return time.Duration(u.limits.UploadExpiry) * time.Second }

// tusError is a refusal of the upload routes: tusd sends it as is, an api.Error body.
func tusError(p *problem.Error) tusd.Error {
	body, _ := json.Marshal(api.Error{Code: p.Code, Message: p.Message})
	return tusd.Error{ErrorCode: p.Code, Message: p.Message, HTTPResponse: tusd.HTTPResponse{
		StatusCode: p.Status, Body: string(body), Header: tusd.HTTPHeader{"Content-Type": "application/json"}}}
}

// validUploadID reports whether id has the form the server gives upload ids, so no
// crafted id reaches the file store.
func validUploadID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil && strings.ToLower(id) == id
}

// preCreate checks a new upload (POST) and records who owns it. The server
// chooses the id; the metadata is rewritten with the sanitised name.
func (u *Uploads) preCreate(hook tusd.HookEvent) (tusd.HTTPResponse, tusd.FileInfoChanges, error) {
	var none tusd.FileInfoChanges
	c := auth.CallerOf(hook.Context)
	if c.User.Role != api.RoleClient || c.User.OrgID == "" {
		return tusd.HTTPResponse{}, none, tusError(problem.New(api.CodeForbidden, "this role may not upload"))
	}
	info := hook.Upload
	if info.SizeIsDeferred {
		return tusd.HTTPResponse{}, none, tusError(problem.BadRequest("Upload-Length is required"))
	}
	sum := info.MetaData[api.UploadMetaSHA256]
	if !api.ValidSHA256(sum) {
		return tusd.HTTPResponse{}, none, tusError(problem.BadRequest(
			"Upload-Metadata must carry sha256: the file's SHA-256 in 64 lower-case hex digits"))
	}
	name := workflow.SanitizeFileName(info.MetaData[api.UploadMetaName])
	if name == "" {
		return tusd.HTTPResponse{}, none, tusError(problem.BadRequest("Upload-Metadata must carry filename"))
	}
	if code, msg := workflow.FileRefused(u.limits, name, info.Size); code != "" {
		return tusd.HTTPResponse{}, none, tusError(problem.New(code, msg))
	}
	ctx := hook.Context
	if u.limits.QuotaBytes > 0 {
		if _, err := u.store.OrgBlob(ctx, c.User.OrgID, sum); errors.Is(err, store.ErrNotFound) {
			used, err := u.store.UsedBytes(ctx, c.User.OrgID)
			if err != nil {
				return tusd.HTTPResponse{}, none, err
			}
			pending, err := u.store.PendingUploadBytes(ctx, c.User.OrgID, sum)
			if err != nil {
				return tusd.HTTPResponse{}, none, err
			}
			if used+pending+info.Size > u.limits.QuotaBytes {
				return tusd.HTTPResponse{}, none, tusError(problem.New(api.CodeQuotaExceeded,
					fmt.Sprintf("the organisation's quota of %d bytes would be exceeded (%d used, %d in unfinished uploads)",
						u.limits.QuotaBytes, used, pending)))
			}
		} else if err != nil {
			return tusd.HTTPResponse{}, none, err
		}
	}
	now := u.now().UTC()
	rec := store.UploadRecord{ID: auth.RandomHex(16), OrgID: c.User.OrgID, Username: c.User.Username, SHA256: sum, Name: name,
		MediaType: workflow.CleanMediaType(info.MetaData[api.UploadMetaMediaType], name), Size: info.Size, CreatedAt: now, TouchedAt: now}
	if err := u.store.CreateUpload(ctx, rec); err != nil {
		return tusd.HTTPResponse{}, none, err
	}
	return tusd.HTTPResponse{}, tusd.FileInfoChanges{ID: rec.ID, MetaData: tusd.MetaData{
		api.UploadMetaSHA256: sum, api.UploadMetaName: name, api.UploadMetaMediaType: rec.MediaType}}, nil
}

// finishHook runs when the last byte of an upload arrived, under the upload's lock.
func (u *Uploads) finishHook(hook tusd.HookEvent) (tusd.HTTPResponse, error) {
	// The work must finish even if the client hangs up after its last byte.
	ctx := context.WithoutCancel(hook.Context)
	if b, ok := hook.Context.Value(countedBodyKey{}).(*countedBody); ok && b.overran(hook.Upload.Size) {
		// The request is refused (too_large): nothing of it may stay.
		if err := u.discard(ctx, hook.Upload.ID, false); err != nil {
			u.log.ErrorContext(ctx, "discard upload", logkey.Error, err)
		}
		return tusd.HTTPResponse{}, tusError(problem.New(api.CodeTooLarge,
			"the body went on past the upload's length; the upload was discarded, start a new one"))
	}
	rec, err := u.store.Upload(ctx, hook.Upload.ID)
	if err != nil {
		return tusd.HTTPResponse{}, err
	}
	return tusd.HTTPResponse{}, u.finish(ctx, rec, runningSum(hook.Context, hook.Upload.Size))
}

// finish checks a complete upload against its hash and makes it a blob of its
// organisation, or discards it. known is the SHA-256 of all its bytes hashed while they
// arrived, "" to hash the file now. The caller holds the upload's lock. Either way the
// upload is gone afterwards, unless an internal error left it for a retry.
func (u *Uploads) finish(ctx context.Context, rec store.UploadRecord, known string) error {
	up, err := u.files.GetUpload(ctx, rec.ID)
	if err != nil {
		return err
	}
	sum, n := known, rec.Size
	if sum == "" {
		if sum, n, err = hashUpload(ctx, up); err != nil {
			return err
		}
	}
	if sum != rec.SHA256 || n != rec.Size {
		if err := u.discard(ctx, rec.ID, false); err != nil {
			u.log.ErrorContext(ctx, "discard upload", logkey.Error, err)
		}
		return tusError(problem.New(api.CodeHashMismatch,
			"the uploaded bytes do not have the SHA-256 of the upload's metadata; the upload was discarded, start a new one"))
	}
	stored, size, err := u.storeUpload(ctx, up, rec)
	if err != nil {
		return err
	}
	if err := u.adder.AddUpload(ctx, rec.OrgID, api.FileRef{SHA256: stored, Name: rec.Name, Size: size, MediaType: rec.MediaType}); err != nil {
		return err
	}
	return u.discard(ctx, rec.ID, false)
}

// storeUpload makes the checked bytes of a complete upload a blob: linked (or copied
// inside the object store) into the blob store when it can take them as they are, else
// copied through the server (and hashed once more).
func (u *Uploads) storeUpload(ctx context.Context, up tusd.Upload, rec store.UploadRecord) (string, int64, error) {
	if a, ok := u.blobs.(blobs.Adopter); ok && u.dir != "" {
		err := a.Adopt(ctx, u.binPath(rec.ID), rec.SHA256)
		if err == nil {
			return rec.SHA256, rec.Size, nil
		}
		u.log.WarnContext(ctx, "link upload into the blob store; copying it", logkey.Error, err)
	}
	if a, ok := u.blobs.(objectAdopter); ok {
		if f, ok := u.files.(objectFiles); ok {
			err := a.AdoptObject(ctx, f.ObjectKey(rec.ID), rec.SHA256)
			if err == nil {
				return rec.SHA256, rec.Size, nil
			}
			u.log.WarnContext(ctx, "copy upload inside the object store; copying it through the server", logkey.Error, err)
		}
	}
	rd, err := up.GetReader(ctx)
	if err != nil {
		return "", 0, err
	}
	defer rd.Close()
	stored, size, err := u.blobs.Put(ctx, rd)
	if err != nil {
		return "", 0, err
	}
	if stored != rec.SHA256 {
		return "", 0, fmt.Errorf("upload %s changed while it was stored", rec.ID)
	}
	return stored, size, nil
}

func hashUpload(ctx context.Context, up tusd.Upload) (string, int64, error) {
	rd, err := up.GetReader(ctx)
	if err != nil {
		return "", 0, err
	}
	defer rd.Close()
	h := sha256.New()
	n, err := io.Copy(h, rd)
	if err != nil {
		return "", 0, fmt.Errorf("hash upload: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// discard deletes an upload's bytes and its record; lock says whether to take the
// upload's lock first (the caller does not hold it). Idempotent.
func (u *Uploads) discard(ctx context.Context, id string, lock bool) error {
	u.hashes.drop(id)
	if lock {
		l, err := u.locker.NewLock(id)
		if err != nil {
			return err
		}
		lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = l.Lock(lctx, func() {})
		cancel()
		if err != nil {
			return err
		}
		defer l.Unlock()
	}
	up, err := u.files.GetUpload(ctx, id)
	if err == nil {
		err = u.files.AsTerminatableUpload(up).Terminate(ctx)
	}
	if err != nil && !errors.Is(err, tusd.ErrNotFound) && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return u.store.DeleteUpload(ctx, id)
}
