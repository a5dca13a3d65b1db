package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

func open(t *testing.T, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func change(t *testing.T, entity, id string, v any) api.Change {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return api.Change{Entity: entity, ID: id, Op: api.OpUpsert, Data: data}
}

func TestOpenCreatesAPrivateReplicaAndReopens(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := open(t, dir)
	if err := s.SetMeta(context.Background(), store.MetaLanguage, "es"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, p := range []string{dir, filepath.Join(dir, store.FileName)} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %v, want no access for group and others", p, st.Mode().Perm())
		}
	}
	// Reopening runs the migrations again: they must be a no-op and keep the data.
	s = open(t, dir)
	if got, _ := s.Meta(context.Background(), store.MetaLanguage); got != "es" {
		t.Errorf("language after reopen: got %q, want es", got)
	}
}

func TestOpenRefusesADamagedReplica(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, store.FileName), []byte(strings.Repeat("not a database ", 512)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(context.Background(), dir)
	if !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
}

func TestApplyPageWritesChangesAndCursorTogether(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	nc := api.NC{ID: "NC-167140-2019", AuditID: "AO-38369", CriterionNumber: "2.2.0.03", Stage: api.StageCARequested, DueDate: "2019-06-01"}
	good := api.ChangesPage{Cursor: "2", Changes: []api.Change{
		change(t, api.EntityAudit, "AO-38369", api.Audit{ID: "AO-38369", Date: "2018-10-15"}),
		change(t, api.EntityNC, nc.ID, nc),
	}}
	if err := s.ApplyPage(ctx, good, "2026-11-27T09:00:00Z"); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Cursor(ctx); c != "2" {
		t.Errorf("cursor: got %q, want 2", c)
	}

	// A page with one bad change is refused whole: nothing of it, not its cursor.
	bad := api.ChangesPage{Cursor: "4", Changes: []api.Change{
		change(t, api.EntityNC, "NC-2", api.NC{ID: "NC-2", Stage: api.StageClosed}),
		{Entity: api.EntityNC, ID: "NC-3", Op: api.OpUpsert, Data: json.RawMessage(`{"id":`)},
	}}
	if err := s.ApplyPage(ctx, bad, "2026-11-27T09:01:00Z"); err == nil {
		t.Fatal("a page with invalid data was applied")
	}
	if c, _ := s.Cursor(ctx); c != "2" {
		t.Errorf("cursor after a refused page: got %q, want 2", c)
	}
	if _, err := s.Portal.NC(ctx, "NC-2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("NC-2 of the refused page: got %v, want ErrNotFound", err)
	}
	if last, _ := s.Meta(ctx, store.MetaLastSync); last != "2026-11-27T09:00:00Z" {
		t.Errorf("last sync after a refused page: got %q", last)
	}

	// Updates replace, deletions remove, unknown entities are skipped.
	nc.Stage = api.StageCASubmitted
	next := api.ChangesPage{Cursor: "7", Changes: []api.Change{
		change(t, api.EntityNC, nc.ID, nc),
		{Entity: api.EntityAudit, ID: "AO-38369", Op: api.OpDelete},
		change(t, "fairmonitor_chain", "X-1", map[string]string{"id": "X-1"}),
	}}
	if err := s.ApplyPage(ctx, next, "2026-11-27T09:02:00Z"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Portal.NC(ctx, nc.ID)
	if err != nil || got.Stage != api.StageCASubmitted {
		t.Errorf("NC after update: %+v, %v", got, err)
	}
	if _, err := s.Portal.Audit(ctx, "AO-38369"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted audit: got %v, want ErrNotFound", err)
	}
}

func TestNCsFilterByStageAndSortByDueDate(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	page := api.ChangesPage{Cursor: "1", Changes: []api.Change{
		change(t, api.EntityNC, "NC-a", api.NC{ID: "NC-a", Stage: api.StageCARequested, DueDate: "2019-07-01"}),
		change(t, api.EntityNC, "NC-b", api.NC{ID: "NC-b", Stage: api.StageCARequested, DueDate: "2019-06-01"}),
		change(t, api.EntityNC, "NC-c", api.NC{ID: "NC-c", Stage: api.StageEvidenceRequested}),
		change(t, api.EntityNC, "NC-d", api.NC{ID: "NC-d", Stage: api.StageClosed}),
	}}
	if err := s.ApplyPage(ctx, page, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		stages []string
		want   string
	}{
		{[]string{api.StageCARequested}, "NC-b NC-a"},
		{[]string{api.StageEvidenceRequested, api.StageClosed}, "NC-c NC-d"},
		{nil, "NC-b NC-a NC-c NC-d"},
	}
	for _, tt := range tests {
		ncs, err := s.Portal.NCs(ctx, tt.stages...)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, nc := range ncs {
			ids = append(ids, nc.ID)
		}
		if got := strings.Join(ids, " "); got != tt.want {
			t.Errorf("NCs(%v): got %q, want %q", tt.stages, got, tt.want)
		}
	}
}

// NCIDs reads ids from the index, and must give them in the order of NCs, which sorts
// decoded NCs by their step's deadline.
func TestNCIDsInTheOrderOfNCs(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	var changes []api.Change
	stages := []string{api.StageCARequested, api.StageCAReturned, api.StageCASubmitted, api.StageEvidenceRequested,
		api.StageEvidenceReturned, api.StageEvidenceSubmitted, api.StageClosed}
	for i := range 60 {
		nc := api.NC{ID: fmt.Sprintf("NC-%02d", i), Stage: stages[i%len(stages)],
			ReceivedDate: api.Date(fmt.Sprintf("2019-01-%02d", 1+i%5))}
		if i%3 != 0 {
			nc.DueDate = api.Date(fmt.Sprintf("2019-06-%02d", 1+i%7))
		}
		if i%4 != 0 {
			nc.EvidenceDueDate = api.Date(fmt.Sprintf("2019-05-%02d", 1+i%6))
		}
		changes = append(changes, change(t, api.EntityNC, nc.ID, nc))
	}
	if err := s.ApplyPage(ctx, api.ChangesPage{Cursor: "1", Changes: changes}, ""); err != nil {
		t.Fatal(err)
	}
	for _, set := range [][]string{nil, {api.StageCARequested, api.StageCAReturned},
		{api.StageEvidenceRequested, api.StageEvidenceReturned}, {api.StageClosed, api.StageCARequested}} {
		ncs, err := s.Portal.NCs(ctx, set...)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{}
		for _, nc := range ncs {
			want = append(want, nc.ID)
		}
		got, err := s.Portal.NCIDs(ctx, set...)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("NCIDs(%v):\n got %v\nwant %v", set, got, want)
		}
	}
}

// download writes content as a download of ref would, then finishes it.
func download(s *store.Store, ref api.FileRef, content string) error {
	f, _, err := s.PartialDownload(ref.SHA256)
	if err != nil {
		return err
	}
	f.WriteString(content)
	f.Close()
	return s.FinishDownload(context.Background(), ref)
}

func TestDownloadsKeepOnlyContentThatMatchesItsHash(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	content := "%PDF-1.4 certificate"
	sum := sha256.Sum256([]byte(content))
	ref := api.FileRef{SHA256: hex.EncodeToString(sum[:]), Name: "cert.pdf", Size: int64(len(content))}
	page := api.ChangesPage{Cursor: "1", Changes: []api.Change{
		change(t, api.EntityCertificate, "CERT-1", api.Certificate{ID: "CERT-1", File: &ref}),
	}}
	if err := s.ApplyPage(ctx, page, ""); err != nil {
		t.Fatal(err)
	}
	if missing, _ := s.MissingFiles(ctx); len(missing) != 1 || missing[0].SHA256 != ref.SHA256 {
		t.Fatalf("missing files: got %+v, want the certificate", missing)
	}

	if err := download(s, ref, "something else"); !errors.Is(err, store.ErrHashMismatch) {
		t.Fatalf("wrong content: got %v, want ErrHashMismatch", err)
	}
	if _, cached, _ := s.Files.Path(ctx, ref.SHA256); cached {
		t.Fatal("wrong content was cached")
	}
	if err := download(s, ref, content); err != nil {
		t.Fatal(err)
	}
	path, cached, err := s.Files.Path(ctx, ref.SHA256)
	if err != nil || !cached {
		t.Fatalf("after PutFile: cached=%v err=%v", cached, err)
	}
	if b, _ := os.ReadFile(path); string(b) != content {
		t.Errorf("cached content: got %q", b)
	}
	if missing, _ := s.MissingFiles(ctx); len(missing) != 0 {
		t.Errorf("missing after download: %+v", missing)
	}
	if _, _, err := s.Files.Path(ctx, "../../etc/passwd"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a path instead of a hash: got %v, want ErrNotFound", err)
	}
}

func TestResetForgetsTheOrganisationButKeepsSettings(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	page := api.ChangesPage{Cursor: "3", Changes: []api.Change{
		change(t, api.EntityOrganisation, "3542", api.Organisation{ID: "3542", Name: "Coop"}),
	}}
	if err := s.ApplyPage(ctx, page, "2026-11-27T09:00:00Z"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMeta(ctx, store.MetaLanguage, "fr"); err != nil {
		t.Fatal(err)
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Portal.Organisation(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("organisation after reset: %v", err)
	}
	if c, _ := s.Cursor(ctx); c != "" {
		t.Errorf("cursor after reset: %q", c)
	}
	if l, _ := s.Meta(ctx, store.MetaLanguage); l != "fr" {
		t.Errorf("language after reset: %q", l)
	}
}

func TestOnlyOneOpenerOfADataDirectory(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(context.Background(), dir); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second open: got %v, want ErrLocked", err)
	}
	s.Close()
	again, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	again.Close()
}
