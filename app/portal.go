package app

import (
	"context"
	"errors"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// stagesOf maps a list filter to the NC stages it shows.
var stagesOf = map[string][]string{
	FilterCA:       {api.StageCARequested, api.StageCAReturned},
	FilterEvidence: {api.StageEvidenceRequested, api.StageEvidenceReturned},
	FilterOpen: {api.StageCARequested, api.StageCASubmitted, api.StageCAReturned,
		api.StageEvidenceRequested, api.StageEvidenceSubmitted, api.StageEvidenceReturned},
	FilterHistory: {api.StageClosed},
	FilterAll:     nil,
}

// actionOf says what the client is expected to do in a stage: "ca", "evidence" or "".
func actionOf(stage string) string {
	switch stage {
	case api.StageCARequested, api.StageCAReturned:
		return FilterCA
	case api.StageEvidenceRequested, api.StageEvidenceReturned:
		return FilterEvidence
	}
	return ""
}

// today is the user's current calendar day.
func (a *App) today() time.Time {
	y, m, d := a.now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysLeft counts calendar days from today to due; nil when due is empty or invalid.
func daysLeft(today time.Time, due api.Date) *int {
	t, err := time.Parse(time.DateOnly, string(due))
	if err != nil {
		return nil
	}
	n := int(t.Sub(today).Hours() / 24)
	return &n
}

// NCs lists the NCs of a filter (ca, evidence, open, history, all).
func (a *App) NCs(ctx context.Context, filter string) ([]NCRow, error) {
	stages, ok := stagesOf[filter]
	if !ok {
		return nil, &CodeError{Code: api.CodeInvalidInput}
	}
	ncs, err := a.store.NCs(ctx, stages...)
	if err != nil {
		return nil, err
	}
	return a.rows(ctx, ncs)
}

// rows joins NCs with their audits and unread counts.
func (a *App) rows(ctx context.Context, ncs []api.NC) ([]NCRow, error) {
	audits, err := a.store.Audits(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]api.Audit, len(audits))
	for _, au := range audits {
		byID[au.ID] = au
	}
	// Counts for a few NCs are asked for those only (opening one NC must not count all).
	var only []string
	if len(ncs) <= 20 {
		for _, nc := range ncs {
			only = append(only, nc.ID)
		}
	}
	unread, err := a.store.Unread(ctx, only...)
	if err != nil {
		return nil, err
	}
	notices, err := a.store.Notices(ctx, only...)
	if err != nil {
		return nil, err
	}
	locals, err := a.store.LocalCAs(ctx)
	if err != nil {
		return nil, err
	}
	evReady, err := a.store.EvidenceReadiness(ctx)
	if err != nil {
		return nil, err
	}
	today := a.today()
	out := make([]NCRow, 0, len(ncs))
	for _, nc := range ncs {
		l := locals[nc.ID]
		r := NCRow{NC: nc, AuditDate: byID[nc.AuditID].Date, ServiceType: byID[nc.AuditID].ServiceType,
			Action: actionOf(nc.Stage), Unread: unread[nc.ID], Updates: notices[nc.ID],
			Ready: l.Ready, Queued: l.Queued, Notice: l.Notice}
		if r.Action == FilterEvidence {
			er := evReady[nc.ID]
			r.Ready, r.Queued, r.Notice = er.Ready && !er.Send, er.Send, er.Notice
		}
		if r.Action != "" {
			r.DaysLeft = daysLeft(today, nc.DueDate)
		}
		out = append(out, r)
	}
	return out, nil
}

// NC returns everything the NC screen shows.
func (a *App) NC(ctx context.Context, id string) (NCDetail, error) {
	nc, err := a.store.NC(ctx, id)
	if err != nil {
		return NCDetail{}, err
	}
	rows, err := a.rows(ctx, []api.NC{*nc})
	if err != nil {
		return NCDetail{}, err
	}
	d := NCDetail{Row: rows[0]}
	if au, err := a.store.Audit(ctx, nc.AuditID); err == nil {
		d.Audit = *au
	} else if !errors.Is(err, store.ErrNotFound) {
		return NCDetail{}, err
	}
	if d.Messages, err = a.store.Messages(ctx, id); err != nil {
		return NCDetail{}, err
	}
	if d.Evidence, err = a.evidenceRows(ctx, id); err != nil {
		return NCDetail{}, err
	}
	if c, err := a.store.Criterion(ctx, nc.CriterionNumber); err == nil {
		d.Criterion = c
	} else if !errors.Is(err, store.ErrNotFound) {
		return NCDetail{}, err
	}
	local, err := optional(a.store.LocalCA(ctx, id))
	if err != nil {
		return NCDetail{}, err
	}
	if d.Local, err = a.localView(ctx, local); err != nil {
		return NCDetail{}, err
	}
	if d.SharedDraft, err = optional(a.store.CADraft(ctx, id)); err != nil {
		return NCDetail{}, err
	}
	d.Editable = awaitingCA(nc) && (local == nil || !local.Queued)
	d.EvidenceEditable = awaitingEvidence(nc)
	ready, err := a.store.EvidenceReadiness(ctx)
	if err != nil {
		return NCDetail{}, err
	}
	d.EvidenceReady, d.EvidenceNotice = ready[id].Ready || ready[id].Send, ready[id].Notice
	if d.Pending, err = a.pendingMessages(ctx, id); err != nil {
		return NCDetail{}, err
	}
	return d, nil
}

// Dashboard gathers the Portal screen.
func (a *App) Dashboard(ctx context.Context) (Dashboard, error) {
	d := Dashboard{Today: api.Date(a.today().Format(time.DateOnly)), Actions: []NCRow{}, Messages: []MessageRow{}}
	var err error
	if d.Organisation, err = optional(a.store.Organisation(ctx)); err != nil {
		return d, err
	}
	if d.Certification, err = optional(a.store.Certification(ctx)); err != nil {
		return d, err
	}
	certs, err := a.store.Certificates(ctx)
	if err != nil {
		return d, err
	}
	if len(certs) > 0 {
		d.Certificate = &certs[0]
	}
	open, err := a.store.NCs(ctx, append(stagesOf[FilterCA], stagesOf[FilterEvidence]...)...)
	if err != nil {
		return d, err
	}
	if d.Actions, err = a.rows(ctx, open); err != nil {
		return d, err
	}
	for _, r := range d.Actions {
		switch r.Action {
		case FilterCA:
			d.CACount++
		case FilterEvidence:
			d.EvidenceCount++
		}
		if r.DaysLeft != nil && *r.DaysLeft < 0 {
			d.Overdue++
		}
	}
	unread, err := a.store.Unread(ctx)
	if err != nil {
		return d, err
	}
	for _, n := range unread {
		d.Unread += n
	}
	notices, err := a.store.Notices(ctx)
	if err != nil {
		return d, err
	}
	for _, n := range notices {
		d.Updates += n
	}
	locals, err := a.store.LocalCAs(ctx)
	if err != nil {
		return d, err
	}
	for _, l := range locals {
		if l.Ready && !l.Queued {
			d.Ready++
		}
	}
	evReady, err := a.store.EvidenceReadiness(ctx)
	if err != nil {
		return d, err
	}
	for _, r := range evReady {
		if r.Ready && !r.Send {
			d.Ready++
		}
	}
	msgs, err := a.store.LatestMessages(ctx, 5)
	if err != nil {
		return d, err
	}
	for _, m := range msgs {
		read, err := a.store.IsRead(ctx, m.ID)
		if err != nil {
			return d, err
		}
		d.Messages = append(d.Messages, MessageRow{Message: m, Unread: !read && m.AuthorRole != api.RoleClient})
	}
	return d, nil
}

// optional turns "not found" into nil.
func optional[T any](v *T, err error) (*T, error) {
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// Audits lists the audits with their NC counts.
func (a *App) Audits(ctx context.Context) ([]AuditRow, error) {
	audits, err := a.store.Audits(ctx)
	if err != nil {
		return nil, err
	}
	ncs, err := a.store.NCs(ctx)
	if err != nil {
		return nil, err
	}
	total, open := map[string]int{}, map[string]int{}
	for _, nc := range ncs {
		total[nc.AuditID]++
		if nc.Stage != api.StageClosed {
			open[nc.AuditID]++
		}
	}
	out := make([]AuditRow, 0, len(audits))
	for _, au := range audits {
		out = append(out, AuditRow{Audit: au, NCs: total[au.ID], OpenNCs: open[au.ID]})
	}
	return out, nil
}

// Certificates lists the certificates and whether each PDF is available offline.
func (a *App) Certificates(ctx context.Context) ([]CertificateRow, error) {
	certs, err := a.store.Certificates(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CertificateRow, 0, len(certs))
	for _, c := range certs {
		row := CertificateRow{Certificate: c}
		if c.File != nil {
			if _, row.Cached, err = a.store.BlobPath(ctx, c.File.SHA256); err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// Documents lists the documents and whether each file is available offline.
func (a *App) Documents(ctx context.Context) ([]DocumentRow, error) {
	docs, err := a.store.Documents(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]DocumentRow, 0, len(docs))
	for _, d := range docs {
		row := DocumentRow{Document: d}
		if _, row.Cached, err = a.store.BlobPath(ctx, d.File.SHA256); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		out = append(out, row)
	}
	return out, nil
}
