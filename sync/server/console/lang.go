package console

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/console/i18n"
	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/requests"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// langCookie keeps the language chosen in the layout's chooser for a year.
const langCookie = "ecert_console_lang"

// tr is the catalogue of a request's language: the chooser's cookie, else the
// browser's Accept-Language, else English. A cookie naming no language of the console
// counts as none.
func tr(r *http.Request) *i18n.Catalogue {
	cookie := ""
	if c, err := r.Cookie(langCookie); err == nil {
		cookie = c.Value
	}
	return i18n.For(i18n.Pick(cookie, r.Header.Get("Accept-Language")))
}

// consoleLang sets the language cookie and goes back to the page the chooser was on.
// A language the console does not speak sets nothing.
func (cn *Console) consoleLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if !i18n.Supported(lang) {
		cn.consoleMessage(w, r, http.StatusNotFound, "no_language")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/console/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// here is where the language chooser sends back to: this page, or for a form's answer
// the page the form was on (a POST route cannot be opened again).
func here(r *http.Request) string {
	if r.Method == http.MethodGet {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		return safeNext(ref.RequestURI())
	}
	return "/console/orgs"
}

// Label families: the prefix of the catalogue's keys and the values that have one.
// The catalogue test checks each value has its words in every language.
var labelFamilies = map[string][]string{
	"stage":                      stageOrder,
	"status":                     {api.StatusRequested, api.StatusSubmitted, api.StatusReturned, api.StatusAccepted},
	"decision":                   {workflow.DecisionAccepted, workflow.DecisionReturned},
	"role":                       {string(api.RoleClient), string(api.RoleAnalyst), string(api.RoleAuditor)},
	"criterion":                  workflow.CriterionTypes,
	"audit.status":               {"planned", "performed", "in_evaluation", "closed"},
	"audit.type":                 {"initial", "renewal", "surveillance", "unannounced"},
	"operator.status":            api.OperatorStatuses,
	"operator.role":              api.OperatorRoles,
	"requests.status":            {api.RequestPending, api.RequestAccepted, api.RequestRefused},
	"field.contact":              sortedKeys(api.ContactFields),
	"field.organisation":         sortedKeys(api.OrgFields),
	"requests.what.contact":      {api.ActionUpdate, api.ActionAdd, api.ActionRemove},
	"requests.what.organisation": {api.ActionUpdate},
	"kind":                       {api.KindCADraft, api.KindCASubmit, api.KindMessage, api.KindMessageGeneral, api.KindNCAssign, api.KindChangeRequest, api.KindEvidenceAdd, api.KindEvidenceRemove, api.KindEvidenceSubject, api.KindEvidenceSubmit, api.KindEvidenceLink, api.KindChainAdd, api.KindChainRemove},
	"push":                       {api.PushApplied, api.PushDuplicate, api.PushRejected, api.PushConflict},
	"push_code": {api.CodeBadEntry, api.CodeBlobMissing, api.CodeContactNotEditable, api.CodeContactNotFound,
		api.CodeDraftChanged, api.CodeEmptyText, api.CodeEvidenceNotFound, api.CodeEvidenceSubmitted, api.CodeFileUnknown,
		api.CodeForbiddenRole, api.CodeNCChanged, api.CodeNCClosed, api.CodeNCNotFound, api.CodeNoChange, api.CodeNoEvidence,
		api.CodeNotAwaitingCA, api.CodeNotAwaitingEvidence, api.CodePartnerUnknown, api.CodeTextTooLong},
	"event":          eventKeys(),
	"flash":          sortedKeys(flashes),
	"error":          errorCodes,
	"msg":            messageKeyValues(),
	"password.error": passwordRefusals,
	"input":          sortedValues(inputs),
	"error.input":    sortedValues(invalidKinds),
}

func sortedValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// events are the audit trail's fixed actions (store.Event.Action) by their key.
var events = map[string]string{
	"confirm NC and request CA":      "confirm",
	"accept CA and close NC":         "accept_close",
	"accept CA and request evidence": "accept_evidence",
	"return CA":                      "return",
	"request evidence":               "request_evidence",
	"close NC":                       "close",
	"message":                        "message",
	"enter NC":                       "enter",
	"enter NC (closing report)":      "enter_report",
	"accept evidence and close NC":   "accept_evidence_close",
	"return evidence":                "return_evidence",
	"accept change request":          "accept_request",
	"refuse change request":          "refuse_request",
}

func eventKeys() []string {
	out := []string{"push", "finalise"}
	for _, k := range events {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// eventText is an audit trail action in words: the workflow records it in English, as
// data; the console says it in the analyst's language, or as recorded when unknown.
func eventText(c *i18n.Catalogue, action string) string {
	if k, ok := events[action]; ok {
		return c.T("event." + k)
	}
	if rest, ok := strings.CutPrefix(action, "push "); ok {
		if kind, status, ok := strings.Cut(rest, ": "); ok {
			// "rejected (nc_closed)": the status, and why in the analyst's words when
			// the catalogue knows the code (a newer server's code is left out).
			status, code, _ := strings.Cut(status, " (")
			said := c.Label("push", status)
			if code = strings.TrimSuffix(code, ")"); code != "" && c.Has("push_code."+code) {
				said += " — " + c.T("push_code."+code)
			}
			return c.T("event.push", c.Label("kind", kind), said)
		}
	}
	if audit, ok := strings.CutPrefix(action, "finalise certification of audit "); ok {
		return c.T("event.finalise", audit)
	}
	return action
}

// errorCodes are the refusals of the workflow, requests and directory the console
// says in the analyst's language (error.CODE).
var errorCodes = []string{api.CodeWrongStage, api.CodeCommentRequired, api.CodeInvalid, api.CodeRole,
	"exists", "open_ncs", "gone", "operator_status", api.CodePartnerUnknown, "other"}

// refusal is a workflow refusal in words. An invalid input says what is wrong (which
// row, which field) when the catalogue knows the server's detail (detail.KEY).
func refusal(c *i18n.Catalogue, pe *problem.Error) string {
	switch {
	case errors.Is(pe, workflow.ErrOpenNCs):
		return c.T("error.open_ncs")
	case pe == directory.ErrWrongStatus: // the sentinel itself: its code is any stage's
		return c.T("error.operator_status")
	case errors.Is(pe, requests.ErrGone):
		return c.T("error.gone")
	case errors.Is(pe, workflow.ErrExists):
		return c.T("error.exists")
	case pe.Code == api.CodeInvalid:
		if d := detail(c, pe); d != "" {
			return d
		}
		return c.T("error.invalid")
	case slices.Contains(errorCodes, pe.Code):
		return c.T("error." + pe.Code)
	}
	return c.T("error.other")
}

// detail says an invalid input's refusal in c's language, "" when the catalogue has no
// words for it: the English message is never shown.
func detail(c *i18n.Catalogue, pe *problem.Error) string {
	if pe.Key != "" && c.Has("detail."+pe.Key) {
		args := make([]any, len(pe.Args))
		for i, a := range pe.Args {
			args[i] = a
			if inner, ok := a.(*problem.Error); ok {
				if args[i] = detail(c, inner); args[i] == "" {
					args[i] = c.T("error.invalid")
				}
			}
			if n, ok := a.(int64); ok && strings.HasSuffix(pe.Key, "_too_large") {
				args[i] = c.Size(n)
			}
		}
		return c.T("detail."+pe.Key, args...)
	}
	if m := invalidInput.FindStringSubmatch(pe.Message); m != nil {
		if what, ok := inputs[m[1]]; ok {
			return c.T("error.input."+invalidKinds[m[2]], c.T("input."+what))
		}
	}
	return ""
}

// invalidInput reads the workflow's refusals of one form field (checkText, checkDate),
// so that the most frequent ones are said in the analyst's language: the field and
// what is wrong with it.
var invalidInput = regexp.MustCompile(`^([a-z ]+?) (?:"[^"]*" )?(is empty|is required|is longer than|is not valid UTF-8|is not a date \(YYYY-MM-DD\))(?: \d+ bytes)?$`)

// inputs are the fields the workflow names (input.KEY), invalidKinds what is wrong
// (error.input.KIND).
var (
	inputs = map[string]string{"comment": "comment", "message": "message", "due date": "due_date",
		"evidence due date": "evidence_due_date", "text": "text"}
	invalidKinds = map[string]string{"is empty": "empty", "is required": "empty", "is not valid UTF-8": "encoding",
		"is not a date (YYYY-MM-DD)": "date", "is longer than": "too_long"}
)

// messageKeys are the pages of one sentence (msg.KEY.title, msg.KEY.text).
var messageKeys = []string{"not_found", "no_action", "no_language", "logged_out", "refused_form", "refused_login",
	"bad_request", "evidence_analyst_only", "operator_analyst_only", "no_item", "error"}

func messageKeyValues() []string {
	var out []string
	for _, k := range messageKeys {
		out = append(out, k+".title", k+".text")
	}
	return out
}

// funcs binds the templates' functions to a request's language.
func funcs(c *i18n.Catalogue) template.FuncMap {
	return template.FuncMap{
		"t":        c.T,
		"lang":     c.Lang,
		"label":    c.Label,
		"langs":    func() []string { return i18n.Langs },
		"langName": func(l string) string { return i18n.For(l).T("lang.name") },
		"date": func(d api.Date) string {
			t, err := time.Parse(time.DateOnly, string(d))
			if err != nil {
				return string(d)
			}
			return c.Date(t)
		},
		"time":  c.DateTime,
		"size":  c.Size,
		"event": func(a string) string { return eventText(c, a) },
	}
}
