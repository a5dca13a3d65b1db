package app

import (
	"context"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Outbox holds what the user sends: messages, and what waits or was refused.
type Outbox struct {
	*base
	sync *Sync
}

// Message queues a message to the analyst in an NC's thread.
func (o *Outbox) Message(ncID, text string) error {
	return o.fail(o.message(o.ctx, ncID, text))
}

// GeneralMessage queues a message to FLOCERT about no NC (the organisation's general
// thread); like every message it is kept here at once and sent with the next sync.
func (o *Outbox) GeneralMessage(text string) error {
	return o.fail(o.generalMessage(o.ctx, text))
}

// List returns what waits to be sent and what was refused.
func (o *Outbox) List() ([]OutboxItem, error) {
	l, err := o.list(o.ctx)
	return l, o.fail(err)
}

// Dismiss removes a refused entry the user has read.
func (o *Outbox) Dismiss(seq int64) error {
	return o.fail(o.store.Work.Dismiss(o.ctx, seq))
}

// message queues a message to the analyst in an NC's thread and asks for a sync.
func (o *Outbox) message(ctx context.Context, ncID, text string) error {
	if err := checkText(text); err != nil {
		return err
	}
	if _, err := o.store.Portal.NC(ctx, ncID); err != nil {
		return err
	}
	if _, err := o.store.Work.QueueMessage(ctx, ncID, text, o.stamp()); err != nil {
		return storeErr(err)
	}
	o.sync.kick()
	return nil
}

func (o *Outbox) generalMessage(ctx context.Context, text string) error {
	if err := checkText(text); err != nil {
		return err
	}
	if _, err := o.store.Work.QueueGeneralMessage(ctx, text, o.stamp()); err != nil {
		return storeErr(err)
	}
	o.sync.kick()
	return nil
}

// list lists what waits to be sent and what the server refused.
func (o *Outbox) list(ctx context.Context) ([]OutboxItem, error) {
	entries, err := o.store.Work.Outbox(ctx)
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

// pendingMessages lists an NC's messages written here and not on the server yet (the
// general thread's when ncID is empty).
func (b *base) pendingMessages(ctx context.Context, ncID string) ([]PendingMessage, error) {
	entries, err := b.store.Work.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	me, name, err := b.me(ctx)
	if err != nil {
		return nil, err
	}
	out := []PendingMessage{}
	for _, e := range entries {
		if e.NCID == ncID && (e.Kind == api.KindMessage || e.Kind == api.KindMessageGeneral) {
			out = append(out, PendingMessage{Seq: e.Seq, Text: e.Text, CreatedAt: e.CreatedAt,
				Rejected: e.State == store.OutboxRejected, Code: e.Code, Author: me, AuthorName: name})
		}
	}
	return out, nil
}
