package app

import (
	"context"
	"errors"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/team"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// CA writes and sends corrective measures: drafts kept here at every pause in typing,
// saved as the organisation's draft, marked ready, and sent with the ready evidence.
type CA struct {
	*base
	sync *Sync
}

// Autosave keeps the text on this computer (call it at every pause in typing).
func (c *CA) Autosave(ncID, text string) (*LocalCA, error) {
	v, err := c.autosave(c.ctx, ncID, text)
	return v, c.fail(err)
}

// SaveDraft saves the text as a draft ("Sauvegarder comme brouillon").
func (c *CA) SaveDraft(ncID, text string) (*LocalCA, error) {
	v, err := c.saveDraft(c.ctx, ncID, text)
	return v, c.fail(err)
}

// SetReady marks the CA ready to send ("Prête à envoyer"), or unmarks it.
func (c *CA) SetReady(ncID, text string, ready bool) (*LocalCA, error) {
	v, err := c.setReady(c.ctx, ncID, text, ready)
	return v, c.fail(err)
}

// Resolve keeps the text the user chose between two computers' drafts.
func (c *CA) Resolve(ncID, text string) (*LocalCA, error) {
	v, err := c.resolve(c.ctx, ncID, text)
	return v, c.fail(err)
}

// SendPreview says what Send would send and leave behind.
func (c *CA) SendPreview() (SendPreview, error) {
	p, err := c.sendPreview(c.ctx)
	return p, c.fail(err)
}

// Send sends every CA marked ready ("Envoyer").
func (c *CA) Send() (SendResult, error) {
	r, err := c.send(c.ctx)
	return r, c.fail(err)
}

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
func (b *base) editableNC(ctx context.Context, ncID string, text string) (*api.NC, error) {
	if err := checkText(text); err != nil {
		return nil, err
	}
	nc, err := b.store.Portal.NC(ctx, ncID)
	if err != nil {
		return nil, err
	}
	if !awaitingCA(nc) {
		return nil, &CodeError{Code: api.CodeNotEditable}
	}
	return nc, nil
}

// localView turns the store's local CA into what the editor shows.
func (b *base) localView(ctx context.Context, c *store.LocalCA) (*LocalCA, error) {
	if c == nil {
		return nil, nil
	}
	v := &LocalCA{NCID: c.NCID, Text: c.Text, Ready: c.Ready, Queued: c.Queued, Notice: c.Notice,
		OtherText: c.OtherText, OtherBy: c.OtherBy, UpdatedAt: c.UpdatedAt, Draft: DraftLocal}
	entries, err := b.store.Work.Outbox(ctx)
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
	if v.WrittenBy, v.WrittenByName, err = b.me(ctx); err != nil {
		return nil, err
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

// autosave keeps the text on this computer at once (every pause in typing calls it).
func (c *CA) autosave(ctx context.Context, ncID, text string) (*LocalCA, error) {
	if _, err := c.editableNC(ctx, ncID, text); err != nil {
		return nil, err
	}
	l, err := c.store.Work.Autosave(ctx, ncID, text, c.stamp())
	if err != nil {
		return nil, storeErr(err)
	}
	return c.localView(ctx, l)
}

// saveDraft saves the text as the organisation's draft: at once here, on the server
// with the next sync.
func (c *CA) saveDraft(ctx context.Context, ncID, text string) (*LocalCA, error) {
	if _, err := c.editableNC(ctx, ncID, text); err != nil {
		return nil, err
	}
	l, err := c.store.Work.SaveDraft(ctx, ncID, text, c.stamp())
	if err != nil {
		return nil, storeErr(err)
	}
	c.sync.kick()
	return c.localView(ctx, l)
}

// setReady marks the CA ready to send (✓), or takes the mark off.
func (c *CA) setReady(ctx context.Context, ncID, text string, ready bool) (*LocalCA, error) {
	nc, err := c.editableNC(ctx, ncID, text)
	if err != nil {
		return nil, err
	}
	l, err := c.store.Work.SetReady(ctx, ncID, text, ready, nc.Revision, c.stamp())
	if err != nil {
		return nil, storeErr(err)
	}
	c.sync.kick()
	return c.localView(ctx, l)
}

// resolve ends a conflict between two computers' drafts with the text the user chose.
func (c *CA) resolve(ctx context.Context, ncID, text string) (*LocalCA, error) {
	if _, err := c.editableNC(ctx, ncID, text); err != nil {
		return nil, err
	}
	l, err := c.store.Work.Resolve(ctx, ncID, text, c.stamp())
	if err != nil {
		return nil, storeErr(err)
	}
	c.sync.kick()
	return c.localView(ctx, l)
}

// sendPreview lists what Send would send, and the awaited CAs it would leave behind.
func (c *CA) sendPreview(ctx context.Context) (SendPreview, error) {
	p := SendPreview{Ready: []string{}, NotReady: []string{}}
	locals, err := c.store.Work.LocalCAs(ctx)
	if err != nil {
		return p, err
	}
	// Ids only: on a large organisation thousands of NCs await a CA, and what is sent
	// must not wait for the decoding of them all.
	awaited, err := c.store.Portal.NCIDs(ctx, stagesOf[FilterCA]...)
	if err != nil {
		return p, err
	}
	for _, id := range awaited {
		if l, ok := locals[id]; ok && l.Ready && !l.Queued {
			p.Ready = append(p.Ready, id)
		} else if !ok || !l.Queued {
			p.NotReady = append(p.NotReady, id)
		}
	}
	p.NoFiles = []string{}
	evReady, err := c.store.Evidence.Readiness(ctx)
	if err != nil {
		return p, err
	}
	awaitedEv, err := c.store.Portal.NCIDs(ctx, stagesOf[FilterEvidence]...)
	if err != nil {
		return p, err
	}
	for _, id := range awaitedEv {
		r := evReady[id]
		switch {
		case r.Send:
		case !r.Ready:
			p.NotReady = append(p.NotReady, id)
		default:
			p.Ready = append(p.Ready, id)
			rows, err := c.evidenceRows(ctx, id)
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
				p.NoFiles = append(p.NoFiles, id)
			}
		}
	}
	return p, nil
}

// send queues every CA marked ready (the portal's Envoyer) and starts a sync: they go
// now when online, else as soon as the connection returns. CAs not marked ready stay.
func (c *CA) send(ctx context.Context) (SendResult, error) {
	if u, ok := c.sync.session.user(ctx); ok && !team.RoleOf(u).CanSend() {
		return SendResult{}, &CodeError{Code: api.CodeForbiddenRole} // the manager sends
	}
	p, err := c.sendPreview(ctx)
	if err != nil {
		return SendResult{}, err
	}
	queued, err := c.store.Work.QueueReady(ctx, c.stamp())
	if err != nil {
		return SendResult{}, err
	}
	// Evidence marked ready without a file is not sent (the server would refuse
	// it): it stays ready, and the confirmation listed it (SendPreview.NoFiles).
	evidence, err := c.store.Evidence.SendReady(ctx, c.now(), p.NoFiles)
	if err != nil {
		return SendResult{}, err
	}
	queued = append(queued, evidence...)
	c.sync.kick()
	if queued == nil {
		queued = []string{}
	}
	return SendResult{Queued: queued, NotReady: p.NotReady, Online: c.sync.status(ctx).Online}, nil
}
