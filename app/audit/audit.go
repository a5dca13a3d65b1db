package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/members"
	"github.com/ecert-desktop/ecert-desktop/app/store/trail"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// Config is what the app gives the service.
type Config struct {
	Context context.Context     // of the bound calls; cancelled when the app closes
	Store   func() *store.Store // the replica, once the app opened it
	// Client returns the running session's client, or one of the saved session (the
	// headless commands); nil when logged out.
	Client func(ctx context.Context) (*client.Client, error)
	// Fail turns an error into what a bound method returns: a code the window translates.
	Fail func(error) error
}

// Audit is the bound service of the trail.
type Audit struct{ cfg Config }

// New returns the service.
func New(cfg Config) *Audit { return &Audit{cfg: cfg} }

// Entry is one change of an NC's trail as the window shows it.
type Entry struct {
	Seq    int64  `json:"seq"`
	At     string `json:"at"` // RFC 3339, UTC
	Author string `json:"author"`
	// AuthorName is the author's display name, from the organisation's accounts as last
	// synced (or the session's, for the person logged in); "" when unknown.
	AuthorName string `json:"author_name,omitempty"`
	Kind       string `json:"kind"`
	Hash       string `json:"hash"`
	Sent       bool   `json:"sent"` // the server holds it
}

// NCTrail returns the changes made to an NC on this computer, oldest first.
func (a *Audit) NCTrail(ncID string) ([]Entry, error) {
	out, err := a.ncTrail(a.cfg.Context, ncID)
	return out, a.cfg.Fail(err)
}

func (a *Audit) ncTrail(ctx context.Context, ncID string) ([]Entry, error) {
	s := a.cfg.Store()
	if s == nil {
		return nil, fmt.Errorf("the replica is not open")
	}
	es, err := s.Trail.ForNC(ctx, ncID)
	if err != nil {
		return nil, err
	}
	st, err := s.Trail.SyncState(ctx)
	if err != nil {
		return nil, err
	}
	ms := members.New(s.DB(), nil)
	names, err := ms.Names(ctx)
	if err != nil {
		return nil, err
	}
	// The session's name first: the accounts may not have come down yet.
	if me, name, err := ms.Me(ctx); err != nil {
		return nil, err
	} else if me != "" && name != "" {
		names[me] = name
	}
	out := make([]Entry, 0, len(es))
	for _, e := range es {
		out = append(out, Entry{Seq: e.Seq, At: e.At.UTC().Format(time.RFC3339), Author: e.Author, AuthorName: names[e.Author],
			Kind: e.Kind, Hash: e.Hash, Sent: e.Seq <= st.Acked})
	}
	return out, nil
}

// Report is the outcome of Verify.
type Report struct {
	OK           bool           `json:"ok"`
	Entries      int            `json:"entries"`      // in the replica's chain
	Sent         int64          `json:"sent"`         // of which the server acknowledged these
	Organisation int            `json:"organisation"` // records in the organisation's chain
	Problem      *trail.Problem `json:"problem,omitempty"`
	// Refused is the code of the server's last refusal of this replica's trail.
	Refused    string `json:"refused,omitempty"`
	RefusedSeq int64  `json:"refused_seq,omitempty"`
}

// Verify checks the replica's chain, the organisation's chain on the server, and that
// the server holds this replica's entries as they are here. A problem is no error: the
// report names the first entry that does not match.
func (a *Audit) Verify() (Report, error) {
	r, err := a.verify(a.cfg.Context)
	return r, a.cfg.Fail(err)
}

func (a *Audit) verify(ctx context.Context) (Report, error) {
	var r Report
	s := a.cfg.Store()
	if s == nil {
		return r, fmt.Errorf("the replica is not open")
	}
	local, err := s.Trail.Entries(ctx, 0, 1<<31)
	if err != nil {
		return r, err
	}
	st, err := s.Trail.SyncState(ctx)
	if err != nil {
		return r, err
	}
	r.Entries, r.Sent, r.Refused, r.RefusedSeq = len(local), st.Acked, st.Code, st.Refused
	if r.Problem = trail.CheckChain(local); r.Problem != nil {
		return r, nil
	}
	c, err := a.cfg.Client(ctx)
	if err != nil {
		return r, err
	}
	if c == nil {
		return r, &client.Error{Code: api.CodeNotLoggedIn}
	}
	clientID, err := s.ClientID(ctx)
	if err != nil {
		return r, err
	}
	var records []api.TrailRecord
	for after := int64(0); ; {
		page, err := c.Trail(ctx, after, 0)
		if err != nil {
			return r, err
		}
		records = append(records, page.Records...)
		if !page.More {
			break
		}
		after = page.Records[len(page.Records)-1].OrgSeq
	}
	r.Organisation = len(records)
	if r.Problem = trail.CheckOrgChain(records); r.Problem != nil {
		return r, nil
	}
	mine := map[int64]api.TrailEntry{}
	for _, rec := range records {
		if rec.ClientID == clientID {
			mine[rec.Entry.Seq] = rec.Entry
		}
	}
	r.Problem = trail.CheckAgainst(local, mine, st.Acked)
	r.OK = r.Problem == nil && r.Refused == ""
	return r, nil
}
