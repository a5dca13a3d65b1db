package console

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
)

type operatorPage struct {
	Query    string
	Operator *api.Operator
	Analyst  bool
}

// consoleOperator looks an operator of the directory up by FLO ID (?flo=) and offers
// the analyst its suspension or reinstatement.
func (cn *Console) consoleOperator(w http.ResponseWriter, r *http.Request) {
	cn.renderOperator(w, r, http.StatusOK, flash(r), "")
}

func (cn *Console) renderOperator(w http.ResponseWriter, r *http.Request, status int, flash, errMsg string) {
	q := strings.TrimSpace(r.URL.Query().Get("flo"))
	if r.Method == http.MethodPost {
		q = r.PathValue("flo")
	}
	p := operatorPage{Query: q, Analyst: consoleUserOf(r).Role == api.RoleAnalyst}
	if q != "" && cn.dir != nil {
		op, err := cn.dir.Operator(r.Context(), q)
		switch {
		case err == nil:
			p.Operator = &op
		case errors.Is(err, directory.ErrUnknown):
			if errMsg == "" {
				errMsg = tr(r).T("operators.unknown", q)
			}
			if status == http.StatusOK {
				status = http.StatusNotFound
			}
		default:
			cn.consoleError(w, r, err)
			return
		}
	}
	cn.render(w, r, status, "operator", page{Title: tr(r).T("operators.title"), Flash: flash, Error: errMsg, Data: p})
}

// consoleOperatorAction suspends or reinstates an operator: analysts only.
func (cn *Console) consoleOperatorAction(w http.ResponseWriter, r *http.Request) {
	flo, action := r.PathValue("flo"), r.PathValue("action")
	if consoleUserOf(r).Role != api.RoleAnalyst {
		cn.consoleMessage(w, r, http.StatusForbidden, "operator_analyst_only")
		return
	}
	var err error
	switch action {
	case "suspend":
		_, err = cn.dir.Suspend(r.Context(), flo)
	case "reinstate":
		_, err = cn.dir.Reinstate(r.Context(), flo)
	default:
		cn.consoleMessage(w, r, http.StatusNotFound, "no_action")
		return
	}
	if cn.consoleActionFailed(w, r, err, cn.renderOperator) {
		return
	}
	http.Redirect(w, r, "/console/operators?flo="+url.QueryEscape(flo)+"&done="+action, http.StatusSeeOther)
}
