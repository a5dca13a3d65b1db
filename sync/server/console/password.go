package console

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
)

// passwordRefusals are auth.ChangePassword's refusals the form says in its own words
// (password.error.CODE).
var passwordRefusals = []string{api.CodeWrongPassword, api.CodePasswordTooShort, api.CodePasswordIsUsername,
	api.CodePasswordCommon, api.CodeRateLimited, api.CodeBadRequest}

type passwordData struct{ MinLength int }

func (cn *Console) consolePasswordPage(w http.ResponseWriter, r *http.Request) {
	cn.render(w, r, http.StatusOK, "password", page{Title: tr(r).T("password.title"), Flash: flash(r), Data: passwordData{auth.MinPasswordLength}})
}

// consolePassword changes the console user's password, keeping this session.
func (cn *Console) consolePassword(w http.ResponseWriter, r *http.Request) {
	u := consoleUserOf(r)
	current, next := r.PostFormValue("current"), r.PostFormValue("new")
	refuse := func(status int, key string) {
		cn.render(w, r, status, "password", page{Title: tr(r).T("password.title"), Error: tr(r).T(key), Data: passwordData{auth.MinPasswordLength}})
	}
	switch {
	case current == "" || next == "" || len(current) > 1000 || len(next) > 1000:
		refuse(http.StatusBadRequest, "password.error.empty")
		return
	case next != r.PostFormValue("confirm"):
		refuse(http.StatusBadRequest, "password.error.differ")
		return
	}
	err := cn.auth.ChangePassword(r.Context(), u.Username, current, next, auth.RemoteHost(r), "", u.session.Hash)
	var pe *problem.Error
	switch {
	case err == nil:
		http.Redirect(w, r, "/console/password?done=password", http.StatusSeeOther)
	case errors.As(err, &pe) && slices.Contains(passwordRefusals, pe.Code):
		var le *auth.LimitError
		if errors.As(err, &le) {
			w.Header().Set("Retry-After", strconv.Itoa(le.RetryAfterSeconds()))
		}
		refuse(pe.Status, "password.error."+pe.Code)
	default:
		cn.consoleError(w, r, err)
	}
}
