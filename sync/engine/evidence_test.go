package engine_test

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// randomBytes returns n pseudo-random bytes: content no compression shrinks.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed+1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// fixedChunks makes every upload chunk n bytes for the test.
func fixedChunks(t *testing.T, n int64) {
	size, lo, hi := engine.ChunkSize, engine.MinChunkSize, engine.MaxChunkSize
	engine.ChunkSize, engine.MinChunkSize, engine.MaxChunkSize = n, n, n
	t.Cleanup(func() { engine.ChunkSize, engine.MinChunkSize, engine.MaxChunkSize = size, lo, hi })
}

// Two attachments of the same bytes and a Send: the bytes go up once, both files are
// attached, then the NC's evidence is submitted, and progress ends complete.
func TestUploadOnceThenAttachAndSubmit(t *testing.T) {
	srv, c, st := setup(t)
	ctx := context.Background()
	var last engine.Progress
	e := engine.New(st, c, engine.Options{OnProgress: func(p engine.Progress) { last = p }})
	if err := e.Sync(ctx); err != nil { // the NC as the user sees it before Send
		t.Fatal(err)
	}
	data := randomBytes(1<<20, 1)
	ref := st.attach(t, ncEvidence, "EV-test-1", "Registre des formations.pdf", data)
	st.attach(t, ncEvidence, "EV-test-2", "Registre des formations (copie).pdf", data)
	st.send(ncEvidence)

	before := srv.Received.Load()
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.Received.Load() - before; got < int64(len(data)) || got > int64(len(data))+64<<10 {
		t.Errorf("sent %d bytes for a %d-byte file attached twice, want it once", got, len(data))
	}
	if files, _ := st.PendingUploads(ctx); len(files) != 0 {
		t.Errorf("files still to upload: %v", files)
	}
	if n, _ := st.PendingCount(ctx); n != 0 {
		t.Errorf("pending entries: got %d, want 0 (refused: %v)", n, st.rejected())
	}
	for _, id := range []string{"EV-test-1", "EV-test-2"} {
		var ev api.Evidence
		if err := st.get(api.EntityEvidence, id, &ev); err != nil || ev.File.SHA256 != ref.SHA256 || !ev.Submitted {
			t.Errorf("%s after the sync: got %+v %v, want submitted with hash %s", id, ev, err, ref.SHA256)
		}
	}
	var nc api.NC
	if err := st.get(api.EntityNC, ncEvidence, &nc); err != nil || nc.Stage != api.StageEvidenceSubmitted {
		t.Errorf("%s after the sync: stage %q %v, want %q", ncEvidence, nc.Stage, err, api.StageEvidenceSubmitted)
	}
	if want := (engine.Progress{SHA256: ref.SHA256, Name: ref.Name, Done: ref.Size, Total: ref.Size,
		AllDone: ref.Size, AllTotal: ref.Size, Files: 1, Completed: true}); last != want {
		t.Errorf("last progress: got %+v, want %+v", last, want)
	}
}

// An upload cut by the network resumes from the offset the server confirmed: at most
// the chunk in flight is sent again (with tusd, which keeps what a cut PATCH brought,
// nothing).
func TestUploadCutResumesFromTheSavedOffset(t *testing.T) {
	const chunk = 256 << 10
	fixedChunks(t, chunk)
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	ctx := context.Background()
	st := newReplica(t)
	e := engine.New(st, login(t, proxy.URL), engine.Options{Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	data := randomBytes(3<<20, 2)
	ref := st.attach(t, ncEvidence, "EV-test-1", "Photos de la formation.zip", data)

	before := srv.Received.Load()
	proxy.AddToxic("cut", "limit_data", "upstream", `"bytes": `+strconv.Itoa(len(data)/2))
	if err := e.Sync(ctx); client.Code(err) != api.CodeUnreachable {
		t.Fatalf("sync through the cut: got %v, want unreachable", err)
	}
	proxy.RemoveToxic("cut")
	url, offset, err := st.UploadState(ctx, ref.SHA256)
	if err != nil || url == "" || offset == 0 || offset >= ref.Size {
		t.Fatalf("upload state after the cut: %q at %d (%v), want an address and an offset within the file", url, offset, err)
	}
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	resent := srv.Received.Load() - before - ref.Size
	t.Logf("cut at offset %d; %d bytes sent again", offset, resent)
	if resent > chunk+16<<10 { // the push and the blob query carry a few hundred bytes
		t.Errorf("sent %d bytes again after a cut: more than one chunk (%d)", resent, chunk)
	}
	// A PATCH of the cut connection may reach the server late and interrupt the
	// resumed upload (tusd answers upload_interrupted): the file is not refused for it.
	if code := st.refusal(ref.SHA256); code != "" {
		t.Errorf("the file was refused: %q", code)
	}
	var ev api.Evidence
	if err := st.get(api.EntityEvidence, "EV-test-1", &ev); err != nil || ev.File.SHA256 != ref.SHA256 {
		t.Errorf("EV-test-1 after the resumed upload: %+v %v", ev, err)
	}
}
