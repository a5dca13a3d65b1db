package engine_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// dirReplica adds the operator directory to memReplica.
type dirReplica struct {
	*memReplica
	mu        sync.Mutex
	after     int64
	operators map[string]api.Operator
}

func (r *dirReplica) DirectoryAfter(ctx context.Context) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.after, nil
}

func (r *dirReplica) ApplyDirectory(ctx context.Context, page api.DirectoryPage) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, o := range page.Operators {
		r.operators[o.FLOID] = o
	}
	r.after = page.After
	return nil
}

// heldDirectory is the real client whose directory answers wait until a file download
// has started: a sync that pulls the directory and the files one after the other never
// gets its directory page.
type heldDirectory struct {
	*client.Client
	once        sync.Once
	downloading chan struct{}
}

func (h *heldDirectory) Download(ctx context.Context, sha string, offset int64, w func(int64) (io.Writer, error)) error {
	h.once.Do(func() { close(h.downloading) })
	return h.Client.Download(ctx, sha, offset, w)
}

func (h *heldDirectory) Directory(ctx context.Context, after int64, limit int) (api.DirectoryPage, error) {
	select {
	case <-h.downloading:
	case <-time.After(10 * time.Second):
		return api.DirectoryPage{}, errors.New("no file download started while the directory was pulled")
	}
	return h.Client.Directory(ctx, after, limit)
}

// On a long round trip, the directory's requests and the files' are not made one after
// the other: both follow the change pages at once, and both end in the replica.
func TestDirectoryAndFilesArePulledTogether(t *testing.T) {
	_, c, st := setup(t)
	r := &dirReplica{memReplica: st, operators: map[string]api.Operator{}}
	remote := &heldDirectory{Client: c, downloading: make(chan struct{})}
	e := engine.New(r, remote, engine.Options{})
	if err := e.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(r.operators) == 0 || r.after == 0 {
		t.Errorf("the directory was not pulled: %d operators, after %d", len(r.operators), r.after)
	}
	missing, err := st.MissingFiles(context.Background())
	if err != nil || len(missing) > 0 {
		t.Errorf("files still missing after the sync: %v %v", missing, err)
	}
}

// gatheredDownloads is the real client whose downloads wait until want of them are
// asked for at once: a sync that downloads fewer at a time never gets its files.
type gatheredDownloads struct {
	*client.Client
	want  int
	mu    sync.Mutex
	asked int
	all   chan struct{}
}

func (g *gatheredDownloads) Download(ctx context.Context, sha string, offset int64, w func(int64) (io.Writer, error)) error {
	g.mu.Lock()
	g.asked++
	n := g.asked
	g.mu.Unlock()
	if n == g.want {
		close(g.all)
	}
	select {
	case <-g.all:
	case <-time.After(10 * time.Second):
		return fmt.Errorf("%d downloads at once, want %d", n, g.want)
	}
	return g.Client.Download(ctx, sha, offset, w)
}

// Small files cost their round trip, not their bytes: sixteen of them (more than
// DownloadWorkers) are all asked for at once, not in two rounds.
func TestSmallFilesDownloadAtOnce(t *testing.T) {
	srv := servertest.Start(t)
	const files = 16
	if err := srv.GenerateLarge(context.Background(), demo.GenerateOptions{NCs: files, Evidence: files}); err != nil {
		t.Fatal(err)
	}
	c, err := client.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(context.Background(), "large", "large"); err != nil {
		t.Fatal(err)
	}
	st := newReplica(t)
	remote := &gatheredDownloads{Client: c, want: files, all: make(chan struct{})}
	if err := engine.New(st, remote, engine.Options{}).Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if missing, err := st.MissingFiles(context.Background()); err != nil || len(missing) > 0 {
		t.Errorf("files still missing after the sync: %d %v", len(missing), err)
	}
	if files <= engine.DownloadWorkers {
		t.Fatalf("%d files do not test more than DownloadWorkers (%d) at once", files, engine.DownloadWorkers)
	}
}

// pageRequests is the real client, counting its requests for change pages.
type pageRequests struct {
	*client.Client
	mu    sync.Mutex
	asked int
}

func (p *pageRequests) ChangePages(ctx context.Context, cursor string, limit, pages int, each func(api.ChangesPage) error) error {
	p.mu.Lock()
	p.asked++
	p.mu.Unlock()
	return p.Client.ChangePages(ctx, cursor, limit, pages, each)
}

// On a long round trip the link does not wait between pages: a pull of several pages
// (fewer than PagesPerRequest) is one request, and the replica ends as a pull page by
// page leaves it.
func TestPagesComeInOneRequest(t *testing.T) {
	_, c, st := setup(t)
	remote := &pageRequests{Client: c}
	if err := engine.New(st, remote, engine.Options{PageSize: 7}).Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	var pages int
	byPage := newReplica(t)
	for cursor := ""; ; pages++ {
		page, err := c.Changes(context.Background(), cursor, 7)
		if err != nil {
			t.Fatal(err)
		}
		if err := byPage.ApplyPage(context.Background(), page, ""); err != nil {
			t.Fatal(err)
		}
		cursor = page.Cursor
		if !page.More {
			break
		}
	}
	if pages < 2 || pages >= engine.PagesPerRequest {
		t.Fatalf("%d pages of 7: the demo data no longer tests this", pages+1)
	}
	if remote.asked != 1 {
		t.Errorf("%d pages took %d requests, want 1", pages+1, remote.asked)
	}
	equalReplicas(t, "synced", st.snapshot(), "pulled page by page", byPage.snapshot())
}

// A server that does not know pages=N answers one page a request: the engine asks
// again from each page's cursor, and the replica ends the same.
func TestPagesFromAServerAnsweringOneAtATime(t *testing.T) {
	srv, c, st := setup(t)
	u, _ := url.Parse(srv.URL)
	rp := httputil.NewSingleHostReverseProxy(u)
	var asked atomic.Int32
	old := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/changes") {
			asked.Add(1)
			q := r.URL.Query()
			q.Del("pages") // as a server from before pages=N reads the request
			r.URL.RawQuery = q.Encode()
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(old.Close)
	oc, err := client.New(old.URL)
	if err != nil {
		t.Fatal(err)
	}
	oc.SetSession(c.Session())
	if err := engine.New(st, oc, engine.Options{PageSize: 7}).Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	clean := newReplica(t)
	if err := engine.New(clean, c, engine.Options{PageSize: 7}).Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	equalReplicas(t, "synced one page a request", st.snapshot(), "synced in one request", clean.snapshot())
	if asked.Load() < 2 {
		t.Errorf("%d requests for changes: the data no longer tests more than one page", asked.Load())
	}
}
