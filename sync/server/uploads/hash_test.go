package uploads

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"
)

// feed is a PATCH of body at offset as tusOwned runs it: take, tusd reading the body,
// give. It returns the finish hook's sum for an upload of size bytes.
func feed(r *runningHashes, id string, offset int64, body string, size int64) string {
	h := r.take(id, offset)
	if h == nil {
		return "unhashed"
	}
	io.Copy(io.Discard, &hashingBody{ReadCloser: io.NopCloser(strings.NewReader(body)), h: h})
	sum := runningSum(withRunningHash(context.Background(), h), size)
	r.give(id, h, h.n < size)
	return sum
}

func hexSum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestRunningHash(t *testing.T) {
	// Contiguous PATCHes: the finish has the sum without reading the file.
	var r runningHashes
	if got := feed(&r, "a", 0, "abc", 6); got != "" {
		t.Errorf("sum before the end: %q", got)
	}
	if got := feed(&r, "a", 3, "def", 6); got != hexSum("abcdef") {
		t.Errorf("sum: got %q, want %q", got, hexSum("abcdef"))
	}
	if _, ok := r.m["a"]; ok {
		t.Error("a finished upload's hash is kept")
	}

	// A PATCH at another offset drops the hash: no later PATCH is hashed, the finish
	// hashes the file.
	feed(&r, "b", 0, "abc", 6)
	if got := feed(&r, "b", 1, "bcdef", 6); got != "unhashed" {
		t.Errorf("PATCH at a wrong offset: %q", got)
	}
	if got := feed(&r, "b", 3, "def", 6); got != "unhashed" {
		t.Errorf("PATCH after a dropped hash: %q", got)
	}

	// More bytes read than the upload's size (a body without Content-Length): no sum.
	if got := feed(&r, "c", 0, "abcdefg", 6); got != "" {
		t.Errorf("sum of 7 bytes for 6: %q", got)
	}

	// A second PATCH while one is hashing spoils the hash: the second may write first.
	h := r.take("d", 0)
	if r.take("d", 0) != nil {
		t.Error("two PATCHes share a hash")
	}
	io.Copy(io.Discard, &hashingBody{ReadCloser: io.NopCloser(strings.NewReader("abcdef")), h: h})
	if got := runningSum(withRunningHash(context.Background(), h), 6); got != "" {
		t.Errorf("sum of a spoilt hash: %q", got)
	}
	r.give("d", h, true)
	if _, ok := r.m["d"]; ok {
		t.Error("a spoilt hash is kept")
	}

	// A discarded upload forgets its hash.
	feed(&r, "e", 0, "abc", 6)
	r.drop("e")
	if got := feed(&r, "e", 3, "def", 6); got != "unhashed" {
		t.Errorf("PATCH after drop: %q", got)
	}
}
