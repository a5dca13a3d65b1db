package client

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// WithProxy sends every request — API calls, tus uploads, downloads — through the proxy
// that fn picks (nil URL: direct), as http.Transport.Proxy does. Without it the client
// follows the environment's variables as net/http reads them.
func WithProxy(fn func(*http.Request) (*url.URL, error)) Option {
	return func(c *Client) {
		if t, err := c.rc.Transport(); err == nil {
			t.Proxy = fn
		}
	}
}

// proxyError tells a failure of the proxy from one of the server, or returns nil: a
// proxy that cannot be dialled, or one that refused the tunnel's credentials.
func proxyError(err error) *Error {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "proxyconnect" {
		return &Error{Code: api.CodeProxyUnreachable, Err: err}
	}
	// net/http gives a refused CONNECT as an error of the proxy's status text only.
	if strings.Contains(err.Error(), http.StatusText(http.StatusProxyAuthRequired)) {
		return &Error{Code: api.CodeProxyAuth, Status: http.StatusProxyAuthRequired, Err: err}
	}
	return nil
}
