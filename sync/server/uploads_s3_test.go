package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3/s3test"
	"github.com/ecert-desktop/ecert-desktop/sync/server/uploads/pglock"
)

// runOnS3, when set, is the bucket where the servers of newEnvAt keep finished files
// and uploads in progress: TestUploadsOnS3 sets it while it replays the upload tests.
var runOnS3 *s3.Config

// TestUploadsOnS3 runs the upload tests against a real S3-compatible server
// (versitygw; see s3test), each on a fresh bucket.
func TestUploadsOnS3(t *testing.T) {
	for _, c := range []struct {
		name string
		test func(*testing.T)
	}{
		{"InChunks", TestUploadInChunks},
		{"HashMismatch", TestUploadHashMismatch},
		{"RefusedAtCreation", TestUploadRefusedAtCreation},
		{"OfAnotherOrganisation", TestUploadOfAnotherOrganisation},
		{"ResumesAfterCut", TestUploadResumesAfterCut},
		{"ResumesAfterRestart", testUploadResumesAfterRestart},
		{"ResumesOnAnotherNode", testUploadResumesOnAnotherNode},
		{"TakenOverByAnotherNode", testUploadTakenOverByAnotherNode},
		{"LockLostWithItsConnection", testUploadLockLost},
		{"InParts", testUploadInParts},
		{"Expiry", TestUploadExpiry},
		{"BadInput", TestEveryRouteRefusesBadInput},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := s3test.Start(t)
			runOnS3 = &cfg
			t.Cleanup(func() { runOnS3 = nil })
			c.test(t)
		})
	}
}

// testUploadResumesAfterRestart: the server forgets the running hash of an upload when
// it restarts (as when the next PATCH reaches another node), so the finish checks the
// file by reading the whole object back from the store.
func testUploadResumesAfterRestart(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	data := payload(50_000)
	url := e.create(coop, data, "a.pdf")
	if r := e.patch(coop, url, 0, data[:20_000]); r.status != http.StatusNoContent {
		t.Fatalf("PATCH: %d %s", r.status, r.body)
	}
	if err := e.srv.Restart(); err != nil {
		t.Fatal(err)
	}
	if got := e.offset(coop, url); got != 20_000 {
		t.Fatalf("offset after a restart: %d", got)
	}
	if r := e.patch(coop, url, 20_000, data[20_000:]); r.status != http.StatusNoContent {
		t.Fatalf("resumed PATCH: %d %s", r.status, r.body)
	}
	if got := e.do("GET", "/files/"+sum256(data), coop, nil); got.status != http.StatusOK || !bytes.Equal(got.body, data) {
		t.Fatalf("file after resume: %d, %d bytes", got.status, len(got.body))
	}
	if files := e.uploadFiles(); len(files) != 0 {
		t.Errorf("upload files left: %v", files)
	}
}

// testUploadResumesOnAnotherNode: two servers on one database and one bucket, as
// behind a load balancer; an upload begun on one ends on the other, which checks the
// file by reading the object back, and the first serves it.
func testUploadResumesOnAnotherNode(t *testing.T) {
	one := newEnv(t)
	two := newEnvAt(t, one.dir, one.clock, nil)
	data := payload(50_000)
	url := one.create(one.token("coop"), data, "a.pdf")
	if r := one.patch(one.token("coop"), url, 0, data[:20_000]); r.status != http.StatusNoContent {
		t.Fatalf("PATCH on node one: %d %s", r.status, r.body)
	}
	coop := two.token("coop")
	if got := two.offset(coop, url); got != 20_000 {
		t.Fatalf("offset on node two: %d", got)
	}
	if r := two.patch(coop, url, 20_000, data[20_000:]); r.status != http.StatusNoContent {
		t.Fatalf("PATCH on node two: %d %s", r.status, r.body)
	}
	if got := one.do("GET", "/files/"+sum256(data), one.token("coop"), nil); got.status != http.StatusOK || !bytes.Equal(got.body, data) {
		t.Fatalf("file from node one: %d, %d bytes", got.status, len(got.body))
	}
	if files := one.uploadFiles(); len(files) != 0 {
		t.Errorf("upload files left: %v", files)
	}
}

// testUploadTakenOverByAnotherNode: a client's PATCH stalls on node one (its link
// hangs) and it resumes through node two. Node two's HEAD waits for the upload's lock,
// which node one holds in the stalled PATCH: it asks node one to release it (pglock's
// request across nodes), node one ends that PATCH keeping the bytes it got, and the
// upload finishes on node two. Needs the nodes' shared locker: PostgreSQL only.
func testUploadTakenOverByAnotherNode(t *testing.T) {
	one := newEnv(t)
	if one.srv.Database() == "" {
		t.Skip("nodes share an upload locker on PostgreSQL only (servertest.EnvStore)")
	}
	two := newEnvAt(t, one.dir, one.clock, nil)
	data := payload(50_000)
	coop := one.token("coop")
	url := one.create(coop, data, "a.pdf")

	// The stalled PATCH: 20,000 bytes, then nothing more until the test ends.
	body, feed := io.Pipe()
	defer feed.Close()
	req, err := http.NewRequest("PATCH", one.http.URL+url[strings.Index(url, api.Version):], body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(data))
	for k, v := range map[string]string{"Authorization": "Bearer " + coop, "Tus-Resumable": "1.0.0",
		"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"} {
		req.Header.Set(k, v)
	}
	stalled := make(chan int, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			stalled <- -1
			return
		}
		res.Body.Close()
		stalled <- res.StatusCode
	}()
	if _, err := feed.Write(data[:20_000]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the bytes reach node one's store

	start := time.Now()
	off := two.offset(two.token("coop"), url)
	t.Logf("node two got the upload's lock in %v, at offset %d", time.Since(start).Round(time.Millisecond), off)
	if off != 20_000 {
		t.Fatalf("offset on node two: %d, want the 20000 bytes node one received", off)
	}
	select {
	case code := <-stalled:
		t.Logf("the stalled PATCH on node one ended: %d", code)
	case <-time.After(10 * time.Second):
		t.Fatal("the stalled PATCH on node one still runs")
	}
	if r := two.patch(two.token("coop"), url, off, data[off:]); r.status != http.StatusNoContent {
		t.Fatalf("PATCH on node two: %d %s", r.status, r.body)
	}
	if got := one.do("GET", "/files/"+sum256(data), coop, nil); got.status != http.StatusOK || !bytes.Equal(got.body, data) {
		t.Fatalf("file from node one: %d, %d bytes", got.status, len(got.body))
	}
}

// testUploadLockLost: node one's PATCH holds the upload's lock when the lock's
// database session dies (its backend terminated). PostgreSQL frees the lock at once;
// node one's keep-alive notices and ends the PATCH with upload_interrupted, which the
// client retries, and node two takes the lock only after that: no two nodes write one
// upload. The upload then finishes on node two, whole.
func testUploadLockLost(t *testing.T) {
	one := newEnv(t)
	if one.srv.Database() == "" {
		t.Skip("nodes share an upload locker on PostgreSQL only (servertest.EnvStore)")
	}
	defer func(k, w time.Duration) { pglock.KeepAliveEvery, pglock.TakeoverWait = k, w }(pglock.KeepAliveEvery, pglock.TakeoverWait)
	pglock.KeepAliveEvery, pglock.TakeoverWait = 100*time.Millisecond, 500*time.Millisecond
	two := newEnvAt(t, one.dir, one.clock, nil)
	data := payload(50_000)
	coop := one.token("coop")
	url := one.create(coop, data, "a.pdf")

	body, feed := io.Pipe()
	defer feed.Close()
	req, err := http.NewRequest("PATCH", one.http.URL+url[strings.Index(url, api.Version):], body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(data))
	for k, v := range map[string]string{"Authorization": "Bearer " + coop, "Tus-Resumable": "1.0.0",
		"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"} {
		req.Header.Set(k, v)
	}
	type answer struct {
		status int
		body   string
		at     time.Time
	}
	ended := make(chan answer, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			ended <- answer{status: -1, body: err.Error(), at: time.Now()}
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		ended <- answer{res.StatusCode, string(b), time.Now()}
	}()
	if _, err := feed.Write(data[:20_000]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the bytes reach node one's store

	admin, err := pgx.Connect(context.Background(), one.srv.Database())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	// pglock's keys are advisory locks of class "tus" (their high half).
	var n int
	if err := admin.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND classid = x'74757300'::bigint::oid`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("terminate node one's lock session: %d terminated, %v", n, err)
	}
	killed := time.Now()
	// The client's next step, through node two: ask the offset (the HEAD takes the lock).
	off := two.offset(two.token("coop"), url)
	tookLock := time.Now()
	var a answer
	select {
	case a = <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("node one's PATCH still runs after its lock was lost")
	}
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, api.CodeUploadInterrupted) {
		t.Errorf("node one's PATCH after its lock was lost: %d %s, want 400 %s", a.status, a.body, api.CodeUploadInterrupted)
	}
	if !a.at.Before(tookLock) {
		t.Errorf("node two had the lock %v after the kill, node one's PATCH ended %v after: two writers",
			tookLock.Sub(killed), a.at.Sub(killed))
	}
	t.Logf("node one's PATCH ended %v after its lock session died; node two had the lock %v after, offset %d",
		a.at.Sub(killed).Round(time.Millisecond), tookLock.Sub(killed).Round(time.Millisecond), off)
	if off != 20_000 {
		t.Fatalf("offset on node two: %d, want the 20000 bytes node one received", off)
	}
	if r := two.patch(two.token("coop"), url, off, data[off:]); r.status != http.StatusNoContent {
		t.Fatalf("PATCH on node two: %d %s", r.status, r.body)
	}
	if got := one.do("GET", "/files/"+sum256(data), coop, nil); got.status != http.StatusOK || !bytes.Equal(got.body, data) {
		t.Fatalf("file from node one: %d, %d bytes", got.status, len(got.body))
	}
}

// testUploadInParts sends a file larger than the part size, so that it reaches the
// store as several parts of a multipart upload and the rest short of a part.
func testUploadInParts(t *testing.T) {
	old := s3.PartSize
	s3.PartSize = 5 << 20 // the least S3 takes
	t.Cleanup(func() { s3.PartSize = old })
	e := newEnv(t)
	coop := e.token("coop")
	data := payload(11<<20 + 1234)
	url := e.create(coop, data, "photos.zip")
	for off := 0; off < len(data); off += 3 << 20 {
		if r := e.patch(coop, url, off, data[off:min(off+3<<20, len(data))]); r.status != http.StatusNoContent {
			t.Fatalf("PATCH at %d: %d %s", off, r.status, r.body)
		}
	}
	if got := e.do("GET", "/files/"+sum256(data), coop, nil); got.status != http.StatusOK || !bytes.Equal(got.body, data) {
		t.Fatalf("file: %d, %d bytes", got.status, len(got.body))
	}
}

// uploadFiles lists what unfinished uploads leave in the store: the files of the
// upload folder, or the objects and multipart uploads below uploads/ in the bucket.
func (e *env) uploadFiles() []string {
	e.t.Helper()
	if e.s3 != nil {
		return s3test.List(e.t, *e.s3, "uploads/")
	}
	return dirFiles(e.t, filepath.Join(e.dir, "uploads"))
}

// hasBlob reports whether the blob store holds sum.
func (e *env) hasBlob(sum string) bool {
	e.t.Helper()
	if e.s3 != nil {
		return len(s3test.List(e.t, *e.s3, "blobs/"+sum[:2]+"/"+sum)) > 0
	}
	_, err := os.Stat(filepath.Join(e.dir, "blobs", sum[:2], sum))
	return err == nil
}
