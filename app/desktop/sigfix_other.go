//go:build !linux

package desktop

import "context"

// keepSignalsOnAltStack is only needed with WebKitGTK.
func keepSignalsOnAltStack(context.Context) {}
