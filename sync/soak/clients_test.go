package soak_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/attach"
	"github.com/ecert-desktop/ecert-desktop/app/cli"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// A client is one desktop install: its replica, its own proxy to the server. do runs
// one user action then a sync, as the app does after every action.
type client interface {
	name() string
	proxy() *servertest.Proxy
	// ncs is what the client's replica shows.
	ncs(ctx context.Context) ([]api.NC, error)
	// do runs the action (a nil action only syncs). kill > 0 kills the process after
	// that long; inLocal says whether the kill aims at the local write or the sync.
	do(ctx context.Context, a action, kill time.Duration, inLocal bool) outcome
	sync(ctx context.Context) error
	replica(ctx context.Context) (replicaView, error)
	close()
}

// action is one thing a user does.
type action struct {
	kind string // one of the op constants
	nc   string
	text string // CA text or message body
	file string // path of the evidence file
}

// User actions, as they appear in the summary.
const (
	opSync          = "sync"
	opAutosave      = "autosave a CA (local)"
	opDraft         = "save a CA as draft"
	opReady         = "mark a CA ready"
	opSend          = "send"
	opMessage       = "write a message"
	opAttach        = "attach an evidence file"
	opEvidenceReady = "mark evidence ready"
)

// outcome is what the user saw.
type outcome struct {
	done    bool     // the action was saved locally (the app said so)
	unknown bool     // the process was killed: saved or not, the user cannot tell
	queued  []string // for send: the NCs whose CA or evidence was queued
	refused error    // the app refused the action (e.g. the NC moved on)
	syncErr error    // the sync after it failed (expected under faults)
	killed  bool
}

// replicaView is what the checks read of a replica once every client is quiet.
type replicaView struct {
	state    api.State
	pending  int
	rejected []string // outbox entries the server refused: kind, NC, code
	local    map[string]string
	unsent   []string // evidence not on the server yet: id, state
}

func readReplica(ctx context.Context, st *store.Store) (replicaView, error) {
	var v replicaView
	var err error
	if v.state, err = st.State(ctx); err != nil {
		return v, err
	}
	entries, err := st.Work.Outbox(ctx)
	if err != nil {
		return v, err
	}
	for _, e := range entries {
		if e.State == store.OutboxRejected {
			v.rejected = append(v.rejected, fmt.Sprintf("%s %s %s", e.Kind, e.NCID, e.Code))
		} else {
			v.pending++
		}
	}
	locals, err := st.Work.LocalCAs(ctx)
	if err != nil {
		return v, err
	}
	v.local = map[string]string{}
	for id, l := range locals {
		v.local[id] = l.Text
	}
	ncs, err := st.Portal.NCs(ctx)
	if err != nil {
		return v, err
	}
	for _, nc := range ncs {
		files, err := st.Evidence.Local(ctx, nc.ID)
		if err != nil {
			return v, err
		}
		for _, f := range files {
			if f.State == store.EvidenceLocal || f.State == store.EvidenceQueued || f.State == store.EvidenceRemoving {
				v.unsent = append(v.unsent, f.ID+" "+f.State)
			}
		}
	}
	return v, nil
}

// inproc is the desktop app's core in this process, as the window runs it.
type inproc struct {
	label string
	app   *app.App
	px    *servertest.Proxy
}

func newInproc(ctx context.Context, label, dir string, px *servertest.Proxy, user string) (*inproc, error) {
	a := app.New(app.Config{DataDir: dir, Manual: true, Context: ctx})
	if err := a.Start(ctx); err != nil {
		return nil, err
	}
	if _, err := a.Session.Login(px.URL, user, user); err != nil {
		a.Close()
		return nil, err
	}
	return &inproc{label: label, app: a, px: px}, nil
}

func (c *inproc) name() string                   { return c.label }
func (c *inproc) proxy() *servertest.Proxy       { return c.px }
func (c *inproc) close()                         { c.app.Close() }
func (c *inproc) sync(ctx context.Context) error { return c.app.SyncOnce(ctx, nil, nil) }

func (c *inproc) ncs(ctx context.Context) ([]api.NC, error) { return c.app.Store().Portal.NCs(ctx) }

func (c *inproc) replica(ctx context.Context) (replicaView, error) {
	return readReplica(ctx, c.app.Store())
}

func (c *inproc) do(ctx context.Context, a action, _ time.Duration, _ bool) outcome {
	var o outcome
	var err error
	switch a.kind {
	case opSync:
	case opAutosave:
		_, err = c.app.CA.Autosave(a.nc, a.text)
	case opDraft:
		_, err = c.app.CA.SaveDraft(a.nc, a.text)
	case opReady:
		_, err = c.app.CA.SetReady(a.nc, a.text, true)
	case opSend:
		var r app.SendResult
		r, err = c.app.CA.Send()
		o.queued = r.Queued
	case opMessage:
		err = c.app.Outbox.Message(a.nc, a.text)
	case opAttach:
		var res []attach.AttachResult
		res, err = c.app.Attach(ctx, a.nc, []string{a.file}, attach.SourceDialog)
		if err == nil && (len(res) != 1 || res[0].Code != "") {
			err = fmt.Errorf("attach refused: %+v", res)
		}
	case opEvidenceReady:
		err = c.app.Evidence.SetReady(a.nc, true)
	}
	if err != nil {
		o.refused = err
		return o
	}
	o.done = true
	o.syncErr = c.sync(ctx)
	return o
}

// proc is a separate ecert-desktop process per command, on its own data folder, as a
// user of the headless commands (or a scheduled job) runs it; it can be killed.
type proc struct {
	label, dir string
	px         *servertest.Proxy
}

func newProc(ctx context.Context, label, dir string, px *servertest.Proxy, user string) (*proc, error) {
	p := &proc{label: label, dir: dir, px: px}
	out, code, _ := p.run(ctx, 0, user+"\n", "login", "--server", px.URL, "--user", user)
	if code != 0 {
		return nil, fmt.Errorf("login: %s", out)
	}
	return p, nil
}

func (p *proc) name() string             { return p.label }
func (p *proc) proxy() *servertest.Proxy { return p.px }
func (p *proc) close()                   {}

// run runs one command; kill > 0 kills it (SIGKILL) after that long.
func (p *proc) run(ctx context.Context, kill time.Duration, stdin string, args ...string) (out string, code int, killed bool) {
	cmd := exec.CommandContext(ctx, binDesktop, append(args, "--data-dir", p.dir)...)
	cmd.Env = append(os.Environ(), cli.EnvNoKeyring+"=1")
	cmd.Stdin = strings.NewReader(stdin)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		return err.Error(), -1, false
	}
	if kill > 0 {
		t := time.AfterFunc(kill, func() { cmd.Process.Kill() })
		defer t.Stop()
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return buf.String(), -1, true
		}
		return buf.String(), ee.ExitCode(), false
	}
	if err != nil {
		return err.Error(), -1, false
	}
	return buf.String(), 0, false
}

func (p *proc) sync(ctx context.Context) error {
	if out, code, _ := p.run(ctx, 0, "", "sync"); code != 0 {
		return errors.New(strings.TrimSpace(out))
	}
	return nil
}

// open opens the replica between commands (no command of this client runs then).
func (p *proc) open(ctx context.Context) (*store.Store, error) { return store.Open(ctx, p.dir) }

func (p *proc) ncs(ctx context.Context) ([]api.NC, error) {
	st, err := p.open(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Portal.NCs(ctx)
}

func (p *proc) replica(ctx context.Context) (replicaView, error) {
	st, err := p.open(ctx)
	if err != nil {
		return replicaView{}, err
	}
	defer st.Close()
	return readReplica(ctx, st)
}

func (p *proc) do(ctx context.Context, a action, kill time.Duration, inLocal bool) outcome {
	var o outcome
	var args []string
	switch a.kind {
	case opSync:
	case opDraft:
		args = []string{"ca", "draft", a.nc, "--text", a.text}
	case opReady:
		args = []string{"ca", "ready", a.nc, "--text", a.text}
	case opSend:
		args = []string{"send", "--json"}
	case opMessage:
		args = []string{"message", a.nc, "--text", a.text}
	case opAttach:
		args = []string{"evidence", "add", a.nc, a.file}
	case opEvidenceReady:
		args = []string{"evidence", "ready", a.nc}
	default:
		return outcome{refused: fmt.Errorf("no command for %q", a.kind)}
	}
	localKill, syncKill := time.Duration(0), time.Duration(0)
	if kill > 0 && inLocal && args != nil {
		localKill = kill
	} else {
		syncKill = kill
	}
	if args != nil {
		out, code, killed := p.run(ctx, localKill, "", args...)
		if a.kind == opSend {
			// send queues, then syncs: what it queued is printed before the sync.
			o.queued = queuedIDs(out)
		}
		switch {
		case killed:
			o.killed, o.unknown = true, true
			return o
		case code != 0 && !(a.kind == opSend && o.queued != nil):
			o.refused = errors.New(strings.TrimSpace(out))
			return o
		}
		o.done = true
		if a.kind == opSend {
			// Its own sync ran (and may have failed under the fault): sync once more.
			if code != 0 {
				o.syncErr = errors.New(strings.TrimSpace(out))
			}
		}
	} else {
		o.done = true
	}
	out, code, killed := p.run(ctx, syncKill, "", "sync")
	switch {
	case killed:
		o.killed = true
		o.syncErr = errors.New("killed")
	case code != 0:
		o.syncErr = errors.New(strings.TrimSpace(out))
	}
	return o
}

// queuedIDs reads what send --json queued (corrective measures and evidence) from the
// start of its output, written before its sync; nil when the process stopped earlier.
func queuedIDs(out string) []string {
	var r cli.SendReport
	if err := json.NewDecoder(strings.NewReader(out)).Decode(&r); err != nil {
		return nil
	}
	return append(r.CorrectiveMeasures, r.Evidence...)
}
