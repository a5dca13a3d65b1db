package app

import (
	"context"
	"errors"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/attach"
	"github.com/ecert-desktop/ecert-desktop/app/cycle"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Portal reads the replica for the portal's screens: the dashboard, the lists, one NC,
// and the cached files (opened, saved elsewhere, served to the UI).
type Portal struct{ *base }

// Dashboard returns the Portal screen.
func (p *Portal) Dashboard() (Dashboard, error) {
	d, err := p.dashboard(p.ctx)
	return d, p.fail(err)
}

// DashboardPage is how many "needs action" rows Dashboard carries: thousands in a large
// organisation were 2 MB for the window to take in at start.
const DashboardPage = 50

// DashboardActions returns the dashboard's "needs action" rows from offset, at most limit
// (1 to 1,000), in the dashboard's order.
func (p *Portal) DashboardActions(offset, limit int) ([]NCRow, error) {
	if offset < 0 || limit < 1 || limit > 1000 {
		return nil, p.fail(&CodeError{Code: api.CodeInvalidInput})
	}
	open, err := p.store.Portal.NCs(p.ctx, append(stagesOf[FilterCA], stagesOf[FilterEvidence]...)...)
	if err != nil {
		return nil, p.fail(err)
	}
	open = open[min(offset, len(open)):min(offset+limit, len(open))]
	rows, err := p.rows(p.ctx, open)
	return rows, p.fail(err)
}

// Organisation returns the master data, nil before the first sync.
func (p *Portal) Organisation() (*api.Organisation, error) {
	o, err := optional(p.store.Portal.Organisation(p.ctx))
	return o, p.fail(err)
}

// Certification returns the certification data, nil when there is none.
func (p *Portal) Certification() (*api.Certification, error) {
	c, err := optional(p.store.Portal.Certification(p.ctx))
	return c, p.fail(err)
}

// Standing returns the certification status as it stands today: an expired certificate
// or a passed audit date is never plain "certified". Nil without certification data.
func (p *Portal) Standing() (*cycle.Standing, error) {
	s, err := p.standing(p.ctx)
	return s, p.fail(err)
}

func (p *Portal) standing(ctx context.Context) (*cycle.Standing, error) {
	c, err := optional(p.store.Portal.Certification(ctx))
	if err != nil || c == nil {
		return nil, err
	}
	certs, err := p.store.Portal.Certificates(ctx)
	if err != nil {
		return nil, err
	}
	var latest *api.Certificate
	if len(certs) > 0 {
		latest = &certs[0]
	}
	return cycle.JudgeStanding(c, latest, p.today()), nil
}

// Contacts returns the contacts, the analyst first.
func (p *Portal) Contacts() ([]api.Contact, error) {
	c, err := p.store.Portal.Contacts(p.ctx)
	return c, p.fail(err)
}

// Certificates returns the certificates.
func (p *Portal) Certificates() ([]CertificateRow, error) {
	c, err := p.certificates(p.ctx)
	return c, p.fail(err)
}

// Documents returns the documents.
func (p *Portal) Documents() ([]DocumentRow, error) {
	d, err := p.documents(p.ctx)
	return d, p.fail(err)
}

// Audits returns the audits with their NC counts.
func (p *Portal) Audits() ([]AuditRow, error) {
	a, err := p.audits(p.ctx)
	return a, p.fail(err)
}

// NCs returns the NC list of a filter: ca, evidence, sent, open, history or all.
func (p *Portal) NCs(filter string) ([]NCRow, error) {
	r, err := p.ncs(p.ctx, filter)
	return r, p.fail(err)
}

// NC returns one NC with its thread and evidence.
func (p *Portal) NC(id string) (NCDetail, error) {
	d, err := p.nc(p.ctx, id)
	return d, p.fail(err)
}

// Checklist returns the criteria of the organisation's standard.
func (p *Portal) Checklist() ([]api.Criterion, error) {
	c, err := p.store.Portal.Criteria(p.ctx)
	return c, p.fail(err)
}

// GeneralThread returns the organisation's thread with FLOCERT about no NC: the
// messages pulled, oldest first, and those written here and not sent yet.
func (p *Portal) GeneralThread() (GeneralThread, error) {
	var g GeneralThread
	var err error
	if g.Messages, err = p.store.Portal.Messages(p.ctx, ""); err == nil {
		g.Pending, err = p.pendingMessages(p.ctx, "")
	}
	if g.Messages == nil {
		g.Messages = []api.Message{}
	}
	return g, p.fail(err)
}

// MarkRead marks an NC's thread as read ("" the general thread).
func (p *Portal) MarkRead(ncID string) error {
	return p.fail(p.store.Portal.MarkRead(p.ctx, ncID))
}

// MarkSeen marks what the analyst did on an NC as seen (the user opened it).
func (p *Portal) MarkSeen(ncID string) error {
	return p.fail(p.store.Portal.MarkSeen(p.ctx, ncID))
}

// OpenFile opens a cached file with the system's default program.
func (p *Portal) OpenFile(sha256 string) error {
	return p.fail(p.cached().Open(p.ctx, sha256))
}

// SaveFileAs saves a copy of a cached file where the user chooses.
func (p *Portal) SaveFileAs(sha256 string) error {
	return p.fail(p.cached().SaveAs(p.ctx, sha256))
}

// stagesOf maps a list filter to the NC stages it shows.
var stagesOf = map[string][]string{
	FilterCA:       {api.StageCARequested, api.StageCAReturned},
	FilterEvidence: {api.StageEvidenceRequested, api.StageEvidenceReturned},
	FilterSent:     {api.StageCASubmitted, api.StageEvidenceSubmitted},
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

// ncs lists the NCs of a filter (ca, evidence, sent, open, history, all).
func (p *Portal) ncs(ctx context.Context, filter string) ([]NCRow, error) {
	stages, ok := stagesOf[filter]
	if !ok {
		return nil, &CodeError{Code: api.CodeInvalidInput}
	}
	ncs, err := p.store.Portal.NCs(ctx, stages...)
	if err != nil {
		return nil, err
	}
	return p.rows(ctx, ncs)
}

// rows joins NCs with their audits and unread counts.
func (p *Portal) rows(ctx context.Context, ncs []api.NC) ([]NCRow, error) {
	audits, err := p.store.Portal.Audits(ctx)
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
	unread, err := p.store.Portal.Unread(ctx, only...)
	if err != nil {
		return nil, err
	}
	notices, err := p.store.Portal.Notices(ctx, only...)
	if err != nil {
		return nil, err
	}
	locals, err := p.store.Work.LocalCAs(ctx)
	if err != nil {
		return nil, err
	}
	evReady, err := p.store.Evidence.Readiness(ctx)
	if err != nil {
		return nil, err
	}
	today := p.today()
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
		if r.Due = nc.StepDueDate(); r.Due != "" {
			r.DaysLeft = cycle.DaysLeft(today, r.Due)
		}
		out = append(out, r)
	}
	return out, nil
}

// nc returns everything the NC screen shows.
func (p *Portal) nc(ctx context.Context, id string) (NCDetail, error) {
	nc, err := p.store.Portal.NC(ctx, id)
	if err != nil {
		return NCDetail{}, err
	}
	rows, err := p.rows(ctx, []api.NC{*nc})
	if err != nil {
		return NCDetail{}, err
	}
	d := NCDetail{Row: rows[0]}
	if au, err := p.store.Portal.Audit(ctx, nc.AuditID); err == nil {
		d.Audit = *au
	} else if !errors.Is(err, store.ErrNotFound) {
		return NCDetail{}, err
	}
	if d.Messages, err = p.store.Portal.Messages(ctx, id); err != nil {
		return NCDetail{}, err
	}
	if d.Evidence, err = p.evidenceRows(ctx, id); err != nil {
		return NCDetail{}, err
	}
	if c, err := p.store.Portal.Criterion(ctx, nc.CriterionNumber); err == nil {
		d.Criterion = c
	} else if !errors.Is(err, store.ErrNotFound) {
		return NCDetail{}, err
	}
	local, err := optional(p.store.Work.LocalCA(ctx, id))
	if err != nil {
		return NCDetail{}, err
	}
	if d.Local, err = p.localView(ctx, local); err != nil {
		return NCDetail{}, err
	}
	if d.SharedDraft, err = optional(p.store.Work.CADraft(ctx, id)); err != nil {
		return NCDetail{}, err
	}
	d.Editable = awaitingCA(nc) && (local == nil || !local.Queued)
	d.EvidenceEditable = attach.Awaiting(nc)
	ready, err := p.store.Evidence.Readiness(ctx)
	if err != nil {
		return NCDetail{}, err
	}
	d.EvidenceReady, d.EvidenceNotice = ready[id].Ready || ready[id].Send, ready[id].Notice
	if d.Pending, err = p.pendingMessages(ctx, id); err != nil {
		return NCDetail{}, err
	}
	return d, nil
}

// dashboard gathers the Portal screen.
func (p *Portal) dashboard(ctx context.Context) (Dashboard, error) {
	d := Dashboard{Today: api.Date(p.today().Format(time.DateOnly)), Actions: []NCRow{}, Messages: []MessageRow{}}
	var err error
	if d.Organisation, err = optional(p.store.Portal.Organisation(ctx)); err != nil {
		return d, err
	}
	if d.Certification, err = optional(p.store.Portal.Certification(ctx)); err != nil {
		return d, err
	}
	certs, err := p.store.Portal.Certificates(ctx)
	if err != nil {
		return d, err
	}
	if len(certs) > 0 {
		d.Certificate = &certs[0]
	}
	d.Standing = cycle.JudgeStanding(d.Certification, d.Certificate, p.today())
	open, err := p.store.Portal.NCs(ctx, append(stagesOf[FilterCA], stagesOf[FilterEvidence]...)...)
	if err != nil {
		return d, err
	}
	all, err := p.rows(ctx, open)
	if err != nil {
		return d, err
	}
	// The first page only: the UI asks for the rest as the user scrolls to it.
	d.Actions, d.ActionsTotal = all[:min(len(all), DashboardPage)], len(all)
	for _, r := range all {
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
	sent, err := p.store.Portal.NCs(ctx, stagesOf[FilterSent]...)
	if err != nil {
		return d, err
	}
	d.SentCount = len(sent)
	unread, err := p.store.Portal.Unread(ctx)
	if err != nil {
		return d, err
	}
	for _, n := range unread {
		d.Unread += n
	}
	notices, err := p.store.Portal.Notices(ctx)
	if err != nil {
		return d, err
	}
	for _, n := range notices {
		d.Updates += n
	}
	locals, err := p.store.Work.LocalCAs(ctx)
	if err != nil {
		return d, err
	}
	for _, l := range locals {
		if l.Ready && !l.Queued {
			d.Ready++
		}
	}
	evReady, err := p.store.Evidence.Readiness(ctx)
	if err != nil {
		return d, err
	}
	for _, r := range evReady {
		if r.Ready && !r.Send {
			d.Ready++
		}
	}
	msgs, err := p.store.Portal.LatestMessages(ctx, 5)
	if err != nil {
		return d, err
	}
	for _, m := range msgs {
		read, err := p.store.Portal.IsRead(ctx, m.ID)
		if err != nil {
			return d, err
		}
		d.Messages = append(d.Messages, MessageRow{Message: m, Unread: !read && m.AuthorRole != api.RoleClient})
	}
	return d, nil
}

// audits lists the audits with their NC counts.
func (p *Portal) audits(ctx context.Context) ([]AuditRow, error) {
	audits, err := p.store.Portal.Audits(ctx)
	if err != nil {
		return nil, err
	}
	ncs, err := p.store.Portal.NCs(ctx)
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

// certificates lists the certificates and whether each PDF is available offline.
func (p *Portal) certificates(ctx context.Context) ([]CertificateRow, error) {
	certs, err := p.store.Portal.Certificates(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CertificateRow, 0, len(certs))
	for _, c := range certs {
		row := CertificateRow{Certificate: c}
		if c.File != nil {
			if _, row.Cached, err = p.store.Files.Path(ctx, c.File.SHA256); err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// documents lists the documents and whether each file is available offline.
func (p *Portal) documents(ctx context.Context) ([]DocumentRow, error) {
	docs, err := p.store.Portal.Documents(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]DocumentRow, 0, len(docs))
	for _, d := range docs {
		row := DocumentRow{Document: d}
		if _, row.Cached, err = p.store.Files.Path(ctx, d.File.SHA256); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		out = append(out, row)
	}
	return out, nil
}
