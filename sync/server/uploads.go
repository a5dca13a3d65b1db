package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tus/tusd/v2/pkg/filestore"
	tusd "github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
	expslog "golang.org/x/exp/slog"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Evidence uploads: tusd's protocol handler (resumable uploads, tus 1.0) with its file
// store in DataDir/uploads, wrapped so that only a client of the organisation that
// created an upload can see or change it, and so that a finished upload becomes a blob
// of that organisation only after its whole-file SHA-256 was checked.

// uploads is the tus side of the server.
type uploads struct {
	h       *tusd.UnroutedHandler
	store   filestore.FileStore
	locker  *memorylocker.MemoryLocker
	records Store         // the uploads table
	hashes  runningHashes // SHA-256 of each upload's bytes so far (uploads_hash.go)
}

// binPath is where tusd's file store keeps the bytes of upload id: a file named after
// the id in its folder.
func (u *uploads) binPath(id string) string { return filepath.Join(u.store.Path, id) }

func (s *Server) newUploads(dir string) (*uploads, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create upload folder: %w", err)
	}
	u := &uploads{store: filestore.New(dir), locker: memorylocker.New(), records: s.store}
	composer := tusd.NewStoreComposer()
	// Core and termination only: no deferred lengths (the limits need the size at
	// creation), no concatenation, no downloads of unfinished bytes.
	composer.UseCore(u.store)
	composer.UseTerminater(u.store)
	u.locker.UseIn(composer)
	h, err := tusd.NewUnroutedHandler(tusd.Config{
		StoreComposer:             composer,
		BasePath:                  api.Version + api.UploadsPath,
		MaxSize:                   s.limits.MaxFileBytes,
		DisableDownload:           true, // bytes are read by hash, from /files, once checked
		DisableConcatenation:      true,
		Cors:                      &tusd.CorsConfig{Disable: true}, // like the rest of the API
		Logger:                    expslog.New(expslog.NewTextHandler(io.Discard, nil)),
		PreUploadCreateCallback:   s.preCreateUpload,
		PreFinishResponseCallback: s.finishUploadHook,
	})
	if err != nil {
		return nil, fmt.Errorf("tus handler: %w", err)
	}
	u.h = h
	return u, nil
}

// uploadError is a refusal of the upload routes: tusd sends it as is, an api.Error body.
func uploadError(status int, code, msg string) tusd.Error {
	body, _ := json.Marshal(api.Error{Code: code, Message: msg})
	return tusd.Error{ErrorCode: code, Message: msg, HTTPResponse: tusd.HTTPResponse{
		StatusCode: status, Body: string(body), Header: tusd.HTTPHeader{"Content-Type": "application/json"}}}
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

// preCreateUpload checks a new upload (POST) and records who owns it. The server
// chooses the id; the metadata is rewritten with the sanitised name.
func (s *Server) preCreateUpload(hook tusd.HookEvent) (tusd.HTTPResponse, tusd.FileInfoChanges, error) {
	var none tusd.FileInfoChanges
	c, _ := hook.Context.Value(ctxKey{}).(caller)
	if c.user.Role != api.RoleClient || c.user.OrgID == "" {
		return tusd.HTTPResponse{}, none, uploadError(http.StatusForbidden, api.CodeForbidden, "this role may not upload")
	}
	info := hook.Upload
	if info.SizeIsDeferred {
		return tusd.HTTPResponse{}, none, uploadError(http.StatusBadRequest, api.CodeBadRequest, "Upload-Length is required")
	}
	sum := info.MetaData[api.UploadMetaSHA256]
	if !validSHA256(sum) {
		return tusd.HTTPResponse{}, none, uploadError(http.StatusBadRequest, api.CodeBadRequest,
			"Upload-Metadata must carry sha256: the file's SHA-256 in 64 lower-case hex digits")
	}
	name := SanitizeFileName(info.MetaData[api.UploadMetaName])
	if name == "" {
		return tusd.HTTPResponse{}, none, uploadError(http.StatusBadRequest, api.CodeBadRequest, "Upload-Metadata must carry filename")
	}
	if code, msg := s.fileRefused(name, info.Size); code != "" {
		status := http.StatusRequestEntityTooLarge
		if code == api.CodeTypeRefused {
			status = http.StatusUnsupportedMediaType
		}
		return tusd.HTTPResponse{}, none, uploadError(status, code, msg)
	}
	ctx := hook.Context
	if s.limits.QuotaBytes > 0 {
		if _, err := s.store.OrgBlob(ctx, c.user.OrgID, sum); errors.Is(err, ErrNotFound) {
			used, err := s.store.UsedBytes(ctx, c.user.OrgID)
			if err != nil {
				return tusd.HTTPResponse{}, none, err
			}
			pending, err := s.store.PendingUploadBytes(ctx, c.user.OrgID, sum)
			if err != nil {
				return tusd.HTTPResponse{}, none, err
			}
			if used+pending+info.Size > s.limits.QuotaBytes {
				return tusd.HTTPResponse{}, none, uploadError(http.StatusRequestEntityTooLarge, api.CodeQuotaExceeded,
					fmt.Sprintf("the organisation's quota of %d bytes would be exceeded (%d used, %d in unfinished uploads)",
						s.limits.QuotaBytes, used, pending))
			}
		} else if err != nil {
			return tusd.HTTPResponse{}, none, err
		}
	}
	now := s.now().UTC()
	rec := UploadRecord{ID: randomHex(16), OrgID: c.user.OrgID, Username: c.user.Username, SHA256: sum, Name: name,
		MediaType: cleanMediaType(info.MetaData[api.UploadMetaMediaType], name), Size: info.Size, CreatedAt: now, TouchedAt: now}
	if err := s.store.CreateUpload(ctx, rec); err != nil {
		return tusd.HTTPResponse{}, none, err
	}
	return tusd.HTTPResponse{}, tusd.FileInfoChanges{ID: rec.ID, MetaData: tusd.MetaData{
		api.UploadMetaSHA256: sum, api.UploadMetaName: name, api.UploadMetaMediaType: rec.MediaType}}, nil
}

// finishUploadHook runs when the last byte of an upload arrived, under the upload's lock.
func (s *Server) finishUploadHook(hook tusd.HookEvent) (tusd.HTTPResponse, error) {
	// The work must finish even if the client hangs up after its last byte.
	ctx := context.WithoutCancel(hook.Context)
	if b, ok := hook.Context.Value(countedBodyKey{}).(*countedBody); ok && b.overran(hook.Upload.Size) {
		// The request is refused (upload_size_exceeded): nothing of it may stay.
		if err := s.uploads.discard(ctx, hook.Upload.ID, false); err != nil {
			s.log.ErrorContext(ctx, "discard upload", keyError, err)
		}
		return tusd.HTTPResponse{}, uploadError(http.StatusRequestEntityTooLarge, "upload_size_exceeded",
			"the body went on past the upload's length; the upload was discarded, start a new one")
	}
	rec, err := s.store.Upload(ctx, hook.Upload.ID)
	if err != nil {
		return tusd.HTTPResponse{}, err
	}
	return tusd.HTTPResponse{}, s.finishUpload(ctx, rec, runningSum(hook.Context, hook.Upload.Size))
}

// finishUpload checks a complete upload against its hash and makes it a blob of its
// organisation, or discards it. known is the SHA-256 of all its bytes hashed while they
// arrived, "" to hash the file now. The caller holds the upload's lock. Either way the
// upload is gone afterwards, unless an internal error left it for a retry.
func (s *Server) finishUpload(ctx context.Context, rec UploadRecord, known string) error {
	up, err := s.uploads.store.GetUpload(ctx, rec.ID)
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
		if err := s.uploads.discard(ctx, rec.ID, false); err != nil {
			s.log.ErrorContext(ctx, "discard upload", keyError, err)
		}
		return uploadError(api.StatusHashMismatch, api.CodeHashMismatch,
			"the uploaded bytes do not have the SHA-256 of the upload's metadata; the upload was discarded, start a new one")
	}
	stored, size, err := s.storeUpload(ctx, up, rec)
	if err != nil {
		return err
	}
	err = s.store.Update(ctx, rec.OrgID, func(tx Tx) error {
		added, err := tx.AddOrgBlob(api.FileRef{SHA256: stored, Name: rec.Name, Size: size, MediaType: rec.MediaType}, s.now().UTC())
		if err != nil || !added {
			return err
		}
		used, err := tx.UsedBytes()
		if err != nil {
			return err
		}
		return tx.Write(s.limitsWrite(used))
	})
	if err != nil {
		return err
	}
	return s.uploads.discard(ctx, rec.ID, false)
}

// blobAdopter is a blob store that can take a checked file as it is, without a copy.
type blobAdopter interface {
	Adopt(ctx context.Context, path, sha256 string) error
}

// storeUpload makes the checked bytes of a complete upload a blob: linked into the blob
// store when it can take them as they are, else copied (and hashed once more).
func (s *Server) storeUpload(ctx context.Context, up tusd.Upload, rec UploadRecord) (string, int64, error) {
	if a, ok := s.blobs.(blobAdopter); ok {
		err := a.Adopt(ctx, s.uploads.binPath(rec.ID), rec.SHA256)
		if err == nil {
			return rec.SHA256, rec.Size, nil
		}
		s.log.WarnContext(ctx, "link upload into the blob store; copying it", keyError, err)
	}
	rd, err := up.GetReader(ctx)
	if err != nil {
		return "", 0, err
	}
	defer rd.Close()
	stored, size, err := s.blobs.Put(ctx, rd)
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
func (u *uploads) discard(ctx context.Context, id string, lock bool) error {
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
	up, err := u.store.GetUpload(ctx, id)
	if err == nil {
		err = u.store.AsTerminatableUpload(up).Terminate(ctx)
	}
	if err != nil && !errors.Is(err, tusd.ErrNotFound) && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return u.records.DeleteUpload(ctx, id)
}
