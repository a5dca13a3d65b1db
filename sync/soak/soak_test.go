package soak_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// The binaries the processes run: the headless ecert-desktop of the process clients,
// and ecert-server for the part where the server is killed.
var binDesktop, binServer string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ecert-soak")
	if err != nil {
		panic(err)
	}
	binDesktop = filepath.Join(dir, "ecert-desktop")
	binServer = filepath.Join(dir, "ecert-server")
	for bin, pkg := range map[string]string{binDesktop: "../..", binServer: "../cmd/ecert-server"} {
		if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
			os.RemoveAll(dir)
			panic("build " + pkg + ": " + err.Error() + "\n" + string(out))
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// settings size a run. `make test` runs the defaults (a short, fixed seed); `make soak`
// sets them through the environment.
type settings struct {
	seed    uint64
	faults  int    // stop the workload after this many injected faults
	inproc  int    // clients of the first organisation in this process
	procs   int    // clients of the first organisation as ecert-desktop processes
	report  string // where to write the summary (markdown); "" for none
	openNCs int    // NCs kept open per organisation (the auditor enters more)
	trace   bool   // log every step (ECERT_SOAK_TRACE=1)
	// serverKills is how many times the second part kills the ecert-server process.
	serverKills int
}

func settingsFromEnv(t *testing.T) settings {
	s := settings{seed: 1, faults: 150, inproc: 2, procs: 1, openNCs: 10, serverKills: 4}
	num := func(name string, into *int) {
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("%s=%q: %v", name, v, err)
			}
			*into = n
		}
	}
	num("ECERT_SOAK_FAULTS", &s.faults)
	num("ECERT_SOAK_INPROC", &s.inproc)
	num("ECERT_SOAK_PROCS", &s.procs)
	num("ECERT_SOAK_SERVER_KILLS", &s.serverKills)
	if v := os.Getenv("ECERT_SOAK_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("ECERT_SOAK_SEED=%q: %v", v, err)
		}
		s.seed = n
	}
	s.report = os.Getenv("ECERT_SOAK_REPORT")
	s.trace = os.Getenv("ECERT_SOAK_TRACE") != ""
	return s
}

// harness holds a run: the server, the workers, the ledger and the counts.
type harness struct {
	t       *testing.T
	set     settings
	srv     *servertest.Server
	dataDir string
	orgs    []string
	users   map[string][]string  // client users by organisation
	workers map[string][]*worker // by organisation
	ledger  *ledger

	mu       sync.Mutex
	injected map[string]int
	hit      map[string]int
	total    int
	analyst  map[string]int // decisions and messages, by kind
	entered  int            // NCs entered by the auditor
	baseEv   map[string]int // evidence submissions per NC before the run
}

func (h *harness) count(kind string, hit bool) {
	if kind == faultNone {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.injected[kind]++
	h.total++
	if hit {
		h.hit[kind]++
	}
}

func (h *harness) faults() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.total
}

// TestSoak runs the random workload through the faults, then lets every client sync
// without faults and checks: each item saved exists on the server exactly once, every
// replica equals the server's state of its organisation (canonical digest), no outbox
// entry is stuck, and no partial upload survives its expiry.
func TestSoak(t *testing.T) {
	set := settingsFromEnv(t)
	t.Logf("seed %d — replay with ECERT_SOAK_SEED=%d ECERT_SOAK_FAULTS=%d ECERT_SOAK_INPROC=%d ECERT_SOAK_PROCS=%d ECERT_SOAK_SERVER_KILLS=%d",
		set.seed, set.seed, set.faults, set.inproc, set.procs, set.serverKills)
	ctx := context.Background()
	started := time.Now()
	h := newHarness(t, set)

	// The workload, in rounds: every client acts at once, each through its own faults,
	// while the analyst decides and the server may restart.
	r := rand.New(rand.NewPCG(set.seed, 0))
	rounds := 0
	for h.faults() < set.faults {
		rounds++
		var wg sync.WaitGroup
		for _, w := range h.all() {
			wg.Go(func() { h.step(ctx, w) })
		}
		if err := h.analystRound(ctx, r); err != nil {
			t.Fatalf("round %d: analyst: %v", rounds, err)
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		if rounds%100 == 0 {
			t.Logf("round %d: %d faults injected", rounds, h.faults())
		}
	}
	workload := time.Since(started)

	// Quiet: no faults, no analyst. Every client syncs until all agree.
	convergeStart := time.Now()
	syncRounds, views := h.converge(ctx)
	converge := time.Since(convergeStart)

	res := h.check(ctx, h.srv, views)
	res.report(t)
	res.rounds, res.syncRounds, res.workload, res.converge = rounds, syncRounds, workload, converge
	res.expired, res.leftovers = h.expireUploads(ctx)
	if len(res.leftovers) > 0 {
		t.Errorf("partial uploads survive their expiry: %v", res.leftovers)
	}
	t.Logf("%d faults in %d rounds (%s); converged in %s (%d sync rounds); %d messages, %d CAs, %d files checked; %d duplicates, %d lost",
		h.total, rounds, workload.Round(time.Second), converge.Round(time.Millisecond), syncRounds,
		res.messages, res.cas, res.files, len(res.duplicates), len(res.lost))
	var kills *killPhase
	if set.serverKills > 0 && !t.Failed() {
		k := runServerKills(t, set)
		k.res.report(t)
		kills = &k
	}
	if set.report != "" {
		if err := os.WriteFile(set.report, []byte(h.summary(res, kills)), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("summary written to %s", set.report)
	}
}

// The checks have teeth: a message saved but not on the server, one there twice, and
// a replica that differs from the server are each reported.
func TestChecksFindLossDuplicateAndDivergence(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, settings{seed: 7, inproc: 1, openNCs: 3})
	w := h.workers[demo.OrgCoop][0]
	a, err := w.next(ctx)
	for err == nil && a.kind != opMessage {
		a, err = w.next(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	o := w.c.do(ctx, a, 0, false)
	if !o.done || o.syncErr != nil {
		t.Fatalf("message without faults: %+v", o)
	}
	h.ledger.record(w, a, o)
	// Planted: the same body once more on the server; a message the ledger says was
	// saved that never was.
	if _, err := h.srv.AnalystMessage(ctx, "analyst", demo.OrgCoop, a.nc, a.text); err != nil {
		t.Fatal(err)
	}
	h.ledger.messages["never sent"] = &entry{nc: a.nc, kind: opMessage, text: "never sent", sure: true, client: w.c.name()}
	_, views := h.converge(ctx)
	res := h.check(ctx, h.srv, views)
	if len(res.duplicates) != 1 || !strings.Contains(res.duplicates[0], a.text) {
		t.Errorf("duplicates found: %v", res.duplicates)
	}
	if len(res.lost) != 1 || !strings.Contains(res.lost[0], "never sent") {
		t.Errorf("losses found: %v", res.lost)
	}
	// Planted: a replica missing an entity the server has.
	v := views[w.c.name()]
	for k := range v.state {
		if strings.HasPrefix(k, api.EntityMessage+"/") {
			delete(v.state, k)
			break
		}
	}
	if res := h.check(ctx, h.srv, views); len(res.diverged) != 1 {
		t.Errorf("divergence found: %v", res.diverged)
	}
}

// newHarness starts the server and the clients, and syncs each once.
func newHarness(t *testing.T, set settings) *harness {
	h := emptyHarness(t, set)
	h.srv = servertest.Start(t)
	h.dataDir = h.srv.DataDir
	ctx := context.Background()
	h.prepare(ctx, h.srv)
	h.addClients(ctx, h.srv.URL)
	return h
}

func emptyHarness(t *testing.T, set settings) *harness {
	return &harness{t: t, set: set, ledger: newLedger(), workers: map[string][]*worker{},
		injected: map[string]int{}, hit: map[string]int{}, analyst: map[string]int{}, baseEv: map[string]int{},
		orgs: []string{demo.OrgCoop, demo.OrgEstate}}
}

// admin is what the harness does directly on FLOCERT's side.
type admin interface {
	serverSide
	CreateUser(ctx context.Context, u auth.NewUser) error
	NCs(ctx context.Context, orgID string) ([]api.NC, error)
	EnterNC(ctx context.Context, auditor, orgID string, nc api.NC) error
	ConfirmNC(ctx context.Context, analyst, orgID, ncID string, due api.Date) error
}

// prepare creates the users of the clients and the NCs they work on. The first
// organisation has several clients (in this process and as separate processes), each
// its own user; the second one.
func (h *harness) prepare(ctx context.Context, srv admin) {
	h.users = map[string][]string{demo.OrgCoop: {"coop"}, demo.OrgEstate: {"estate"}}
	for i := 1; i < h.set.inproc+h.set.procs; i++ {
		u := fmt.Sprintf("coop%d", i)
		if err := srv.CreateUser(ctx, auth.NewUser{Username: u, Password: u, Name: "Staff " + u, Role: api.RoleClient, OrgID: demo.OrgCoop}); err != nil {
			h.t.Fatal(err)
		}
		h.users[demo.OrgCoop] = append(h.users[demo.OrgCoop], u)
	}
	for _, org := range h.orgs {
		if err := h.keepOpen(ctx, srv, org); err != nil {
			h.t.Fatal(err)
		}
		ncs, err := srv.NCs(ctx, org)
		if err != nil {
			h.t.Fatal(err)
		}
		for _, nc := range ncs {
			h.baseEv[nc.ID] = len(nc.EvidenceHistory)
		}
	}
}

// addClients logs a client in for every user, each with its own replica and its own
// proxy to the server at url, and syncs it once.
func (h *harness) addClients(ctx context.Context, url string) {
	for _, org := range h.orgs {
		for i, u := range h.users[org] {
			px := servertest.NewProxy(h.t, url)
			dir := h.t.TempDir()
			var c client
			var err error
			kills := org == demo.OrgCoop && i >= h.set.inproc
			label := fmt.Sprintf("%s-app", u)
			if kills {
				label = fmt.Sprintf("%s-process", u)
				c, err = newProc(ctx, label, dir, px, u)
			} else {
				c, err = newInproc(ctx, label, dir, px, u)
			}
			if err != nil {
				h.t.Fatalf("client %s: %v", label, err)
			}
			h.t.Cleanup(c.close)
			w := &worker{c: c, r: rand.New(rand.NewPCG(h.set.seed, uint64(len(h.workers[org])+10*len(h.workers)))),
				dir: h.t.TempDir(), seed: h.set.seed, ready: map[string][]string{}, others: len(h.users[org]), index: i, kills: kills}
			h.workers[org] = append(h.workers[org], w)
		}
	}
	for _, w := range h.all() {
		if err := w.c.sync(ctx); err != nil {
			h.t.Fatalf("first sync of %s: %v", w.c.name(), err)
		}
	}
}

func (h *harness) all() []*worker {
	var out []*worker
	for _, org := range h.orgs {
		out = append(out, h.workers[org]...)
	}
	return out
}

// step is one client's action under one fault.
func (h *harness) step(ctx context.Context, w *worker) {
	a, err := w.next(ctx)
	if err != nil {
		h.t.Errorf("%s: %v", w.c.name(), err)
		return
	}
	f := netFault(w.r)
	var kill time.Duration
	inLocal := false
	if w.kills && w.r.IntN(3) == 0 {
		// A process killed at a random point: while it writes locally (it starts, opens
		// the replica and writes in a few tens of ms), or during its sync.
		inLocal = a.kind != opSync && w.r.IntN(2) == 0
		if inLocal {
			f = fault{kind: faultKillLocal}
			kill = time.Duration(5+w.r.IntN(60)) * time.Millisecond
		} else {
			f = fault{kind: faultKillSync}
			kill = time.Duration(5+w.r.IntN(250)) * time.Millisecond
		}
	}
	remove := inject(w.c.proxy(), f)
	opCtx, cancel := context.WithTimeout(ctx, 45*time.Second)
	o := w.c.do(opCtx, a, kill, inLocal)
	cancel()
	remove()
	h.ledger.record(w, a, o)
	h.count(f.kind, o.killed || o.syncErr != nil)
	if h.set.trace {
		h.t.Logf("%s %s %s %.60q | %s | done=%v unknown=%v queued=%v refused=%v sync=%v",
			time.Now().Format("15:04:05.000"), w.c.name(), a.kind, a.nc+" "+a.text, f.kind, o.done, o.unknown, o.queued, o.refused, o.syncErr)
	}
}

// analystRound is what FLOCERT's side does during a round: decisions on submitted CAs
// and evidence, messages, new NCs, and now and then a server restart or outage.
func (h *harness) analystRound(ctx context.Context, r *rand.Rand) error {
	time.Sleep(time.Duration(r.IntN(30)) * time.Millisecond)
	switch r.IntN(25) {
	case 0:
		if err := h.srv.Restart(); err != nil {
			return err
		}
		h.count(faultServerRestart, true)
	case 1:
		h.srv.SetDown(true)
		time.Sleep(time.Duration(20+r.IntN(80)) * time.Millisecond)
		h.srv.SetDown(false)
		h.count(faultServerDown, true)
	}
	for _, org := range h.orgs {
		ncs, err := h.srv.NCs(ctx, org)
		if err != nil {
			return err
		}
		r.Shuffle(len(ncs), func(i, j int) { ncs[i], ncs[j] = ncs[j], ncs[i] })
		for _, nc := range ncs {
			if r.IntN(3) != 0 {
				continue
			}
			var kind string
			switch nc.Stage {
			case api.StageCASubmitted:
				switch k := r.IntN(10); {
				case k < 4:
					kind, err = "return a CA", h.srv.ReturnCA(ctx, "analyst", org, nc.ID, "Précisez les responsables et les délais.", "")
				case k < 9:
					kind, err = "accept a CA, request evidence", h.srv.AcceptCA(ctx, "analyst", org, nc.ID, true, "", "")
				default:
					kind, err = "accept a CA and close", h.srv.AcceptCA(ctx, "analyst", org, nc.ID, false, "", "")
				}
			case api.StageEvidenceSubmitted:
				if r.IntN(2) == 0 {
					kind, err = "return evidence", h.srv.ReturnEvidence(ctx, "analyst", org, nc.ID, "Les preuves sont illisibles.", "")
				} else {
					kind, err = "accept evidence and close", h.srv.AcceptEvidence(ctx, "analyst", org, nc.ID, "")
				}
			case api.StageClosed, workflow.StageEntered:
				continue
			default:
				if r.IntN(4) != 0 {
					continue
				}
				kind = "message"
				_, err = h.srv.AnalystMessage(ctx, "analyst", org, nc.ID, fmt.Sprintf("Question de l'analyste sur %s (%d)", nc.ID, r.Uint32()))
			}
			if err != nil {
				return fmt.Errorf("%s on %s: %w", kind, nc.ID, err)
			}
			h.mu.Lock()
			h.analyst[kind]++
			h.mu.Unlock()
			break // one decision per organisation and round
		}
		if err := h.keepOpen(ctx, h.srv, org); err != nil {
			return err
		}
	}
	return nil
}

// keepOpen has the auditor enter, and the analyst confirm, NCs until the organisation
// has set.openNCs that are not closed.
func (h *harness) keepOpen(ctx context.Context, srv admin, org string) error {
	ncs, err := srv.NCs(ctx, org)
	if err != nil {
		return err
	}
	open := 0
	for _, nc := range ncs {
		if nc.Stage != api.StageClosed {
			open++
		}
	}
	st, err := srv.State(ctx, org)
	if err != nil {
		return err
	}
	var audit string
	for k := range st {
		if id, ok := strings.CutPrefix(k, api.EntityAudit+"/"); ok && (audit == "" || id < audit) {
			audit = id
		}
	}
	for ; open < h.set.openNCs; open++ {
		h.entered++
		id := fmt.Sprintf("NC-%06d-2026", 900000+len(h.orgs)*h.entered+slices.Index(h.orgs, org))
		nc := api.NC{ID: id, AuditID: audit, CriterionNumber: "4.1.0.07", CriterionType: "major",
			CriterionText: "Les registres de formation sont tenus à jour.", Finding: "Registres incomplets (" + id + ")."}
		if err := srv.EnterNC(ctx, "auditor", org, nc); err != nil {
			return fmt.Errorf("enter %s: %w", id, err)
		}
		if err := srv.ConfirmNC(ctx, "analyst", org, id, "2027-03-31"); err != nil {
			return fmt.Errorf("confirm %s: %w", id, err)
		}
	}
	return nil
}

// converge syncs every client, without faults, until each has nothing left to send
// and holds exactly the server's state. It returns the rounds it took and the views.
func (h *harness) converge(ctx context.Context) (int, map[string]replicaView) {
	deadline := time.Now().Add(3 * time.Minute)
	for round := 1; ; round++ {
		for _, w := range h.all() {
			if err := w.c.sync(ctx); err != nil {
				h.t.Logf("converge round %d: %s: %v", round, w.c.name(), err)
			}
		}
		views := map[string]replicaView{}
		var waiting []string
		for _, org := range h.orgs {
			want, err := h.srv.State(ctx, org)
			if err != nil {
				h.t.Fatal(err)
			}
			for _, w := range h.workers[org] {
				v, err := w.c.replica(ctx)
				if err != nil {
					h.t.Fatalf("%s: %v", w.c.name(), err)
				}
				views[w.c.name()] = v
				if d := v.state.Diff(want); v.pending > 0 || len(v.unsent) > 0 || len(d) > 0 {
					waiting = append(waiting, fmt.Sprintf("%s: %d pending, unsent %v, %d differ %v", w.c.name(), v.pending, v.unsent, len(d), first(d, 5)))
				}
			}
		}
		if len(waiting) == 0 {
			return round, views
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("no convergence after %d sync rounds:\n%s", round, strings.Join(waiting, "\n"))
		}
	}
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

// result is what the checks found.
type result struct {
	messages, cas, files int // items of the ledger checked
	duplicates, lost     []string
	stuck                []string
	diverged             []string          // replicas not equal to the server
	digests              map[string]string // organisation → digest (every replica equal)
	rounds, syncRounds   int
	workload, converge   time.Duration
	expired              int
	leftovers            []string
}

// check compares the ledger with the server and the replicas with each other.
func (h *harness) check(ctx context.Context, srv serverSide, views map[string]replicaView) result {
	res := result{digests: map[string]string{}}
	l := h.ledger
	for _, org := range h.orgs {
		want, err := srv.State(ctx, org)
		if err != nil {
			h.t.Fatal(err)
		}
		res.digests[org] = want.Digest()
		for _, w := range h.workers[org] {
			v := views[w.c.name()]
			if got := v.state.Digest(); got != res.digests[org] {
				res.diverged = append(res.diverged, fmt.Sprintf("%s: replica digest %s, server %s; differ: %v",
					w.c.name(), got, res.digests[org], first(v.state.Diff(want), 5)))
			}
			for _, rej := range v.rejected {
				res.stuck = append(res.stuck, w.c.name()+": "+rej)
			}
		}
		bodies, casSent, files := map[string]int{}, map[string]int{}, map[string]int{}
		stages := map[string]string{}
		drafts := map[string]string{}
		for k, data := range want {
			entity, _, _ := strings.Cut(k, "/")
			switch entity {
			case api.EntityMessage:
				var m api.Message
				json.Unmarshal([]byte(data), &m)
				bodies[m.Body]++
			case api.EntityNC:
				var nc api.NC
				json.Unmarshal([]byte(data), &nc)
				stages[nc.ID] = nc.Stage
				for _, v := range nc.CAHistory {
					casSent[v.Text]++
				}
				if n := len(nc.EvidenceHistory) - h.baseEv[nc.ID]; n > l.evidenceSends[nc.ID] {
					res.duplicates = append(res.duplicates, fmt.Sprintf("%s: %d evidence submissions for %d sends", nc.ID, n, l.evidenceSends[nc.ID]))
				}
			case api.EntityEvidence:
				var e api.Evidence
				json.Unmarshal([]byte(data), &e)
				files[e.NCID+" "+e.File.SHA256]++
			case api.EntityCADraft:
				var d api.CADraft
				json.Unmarshal([]byte(data), &d)
				drafts[d.NCID] = d.Text
			}
		}
		expect := func(what string, e *entry, n int) {
			switch {
			case n > 1:
				res.duplicates = append(res.duplicates, fmt.Sprintf("%s %q on %s: %d times", what, e.text, e.nc, n))
			case n == 0 && e.sure:
				res.lost = append(res.lost, fmt.Sprintf("%s %q on %s by %s", what, e.text, e.nc, e.client))
				explain(ctx, h.t, srv, org, e.nc)
			}
		}
		mine := func(e *entry) bool {
			return slices.ContainsFunc(h.workers[org], func(w *worker) bool { return w.c.name() == e.client })
		}
		for body, e := range l.messages {
			if mine(e) {
				res.messages++
				expect("message", e, bodies[body])
			}
		}
		for _, e := range l.sent {
			if !mine(e) {
				continue
			}
			res.cas++
			n := 0
			for _, text := range e.texts {
				if casSent[text] > 1 {
					n = casSent[text] // the same text twice is a duplicate
					break
				}
				n += casSent[text]
			}
			expect("CA sent", e, n)
		}
		for sha, e := range l.files {
			if mine(e) {
				res.files++
				e.text = sha[:12]
				expect("evidence file", e, files[e.nc+" "+sha])
			}
		}
		// The last text written on an NC still awaiting its CA is kept where it was
		// written, and a draft saved is the organisation's shared draft.
		for nc, e := range l.last {
			if !mine(e) || !e.sure || (stages[nc] != api.StageCARequested && stages[nc] != api.StageCAReturned) {
				continue
			}
			if got := views[e.client].local[nc]; got != e.text {
				res.lost = append(res.lost, fmt.Sprintf("%s on %s by %s: local text is %q, want %q", e.kind, nc, e.client, got, e.text))
			}
			if e.kind == opDraft && drafts[nc] != e.text {
				res.lost = append(res.lost, fmt.Sprintf("draft on %s by %s: the server's draft is %q, want %q", nc, e.client, drafts[nc], e.text))
			}
		}
	}
	// Nothing of one organisation reaches another's replica.
	for _, w := range h.workers[demo.OrgEstate] {
		for k := range views[w.c.name()].state {
			for body, e := range l.messages {
				if e.client != w.c.name() && strings.Contains(views[w.c.name()].state[k], body) {
					res.diverged = append(res.diverged, fmt.Sprintf("%s holds another organisation's message %q", w.c.name(), body))
				}
			}
		}
	}
	return res
}

// report fails the test for every problem the checks found.
func (res result) report(t *testing.T) {
	for _, d := range res.duplicates {
		t.Errorf("duplicate: %s", d)
	}
	for _, d := range res.lost {
		t.Errorf("lost: %s", d)
	}
	for _, d := range res.stuck {
		t.Errorf("stuck in an outbox: %s", d)
	}
	for _, d := range res.diverged {
		t.Errorf("replica differs: %s", d)
	}
}

// expireUploads moves the server's clock past the upload expiry and runs the janitor:
// every unfinished upload (one whose creation answer a fault lost, say) must be gone,
// bytes included.
func (h *harness) expireUploads(ctx context.Context) (int, []string) {
	h.srv.Clock.Advance(server.DefaultUploadExpiry + time.Hour)
	n, err := h.srv.ExpireUploads(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	var left []string
	filepath.WalkDir(filepath.Join(h.dataDir, "uploads"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, filepath.Base(path))
		}
		return nil
	})
	return n, left
}

// serverSide is what the checks read of the server: the running test server, or the
// data of a server process opened after it stopped.
type serverSide interface {
	State(ctx context.Context, orgID string) (api.State, error)
	Events(ctx context.Context, orgID, ncID string) ([]store.Event, error)
}

// explain logs what the server did to an NC, for a failed check.
func explain(ctx context.Context, t *testing.T, srv serverSide, org, ncID string) {
	events, _ := srv.Events(ctx, org, ncID)
	for _, ev := range events {
		t.Logf("  %s %s %s: %s — %.80q", ncID, ev.At.Format("15:04:05.000"), ev.Username, ev.Action, ev.Detail)
	}
}
