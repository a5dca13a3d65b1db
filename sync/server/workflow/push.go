package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/chains"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Push applies one entry of a client's outbox in one transaction with the client's
// last sequence and the entry's result, or returns the stored result of a replayed
// one (see api.PushRequest). wellFormed false (the entry's strings are not valid
// UTF-8) rejects the entry.
func (wf *Workflow) Push(ctx context.Context, u api.User, clientID string, e api.PushEntry, wellFormed bool) (api.PushResult, error) {
	var res api.PushResult
	op, err := wf.chainOperator(ctx, e)
	if err != nil {
		return res, err
	}
	err = wf.store.Update(ctx, u.OrgID, func(tx store.Tx) error {
		last, err := tx.LastPushSeq(clientID)
		if err != nil {
			return err
		}
		if e.Seq <= last {
			stored, err := tx.PushResult(clientID, e.Seq)
			if errors.Is(err, store.ErrNotFound) {
				res = rejected(e, api.CodeBadEntry, fmt.Sprintf("seq %d was never received and is not above this client's last seq %d", e.Seq, last))
				return nil
			}
			if err != nil {
				return err
			}
			if err := json.Unmarshal(stored, &res); err != nil {
				return fmt.Errorf("decode stored result: %w", err)
			}
			if res.Status == api.PushApplied {
				res.Status = api.PushDuplicate
			}
			return nil
		}
		now := wf.now().UTC()
		var detail string
		switch {
		case !wellFormed:
			res = rejected(e, api.CodeBadEntry, "the entry contains invalid UTF-8")
		case e.Chain != nil && e.Kind != api.KindChainAdd && e.Kind != api.KindChainRemove:
			res = rejected(e, api.CodeBadEntry, "only the chain kinds carry chain")
		case e.Due != "" && e.Kind != api.KindNCAssign:
			res = rejected(e, api.CodeBadEntry, "due is for nc.assign only")
		case u.OrgRole == api.OrgRoleStaff && managerKinds[e.Kind]:
			// Refused as an entry, not as the request: the staff's other entries (drafts,
			// files, messages) still apply, and the queue goes on.
			res = rejected(e, api.CodeForbiddenRole, "only the organisation's manager sends to FLOCERT")
		case e.Kind == api.KindCADraft:
			res, err = pushDraft(tx, u, e, now)
		case e.Kind == api.KindCASubmit:
			res, err = pushSubmit(tx, u, e, now)
			detail = e.Text
		case e.Kind == api.KindMessage:
			res, err = pushMessage(tx, u, clientID, e, now)
			detail = e.Text
		case e.Kind == api.KindMessageGeneral:
			res, err = pushGeneralMessage(tx, u, clientID, e, now)
			detail = e.Text
		case e.Kind == api.KindEvidenceAdd:
			res, err = pushEvidenceAdd(tx, u, wf.limits, e, now)
		case e.Kind == api.KindEvidenceSubject:
			res, err = pushEvidenceSubject(tx, e)
		case e.Kind == api.KindEvidenceRemove:
			res, err = pushEvidenceRemove(tx, e)
		case e.Kind == api.KindEvidenceSubmit:
			res, err = pushEvidenceSubmit(tx, u, e, now)
		case e.Kind == api.KindChainAdd || e.Kind == api.KindChainRemove:
			res, err = chains.Push(tx, u, e, op, now)
		case e.Kind == api.KindEvidenceLink:
			res, err = pushEvidenceLink(tx, wf.limits, e, now)
		case wf.kinds[e.Kind] != nil:
			res, detail, err = wf.kinds[e.Kind](tx, u, clientID, e, now)
		case e.Kind == api.KindNCAssign:
			res, err = wf.pushAssign(ctx, tx, u, e, now)
			detail = e.Text + " " + e.Due
		default:
			res = rejected(e, api.CodeBadEntry, "unknown kind")
		}
		if strings.HasPrefix(e.Kind, "evidence.") && err == nil {
			detail = evidenceDetail(e, res)
		}
		if err != nil {
			return err
		}
		stored, err := json.Marshal(res)
		if err != nil {
			return err
		}
		if err := tx.RecordPush(clientID, e.Seq, stored); err != nil {
			return err
		}
		action := "push " + truncate(e.Kind, 32) + ": " + res.Status
		if res.Code != "" {
			action += " (" + res.Code + ")"
		}
		if !wellFormed || res.Status != api.PushApplied {
			detail = ""
		}
		// Drafts stay private to the organisation: the trail says that one was saved,
		// never its text.
		return tx.AddEvent(store.Event{NCID: truncate(e.NCID, 64), At: now, Username: u.Username, Name: u.Name, Role: u.Role,
			Action: action, Detail: detail})
	})
	return res, err
}

// chainOperator looks up the operator a chain.add names, before the organisation's
// transaction (the directory is everyone's); nil when the entry is not one or names none.
func (wf *Workflow) chainOperator(ctx context.Context, e api.PushEntry) (*api.Operator, error) {
	if e.Kind != api.KindChainAdd || e.Chain == nil || api.ChainProblem(*e.Chain, true) != "" {
		return nil, nil
	}
	op, err := wf.store.Operator(ctx, e.Chain.FLOID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &op, nil
}

// managerKinds are the entries only an organisation's manager may push: sending to
// FLOCERT, assigning NCs.
var managerKinds = map[string]bool{api.KindCASubmit: true, api.KindEvidenceSubmit: true, api.KindNCAssign: true}

func rejected(e api.PushEntry, code, msg string) api.PushResult {
	return api.PushResult{Seq: e.Seq, Status: api.PushRejected, Code: code, Message: msg}
}

// visibleNC reads an NC the client may see; ok is false when there is none.
func visibleNC(tx store.Tx, id string) (nc api.NC, ok bool, err error) {
	if id == "" {
		return nc, false, nil
	}
	rec, err := tx.Entity(api.EntityNC, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && !rec.Visible {
		return nc, false, nil
	}
	if err != nil {
		return nc, false, err
	}
	if err := json.Unmarshal(rec.Data, &nc); err != nil {
		return nc, false, fmt.Errorf("decode NC %s: %w", id, err)
	}
	return nc, true, nil
}

// textReason checks the text of an entry; it returns the rejection code, or "".
func textReason(text string) (code, msg string) {
	switch {
	case !utf8.ValidString(text):
		return api.CodeBadEntry, "text is not valid UTF-8"
	case strings.TrimSpace(text) == "":
		return api.CodeEmptyText, "text is empty"
	case len(text) > api.MaxTextBytes:
		return api.CodeTextTooLong, fmt.Sprintf("text is longer than %d bytes", api.MaxTextBytes)
	}
	return "", ""
}

func pushDraft(tx store.Tx, u api.User, e api.PushEntry, now time.Time) (api.PushResult, error) {
	nc, ok, err := visibleNC(tx, e.NCID)
	if err != nil || !ok {
		return rejected(e, api.CodeNCNotFound, "no such NC"), err
	}
	if nc.Stage == api.StageClosed {
		return rejected(e, api.CodeNCClosed, "the NC is closed"), nil
	}
	if code, msg := textReason(e.Text); code != "" {
		return rejected(e, code, msg), nil
	}
	// A submission hides the draft rather than deleting it, so that its revisions go on
	// counting: a stale base can never match a new draft by coincidence. After a
	// submission a client starts again from no draft (base 0).
	var cur *api.CADraft
	rec, err := tx.Entity(api.EntityCADraft, nc.ID)
	switch {
	case err == nil && rec.Visible:
		cur = new(api.CADraft)
		if err := json.Unmarshal(rec.Data, cur); err != nil {
			return api.PushResult{}, fmt.Errorf("decode draft %s: %w", nc.ID, err)
		}
	case err == nil:
		cur = &api.CADraft{NCID: nc.ID, Revision: rec.Revision} // sent: an empty draft
	case !errors.Is(err, store.ErrNotFound):
		return api.PushResult{}, err
	}
	var curRev int64
	if cur != nil {
		curRev = cur.Revision
	}
	if curRev != e.BaseRevision && !(e.BaseRevision == 0 && err == nil && !rec.Visible) {
		return api.PushResult{Seq: e.Seq, Status: api.PushConflict, Code: api.CodeDraftChanged,
			Message: fmt.Sprintf("the draft is at revision %d, the entry started from %d", curRev, e.BaseRevision), Draft: cur}, nil
	}
	d := &api.CADraft{NCID: nc.ID, Text: e.Text, UpdatedBy: u.Username, UpdatedByName: u.Name, UpdatedAt: now}
	if cur != nil && cur.Text == e.Text && cur.UpdatedBy != "" {
		// The same text saved again (a colleague marking it ready): its author stays.
		d.UpdatedBy, d.UpdatedByName = cur.UpdatedBy, cur.UpdatedByName
	}
	err = tx.Write(store.EntityWrite{Entity: api.EntityCADraft, ID: nc.ID, Parent: nc.ID, Visible: true,
		Encode: func(rev int64) (json.RawMessage, error) {
			d.Revision = rev
			return json.Marshal(d)
		}})
	if err != nil {
		return api.PushResult{}, err
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, Draft: d}, nil
}

func pushSubmit(tx store.Tx, u api.User, e api.PushEntry, now time.Time) (api.PushResult, error) {
	nc, ok, err := visibleNC(tx, e.NCID)
	if err != nil || !ok {
		return rejected(e, api.CodeNCNotFound, "no such NC"), err
	}
	switch {
	case nc.Stage == api.StageClosed:
		return rejected(e, api.CodeNCClosed, "the NC is closed"), nil
	case nc.Stage != api.StageCARequested && nc.Stage != api.StageCAReturned:
		return rejected(e, api.CodeNotAwaitingCA, "the NC's stage is "+nc.Stage+"; it does not take a CA now"), nil
	case nc.Revision != e.BaseRevision:
		cur := nc
		return api.PushResult{Seq: e.Seq, Status: api.PushConflict, Code: api.CodeNCChanged,
			Message: fmt.Sprintf("the NC is at revision %d, the entry started from %d", nc.Revision, e.BaseRevision), NC: &cur}, nil
	}
	if code, msg := textReason(e.Text); code != "" {
		return rejected(e, code, msg), nil
	}
	by := u.Name
	if by == "" {
		by = u.Username
	}
	writer, writerName, err := draftAuthor(tx, nc.ID, e.Text)
	if err != nil {
		return api.PushResult{}, err
	}
	if writer == "" {
		writer, writerName = u.Username, u.Name
	}
	nc.CA = &api.CA{Text: e.Text, SubmittedAt: now}
	nc.CAHistory = append(nc.CAHistory, api.CAVersion{Text: e.Text, SubmittedBy: by, SubmittedAt: now,
		WrittenBy: writer, WrittenByName: writerName})
	nc.Stage, nc.CAStatus = api.StageCASubmitted, api.StatusSubmitted
	err = tx.Write(
		store.EntityWrite{Entity: api.EntityNC, ID: nc.ID, Parent: nc.AuditID, Visible: true,
			Encode: func(rev int64) (json.RawMessage, error) {
				nc.Revision = rev
				return json.Marshal(nc)
			}},
		// The draft became the submitted CA: the organisation's computers drop it. It is
		// hidden, not deleted, so that its revision keeps counting (see pushDraft).
		hiddenDraft(tx, nc.ID),
	)
	if err != nil {
		return api.PushResult{}, err
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, NC: &nc}, nil
}

func pushMessage(tx store.Tx, u api.User, clientID string, e api.PushEntry, now time.Time) (api.PushResult, error) {
	nc, ok, err := visibleNC(tx, e.NCID)
	if err != nil || !ok {
		return rejected(e, api.CodeNCNotFound, "no such NC"), err
	}
	if code, msg := textReason(e.Text); code != "" {
		return rejected(e, code, msg), nil
	}
	m := api.Message{ID: api.MessageID(clientID, e.Seq), NCID: nc.ID, Author: u.Name, AuthorRole: api.RoleClient, Body: e.Text, SentAt: now}
	if err := tx.Write(WriteOf(api.EntityMessage, m.ID, nc.ID, m)); err != nil {
		return api.PushResult{}, err
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, MessageID: m.ID}, nil
}

// pushGeneralMessage writes a message in the organisation's general thread (no NC).
func pushGeneralMessage(tx store.Tx, u api.User, clientID string, e api.PushEntry, now time.Time) (api.PushResult, error) {
	if e.NCID != "" {
		return rejected(e, api.CodeBadEntry, "a general message names no NC"), nil
	}
	if code, msg := textReason(e.Text); code != "" {
		return rejected(e, code, msg), nil
	}
	m := api.Message{ID: api.MessageID(clientID, e.Seq), Author: u.Name, AuthorRole: api.RoleClient, Body: e.Text, SentAt: now}
	if err := tx.Write(WriteOf(api.EntityMessage, m.ID, "", m)); err != nil {
		return api.PushResult{}, err
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, MessageID: m.ID}, nil
}

// draftAuthor returns who last wrote the NC's shared draft when its text is text (a
// colleague's draft sent as it is), or nothing.
func draftAuthor(tx store.Tx, ncID, text string) (string, string, error) {
	rec, err := tx.Entity(api.EntityCADraft, ncID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !rec.Visible) {
		return "", "", nil
	}
	if err != nil {
		return "", "", err
	}
	var d api.CADraft
	if err := json.Unmarshal(rec.Data, &d); err != nil {
		return "", "", fmt.Errorf("decode draft %s: %w", ncID, err)
	}
	if d.Text != text {
		return "", "", nil
	}
	return d.UpdatedBy, d.UpdatedByName, nil
}

// hiddenDraft hides an NC's shared draft, keeping (and bumping) its revision.
func hiddenDraft(tx store.Tx, ncID string) store.EntityWrite {
	rec, err := tx.Entity(api.EntityCADraft, ncID)
	if err != nil {
		return store.EntityWrite{Entity: api.EntityCADraft, ID: ncID, Delete: true} // none: a no-op
	}
	return store.EntityWrite{Entity: api.EntityCADraft, ID: ncID, Parent: ncID, Visible: false,
		Encode: func(int64) (json.RawMessage, error) { return rec.Data, nil }}
}
