package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/attach"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// Evidence files with both sides real: the app's services, the real ecert-server with
// its tus uploads, and a real fault-injecting proxy between them.

const ncEvidence = "NC-150424-2018" // the demo NC awaiting evidence

// manualApp logs a replica in through url with syncs only on SyncOnce, and syncs it.
func manualApp(t *testing.T, dir, url string) *app.App {
	t.Helper()
	a := app.New(app.Config{DataDir: dir, Platform: &recorder{}, Manual: true})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := a.Session.Login(url, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	return a
}

// randomFile writes size pseudo-random bytes and returns the path and SHA-256.
func randomFile(t *testing.T, size int, seed uint64) (string, string) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed+1))
	buf := make([]byte, size)
	for i := 0; i < size; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < size; j++ {
			buf[i+j] = byte(v >> (8 * j))
		}
	}
	path := filepath.Join(t.TempDir(), "Photos visite des plantations.zip")
	if err := os.WriteFile(path, buf, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf)
	return path, hex.EncodeToString(sum[:])
}

func attachTo(t *testing.T, a *app.App, nc, path string) attach.AttachResult {
	t.Helper()
	res, err := a.Attach(context.Background(), nc, []string{path}, attach.SourceCLI)
	if err != nil || len(res) != 1 || res[0].Code != "" {
		t.Fatalf("attach %s: %+v %v", path, res, err)
	}
	return res[0]
}

// serverHas reports whether the organisation's evidence on the server holds sha on nc.
func serverHas(t *testing.T, srv *servertest.Server, nc, sha string) bool {
	t.Helper()
	b := manualApp(t, t.TempDir(), srv.URL)
	d, err := b.Portal.NC(nc)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range d.Evidence {
		if e.Evidence.File.SHA256 == sha {
			return true
		}
	}
	return false
}

func TestUploadCutFiveTimesResumesWithLittleResent(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 50 MB")
	}
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	a := manualApp(t, t.TempDir(), proxy.URL)
	ctx := context.Background()
	const size = 50 << 20
	path, sum := randomFile(t, size, 7)
	attachTo(t, a, ncEvidence, path)

	start := srv.Received.Load()
	r := rand.New(rand.NewPCG(42, 43))
	cuts := 0
	for range 5 {
		// Each connection is cut after a random number of bytes.
		proxy.AddToxic("cut", "limit_data", "upstream", `"bytes": `+itoa(3<<20+r.IntN(6<<20)))
		err := a.SyncOnce(ctx, nil, nil)
		proxy.RemoveToxic("cut")
		if err == nil {
			break // the rest fitted before the cut
		}
		if client.Code(err) != api.CodeUnreachable {
			t.Fatalf("sync through a cut: %v", err)
		}
		cuts++
	}
	if err := a.SyncOnce(ctx, nil, nil); err != nil {
		t.Fatal(err)
	}
	received := srv.Received.Load() - start
	resent := received - size
	t.Logf("%d cuts: %d bytes received for a %d-byte file, %d resent (chunk %d)", cuts, received, size, resent, engine.ChunkSize)
	if cuts < 3 {
		t.Errorf("only %d cuts happened; the test wants several", cuts)
	}
	// Requests other than uploads (push, blob queries) carry a few kB.
	if resent > int64(cuts)*engine.ChunkSize+64<<10 {
		t.Errorf("resent %d bytes over %d cuts: more than one chunk (%d) per cut", resent, cuts, engine.ChunkSize)
	}
	if !serverHas(t, srv, ncEvidence, sum) {
		t.Error("the file is not attached on the server after the upload")
	}
}

func itoa(n int) string {
	b := []byte{}
	for n > 0 || len(b) == 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func TestUploadResumesAfterTheAppQuits(t *testing.T) {
	srv := servertest.Start(t)
	dir := t.TempDir()
	a := manualApp(t, dir, srv.URL)
	const size = 12 << 20
	path, sum := randomFile(t, size, 11)
	attachTo(t, a, ncEvidence, path)

	// Quit in the middle: the sync is cancelled once a few MB are on the server.
	ctx, cancel := context.WithCancel(context.Background())
	err := a.SyncOnce(ctx, nil, func(p engine.Progress) {
		if p.Done >= 4<<20 {
			cancel()
		}
	})
	if err == nil {
		t.Fatal("the sync finished before it was cancelled")
	}
	a.Close()
	before := srv.Received.Load()

	b := app.New(app.Config{DataDir: dir, Platform: &recorder{}, Manual: true})
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.SyncOnce(context.Background(), nil, nil); err != nil {
		t.Fatal(err)
	}
	sent := srv.Received.Load() - before
	if sent > size-3<<20 {
		t.Errorf("after the restart %d bytes were sent for a %d-byte file: it did not resume", sent, size)
	}
	if !serverHas(t, srv, ncEvidence, sum) {
		t.Error("the file is not on the server after resuming")
	}
}

func TestSameFileOnTwoNCsIsUploadedOnce(t *testing.T) {
	srv := servertest.Start(t)
	a := manualApp(t, t.TempDir(), srv.URL)
	ctx := context.Background()
	// A second NC awaiting evidence: its CA is sent and accepted with evidence requested.
	const other = "NC-167140-2019"
	if _, err := a.CA.SetReady(other, "Réunions trimestrielles", true); err != nil {
		t.Fatal(err)
	}
	a.CA.Send()
	syncNow(t, a)
	if err := srv.AcceptCA(ctx, "analyst", coop, other, true, "", ""); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	const size = 3 << 20
	path, sum := randomFile(t, size, 5)
	attachTo(t, a, ncEvidence, path)
	attachTo(t, a, other, path)
	before := srv.Received.Load()
	syncNow(t, a)
	if got := srv.Received.Load() - before; got > size+64<<10 {
		t.Errorf("%d bytes sent for one %d-byte file attached twice", got, size)
	}
	if !serverHas(t, srv, ncEvidence, sum) || !serverHas(t, srv, other, sum) {
		t.Error("the file is not attached to both NCs on the server")
	}
}

func TestFileOverTheLimitIsRefusedBeforeUpload(t *testing.T) {
	srv := servertest.StartWith(t, func(c *server.Config) { c.MaxFileBytes = 1 << 20 })
	a := manualApp(t, t.TempDir(), srv.URL)
	ctx := context.Background()
	path, _ := randomFile(t, 2<<20, 3)
	res, err := a.Attach(ctx, ncEvidence, []string{path}, attach.SourceDialog)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Code != api.CodeTooLarge || res[0].MaxBytes != 1<<20 {
		t.Fatalf("a file over the limit: %+v, want too_large with the 1 MiB limit", res)
	}
	before := srv.Received.Load()
	syncNow(t, a)
	if got := srv.Received.Load() - before; got > 4<<10 {
		t.Errorf("%d bytes went to the server for a refused file", got)
	}
	d, _ := a.Portal.NC(ncEvidence)
	for _, e := range d.Evidence {
		if e.Local {
			t.Errorf("a refused file was attached: %+v", e)
		}
	}
}

func TestCorruptedBytesAreRefusedAndNotStored(t *testing.T) {
	srv := servertest.Start(t)
	a := manualApp(t, t.TempDir(), srv.URL)
	ctx := context.Background()
	path, sum := randomFile(t, 1<<20, 9)
	attachTo(t, a, ncEvidence, path)
	// The copy in the content store is damaged on disk: its bytes no longer match.
	stored := filepath.Join(a.Store().Files.Dir(), sum[:2], sum)
	os.Chmod(stored, 0o600)
	if err := os.WriteFile(stored, make([]byte, 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	a.SyncOnce(ctx, nil, nil)
	d, _ := a.Portal.NC(ncEvidence)
	refused := false
	for _, e := range d.Evidence {
		if e.Evidence.File.SHA256 == sum {
			refused = e.State == "refused" && e.Code == api.CodeHashMismatch
		}
	}
	if !refused {
		t.Errorf("the damaged file's state: %+v; want refused for hash_mismatch", d.Evidence)
	}
	c, _ := client.New(srv.URL)
	c.Login(ctx, "coop", "coop")
	if missing, err := c.Missing(ctx, []string{sum}); err != nil || len(missing) != 1 {
		t.Errorf("the server stored damaged bytes: missing=%v err=%v", missing, err)
	}
	if err := a.SyncOnce(ctx, nil, nil); err != nil {
		t.Errorf("a refused file must not stop the next syncs: %v", err)
	}
}

func TestEvidenceCycleEndsWithANewCertificate(t *testing.T) {
	srv := servertest.Start(t)
	a := manualApp(t, t.TempDir(), srv.URL)
	ctx := context.Background()
	path, sum := randomFile(t, 200<<10, 13)
	res := attachTo(t, a, ncEvidence, path)
	if err := a.Evidence.SetSubject(res.ID, "Liste des plantations"); err != nil {
		t.Fatal(err)
	}
	if err := a.Evidence.SetReady(ncEvidence, true); err != nil {
		t.Fatal(err)
	}
	if r, err := a.CA.Send(); err != nil || len(r.Queued) == 0 {
		t.Fatalf("send: %+v %v", r, err)
	}
	syncNow(t, a)
	d, _ := a.Portal.NC(ncEvidence)
	if d.Row.NC.Stage != api.StageEvidenceSubmitted {
		t.Fatalf("after sending the evidence: stage %s; evidence %+v", d.Row.NC.Stage, d.Evidence)
	}
	if err := srv.AcceptEvidence(ctx, "analyst", coop, ncEvidence, "Conforme."); err != nil {
		t.Fatal(err)
	}
	// Close the audit's other NCs, then finalise: a new certificate is issued.
	ncs, _ := srv.NCs(ctx, coop)
	for _, nc := range ncs {
		if nc.AuditID == "AO-38369" && nc.Stage != api.StageClosed && nc.Stage != workflow.StageEntered && nc.ID != ncEvidence {
			if err := srv.CloseNC(ctx, "analyst", coop, nc.ID, ""); err != nil {
				t.Fatalf("close %s: %v", nc.ID, err)
			}
		}
	}
	for _, nc := range ncs {
		if nc.Stage == workflow.StageEntered && nc.AuditID == "AO-38369" {
			if err := srv.ConfirmNC(ctx, "analyst", coop, nc.ID, "2027-01-01"); err != nil {
				t.Fatal(err)
			}
			if err := srv.CloseNC(ctx, "analyst", coop, nc.ID, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	cert, err := srv.FinaliseCertification(ctx, "analyst", coop, "AO-38369")
	if err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	certs, _ := a.Portal.Certificates()
	found := false
	for _, c := range certs {
		if c.Certificate.ID == cert.ID && c.Cached {
			found = true
		}
	}
	if !found {
		t.Errorf("the new certificate %s is not in the app (cached): %+v", cert.Number, certs)
	}
	if !serverHas(t, srv, ncEvidence, sum) {
		t.Error("the evidence is not on the server")
	}
}

// A colleague's Send takes every file of the NC not sent yet, this computer's too: once
// pulled, the file is FLOCERT's — shown as sent, and not counted for another Send the
// server would refuse (no_evidence). Found by the soak on PostgreSQL.
func TestFileSentByAColleagueIsNoLongerToSend(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	a := manualApp(t, t.TempDir(), srv.URL)
	b := manualApp(t, t.TempDir(), srv.URL)
	path, _ := randomFile(t, 20<<10, 21)
	mine := attachTo(t, b, ncEvidence, path)
	syncNow(t, b) // b's file is on the server, attached, not sent
	syncNow(t, a)
	if err := a.Evidence.SetReady(ncEvidence, true); err != nil {
		t.Fatal(err)
	}
	if r, err := a.CA.Send(); err != nil || len(r.Queued) != 1 {
		t.Fatalf("a's send: %+v %v", r, err)
	}
	syncNow(t, a)
	if err := srv.ReturnEvidence(ctx, "analyst", coop, ncEvidence, "Il manque la liste.", ""); err != nil {
		t.Fatal(err)
	}
	syncNow(t, b)
	d, err := b.Portal.NC(ncEvidence)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range d.Evidence {
		if row.Evidence.ID == mine.ID && row.State != "submitted" {
			t.Errorf("b's file, sent by a: state %q, want submitted", row.State)
		}
	}
	if err := b.Evidence.SetReady(ncEvidence, true); err != nil {
		t.Fatal(err)
	}
	p, err := b.CA.SendPreview()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.NoFiles) != 1 || p.NoFiles[0] != ncEvidence {
		t.Errorf("b's send preview: no_files %v, want [%s] (its only file was sent by a)", p.NoFiles, ncEvidence)
	}
	if r, err := b.CA.Send(); err != nil {
		t.Fatal(err)
	} else {
		syncNow(t, b)
		if got := outboxRejected(t, b); len(got) != 0 {
			t.Errorf("b's send of %v was refused: %v", r.Queued, got)
		}
	}
}

// outboxRejected lists the entries of a's outbox the server refused: kind, NC, code.
func outboxRejected(t *testing.T, a *app.App) []string {
	t.Helper()
	items, err := a.Outbox.List()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		if it.State == "rejected" {
			out = append(out, it.Kind+" "+it.NCID+" "+it.Code)
		}
	}
	return out
}
