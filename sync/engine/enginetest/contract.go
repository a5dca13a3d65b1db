package enginetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
)

// Replica makes what the suite needs: open returns a new, empty replica; message
// writes a message to the analyst about ncID in its outbox, as the user would.
type Replica struct {
	Open    func(t *testing.T) engine.Replica
	Message func(t *testing.T, r engine.Replica, ncID, text string)
}

// Run checks the parts of the contract written on engine.Replica that its methods
// show: the cursor and pages (atomic, idempotent, unknown entities skipped), missing
// files and resumable downloads, the client id, and the outbox.
func Run(t *testing.T, impl Replica) {
	t.Run("Pages", func(t *testing.T) { pages(t, impl.Open(t)) })
	t.Run("Downloads", func(t *testing.T) { downloads(t, impl.Open(t)) })
	t.Run("ClientID", func(t *testing.T) { clientID(t, impl.Open(t)) })
	t.Run("Outbox", func(t *testing.T) {
		r := impl.Open(t)
		outbox(t, r, func(text string) { impl.Message(t, r, "NC-1", text) })
	})
}

// file is content the pages below reference.
var file = []byte("%PDF-1.4 certificate\n")

func fileRef() api.FileRef {
	sum := sha256.Sum256(file)
	return api.FileRef{SHA256: hex.EncodeToString(sum[:]), Name: "certificat.pdf", Size: int64(len(file)), MediaType: "application/pdf"}
}

func upsert(t *testing.T, entity, id string, v any) api.Change {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return api.Change{Entity: entity, ID: id, Op: api.OpUpsert, Data: data}
}

func missing(t *testing.T, r engine.Replica) []api.FileRef {
	t.Helper()
	refs, err := r.MissingFiles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return refs
}

func cursor(t *testing.T, r engine.Replica) string {
	t.Helper()
	c, err := r.Cursor(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pages(t *testing.T, r engine.Replica) {
	ctx := context.Background()
	ref := fileRef()
	if got := cursor(t, r); got != "" {
		t.Fatalf("cursor of a new replica: got %q, want \"\"", got)
	}
	first := api.ChangesPage{Cursor: "c1", More: true, Changes: []api.Change{
		upsert(t, api.EntityCertificate, "CERT-1", api.Certificate{ID: "CERT-1", Number: "FLO-1", File: &ref}),
		upsert(t, api.EntityDocument, "DOC-1", api.Document{ID: "DOC-1", Type: "other", File: ref}),
		{Entity: "entity_of_a_newer_server", ID: "X", Op: api.OpUpsert, Data: json.RawMessage(`{}`)},
		{Entity: api.EntityMessage, ID: "M-absent", Op: api.OpDelete},
	}}
	for i := range 2 { // a page applied twice leaves the replica as once
		if err := r.ApplyPage(ctx, first, time.Now().UTC().Format(time.RFC3339)); err != nil {
			t.Fatalf("apply page (time %d): %v", i+1, err)
		}
		if got := cursor(t, r); got != "c1" {
			t.Errorf("cursor after the page (time %d): got %q, want c1", i+1, got)
		}
		if got := missing(t, r); len(got) != 1 || got[0] != ref {
			t.Errorf("missing files (time %d): got %+v, want the one file referenced twice", i+1, got)
		}
	}

	// A page that cannot be written whole is not written at all.
	for name, bad := range map[string]api.Change{
		"invalid JSON":      {Entity: api.EntityNC, ID: "NC-1", Op: api.OpUpsert, Data: json.RawMessage(`{"id":`)},
		"unknown operation": {Entity: api.EntityNC, ID: "NC-1", Op: "merge", Data: json.RawMessage(`{}`)},
	} {
		page := api.ChangesPage{Cursor: "c2", Changes: []api.Change{
			{Entity: api.EntityCertificate, ID: "CERT-1", Op: api.OpDelete},
			{Entity: api.EntityDocument, ID: "DOC-1", Op: api.OpDelete},
			bad,
		}}
		if err := r.ApplyPage(ctx, page, ""); err == nil {
			t.Errorf("%s: the page was applied", name)
		}
		if got := cursor(t, r); got != "c1" {
			t.Errorf("%s: cursor after the refused page: got %q, want c1", name, got)
		}
		if got := missing(t, r); len(got) != 1 {
			t.Errorf("%s: the deletes of the refused page took effect: missing %+v", name, got)
		}
	}

	gone := api.ChangesPage{Cursor: "c3", Changes: []api.Change{
		{Entity: api.EntityCertificate, ID: "CERT-1", Op: api.OpDelete},
		{Entity: api.EntityDocument, ID: "DOC-1", Op: api.OpDelete},
	}}
	if err := r.ApplyPage(ctx, gone, ""); err != nil {
		t.Fatal(err)
	}
	if got := missing(t, r); len(got) != 0 {
		t.Errorf("missing files after their references were deleted: %+v", got)
	}
}

func downloads(t *testing.T, r engine.Replica) {
	ctx := context.Background()
	ref := fileRef()
	page := api.ChangesPage{Cursor: "c1", Changes: []api.Change{
		upsert(t, api.EntityCertificate, "CERT-1", api.Certificate{ID: "CERT-1", File: &ref}),
	}}
	if err := r.ApplyPage(ctx, page, ""); err != nil {
		t.Fatal(err)
	}
	// Half now, the rest after reopening: the partial download keeps what it got.
	for _, from := range []int{0, 5} {
		f, have, err := r.PartialDownload(ref.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		if have != int64(from) {
			f.Close()
			t.Fatalf("partial download holds %d bytes, want %d", have, from)
		}
		part := file[from:]
		if from == 0 {
			part = file[:5]
		}
		if _, err := f.Write(part); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.FinishDownload(ctx, ref); err != nil {
		t.Fatalf("finish a good download: %v", err)
	}
	if got := missing(t, r); len(got) != 0 {
		t.Errorf("missing after the download: %+v", got)
	}

	// Content that does not match its hash is thrown away.
	other := api.FileRef{SHA256: hex.EncodeToString(make([]byte, 32)), Size: 3}
	f, _, err := r.PartialDownload(other.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("bad"))
	f.Close()
	if err := r.FinishDownload(ctx, other); err == nil {
		t.Error("content that does not match its hash was kept")
	}
	f, have, err := r.PartialDownload(other.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if have != 0 {
		t.Errorf("after a mismatch the partial download holds %d bytes, want 0", have)
	}
}

var clientIDForm = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

func clientID(t *testing.T, r engine.Replica) {
	ctx := context.Background()
	id, err := r.ClientID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !clientIDForm.MatchString(id) {
		t.Errorf("client id %q: want 16 to 64 of [A-Za-z0-9_-]", id)
	}
	if again, err := r.ClientID(ctx); err != nil || again != id {
		t.Errorf("client id asked again: got %q %v, want %q", again, err, id)
	}
}

func outbox(t *testing.T, r engine.Replica, message func(text string)) {
	ctx := context.Background()
	count := func() int {
		t.Helper()
		n, err := r.PendingCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	pending := func(max int) []api.PushEntry {
		t.Helper()
		entries, err := r.PendingPush(ctx, max)
		if err != nil {
			t.Fatal(err)
		}
		return entries
	}
	if n, e := count(), pending(10); n != 0 || len(e) != 0 {
		t.Fatalf("a new replica's outbox: %d pending, entries %+v", n, e)
	}
	for _, text := range []string{"un", "deux", "trois"} {
		message(text)
	}
	first := pending(2)
	if count() != 3 || len(first) != 2 || first[0].Text != "un" || first[1].Text != "deux" || first[0].Seq >= first[1].Seq {
		t.Fatalf("pending: %d; the first two: %+v", count(), first)
	}
	id, _ := r.ClientID(ctx)
	results := []api.PushResult{
		{Seq: first[0].Seq, Status: api.PushApplied, MessageID: api.MessageID(id, first[0].Seq)},
		{Seq: first[1].Seq, Status: api.PushRejected, Code: api.CodeNotFound, Message: "no such NC"},
	}
	for i := range 2 { // the answer to a retried request changes nothing
		if err := r.ApplyPushResults(ctx, results, "Coopérative", time.Now()); err != nil {
			t.Fatalf("apply push results (time %d): %v", i+1, err)
		}
		rest := pending(10)
		if got := count(); got != 1 || len(rest) != 1 || rest[0].Text != "trois" || rest[0].Seq <= first[1].Seq {
			t.Errorf("after the results (time %d): %d pending, entries %+v, want only \"trois\" after them", i+1, got, rest)
		}
	}
}
