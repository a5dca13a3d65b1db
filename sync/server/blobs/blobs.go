package blobs

import (
	"context"
	"errors"
	"io"
)

// ErrNotFound is returned by Open for a hash the store does not hold.
var ErrNotFound = errors.New("blob not found")

// Store holds file bytes by their SHA-256 (lowercase hex). Safe for concurrent use.
type Store interface {
	// Put stores the bytes of r and returns their hash and size. Idempotent: the same
	// bytes again are stored once. A blob is readable only once complete.
	Put(ctx context.Context, r io.Reader) (sha256 string, size int64, err error)
	// Open returns the bytes of a stored hash, or ErrNotFound. The caller closes them.
	Open(ctx context.Context, sha256 string) (io.ReadSeekCloser, error)
}

// Adopter is a Store that can take a checked file as it is, without a copy.
type Adopter interface {
	// Adopt makes the file at path, whose SHA-256 the caller checked to be sha256, the
	// blob of that hash. On error the caller copies it with Put.
	Adopt(ctx context.Context, path, sha256 string) error
}
