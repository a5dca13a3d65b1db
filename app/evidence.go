package app

import (
	"context"
	"errors"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// evidenceRows joins an NC's evidence from the server with the files attached here.
func (b *base) evidenceRows(ctx context.Context, ncID string) ([]EvidenceRow, error) {
	server, err := b.store.Portal.Evidence(ctx, ncID)
	if err != nil {
		return nil, err
	}
	local, err := b.store.Evidence.Local(ctx, ncID)
	if err != nil {
		return nil, err
	}
	byID := map[string]store.LocalEvidence{}
	for _, l := range local {
		byID[l.ID] = l
	}
	out := make([]EvidenceRow, 0, len(server)+len(local))
	for _, e := range server {
		row := EvidenceRow{Evidence: e, State: serverEvidenceState(e)}
		if l, ok := byID[e.ID]; ok {
			row.State, row.Code, row.OriginalSize, row.Local = l.State, l.Code, l.OriginalSize, true
			delete(byID, e.ID)
		}
		_, row.Cached, err = b.store.Files.Path(ctx, e.File.SHA256)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		row.Image = isImage(e.File.MediaType)
		out = append(out, row)
	}
	me, name, err := b.me(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range local {
		if _, ok := byID[l.ID]; !ok {
			continue
		}
		// Attached here, its bytes are here; linked from the library, maybe not yet.
		_, cached, err := b.store.Files.Path(ctx, l.File.SHA256)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		out = append(out, EvidenceRow{
			// Not on the server yet: attached by the person logged in here.
			Evidence: api.Evidence{ID: l.ID, NCID: l.NCID, Type: api.EvidenceType, Subject: l.Subject, File: l.File,
				Date: api.Date(b.today().Format("2006-01-02")), AddedBy: me, AddedByName: name},
			Local: true, State: l.State, Code: l.Code, OriginalSize: l.OriginalSize, Cached: cached,
			Image: isImage(l.File.MediaType),
		})
	}
	return out, nil
}

// serverEvidenceState is the state of a file known only from the server.
func serverEvidenceState(e api.Evidence) string {
	if e.Submitted {
		return "submitted"
	}
	return store.EvidenceAttached
}

func isImage(mediaType string) bool {
	return mediaType == "image/jpeg" || mediaType == "image/png" || mediaType == "image/gif" || mediaType == "image/webp"
}
