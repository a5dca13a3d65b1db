package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// StageEntered is the stage of an NC the auditor entered and the analyst has not yet
// confirmed. Such NCs are stored but never shown to clients (not in api: clients never
// see it).
const StageEntered = "entered"

// The helpers below are the server-side writes of entities. Each writes the entity and
// its change-log row in one transaction. The analyst workflow builds on them; tests of
// other packages use them to make changes appear. All are idempotent upserts by ID.

// UpsertOrganisation creates or updates an organisation and its master data.
func (s *Server) UpsertOrganisation(ctx context.Context, o api.Organisation) error {
	if o.ID == "" {
		return errors.New("upsert organisation: empty id")
	}
	if err := s.store.CreateOrg(ctx, o.ID, o.Name); err != nil {
		return err
	}
	if err := s.put(ctx, o.ID, write(api.EntityOrganisation, o.ID, "", o)); err != nil {
		return err
	}
	// Its clients learn the evidence limits with everything else.
	return s.refreshOrgLimits(ctx, o.ID)
}

// UpsertCertification sets the organisation's certification data.
func (s *Server) UpsertCertification(ctx context.Context, orgID string, c api.Certification) error {
	return s.put(ctx, orgID, write(api.EntityCertification, c.ID, "", c))
}

// UpsertContact creates or updates a contact of the organisation.
func (s *Server) UpsertContact(ctx context.Context, orgID string, c api.Contact) error {
	return s.put(ctx, orgID, write(api.EntityContact, c.ID, "", c))
}

// UpsertCertificate creates or updates a certificate; its file must be stored first
// (PutFile).
func (s *Server) UpsertCertificate(ctx context.Context, orgID string, c api.Certificate) error {
	w := write(api.EntityCertificate, c.ID, "", c)
	if c.File != nil {
		w.Files = []api.FileRef{*c.File}
	}
	return s.put(ctx, orgID, w)
}

// UpsertDocument creates or updates a document; its file must be stored first.
func (s *Server) UpsertDocument(ctx context.Context, orgID string, d api.Document) error {
	w := write(api.EntityDocument, d.ID, "", d)
	w.Files = []api.FileRef{d.File}
	return s.put(ctx, orgID, w)
}

// UpsertAudit creates or updates an audit.
func (s *Server) UpsertAudit(ctx context.Context, orgID string, a api.Audit) error {
	return s.put(ctx, orgID, write(api.EntityAudit, a.ID, "", a))
}

// UpsertNC creates or updates an NC. The server sets nc.Revision (previous + 1); the
// value passed in is ignored. An NC in StageEntered is stored but kept from clients.
func (s *Server) UpsertNC(ctx context.Context, orgID string, nc api.NC) error {
	return s.put(ctx, orgID, ncWrite(nc))
}

// AddMessage adds (or replaces, by ID) a message of an NC's Communication thread.
// An empty ID gets a random one; a zero SentAt gets the server's clock.
func (s *Server) AddMessage(ctx context.Context, orgID string, m api.Message) error {
	if m.ID == "" {
		m.ID = "MSG-" + randomHex(8)
	}
	if m.SentAt.IsZero() {
		m.SentAt = s.now().UTC()
	}
	return s.put(ctx, orgID, write(api.EntityMessage, m.ID, m.NCID, m))
}

// AddEvidence adds (or replaces, by ID) an evidence record of an NC; its file must be
// stored first (PutFile). It is not an upload of the organisation: the file counts
// neither in its quota nor in /blobs/missing.
func (s *Server) AddEvidence(ctx context.Context, orgID string, e api.Evidence) error {
	if e.ID == "" {
		e.ID = "PM-" + randomHex(8)
	}
	if e.AddedAt.IsZero() {
		e.AddedAt = s.now().UTC()
	}
	w := write(api.EntityEvidence, e.ID, e.NCID, e)
	w.Files = []api.FileRef{e.File}
	return s.put(ctx, orgID, w)
}

// UpsertCriterion creates or updates a line of the organisation's checklist.
func (s *Server) UpsertCriterion(ctx context.Context, orgID string, c api.Criterion) error {
	return s.put(ctx, orgID, write(api.EntityCriterion, c.ID, "", c))
}

// Delete removes an entity; clients that have it receive a tombstone.
func (s *Server) Delete(ctx context.Context, orgID, entity, id string) error {
	return s.put(ctx, orgID, EntityWrite{Entity: entity, ID: id, Delete: true})
}

// PutFile stores file bytes and returns their reference. Storing the same bytes twice
// is harmless.
func (s *Server) PutFile(ctx context.Context, name, mediaType string, data []byte) (api.FileRef, error) {
	sum, n, err := s.blobs.Put(ctx, bytes.NewReader(data))
	if err != nil {
		return api.FileRef{}, err
	}
	return api.FileRef{SHA256: sum, Name: name, Size: n, MediaType: mediaType}, nil
}

func (s *Server) put(ctx context.Context, orgID string, ws ...EntityWrite) error {
	for _, w := range ws {
		if w.ID == "" || orgID == "" {
			return fmt.Errorf("write %s: empty id", w.Entity)
		}
	}
	return s.store.Write(ctx, orgID, ws)
}

// write builds a visible upsert of v.
func write(entity, id, parent string, v any) EntityWrite {
	return EntityWrite{Entity: entity, ID: id, Parent: parent, Visible: true,
		Encode: func(int64) (json.RawMessage, error) { return json.Marshal(v) }}
}

func ncWrite(nc api.NC) EntityWrite {
	return EntityWrite{Entity: api.EntityNC, ID: nc.ID, Parent: nc.AuditID, Visible: nc.Stage != StageEntered,
		Encode: func(rev int64) (json.RawMessage, error) {
			nc.Revision = rev
			return json.Marshal(nc)
		}}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
