package app

import (
	"context"

	"github.com/ecert-desktop/ecert-desktop/app/salvage"
	"github.com/ecert-desktop/ecert-desktop/app/store"
)

// A replica that fails its integrity check is moved aside, never deleted, and a new one
// is built from the server. What the user wrote and had not sent is read out of the
// damaged file as far as it can be read: corrective measures come back as local drafts
// (to be confirmed again), and everything unsent is exported to a file beside it
// (app/salvage).

// Recovery tells what happened to a damaged replica; the UI shows it once.
type Recovery struct {
	Folder   string `json:"folder"`    // where the damaged replica and the export are
	Export   string `json:"export"`    // the exported unsent work (JSON), "" when nothing could be read
	Restored int    `json:"restored"`  // corrective measures restored as local drafts
	Unsent   int    `json:"unsent"`    // outbox entries found (exported, not resent)
	LoggedIn bool   `json:"logged_in"` // the login could be carried over
}

// restore puts what was salvaged into the new replica: the login (so that the rebuild
// from the server starts at once) and the corrective measures, as local drafts the user
// confirms again. Messages and attachments are only exported: resending them from a new
// replica could not be told apart from their first sending.
func (ss *Session) restore(ctx context.Context, s *salvage.Salvage) {
	rec := &Recovery{Folder: s.Folder, Export: s.Export, Unsent: len(s.Outbox)}
	if len(s.Session) > 0 && s.Server != "" {
		if err := ss.store.SetMeta(ctx, store.MetaServer, s.Server, store.MetaSession, string(s.Session), metaVault, s.Vault); err == nil {
			rec.LoggedIn = true
		}
	}
	stamp := ss.stamp()
	for _, ca := range s.CAs {
		id, _ := ca["nc_id"].(string)
		text, _ := ca["text"].(string)
		if id == "" || text == "" {
			continue
		}
		if _, err := ss.store.Work.Autosave(ctx, id, text, stamp); err == nil {
			rec.Restored++
		}
	}
	ss.mu.Lock()
	ss.recovery = rec
	ss.mu.Unlock()
	ss.log.Warn("the replica was damaged: moved aside and rebuilt", "folder", rec.Folder,
		"restored", rec.Restored, "unsent", rec.Unsent)
}
