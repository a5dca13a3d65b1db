package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// MaxPushBodyBytes caps the body of POST /push: api.MaxPushEntries entries of
// api.MaxTextBytes each, with room for JSON escaping. A package variable so that
// tests may shrink it.
var MaxPushBodyBytes int64 = 8 << 20

var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// pushRequest is api.PushRequest with its entries kept raw, so each entry's bytes can
// be checked for invalid UTF-8, which encoding/json would silently replace.
type pushRequest struct {
	ClientID string            `json:"client_id"`
	Entries  []json.RawMessage `json:"entries"`
}

// handlePush applies a client's outbox entries in order, each in its own transaction
// with the client's last sequence and the entry's result (see api.PushRequest). A
// failure between entries leaves the committed ones committed; the client's retry gets
// their stored results back.
func (s *Server) handlePush(w http.ResponseWriter, r *http.Request) {
	var req pushRequest
	if err := decodeJSONLimit(w, r, &req, MaxPushBodyBytes); err != nil {
		s.writeError(w, r, err)
		return
	}
	if !clientIDPattern.MatchString(req.ClientID) {
		s.writeError(w, r, badRequest("client_id must be 16 to 64 characters of A-Z, a-z, 0-9, _ and -"))
		return
	}
	if len(req.Entries) > api.MaxPushEntries {
		s.writeError(w, r, badRequest(fmt.Sprintf("at most %d entries per push", api.MaxPushEntries)))
		return
	}
	entries := make([]api.PushEntry, len(req.Entries))
	wellFormed := make([]bool, len(req.Entries))
	for i, raw := range req.Entries {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&entries[i]); err != nil {
			s.writeError(w, r, badRequest(fmt.Sprintf("entry %d: %v", i, err)))
			return
		}
		if entries[i].Seq < 1 || i > 0 && entries[i].Seq <= entries[i-1].Seq {
			s.writeError(w, r, badRequest("seq must be positive and strictly increasing within a request"))
			return
		}
		// Like a bad seq, a negative number is a client's bug that no retry mends; an
		// entry ignoring the field (evidence.add and base_revision) would apply anyway.
		if e := entries[i]; e.BaseRevision < 0 || e.File != nil && e.File.Size < 0 {
			s.writeError(w, r, badRequest("base_revision and file.size cannot be negative"))
			return
		}
		wellFormed[i] = validJSONText(raw)
	}
	u := callerOf(r).user
	resp := api.PushResponse{Results: make([]api.PushResult, 0, len(entries))}
	for i, e := range entries {
		res, err := s.pushEntry(r, u, req.ClientID, e, wellFormed[i])
		if err != nil {
			s.writeError(w, r, fmt.Errorf("push entry %d: %w", e.Seq, err))
			return
		}
		resp.Results = append(resp.Results, res)
	}
	writeJSON(w, r, http.StatusOK, resp)
}

// pushEntry applies one entry, or returns the stored result of a replayed one.
func (s *Server) pushEntry(r *http.Request, u api.User, clientID string, e api.PushEntry, wellFormed bool) (api.PushResult, error) {
	var res api.PushResult
	err := s.store.Update(r.Context(), u.OrgID, func(tx Tx) error {
		last, err := tx.LastPushSeq(clientID)
		if err != nil {
			return err
		}
		if e.Seq <= last {
			stored, err := tx.PushResult(clientID, e.Seq)
			if errors.Is(err, ErrNotFound) {
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
		now := s.now().UTC()
		var detail string
		switch {
		case !wellFormed:
			res = rejected(e, api.CodeBadEntry, "the entry contains invalid UTF-8")
		case e.Kind == api.KindCADraft:
			res, err = s.pushDraft(tx, u, e, now)
		case e.Kind == api.KindCASubmit:
			res, err = s.pushSubmit(tx, u, e, now)
			detail = e.Text
		case e.Kind == api.KindMessage:
			res, err = s.pushMessage(tx, u, clientID, e, now)
			detail = e.Text
		case e.Kind == api.KindEvidenceAdd:
			res, err = s.pushEvidenceAdd(tx, e, now)
		case e.Kind == api.KindEvidenceSubject:
			res, err = s.pushEvidenceSubject(tx, e)
		case e.Kind == api.KindEvidenceRemove:
			res, err = s.pushEvidenceRemove(tx, e)
		case e.Kind == api.KindEvidenceSubmit:
			res, err = s.pushEvidenceSubmit(tx, u, e, now)
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
		return tx.AddEvent(Event{NCID: truncate(e.NCID, 64), At: now, Username: u.Username, Name: u.Name, Role: u.Role,
			Action: action, Detail: detail})
	})
	return res, err
}

func rejected(e api.PushEntry, code, msg string) api.PushResult {
	return api.PushResult{Seq: e.Seq, Status: api.PushRejected, Code: code, Message: msg}
}

// visibleNC reads an NC the client may see; ok is false when there is none.
func visibleNC(tx Tx, id string) (nc api.NC, ok bool, err error) {
	if id == "" {
		return nc, false, nil
	}
	rec, err := tx.Entity(api.EntityNC, id)
	if errors.Is(err, ErrNotFound) || err == nil && !rec.Visible {
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

func (s *Server) pushDraft(tx Tx, u api.User, e api.PushEntry, now time.Time) (api.PushResult, error) {
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
	case !errors.Is(err, ErrNotFound):
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
	d := &api.CADraft{NCID: nc.ID, Text: e.Text, UpdatedBy: u.Username, UpdatedAt: now}
	err = tx.Write(EntityWrite{Entity: api.EntityCADraft, ID: nc.ID, Parent: nc.ID, Visible: true,
		Encode: func(rev int64) (json.RawMessage, error) {
			d.Revision = rev
			return json.Marshal(d)
		}})
	if err != nil {
		return api.PushResult{}, err
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, Draft: d}, nil
}

func (s *Server) pushSubmit(tx Tx, u api.User, e api.PushEntry, now time.Time) (api.PushResult, error) {
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
	nc.CA = &api.CA{Text: e.Text, SubmittedAt: now}
	nc.CAHistory = append(nc.CAHistory, api.CAVersion{Text: e.Text, SubmittedBy: by, SubmittedAt: now})
	nc.Stage, nc.CAStatus = api.StageCASubmitted, api.StatusSubmitted
	err = tx.Write(
		EntityWrite{Entity: api.EntityNC, ID: nc.ID, Parent: nc.AuditID, Visible: true,
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

func (s *Server) pushMessage(tx Tx, u api.User, clientID string, e api.PushEntry, now time.Time) (api.PushResult, error) {
	nc, ok, err := visibleNC(tx, e.NCID)
	if err != nil || !ok {
		return rejected(e, api.CodeNCNotFound, "no such NC"), err
	}
	if code, msg := textReason(e.Text); code != "" {
		return rejected(e, code, msg), nil
	}
	m := api.Message{ID: api.MessageID(clientID, e.Seq), NCID: nc.ID, Author: u.Name, AuthorRole: api.RoleClient, Body: e.Text, SentAt: now}
	if err := tx.Write(write(api.EntityMessage, m.ID, nc.ID, m)); err != nil {
		return api.PushResult{}, err
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, MessageID: m.ID}, nil
}

// validJSONText reports whether the strings of a JSON value are valid UTF-8: no
// invalid bytes and no unpaired surrogate escapes (\ud800 alone), both of which
// encoding/json would silently turn into U+FFFD.
func validJSONText(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // skip the escaped character, e.g. \\ or \"
			continue
		}
		r, ok := hex4(raw, i+2)
		if !ok {
			return false
		}
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return false // a low surrogate without its high one
		case r >= 0xD800 && r <= 0xDBFF:
			if i+11 >= len(raw) || raw[i+6] != '\\' || raw[i+7] != 'u' {
				return false
			}
			lo, ok := hex4(raw, i+8)
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return false
			}
			i += 11
		default:
			i += 5
		}
	}
	return true
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// hiddenDraft hides an NC's shared draft, keeping (and bumping) its revision.
func hiddenDraft(tx Tx, ncID string) EntityWrite {
	rec, err := tx.Entity(api.EntityCADraft, ncID)
	if err != nil {
		return EntityWrite{Entity: api.EntityCADraft, ID: ncID, Delete: true} // none: a no-op
	}
	return EntityWrite{Entity: api.EntityCADraft, ID: ncID, Parent: ncID, Visible: false,
		Encode: func(int64) (json.RawMessage, error) { return rec.Data, nil }}
}
