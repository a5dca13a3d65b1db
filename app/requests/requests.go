package requests

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Config is what the app gives the service.
type Config struct {
	Context context.Context     // of the bound calls; cancelled when the app closes
	Store   func() *store.Store // the replica, once the app opened it
	Now     func() time.Time
	// Kick asks for a sync (when a session runs): a queued request goes at once.
	Kick func()
	// Fail turns an error into what a bound method returns: a code the window translates.
	Fail func(error) error
}

// Requests is the bound service of change requests.
type Requests struct{ cfg Config }

// New returns the service.
func New(cfg Config) *Requests { return &Requests{cfg: cfg} }

// Where a request stands, as the window shows it (Request.State).
const (
	StateWaiting  = "waiting"  // written here, not sent yet
	StateNotSent  = "not_sent" // the server refused the entry: Code says why
	StatePending  = "pending"  // with FLOCERT, awaiting the analyst
	StateAccepted = "accepted" // the new values are in place
	StateRefused  = "refused"  // Comment says why
)

// Request is one change request as the window and the headless command show it.
type Request struct {
	ID       string            `json:"id,omitempty"`  // the server's, once sent
	Seq      int64             `json:"seq,omitempty"` // the outbox entry, until sent
	State    string            `json:"state"`
	Code     string            `json:"code,omitempty"`
	Target   string            `json:"target"`
	Action   string            `json:"action"`
	TargetID string            `json:"target_id,omitempty"`
	Fields   map[string]string `json:"fields,omitempty"`
	// Old are the values the request replaces: the server's when it arrived, the
	// replica's now while it waits here.
	Old         map[string]string `json:"old,omitempty"`
	Note        string            `json:"note,omitempty"`
	RequestedAt string            `json:"requested_at"` // RFC 3339
	RequestedBy string            `json:"requested_by,omitempty"`
	DecidedBy   string            `json:"decided_by,omitempty"`
	DecidedAt   string            `json:"decided_at,omitempty"`
	Comment     string            `json:"comment,omitempty"`
	ResultID    string            `json:"result_id,omitempty"`
}

// Propose checks a proposal against the replica and queues it: it is kept here at once
// and sent with the next sync, exactly once. A refusal is a code (invalid_email,
// no_change, contact_not_found …) and queues nothing.
func (rq *Requests) Propose(p api.ChangeProposal) (Request, error) {
	r, err := rq.propose(rq.cfg.Context, p)
	return r, rq.cfg.Fail(err)
}

// List returns the organisation's change requests: those written here and not sent
// yet or refused as entries first, then the server's, newest first.
func (rq *Requests) List() ([]Request, error) {
	l, err := rq.list(rq.cfg.Context)
	return l, rq.cfg.Fail(err)
}

func (rq *Requests) propose(ctx context.Context, p api.ChangeProposal) (Request, error) {
	st := rq.cfg.Store()
	p = api.Normalise(p)
	if code, _ := api.CheckProposal(p); code != "" {
		return Request{}, coded.Error(code)
	}
	current, err := currentValues(ctx, st, p)
	if err != nil {
		return Request{}, err
	}
	if p.Action == api.ActionUpdate {
		changed := map[string]string{}
		for k, v := range p.Fields {
			if current[k] != v {
				changed[k] = v
			}
		}
		if len(changed) == 0 {
			return Request{}, coded.Error(api.CodeNoChange)
		}
		p.Fields = changed
	}
	body, err := json.Marshal(p)
	if err != nil {
		return Request{}, err
	}
	stamp := rq.cfg.Now().UTC().Format(time.RFC3339)
	seq, err := st.Work.QueueChangeRequest(ctx, string(body), stamp)
	if err != nil {
		return Request{}, err
	}
	if rq.cfg.Kick != nil {
		rq.cfg.Kick()
	}
	return waiting(p, seq, stamp, store.OutboxPending, "", current), nil
}

// currentValues returns the replica's values of what a proposal is about; a contact
// that is not here, or is FLOCERT's, is refused with its code.
func currentValues(ctx context.Context, st *store.Store, p api.ChangeProposal) (map[string]string, error) {
	switch {
	case p.Target == api.TargetOrganisation:
		o, err := st.Portal.Organisation(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return map[string]string{}, nil
		}
		if err != nil {
			return nil, err
		}
		return api.OrgValues(*o), nil
	case p.Action == api.ActionAdd:
		return map[string]string{}, nil
	}
	contacts, err := st.Portal.Contacts(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range contacts {
		if c.ID != p.TargetID {
			continue
		}
		if c.Analyst || c.Company == "FLOCERT" {
			return nil, coded.Error(api.CodeContactNotEditable)
		}
		return api.ContactValues(c), nil
	}
	return nil, coded.Error(api.CodeContactNotFound)
}

// waiting is a request of the outbox as shown: Old holds the replica's values now.
func waiting(p api.ChangeProposal, seq int64, created, state, code string, current map[string]string) Request {
	r := Request{Seq: seq, State: StateWaiting, Code: code, Target: p.Target, Action: p.Action, TargetID: p.TargetID,
		Fields: p.Fields, Note: p.Note, RequestedAt: created}
	if state == store.OutboxRejected {
		r.State = StateNotSent
	}
	switch p.Action {
	case api.ActionUpdate:
		r.Old = map[string]string{}
		for k := range p.Fields {
			r.Old[k] = current[k]
		}
	case api.ActionRemove:
		r.Old = current
	}
	return r
}

func (rq *Requests) list(ctx context.Context) ([]Request, error) {
	st := rq.cfg.Store()
	entries, err := st.Work.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	out := []Request{}
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.Kind != api.KindChangeRequest {
			continue
		}
		var p api.ChangeProposal
		if err := json.Unmarshal([]byte(e.Text), &p); err != nil {
			return nil, err
		}
		current, err := currentValues(ctx, st, p)
		if err != nil && coded.Of(err) == "" {
			return nil, err
		}
		out = append(out, waiting(p, e.Seq, e.CreatedAt, e.State, e.Code, current))
	}
	crs, err := st.Portal.ChangeRequests(ctx)
	if err != nil {
		return nil, err
	}
	for _, cr := range crs {
		out = append(out, fromServer(cr))
	}
	return out, nil
}

func fromServer(cr api.ChangeRequest) Request {
	r := Request{ID: cr.ID, State: cr.Status, Target: cr.Target, Action: cr.Action, TargetID: cr.TargetID,
		Fields: cr.Fields, Old: cr.Old, Note: cr.Note, RequestedAt: cr.RequestedAt.UTC().Format(time.RFC3339),
		RequestedBy: cr.RequestedBy, DecidedBy: cr.DecidedBy, Comment: cr.Comment, ResultID: cr.ResultID}
	if !cr.DecidedAt.IsZero() {
		r.DecidedAt = cr.DecidedAt.UTC().Format(time.RFC3339)
	}
	return r
}
