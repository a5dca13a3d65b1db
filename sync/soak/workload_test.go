package soak_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// owner says which client of an organisation works on an NC: each NC has one, so two
// clients never write the same corrective measure (that conflict has its own tests).
func owner(ncID string, clients int) int {
	h := fnv.New32a()
	h.Write([]byte(ncID))
	return int(h.Sum32() % uint32(clients))
}

// ledger is what users saved, to find on the server after the soak: each item exactly
// once when the app said it was saved, at most once when the process was killed.
type ledger struct {
	mu       sync.Mutex
	messages map[string]*entry // body → where
	sent     map[string]*entry // CA sent, by its possible texts
	files    map[string]*entry // SHA-256 of an attached file → NC
	// evidenceSends counts the sends that queued an NC's evidence (sure or not): the
	// server may not hold more submissions than that.
	evidenceSends map[string]int
	// last is the latest CA text written on an NC while it awaited a CA, and how.
	last map[string]*entry
	ops  map[string]int // actions done, by kind
}

type entry struct {
	nc, kind, text string
	texts          []string // a CA sent: the texts it may have had
	sure           bool
	client         string
}

func newLedger() *ledger {
	return &ledger{messages: map[string]*entry{}, sent: map[string]*entry{}, files: map[string]*entry{},
		evidenceSends: map[string]int{}, last: map[string]*entry{}, ops: map[string]int{}}
}

// worker drives one client: its random stream, its counters, what it marked ready.
type worker struct {
	c    client
	r    *rand.Rand
	n    int // actions drawn, for unique texts
	dir  string
	seed uint64
	// ready holds the NCs marked ready and not known sent: the CA text (more than one
	// when a process was killed while marking it: any of them may be the one), or nil
	// for evidence.
	ready  map[string][]string
	others int // clients of the same organisation
	index  int
	kills  bool // a process that can be killed
}

// next draws the next action from what the client's replica shows.
func (w *worker) next(ctx context.Context) (action, error) {
	w.n++
	ncs, err := w.c.ncs(ctx)
	if err != nil {
		return action{}, err
	}
	var mine []api.NC
	for _, nc := range ncs {
		if owner(nc.ID, w.others) == w.index && nc.Stage != api.StageClosed {
			mine = append(mine, nc)
		}
	}
	if len(mine) == 0 || w.r.IntN(10) == 0 {
		return action{kind: opSync}, nil
	}
	nc := mine[w.r.IntN(len(mine))]
	text := fmt.Sprintf("%s %s #%d (seed %d)", w.c.name(), nc.ID, w.n, w.seed)
	if len(w.ready) > 0 && w.r.IntN(4) == 0 {
		return action{kind: opSend}, nil
	}
	switch nc.Stage {
	case api.StageCARequested, api.StageCAReturned:
		switch k := w.r.IntN(10); {
		case k < 2 && !w.kills: // the CLI has no autosave: it saves drafts
			return action{kind: opAutosave, nc: nc.ID, text: "Mesure corrective: " + text}, nil
		case k < 5:
			return action{kind: opDraft, nc: nc.ID, text: "Mesure corrective: " + text}, nil
		case k < 8:
			return action{kind: opReady, nc: nc.ID, text: "Mesure corrective: " + text}, nil
		}
	case api.StageEvidenceRequested, api.StageEvidenceReturned:
		if k := w.r.IntN(10); k < 5 {
			path, err := w.evidenceFile(text)
			if err != nil {
				return action{}, err
			}
			return action{kind: opAttach, nc: nc.ID, file: path}, nil
		} else if k < 8 {
			return action{kind: opEvidenceReady, nc: nc.ID}, nil
		}
	}
	return action{kind: opMessage, nc: nc.ID, text: "Message: " + text}, nil
}

// evidenceFile writes a file no other action writes: mostly small, sometimes over one
// upload chunk.
func (w *worker) evidenceFile(text string) (string, error) {
	size := 1000 + w.r.IntN(60_000)
	if w.r.IntN(40) == 0 {
		size = 2<<20 + w.r.IntN(1<<20)
	}
	buf := make([]byte, size)
	copy(buf, text)
	for i := len(text); i < size; i += 8 {
		v := w.r.Uint64()
		for j := 0; j < 8 && i+j < size; j++ {
			buf[i+j] = byte(v >> (8 * j))
		}
	}
	path := filepath.Join(w.dir, fmt.Sprintf("preuve-%s-%d.zip", w.c.name(), w.n))
	return path, os.WriteFile(path, buf, 0o600)
}

func fileSum(path string) string {
	b, _ := os.ReadFile(path)
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// record notes what the action saved.
func (l *ledger) record(w *worker, a action, o outcome) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if o.refused != nil || (!o.done && !o.unknown) {
		return
	}
	l.ops[a.kind]++
	sure := o.done
	e := &entry{nc: a.nc, kind: a.kind, text: a.text, sure: sure, client: w.c.name()}
	switch a.kind {
	case opMessage:
		l.messages[a.text] = e
	case opAutosave, opDraft:
		l.last[a.nc] = e
		// A CA marked ready keeps its mark: what is sent is the text as last edited.
		if texts, ok := w.ready[a.nc]; ok && texts != nil {
			if sure {
				w.ready[a.nc] = []string{a.text}
			} else {
				w.ready[a.nc] = append(texts, a.text)
			}
		}
	case opReady:
		l.last[a.nc] = e
		if sure {
			w.ready[a.nc] = []string{a.text}
		} else {
			// Killed: the NC is ready with this text or with the one before, if any.
			w.ready[a.nc] = append(w.ready[a.nc], a.text)
		}
	case opAttach:
		l.files[fileSum(a.file)] = &entry{nc: a.nc, kind: a.kind, sure: sure, client: w.c.name()}
	case opEvidenceReady:
		w.ready[a.nc] = nil
	case opSend:
		queued := o.queued
		if o.unknown {
			// Killed: any NC marked ready may have been queued, or not.
			queued = slices.Collect(maps.Keys(w.ready))
		}
		for _, nc := range queued {
			delete(l.last, nc) // sent: the text is checked as sent, not as a draft
			texts, ok := w.ready[nc]
			if !ok {
				continue
			}
			if texts == nil {
				l.evidenceSends[nc]++
			} else {
				key := strings.Join(texts, "\x00")
				prev := l.sent[key]
				l.sent[key] = &entry{nc: nc, kind: opSend, text: texts[len(texts)-1], texts: texts,
					sure: sure || (prev != nil && prev.sure), client: w.c.name()}
			}
			if sure {
				delete(w.ready, nc)
			}
		}
	}
}
