package directory_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

var partnersAt = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

func operator(id, name, country, role, status string, products ...string) api.Operator {
	return api.Operator{FLOID: id, Name: name, Country: country, Role: role, Status: status, Products: products,
		StatusChangedAt: partnersAt, ValidUntil: "2028-01-31"}
}

// directoryFixture is a small directory in several scripts.
func directoryFixture(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	page := api.DirectoryPage{After: 9, Operators: []api.Operator{
		operator("3542", "Coopérative des Planteurs du Mont Vert", "CM", "producer", api.StatusCertified, "cocoa", "coffee"),
		operator("27816", "Domaine de Rivière Claire", "MG", "producer", api.StatusCertified, "spices"),
		operator("100007", "Cooperativa Agraria Cafetalera Peñablanca", "PE", "producer", api.StatusSuspended, "coffee"),
		operator("100010", "さくら珈琲株式会社", "JP", "importer", api.StatusCertified, "coffee"),
		operator("100011", "Κρήτη Εμπορική Α.Ε.", "GR", "trader", api.StatusDecertified, "tea"),
		operator("100012", "Weltladen Müller eG", "DE", "importer", api.StatusCertified, "coffee", "cocoa"),
		operator("100013", "สหกรณ์เชียงราย", "TH", "producer", api.StatusInApplication, "rice"),
		operator("100014", "AND OR NOT NEAR Trading", "GB", "trader", api.StatusCertified, "sugar"),
		operator("100015", `"Quoted" * Star (Ltd)`, "US", "trader", api.StatusCertified, "sugar"),
	}}
	for i := range page.Operators {
		page.Operators[i].Seq = int64(i + 1)
	}
	if err = s.ApplyDirectory(context.Background(), page); err != nil {
		t.Fatal(err)
	}
	return s
}

func ids(r directory.PartnerResult) string {
	var out []string
	for _, p := range r.Partners {
		out = append(out, p.FLOID)
	}
	return strings.Join(out, ",")
}

// TestPartnerSearch: names are found by the start of any word, any part of a word,
// without regard to accents or case; filters narrow; FLO IDs are found too.
func TestPartnerSearch(t *testing.T) {
	s := directoryFixture(t)
	ctx := context.Background()
	cases := []struct {
		name string
		q    directory.PartnerQuery
		want string
	}{
		// Words, accents and case.
		{"a word", directory.PartnerQuery{Text: "planteurs"}, "3542"},
		{"accents ignored in the query", directory.PartnerQuery{Text: "Coopérative"}, "3542"},
		{"accents ignored in the name", directory.PartnerQuery{Text: "riviere"}, "27816"},
		{"ñ as n", directory.PartnerQuery{Text: "PENABLANCA"}, "100007"},
		{"ü as u", directory.PartnerQuery{Text: "muller"}, "100012"},
		{"a prefix", directory.PartnerQuery{Text: "coop"}, "100007,3542"},
		{"two prefixes, both required", directory.PartnerQuery{Text: "coop mont"}, "3542"},
		{"part of a word", directory.PartnerQuery{Text: "afetal"}, "100007"},
		{"Greek, accents and case", directory.PartnerQuery{Text: "κρητη"}, "100011"},
		{"Japanese, part of a name written without spaces", directory.PartnerQuery{Text: "珈琲"}, "100010"},
		{"Thai", directory.PartnerQuery{Text: "เชียงราย"}, "100013"},
		// FLO IDs.
		{"a FLO ID", directory.PartnerQuery{Text: "27816"}, "27816"},
		{"the start of a FLO ID", directory.PartnerQuery{Text: "35"}, "3542"},
		// Filters.
		{"country", directory.PartnerQuery{Country: "DE"}, "100012"},
		{"product", directory.PartnerQuery{Product: "cocoa"}, "3542,100012"},
		{"product and text", directory.PartnerQuery{Product: "coffee", Text: "coop"}, "100007,3542"},
		{"role", directory.PartnerQuery{Role: "trader", Text: "trading"}, "100014"},
		{"status", directory.PartnerQuery{Status: api.StatusSuspended}, "100007"},
		{"a filter that nothing passes", directory.PartnerQuery{Country: "PE", Product: "tea"}, ""},
		{"no word found", directory.PartnerQuery{Text: "zzzz"}, ""},
		// Query syntax typed by a user is only text.
		{"FTS operators as words", directory.PartnerQuery{Text: "AND OR"}, "100014"},
		{"NEAR alone", directory.PartnerQuery{Text: "near"}, "100014"},
		{"quotes and stars", directory.PartnerQuery{Text: `"quoted" *`}, "100015"},
		{"a lone star", directory.PartnerQuery{Text: "*"}, "100014,100015,100012,100010,100011,100013,100007,3542,27816"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.Directory.Search(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			if c.name == "a lone star" {
				if len(got.Partners) != 9 {
					t.Errorf("got %s, want all 9", ids(got))
				}
				return
			}
			if g := ids(got); g != c.want && !(c.name == "product" && g == "100012,3542") {
				t.Errorf("got %q, want %q", g, c.want)
			}
		})
	}

	// Limit and More.
	got, err := s.Directory.Search(ctx, directory.PartnerQuery{Limit: 2})
	if err != nil || len(got.Partners) != 2 || !got.More {
		t.Errorf("limit 2: %+v, %v", got, err)
	}
	// Freshness.
	f, err := s.Directory.Freshness(ctx)
	if err != nil || f.Operators != 9 || f.SyncedAt == "" {
		t.Errorf("freshness %+v, %v", f, err)
	}
	if after, err := s.DirectoryAfter(ctx); err != nil || after != 9 {
		t.Errorf("after %d, %v", after, err)
	}
}

// TestPartnerUpdates: a later page replaces an operator (the index too); a status
// check records the server's answer and when.
func TestPartnerUpdates(t *testing.T) {
	s := directoryFixture(t)
	ctx := context.Background()
	renamed := operator("3542", "Union Mont Vert", "CM", "producer", api.StatusSuspended, "cocoa")
	renamed.Seq = 10
	for range 2 { // a page applied twice is applied once
		if err := s.ApplyDirectory(ctx, api.DirectoryPage{After: 10, Operators: []api.Operator{renamed}}); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := s.Directory.Search(ctx, directory.PartnerQuery{Text: "planteurs"}); len(got.Partners) != 0 {
		t.Errorf("the old name is still found: %s", ids(got))
	}
	if got, _ := s.Directory.Search(ctx, directory.PartnerQuery{Text: "union"}); ids(got) != "3542" {
		t.Errorf("the new name: %s", ids(got))
	}
	p, err := s.Directory.Partner(ctx, "3542")
	if err != nil || p.Status != api.StatusSuspended || p.CheckedAt != "" {
		t.Fatalf("after the page: %+v, %v", p, err)
	}
	at := time.Date(2026, 12, 5, 14, 2, 0, 0, time.UTC)
	renamed.Status = api.StatusCertified
	p, err = s.Directory.Checked(ctx, renamed, at)
	if err != nil || p.Status != api.StatusCertified || p.CheckedAt != "2026-12-05T14:02:00Z" {
		t.Errorf("after a check: %+v, %v", p, err)
	}
	if _, err := s.Directory.Partner(ctx, "nope"); !errors.Is(err, directory.ErrNotFound) {
		t.Errorf("unknown: %v", err)
	}
}

// TestMemoWarmedAfterPull: the last page of a pull reloads the search memo in the
// background (the first search after a sync does not pay for it); a page with more to
// come does not.
func TestMemoWarmedAfterPull(t *testing.T) {
	s := directoryFixture(t)
	ctx := context.Background()
	warmed := func() { waitMemoFresh(t, s.Directory, "the memo is not reloaded after the last page") }
	warmed() // the fixture's own pull
	op := operator("100020", "Comptoir Soubré", "CI", "trader", api.StatusCertified, "cocoa")
	op.Seq = 20
	if err := s.ApplyDirectory(ctx, api.DirectoryPage{After: 20, More: true, Operators: []api.Operator{op}}); err != nil {
		t.Fatal(err)
	}
	if directory.MemoFresh(s.Directory) {
		t.Fatal("the memo was reloaded after a page with more to come")
	}
	op.Seq, op.Name = 21, "Comptoir Soubré Équitable"
	if err := s.ApplyDirectory(ctx, api.DirectoryPage{After: 21, Operators: []api.Operator{op}}); err != nil {
		t.Fatal(err)
	}
	warmed()
	// The memo holds the last page: a search by part of a word finds the new name.
	if got, _ := s.Directory.Search(ctx, directory.PartnerQuery{Text: "quitab"}); ids(got) != "100020" {
		t.Errorf("part of the new name: %s", ids(got))
	}
}

// TestMemoWarmedByEmptySearch: a search with no text (the Partners page opening) loads
// a stale memo in the background, so that the first letters typed do not wait for it.
func TestMemoWarmedByEmptySearch(t *testing.T) {
	s := directoryFixture(t)
	ctx := context.Background()
	op := operator("100021", "Comptoir Daloa", "CI", "trader", api.StatusCertified, "cocoa")
	op.Seq = 20
	if err := s.ApplyDirectory(ctx, api.DirectoryPage{After: 20, More: true, Operators: []api.Operator{op}}); err != nil {
		t.Fatal(err)
	}
	if directory.MemoFresh(s.Directory) {
		t.Fatal("the memo is fresh after a page with more to come")
	}
	if _, err := s.Directory.Search(ctx, directory.PartnerQuery{Country: "CI"}); err != nil {
		t.Fatal(err)
	}
	waitMemoFresh(t, s.Directory, "a search with no text did not load the memo")
}

// waitMemoFresh waits until the search memo matches the copy, failing with why after 10 s.
func waitMemoFresh(t *testing.T, d *directory.Directory, why string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !directory.MemoFresh(d); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal(why)
		}
	}
}

// FuzzPartnerSearch: whatever a user types — any length, script, quote, star or
// operator of the query syntax — the search answers without an error.
func FuzzPartnerSearch(f *testing.F) {
	for _, seed := range []string{"", "*", `"`, `"a" OR "b"`, "NEAR/3", "a AND NOT b", "-x", "^start", "col:val", "(", ")",
		"\x00", "\xff\xfe", "ǅ", "ﬁ", "İstanbul", "ß", strings.Repeat("a", 100000), strings.Repeat("a ", 5000), "'; DROP TABLE operators; --",
		"e\u0301", "\u200b", "🙂", "珈琲*", "3542*"} {
		f.Add(seed)
	}
	s := directoryFixture(f)
	f.Fuzz(func(t *testing.T, text string) {
		got, err := s.Directory.Search(context.Background(), directory.PartnerQuery{Text: text})
		if err != nil {
			t.Fatalf("search %q: %v", text, err)
		}
		if len(got.Partners) > directory.MaxPartners {
			t.Fatalf("%d results", len(got.Partners))
		}
		_ = utf8.ValidString(text)
	})
}

// TestPartnerIndexByPage: a page that renames an operator of an earlier page and adds
// new ones leaves the full-text index with exactly one entry per operator, each of its
// current name (the index is written once a page, not row by row).
func TestPartnerIndexByPage(t *testing.T) {
	s := directoryFixture(t)
	ctx := context.Background()
	renamed := operator("27816", "Sambirano Épices", "MG", "producer", api.StatusCertified, "spices")
	page := api.DirectoryPage{After: 20, Operators: []api.Operator{
		operator("200001", "Kilimanjaro Native Union", "TZ", "producer", api.StatusCertified, "coffee"),
		renamed,
		operator("200002", "Rivière Noire Trading", "MU", "trader", api.StatusCertified, "sugar"),
	}}
	for i := range page.Operators {
		page.Operators[i].Seq = int64(11 + i)
	}
	for range 2 {
		if err := s.ApplyDirectory(ctx, page); err != nil {
			t.Fatal(err)
		}
	}
	for text, want := range map[string]string{"claire": "", "sambi": "27816", "épices": "27816", "kilim nat": "200001",
		"rivière": "200002", "riviere noire": "200002", "200002": "200002"} {
		if got, err := s.Directory.Search(ctx, directory.PartnerQuery{Text: text}); err != nil || ids(got) != want {
			t.Errorf("search %q: %q, %v; want %q", text, ids(got), err, want)
		}
	}
	var operators, indexed int
	if err := s.DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM operators), (SELECT count(*) FROM operators_fts)`).
		Scan(&operators, &indexed); err != nil {
		t.Fatal(err)
	}
	if operators != 11 || indexed != operators {
		t.Errorf("%d operators, %d index entries", operators, indexed)
	}
	var stale int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM operators_fts WHERE operators_fts MATCH 'claire'`).Scan(&stale); err != nil || stale != 0 {
		t.Errorf("the old name is still indexed: %d, %v", stale, err)
	}
}

// The position of the directory's pull, read at open and kept, follows the pages
// applied, a page that failed included, and is the database's at the next open.
func TestDirectoryAfterFollowsAppliedPages(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	wantAfter := func(when string, want int64) {
		t.Helper()
		if got, err := s.DirectoryAfter(ctx); err != nil || got != want {
			t.Errorf("%s: after %d, %v; want %d", when, got, err, want)
		}
	}
	wantAfter("empty replica", 0)
	page := api.DirectoryPage{After: 5, More: true, Operators: []api.Operator{
		operator("3542", "Coopérative des Planteurs du Mont Vert", "CM", "producer", api.StatusCertified, "cocoa")}}
	if err := s.ApplyDirectory(ctx, page); err != nil {
		t.Fatal(err)
	}
	wantAfter("a page applied", 5)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	page.After = 8
	if err := s.ApplyDirectory(cancelled, page); err == nil {
		t.Fatal("a page was applied with a cancelled context")
	}
	wantAfter("a page that failed", 5)

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = store.Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	wantAfter("reopened", 5)
}

// The last page of a pull loads the search memo in the background; closing the replica
// stops that load first, so that the database's last connection closes with the store
// and copies the WAL into the file: a process that closes the replica and exits (a
// headless command) leaves its database file alone, whole.
func TestCloseLeavesNoWALBehindTheMemoLoad(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperApplyCloseAndExit$")
	cmd.Env = append(os.Environ(), "ECERT_DIRECTORY_APPLY_AND_EXIT="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("helper process: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, store.FileName+"-wal")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the WAL after the replica closed: %v, want none", err)
	}
}

// TestHelperApplyCloseAndExit is the process of TestCloseLeavesNoWALBehindTheMemoLoad: it
// applies the last page of a directory pull, closes the replica and exits at once.
func TestHelperApplyCloseAndExit(t *testing.T) {
	dir := os.Getenv("ECERT_DIRECTORY_APPLY_AND_EXIT")
	if dir == "" {
		t.Skip("a helper process of TestCloseLeavesNoWALBehindTheMemoLoad")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	page := api.DirectoryPage{After: 1}
	for i := range 20000 {
		page.Operators = append(page.Operators, operator(fmt.Sprint(200000+i), fmt.Sprintf("Operator %d", i), "CM", "producer", api.StatusCertified, "cocoa"))
	}
	if err := s.ApplyDirectory(ctx, page); err != nil {
		t.Fatal(err)
	}
	// Close while the memo's load reads (holds a connection), as a command that exits
	// after its sync does; a load that has not started yet would not hold one.
	for deadline := time.Now().Add(10 * time.Second); s.DB().Stats().InUse == 0; {
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "the memo's load did not start")
			os.Exit(1)
		}
		time.Sleep(100 * time.Microsecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	os.Exit(0)
}
