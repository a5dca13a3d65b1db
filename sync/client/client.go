package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Client talks to one Ecert server on behalf of one user. It is safe for concurrent use.
type Client struct {
	rc   *resty.Client
	base string

	mu      sync.Mutex
	session api.Session
	// onRefresh is called with the new session after a token refresh, so that the
	// caller can persist it before the old refresh token is forgotten.
	onRefresh func(api.Session)
	// observer hears the outcome of every API call (see Observe).
	observer atomic.Pointer[func(error)]
}

// Observe registers fn to hear the outcome of every API call made with this client,
// whoever makes it (nil: the server answered as asked). The sync engine follows the
// link from them, so that a request of a screen that finds the server gone shows the
// app offline at once, not at the next sync. One observer: a later call replaces it.
func (c *Client) Observe(fn func(err error)) { c.observer.Store(&fn) }

// Option configures a Client.
type Option func(*Client)

// WithTimeout sets the timeout of each request (default 30 s).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) { c.rc.SetTimeout(d) }
}

// OnRefresh registers fn to be called with every refreshed session.
func OnRefresh(fn func(api.Session)) Option {
	return func(c *Client) { c.onRefresh = fn }
}

// New returns a client of the server at baseURL (e.g. http://127.0.0.1:8470).
func New(baseURL string, opts ...Option) (*Client, error) {
	base, err := NormaliseServer(baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{base: base, rc: resty.New().SetBaseURL(base + api.Version).SetTimeout(30 * time.Second)}
	c.rc.SetHeader("User-Agent", "ecert-desktop")
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// NormaliseServer checks a server address typed by a user and returns it without a
// trailing slash; a bare host gets http:// added.
func NormaliseServer(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw != "" && !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", &Error{Code: api.CodeInvalidServer, Err: fmt.Errorf("server address %q", raw)}
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// Server returns the normalised server address.
func (c *Client) Server() string { return c.base }

// SetSession sets the tokens used by later calls.
func (c *Client) SetSession(s api.Session) {
	c.mu.Lock()
	c.session = s
	c.mu.Unlock()
}

// Session returns the current tokens.
func (c *Client) Session() api.Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.session
}

// Login exchanges a user name and password for a session and keeps it.
func (c *Client) Login(ctx context.Context, username, password string) (api.Session, error) {
	var s api.Session
	err := c.call(ctx, http.MethodPost, "/auth/login", "", api.LoginRequest{Username: username, Password: password}, &s)
	if err != nil {
		return api.Session{}, err
	}
	if s.AccessToken == "" || s.RefreshToken == "" {
		return api.Session{}, &Error{Code: api.CodeBadResponse, Status: 200, Err: errors.New("login answer without tokens")}
	}
	c.SetSession(s)
	return s, nil
}

// Logout revokes the session on the server. The local session is forgotten either way.
func (c *Client) Logout(ctx context.Context) error {
	s := c.Session()
	c.SetSession(api.Session{})
	if s.AccessToken == "" {
		return nil
	}
	return c.call(ctx, http.MethodPost, "/auth/logout", s.AccessToken, api.RefreshRequest{RefreshToken: s.RefreshToken}, nil)
}

// passwordCodes are the API's codes about passwords, passed on as they are.
var passwordCodes = map[string]bool{
	api.CodePasswordChanged: true, api.CodeWrongPassword: true, api.CodePasswordTooShort: true,
	api.CodePasswordIsUsername: true, api.CodePasswordCommon: true,
}

// accountCodes are the API's codes about the organisation's accounts and roles, passed
// on as they are.
var accountCodes = map[string]bool{
	api.CodeAccountDisabled: true, api.CodeForbiddenRole: true, api.CodeUsernameTaken: true,
}

// ChangePassword changes the user's password on the server. This session goes on; the
// user's other sessions end (their calls get password_changed). Refusals carry the
// codes wrong_password, password_too_short, password_is_username, password_common and
// rate_limited.
func (c *Client) ChangePassword(ctx context.Context, current, next string) error {
	return c.authed(ctx, func(token string) error {
		return c.call(ctx, http.MethodPost, "/auth/password", token, api.PasswordRequest{Current: current, New: next}, nil)
	})
}

// Health asks whether the server answers (GET /health, no login needed): nil when it
// does. It is cheap enough to be asked every few seconds while offline.
func (c *Client) Health(ctx context.Context) error {
	return c.call(ctx, http.MethodGet, "/health", "", nil, nil)
}

// Me returns the logged-in user.
func (c *Client) Me(ctx context.Context) (api.User, error) {
	var u api.User
	err := c.authed(ctx, func(token string) error {
		return c.call(ctx, http.MethodGet, "/me", token, nil, &u)
	})
	return u, err
}

// Changes fetches one page of the organisation's change log after cursor.
func (c *Client) Changes(ctx context.Context, cursor string, limit int) (api.ChangesPage, error) {
	var page api.ChangesPage
	path := "/changes?" + url.Values{"cursor": {cursor}, "limit": {fmt.Sprint(limit)}}.Encode()
	err := c.authed(ctx, func(token string) error {
		return c.getJSON(ctx, path, token, func(dec *json.Decoder) error {
			page = api.ChangesPage{}
			return decodePage(dec, &page, limit)
		})
	})
	if err == nil && page.Cursor == "" && len(page.Changes) > 0 {
		err = &Error{Code: api.CodeBadResponse, Status: 200, Err: errors.New("changes page without cursor")}
	}
	return page, err
}

// ChangePages fetches up to pages pages of the change log after cursor in one request
// (the server's pages=N), handing each to each as soon as it has arrived whole: on a
// long round trip the link then never waits between pages. Each page is what Changes
// would answer for the cursor before it. It returns when the answer ends, after a page
// with More false or earlier (the server may answer fewer pages, and one that does not
// know pages=N answers one); a page cut short is never handed over. An error of each
// stops it and is returned.
func (c *Client) ChangePages(ctx context.Context, cursor string, limit, pages int, each func(api.ChangesPage) error) error {
	path := "/changes?" + url.Values{"cursor": {cursor}, "limit": {fmt.Sprint(limit)}, "pages": {fmt.Sprint(pages)}}.Encode()
	var eachErr error
	err := c.authed(ctx, func(token string) error {
		return c.getJSON(ctx, path, token, func(dec *json.Decoder) error {
			for n := 0; n < pages; n++ {
				if n > 0 && !dec.More() {
					return nil // the server answered fewer pages
				}
				var page api.ChangesPage
				if err := decodePage(dec, &page, limit); err != nil {
					return err
				}
				if page.Cursor == "" && len(page.Changes) > 0 {
					return errors.New("changes page without cursor")
				}
				if eachErr = each(page); eachErr != nil {
					return eachErr
				}
				if !page.More {
					return nil
				}
			}
			return nil
		})
	})
	if eachErr != nil {
		return eachErr
	}
	return err
}

// Push sends outbox entries and returns one result per entry, checked to answer the
// entries sent, in order.
func (c *Client) Push(ctx context.Context, req api.PushRequest) (api.PushResponse, error) {
	var resp api.PushResponse
	err := c.authed(ctx, func(token string) error {
		return c.call(ctx, http.MethodPost, "/push", token, req, &resp)
	})
	if err != nil {
		return resp, err
	}
	if len(resp.Results) != len(req.Entries) {
		return resp, &Error{Code: api.CodeBadResponse, Status: 200, Err: fmt.Errorf("push: %d results for %d entries", len(resp.Results), len(req.Entries))}
	}
	for i, r := range resp.Results {
		if r.Seq != req.Entries[i].Seq {
			return resp, &Error{Code: api.CodeBadResponse, Status: 200, Err: fmt.Errorf("push: result %d is for seq %d, want %d", i, r.Seq, req.Entries[i].Seq)}
		}
		switch r.Status {
		case api.PushApplied, api.PushDuplicate, api.PushRejected, api.PushConflict:
		default:
			return resp, &Error{Code: api.CodeBadResponse, Status: 200, Err: fmt.Errorf("push: unknown status %q", r.Status)}
		}
	}
	return resp, nil
}

// Download fetches the content of the file with the given SHA-256, from byte from on
// (a resumed download). open is called once the answer is known, with the offset the
// content starts at — from, or 0 when the server sent the whole file — and returns
// where to write it. An error of open or of writing to its writer is returned as it is,
// never as a network error: a full local disk must not read as "unreachable".
func (c *Client) Download(ctx context.Context, sha string, from int64, open func(start int64) (io.Writer, error)) error {
	return c.authed(ctx, func(token string) error {
		req := c.rc.R().SetContext(ctx).SetAuthToken(token).SetDoNotParseResponse(true)
		if from > 0 {
			req.SetHeader("Range", fmt.Sprintf("bytes=%d-", from))
		}
		resp, err := req.Get("/files/" + url.PathEscape(sha))
		if err != nil {
			return transportError(ctx, err)
		}
		body := resp.RawBody()
		defer body.Close()
		start := int64(0)
		switch resp.StatusCode() {
		case http.StatusOK:
		case http.StatusPartialContent:
			start = from
		case http.StatusRequestedRangeNotSatisfiable: // what we have is already whole (or wrong): start again
			return &Error{Code: api.CodeUploadGone, Status: resp.StatusCode()}
		default:
			data, _ := io.ReadAll(io.LimitReader(body, 64<<10))
			return statusError(resp.StatusCode(), resp.Header(), data)
		}
		w, err := open(start)
		if err != nil {
			return err
		}
		dst := &localWriter{w: w}
		if _, err := io.Copy(dst, body); err != nil {
			if dst.err != nil {
				return fmt.Errorf("write download: %w", dst.err)
			}
			return transportError(ctx, err)
		}
		return nil
	})
}

// authed runs fn with the access token; when the server says the token expired, it
// refreshes the session once and runs fn again.
func (c *Client) authed(ctx context.Context, fn func(token string) error) error {
	s := c.Session()
	if s.AccessToken == "" {
		return &Error{Code: api.CodeSessionExpired, Err: errors.New("not logged in")}
	}
	err := fn(s.AccessToken)
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusUnauthorized {
		return err
	}
	if e.Code == api.CodePasswordChanged || e.Code == api.CodeAccountDisabled {
		return err // says why: the password changed elsewhere, or the manager disabled the account
	}
	if e.Code != api.CodeTokenExpired {
		return &Error{Code: api.CodeSessionExpired, Status: e.Status, Err: e}
	}
	if err := c.refresh(ctx, s); err != nil {
		return err
	}
	return fn(c.Session().AccessToken)
}

func (c *Client) refresh(ctx context.Context, old api.Session) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.session.AccessToken != old.AccessToken {
		return nil // another call refreshed it meanwhile
	}
	var s api.Session
	err := c.call(ctx, http.MethodPost, "/auth/refresh", "", api.RefreshRequest{RefreshToken: old.RefreshToken}, &s)
	var e *Error
	if errors.As(err, &e) && (e.Code == api.CodePasswordChanged || e.Code == api.CodeAccountDisabled) {
		return err
	}
	if errors.As(err, &e) && (e.Status == http.StatusUnauthorized || e.Status == http.StatusBadRequest) {
		return &Error{Code: api.CodeSessionExpired, Status: e.Status, Err: e}
	}
	if err != nil {
		return err
	}
	c.session = s
	if c.onRefresh != nil {
		c.onRefresh(s)
	}
	return nil
}

// call sends a JSON request and decodes a JSON answer into out (when not nil), and
// tells the observer how it went.
func (c *Client) call(ctx context.Context, method, path, token string, in, out any) error {
	err := c.exchange(ctx, method, path, token, in, out)
	if fn := c.observer.Load(); fn != nil {
		(*fn)(err)
	}
	return err
}

func (c *Client) exchange(ctx context.Context, method, path, token string, in, out any) error {
	req := c.rc.R().SetContext(ctx).SetHeader("Accept", "application/json")
	if token != "" {
		req.SetAuthToken(token)
	}
	if in != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(in)
	}
	resp, err := req.Execute(method, path)
	if err != nil {
		return transportError(ctx, err)
	}
	if resp.StatusCode() < 200 || resp.StatusCode() > 299 {
		return statusError(resp.StatusCode(), resp.Header(), resp.Body())
	}
	if out == nil {
		return nil
	}
	if !strings.HasPrefix(resp.Header().Get("Content-Type"), "application/json") {
		return &Error{Code: api.CodeBadResponse, Status: resp.StatusCode(), Err: fmt.Errorf("content type %q", resp.Header().Get("Content-Type"))}
	}
	dec := json.NewDecoder(bytes.NewReader(resp.Body()))
	if err := dec.Decode(out); err != nil {
		return &Error{Code: api.CodeBadResponse, Status: resp.StatusCode(), Err: fmt.Errorf("decode %s: %w", path, err)}
	}
	return nil
}

// localWriter remembers the error of the local side of a copy, so that it is not taken
// for the network's.
type localWriter struct {
	w   io.Writer
	err error
}

func (l *localWriter) Write(p []byte) (int, error) {
	n, err := l.w.Write(p)
	if err != nil {
		l.err = err
	}
	return n, err
}

func transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if e := proxyError(err); e != nil {
		return e
	}
	return &Error{Code: api.CodeUnreachable, Err: err}
}

// statusError maps an HTTP error answer to an *Error. A body that is not the API's
// error JSON (a proxy's HTML page, a captive portal) is a bad response. A Retry-After
// in seconds (429, 503) is kept: the engine waits at least that long before trying again.
func statusError(status int, header http.Header, body []byte) error {
	if status == http.StatusProxyAuthRequired { // a proxy's answer, never the server's
		return &Error{Code: api.CodeProxyAuth, Status: status, Err: errors.New("the proxy refused the credentials")}
	}
	e := apiError(status, body)
	if ce, ok := e.(*Error); ok {
		if secs, err := strconv.Atoi(header.Get("Retry-After")); err == nil && secs > 0 {
			ce.RetryAfter = time.Duration(min(secs, 3600)) * time.Second
		}
	}
	return e
}

func apiError(status int, body []byte) error {
	var apiErr api.Error
	if err := json.Unmarshal(body, &apiErr); err != nil || apiErr.Code == "" {
		if status >= 500 {
			return &Error{Code: api.CodeServerError, Status: status, Err: fmt.Errorf("HTTP %d", status)}
		}
		return &Error{Code: api.CodeBadResponse, Status: status, Err: fmt.Errorf("HTTP %d without an API error", status)}
	}
	e := &Error{Status: status, Err: fmt.Errorf("%s: %s", apiErr.Code, apiErr.Message), Reason: apiErr.Code}
	switch {
	case apiErr.Code == api.CodeBadCredentials:
		e.Code = api.CodeBadCredentials
	case apiErr.Code == api.CodeTokenExpired:
		e.Code = api.CodeTokenExpired // handled by authed
	case apiErr.Code == api.CodeOverloaded:
		e.Code = api.CodeOverloaded // the server sheds load: retry after Retry-After
	case apiErr.Code == api.CodeUploadInterrupted || apiErr.Code == api.CodeUploadLocked:
		e.Code = apiErr.Code // another request for the upload: ask the offset and go on
	case passwordCodes[apiErr.Code], accountCodes[apiErr.Code]:
		e.Code = apiErr.Code // the user can act on each: say which
	case status == http.StatusUnauthorized:
		e.Code = api.CodeSessionExpired
	case status == http.StatusTooManyRequests:
		e.Code = api.CodeRateLimited
	case status == http.StatusForbidden:
		e.Code = api.CodeForbidden
	case status == http.StatusNotFound:
		e.Code = api.CodeNotFound
	case status >= 500:
		e.Code = api.CodeServerError
	default:
		e.Code = api.CodeBadRequest
	}
	return e
}
