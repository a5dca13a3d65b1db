package directory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Meta keys of the directory's copy.
const (
	MetaDirectoryAfter  = "directory_after"  // the seq the next directory pull starts after
	MetaDirectorySynced = "directory_synced" // when a pull last reached the end (RFC 3339)
)

// After returns the seq of the last directory page applied, 0 before the first. It is
// read once, then kept (only Apply writes it, and one process has the replica): the
// engine asks while a change page is being applied, and a read of the database then
// would open a second connection, which parses the whole schema again.
func (d *Directory) After(ctx context.Context) (int64, error) {
	d.afterMu.Lock()
	defer d.afterMu.Unlock()
	if d.afterKnown {
		return d.after, nil
	}
	v, err := d.meta(ctx, MetaDirectoryAfter)
	if err != nil {
		return 0, err
	}
	var after int64
	if v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil {
			return 0, err
		}
	}
	d.after, d.afterKnown = after, true
	return after, nil
}

// setAfter keeps what a committed page wrote; after a failed one, the next After reads
// the database again.
func (d *Directory) setAfter(after int64, committed bool) {
	d.afterMu.Lock()
	defer d.afterMu.Unlock()
	d.after, d.afterKnown = after, committed
}

// Apply writes a page of operators and its After in one transaction; the last
// page of a pull (More false) also records when the copy was complete and reloads
// the search memo in the background, so that the first search after a sync does not
// pay for it. Operators replace those of the same FLO ID, so a page applied twice
// leaves the copy as once.
func (d *Directory) Apply(ctx context.Context, page api.DirectoryPage) error {
	err := d.apply(ctx, page)
	d.setAfter(page.After, err == nil)
	d.gen.Add(1) // after the commit (or not): the next search reloads
	if err == nil && !page.More {
		d.warm(ctx)
	}
	return err
}

// warm loads the search memo in the background unless it is loading already. A
// failure here is a search's to report: that search loads the memo again. Close
// stops it.
func (d *Directory) warm(ctx context.Context) {
	if !d.warming.CompareAndSwap(false, true) {
		return
	}
	d.warmed.Add(1)
	go func() {
		defer d.warmed.Done()
		defer d.warming.Store(false)
		_, _ = d.partMemo(d.stopping)
	}()
}

// Close stops a background load of the search memo and waits for it. The store closes
// its database after: were the load still reading, the database's last connection
// would close only after it, too late for the process that exits — and that last
// close is what copies the WAL into the database file (a first sync's 15 MB were left
// for the next command to copy).
func (d *Directory) Close() {
	d.stop()
	d.warmed.Wait()
}

func (d *Directory) apply(ctx context.Context, page api.DirectoryPage) error {
	return d.tx(ctx, func(tx *sql.Tx) error {
		if err := upsertOperators(ctx, tx, page.Operators); err != nil {
			return err
		}
		if err := indexOperators(ctx, tx, page.Operators); err != nil {
			return err
		}
		if err := setMeta(ctx, tx, MetaDirectoryAfter, strconv.FormatInt(page.After, 10)); err != nil {
			return err
		}
		if !page.More {
			return setMeta(ctx, tx, MetaDirectorySynced, time.Now().UTC().Format(time.RFC3339))
		}
		return nil
	})
}

// upsertBatch is how many operators one statement writes: a page is a few statements,
// not a statement (and a cgo call, and a goroutine of database/sql) per operator.
const upsertBatch = 100

// upsertOperators writes ops, replacing the operators of the same FLO ID, upsertBatch
// at a time.
func upsertOperators(ctx context.Context, tx *sql.Tx, ops []api.Operator) error {
	var full *sql.Stmt // the statement of a whole batch, prepared once a page
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, 10*upsertBatch)
	for len(ops) > 0 {
		batch := ops[:min(upsertBatch, len(ops))]
		ops = ops[len(batch):]
		args = args[:0]
		for _, op := range batch {
			args = append(args, op.FLOID, op.Name, op.Country, op.Role, " "+strings.Join(op.Products, " ")+" ",
				op.Status, string(op.ValidUntil), op.StatusChangedAt.UTC().Format(time.RFC3339), op.Seq,
				Fold(op.FLOID+" "+op.Name))
		}
		var err error
		if len(batch) == upsertBatch {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, upsertSQL(upsertBatch)); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, upsertSQL(len(batch)), args...)
		}
		if err != nil {
			return fmt.Errorf("apply operators %s…: %w", batch[0].FLOID, err)
		}
	}
	return nil
}

// upsertSQL is the statement that writes n operators.
func upsertSQL(n int) string {
	return `INSERT INTO operators(flo_id, name, country, role, products, status, valid_until, status_changed_at, seq, folded)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)` + strings.Repeat(`, (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, n-1) + `
		ON CONFLICT(flo_id) DO UPDATE SET name = excluded.name, country = excluded.country, role = excluded.role,
		products = excluded.products, status = excluded.status, valid_until = excluded.valid_until,
		status_changed_at = excluded.status_changed_at, seq = excluded.seq, folded = excluded.folded`
}

// indexOperators brings the full-text index up to date with the operators ops, in two
// statements for the whole page. Row by row it cost ten times as much: every write
// statement in the transaction made FTS4 flush the terms pending in memory into a new
// segment of a few rows, and merge those segments.
func indexOperators(ctx context.Context, tx *sql.Tx, ops []api.Operator) error {
	if len(ops) == 0 {
		return nil
	}
	ids := make([]string, len(ops))
	for i, op := range ops {
		ids[i] = op.FLOID
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	const page = `SELECT rowid FROM operators WHERE flo_id IN (SELECT value FROM json_each(?))`
	if _, err := tx.ExecContext(ctx, `DELETE FROM operators_fts WHERE docid IN (`+page+`)`, string(list)); err != nil {
		return fmt.Errorf("unindex operators: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO operators_fts(docid, name, flo_id)
		SELECT rowid, name, flo_id FROM operators WHERE rowid IN (`+page+`) ORDER BY rowid`, string(list)); err != nil {
		return fmt.Errorf("index operators: %w", err)
	}
	return nil
}

// Fold returns s as the directory compares names: lower case, without accents, in
// Unicode's composed form. The query and the names fold alike.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return norm.NFC.String(b.String())
}

// Directory is the copy of the operator directory in the replica: it applies pulled
// pages and answers searches. Safe for concurrent use.
type Directory struct {
	db    *sql.DB
	noted func(error) error // the replica's: marks it damaged when err says so
	gen   atomic.Uint64     // bumped by every write of operators: the memo is stale

	mu      sync.Mutex
	memo    *partMemo   // what a search by parts of words scans, valid while its gen is gen
	warming atomic.Bool // a background load of the memo is running
	warmed  sync.WaitGroup
	// stopping is the background load's context, cancelled by Close.
	stopping context.Context
	stop     context.CancelFunc

	afterMu    sync.Mutex
	after      int64 // the seq of the last page applied, once afterKnown (see After)
	afterKnown bool
}

// ErrNotFound is returned by Partner when the copy holds no such operator.
var ErrNotFound = errors.New("not found")

// New returns the directory of the replica db, whose tables its migrations made. noted
// sees every database error before it is returned (nil: errors pass as they are).
func New(db *sql.DB, noted func(error) error) *Directory {
	if noted == nil {
		noted = func(err error) error { return err }
	}
	stopping, stop := context.WithCancel(context.Background())
	return &Directory{db: db, noted: noted, stopping: stopping, stop: stop}
}

// partMemo holds, per operator, what a search by parts of words reads: scanning 30,000
// short strings in memory takes a millisecond, SQLite's scan of the table twenty.
type partMemo struct {
	gen  uint64
	rows []memoRow
}

type memoRow struct {
	rowid                           int64
	folded, country, role, products string
	status                          string
}

func (d *Directory) partMemo(ctx context.Context) (*partMemo, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	gen := d.gen.Load()
	if d.memo != nil && d.memo.gen == gen {
		return d.memo, nil
	}
	rows, err := d.db.QueryContext(ctx, `SELECT rowid, folded, country, role, products, status FROM operators`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := &partMemo{gen: gen}
	for rows.Next() {
		var r memoRow
		if err := rows.Scan(&r.rowid, &r.folded, &r.country, &r.role, &r.products, &r.status); err != nil {
			return nil, err
		}
		m.rows = append(m.rows, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	d.memo = m
	return m, nil
}

// PartnerQuery is a partner search: words of a name or a FLO ID, and filters. Empty
// fields do not filter.
type PartnerQuery struct {
	Text    string
	Country string
	Product string
	Role    string
	Status  string
	Limit   int // default and maximum MaxPartners
}

// MaxPartners caps the operators a search returns.
const MaxPartners = 200

// Partner is an operator of the copy, as a search or a status check returns it.
type Partner struct {
	api.Operator
	CheckedAt string `json:"checked_at,omitempty"` // when a status check last confirmed it with the server
}

// PartnerResult is a search's answer: the first operators found, and whether more
// matched.
type PartnerResult struct {
	Partners []Partner `json:"partners"`
	More     bool      `json:"more"`
}

const partnerColumns = `flo_id, name, country, role, products, status, valid_until, status_changed_at, seq, checked_at`

// Search finds operators. Each word of q.Text must match the start of a word of the
// name or FLO ID (full-text index, accents and case ignored) — or, failing enough such
// matches, any part of them (names in scripts written without spaces). The user's text
// never reaches the full-text query syntax: it is cut into words of letters and digits,
// each quoted.
func (d *Directory) Search(ctx context.Context, q PartnerQuery) (PartnerResult, error) {
	limit := q.Limit
	if limit <= 0 || limit > MaxPartners {
		limit = MaxPartners
	}
	words := searchWords(q.Text)
	var filters []string
	var args []any
	for _, f := range []struct{ col, val string }{{"country", q.Country}, {"role", q.Role}, {"status", q.Status}} {
		if f.val != "" {
			filters, args = append(filters, f.col+" = ?"), append(args, f.val)
		}
	}
	if q.Product != "" {
		filters, args = append(filters, "instr(products, ?) > 0"), append(args, " "+q.Product+" ")
	}
	where := func(extra string, extraArgs ...any) (string, []any) {
		var conds []string
		if extra != "" {
			conds = append(conds, extra) // first, as its arguments
		}
		conds = append(conds, filters...)
		if len(conds) == 0 {
			return "", args
		}
		return " WHERE " + strings.Join(conds, " AND "), append(append([]any{}, extraArgs...), args...)
	}
	if len(words) == 0 {
		// No text is the Partners page opening (or a cleared field): the user's next
		// words may need the memo, so it loads now rather than on the first letter.
		d.warm(ctx)
		w, a := where("")
		return d.query(ctx, `SELECT `+partnerColumns+` FROM operators`+w+` ORDER BY name LIMIT ?`, limit, a...)
	}
	// Words: first the index (starts of words), then parts of words, until limit. No
	// ORDER BY in SQL: it would sort every match ("c" matches most names) to keep 200;
	// the rows kept are sorted here.
	w, a := where("rowid IN (SELECT docid FROM operators_fts WHERE operators_fts MATCH ?)", matchExpr(words))
	res, err := d.query(ctx, `SELECT `+partnerColumns+` FROM operators`+w+` LIMIT ?`, limit, a...)
	if err != nil {
		return res, err
	}
	if !res.More {
		if err := d.addParts(ctx, &res, words, q, limit); err != nil {
			return res, err
		}
	}
	slices.SortStableFunc(res.Partners, func(x, y Partner) int {
		// The operator whose FLO ID was typed comes first, then by name.
		if ex, ey := x.FLOID == words[0], y.FLOID == words[0]; ex != ey {
			if ex {
				return -1
			}
			return 1
		}
		return strings.Compare(x.Name, y.Name)
	})
	return res, nil
}

// addParts adds to res, up to limit, the operators whose folded FLO ID and name hold
// every word anywhere and pass the filters.
func (d *Directory) addParts(ctx context.Context, res *PartnerResult, words []string, q PartnerQuery, limit int) error {
	m, err := d.partMemo(ctx)
	if err != nil {
		return d.noted(fmt.Errorf("search partners: %w", err))
	}
	seen := make(map[string]bool, len(res.Partners))
	for _, p := range res.Partners {
		seen[p.FLOID] = true
	}
	product := " " + q.Product + " "
	var ids []any
	for _, r := range m.rows {
		if (q.Country != "" && r.country != q.Country) || (q.Role != "" && r.role != q.Role) ||
			(q.Status != "" && r.status != q.Status) || (q.Product != "" && !strings.Contains(r.products, product)) {
			continue
		}
		all := true
		for _, w := range words {
			if !strings.Contains(r.folded, w) {
				all = false
				break
			}
		}
		if all {
			ids = append(ids, r.rowid)
			if len(ids) > limit+len(res.Partners) {
				break
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	more, err := d.query(ctx, `SELECT `+partnerColumns+` FROM operators WHERE rowid IN (?`+strings.Repeat(", ?", len(ids)-1)+`) LIMIT ?`, len(ids), ids...)
	if err != nil {
		return err
	}
	for _, p := range more.Partners {
		if seen[p.FLOID] {
			continue
		}
		if len(res.Partners) == limit {
			res.More = true
			break
		}
		res.Partners = append(res.Partners, p)
	}
	return nil
}

// searchWords cuts text into folded words of letters, digits and marks; everything
// else (spaces, quotes, stars, operators of query syntax) separates words. At most 16
// words of at most 64 runes each are kept: more only narrows a search nobody types.
func searchWords(text string) []string {
	fields := strings.FieldsFunc(Fold(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
	if len(fields) > 16 {
		fields = fields[:16]
	}
	for i, f := range fields {
		if r := []rune(f); len(r) > 64 {
			fields[i] = string(r[:64])
		}
	}
	return fields
}

// matchExpr makes an FTS4 query of words: each a quoted prefix phrase, all required.
// Words hold only letters, digits and marks, so no quote can end a phrase early.
func matchExpr(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = `"` + w + `*"`
	}
	return strings.Join(parts, " ")
}

// query runs a partner select whose last argument is the limit; it asks one more row
// to tell whether more matched.
func (d *Directory) query(ctx context.Context, query string, limit int, args ...any) (PartnerResult, error) {
	rows, err := d.db.QueryContext(ctx, query, append(args, limit+1)...)
	if err != nil {
		return PartnerResult{}, d.noted(fmt.Errorf("search partners: %w", err))
	}
	defer rows.Close()
	res := PartnerResult{Partners: []Partner{}}
	for rows.Next() {
		p, err := scanPartner(rows)
		if err != nil {
			return res, d.noted(err)
		}
		if len(res.Partners) == limit {
			res.More = true
			break
		}
		res.Partners = append(res.Partners, p)
	}
	return res, d.noted(rows.Err())
}

type scanner interface{ Scan(dest ...any) error }

func scanPartner(row scanner) (Partner, error) {
	var p Partner
	var products, validUntil, changed string
	if err := row.Scan(&p.FLOID, &p.Name, &p.Country, &p.Role, &products, &p.Status, &validUntil, &changed, &p.Seq, &p.CheckedAt); err != nil {
		return p, err
	}
	p.Products = strings.Fields(products)
	p.ValidUntil = api.Date(validUntil)
	p.StatusChangedAt, _ = time.Parse(time.RFC3339, changed)
	return p, nil
}

// Partner returns one operator of the copy by FLO ID, or ErrNotFound.
func (d *Directory) Partner(ctx context.Context, floID string) (Partner, error) {
	p, err := scanPartner(d.db.QueryRowContext(ctx, `SELECT `+partnerColumns+` FROM operators WHERE flo_id = ?`, floID))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, d.noted(err)
}

// Checked records an operator's facts as the server just gave them (a status check
// online) and when: the copy is as fresh as the answer. An operator the copy did not
// hold yet is added.
func (d *Directory) Checked(ctx context.Context, op api.Operator, at time.Time) (Partner, error) {
	// The answer's seq is not the pull's: a later pull brings the same change again,
	// which rewrites the same facts.
	defer d.gen.Add(1)
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var rowid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO operators(flo_id, name, country, role, products, status,
			valid_until, status_changed_at, seq, folded, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(flo_id) DO UPDATE SET name = excluded.name, country = excluded.country, role = excluded.role,
			products = excluded.products, status = excluded.status, valid_until = excluded.valid_until,
			status_changed_at = excluded.status_changed_at, folded = excluded.folded, checked_at = excluded.checked_at
			RETURNING rowid`, op.FLOID, op.Name, op.Country, op.Role, " "+strings.Join(op.Products, " ")+" ",
			op.Status, string(op.ValidUntil), op.StatusChangedAt.UTC().Format(time.RFC3339), op.Seq,
			Fold(op.FLOID+" "+op.Name), at.UTC().Format(time.RFC3339)).Scan(&rowid); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM operators_fts WHERE docid = ?`, rowid); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO operators_fts(docid, name, flo_id) VALUES (?, ?, ?)`, rowid, op.Name, op.FLOID)
		return err
	})
	if err != nil {
		return Partner{}, fmt.Errorf("record status check: %w", err)
	}
	return d.Partner(ctx, op.FLOID)
}

// Freshness says how fresh the copy is: how many operators it holds and when a pull
// last brought it up to date with the server ("" before the first).
type Freshness struct {
	Operators int    `json:"operators"`
	SyncedAt  string `json:"synced_at"`
}

// Freshness reads how fresh the copy is.
func (d *Directory) Freshness(ctx context.Context) (Freshness, error) {
	var f Freshness
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM operators`).Scan(&f.Operators); err != nil {
		return f, d.noted(err)
	}
	var err error
	f.SyncedAt, err = d.meta(ctx, MetaDirectorySynced)
	return f, err
}

// tx runs fn in a transaction, committed when fn returns nil; its error goes through noted.
func (d *Directory) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return d.noted(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return d.noted(err)
	}
	return d.noted(tx.Commit())
}

// meta reads a key of the replica's meta table, "" when unset.
func (d *Directory) meta(ctx context.Context, key string) (string, error) {
	var v string
	err := d.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, d.noted(err)
}

func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("set %s: %w", key, err)
	}
	return nil
}
