package s3

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	tusd "github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/s3store"
)

// uploadPrefix is where uploads in progress are in the bucket, under the prefix:
// <id>.info (tusd's record, which names the multipart upload), <id>.part (the bytes
// short of a part) and, once complete, <id> (the whole file).
const uploadPrefix = "uploads/"

// PartSize is the size of the parts of a multipart upload: the bytes of an upload are
// sent to S3 in parts of this size, the rest kept in <id>.part until the next PATCH.
// S3 refuses parts under 5 MiB but the last (so less counts as 5 MiB); a package
// variable that tests change.
var PartSize int64 = 8 << 20

// Uploads keeps tus uploads in progress in the bucket with tusd's S3 store, so that any
// node can resume them, under the ids the server gives: tusd's S3 store names an
// upload "<id>+<multipart id>", which Uploads reads back from <id>.info.
type Uploads struct {
	c     *Client
	inner s3store.S3Store
}

// NewUploads returns the upload store of c's bucket. tmpDir holds a part while it is
// sent ("" means os.TempDir).
func NewUploads(c *Client, tmpDir string) *Uploads {
	st := s3store.New(c.bucket, c.api)
	st.ObjectPrefix = c.prefix + uploadPrefix
	st.TemporaryDirectory = tmpDir
	st.PreferredPartSize = max(PartSize, st.MinPartSize)
	return &Uploads{c: c, inner: st}
}

// ObjectKey is the key, under the client's prefix, of the whole file of a complete
// upload id: Store.AdoptObject takes it from there.
func (u *Uploads) ObjectKey(id string) string { return uploadPrefix + id }

// NewUpload starts the multipart upload of info.ID, which the caller chose.
func (u *Uploads) NewUpload(ctx context.Context, info tusd.FileInfo) (tusd.Upload, error) {
	id := info.ID
	if id == "" || strings.Contains(id, "+") {
		return nil, fmt.Errorf("s3 upload: id %q", id)
	}
	up, err := u.inner.NewUpload(ctx, info)
	if err != nil {
		return nil, err
	}
	return &upload{Upload: up, id: id}, nil
}

// GetUpload finds upload id, or answers tusd.ErrNotFound.
func (u *Uploads) GetUpload(ctx context.Context, id string) (tusd.Upload, error) {
	out, err := u.c.api.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(u.c.bucket), Key: u.c.key(uploadPrefix + id + ".info")})
	if isNotFound(err) {
		return nil, tusd.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("s3 upload %s: %w", id, err)
	}
	defer out.Body.Close()
	var info tusd.FileInfo
	if err := json.NewDecoder(out.Body).Decode(&info); err != nil {
		return nil, fmt.Errorf("s3 upload %s: read info: %w", id, err)
	}
	if !strings.HasPrefix(info.ID, id+"+") {
		return nil, fmt.Errorf("s3 upload %s: info names %q", id, info.ID)
	}
	up, err := u.inner.GetUpload(ctx, info.ID)
	if err != nil {
		return nil, err
	}
	return &upload{Upload: up, id: id}, nil
}

// AsTerminatableUpload deletes an upload's objects and aborts its multipart upload.
func (u *Uploads) AsTerminatableUpload(up tusd.Upload) tusd.TerminatableUpload {
	return u.inner.AsTerminatableUpload(up.(*upload).Upload)
}

// upload is one of tusd's S3 uploads that answers by the server's id.
type upload struct {
	tusd.Upload
	id string
}

func (up *upload) GetInfo(ctx context.Context) (tusd.FileInfo, error) {
	info, err := up.Upload.GetInfo(ctx)
	info.ID = up.id
	return info, err
}

// AbortOrphans aborts the multipart uploads below uploads/ begun before `before` (by
// the store's clock) that have no <id>.info: begun by a node that failed before it
// wrote the record, so no expiry of the server's upload records reaches them. Uploads
// with a record are the expiry's. Returns how many it aborted.
func (u *Uploads) AbortOrphans(ctx context.Context, before time.Time) (int, error) {
	in := &s3.ListMultipartUploadsInput{Bucket: aws.String(u.c.bucket), Prefix: u.c.key(uploadPrefix)}
	n := 0
	for {
		out, err := u.c.api.ListMultipartUploads(ctx, in)
		if err != nil {
			return n, fmt.Errorf("list multipart uploads: %w", err)
		}
		for _, m := range out.Uploads {
			if m.Initiated == nil || !m.Initiated.Before(before) {
				continue
			}
			_, err := u.c.api.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(u.c.bucket), Key: aws.String(aws.ToString(m.Key) + ".info")})
			if err == nil {
				continue
			}
			if !isNotFound(err) {
				return n, fmt.Errorf("look up upload record: %w", err)
			}
			_, err = u.c.api.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(u.c.bucket), Key: m.Key, UploadId: m.UploadId})
			if err != nil && !isNotFound(err) {
				return n, fmt.Errorf("abort multipart upload: %w", err)
			}
			n++
		}
		if !aws.ToBool(out.IsTruncated) {
			return n, nil
		}
		in.KeyMarker, in.UploadIdMarker = out.NextKeyMarker, out.NextUploadIdMarker
	}
}
