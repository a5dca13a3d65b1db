package requests

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// Store is what change requests need of the database.
type Store interface {
	store.Entities
	User(ctx context.Context, username string) (store.UserRecord, error)
}

// Requests applies change requests and the analyst's decisions. Safe for concurrent use.
type Requests struct {
	store Store
	now   func() time.Time
}

// New returns the service; now nil means time.Now.
func New(st Store, now func() time.Time) *Requests {
	if now == nil {
		now = time.Now
	}
	return &Requests{store: st, now: now}
}

// ErrGone refuses to accept a request whose contact was removed meanwhile: the analyst
// refuses it instead. It is a workflow.ErrWrongStage.
var ErrGone = workflow.ErrWrongStage.Narrow("gone", 409, "the contact of the request no longer exists")

// Push is the workflow.KindFunc of api.KindChangeRequest: it checks the proposal against
// the organisation's current data and stores it as a pending request.
func (rq *Requests) Push(tx store.Tx, u api.User, clientID string, e api.PushEntry, now time.Time) (api.PushResult, string, error) {
	if e.NCID != "" || e.Change == nil {
		return rejected(e, api.CodeBadEntry, "a change request names no NC and carries a change"), "", nil
	}
	p := api.Normalise(*e.Change)
	if code, field := api.CheckProposal(p); code != "" {
		return rejected(e, code, "invalid proposal: "+code+" "+field), "", nil
	}
	cr := api.ChangeRequest{ID: api.RequestID(clientID, e.Seq), Target: p.Target, Action: p.Action, TargetID: p.TargetID,
		Note: p.Note, Status: api.RequestPending, RequestedBy: nameOf(u.Name, u.Username), RequestedAt: now}
	var current map[string]string
	switch p.Target {
	case api.TargetContact:
		if p.Action == api.ActionAdd {
			cr.Fields = p.Fields
			break
		}
		c, ok, err := contact(tx, p.TargetID)
		if err != nil {
			return api.PushResult{}, "", err
		}
		if !ok {
			return rejected(e, api.CodeContactNotFound, "no such contact"), "", nil
		}
		if c.Analyst || c.Company == "FLOCERT" {
			return rejected(e, api.CodeContactNotEditable, "FLOCERT's staff are not changed by request"), "", nil
		}
		current = api.ContactValues(c)
	case api.TargetOrganisation:
		cr.TargetID = u.OrgID
		o, err := organisation(tx, u.OrgID)
		if err != nil {
			return api.PushResult{}, "", err
		}
		current = api.OrgValues(o)
	}
	switch p.Action {
	case api.ActionRemove:
		cr.Old = current
	case api.ActionUpdate:
		cr.Fields, cr.Old = map[string]string{}, map[string]string{}
		for k, v := range p.Fields {
			if current[k] != v {
				cr.Fields[k], cr.Old[k] = v, current[k]
			}
		}
		if len(cr.Fields) == 0 {
			return rejected(e, api.CodeNoChange, "every proposed value is the current one"), "", nil
		}
	}
	if err := tx.Write(write(&cr)); err != nil {
		return api.PushResult{}, "", err
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, Request: &cr}, Describe(cr), nil
}

// Accept applies a pending request: the contact or the organisation takes the proposed
// values (a contact is added or removed), and the request is accepted, in one
// transaction. comment is optional. A request decided before is ErrWrongStage; an
// unknown one store.ErrNotFound.
func (rq *Requests) Accept(ctx context.Context, analyst, orgID, id, comment string) (api.ChangeRequest, error) {
	return rq.decide(ctx, analyst, orgID, id, comment, api.RequestAccepted)
}

// Refuse refuses a pending request with the analyst's reason (required): nothing else
// changes.
func (rq *Requests) Refuse(ctx context.Context, analyst, orgID, id, comment string) (api.ChangeRequest, error) {
	return rq.decide(ctx, analyst, orgID, id, comment, api.RequestRefused)
}

func (rq *Requests) decide(ctx context.Context, analyst, orgID, id, comment, status string) (api.ChangeRequest, error) {
	u, err := rq.store.User(ctx, analyst)
	if errors.Is(err, store.ErrNotFound) || err == nil && u.Role != api.RoleAnalyst {
		return api.ChangeRequest{}, problem.Errorf(workflow.ErrRole, "only an analyst decides change requests")
	}
	if err != nil {
		return api.ChangeRequest{}, err
	}
	comment = strings.TrimSpace(comment)
	switch {
	case !utf8.ValidString(comment) || len(comment) > api.MaxTextBytes:
		return api.ChangeRequest{}, problem.Errorf(workflow.ErrInvalid, "the comment is not valid UTF-8 or too long").Saying("comment_invalid")
	case status == api.RequestRefused && comment == "":
		return api.ChangeRequest{}, problem.Errorf(workflow.ErrCommentRequired, "a refusal says why")
	}
	var cr api.ChangeRequest
	err = rq.store.Update(ctx, orgID, func(tx store.Tx) error {
		rec, err := tx.Entity(api.EntityChangeRequest, id)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(rec.Data, &cr); err != nil {
			return fmt.Errorf("decode change request %s: %w", id, err)
		}
		if cr.Status != api.RequestPending {
			return problem.Errorf(workflow.ErrWrongStage, "the request %s is %s already", id, cr.Status)
		}
		now := rq.now().UTC()
		if status == api.RequestAccepted {
			if err := apply(tx, orgID, &cr); err != nil {
				return err
			}
		}
		cr.Status, cr.DecidedBy, cr.DecidedAt, cr.Comment = status, nameOf(u.Name, u.Username), now, comment
		if err := tx.Write(write(&cr)); err != nil {
			return err
		}
		action := "accept change request"
		if status == api.RequestRefused {
			action = "refuse change request"
		}
		return tx.AddEvent(store.Event{At: now, Username: u.Username, Name: u.Name, Role: u.Role,
			Action: action, Detail: Describe(cr) + commentDetail(comment)})
	})
	return cr, err
}

// apply writes what an accepted request changes.
func apply(tx store.Tx, orgID string, cr *api.ChangeRequest) error {
	switch cr.Target {
	case api.TargetOrganisation:
		o, err := organisation(tx, orgID)
		if err != nil {
			return err
		}
		o = api.ApplyToOrg(o, cr.Fields)
		return tx.Write(workflow.WriteOf(api.EntityOrganisation, orgID, "", o))
	case api.TargetContact:
		if cr.Action == api.ActionAdd {
			o, err := organisation(tx, orgID)
			if err != nil {
				return err
			}
			c := api.ApplyToContact(api.Contact{ID: "C-" + orgID + "-" + auth.RandomHex(4), Company: o.Name}, cr.Fields)
			cr.ResultID = c.ID
			return tx.Write(workflow.WriteOf(api.EntityContact, c.ID, "", c))
		}
		c, ok, err := contact(tx, cr.TargetID)
		if err != nil {
			return err
		}
		if !ok {
			return problem.Errorf(ErrGone, "the contact %s no longer exists: refuse the request", cr.TargetID)
		}
		if cr.Action == api.ActionRemove {
			return tx.Write(store.EntityWrite{Entity: api.EntityContact, ID: c.ID, Delete: true})
		}
		c = api.ApplyToContact(c, cr.Fields)
		return tx.Write(workflow.WriteOf(api.EntityContact, c.ID, "", c))
	}
	return fmt.Errorf("change request %s: unknown target %q", cr.ID, cr.Target)
}

// List returns the organisation's change requests: pending ones first, then the
// newest first.
func (rq *Requests) List(ctx context.Context, orgID string) ([]api.ChangeRequest, error) {
	out, err := workflow.All[api.ChangeRequest](ctx, rq.store, orgID, api.EntityChangeRequest)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		pi, pj := out[i].Status == api.RequestPending, out[j].Status == api.RequestPending
		if pi != pj {
			return pi
		}
		return out[i].RequestedAt.After(out[j].RequestedAt)
	})
	return out, nil
}

// Describe says in one line what a request asks, for the audit trail.
func Describe(cr api.ChangeRequest) string {
	s := cr.Action + " " + cr.Target
	if cr.TargetID != "" {
		s += " " + cr.TargetID
	}
	if len(cr.Fields) > 0 {
		parts := make([]string, 0, len(cr.Fields))
		for _, k := range slices.Sorted(maps.Keys(cr.Fields)) {
			parts = append(parts, k+"="+cr.Fields[k])
		}
		s += ": " + strings.Join(parts, ", ")
	}
	return s
}

func commentDetail(c string) string {
	if c == "" {
		return ""
	}
	return " — " + c
}

func write(cr *api.ChangeRequest) store.EntityWrite {
	return store.EntityWrite{Entity: api.EntityChangeRequest, ID: cr.ID, Visible: true,
		Encode: func(rev int64) (json.RawMessage, error) {
			cr.Revision = rev
			return json.Marshal(cr)
		}}
}

func contact(tx store.Tx, id string) (api.Contact, bool, error) {
	var c api.Contact
	rec, err := tx.Entity(api.EntityContact, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && !rec.Visible {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	return c, true, json.Unmarshal(rec.Data, &c)
}

func organisation(tx store.Tx, orgID string) (api.Organisation, error) {
	var o api.Organisation
	rec, err := tx.Entity(api.EntityOrganisation, orgID)
	if errors.Is(err, store.ErrNotFound) {
		return api.Organisation{ID: orgID}, nil // master data never entered: the request starts it
	}
	if err != nil {
		return o, err
	}
	return o, json.Unmarshal(rec.Data, &o)
}

func rejected(e api.PushEntry, code, msg string) api.PushResult {
	return api.PushResult{Seq: e.Seq, Status: api.PushRejected, Code: code, Message: msg}
}

func nameOf(name, username string) string {
	if name != "" {
		return name
	}
	return username
}
