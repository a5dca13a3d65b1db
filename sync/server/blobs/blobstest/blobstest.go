package blobstest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs"
)

// Run runs the suite; open returns an empty store that lives as long as its test.
func Run(t *testing.T, open func(t *testing.T) blobs.Store) {
	t.Run("PutOpen", func(t *testing.T) { testPutOpen(t, open(t)) })
	t.Run("PutIdempotent", func(t *testing.T) { testPutIdempotent(t, open(t)) })
	t.Run("Empty", func(t *testing.T) { testEmpty(t, open(t)) })
	t.Run("OpenNotFound", func(t *testing.T) { testOpenNotFound(t, open(t)) })
	t.Run("Seek", func(t *testing.T) { testSeek(t, open(t)) })
	t.Run("ConcurrentPuts", func(t *testing.T) { testConcurrentPuts(t, open(t)) })
	t.Run("NeverIncomplete", func(t *testing.T) { testNeverIncomplete(t, open(t)) })
	t.Run("FailedPut", func(t *testing.T) { testFailedPut(t, open(t)) })
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// data returns n bytes that differ with seed.
func data(seed byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*7) + byte(i>>8)
	}
	return b
}

func put(t *testing.T, s blobs.Store, b []byte) string {
	t.Helper()
	got, n, err := s.Put(context.Background(), bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	if want := sum(b); got != want || n != int64(len(b)) {
		t.Fatalf("Put = %s, %d; want %s, %d", got, n, want, len(b))
	}
	return got
}

// readAll opens sha and returns its bytes.
func readAll(t *testing.T, s blobs.Store, sha string) []byte {
	t.Helper()
	f, err := s.Open(context.Background(), sha)
	if err != nil {
		t.Fatalf("Open(%s): %v", sha, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatalf("read %s: %v", sha, err)
	}
	return b
}

func testPutOpen(t *testing.T, s blobs.Store) {
	want := data(1, 300_000)
	sha := put(t, s, want)
	if got := readAll(t, s, sha); !bytes.Equal(got, want) {
		t.Fatalf("Open returned %d bytes, not the %d put", len(got), len(want))
	}
}

func testPutIdempotent(t *testing.T, s blobs.Store) {
	want := data(2, 1000)
	first := put(t, s, want)
	second := put(t, s, want)
	if first != second {
		t.Fatalf("second Put = %s, want %s", second, first)
	}
	if got := readAll(t, s, first); !bytes.Equal(got, want) {
		t.Fatal("bytes changed by the second Put")
	}
}

func testEmpty(t *testing.T, s blobs.Store) {
	sha := put(t, s, nil)
	if got := readAll(t, s, sha); len(got) != 0 {
		t.Fatalf("empty blob reads %d bytes", len(got))
	}
}

func testOpenNotFound(t *testing.T, s blobs.Store) {
	put(t, s, data(3, 10))
	for _, name := range []string{
		sum([]byte("never stored")),     // a valid hash
		strings.Repeat("A", 64),         // upper case is not a hash name
		"../" + strings.Repeat("a", 61), // no path may escape
		"",
	} {
		if _, err := s.Open(context.Background(), name); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Open(%q) = %v, want ErrNotFound", name, err)
		}
	}
}

// testSeek reads as http.ServeContent does: the size by seeking to the end, then a
// range from its start.
func testSeek(t *testing.T, s blobs.Store) {
	want := data(4, 100_000)
	sha := put(t, s, want)
	f, err := s.Open(context.Background(), sha)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n, err := f.Seek(0, io.SeekEnd); err != nil || n != int64(len(want)) {
		t.Fatalf("Seek(end) = %d, %v; want %d", n, err, len(want))
	}
	for _, off := range []int64{50_000, 10, 99_999} {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, 1)
		if _, err := io.ReadFull(f, got); err != nil || got[0] != want[off] {
			t.Fatalf("byte %d = %v, %v; want %v", off, got, err, want[off])
		}
	}
	if _, err := f.Seek(-10, io.SeekEnd); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(got, want[len(want)-10:]) {
		t.Fatalf("last 10 bytes = %v, %v", got, err)
	}
}

func testConcurrentPuts(t *testing.T, s blobs.Store) {
	want := data(5, 200_000)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			got, _, err := s.Put(context.Background(), bytes.NewReader(want))
			if err == nil && got != sum(want) {
				err = errors.New("wrong hash " + got)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Put: %v", err)
		}
	}
	if got := readAll(t, s, sum(want)); !bytes.Equal(got, want) {
		t.Fatal("bytes wrong after concurrent Puts")
	}
}

// testNeverIncomplete opens a blob while its Put has read half its bytes.
func testNeverIncomplete(t *testing.T, s blobs.Store) {
	want := data(6, 200_000)
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, _, err := s.Put(context.Background(), pr)
		done <- err
	}()
	if _, err := pw.Write(want[:100_000]); err != nil {
		t.Fatal(err)
	}
	for _, sha := range []string{sum(want), sum(want[:100_000])} {
		if f, err := s.Open(context.Background(), sha); !errors.Is(err, blobs.ErrNotFound) {
			if f != nil {
				f.Close()
			}
			t.Errorf("Open during Put = %v, want ErrNotFound", err)
		}
	}
	pw.Write(want[100_000:])
	pw.Close()
	if err := <-done; err != nil {
		t.Fatalf("Put: %v", err)
	}
	if got := readAll(t, s, sum(want)); !bytes.Equal(got, want) {
		t.Fatal("bytes wrong after the Put")
	}
}

// testFailedPut: a Put whose reader fails stores nothing.
func testFailedPut(t *testing.T, s blobs.Store) {
	part := data(7, 5000)
	r := io.MultiReader(bytes.NewReader(part), failing{})
	if _, _, err := s.Put(context.Background(), r); err == nil {
		t.Fatal("Put of a failing reader succeeded")
	}
	if _, err := s.Open(context.Background(), sum(part)); !errors.Is(err, blobs.ErrNotFound) {
		t.Fatalf("Open of the failed Put's bytes = %v, want ErrNotFound", err)
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("reader broke") }
