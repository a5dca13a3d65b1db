package servertest

import (
	"context"
	"io"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// The server's parts, reached from the test server in one step: the workflow's steps
// and writes, users, uploads and the demo data. Each call goes to the server running
// now (Restart replaces it).

// SeedDemo writes the demo data (demo.Seed); it reports whether it did.
func (s *Server) SeedDemo(ctx context.Context) (bool, error) { return demo.Seed(ctx, s.demo()) }

// GenerateLarge creates a large organisation (demo.GenerateLarge).
func (s *Server) GenerateLarge(ctx context.Context, o demo.GenerateOptions) error {
	return demo.GenerateLarge(ctx, s.demo(), o)
}

// DemoToday is the day the test servers' demo story is told from (demo.Server.Today):
// fixed, so that tests know every date and days-left count of the demo data. A test
// of the app that counts days sets its own today to this day.
var DemoToday = time.Date(2019, 5, 20, 0, 0, 0, 0, time.UTC)

func (s *Server) demo() demo.Server {
	return demo.Server{Workflow: s.Workflow(), Auth: s.Auth(), Store: s.store, Today: DemoToday}
}

// CreateUser creates a user (auth.Service.CreateUser).
func (s *Server) CreateUser(ctx context.Context, u auth.NewUser) error {
	return s.Auth().CreateUser(ctx, u)
}

// SetPassword sets a user's password and ends the user's sessions
// (auth.Service.SetPassword), as an operator's reset does.
func (s *Server) SetPassword(ctx context.Context, username, password string) error {
	return s.Auth().SetPassword(ctx, username, password, "", "")
}

// OrgIDForUser returns a client user's organisation (auth.Service.OrgIDForUser).
func (s *Server) OrgIDForUser(ctx context.Context, username string) (string, error) {
	return s.Auth().OrgIDForUser(ctx, username)
}

// ExpireUploads expires unfinished uploads now (uploads.Uploads.Expire).
func (s *Server) ExpireUploads(ctx context.Context) (int, error) { return s.Uploads().Expire(ctx) }

// The workflow (package workflow): reads.

func (s *Server) Limits(ctx context.Context, orgID string) (api.Limits, error) {
	return s.Workflow().Limits(ctx, orgID)
}

func (s *Server) State(ctx context.Context, orgID string) (api.State, error) {
	return s.Workflow().State(ctx, orgID)
}

func (s *Server) NCs(ctx context.Context, orgID string) ([]api.NC, error) {
	return s.Workflow().NCs(ctx, orgID)
}

func (s *Server) Events(ctx context.Context, orgID, ncID string) ([]store.Event, error) {
	return s.Workflow().Events(ctx, orgID, ncID)
}

// The workflow: steps of auditors and analysts.

func (s *Server) EnterNC(ctx context.Context, auditor, orgID string, nc api.NC) error {
	return s.Workflow().EnterNC(ctx, auditor, orgID, nc)
}

func (s *Server) ImportClosingReport(ctx context.Context, auditor, orgID, auditID string, r io.Reader, format string) (int, error) {
	return s.Workflow().ImportClosingReport(ctx, auditor, orgID, auditID, r, format)
}

func (s *Server) ConfirmNC(ctx context.Context, analyst, orgID, ncID string, due api.Date) error {
	return s.Workflow().ConfirmNC(ctx, analyst, orgID, ncID, due)
}

func (s *Server) AcceptCA(ctx context.Context, analyst, orgID, ncID string, requestEvidence bool, comment string, evidenceDue api.Date) error {
	return s.Workflow().AcceptCA(ctx, analyst, orgID, ncID, requestEvidence, comment, evidenceDue)
}

func (s *Server) ReturnCA(ctx context.Context, analyst, orgID, ncID, comment string, due api.Date) error {
	return s.Workflow().ReturnCA(ctx, analyst, orgID, ncID, comment, due)
}

func (s *Server) RequestEvidence(ctx context.Context, analyst, orgID, ncID string, due api.Date) error {
	return s.Workflow().RequestEvidence(ctx, analyst, orgID, ncID, due)
}

func (s *Server) CloseNC(ctx context.Context, analyst, orgID, ncID, comment string) error {
	return s.Workflow().CloseNC(ctx, analyst, orgID, ncID, comment)
}

func (s *Server) AnalystMessage(ctx context.Context, analyst, orgID, ncID, body string) (api.Message, error) {
	return s.Workflow().AnalystMessage(ctx, analyst, orgID, ncID, body)
}

func (s *Server) AcceptEvidence(ctx context.Context, analyst, orgID, ncID, comment string) error {
	return s.Workflow().AcceptEvidence(ctx, analyst, orgID, ncID, comment)
}

func (s *Server) ReturnEvidence(ctx context.Context, analyst, orgID, ncID, comment string, due api.Date) error {
	return s.Workflow().ReturnEvidence(ctx, analyst, orgID, ncID, comment, due)
}

func (s *Server) FinaliseCertification(ctx context.Context, analyst, orgID, auditID string) (api.Certificate, error) {
	return s.Workflow().FinaliseCertification(ctx, analyst, orgID, auditID)
}

// The workflow: the server's own writes of entities.

func (s *Server) UpsertOrganisation(ctx context.Context, o api.Organisation) error {
	return s.Workflow().UpsertOrganisation(ctx, o)
}

func (s *Server) UpsertCertification(ctx context.Context, orgID string, c api.Certification) error {
	return s.Workflow().UpsertCertification(ctx, orgID, c)
}

func (s *Server) UpsertContact(ctx context.Context, orgID string, c api.Contact) error {
	return s.Workflow().UpsertContact(ctx, orgID, c)
}

func (s *Server) UpsertCertificate(ctx context.Context, orgID string, c api.Certificate) error {
	return s.Workflow().UpsertCertificate(ctx, orgID, c)
}

func (s *Server) UpsertDocument(ctx context.Context, orgID string, d api.Document) error {
	return s.Workflow().UpsertDocument(ctx, orgID, d)
}

func (s *Server) UpsertAudit(ctx context.Context, orgID string, a api.Audit) error {
	return s.Workflow().UpsertAudit(ctx, orgID, a)
}

func (s *Server) UpsertNC(ctx context.Context, orgID string, nc api.NC) error {
	return s.Workflow().UpsertNC(ctx, orgID, nc)
}

func (s *Server) AddMessage(ctx context.Context, orgID string, m api.Message) error {
	return s.Workflow().AddMessage(ctx, orgID, m)
}

func (s *Server) AddEvidence(ctx context.Context, orgID string, e api.Evidence) error {
	return s.Workflow().AddEvidence(ctx, orgID, e)
}

func (s *Server) UpsertCriterion(ctx context.Context, orgID string, c api.Criterion) error {
	return s.Workflow().UpsertCriterion(ctx, orgID, c)
}

func (s *Server) Delete(ctx context.Context, orgID, entity, id string) error {
	return s.Workflow().Delete(ctx, orgID, entity, id)
}

func (s *Server) PutFile(ctx context.Context, name, mediaType string, data []byte) (api.FileRef, error) {
	return s.Workflow().PutFile(ctx, name, mediaType, data)
}
