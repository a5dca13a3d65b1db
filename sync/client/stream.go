package client

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// maxErrorBody caps what is read of an error answer, and of what follows a decoded
// JSON answer (read so that gzip's checksum is checked and the connection reused).
const maxErrorBody = 64 << 10

// getJSON is call for a GET whose answer may be large (a change page is megabytes of
// JSON): decode reads the JSON from the body as it arrives, ungzipped. It uses net/http
// directly, with resty's http.Client (its transport, timeout and redirect policy),
// because resty reads every body whole into a growing buffer before anything decodes
// it — 28 % of a first sync's CPU. Errors are those of call: the same codes for the
// same answers; decode's errors are bad responses unless the network failed under it.
func (c *Client) getJSON(ctx context.Context, path, token string, decode func(*json.Decoder) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+api.Version+path, nil)
	if err != nil {
		return &Error{Code: api.CodeBadResponse, Err: err}
	}
	req.Header.Set("User-Agent", c.rc.Header.Get("User-Agent"))
	req.Header.Set("Accept", "application/json")
	// Asked for explicitly, gzip is ours to undo: net/http decompresses only when its
	// transport added the header itself.
	req.Header.Set("Accept-Encoding", "gzip")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.rc.GetClient().Do(req)
	if err != nil {
		return transportError(ctx, err)
	}
	defer resp.Body.Close()
	raw := &netReader{r: resp.Body}
	body, openErr := decompressed(resp.Header, raw)

	status := resp.StatusCode
	if status < 200 || status > 299 {
		var data []byte
		if openErr == nil {
			data, _ = io.ReadAll(io.LimitReader(body, maxErrorBody))
		}
		if raw.err != nil {
			return transportError(ctx, raw.err)
		}
		return statusError(status, resp.Header, data)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/x-ndjson") {
		return &Error{Code: api.CodeBadResponse, Status: status, Err: fmt.Errorf("content type %q", ct)}
	}
	if openErr != nil {
		return bodyError(ctx, raw, status, fmt.Errorf("decode %s: %w", path, openErr))
	}
	if err := decode(json.NewDecoder(body)); err != nil {
		return bodyError(ctx, raw, status, fmt.Errorf("decode %s: %w", path, err))
	}
	// The rest (gzip's trailer, at most some white space) is read to its end: that
	// checks the checksum of what was decoded, as reading the whole body did.
	if _, err := io.Copy(io.Discard, io.LimitReader(body, maxErrorBody)); err != nil {
		return bodyError(ctx, raw, status, fmt.Errorf("read %s: %w", path, err))
	}
	return nil
}

// decompressed returns the body as sent, ungzipped when the server gzipped it.
func decompressed(h http.Header, body io.Reader) (io.Reader, error) {
	if !strings.EqualFold(h.Get("Content-Encoding"), "gzip") {
		return body, nil
	}
	zr, err := gzip.NewReader(body)
	if err != nil {
		return nil, err
	}
	return zr, nil
}

// bodyError says why reading an answer's body failed: the network (or the caller's
// context) when reading from it failed, else the answer itself is bad.
func bodyError(ctx context.Context, raw *netReader, status int, err error) error {
	if raw.err != nil {
		return transportError(ctx, raw.err)
	}
	return &Error{Code: api.CodeBadResponse, Status: status, Err: err}
}

// netReader remembers the error of reading from the network, so that a broken
// connection is not taken for a malformed answer by the decoders reading through it.
type netReader struct {
	r   io.Reader
	err error
}

func (n *netReader) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	if err != nil && err != io.EOF {
		n.err = err
	}
	return k, err
}
