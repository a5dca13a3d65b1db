package workflow

import (
	"errors"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// pushEvidenceLink attaches a file the organisation already has (an upload, or a file
// one of its visible items refers to: evidence, a document, a certificate) to an NC,
// with no upload: only the reference moves. A hash the organisation does not have is
// refused file_unknown, with the same words whether another organisation has it or
// nobody does, so the answer tells nothing about other organisations' files.
func pushEvidenceLink(tx store.Tx, limits api.Limits, e api.PushEntry, now time.Time) (api.PushResult, error) {
	if !validEvidenceID(e.EvidenceID) {
		return rejected(e, api.CodeBadEntry, "evidence_id is required: at most 128 characters, no spaces or slashes"), nil
	}
	if e.File == nil || !api.ValidSHA256(e.File.SHA256) {
		return rejected(e, api.CodeBadEntry, "file is required, with its SHA-256 in 64 lower-case hex digits"), nil
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
	// The same id again is the same link (a re-push under a new seq after a lost answer).
	if cur, found, err := evidenceOf(tx, e.EvidenceID); err != nil {
		return api.PushResult{}, err
	} else if found {
		if cur.NCID != nc.ID || cur.File.SHA256 != e.File.SHA256 {
			return rejected(e, api.CodeBadEntry, "evidence_id "+e.EvidenceID+" names another attachment already"), nil
		}
		return api.PushResult{Seq: e.Seq, Status: api.PushApplied, Evidence: &cur}, nil
	}
	have, err := tx.FileRef(e.File.SHA256)
	if errors.Is(err, store.ErrNotFound) {
		return rejected(e, api.CodeFileUnknown, "the organisation has no file with this SHA-256"), nil
	}
	if err != nil {
		return api.PushResult{}, err
	}
	// The client may name the file as the user sees it; else the organisation's name.
	name := SanitizeFileName(e.File.Name)
	if name == "" {
		name = SanitizeFileName(have.Name)
	}
	if name == "" {
		name = e.File.SHA256[:12]
	}
	if code, msg := FileRefused(limits, name, have.Size); code != "" {
		return rejected(e, code, msg), nil
	}
	ev := api.Evidence{ID: e.EvidenceID, NCID: nc.ID, Type: api.EvidenceType, Date: today(now), Subject: e.Text,
		File:    api.FileRef{SHA256: have.SHA256, Name: name, Size: have.Size, MediaType: CleanMediaType(have.MediaType, name)},
		AddedAt: now}
	if err := tx.Write(EvidenceWrite(ev)); err != nil {
		return api.PushResult{}, err
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, Evidence: &ev}, nil
}
