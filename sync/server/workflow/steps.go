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
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Decisions recorded in api.CAVersion.Decision.
const (
	DecisionAccepted = "accepted"
	DecisionReturned = "returned"
)

// actor looks up the user acting and checks its role.
func (wf *Workflow) actor(ctx context.Context, username string, roles ...api.Role) (store.UserRecord, error) {
	u, err := wf.store.User(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return u, problem.Errorf(ErrRole, "no user %q", username)
	}
	if err != nil {
		return u, err
	}
	for _, r := range roles {
		if u.Role == r {
			return u, nil
		}
	}
	return u, problem.Errorf(ErrRole, "user %q is %s; this needs a user of role %s", username, u.Role, roles[0])
}

// changeNC runs one workflow step on an NC in one transaction: fn changes the NC
// (and may add writes), the NC is written with a new revision, and the step is
// recorded in the audit trail. fn's returned detail goes into the event.
func (wf *Workflow) changeNC(ctx context.Context, u store.UserRecord, orgID, ncID, action string,
	fn func(nc *api.NC, now time.Time) (detail string, extra []store.EntityWrite, err error)) error {
	return wf.changeNCTx(ctx, u, orgID, ncID, action, func(_ store.Tx, nc *api.NC, now time.Time) (string, []store.EntityWrite, error) {
		return fn(nc, now)
	})
}

// changeNCTx is changeNC for steps that also read other entities in the transaction.
func (wf *Workflow) changeNCTx(ctx context.Context, u store.UserRecord, orgID, ncID, action string,
	fn func(tx store.Tx, nc *api.NC, now time.Time) (detail string, extra []store.EntityWrite, err error)) error {
	return wf.store.Update(ctx, orgID, func(tx store.Tx) error {
		rec, err := tx.Entity(api.EntityNC, ncID)
		if err != nil {
			return err
		}
		var nc api.NC
		if err := json.Unmarshal(rec.Data, &nc); err != nil {
			return fmt.Errorf("decode NC %s: %w", ncID, err)
		}
		now := wf.now().UTC()
		detail, extra, err := fn(tx, &nc, now)
		if err != nil {
			return err
		}
		if err := tx.Write(append([]store.EntityWrite{NCWrite(nc)}, extra...)...); err != nil {
			return err
		}
		return tx.AddEvent(store.Event{NCID: ncID, At: now, Username: u.Username, Name: u.Name, Role: u.Role, Action: action, Detail: detail})
	})
}

func checkDate(d api.Date, what string, required bool) error {
	if d == "" {
		if required {
			return problem.Errorf(ErrInvalid, "%s is required", what)
		}
		return nil
	}
	if _, err := time.Parse(time.DateOnly, string(d)); err != nil {
		return problem.Errorf(ErrInvalid, "%s %q is not a date (YYYY-MM-DD)", what, d)
	}
	return nil
}

// checkText validates a comment or message body.
func checkText(text, what string, required bool) error {
	switch {
	case !utf8.ValidString(text):
		return problem.Errorf(ErrInvalid, "%s is not valid UTF-8", what)
	case len(text) > api.MaxTextBytes:
		return problem.Errorf(ErrInvalid, "%s is longer than %d bytes", what, api.MaxTextBytes)
	case required && strings.TrimSpace(text) == "":
		if what == "comment" {
			return problem.Errorf(ErrCommentRequired, "a comment is required")
		}
		return problem.Errorf(ErrInvalid, "%s is empty", what)
	}
	return nil
}

// ConfirmNC confirms an NC the auditor entered and requests a CA due on due: the NC
// becomes visible to the client (ca_requested), received today.
func (wf *Workflow) ConfirmNC(ctx context.Context, analyst, orgID, ncID string, due api.Date) error {
	u, err := wf.actor(ctx, analyst, api.RoleAnalyst)
	if err != nil {
		return err
	}
	if err := checkDate(due, "due date", true); err != nil {
		return err
	}
	return wf.changeNC(ctx, u, orgID, ncID, "confirm NC and request CA", func(nc *api.NC, now time.Time) (string, []store.EntityWrite, error) {
		if nc.Stage != StageEntered {
			return "", nil, wrongStage(*nc, "confirm", StageEntered)
		}
		nc.Stage, nc.CAStatus, nc.ReceivedDate, nc.DueDate = api.StageCARequested, api.StatusRequested, today(now), due
		return "due " + string(due), nil, nil
	})
}

// AcceptCA accepts the submitted CA. With requestEvidence the NC then awaits
// evidence by evidenceDue (the evidence step's own deadline; empty leaves it unset,
// and it is refused without requestEvidence), otherwise it is closed. The decision is
// recorded on the last submitted version.
func (wf *Workflow) AcceptCA(ctx context.Context, analyst, orgID, ncID string, requestEvidence bool, comment string, evidenceDue api.Date) error {
	u, err := wf.actor(ctx, analyst, api.RoleAnalyst)
	if err != nil {
		return err
	}
	if err := checkText(comment, "comment", false); err != nil {
		return err
	}
	if err := checkDate(evidenceDue, "evidence due date", false); err != nil {
		return err
	}
	if evidenceDue != "" && !requestEvidence {
		return problem.Errorf(ErrInvalid, "an evidence due date needs evidence to be requested").Saying("evidence_due_alone")
	}
	action := "accept CA and close NC"
	if requestEvidence {
		action = "accept CA and request evidence"
	}
	return wf.changeNC(ctx, u, orgID, ncID, action, func(nc *api.NC, now time.Time) (string, []store.EntityWrite, error) {
		if nc.Stage != api.StageCASubmitted {
			return "", nil, wrongStage(*nc, "accept the CA of", api.StageCASubmitted)
		}
		decide(nc, DecisionAccepted, comment, now)
		nc.CAStatus = api.StatusAccepted
		if requestEvidence {
			nc.Stage, nc.EvidenceStatus, nc.EvidenceDueDate = api.StageEvidenceRequested, api.StatusRequested, evidenceDue
		} else {
			nc.Stage = api.StageClosed
		}
		detail := comment
		if evidenceDue != "" {
			detail = strings.TrimSpace("evidence due " + string(evidenceDue) + "; " + comment)
		}
		return detail, nil, nil
	})
}

// checkReturn checks what every "return" of the analyst needs: the analyst, a comment
// (required: the client must learn why) and an optional new due date.
func (wf *Workflow) checkReturn(ctx context.Context, analyst, comment string, due api.Date) (store.UserRecord, error) {
	u, err := wf.actor(ctx, analyst, api.RoleAnalyst)
	if err != nil {
		return u, err
	}
	if err := checkText(comment, "comment", true); err != nil {
		return u, err
	}
	return u, checkDate(due, "due date", false)
}

// ReturnCA returns the submitted CA to the client with a (required) comment; a
// non-empty due sets a new due date.
func (wf *Workflow) ReturnCA(ctx context.Context, analyst, orgID, ncID, comment string, due api.Date) error {
	u, err := wf.checkReturn(ctx, analyst, comment, due)
	if err != nil {
		return err
	}
	return wf.changeNC(ctx, u, orgID, ncID, "return CA", func(nc *api.NC, now time.Time) (string, []store.EntityWrite, error) {
		if nc.Stage != api.StageCASubmitted {
			return "", nil, wrongStage(*nc, "return the CA of", api.StageCASubmitted)
		}
		decide(nc, DecisionReturned, comment, now)
		nc.Stage, nc.CAStatus = api.StageCAReturned, api.StatusReturned
		if due != "" {
			nc.DueDate = due
		}
		return comment, nil, nil
	})
}

// decide records the analyst's decision on the current CA and its last version.
func decide(nc *api.NC, decision, comment string, now time.Time) {
	if nc.CA == nil {
		nc.CA = &api.CA{}
	}
	nc.CA.AnalystComment, nc.CA.DecidedAt = comment, now
	if len(nc.CAHistory) == 0 {
		// A CA submitted before versions were kept (or set by the server): record it.
		nc.CAHistory = append(nc.CAHistory, api.CAVersion{Text: nc.CA.Text, SubmittedAt: nc.CA.SubmittedAt})
	}
	last := &nc.CAHistory[len(nc.CAHistory)-1]
	last.Decision, last.Comment, last.DecidedAt = decision, comment, now
}

// RequestEvidence asks (again) for evidence of an NC whose CA was accepted: from
// evidence_submitted or evidence_returned, or to reopen a closed NC. A non-empty due
// sets the evidence due date (the CA's stays as it was).
func (wf *Workflow) RequestEvidence(ctx context.Context, analyst, orgID, ncID string, due api.Date) error {
	u, err := wf.actor(ctx, analyst, api.RoleAnalyst)
	if err != nil {
		return err
	}
	if err := checkDate(due, "due date", false); err != nil {
		return err
	}
	return wf.changeNC(ctx, u, orgID, ncID, "request evidence", func(nc *api.NC, now time.Time) (string, []store.EntityWrite, error) {
		switch {
		case nc.Stage == api.StageEvidenceSubmitted, nc.Stage == api.StageEvidenceReturned:
		case nc.Stage == api.StageClosed && nc.CAStatus == api.StatusAccepted:
		default:
			return "", nil, wrongStage(*nc, "request evidence for", api.StageEvidenceSubmitted, api.StageEvidenceReturned, "closed with an accepted CA")
		}
		nc.Stage, nc.EvidenceStatus = api.StageEvidenceRequested, api.StatusRequested
		detail := ""
		if due != "" {
			nc.EvidenceDueDate, detail = due, "evidence due "+string(due)
		}
		return detail, nil, nil
	})
}

// CloseNC closes an NC. Submitted evidence counts as accepted. A non-empty comment is
// also written to the NC's Communication thread, so the client reads why.
func (wf *Workflow) CloseNC(ctx context.Context, analyst, orgID, ncID, comment string) error {
	u, err := wf.actor(ctx, analyst, api.RoleAnalyst)
	if err != nil {
		return err
	}
	if err := checkText(comment, "comment", false); err != nil {
		return err
	}
	return wf.changeNC(ctx, u, orgID, ncID, "close NC", func(nc *api.NC, now time.Time) (string, []store.EntityWrite, error) {
		switch nc.Stage {
		case StageEntered, api.StageClosed, api.StageCASubmitted:
			return "", nil, wrongStage(*nc, "close", "confirmed, not closed, and without a CA awaiting evaluation")
		}
		if nc.EvidenceStatus == api.StatusSubmitted {
			nc.EvidenceStatus = api.StatusAccepted
		}
		nc.Stage = api.StageClosed
		var extra []store.EntityWrite
		if strings.TrimSpace(comment) != "" {
			m := api.Message{ID: "MSG-" + auth.RandomHex(8), NCID: nc.ID, Author: u.Name, AuthorRole: u.Role, Body: comment, SentAt: now}
			extra = append(extra, WriteOf(api.EntityMessage, m.ID, m.NCID, m))
		}
		return comment, extra, nil
	})
}

// AnalystMessage writes a message of the analyst in a confirmed NC's Communication
// thread and returns it.
func (wf *Workflow) AnalystMessage(ctx context.Context, analyst, orgID, ncID, body string) (api.Message, error) {
	u, err := wf.actor(ctx, analyst, api.RoleAnalyst)
	if err != nil {
		return api.Message{}, err
	}
	if err := checkText(body, "message", true); err != nil {
		return api.Message{}, err
	}
	var m api.Message
	err = wf.store.Update(ctx, orgID, func(tx store.Tx) error {
		rec, err := tx.Entity(api.EntityNC, ncID)
		if err != nil {
			return err
		}
		if !rec.Visible {
			return problem.Errorf(ErrWrongStage, "NC %s is not confirmed yet: the client cannot read messages on it", ncID)
		}
		now := wf.now().UTC()
		m = api.Message{ID: "MSG-" + auth.RandomHex(8), NCID: ncID, Author: u.Name, AuthorRole: u.Role, Body: body, SentAt: now}
		if err := tx.Write(WriteOf(api.EntityMessage, m.ID, ncID, m)); err != nil {
			return err
		}
		return tx.AddEvent(store.Event{NCID: ncID, At: now, Username: u.Username, Name: u.Name, Role: u.Role, Action: "message", Detail: body})
	})
	return m, err
}

// AnalystGeneralMessage writes the analyst's message in the organisation's general
// thread (messages about no NC), which the client pulls like any message.
func (wf *Workflow) AnalystGeneralMessage(ctx context.Context, analyst, orgID, body string) (api.Message, error) {
	u, err := wf.actor(ctx, analyst, api.RoleAnalyst)
	if err != nil {
		return api.Message{}, err
	}
	if err := checkText(body, "message", true); err != nil {
		return api.Message{}, err
	}
	var m api.Message
	err = wf.store.Update(ctx, orgID, func(tx store.Tx) error {
		now := wf.now().UTC()
		m = api.Message{ID: "MSG-" + auth.RandomHex(8), Author: u.Name, AuthorRole: u.Role, Body: body, SentAt: now}
		if err := tx.Write(WriteOf(api.EntityMessage, m.ID, "", m)); err != nil {
			return err
		}
		return tx.AddEvent(store.Event{At: now, Username: u.Username, Name: u.Name, Role: u.Role, Action: "message", Detail: body})
	})
	return m, err
}

// EnterNC records an NC found at an audit (stage entered): stored, invisible to the
// client until the analyst confirms it. An empty nc.ID gets a new NC number. The
// workflow fields of nc (stage, statuses, dates, CA) are ignored.
func (wf *Workflow) EnterNC(ctx context.Context, auditor, orgID string, nc api.NC) error {
	u, err := wf.actor(ctx, auditor, api.RoleAuditor)
	if err != nil {
		return err
	}
	if err := checkNewNC(nc); err != nil {
		return err
	}
	return wf.store.Update(ctx, orgID, func(tx store.Tx) error {
		return wf.enter(tx, u, nc, "enter NC")
	})
}

// enter writes one new NC in a transaction.
func (wf *Workflow) enter(tx store.Tx, u store.UserRecord, nc api.NC, action string) error {
	if _, err := tx.Entity(api.EntityAudit, nc.AuditID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return problem.Errorf(ErrInvalid, "no audit %s in this organisation", nc.AuditID).Saying("no_audit", nc.AuditID)
		}
		return err
	}
	now := wf.now().UTC()
	if nc.ID == "" {
		for {
			nc.ID = fmt.Sprintf("NC-%06d-%d", randomInt(1000000), now.Year())
			if _, err := tx.Entity(api.EntityNC, nc.ID); errors.Is(err, store.ErrNotFound) {
				break
			} else if err != nil {
				return err
			}
		}
	} else if _, err := tx.Entity(api.EntityNC, nc.ID); err == nil {
		return problem.Errorf(ErrExists, "NC %s exists already", nc.ID)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	nc = api.NC{ID: nc.ID, AuditID: nc.AuditID, CriterionNumber: nc.CriterionNumber, CriterionText: nc.CriterionText,
		CriterionType: nc.CriterionType, Finding: nc.Finding, Score: nc.Score, Stage: StageEntered}
	if err := tx.Write(NCWrite(nc)); err != nil {
		return err
	}
	return tx.AddEvent(store.Event{NCID: nc.ID, At: now, Username: u.Username, Name: u.Name, Role: u.Role, Action: action,
		Detail: nc.CriterionNumber + ": " + nc.Finding})
}

// CriterionTypes are the valid api.NC.CriterionType values.
var CriterionTypes = []string{"core", "major", "development", "voluntary", "reactive"}

func checkNewNC(nc api.NC) error {
	switch {
	case nc.AuditID == "":
		return problem.Errorf(ErrInvalid, "the audit is required").Saying("audit_required")
	case len(nc.ID) > 64 || strings.ContainsAny(nc.ID, " \t\r\n/"):
		return problem.Errorf(ErrInvalid, "NC number %q is not valid", nc.ID).Saying("nc_number", nc.ID)
	case strings.TrimSpace(nc.CriterionNumber) == "" || len(nc.CriterionNumber) > 32:
		return problem.Errorf(ErrInvalid, "the criterion number is required (at most 32 characters)").Saying("criterion_number")
	case strings.TrimSpace(nc.Finding) == "":
		return problem.Errorf(ErrInvalid, "the finding is required").Saying("finding_required")
	case nc.Score < 0 || nc.Score > 5:
		return problem.Errorf(ErrInvalid, "the score must be between 1 and 5, or 0 when not scored").Saying("score_range")
	}
	okType := false
	for _, t := range CriterionTypes {
		okType = okType || nc.CriterionType == t
	}
	if !okType {
		return problem.Errorf(ErrInvalid, "criterion type %q is not one of %s", nc.CriterionType, strings.Join(CriterionTypes, ", ")).
			Saying("criterion_type", nc.CriterionType, strings.Join(CriterionTypes, ", "))
	}
	for _, f := range []string{nc.CriterionNumber, nc.CriterionText, nc.Finding} {
		if err := checkText(f, "text", false); err != nil {
			return err
		}
	}
	return nil
}

// NCs returns every NC of an organisation, confirmed or only entered, by id.
func (wf *Workflow) NCs(ctx context.Context, orgID string) ([]api.NC, error) {
	return All[api.NC](ctx, wf.store, orgID, api.EntityNC)
}

// Events returns the audit trail of an NC, oldest first: every entry a client pushed
// for it (drafts without their text) and every analyst and auditor action. An empty
// ncID returns the organisation's whole trail.
func (wf *Workflow) Events(ctx context.Context, orgID, ncID string) ([]store.Event, error) {
	return wf.store.Events(ctx, orgID, ncID)
}
