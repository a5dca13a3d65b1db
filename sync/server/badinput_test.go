package server_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/datadir"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql's "pgx", for openDatabase
)

// The bad-input matrix: for every route of the API (server.Routes, the table the
// security suite and the OpenAPI check use) the bad requests its input allows are
// derived — malformed and oversized JSON, wrong types and bad values for each field of
// the request type, bad numbers in queries, path traversal in path parameters, lying or
// refused tus uploads (badinput_cases_test.go). Each must be refused with a 4xx and the
// API's error body, and leave the database (the SQLite file, or PostgreSQL's with
// servertest.EnvStore) and the data folder as they were.

// badCase is one bad request and the answer it must get.
type badCase struct {
	name string
	// prepare does the case's setup (an upload to lie about, a token to spend) and
	// returns the bad request; the state is compared from after it.
	prepare func(m *matrix) *http.Request
	want    want
	// discards: the request ends the upload it names (a hash mismatch, a body longer
	// than declared): that upload's record and bytes must be gone, nothing else changed.
	discards bool
}

// want is how a bad request must be refused: an HTTP status and api.Error code, or,
// for an entry of POST /push, the code of the entry's rejection (the protocol answers
// a bad entry with a rejected result, so that it never blocks the outbox behind it).
type want struct {
	status int
	code   string
	entry  string
	// why, set alone, says why a kind of bad value is not refused by this field (the
	// server repairs it by design); no case is generated for it.
	why string
}

func refused(status int, code string) want { return want{status: status, code: code} }
func badRequest() want                     { return refused(http.StatusBadRequest, api.CodeBadRequest) }
func rejectedEntry(code string) want       { return want{status: http.StatusOK, entry: code} }

// matrix runs the cases against one server with the demo data.
type matrix struct {
	*env
	coop   string       // an access token of a client of the coop
	client *http.Client // does not follow redirects: a redirect is an answer to check
	db     *database    // the server's own database, read
	blob   api.FileRef  // a file the coop uploaded, for evidence entries
	// lastUpload is the id of the upload partialUpload created last.
	lastUpload string
}

func newMatrix(t *testing.T) *matrix {
	e := newEnv(t)
	db := openDatabase(t, e)
	m := &matrix{env: e, coop: e.token("coop"), db: db, client: &http.Client{
		Transport:     e.http.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	data := payload(3000)
	m.blob = api.FileRef{SHA256: e.upload(m.coop, data, "registre.pdf"), Name: "registre.pdf", Size: int64(len(data)), MediaType: "application/pdf"}
	return m
}

// database is the server's database, opened beside it, with the queries that list its
// tables and read a table's rows in a stable order.
type database struct {
	*sql.DB
	tables string
	rows   string // a table's rows; %s is the table's name
}

// openDatabase opens the database e's server keeps its data in: the data folder's SQLite
// file (read-only) or its PostgreSQL database (servertest.EnvStore).
func openDatabase(t *testing.T, e *env) *database {
	t.Helper()
	d := &database{
		tables: `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
		rows:   `SELECT * FROM "%s" ORDER BY rowid`,
	}
	var err error
	if url := e.srv.Database(); url != "" {
		d.tables = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`
		// No rowid: the rows as text, sorted, are as stable a digest.
		d.rows = `SELECT t::text FROM "%s" t ORDER BY 1`
		d.DB, err = sql.Open("pgx", url)
	} else {
		d.DB, err = sql.Open("sqlite3", "file:"+filepath.Join(e.dir, datadir.DatabaseFile)+"?mode=ro")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// request builds a request to path (below api.Version, sent as written: dots and
// escapes stay). A nil body sends none; chunked hides the body's length.
func (m *matrix) request(method, path, token string, body []byte, chunked bool, headers ...string) *http.Request {
	m.t.Helper()
	req, err := http.NewRequest(method, m.http.URL+api.Version+path, bytes.NewReader(body))
	if err != nil {
		m.t.Fatalf("%s %s: %v", method, path, err)
	}
	switch {
	case body == nil:
		req.Body, req.ContentLength = nil, 0
	case chunked:
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(body)), -1
		req.GetBody = nil
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept-Encoding", "identity")
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	return req
}

func TestEveryRouteRefusesBadInput(t *testing.T) {
	m := newMatrix(t)
	tried, refusedOK, entries := map[string]int{}, map[string]int{}, map[string]int{}
	described := map[string]bool{}
	for _, r := range server.Routes() {
		if r.Console { // console pages: TestEveryConsolePageRefusesBadInput
			continue
		}
		key := r.Method + " " + r.Path
		described[key] = true
		cases, controls, err := m.casesFor(r)
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		for _, c := range cases {
			tried[key]++
			if c.want.entry != "" {
				entries[key]++
			}
			if m.run(t, key, c) {
				refusedOK[key]++
			}
		}
		// The valid request the cases were derived from is accepted: each refusal is
		// the bad part's doing, not a request that could never pass.
		for _, control := range controls {
			res := m.send(control(m))
			if res.status < 200 || res.status > 299 {
				t.Errorf("%s: the valid request the cases start from got %d %s", key, res.status, res.body)
			}
		}
	}
	for key := range routeInputs {
		if !described[key] {
			t.Errorf("routeInputs describes %s, which is not a route", key)
		}
	}
	reportBadInput(t, tried, refusedOK, entries)
}

// run sends one case and checks its answer and that nothing was stored. It reports
// whether the case was refused as it must be.
func (m *matrix) run(t *testing.T, key string, c badCase) bool {
	t.Helper()
	m.lastUpload = ""
	req := c.prepare(m)
	discards := ""
	if c.discards {
		discards = m.lastUpload
	}
	before := m.snapshot(t)
	res := m.send(req)
	after := m.snapshot(t)
	ok := true
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s, %s: "+format, append([]any{key, c.name}, args...)...)
		ok = false
	}
	body := res.body
	if len(body) > 300 {
		body = append(body[:300:300], "…"...)
	}
	switch w := c.want; {
	case w.entry != "":
		var pr api.PushResponse
		if res.status != w.status || json.Unmarshal(res.body, &pr) != nil || len(pr.Results) == 0 {
			fail("got %d %s, want %d with rejected entries", res.status, body, w.status)
			break
		}
		for _, r := range pr.Results {
			if r.Status != api.PushRejected || r.Code != w.entry {
				fail("entry %d: got %s %s (%s), want rejected %s", r.Seq, r.Status, r.Code, r.Message, w.entry)
			}
		}
	case res.status != w.status:
		fail("got %d %s, want %d %s", res.status, body, w.status, w.code)
	case req.Method == http.MethodHead:
		// No body to check.
	default:
		var e api.Error
		if !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") || json.Unmarshal(res.body, &e) != nil {
			fail("%d without the API's error body: %s %s", res.status, res.header.Get("Content-Type"), body)
		} else if e.Code != w.code || e.Message == "" {
			fail("got code %q (%q), want %q", e.Code, e.Message, w.code)
		}
	}
	for _, d := range before.diff(after, c.want.entry != "", discards) {
		fail("stored something: %s", d)
	}
	return ok
}

func (m *matrix) send(req *http.Request) resp {
	m.t.Helper()
	res, err := m.client.Do(req)
	if err != nil {
		m.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		m.t.Fatalf("%s %s: read answer: %v", req.Method, req.URL, err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// snapshot is the server's state: each table of its database (row count and a hash of
// the rows) and each file of its data folder but the SQLite file's (size).
type snapshot struct {
	tables map[string]string
	files  map[string]int64
}

func (m *matrix) snapshot(t *testing.T) snapshot {
	t.Helper()
	s := snapshot{tables: map[string]string{}, files: map[string]int64{}}
	rows, err := m.db.Query(m.db.tables)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	for _, name := range tables {
		s.tables[name] = m.tableDigest(t, name)
	}
	err = filepath.WalkDir(m.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), datadir.DatabaseFile) {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(m.dir, p)
		s.files[filepath.ToSlash(rel)] = info.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (m *matrix) tableDigest(t *testing.T, table string) string {
	rows, err := m.db.Query(fmt.Sprintf(m.db.rows, table))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	h := sha256.New()
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%q\n", vals)
		n++
	}
	return fmt.Sprintf("%d rows %x", n, h.Sum(nil)[:8])
}

// diff lists what changed from s to after, but what the case may change: an entry's
// rejection is recorded (push_clients, push_results, events) so that a replay gets it
// back, and a discarded upload goes. A refused login or password check counts as a
// failure for the login limits, which keep it in the database (login_failures, and a
// locked user's slot): the refusal's own effect, always allowed.
func (s snapshot) diff(after snapshot, entry bool, discards string) []string {
	var out []string
	may := map[string]bool{"login_failures": true, "login_slots": true}
	if entry {
		may["push_clients"], may["push_results"], may["events"] = true, true, true
		// The request's trail records that the user made the change, whatever the
		// server answered to the entry: it is kept as the events are.
		may["trail_entries"], may["trail_heads"] = true, true
	}
	if discards != "" {
		may["uploads"] = true
	}
	for name, d := range after.tables {
		if s.tables[name] != d && !may[name] {
			out = append(out, fmt.Sprintf("table %s: %s → %s", name, s.tables[name], d))
		}
	}
	for name, size := range after.files {
		if old, ok := s.files[name]; !ok || old != size {
			out = append(out, fmt.Sprintf("file %s: %d bytes (was %d)", name, size, old))
		}
	}
	for name := range s.files {
		if _, ok := after.files[name]; !ok && (discards == "" || !strings.Contains(name, discards)) {
			out = append(out, "file "+name+" deleted")
		}
	}
	if discards != "" {
		for name := range after.files {
			if strings.Contains(name, discards) {
				out = append(out, "file "+name+" of the discarded upload is left")
			}
		}
		if n := rowsOf(s.tables["uploads"]) - rowsOf(after.tables["uploads"]); n != 1 {
			out = append(out, fmt.Sprintf("uploads: %d rows went, want the discarded one", n))
		}
	}
	sort.Strings(out)
	return out
}

func rowsOf(digest string) int {
	var n int
	fmt.Sscanf(digest, "%d rows", &n)
	return n
}

// reportBadInput logs the cases per route, in the form of the security suite's report.
func reportBadInput(t *testing.T, tried, ok, entries map[string]int) {
	keys := make([]string, 0, len(routeInputs))
	for k := range routeInputs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	total, totalOK := 0, 0
	for _, k := range keys {
		if why := routeInputs[k].none; why != "" {
			fmt.Fprintf(&b, "  %-38s no input to refuse: %s\n", k, why)
			continue
		}
		fmt.Fprintf(&b, "  %-38s %3d tried, %3d refused as they should be", k, tried[k], ok[k])
		if entries[k] > 0 {
			fmt.Fprintf(&b, " (%d of them bad entries, rejected one by one in a 200)", entries[k])
		}
		b.WriteString("\n")
		total += tried[k]
		totalOK += ok[k]
	}
	t.Logf("bad-input cases per route (%d tried, %d refused as they should be):\n%s", total, totalOK, b.String())
}

// randomID is a fresh client id or evidence id.
func randomID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}
