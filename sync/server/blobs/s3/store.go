package s3

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs"
)

var _ blobs.Store = (*Store)(nil)

// blobPrefix is where the blobs are in the bucket: blobs/ab/abcdef… under the prefix.
const blobPrefix = "blobs/"

// Store keeps each file once as the object blobs/ab/abcdef…, abcdef… its SHA-256.
// An object is written by one PUT, which S3 makes visible only once complete.
type Store struct {
	c      *Client
	tmpDir string // where Put spools the bytes while it hashes them; "" means os.TempDir
}

// NewStore returns the blob store of c's bucket. tmpDir holds the bytes of a Put
// while they are hashed (S3 names a blob by a hash known only at the end).
func NewStore(c *Client, tmpDir string) *Store { return &Store{c: c, tmpDir: tmpDir} }

func (s *Store) blobKey(sum string) *string { return s.c.key(blobPrefix + sum[:2] + "/" + sum) }

// Put spools r to a temporary file while hashing it, then PUTs it under its hash
// unless that object exists. Idempotent; concurrent Puts of the same bytes write the
// same object.
func (s *Store) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp(s.tmpDir, "ecert-blob-*")
	if err != nil {
		return "", 0, fmt.Errorf("store blob: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err != nil {
		return "", 0, fmt.Errorf("store blob: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if ok, err := s.exists(ctx, sum); err != nil || ok {
		return sum, n, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return "", 0, fmt.Errorf("store blob: %w", err)
	}
	_, err = s.c.api.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(s.c.bucket), Key: s.blobKey(sum),
		Body: tmp, ContentLength: aws.Int64(n)})
	if err != nil {
		return "", 0, fmt.Errorf("store blob: %w", err)
	}
	return sum, n, nil
}

// AdoptObject makes the object key of the same bucket (unprefixed: as Uploads names
// it), whose SHA-256 the caller checked to be sum, the blob of sum by a copy inside the
// store: no byte passes through the server. Idempotent. On error the caller copies it
// with Put.
func (s *Store) AdoptObject(ctx context.Context, key, sum string) error {
	if !api.ValidSHA256(sum) {
		return fmt.Errorf("adopt object: hash %q", sum)
	}
	if ok, err := s.exists(ctx, sum); err != nil || ok {
		return err
	}
	_, err := s.c.api.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(s.c.bucket), Key: s.blobKey(sum),
		CopySource: aws.String(s.c.bucket + "/" + *s.c.key(key))})
	if err != nil {
		return fmt.Errorf("adopt object: %w", err)
	}
	return nil
}

// Open returns the bytes of a stored hash, or blobs.ErrNotFound. They are fetched on
// the first Read, and again from the new offset after a Seek.
func (s *Store) Open(ctx context.Context, sum string) (io.ReadSeekCloser, error) {
	if !api.ValidSHA256(sum) {
		return nil, blobs.ErrNotFound
	}
	out, err := s.c.api.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.c.bucket), Key: s.blobKey(sum)})
	if isNotFound(err) {
		return nil, blobs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	return &object{ctx: ctx, c: s.c, key: s.blobKey(sum), size: aws.ToInt64(out.ContentLength)}, nil
}

func (s *Store) exists(ctx context.Context, sum string) (bool, error) {
	_, err := s.c.api.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.c.bucket), Key: s.blobKey(sum)})
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up blob: %w", err)
	}
	return true, nil
}

// isNotFound reports whether err is the store's answer 404 (no such key, upload or
// object: HEAD answers without a body, so by status).
func isNotFound(err error) bool {
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound
}
