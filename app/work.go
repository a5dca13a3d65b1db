package app

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

func (a *App) stamp() string { return a.now().UTC().Format(time.RFC3339) }

// awaitingCA reports whether the client can write a corrective measure for nc now.
func awaitingCA(nc *api.NC) bool {
	return nc.Stage == api.StageCARequested || nc.Stage == api.StageCAReturned
}

// checkText refuses texts the server would refuse, before they reach the outbox.
func checkText(text string) error {
	if len(text) > api.MaxTextBytes {
		return &CodeError{Code: api.CodeTextTooLong}
	}
	if !utf8.ValidString(text) {
		return &CodeError{Code: api.CodeInvalidInput}
	}
	return nil
}

// editableNC loads an NC whose corrective measure may be written now.
func (a *App) editableNC(ctx context.Context, ncID string, text string) (*api.NC, error) {
	if err := checkText(text); err != nil {
		return nil, err
	}
	nc, err := a.store.NC(ctx, ncID)
	if err != nil {
		return nil, err
	}
	if !awaitingCA(nc) {
		return nil, &CodeError{Code: api.CodeNotEditable}
	}
	return nc, nil
}

// localView turns the store's local CA into what the editor shows.
func (a *App) localView(ctx context.Context, c *store.LocalCA) (*LocalCA, error) {
	if c == nil {
		return nil, nil
	}
	v := &LocalCA{NCID: c.NCID, Text: c.Text, Ready: c.Ready, Queued: c.Queued, Notice: c.Notice,
		OtherText: c.OtherText, OtherBy: c.OtherBy, UpdatedAt: c.UpdatedAt, Draft: DraftLocal}
	entries, err := a.store.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.NCID == c.NCID && e.Kind == api.KindCADraft && e.State == store.OutboxPending && e.Text == c.Text {
			v.Draft = DraftQueued
		}
	}
	if v.Draft == DraftLocal && !c.Diverged() && c.DraftBase > 0 {
		v.Draft = DraftShared
	}
	return v, nil
}

func storeErr(err error) error {
	switch {
	case errors.Is(err, store.ErrQueued):
		return &CodeError{Code: api.CodeQueued}
	case errors.Is(err, store.ErrEmptyText):
		return &CodeError{Code: api.CodeEmptyText}
	}
	return err
}

// Autosave keeps the text on this computer at once (every pause in typing calls it).
func (a *App) Autosave(ctx context.Context, ncID, text string) (*LocalCA, error) {
	if _, err := a.editableNC(ctx, ncID, text); err != nil {
		return nil, err
	}
	c, err := a.store.Autosave(ctx, ncID, text, a.stamp())
	if err != nil {
		return nil, storeErr(err)
	}
	return a.localView(ctx, c)
}

// SaveDraft saves the text as the organisation's draft: at once here, on the server
// with the next sync.
func (a *App) SaveDraft(ctx context.Context, ncID, text string) (*LocalCA, error) {
	if _, err := a.editableNC(ctx, ncID, text); err != nil {
		return nil, err
	}
	c, err := a.store.SaveDraft(ctx, ncID, text, a.stamp())
	if err != nil {
		return nil, storeErr(err)
	}
	a.kick()
	return a.localView(ctx, c)
}

// SetReady marks the CA ready to send (✓), or takes the mark off.
func (a *App) SetReady(ctx context.Context, ncID, text string, ready bool) (*LocalCA, error) {
	nc, err := a.editableNC(ctx, ncID, text)
	if err != nil {
		return nil, err
	}
	c, err := a.store.SetReady(ctx, ncID, text, ready, nc.Revision, a.stamp())
	if err != nil {
		return nil, storeErr(err)
	}
	a.kick()
	return a.localView(ctx, c)
}

// Resolve ends a conflict between two computers' drafts with the text the user chose.
func (a *App) Resolve(ctx context.Context, ncID, text string) (*LocalCA, error) {
	if _, err := a.editableNC(ctx, ncID, text); err != nil {
		return nil, err
	}
	c, err := a.store.Resolve(ctx, ncID, text, a.stamp())
	if err != nil {
		return nil, storeErr(err)
	}
	a.kick()
	return a.localView(ctx, c)
}

// SendPreview lists what Send would send, and the awaited CAs it would leave behind.
func (a *App) SendPreview(ctx context.Context) (SendPreview, error) {
	p := SendPreview{Ready: []string{}, NotReady: []string{}}
	locals, err := a.store.LocalCAs(ctx)
	if err != nil {
		return p, err
	}
	awaited, err := a.store.NCs(ctx, stagesOf[FilterCA]...)
	if err != nil {
		return p, err
	}
	for _, nc := range awaited {
		if c, ok := locals[nc.ID]; ok && c.Ready && !c.Queued {
			p.Ready = append(p.Ready, nc.ID)
		} else if !ok || !c.Queued {
			p.NotReady = append(p.NotReady, nc.ID)
		}
	}
	p.NoFiles = []string{}
	evReady, err := a.store.EvidenceReadiness(ctx)
	if err != nil {
		return p, err
	}
	awaitedEv, err := a.store.NCs(ctx, stagesOf[FilterEvidence]...)
	if err != nil {
		return p, err
	}
	for _, nc := range awaitedEv {
		r := evReady[nc.ID]
		switch {
		case r.Send:
		case !r.Ready:
			p.NotReady = append(p.NotReady, nc.ID)
		default:
			p.Ready = append(p.Ready, nc.ID)
			rows, err := a.evidenceRows(ctx, nc.ID)
			if err != nil {
				return p, err
			}
			files := 0
			for _, row := range rows {
				if row.State != "submitted" && row.State != store.EvidenceRemoving && row.State != store.EvidenceRefused {
					files++
				}
				if row.State == store.EvidenceLocal {
					p.Uploading++
				}
			}
			if files == 0 {
				p.NoFiles = append(p.NoFiles, nc.ID)
			}
		}
	}
	return p, nil
}

// Send queues every CA marked ready (the portal's Envoyer) and starts a sync: they go
// now when online, else as soon as the connection returns. CAs not marked ready stay.
func (a *App) Send(ctx context.Context) (SendResult, error) {
	p, err := a.SendPreview(ctx)
	if err != nil {
		return SendResult{}, err
	}
	queued, err := a.store.QueueReady(ctx, a.stamp())
	if err != nil {
		return SendResult{}, err
	}
	// Evidence marked ready without a file is not sent (the server would refuse
	// it): it stays ready, and the confirmation listed it (SendPreview.NoFiles).
	evidence, err := a.store.SendReadyEvidence(ctx, a.now(), p.NoFiles)
	if err != nil {
		return SendResult{}, err
	}
	queued = append(queued, evidence...)
	a.kick()
	if queued == nil {
		queued = []string{}
	}
	return SendResult{Queued: queued, NotReady: p.NotReady, Online: a.SyncStatus(ctx).Online}, nil
}

// SendMessage queues a message to the analyst in an NC's thread.
func (a *App) SendMessage(ctx context.Context, ncID, text string) error {
	if err := checkText(text); err != nil {
		return err
	}
	if _, err := a.store.NC(ctx, ncID); err != nil {
		return err
	}
	if _, err := a.store.QueueMessage(ctx, ncID, text, a.stamp()); err != nil {
		return storeErr(err)
	}
	a.kick()
	return nil
}

// Outbox lists what waits to be sent and what the server refused.
func (a *App) Outbox(ctx context.Context) ([]OutboxItem, error) {
	entries, err := a.store.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]OutboxItem, 0, len(entries))
	for _, e := range entries {
		out = append(out, OutboxItem{Seq: e.Seq, Kind: e.Kind, NCID: e.NCID, Text: e.Text,
			CreatedAt: e.CreatedAt, State: e.State, Code: e.Code})
	}
	return out, nil
}

// pendingMessages lists an NC's messages written here and not on the server yet.
func (a *App) pendingMessages(ctx context.Context, ncID string) ([]PendingMessage, error) {
	entries, err := a.store.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	out := []PendingMessage{}
	for _, e := range entries {
		if e.NCID == ncID && e.Kind == api.KindMessage {
			out = append(out, PendingMessage{Seq: e.Seq, Text: e.Text, CreatedAt: e.CreatedAt,
				Rejected: e.State == store.OutboxRejected, Code: e.Code})
		}
	}
	return out, nil
}

// kick asks for a sync when a session runs; without one the change waits in the outbox.
func (a *App) kick() {
	a.mu.Lock()
	e := a.engine
	a.mu.Unlock()
	if e != nil {
		e.SyncNow()
	}
}

// announce emits the notices a sync brought, each once.
func (a *App) announce(ctx context.Context) {
	notices, err := a.store.TakeNewNotices(ctx)
	if err != nil {
		a.log.Error("read notices", "error", err)
		return
	}
	if len(notices) == 0 {
		return
	}
	out := make([]Notice, 0, len(notices))
	for _, n := range notices {
		out = append(out, Notice{NCID: n.NCID, Kind: n.Kind, Stage: n.Stage})
	}
	a.cfg.Platform.Emit(EventNotify, out)
}
