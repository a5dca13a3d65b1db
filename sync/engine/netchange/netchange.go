package netchange

import (
	"errors"
	"time"
)

// ErrUnsupported is returned by Open where the system does not tell of network changes.
var ErrUnsupported = errors.New("network change notices are not available on this system")

// Settle is how long the network stays quiet after a change before the change is told:
// a cable plugged in brings a link, then addresses, then routes, within a moment, and
// one notice is enough. A package variable so that tests may shorten it.
var Settle = 300 * time.Millisecond

// maxDelay bounds how long a stream of changes holds the notice back.
const maxDelay = 2 * time.Second
