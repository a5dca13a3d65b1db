package workflow

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// The helpers below are the server-side writes of entities. Each writes the entity and
// its change-log row in one transaction. The analyst workflow builds on them; tests of
// other packages use them to make changes appear. All are idempotent upserts by ID.

// UpsertOrganisation creates or updates an organisation and its master data.
func (wf *Workflow) UpsertOrganisation(ctx context.Context, o api.Organisation) error {
	if o.ID == "" {
		return errors.New("upsert organisation: empty id")
	}
	if err := wf.store.CreateOrg(ctx, o.ID, o.Name); err != nil {
		return err
	}
	if err := wf.put(ctx, o.ID, WriteOf(api.EntityOrganisation, o.ID, "", o)); err != nil {
		return err
	}
	// Its clients learn the evidence limits with everything else.
	return wf.refreshOrgLimits(ctx, o.ID)
}

// UpsertCertification sets the organisation's certification data.
func (wf *Workflow) UpsertCertification(ctx context.Context, orgID string, c api.Certification) error {
	return wf.put(ctx, orgID, WriteOf(api.EntityCertification, c.ID, "", c))
}

// UpsertContact creates or updates a contact of the organisation.
func (wf *Workflow) UpsertContact(ctx context.Context, orgID string, c api.Contact) error {
	return wf.put(ctx, orgID, WriteOf(api.EntityContact, c.ID, "", c))
}

// UpsertCertificate creates or updates a certificate; its file must be stored first
// (PutFile).
func (wf *Workflow) UpsertCertificate(ctx context.Context, orgID string, c api.Certificate) error {
	w := WriteOf(api.EntityCertificate, c.ID, "", c)
	if c.File != nil {
		w.Files = []api.FileRef{*c.File}
	}
	return wf.put(ctx, orgID, w)
}

// UpsertDocument creates or updates a document; its file must be stored first.
func (wf *Workflow) UpsertDocument(ctx context.Context, orgID string, d api.Document) error {
	w := WriteOf(api.EntityDocument, d.ID, "", d)
	w.Files = []api.FileRef{d.File}
	return wf.put(ctx, orgID, w)
}

// UpsertAudit creates or updates an audit.
func (wf *Workflow) UpsertAudit(ctx context.Context, orgID string, a api.Audit) error {
	return wf.put(ctx, orgID, WriteOf(api.EntityAudit, a.ID, "", a))
}

// UpsertNC creates or updates an NC. The server sets nc.Revision (previous + 1); the
// value passed in is ignored. An NC in StageEntered is stored but kept from clients.
func (wf *Workflow) UpsertNC(ctx context.Context, orgID string, nc api.NC) error {
	return wf.put(ctx, orgID, NCWrite(nc))
}

// AddMessage adds (or replaces, by ID) a message of an NC's Communication thread.
// An empty ID gets a random one; a zero SentAt gets the server's clock.
func (wf *Workflow) AddMessage(ctx context.Context, orgID string, m api.Message) error {
	if m.ID == "" {
		m.ID = "MSG-" + auth.RandomHex(8)
	}
	if m.SentAt.IsZero() {
		m.SentAt = wf.now().UTC()
	}
	return wf.put(ctx, orgID, WriteOf(api.EntityMessage, m.ID, m.NCID, m))
}

// AddEvidence adds (or replaces, by ID) an evidence record of an NC; its file must be
// stored first (PutFile). It is not an upload of the organisation: the file counts
// neither in its quota nor in /blobs/missing.
func (wf *Workflow) AddEvidence(ctx context.Context, orgID string, e api.Evidence) error {
	if e.ID == "" {
		e.ID = "PM-" + auth.RandomHex(8)
	}
	if e.AddedAt.IsZero() {
		e.AddedAt = wf.now().UTC()
	}
	w := WriteOf(api.EntityEvidence, e.ID, e.NCID, e)
	w.Files = []api.FileRef{e.File}
	return wf.put(ctx, orgID, w)
}

// UpsertCriterion creates or updates a line of the organisation's checklist.
func (wf *Workflow) UpsertCriterion(ctx context.Context, orgID string, c api.Criterion) error {
	return wf.put(ctx, orgID, WriteOf(api.EntityCriterion, c.ID, "", c))
}

// Delete removes an entity; clients that have it receive a tombstone.
func (wf *Workflow) Delete(ctx context.Context, orgID, entity, id string) error {
	return wf.put(ctx, orgID, store.EntityWrite{Entity: entity, ID: id, Delete: true})
}

// PutFile stores file bytes and returns their reference. Storing the same bytes twice
// is harmless.
func (wf *Workflow) PutFile(ctx context.Context, name, mediaType string, data []byte) (api.FileRef, error) {
	sum, n, err := wf.blobs.Put(ctx, bytes.NewReader(data))
	if err != nil {
		return api.FileRef{}, err
	}
	return api.FileRef{SHA256: sum, Name: name, Size: n, MediaType: mediaType}, nil
}

func (wf *Workflow) put(ctx context.Context, orgID string, ws ...store.EntityWrite) error {
	for _, w := range ws {
		if w.ID == "" || orgID == "" {
			return fmt.Errorf("write %s: empty id", w.Entity)
		}
	}
	return wf.store.Write(ctx, orgID, ws)
}
