package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// Status is the engine's state as the user sees it.
type Status struct {
	Online    bool
	Syncing   bool
	LastSync  time.Time // zero when never synced in this run and not known from the replica
	LastError string    // a client error code, "" when the last attempt succeeded
	ErrorAt   time.Time
	NextTry   time.Time // when offline: the next automatic attempt
	Files     int       // files still to download
	Pending   int       // outbox entries still to push
	// LastContact is when the server last answered a request (zero: not in this run).
	LastContact time.Time
	// Contacts counts the server's answers in this run: it changes with each one,
	// whatever the clock says (the heartbeat's own clock is not the engine's).
	Contacts uint64
}

// Options tune the engine. Zero values take the defaults.
type Options struct {
	Interval   time.Duration // between syncs when all is well (default 60 s)
	MinBackoff time.Duration // first retry after a failure (default 1 s)
	MaxBackoff time.Duration // longest wait between retries (default 60 s)
	PageSize   int           // changes per pull request (default 10000, the server's most: few round trips on slow links)
	PushSize   int           // outbox entries per push request (default 100)
	// Author is the user's name, shown on their messages until the server's copy arrives.
	Author string
	Logger *slog.Logger
	// OnStatus is called (from the engine's goroutine) whenever the status changes.
	OnStatus func(Status)
	// OnChanges is called after a sync applied changes, with the entities touched.
	OnChanges func(entities []string)
	// Now is the clock (tests replace it).
	Now func() time.Time
	// OnProgress receives upload progress (see Progress).
	OnProgress func(Progress)
	// Trail, when set, is the replica's trail: its pending entries go with each push.
	Trail TrailLog
	// ProbeTimeout is how long a probe (Probe) waits for the server's answer before it
	// takes the link for lost (default 5 s): a link that drops packets answers nothing.
	ProbeTimeout time.Duration
}

// Engine runs syncs. Create it with New and run Serve in a goroutine.
type Engine struct {
	replica Replica
	remote  Remote
	opt     Options
	trigger chan struct{}

	prober    Prober          // nil when the remote cannot be probed
	directory DirectoryRemote // nil when the remote serves no operator directory
	pages     PagesRemote     // nil when the remote asks for one page at a time

	mu     sync.Mutex
	status Status
	paused atomic.Bool
	// uploadsWaiting is set when the last upload step left files to send.
	uploadsWaiting atomic.Bool
}

// New returns an engine syncing replica with remote.
func New(replica Replica, remote Remote, opt Options) *Engine {
	if opt.Interval == 0 {
		opt.Interval = 60 * time.Second
	}
	if opt.MinBackoff == 0 {
		opt.MinBackoff = time.Second
	}
	if opt.MaxBackoff == 0 {
		opt.MaxBackoff = 60 * time.Second
	}
	if opt.PageSize == 0 {
		opt.PageSize = 10000
	}
	if opt.PushSize == 0 {
		opt.PushSize = 100
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.ProbeTimeout == 0 {
		opt.ProbeTimeout = 5 * time.Second
	}
	e := &Engine{replica: replica, opt: opt, trigger: make(chan struct{}, 1)}
	e.remote = watch(e, remote)
	e.prober, _ = remote.(Prober)
	if o, ok := remote.(Observed); ok {
		o.Observe(e.contact)
	}
	// Taken from remote itself: the wrapper of watch has only the methods of Remote and
	// UploadRemote.
	if d, ok := remote.(DirectoryRemote); ok {
		e.directory = watchedDirectory{e: e, d: d}
	}
	if p, ok := remote.(PagesRemote); ok {
		e.pages = watchedPages{e: e, p: p}
	}
	return e
}

// ErrSessionExpired is returned by Serve when the server no longer accepts the login:
// nothing more can be done until the user logs in again.
var ErrSessionExpired = errors.New("session expired")

// ErrPasswordChanged is returned by Serve when the server ended the session because the
// user changed the password elsewhere: the user logs in again with the new one.
var ErrPasswordChanged = errors.New("password changed elsewhere")

// ErrAccountDisabled is returned by Serve when the organisation's manager disabled the
// account: its sessions ended; nothing syncs until it is enabled and logs in again.
var ErrAccountDisabled = errors.New("account disabled")

// Serve syncs at once, then on every Interval, on SyncNow, and — after a failure —
// with exponential backoff and jitter until the server answers again. It returns
// ctx.Err() when ctx is done, ErrSessionExpired or ErrPasswordChanged.
func (e *Engine) Serve(ctx context.Context) error {
	failures := 0
	for {
		err := e.Sync(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait := e.opt.Interval
		switch {
		case err == nil:
			failures = 0
		case client.Code(err) == api.CodeSessionExpired:
			return ErrSessionExpired
		case client.Code(err) == api.CodePasswordChanged:
			return ErrPasswordChanged
		case client.Code(err) == api.CodeAccountDisabled:
			return ErrAccountDisabled
		default:
			failures++
			// Never sooner than the server asked (an overloaded server's Retry-After).
			wait = max(backoff(e.opt.MinBackoff, e.opt.MaxBackoff, failures), client.RetryAfter(err))
			e.update(func(s *Status) { s.NextTry = e.opt.Now().Add(wait) })
		}
		if err := e.wait(ctx, wait); err != nil {
			return err
		}
	}
}

// wait waits d, or less when a sync is asked for (SyncNow: the user, or the heartbeat
// that found the server back with work waiting).
func (e *Engine) wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-e.trigger:
		return nil
	case <-t.C:
		return nil
	}
}

// backoff returns the wait before retry number n (1-based): doubling from min, capped at
// max, with "full jitter" over the upper half so that many clients do not retry together.
func backoff(lo, hi time.Duration, n int) time.Duration {
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	return d/2 + rand.N(d/2+1)
}

// SyncNow asks Serve to sync at once. It does not block.
func (e *Engine) SyncNow() {
	select {
	case e.trigger <- struct{}{}:
	default: // a sync is already asked for
	}
}

// Status returns the current status.
func (e *Engine) Status() Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.status
}

func (e *Engine) update(fn func(*Status)) {
	e.mu.Lock()
	before := e.status
	fn(&e.status)
	after := e.status
	e.mu.Unlock()
	if after != before && e.opt.OnStatus != nil {
		e.opt.OnStatus(after)
	}
}

// Sync pushes the outbox, pulls every change since the replica's cursor, then downloads
// missing files. Pushing first lets the server judge the user's changes against the
// state they were made on. It may be called directly (the headless "sync" command does).
func (e *Engine) Sync(ctx context.Context) error {
	e.update(func(s *Status) { s.Syncing = true })
	err := e.upload(ctx)
	if errors.Is(err, errPaused) {
		err = nil // the files wait; the rest of the sync goes on
	}
	if localFault(ctx, err) {
		// A file that cannot be read here must not stop messages and CAs.
		e.opt.Logger.Warn("upload", logKeyError, err)
		err = nil
	}
	pushed, perr := e.push(ctx)
	if err == nil {
		err = perr
	}
	if pushed > 0 {
		e.changed([]string{EntityOutbox})
	}
	if err == nil {
		err = e.pullAll(ctx)
	}
	now := e.opt.Now()
	e.update(func(s *Status) {
		s.Syncing = false
		code := client.Code(err)
		switch {
		case err == nil:
			s.Online, s.LastSync, s.LastError, s.NextTry, s.LastContact = true, now, "", time.Time{}, now
			s.Contacts++
		case linkLost(code):
			s.Online, s.LastError, s.ErrorAt = false, code, now
		case code != "":
			s.Online, s.LastError, s.ErrorAt = true, code, now
		case ctx.Err() == nil:
			s.LastError, s.ErrorAt = "internal", now
		}
	})
	if err != nil && ctx.Err() == nil {
		e.opt.Logger.Warn("sync failed", logKeyError, err)
	}
	return err
}

// pullAll pulls the changes, then the operator directory and the missing files at the
// same time: the two are independent (each keeps its own resume point in the replica),
// and on a long round trip one after the other would add the directory's round trips
// to the files'. The directory's pull starts as soon as the last change page says where
// the directory stands, before that page is applied.
func (e *Engine) pullAll(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type dirResult struct {
		n   int
		err error
	}
	var dir chan dirResult
	touched, err := e.pull(ctx, func(latest int64) {
		dir = make(chan dirResult, 1)
		go func() {
			n, err := e.pullDirectory(ctx, latest)
			dir <- dirResult{n, err}
		}()
	})
	var fetched int
	if err == nil {
		fetched, err = e.fetchFiles(ctx)
	} else {
		cancel() // the directory waits for the next sync too
	}
	if dir != nil {
		r := <-dir
		if r.n > 0 {
			touched = append(touched, EntityDirectory)
		}
		if err == nil {
			err = r.err
		}
	}
	e.changed(touched)
	if fetched > 0 {
		e.changed([]string{EntityFiles})
	}
	return err
}

// fetchFile downloads one file, resuming a download a broken connection cut short: the
// bytes received so far are kept and only the rest is asked for.
func (e *Engine) fetchFile(ctx context.Context, ref api.FileRef) error {
	for attempt := 0; ; attempt++ {
		f, have, err := e.replica.PartialDownload(ref.SHA256)
		if err != nil {
			return err
		}
		if ref.Size > 0 && have >= ref.Size { // all there: a cut came after the last byte
			f.Close()
			if err := e.replica.FinishDownload(ctx, ref); err == nil || attempt > 0 {
				return err
			}
			continue // it did not match and was thrown away: again from the start
		}
		err = e.remote.Download(ctx, ref.SHA256, have, func(start int64) (io.Writer, error) {
			if start != have { // the server sent it whole
				if err := f.Truncate(0); err != nil {
					return nil, err
				}
				if _, err := f.Seek(0, io.SeekStart); err != nil {
					return nil, err
				}
			}
			return f, nil
		})
		if client.Code(err) == api.CodeUploadGone && attempt == 0 {
			// The server could not serve the rest of what is here: start clean, once.
			err = f.Truncate(0)
			f.Close()
			if err != nil {
				return err
			}
			continue
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return e.replica.FinishDownload(ctx, ref)
	}
}

// localFault says whether err is this machine's trouble with one file (it cannot be
// read or written here, or its content did not match its hash) rather than the server's
// answer or the end of the sync: that file waits for the next sync, the rest goes on.
func localFault(ctx context.Context, err error) bool {
	return err != nil && client.Code(err) == "" && ctx.Err() == nil
}

// Log attribute keys.
const (
	logKeyError  = "error"
	logKeySHA256 = "sha256"
)

// EntityOutbox is reported to OnChanges when pushed entries got their results.
const EntityOutbox = "outbox"

// push sends the outbox in requests of PushSize entries until it is empty, and returns
// how many entries got a result. Each result is recorded before the next request; a
// rejected entry is recorded as such and never holds up the ones after it.
func (e *Engine) push(ctx context.Context) (int, error) {
	clientID, err := e.replica.ClientID(ctx)
	if err != nil {
		return 0, err
	}
	done := 0
	defer func() {
		if n, err := e.replica.PendingCount(context.WithoutCancel(ctx)); err == nil {
			e.update(func(s *Status) { s.Pending = n })
		}
	}()
	var last int64
	trailDone := e.opt.Trail == nil
	for {
		entries, err := e.replica.PendingPush(ctx, e.opt.PushSize)
		if err != nil {
			return done, err
		}
		var trail []api.TrailEntry
		if !trailDone {
			if trail, err = e.opt.Trail.Pending(ctx, api.MaxTrailEntries); err != nil {
				return done, err
			}
		}
		if len(entries) == 0 && len(trail) == 0 {
			return done, nil
		}
		if len(entries) > 0 {
			if entries[0].Seq <= last {
				return done, fmt.Errorf("push: entry %d is still pending after its result", entries[0].Seq)
			}
			last = entries[len(entries)-1].Seq
		}
		resp, err := e.remote.Push(ctx, api.PushRequest{ClientID: clientID, Entries: entries, Trail: trail})
		if err != nil {
			return done, err
		}
		if err := e.replica.ApplyPushResults(ctx, resp.Results, e.opt.Author, e.opt.Now()); err != nil {
			return done, err
		}
		done += len(resp.Results)
		if len(trail) > 0 {
			// A refused trail (or a server that keeps none) waits for the next sync: the
			// entries go on without it.
			ack := resp.Trail
			if ack == nil {
				ack = &api.TrailAck{Code: api.CodeBadResponse}
			}
			if err := e.opt.Trail.Acknowledged(ctx, *ack); err != nil {
				return done, err
			}
			trailDone = ack.Code != "" || ack.Last < trail[len(trail)-1].Seq
		}
	}
}

// EntityFiles is reported to OnChanges when files were downloaded: what is available
// offline changed.
const EntityFiles = "files"

func (e *Engine) changed(entities []string) {
	if len(entities) > 0 && e.opt.OnChanges != nil {
		e.opt.OnChanges(entities)
	}
}

// pull applies pages until the server says no more follows. Each page is applied with
// its cursor in one transaction, so an interrupted pull resumes where it stopped. The
// next page is asked for while one is applied: on a long round trip the link does not
// wait for the disk, nor the disk for the link.
// It returns the entities touched. last hears the directory's seq of the last page as
// soon as that page has arrived, before it is applied.
func (e *Engine) pull(ctx context.Context, last func(directory int64)) ([]string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // a page asked for ahead is dropped when the pull stops early
	cursor, err := e.replica.Cursor(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var touched []string
	var next <-chan pageResult
	if e.pages != nil {
		next = e.askPages(ctx, cursor) // the pages come one after the other
	} else {
		next = e.askPage(ctx, cursor)
	}
	for {
		var r pageResult
		select {
		case r = <-next:
		case <-ctx.Done(): // askPages stops sending when ctx ends
			return touched, ctx.Err()
		}
		if r.err != nil {
			return touched, r.err
		}
		page := r.page
		if page.More {
			if e.pages == nil {
				next = e.askPage(ctx, page.Cursor) // the cursor this page leaves
			}
		} else {
			last(page.Directory)
		}
		if err := e.replica.ApplyPage(ctx, page, e.opt.Now().UTC().Format(time.RFC3339)); err != nil {
			return touched, err
		}
		for _, c := range page.Changes {
			if !seen[c.Entity] {
				seen[c.Entity] = true
				touched = append(touched, c.Entity)
			}
		}
		if !page.More {
			return touched, nil
		}
	}
}

type pageResult struct {
	page api.ChangesPage
	err  error
}

// askPage asks for the page after cursor; the answer arrives on the channel.
func (e *Engine) askPage(ctx context.Context, cursor string) <-chan pageResult {
	out := make(chan pageResult, 1) // never blocks: an unread answer is dropped
	go func() {
		page, err := e.remote.Changes(ctx, cursor, e.opt.PageSize)
		out <- pageResult{page, err}
	}()
	return out
}

// PagesRemote is a Remote that answers several change pages in one request
// (client.Client.ChangePages).
type PagesRemote interface {
	ChangePages(ctx context.Context, cursor string, limit, pages int, each func(api.ChangesPage) error) error
}

// PagesPerRequest is how many change pages one request asks for, when the remote can
// answer several: on a long round trip the link then never waits between pages.
const PagesPerRequest = 10

// askPages is askPage for a remote answering several pages a request: the pages after
// cursor arrive on the channel one by one, each as soon as it is whole, the next
// request asked at once when an answer ends with more to come. It stops after a page
// with More false, an error (sent last), or when ctx ends.
func (e *Engine) askPages(ctx context.Context, cursor string) <-chan pageResult {
	out := make(chan pageResult, 1) // one page waits while the one before is applied
	go func() {
		for {
			more, got := false, false
			err := e.pages.ChangePages(ctx, cursor, e.opt.PageSize, PagesPerRequest, func(page api.ChangesPage) error {
				select {
				case out <- pageResult{page: page}:
				case <-ctx.Done():
					return ctx.Err()
				}
				cursor, more, got = page.Cursor, page.More, true
				return nil
			})
			if err == nil && !got {
				err = &client.Error{Code: api.CodeBadResponse, Err: errors.New("an answer without a page")}
			}
			if err != nil {
				select {
				case out <- pageResult{err: err}:
				case <-ctx.Done():
				}
				return
			}
			if !more {
				return
			}
		}
	}()
	return out
}

// fetchFiles downloads every referenced file not yet cached and returns how many it
// stored. A file that fails its hash check is skipped for now and retried next sync.
func (e *Engine) fetchFiles(ctx context.Context) (int, error) {
	missing, err := e.replica.MissingFiles(ctx)
	if err != nil || len(missing) == 0 {
		return 0, err
	}
	e.update(func(s *Status) { s.Files = len(missing) })
	// Downloads at once: on a link with a long round trip, one at a time would spend
	// more time waiting than transferring. Small files cost their round trip, not their
	// bytes: they all go at once (up to SmallDownloads), beside DownloadWorkers of the
	// others, so a handful of them never waits for a second round.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		fetched  int
		left     = len(missing)
		firstErr error
		wg       sync.WaitGroup
	)
	download := func(refs []api.FileRef, workers int) {
		jobs := make(chan api.FileRef)
		for range min(workers, len(refs)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ref := range jobs {
					err := e.fetchFile(ctx, ref)
					mu.Lock()
					switch {
					case err == nil:
						fetched++
					case localFault(ctx, err):
						e.opt.Logger.Warn("file not cached", logKeySHA256, ref.SHA256, logKeyError, err)
					default:
						if firstErr == nil {
							firstErr = err
						}
						cancel()
					}
					left--
					n := left
					mu.Unlock()
					e.update(func(s *Status) { s.Files = n })
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(jobs)
			for _, ref := range refs {
				select {
				case jobs <- ref:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	var small, large []api.FileRef
	for _, ref := range missing {
		if ref.Size > 0 && ref.Size <= SmallFile {
			small = append(small, ref)
		} else {
			large = append(large, ref)
		}
	}
	download(small, SmallDownloads)
	download(large, DownloadWorkers)
	wg.Wait()
	return fetched, firstErr
}

// DownloadWorkers is how many files larger than SmallFile are downloaded at once: on
// a long round trip, files cost their round trip as well as their bytes.
var DownloadWorkers = 8

// SmallFile is the size up to which a file counts as small: on a slow link (1 Mbit/s)
// its bytes take less than its round trip. SmallDownloads of them download at once,
// beside the larger ones.
const (
	SmallFile      = 32 << 10
	SmallDownloads = 32
)
