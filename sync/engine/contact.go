package engine

import (
	"context"
	"io"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// Prober is what the engine needs to check, cheaply, that the server answers again
// (the API's /health). A remote without it is only retried by the sync's backoff.
type Prober interface {
	Health(ctx context.Context) error
}

// Observed is a remote that tells of every request's outcome, the engine's and others'
// (client.Client.Observe): the engine follows the link from all of them.
type Observed interface {
	Observe(fn func(err error))
}

// linkLost says whether a request's error code means the server could not be reached:
// the network, or a proxy that cannot be reached or refuses us. The proxy's answer is
// not the server's.
func linkLost(code string) bool {
	return code == api.CodeUnreachable || code == api.CodeProxyUnreachable || code == api.CodeProxyAuth
}

// contact records what one request said about the link: any answer of the server,
// even a refusal, means it is in touch; a transport failure means offline. A request
// that the engine itself cancelled, or that failed on this machine, says nothing.
func (e *Engine) contact(err error) {
	code := client.Code(err)
	switch {
	case err == nil || (code != "" && !linkLost(code)):
		now := e.opt.Now()
		e.mu.Lock()
		was := e.status
		e.status.Online, e.status.LastContact = true, now
		e.status.Contacts++
		after := e.status
		e.mu.Unlock()
		// Every request answers: the UI hears of it when the state or the minute it
		// shows changes, not at every chunk of an upload.
		if (!was.Online || now.Sub(was.LastContact) >= time.Minute) && e.opt.OnStatus != nil {
			e.opt.OnStatus(after)
		}
	case linkLost(code):
		e.update(func(s *Status) { s.Online = false })
	}
}

// watch wraps remote so that every request's outcome marks the engine online or
// offline at once, not only when a whole sync ends.
func watch(e *Engine, r Remote) Remote {
	w := watched{e: e, r: r}
	if u, ok := r.(UploadRemote); ok {
		return watchedUploads{watched: w, u: u}
	}
	return w
}

type watched struct {
	e *Engine
	r Remote
}

func (w watched) Push(ctx context.Context, req api.PushRequest) (api.PushResponse, error) {
	resp, err := w.r.Push(ctx, req)
	w.e.contact(err)
	return resp, err
}

func (w watched) Changes(ctx context.Context, cursor string, limit int) (api.ChangesPage, error) {
	page, err := w.r.Changes(ctx, cursor, limit)
	w.e.contact(err)
	return page, err
}

func (w watched) Download(ctx context.Context, sha string, from int64, open func(start int64) (io.Writer, error)) error {
	err := w.r.Download(ctx, sha, from, open)
	w.e.contact(err)
	return err
}

type watchedUploads struct {
	watched
	u UploadRemote
}

func (w watchedUploads) Missing(ctx context.Context, hashes []string) ([]string, error) {
	m, err := w.u.Missing(ctx, hashes)
	w.e.contact(err)
	return m, err
}

func (w watchedUploads) CreateUpload(ctx context.Context, ref api.FileRef) (string, error) {
	url, err := w.u.CreateUpload(ctx, ref)
	w.e.contact(err)
	return url, err
}

func (w watchedUploads) UploadOffset(ctx context.Context, url string) (int64, error) {
	n, err := w.u.UploadOffset(ctx, url)
	w.e.contact(err)
	return n, err
}

func (w watchedUploads) UploadChunk(ctx context.Context, url string, src io.ReaderAt, offset, n int64) (int64, error) {
	got, err := w.u.UploadChunk(ctx, url, src, offset, n)
	w.e.contact(err)
	return got, err
}

// Probe asks the server, once and briefly, whether it answers, and records what it
// found in the status: true when it answered. No answer within ProbeTimeout counts as
// the link lost. Probes are made by one caller at a time (sync/engine/heartbeat).
func (e *Engine) Probe(ctx context.Context) bool {
	if e.prober == nil {
		return false
	}
	pctx, cancel := context.WithTimeout(ctx, e.opt.ProbeTimeout)
	defer cancel()
	err := e.prober.Health(pctx)
	if err != nil && ctx.Err() == nil && pctx.Err() != nil {
		// The client says nothing of a request its caller gave up on; here silence is
		// the answer.
		e.update(func(s *Status) { s.Online = false })
		return false
	}
	e.contact(err)
	return err == nil
}

// WorkWaits says whether something of the user's waits for the server: outbox entries
// or files to upload (not files the user paused).
func (e *Engine) WorkWaits() bool {
	return e.Status().Pending > 0 || e.uploadsWaiting.Load()
}

// LinkLost says whether an error code (Status.LastError) means the server could not be
// reached, rather than that it answered with a refusal.
func LinkLost(code string) bool { return linkLost(code) }

type watchedPages struct {
	e *Engine
	p PagesRemote
}

func (w watchedPages) ChangePages(ctx context.Context, cursor string, limit, pages int, each func(api.ChangesPage) error) error {
	err := w.p.ChangePages(ctx, cursor, limit, pages, each)
	w.e.contact(err)
	return err
}
