//go:build !linux

package netchange

import "context"

// Listener is not available on this system: Open returns ErrUnsupported.
type Listener struct{}

// Open returns ErrUnsupported: the caller's timer checks the link.
func Open() (*Listener, error) { return nil, ErrUnsupported }

// Serve waits for ctx: nothing is told here.
func (l *Listener) Serve(ctx context.Context, fn func()) error {
	<-ctx.Done()
	return ctx.Err()
}
