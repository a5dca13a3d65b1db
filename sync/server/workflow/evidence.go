package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/certpdf"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Step 6 of the workflow: the analyst decides on submitted evidence and, when every
// NC of an audit is closed, finalises the certification.

// AcceptEvidence accepts the evidence the client submitted and closes the NC. The
// decision is recorded on the last submission and on each file sent with it.
func (wf *Workflow) AcceptEvidence(ctx context.Context, analyst, orgID, ncID, comment string) error {
	u, err := wf.actor(ctx, analyst, api.RoleAnalyst)
	if err != nil {
		return err
	}
	if err := checkText(comment, "comment", false); err != nil {
		return err
	}
	return wf.changeNCTx(ctx, u, orgID, ncID, "accept evidence and close NC", func(tx store.Tx, nc *api.NC, now time.Time) (string, []store.EntityWrite, error) {
		if nc.Stage != api.StageEvidenceSubmitted {
			return "", nil, wrongStage(*nc, "accept the evidence of", api.StageEvidenceSubmitted)
		}
		extra, err := decideEvidence(tx, nc, DecisionAccepted, comment, now)
		nc.Stage, nc.EvidenceStatus = api.StageClosed, api.StatusAccepted
		return comment, extra, err
	})
}

// ReturnEvidence returns the submitted evidence to the client with a (required)
// comment; the client may then add files and submit again. A non-empty due sets a new
// evidence due date.
func (wf *Workflow) ReturnEvidence(ctx context.Context, analyst, orgID, ncID, comment string, due api.Date) error {
	u, err := wf.checkReturn(ctx, analyst, comment, due)
	if err != nil {
		return err
	}
	return wf.changeNCTx(ctx, u, orgID, ncID, "return evidence", func(tx store.Tx, nc *api.NC, now time.Time) (string, []store.EntityWrite, error) {
		if nc.Stage != api.StageEvidenceSubmitted {
			return "", nil, wrongStage(*nc, "return the evidence of", api.StageEvidenceSubmitted)
		}
		extra, err := decideEvidence(tx, nc, DecisionReturned, comment, now)
		nc.Stage, nc.EvidenceStatus = api.StageEvidenceReturned, api.StatusReturned
		if due != "" {
			nc.EvidenceDueDate = due
		}
		return comment, extra, err
	})
}

// decideEvidence records a decision on the NC's last evidence submission and returns
// the writes of the files sent with it.
func decideEvidence(tx store.Tx, nc *api.NC, decision, comment string, now time.Time) ([]store.EntityWrite, error) {
	if len(nc.EvidenceHistory) == 0 {
		// Evidence submitted before submissions were kept: record one with its files.
		recs, err := tx.Children(api.EntityEvidence, nc.ID)
		if err != nil {
			return nil, err
		}
		v := api.EvidenceVersion{}
		for _, r := range recs {
			var ev api.Evidence
			if json.Unmarshal(r.Data, &ev) == nil && ev.Submitted && ev.Decision == "" {
				v.Files = append(v.Files, ev.ID)
			}
		}
		nc.EvidenceHistory = append(nc.EvidenceHistory, v)
	}
	last := &nc.EvidenceHistory[len(nc.EvidenceHistory)-1]
	last.Decision, last.Comment, last.DecidedAt = decision, comment, now
	var ws []store.EntityWrite
	for _, id := range last.Files {
		ev, found, err := evidenceOf(tx, id)
		if err != nil {
			return nil, err
		}
		if !found { // removed by a server-side change: nothing to mark
			continue
		}
		ev.Decision = decision
		ws = append(ws, EvidenceWrite(ev))
	}
	return ws, nil
}

// CertificateValidity is how long a certificate issued by FinaliseCertification is valid.
const CertificateValidity = 3 // years

// FinaliseCertification ends the evaluation of an audit: when every NC of the audit
// that the client sees is closed, it issues a new certificate (a PDF), sets the
// organisation's certification (certified, a new cycle) and closes the audit, in one
// transaction through the change log, so the client receives the certificate by pull.
// Refusals: ErrOpenNCs (the message lists the open NCs), ErrWrongStage when the audit
// is closed already; a missing audit or organisation is store.ErrNotFound.
func (wf *Workflow) FinaliseCertification(ctx context.Context, analyst, orgID, auditID string) (api.Certificate, error) {
	u, err := wf.actor(ctx, analyst, api.RoleAnalyst)
	if err != nil {
		return api.Certificate{}, err
	}
	var org api.Organisation
	if rec, err := wf.store.Entity(ctx, orgID, api.EntityOrganisation, orgID); err != nil {
		return api.Certificate{}, err
	} else if err := json.Unmarshal(rec.Data, &org); err != nil {
		return api.Certificate{}, fmt.Errorf("decode organisation: %w", err)
	}
	var cert api.Certificate
	err = wf.store.Update(ctx, orgID, func(tx store.Tx) error {
		var audit api.Audit
		rec, err := tx.Entity(api.EntityAudit, auditID)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(rec.Data, &audit); err != nil {
			return fmt.Errorf("decode audit: %w", err)
		}
		if audit.Status == "closed" {
			return problem.Errorf(ErrWrongStage, "audit %s is closed: its certification was finalised already", auditID)
		}
		ncs, err := tx.Children(api.EntityNC, auditID)
		if err != nil {
			return err
		}
		var open []string
		for _, r := range ncs {
			var nc api.NC
			if err := json.Unmarshal(r.Data, &nc); err != nil {
				return fmt.Errorf("decode NC: %w", err)
			}
			if r.Visible && nc.Stage != api.StageClosed {
				open = append(open, nc.ID)
			}
		}
		if len(open) > 0 {
			sort.Strings(open)
			return problem.Errorf(ErrOpenNCs, "cannot finalise the certification of audit %s: NCs not closed: %s", auditID, strings.Join(open, ", "))
		}
		now := wf.now().UTC()
		var certification api.Certification
		if rec, err := tx.Entity(api.EntityCertification, orgID); err == nil {
			if err := json.Unmarshal(rec.Data, &certification); err != nil {
				return fmt.Errorf("decode certification: %w", err)
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		number, n, err := nextCertificateNumber(tx, orgID, now.Year())
		if err != nil {
			return err
		}
		validUntil := now.AddDate(CertificateValidity, 0, 0)
		standard := certification.Standard
		if standard == "" {
			standard = "Fairtrade"
		}
		pdf := certpdf.Certificate(org, number, standard, validUntil.Format("02/01/2006"), "Bonn, le "+certpdf.FrenchDate(now))
		file, err := wf.PutFile(ctx, "Certificat "+number+".pdf", "application/pdf", pdf)
		if err != nil {
			return err
		}
		cert = api.Certificate{ID: fmt.Sprintf("CERT-%s-%d-%d", orgID, now.Year(), n), Number: number,
			Description: "CERT Certificate web en", Year: now.Year(), ValidUntil: today(validUntil), File: &file}
		certification.ID, certification.Status, certification.CertificateNo = orgID, "certified", number
		certification.CycleStart, certification.CycleEnd = today(now), today(validUntil.AddDate(0, 0, -1))
		if audit.Date != "" {
			certification.LastAudit = audit.Date
		}
		audit.Status = "closed"
		cw := WriteOf(api.EntityCertificate, cert.ID, "", cert)
		cw.Files = []api.FileRef{file}
		if err := tx.Write(cw, WriteOf(api.EntityCertification, orgID, "", certification), WriteOf(api.EntityAudit, audit.ID, "", audit)); err != nil {
			return err
		}
		return tx.AddEvent(store.Event{At: now, Username: u.Username, Name: u.Name, Role: u.Role,
			Action: "finalise certification of audit " + auditID, Detail: "certificate " + number + " valid until " + string(cert.ValidUntil)})
	})
	return cert, err
}

// nextCertificateNumber returns FLO-<org>-<year>-<n> with the first n not used by a
// certificate of the organisation, and n.
func nextCertificateNumber(tx store.Tx, orgID string, year int) (string, int, error) {
	for n := 1; ; n++ {
		id := fmt.Sprintf("CERT-%s-%d-%d", orgID, year, n)
		if _, err := tx.Entity(api.EntityCertificate, id); errors.Is(err, store.ErrNotFound) {
			return fmt.Sprintf("FLO-%s-%d-%d", orgID, year, n), n, nil
		} else if err != nil {
			return "", 0, err
		}
	}
}
