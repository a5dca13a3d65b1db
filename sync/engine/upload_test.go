package engine

import (
	"testing"
	"time"
)

func TestNextChunk(t *testing.T) {
	for _, c := range []struct {
		name string
		n    int64
		took time.Duration
		want int64
	}{
		// A fast chunk doubles the next, up to MaxChunkSize.
		{"fast", 2 << 20, 100 * time.Millisecond, 4 << 20},
		{"fast at the top", 16 << 20, 100 * time.Millisecond, 16 << 20},
		// About ChunkTarget: kept.
		{"on target", 4 << 20, time.Second, 4 << 20},
		{"just under half", 4 << 20, 499 * time.Millisecond, 8 << 20},
		{"half", 4 << 20, 500 * time.Millisecond, 4 << 20},
		{"twice", 4 << 20, 2 * time.Second, 4 << 20},
		// A slow chunk halves the next, down to MinChunkSize.
		{"slow", 4 << 20, 3 * time.Second, 2 << 20},
		{"slow at the bottom", 256 << 10, 20 * time.Second, 256 << 10},
	} {
		if got := nextChunk(c.n, c.took); got != c.want {
			t.Errorf("%s: nextChunk(%d, %v): got %d, want %d", c.name, c.n, c.took, got, c.want)
		}
	}
}
