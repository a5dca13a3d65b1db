package engine_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
)

// memReplica is the engine's Replica and Uploader for its tests: the entities, the
// outbox and the upload state (replica_upload_test.go) in memory, file content in a
// folder. It keeps the contract written on engine.Replica and engine.Uploader, as
// app/store does on SQLite (enginetest checks both); of the outbox kinds it knows
// messages and evidence files, which is what the tests push. Every method holds the lock for its whole work and checks everything before it
// changes anything, so it changes all or nothing; durability across a crash is the one
// part of the contract it cannot keep, and no test here crashes it.
type memReplica struct {
	dir string // files/<sha>: cached content; partial/<sha>: downloads under way

	mu          sync.Mutex
	clientID    string
	cursor      string
	lastSync    string
	entities    map[string]map[string]json.RawMessage // entity → id → data
	cached      map[string]bool                       // hashes whose content is in files/
	seq         int64                                 // the last outbox Seq given
	outbox      []outboxEntry                         // by increasing Seq
	uploads     map[string]*upload                    // by hash
	order       []string                              // hashes of uploads, oldest first
	submissions map[string]int64                      // NC id → its revision when Send was pressed
	// applyErr, when set, is called before each page is applied; an error fails the
	// page, as a full disk would.
	applyErr func() error
}

type outboxEntry struct {
	api.PushEntry
	rejected string // the server's code once it refused the entry for good
}

type upload struct {
	ref     api.FileRef
	url     string
	offset  int64
	done    bool
	refused string
	waiting []api.PushEntry // attachments queued in the outbox once the bytes are there
}

var (
	_ engine.Replica  = (*memReplica)(nil)
	_ engine.Uploader = (*memReplica)(nil)
)

func newReplica(t *testing.T) *memReplica {
	t.Helper()
	r := &memReplica{dir: t.TempDir(), entities: map[string]map[string]json.RawMessage{},
		cached: map[string]bool{}, uploads: map[string]*upload{}, submissions: map[string]int64{}}
	for _, d := range []string{"files", "partial"} {
		if err := os.Mkdir(filepath.Join(r.dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func (r *memReplica) Cursor(ctx context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cursor, ctx.Err()
}

func (r *memReplica) ApplyPage(ctx context.Context, page api.ChangesPage, lastSync string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.applyErr != nil {
		if err := r.applyErr(); err != nil {
			return err
		}
	}
	for _, c := range page.Changes {
		switch {
		case !slices.Contains(api.Entities, c.Entity):
		case c.Op == api.OpUpsert && !json.Valid(c.Data):
			return fmt.Errorf("apply %s %s: invalid data", c.Entity, c.ID)
		case c.Op != api.OpUpsert && c.Op != api.OpDelete:
			return fmt.Errorf("apply %s %s: unknown operation %q", c.Entity, c.ID, c.Op)
		}
	}
	for _, c := range page.Changes {
		if !slices.Contains(api.Entities, c.Entity) {
			continue // an entity of a newer server
		}
		if c.Op == api.OpDelete {
			delete(r.entities[c.Entity], c.ID)
			continue
		}
		r.put(c.Entity, c.ID, slices.Clone(c.Data))
	}
	r.cursor, r.lastSync = page.Cursor, lastSync
	return nil
}

func (r *memReplica) put(entity, id string, data json.RawMessage) {
	if r.entities[entity] == nil {
		r.entities[entity] = map[string]json.RawMessage{}
	}
	r.entities[entity][id] = data
}

func (r *memReplica) MissingFiles(ctx context.Context) ([]api.FileRef, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	var out []api.FileRef
	for _, entity := range []string{api.EntityCertificate, api.EntityDocument, api.EntityEvidence} {
		for _, id := range slices.Sorted(maps.Keys(r.entities[entity])) {
			var v struct{ File *api.FileRef }
			if err := json.Unmarshal(r.entities[entity][id], &v); err != nil {
				return nil, err
			}
			if v.File != nil && v.File.SHA256 != "" && !r.cached[v.File.SHA256] && !seen[v.File.SHA256] {
				seen[v.File.SHA256] = true
				out = append(out, *v.File)
			}
		}
	}
	return out, ctx.Err()
}

func (r *memReplica) partialPath(sha string) string { return filepath.Join(r.dir, "partial", sha) }
func (r *memReplica) blobPath(sha string) string    { return filepath.Join(r.dir, "files", sha) }

func (r *memReplica) PartialDownload(sha string) (*os.File, int64, error) {
	if !api.ValidSHA256(sha) {
		return nil, 0, fmt.Errorf("partial download: bad hash %q", sha)
	}
	f, err := os.OpenFile(r.partialPath(sha), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

func (r *memReplica) FinishDownload(ctx context.Context, ref api.FileRef) error {
	data, err := os.ReadFile(r.partialPath(ref.SHA256))
	if err != nil {
		return err
	}
	if got := sha256Hex(data); got != ref.SHA256 {
		os.Remove(r.partialPath(ref.SHA256))
		return fmt.Errorf("finish download %s: content has hash %s", ref.SHA256, got)
	}
	if err := os.Rename(r.partialPath(ref.SHA256), r.blobPath(ref.SHA256)); err != nil {
		return err
	}
	r.mu.Lock()
	r.cached[ref.SHA256] = true
	r.mu.Unlock()
	return nil
}

func (r *memReplica) ClientID(ctx context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.clientID == "" {
		r.clientID = "test" + rand.Text()
	}
	return r.clientID, ctx.Err()
}

func (r *memReplica) PendingPush(ctx context.Context, max int) ([]api.PushEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []api.PushEntry
	for _, e := range r.outbox {
		if e.rejected == "" && len(out) < max {
			out = append(out, e.PushEntry)
		}
	}
	return out, ctx.Err()
}

func (r *memReplica) ApplyPushResults(ctx context.Context, results []api.PushResult, author string, now time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, res := range results {
		if !slices.Contains([]string{api.PushApplied, api.PushDuplicate, api.PushConflict, api.PushRejected}, res.Status) {
			return fmt.Errorf("push result %d: unknown status %q", res.Seq, res.Status)
		}
	}
	for _, res := range results {
		i := slices.IndexFunc(r.outbox, func(e outboxEntry) bool { return e.Seq == res.Seq && e.rejected == "" })
		if i < 0 {
			continue // answered before (a retried request)
		}
		e := r.outbox[i]
		if res.Status == api.PushRejected {
			r.outbox[i].rejected = res.Code
			continue
		}
		if res.NC != nil && r.revision(api.EntityNC, res.NC.ID) <= res.NC.Revision {
			r.put(api.EntityNC, res.NC.ID, mustJSON(res.NC))
		}
		if res.Status != api.PushConflict {
			switch {
			case e.Kind == api.KindMessage && res.MessageID != "":
				if _, ok := r.entities[api.EntityMessage][res.MessageID]; !ok { // a pull may have brought it
					r.put(api.EntityMessage, res.MessageID, mustJSON(api.Message{ID: res.MessageID, NCID: e.NCID,
						Author: author, AuthorRole: api.RoleClient, Body: e.Text, SentAt: now.UTC()}))
				}
			case e.Kind == api.KindEvidenceAdd && res.Evidence != nil:
				r.put(api.EntityEvidence, res.Evidence.ID, mustJSON(res.Evidence))
			}
		}
		r.outbox = slices.Delete(r.outbox, i, i+1)
	}
	return nil
}

// revision is the revision of an entity in the replica, -1 when it has none.
func (r *memReplica) revision(entity, id string) int64 {
	data, ok := r.entities[entity][id]
	if !ok {
		return -1
	}
	var v struct{ Revision int64 }
	json.Unmarshal(data, &v)
	return v.Revision
}

func (r *memReplica) PendingCount(ctx context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.outbox {
		if e.rejected == "" {
			n++
		}
	}
	return n, ctx.Err()
}

// queue writes e in the outbox with the next Seq.
func (r *memReplica) queue(e api.PushEntry, now time.Time) {
	r.seq++
	e.Seq, e.CreatedAt = r.seq, now.UTC()
	r.outbox = append(r.outbox, outboxEntry{PushEntry: e})
}

// What the tests do as the user and look at: a small part of app/store's API.

// writeMessage writes a message to the analyst in the outbox.
func (r *memReplica) writeMessage(ncID, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queue(api.PushEntry{Kind: api.KindMessage, NCID: ncID, Text: text}, time.Now())
}

// rejected returns the codes of the entries the server refused, by Seq.
func (r *memReplica) rejected() map[int64]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[int64]string{}
	for _, e := range r.outbox {
		if e.rejected != "" {
			out[e.Seq] = e.rejected
		}
	}
	return out
}

// get decodes the entity entity/id into v; errNotFound when the replica lacks it.
func (r *memReplica) get(entity, id string, v any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	data, ok := r.entities[entity][id]
	if !ok {
		return fmt.Errorf("%s %s: %w", entity, id, errNotFound)
	}
	return json.Unmarshal(data, v)
}

var errNotFound = errors.New("not found")

// all returns the ids of every entity of one kind, sorted.
func (r *memReplica) all(entity string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(maps.Keys(r.entities[entity]))
}

// snapshot returns every entity the replica holds, by kind and id.
func (r *memReplica) snapshot() map[string]map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]map[string]string{}
	for entity, byID := range r.entities {
		out[entity] = map[string]string{}
		for id, data := range byID {
			out[entity][id] = string(data)
		}
	}
	return out
}

// cachedFile returns the cached content of sha; ok is false when it is not cached.
func (r *memReplica) cachedFile(sha string) (data []byte, ok bool) {
	r.mu.Lock()
	cached := r.cached[sha]
	r.mu.Unlock()
	if !cached {
		return nil, false
	}
	data, err := os.ReadFile(r.blobPath(sha))
	return data, err == nil
}

func sha256Hex(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func mustJSON(v any) json.RawMessage {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return data
}
