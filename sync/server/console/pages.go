package console

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"mime"
	"net/http"
	neturl "net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// stageOrder sorts NCs (and counts) by what needs the analyst first.
var stageOrder = []string{
	api.StageCASubmitted, workflow.StageEntered, api.StageEvidenceSubmitted, api.StageCARequested, api.StageCAReturned,
	api.StageEvidenceRequested, api.StageEvidenceReturned, api.StageClosed,
}

func stageRank(stage string) int {
	for i, s := range stageOrder {
		if s == stage {
			return i
		}
	}
	return len(stageOrder)
}

// consoleFuncs are the templates' functions that do not depend on the language; those
// that do are bound per request (funcs).
var consoleFuncs = template.FuncMap{
	"stages": func() []string { return stageOrder },
	"types":  func() []string { return workflow.CriterionTypes },
}

// flashes are the successful actions confirmed on the page their redirect opens (by
// its done=): the confirmation is flash.ACTION of the catalogue.
var flashes = map[string]bool{
	"confirm": true, "accept": true, "return": true, "request-evidence": true, "close": true,
	"message": true, "enter": true, "import": true, "accept-evidence": true, "return-evidence": true,
	"finalise": true, "request-accept": true, "request-refuse": true,
	"suspend": true, "reinstate": true, "password": true,
}

// flash is the confirmation of the action a redirect names in done=, or "".
func flash(r *http.Request) string {
	if done := r.URL.Query().Get("done"); flashes[done] {
		return tr(r).T("flash." + done)
	}
	return ""
}

func (cn *Console) orgRecord(ctx context.Context, id string) (store.OrgRecord, error) {
	orgs, err := cn.store.Orgs(ctx)
	if err != nil {
		return store.OrgRecord{}, err
	}
	for _, o := range orgs {
		if o.ID == id {
			return o, nil
		}
	}
	return store.OrgRecord{}, store.ErrNotFound
}

type orgRow struct {
	store.OrgRecord
	Counts map[string]int
	Total  int
}

func (cn *Console) consoleOrgs(w http.ResponseWriter, r *http.Request) {
	orgs, err := cn.store.Orgs(r.Context())
	if err != nil {
		cn.consoleError(w, r, err)
		return
	}
	rows := make([]orgRow, 0, len(orgs))
	for _, o := range orgs {
		ncs, err := workflow.All[api.NC](r.Context(), cn.store, o.ID, api.EntityNC)
		if err != nil {
			cn.consoleError(w, r, err)
			return
		}
		row := orgRow{OrgRecord: o, Counts: map[string]int{}, Total: len(ncs)}
		for _, nc := range ncs {
			row.Counts[nc.Stage]++
		}
		rows = append(rows, row)
	}
	// Submitted CAs awaiting evaluation first, then NCs awaiting confirmation.
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i].Counts, rows[j].Counts
		if a[api.StageCASubmitted] != b[api.StageCASubmitted] {
			return a[api.StageCASubmitted] > b[api.StageCASubmitted]
		}
		return a[workflow.StageEntered] > b[workflow.StageEntered]
	})
	cn.render(w, r, http.StatusOK, "orgs", page{Title: tr(r).T("orgs.title"), Data: rows})
}

type orgPage struct {
	Org    store.OrgRecord
	Audits []api.Audit
	NCs    []api.NC
	// General is the organisation's thread with FLOCERT about no NC, oldest first.
	General []api.Message
	// Requests are the organisation's change requests, pending first.
	Requests []requestRow
	Analyst  bool
}

func (cn *Console) consoleOrg(w http.ResponseWriter, r *http.Request) {
	cn.renderOrg(w, r, http.StatusOK, flash(r), "")
}

func (cn *Console) renderOrg(w http.ResponseWriter, r *http.Request, status int, flash, errMsg string) {
	ctx := r.Context()
	org, err := cn.orgRecord(ctx, r.PathValue("org"))
	if err != nil {
		cn.consoleError(w, r, err)
		return
	}
	p := orgPage{Org: org, Analyst: consoleUserOf(r).Role == api.RoleAnalyst}
	if p.Audits, err = workflow.All[api.Audit](ctx, cn.store, org.ID, api.EntityAudit); err == nil {
		p.NCs, err = workflow.All[api.NC](ctx, cn.store, org.ID, api.EntityNC)
	}
	if err == nil {
		p.General, err = cn.generalThread(ctx, org.ID)
	}
	if crs, lerr := cn.rq.List(ctx, org.ID); err == nil {
		p.Requests, err = requestRows(crs), lerr
	}
	if err != nil {
		cn.consoleError(w, r, err)
		return
	}
	sortNCs(p.NCs)
	cn.render(w, r, status, "org", page{Title: org.Name, Flash: flash, Error: errMsg, Data: p})
}

// generalThread returns the organisation's messages about no NC, oldest first.
func (cn *Console) generalThread(ctx context.Context, orgID string) ([]api.Message, error) {
	recs, err := cn.store.Children(ctx, orgID, api.EntityMessage, "")
	if err != nil {
		return nil, err
	}
	out := make([]api.Message, 0, len(recs))
	for _, rec := range recs {
		var m api.Message
		if err := json.Unmarshal(rec.Data, &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SentAt.Before(out[j].SentAt) })
	return out, nil
}

// consoleGeneralMessage writes the analyst's message in the organisation's general thread.
func (cn *Console) consoleGeneralMessage(w http.ResponseWriter, r *http.Request) {
	org := r.PathValue("org")
	if _, err := cn.orgRecord(r.Context(), org); err != nil {
		cn.consoleError(w, r, err)
		return
	}
	_, err := cn.wf.AnalystGeneralMessage(r.Context(), consoleUserOf(r).Username, org, r.PostFormValue("body"))
	if cn.consoleActionFailed(w, r, err, cn.renderOrg) {
		return
	}
	http.Redirect(w, r, "/console/orgs/"+neturl.PathEscape(org)+"?done=message#general", http.StatusSeeOther)
}

func sortNCs(ncs []api.NC) {
	sort.SliceStable(ncs, func(i, j int) bool {
		if a, b := stageRank(ncs[i].Stage), stageRank(ncs[j].Stage); a != b {
			return a < b
		}
		return ncs[i].ID < ncs[j].ID
	})
}

type ncPage struct {
	Org      store.OrgRecord
	NC       api.NC
	Audit    api.Audit
	Messages []api.Message
	Evidence []api.Evidence
	Events   []store.Event
	Analyst  bool
	// Which action forms the NC's stage allows.
	CanConfirm, CanDecide, CanRequestEvidence, CanClose, CanMessage bool
	CanDecideEvidence                                               bool
	DefaultDue                                                      string
}

func (cn *Console) consoleNC(w http.ResponseWriter, r *http.Request) {
	cn.renderNC(w, r, http.StatusOK, flash(r), "")
}

func (cn *Console) renderNC(w http.ResponseWriter, r *http.Request, status int, flash, errMsg string) {
	ctx := r.Context()
	org, err := cn.orgRecord(ctx, r.PathValue("org"))
	if err != nil {
		cn.consoleError(w, r, err)
		return
	}
	rec, err := cn.store.Entity(ctx, org.ID, api.EntityNC, r.PathValue("nc"))
	if err != nil {
		cn.consoleError(w, r, err)
		return
	}
	p := ncPage{Org: org, Analyst: consoleUserOf(r).Role == api.RoleAnalyst}
	if err := json.Unmarshal(rec.Data, &p.NC); err != nil {
		cn.consoleError(w, r, err)
		return
	}
	if a, err := cn.store.Entity(ctx, org.ID, api.EntityAudit, p.NC.AuditID); err == nil {
		json.Unmarshal(a.Data, &p.Audit)
	}
	// The client's draft (ca_draft) is deliberately not read: it is private until sent.
	for _, c := range []struct {
		entity string
		into   func(json.RawMessage) error
	}{
		{api.EntityMessage, func(d json.RawMessage) error {
			var m api.Message
			err := json.Unmarshal(d, &m)
			p.Messages = append(p.Messages, m)
			return err
		}},
		{api.EntityEvidence, func(d json.RawMessage) error {
			var e api.Evidence
			err := json.Unmarshal(d, &e)
			p.Evidence = append(p.Evidence, e)
			return err
		}},
	} {
		recs, err := cn.store.Children(ctx, org.ID, c.entity, p.NC.ID)
		if err != nil {
			cn.consoleError(w, r, err)
			return
		}
		for _, rec := range recs {
			if err := c.into(rec.Data); err != nil {
				cn.consoleError(w, r, err)
				return
			}
		}
	}
	sort.SliceStable(p.Messages, func(i, j int) bool { return p.Messages[i].SentAt.Before(p.Messages[j].SentAt) })
	if p.Events, err = cn.store.Events(ctx, org.ID, p.NC.ID); err != nil {
		cn.consoleError(w, r, err)
		return
	}
	st := p.NC.Stage
	p.CanConfirm = st == workflow.StageEntered
	p.CanDecide = st == api.StageCASubmitted
	p.CanRequestEvidence = st == api.StageEvidenceSubmitted || st == api.StageEvidenceReturned ||
		st == api.StageClosed && p.NC.CAStatus == api.StatusAccepted
	p.CanClose = st != workflow.StageEntered && st != api.StageClosed && st != api.StageCASubmitted
	p.CanMessage = st != workflow.StageEntered
	p.CanDecideEvidence = st == api.StageEvidenceSubmitted
	p.DefaultDue = cn.now().UTC().AddDate(0, 0, 30).Format(time.DateOnly)
	cn.render(w, r, status, "nc", page{Title: tr(r).T("nc.title", p.NC.ID), Flash: flash, Error: errMsg, Data: p})
}

// consoleNCAction runs one workflow action from a form of the NC page.
func (cn *Console) consoleNCAction(w http.ResponseWriter, r *http.Request) {
	ctx, who := r.Context(), consoleUserOf(r).Username
	org, nc, action := r.PathValue("org"), r.PathValue("nc"), r.PathValue("action")
	f := r.PostFormValue
	due := api.Date(strings.TrimSpace(f("due")))
	var err error
	switch action {
	case "confirm":
		err = cn.wf.ConfirmNC(ctx, who, org, nc, due)
	case "accept":
		evidenceDue := api.Date("")
		if f("request_evidence") != "" {
			evidenceDue = api.Date(strings.TrimSpace(f("evidence_due")))
		}
		err = cn.wf.AcceptCA(ctx, who, org, nc, f("request_evidence") != "", strings.TrimSpace(f("comment")), evidenceDue)
	case "return":
		err = cn.wf.ReturnCA(ctx, who, org, nc, strings.TrimSpace(f("comment")), due)
	case "request-evidence":
		err = cn.wf.RequestEvidence(ctx, who, org, nc, due)
	case "close":
		err = cn.wf.CloseNC(ctx, who, org, nc, strings.TrimSpace(f("comment")))
	case "message":
		_, err = cn.wf.AnalystMessage(ctx, who, org, nc, strings.TrimSpace(f("body")))
	case "accept-evidence":
		err = cn.wf.AcceptEvidence(ctx, who, org, nc, strings.TrimSpace(f("comment")))
	case "return-evidence":
		err = cn.wf.ReturnEvidence(ctx, who, org, nc, strings.TrimSpace(f("comment")), due)
	default:
		cn.consoleMessage(w, r, http.StatusNotFound, "no_action")
		return
	}
	if cn.consoleActionFailed(w, r, err, cn.renderNC) {
		return
	}
	http.Redirect(w, r, "/console/orgs/"+neturl.PathEscape(org)+"/ncs/"+neturl.PathEscape(nc)+"?done="+action, http.StatusSeeOther)
}

// consoleActionFailed answers a failed action: a workflow refusal re-renders the page
// with its message, anything else is an error page. It reports whether err != nil.
func (cn *Console) consoleActionFailed(w http.ResponseWriter, r *http.Request, err error,
	rerender func(http.ResponseWriter, *http.Request, int, string, string)) bool {
	if err == nil {
		return false
	}
	var pe *problem.Error
	if !errors.As(err, &pe) {
		cn.consoleError(w, r, err)
		return true
	}
	rerender(w, r, pe.Status, "", refusal(tr(r), pe))
	return true
}

type auditPage struct {
	Org     store.OrgRecord
	Audit   api.Audit
	NCs     []api.NC
	Auditor bool
	Analyst bool
	// Open lists the NCs the client sees that are not closed: they keep the
	// certification from being finalised.
	Open        []api.NC
	CanFinalise bool
}

func (cn *Console) consoleAudit(w http.ResponseWriter, r *http.Request) {
	flash := flash(r)
	if n := r.URL.Query().Get("n"); r.URL.Query().Get("done") == "import" && n != "" {
		if k, err := strconv.Atoi(n); err == nil && k >= 0 {
			flash = tr(r).T("flash.import_n", k)
		}
	}
	cn.renderAudit(w, r, http.StatusOK, flash, "")
}

func (cn *Console) renderAudit(w http.ResponseWriter, r *http.Request, status int, flash, errMsg string) {
	ctx := r.Context()
	org, err := cn.orgRecord(ctx, r.PathValue("org"))
	if err != nil {
		cn.consoleError(w, r, err)
		return
	}
	role := consoleUserOf(r).Role
	p := auditPage{Org: org, Auditor: role == api.RoleAuditor, Analyst: role == api.RoleAnalyst}
	rec, err := cn.store.Entity(ctx, org.ID, api.EntityAudit, r.PathValue("audit"))
	if err == nil {
		err = json.Unmarshal(rec.Data, &p.Audit)
	}
	if err != nil {
		cn.consoleError(w, r, err)
		return
	}
	ncs, err := workflow.All[api.NC](ctx, cn.store, org.ID, api.EntityNC)
	if err != nil {
		cn.consoleError(w, r, err)
		return
	}
	for _, nc := range ncs {
		if nc.AuditID == p.Audit.ID {
			p.NCs = append(p.NCs, nc)
			if nc.Stage != workflow.StageEntered && nc.Stage != api.StageClosed {
				p.Open = append(p.Open, nc)
			}
		}
	}
	sortNCs(p.NCs)
	p.CanFinalise = len(p.Open) == 0 && p.Audit.Status != "closed"
	cn.render(w, r, status, "audit", page{Title: tr(r).T("audit.title", p.Audit.ID), Flash: flash, Error: errMsg, Data: p})
}

func (cn *Console) consoleEnterNC(w http.ResponseWriter, r *http.Request) {
	org, audit := r.PathValue("org"), r.PathValue("audit")
	f := r.PostFormValue
	score := 0
	if v := strings.TrimSpace(f("score")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			cn.renderAudit(w, r, http.StatusBadRequest, "", tr(r).T("audit.error.score"))
			return
		}
		score = n
	}
	nc := api.NC{AuditID: audit, CriterionNumber: strings.TrimSpace(f("criterion_number")), CriterionText: strings.TrimSpace(f("criterion_text")),
		CriterionType: f("criterion_type"), Finding: strings.TrimSpace(f("finding")), Score: score}
	err := cn.wf.EnterNC(r.Context(), consoleUserOf(r).Username, org, nc)
	if cn.consoleActionFailed(w, r, err, cn.renderAudit) {
		return
	}
	http.Redirect(w, r, "/console/orgs/"+neturl.PathEscape(org)+"/audits/"+neturl.PathEscape(audit)+"?done=enter", http.StatusSeeOther)
}

func (cn *Console) consoleImport(w http.ResponseWriter, r *http.Request) {
	org, audit := r.PathValue("org"), r.PathValue("audit")
	file, hdr, err := r.FormFile("report")
	if err != nil {
		cn.renderAudit(w, r, http.StatusBadRequest, "", tr(r).T("audit.error.no_file"))
		return
	}
	defer file.Close()
	format := r.PostFormValue("format")
	if format == "" || format == "auto" {
		format = sniffFormat(hdr.Filename, file)
	}
	n, err := cn.wf.ImportClosingReport(r.Context(), consoleUserOf(r).Username, org, audit, file, format)
	if cn.consoleActionFailed(w, r, err, cn.renderAudit) {
		return
	}
	http.Redirect(w, r, "/console/orgs/"+neturl.PathEscape(org)+"/audits/"+neturl.PathEscape(audit)+"?done=import&n="+strconv.Itoa(n), http.StatusSeeOther)
}

// sniffFormat guesses a closing report's format from its name, else its first byte.
func sniffFormat(name string, f io.ReadSeeker) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".json":
		return "json"
	case ".csv":
		return "csv"
	}
	b := make([]byte, 64)
	n, _ := f.Read(b)
	f.Seek(0, io.SeekStart)
	if strings.HasPrefix(strings.TrimSpace(string(b[:n])), "[") {
		return "json"
	}
	return "csv"
}

func (cn *Console) consoleFinalise(w http.ResponseWriter, r *http.Request) {
	org, audit := r.PathValue("org"), r.PathValue("audit")
	_, err := cn.wf.FinaliseCertification(r.Context(), consoleUserOf(r).Username, org, audit)
	if cn.consoleActionFailed(w, r, err, cn.renderAudit) {
		return
	}
	http.Redirect(w, r, "/console/orgs/"+neturl.PathEscape(org)+"/audits/"+neturl.PathEscape(audit)+"?done=finalise", http.StatusSeeOther)
}

// inlineTypes are the media types an evidence download keeps; anything else is sent
// as bytes, so an uploaded file can never run as a page of the console.
var inlineTypes = map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// consoleEvidenceFile serves the bytes of an evidence file to an analyst, always as a
// download in a sandbox.
func (cn *Console) consoleEvidenceFile(w http.ResponseWriter, r *http.Request) {
	if consoleUserOf(r).Role != api.RoleAnalyst {
		cn.consoleMessage(w, r, http.StatusForbidden, "evidence_analyst_only")
		return
	}
	ctx := r.Context()
	rec, err := cn.store.Entity(ctx, r.PathValue("org"), api.EntityEvidence, r.PathValue("id"))
	var ev api.Evidence
	if err == nil {
		err = json.Unmarshal(rec.Data, &ev)
	}
	if err == nil && ev.NCID != r.PathValue("nc") {
		err = store.ErrNotFound
	}
	if err != nil {
		cn.consoleError(w, r, err)
		return
	}
	f, err := cn.blobs.Open(ctx, ev.File.SHA256)
	if err != nil {
		cn.consoleError(w, r, err)
		return
	}
	defer f.Close()
	mt := "application/octet-stream"
	if t, _, err := mime.ParseMediaType(ev.File.MediaType); err == nil && inlineTypes[t] {
		mt = t
	}
	h := w.Header()
	h.Set("Content-Type", mt)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.File.Name}))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("ETag", `"`+ev.File.SHA256+`"`)
	http.ServeContent(w, r, "", time.Time{}, f)
}
