package console

import (
	"maps"
	"net/http"
	neturl "net/url"
	"slices"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// requestRow is a change request as the organisation's page shows it: one line per
// field, the current value beside the proposed one.
type requestRow struct {
	api.ChangeRequest
	Lines []requestLine
}

type requestLine struct {
	Field, Old, New string
}

func requestRows(crs []api.ChangeRequest) []requestRow {
	out := make([]requestRow, 0, len(crs))
	for _, cr := range crs {
		row := requestRow{ChangeRequest: cr}
		keys := slices.Sorted(maps.Keys(cr.Fields))
		if cr.Action == api.ActionRemove {
			keys = slices.Sorted(maps.Keys(cr.Old))
		}
		for _, k := range keys {
			row.Lines = append(row.Lines, requestLine{Field: k, Old: cr.Old[k], New: cr.Fields[k]})
		}
		out = append(out, row)
	}
	return out
}

// consoleRequestAction accepts or refuses a change request of the organisation.
func (cn *Console) consoleRequestAction(w http.ResponseWriter, r *http.Request) {
	org := r.PathValue("org")
	if _, err := cn.orgRecord(r.Context(), org); err != nil {
		cn.consoleError(w, r, err)
		return
	}
	user, id, comment := consoleUserOf(r).Username, r.PathValue("id"), r.PostFormValue("comment")
	var err error
	switch r.PathValue("action") {
	case "accept":
		_, err = cn.rq.Accept(r.Context(), user, org, id, comment)
	case "refuse":
		_, err = cn.rq.Refuse(r.Context(), user, org, id, comment)
	default:
		cn.consoleMessage(w, r, http.StatusNotFound, "no_action")
		return
	}
	if cn.consoleActionFailed(w, r, err, cn.renderOrg) {
		return
	}
	http.Redirect(w, r, "/console/orgs/"+neturl.PathEscape(org)+"?done=request-"+r.PathValue("action")+"#requests", http.StatusSeeOther)
}
