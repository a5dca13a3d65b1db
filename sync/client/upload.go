package client

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The tus resumable-upload protocol (version 1.0.0), spoken over resty: creation, HEAD
// for the offset, PATCH in chunks. The caller keeps the upload's address and offset, so
// a transfer broken by the network or by quitting resumes from the server's offset.

const tusVersion = "1.0.0"

// Missing asks which of the hashes the organisation has not uploaded yet.
func (c *Client) Missing(ctx context.Context, hashes []string) ([]string, error) {
	var resp api.BlobsResponse
	err := c.authed(ctx, func(token string) error {
		return c.call(ctx, http.MethodPost, "/blobs/missing", token, api.BlobsRequest{SHA256: hashes}, &resp)
	})
	return resp.Missing, err
}

// CreateUpload starts an upload of the file ref and returns its address.
func (c *Client) CreateUpload(ctx context.Context, ref api.FileRef) (string, error) {
	meta := []string{
		api.UploadMetaSHA256 + " " + base64.StdEncoding.EncodeToString([]byte(ref.SHA256)),
		api.UploadMetaName + " " + base64.StdEncoding.EncodeToString([]byte(ref.Name)),
		api.UploadMetaMediaType + " " + base64.StdEncoding.EncodeToString([]byte(ref.MediaType)),
	}
	var location string
	err := c.authed(ctx, func(token string) error {
		resp, err := c.rc.R().SetContext(ctx).SetAuthToken(token).
			SetHeader("Tus-Resumable", tusVersion).
			SetHeader("Upload-Length", strconv.FormatInt(ref.Size, 10)).
			SetHeader("Upload-Metadata", strings.Join(meta, ",")).
			Post(api.UploadsPath)
		if err != nil {
			return transportError(ctx, err)
		}
		if resp.StatusCode() != http.StatusCreated {
			return statusError(resp.StatusCode(), resp.Header(), resp.Body())
		}
		location = resp.Header().Get("Location")
		return nil
	})
	if err != nil {
		return "", err
	}
	return c.resolve(location)
}

// resolve makes an upload address absolute (servers may answer a relative Location).
func (c *Client) resolve(location string) (string, error) {
	if location == "" {
		return "", &Error{Code: api.CodeBadResponse, Status: http.StatusCreated, Err: errors.New("upload created without a Location")}
	}
	base, _ := url.Parse(c.base + api.Version + api.UploadsPath)
	u, err := base.Parse(location)
	if err != nil || !strings.HasPrefix(u.String(), c.base) {
		return "", &Error{Code: api.CodeBadResponse, Err: fmt.Errorf("upload location %q", location)}
	}
	return u.String(), nil
}

// UploadOffset asks the server how many bytes of the upload it has.
func (c *Client) UploadOffset(ctx context.Context, uploadURL string) (int64, error) {
	var offset int64
	err := c.authed(ctx, func(token string) error {
		resp, err := c.rc.R().SetContext(ctx).SetAuthToken(token).SetHeader("Tus-Resumable", tusVersion).Head(uploadURL)
		if err != nil {
			return transportError(ctx, err)
		}
		switch resp.StatusCode() {
		case http.StatusOK, http.StatusNoContent:
		case http.StatusNotFound, http.StatusGone, http.StatusForbidden:
			return &Error{Code: api.CodeUploadGone, Status: resp.StatusCode()}
		default:
			return statusError(resp.StatusCode(), resp.Header(), resp.Body())
		}
		offset, err = strconv.ParseInt(resp.Header().Get("Upload-Offset"), 10, 64)
		if err != nil || offset < 0 {
			return &Error{Code: api.CodeBadResponse, Status: resp.StatusCode(), Err: fmt.Errorf("Upload-Offset %q", resp.Header().Get("Upload-Offset"))}
		}
		return nil
	})
	return offset, err
}

// UploadChunk sends the n bytes of src at offset and returns the server's new offset.
// A broken connection leaves the server with what it received, which UploadOffset
// tells. The bytes stream from src as they are sent: nothing of the chunk is held in
// memory, so chunks may be large.
func (c *Client) UploadChunk(ctx context.Context, uploadURL string, src io.ReaderAt, offset, n int64) (int64, error) {
	var next int64
	err := c.authed(ctx, func(token string) error {
		// net/http directly, with resty's http.Client (its transport and timeout):
		// resty copies an io.Reader body into memory three times (for Content-Length, a
		// defensive copy and a retry copy), which cost a 50 MB upload a third of its
		// throughput on loopback.
		req, err := http.NewRequestWithContext(ctx, http.MethodPatch, uploadURL, io.NewSectionReader(src, offset, n))
		if err != nil {
			return &Error{Code: api.CodeBadResponse, Err: err}
		}
		req.ContentLength = n
		req.Header.Set("User-Agent", c.rc.Header.Get("User-Agent"))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Tus-Resumable", tusVersion)
		req.Header.Set("Content-Type", "application/offset+octet-stream")
		req.Header.Set("Upload-Offset", strconv.FormatInt(offset, 10))
		resp, err := c.rc.GetClient().Do(req)
		if err != nil {
			return transportError(ctx, err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		if err != nil {
			return transportError(ctx, err)
		}
		switch resp.StatusCode {
		case http.StatusNoContent, http.StatusOK:
		case http.StatusNotFound, http.StatusGone, http.StatusForbidden:
			return &Error{Code: api.CodeUploadGone, Status: resp.StatusCode}
		case http.StatusConflict:
			return &Error{Code: api.CodeOffsetConflict, Status: resp.StatusCode}
		default:
			e := statusError(resp.StatusCode, resp.Header, body)
			var ce *Error
			if errors.As(e, &ce) && strings.Contains(string(body), api.CodeHashMismatch) {
				ce.Code = api.CodeHashMismatch
			}
			return e
		}
		next, err = strconv.ParseInt(resp.Header.Get("Upload-Offset"), 10, 64)
		if err != nil {
			return &Error{Code: api.CodeBadResponse, Status: resp.StatusCode, Err: fmt.Errorf("Upload-Offset %q", resp.Header.Get("Upload-Offset"))}
		}
		return nil
	})
	return next, err
}
