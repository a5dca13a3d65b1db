package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// GenerateOptions sizes a generated organisation. Zero fields take the defaults noted.
type GenerateOptions struct {
	Org      string // FLO ID; default "90001"
	Name     string // default "Grande Coopérative de Test"
	Username string // client login; default "large" (password = username unless Password set)
	Password string
	// PasswordHash, when set, is the user's stored hash (auth.HashPassword of its
	// password) instead of one made here: a load fixture's thousands of users share one,
	// as each argon2id hash costs tens of milliseconds. Password is then unused.
	PasswordHash string
	Audits       int // default 50
	NCs          int // spread over the audits
	Messages     int // spread over the NCs
	Evidence     int // spread over the NCs; their files share a few distinct blobs
}

// Distinct evidence files of a generated organisation: evidence records cycle over them,
// since benchmarks measure metadata sync, not blob storage.
const generatedBlobs = 16

// GenerateLarge creates a large organisation and its client user, for benchmarks. All
// entities are written in one transaction, so 5,000 NCs with 20,000 messages take
// seconds. It fails if the user already exists.
func GenerateLarge(ctx context.Context, s Server, o GenerateOptions) error {
	if o.Org == "" {
		o.Org = "90001"
	}
	if o.Name == "" {
		o.Name = "Grande Coopérative de Test"
	}
	if o.Username == "" {
		o.Username = "large"
	}
	if o.Password == "" {
		o.Password = o.Username
	}
	if o.Audits <= 0 {
		o.Audits = 50
	}
	if o.NCs < 0 || o.Messages < 0 || o.Evidence < 0 {
		return errors.New("generate: negative count")
	}
	if (o.Messages > 0 || o.Evidence > 0) && o.NCs == 0 {
		return errors.New("generate: messages and evidence need NCs")
	}
	org := api.Organisation{ID: o.Org, Name: o.Name, LegalName: o.Name, Type: "Producteur - SPO - premier degré",
		Address: "Avenue des Tests 1", City: "Testville", PostalCode: "0000", Country: "Pérou", Products: []string{"Café", "Cacao"}}
	if err := s.Workflow.UpsertOrganisation(ctx, org); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	if o.PasswordHash != "" {
		if err := s.Store.CreateUser(ctx, store.UserRecord{Username: o.Username, Name: "Utilisateur de test", Role: api.RoleClient, OrgID: o.Org,
			PasswordHash: o.PasswordHash, OrgRole: api.OrgRoleManager}); err != nil {
			return fmt.Errorf("generate: create user %q: %w", o.Username, err)
		}
		s.Auth.OrgChanged(ctx, o.Org) // as auth's CreateUser does: the members reach the replicas
	} else if err := s.Auth.CreateUser(ctx, auth.NewUser{Username: o.Username, Password: o.Password, Name: "Utilisateur de test", Role: api.RoleClient, OrgID: o.Org}); err != nil {
		return fmt.Errorf("generate: %w", err)
	}

	var files []api.FileRef
	for i := range min(o.Evidence, generatedBlobs) {
		ref, err := s.Workflow.PutFile(ctx, fmt.Sprintf("preuve-%02d.txt", i), "text/plain; charset=utf-8",
			[]byte(fmt.Sprintf("Preuve matérielle générée n° %d pour l'organisation %s.\n", i, o.Org)))
		if err != nil {
			return fmt.Errorf("generate: %w", err)
		}
		files = append(files, ref)
	}

	base := time.Date(2019, 1, 1, 8, 0, 0, 0, time.UTC)
	day := func(i int) api.Date { return api.Date(base.AddDate(0, 0, i%700).Format("2006-01-02")) }
	ws := make([]store.EntityWrite, 0, o.Audits+o.NCs+o.Messages+o.Evidence)
	for i := range o.Audits {
		ws = append(ws, workflow.WriteOf(api.EntityAudit, auditID(o.Org, i), "", api.Audit{ID: auditID(o.Org, i), Date: day(i * 13),
			ServiceType: "Producteur - SPO - premier degré", Type: "surveillance", Status: "in_evaluation", Auditor: "Paul Mbarga"}))
	}
	stages := []string{api.StageCARequested, api.StageCASubmitted, api.StageCAReturned, api.StageEvidenceRequested, api.StageClosed}
	for i := range o.NCs {
		stage := stages[i%len(stages)]
		nc := api.NC{ID: ncID(o.Org, i), AuditID: auditID(o.Org, i%o.Audits), CriterionNumber: fmt.Sprintf("%d.%d.0.%02d", i%4+1, i%6+1, i%30+1),
			CriterionText: "Critère de conformité généré pour les tests de charge; le texte a une longueur réaliste pour mesurer les octets transférés.",
			CriterionType: []string{"core", "major", "development", "voluntary"}[i%4], Finding: fmt.Sprintf("Constat n° %d de l'auditeur.", i),
			ReceivedDate: day(i), DueDate: day(i + 90), Stage: stage, CAStatus: api.StatusRequested}
		if stage != api.StageCARequested {
			nc.CA = &api.CA{Text: fmt.Sprintf("Mesure corrective n° %d.", i), SubmittedAt: base.Add(time.Duration(i) * time.Hour)}
			nc.CAStatus = api.StatusSubmitted
		}
		ws = append(ws, workflow.NCWrite(nc))
	}
	for i := range o.Messages {
		m := api.Message{ID: fmt.Sprintf("MSG-%s-%06d", o.Org, i), NCID: ncID(o.Org, i%o.NCs), Author: analystName, AuthorRole: api.RoleAnalyst,
			Body: fmt.Sprintf("Message n° %d : merci de compléter votre réponse.", i), SentAt: base.Add(time.Duration(i) * time.Minute)}
		ws = append(ws, workflow.WriteOf(api.EntityMessage, m.ID, m.NCID, m))
	}
	for i := range o.Evidence {
		e := api.Evidence{ID: fmt.Sprintf("PM-%s-%06d", o.Org, i), NCID: ncID(o.Org, i%o.NCs), Type: "evidence", Date: day(i),
			File: files[i%len(files)], AddedAt: base.Add(time.Duration(i) * time.Minute)}
		ws = append(ws, workflow.EvidenceWrite(e))
	}
	if err := s.Store.Write(ctx, o.Org, ws); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	return nil
}

func auditID(org string, i int) string { return fmt.Sprintf("AO-%s%04d", org, i) }
func ncID(org string, i int) string    { return fmt.Sprintf("NC-%s%05d-2019", org, i) }
