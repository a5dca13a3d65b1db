package workflow

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// The evidence kinds of push entries (api.KindEvidence*). Like the other kinds, each
// runs inside pushEntry's transaction, which stores its result for replays.

// maxEvidenceIDBytes caps a client-chosen evidence id.
const maxEvidenceIDBytes = 128

// EvidenceWrite is the write of an evidence record, registering its file for the
// organisation (GET /files serves it). Every rewrite must go through it: a write
// replaces the entity's file references.
func EvidenceWrite(ev api.Evidence) store.EntityWrite {
	w := WriteOf(api.EntityEvidence, ev.ID, ev.NCID, ev)
	w.Files = []api.FileRef{ev.File}
	return w
}

// awaitingEvidence refuses an entry on an NC that takes no evidence now.
func awaitingEvidence(e api.PushEntry, nc api.NC) (api.PushResult, bool) {
	switch nc.Stage {
	case api.StageEvidenceRequested, api.StageEvidenceReturned:
		return api.PushResult{}, true
	case api.StageClosed:
		return rejected(e, api.CodeNCClosed, "the NC is closed"), false
	}
	return rejected(e, api.CodeNotAwaitingEvidence, "the NC's stage is "+nc.Stage+"; it takes no evidence now"), false
}

func validEvidenceID(id string) bool {
	if id == "" || len(id) > maxEvidenceIDBytes {
		return false
	}
	for _, r := range id {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '/' || r == '\\' {
			return false
		}
	}
	return true
}

func pushEvidenceAdd(tx store.Tx, u api.User, limits api.Limits, e api.PushEntry, now time.Time) (api.PushResult, error) {
	if !validEvidenceID(e.EvidenceID) {
		return rejected(e, api.CodeBadEntry, "evidence_id is required: at most 128 characters, no spaces or slashes"), nil
	}
	if e.File == nil || !api.ValidSHA256(e.File.SHA256) {
		return rejected(e, api.CodeBadEntry, "file is required, with its SHA-256 in 64 lower-case hex digits"), nil
	}
	name := SanitizeFileName(e.File.Name)
	if name == "" {
		return rejected(e, api.CodeBadEntry, "file.name is required"), nil
	}
	nc, ok, err := visibleNC(tx, e.NCID)
	if err != nil || !ok {
		return rejected(e, api.CodeNCNotFound, "no such NC"), err
	}
	if res, ok := awaitingEvidence(e, nc); !ok {
		return res, nil
	}
	if len(e.Text) > api.MaxTextBytes {
		return rejected(e, api.CodeTextTooLong, fmt.Sprintf("the subject is longer than %d bytes", api.MaxTextBytes)), nil
	}
	// The id is the client's: the same one again is the same attachment (a re-push
	// after a lost answer under a new seq), never a second file.
	if cur, found, err := evidenceOf(tx, e.EvidenceID); err != nil {
		return api.PushResult{}, err
	} else if found {
		if cur.NCID != nc.ID || cur.File.SHA256 != e.File.SHA256 {
			return rejected(e, api.CodeBadEntry, "evidence_id "+e.EvidenceID+" names another attachment already"), nil
		}
		return api.PushResult{Seq: e.Seq, Status: api.PushApplied, Evidence: &cur}, nil
	}
	blob, err := tx.OrgBlob(e.File.SHA256)
	if errors.Is(err, store.ErrNotFound) {
		return rejected(e, api.CodeBlobMissing, "the server has no upload of this file from the organisation: upload it, then push a new entry"), nil
	}
	if err != nil {
		return api.PushResult{}, err
	}
	if code, msg := FileRefused(limits, name, blob.Size); code != "" {
		return rejected(e, code, msg), nil
	}
	ev := api.Evidence{ID: e.EvidenceID, NCID: nc.ID, Type: api.EvidenceType, Date: today(now), Subject: e.Text,
		File:    api.FileRef{SHA256: blob.SHA256, Name: name, Size: blob.Size, MediaType: CleanMediaType(e.File.MediaType, name)},
		AddedAt: now, AddedBy: u.Username, AddedByName: u.Name}
	if err := tx.Write(EvidenceWrite(ev)); err != nil {
		return api.PushResult{}, err
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, Evidence: &ev}, nil
}

// evidenceOf reads an evidence record by id.
func evidenceOf(tx store.Tx, id string) (api.Evidence, bool, error) {
	var ev api.Evidence
	rec, err := tx.Entity(api.EntityEvidence, id)
	if errors.Is(err, store.ErrNotFound) {
		return ev, false, nil
	}
	if err != nil {
		return ev, false, err
	}
	if err := json.Unmarshal(rec.Data, &ev); err != nil {
		return ev, false, fmt.Errorf("decode evidence %s: %w", id, err)
	}
	return ev, true, nil
}

// changeableEvidence finds the evidence record of an NC that an entry changes; a
// refusal comes back as a result with ok false.
func changeableEvidence(tx store.Tx, e api.PushEntry) (ev api.Evidence, res api.PushResult, ok bool, err error) {
	nc, visible, err := visibleNC(tx, e.NCID)
	if err != nil || !visible {
		return ev, rejected(e, api.CodeNCNotFound, "no such NC"), false, err
	}
	ev, found, err := evidenceOf(tx, e.EvidenceID)
	switch {
	case err != nil:
		return ev, res, false, err
	case !found || ev.NCID != nc.ID:
		return ev, rejected(e, api.CodeEvidenceNotFound, "no such evidence file on this NC"), false, nil
	case ev.Submitted:
		return ev, rejected(e, api.CodeEvidenceSubmitted, "the evidence file was sent to FLOCERT; it can no longer change"), false, nil
	case nc.Stage == api.StageClosed:
		return ev, rejected(e, api.CodeNCClosed, "the NC is closed"), false, nil
	}
	return ev, res, true, nil
}

func pushEvidenceSubject(tx store.Tx, e api.PushEntry) (api.PushResult, error) {
	ev, res, ok, err := changeableEvidence(tx, e)
	if err != nil || !ok {
		return res, err
	}
	if len(e.Text) > api.MaxTextBytes {
		return rejected(e, api.CodeTextTooLong, fmt.Sprintf("the subject is longer than %d bytes", api.MaxTextBytes)), nil
	}
	ev.Subject = e.Text
	if err := tx.Write(EvidenceWrite(ev)); err != nil {
		return api.PushResult{}, err
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, Evidence: &ev}, nil
}

func pushEvidenceRemove(tx store.Tx, e api.PushEntry) (api.PushResult, error) {
	ev, res, ok, err := changeableEvidence(tx, e)
	if err != nil || !ok {
		return res, err
	}
	// The bytes stay: the organisation uploaded them (its quota counts them) and may
	// attach them again without uploading.
	if err := tx.Write(store.EntityWrite{Entity: api.EntityEvidence, ID: ev.ID, Delete: true}); err != nil {
		return api.PushResult{}, err
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied}, nil
}

func pushEvidenceSubmit(tx store.Tx, u api.User, e api.PushEntry, now time.Time) (api.PushResult, error) {
	nc, ok, err := visibleNC(tx, e.NCID)
	if err != nil || !ok {
		return rejected(e, api.CodeNCNotFound, "no such NC"), err
	}
	if res, ok := awaitingEvidence(e, nc); !ok {
		return res, nil
	}
	if nc.Revision != e.BaseRevision {
		cur := nc
		return api.PushResult{Seq: e.Seq, Status: api.PushConflict, Code: api.CodeNCChanged,
			Message: fmt.Sprintf("the NC is at revision %d, the entry started from %d", nc.Revision, e.BaseRevision), NC: &cur}, nil
	}
	recs, err := tx.Children(api.EntityEvidence, nc.ID)
	if err != nil {
		return api.PushResult{}, err
	}
	var ws []store.EntityWrite
	var ids []string
	for _, rec := range recs {
		var ev api.Evidence
		if err := json.Unmarshal(rec.Data, &ev); err != nil {
			return api.PushResult{}, fmt.Errorf("decode evidence: %w", err)
		}
		if ev.Submitted {
			continue
		}
		ev.Submitted = true
		ws = append(ws, EvidenceWrite(ev))
		ids = append(ids, ev.ID)
	}
	if len(ids) == 0 {
		return rejected(e, api.CodeNoEvidence, "the NC has no evidence file that was not sent yet"), nil
	}
	by := u.Name
	if by == "" {
		by = u.Username
	}
	nc.EvidenceHistory = append(nc.EvidenceHistory, api.EvidenceVersion{Files: ids, SubmittedBy: by, SubmittedAt: now})
	nc.Stage, nc.EvidenceStatus = api.StageEvidenceSubmitted, api.StatusSubmitted
	w := NCWrite(nc)
	w.Encode = func(rev int64) (json.RawMessage, error) {
		nc.Revision = rev
		return json.Marshal(nc)
	}
	if err := tx.Write(append(ws, w)...); err != nil {
		return api.PushResult{}, err
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, NC: &nc}, nil
}

// evidenceDetail is the audit trail's line of a push entry on evidence: names and
// subjects, never a file's content.
func evidenceDetail(e api.PushEntry, res api.PushResult) string {
	switch {
	case res.Evidence != nil && (e.Kind == api.KindEvidenceAdd || e.Kind == api.KindEvidenceLink):
		return fmt.Sprintf("%s: %s (%d bytes, sha256 %s) %s", res.Evidence.ID, res.Evidence.File.Name,
			res.Evidence.File.Size, res.Evidence.File.SHA256[:12], res.Evidence.Subject)
	case e.Kind == api.KindEvidenceSubject:
		return e.EvidenceID + ": " + e.Text
	case e.Kind == api.KindEvidenceRemove:
		return e.EvidenceID
	case res.NC != nil && len(res.NC.EvidenceHistory) > 0:
		return "files " + strings.Join(res.NC.EvidenceHistory[len(res.NC.EvidenceHistory)-1].Files, ", ")
	}
	return ""
}
