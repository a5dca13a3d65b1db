package console

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
)

// passwordRefusals are the console's words for auth.ChangePassword's refusals.
var passwordRefusals = map[string]string{
	api.CodeWrongPassword:      "The current password is wrong.",
	api.CodePasswordTooShort:   "The new password is too short.",
	api.CodePasswordIsUsername: "The new password must not contain your username.",
	api.CodePasswordCommon:     "The new password is too common: choose one that is harder to guess.",
	api.CodeRateLimited:        "Too many wrong passwords. Wait a minute and try again.",
	api.CodeBadRequest:         "The new password is not valid.",
}

type passwordData struct{ MinLength int }

func (cn *Console) consolePasswordPage(w http.ResponseWriter, r *http.Request) {
	flash := ""
	if r.URL.Query().Get("done") == "1" {
		flash = "Your password is changed. Your other sessions have ended."
	}
	cn.render(w, r, http.StatusOK, "password", page{Title: "Change your password", Flash: flash, Data: passwordData{auth.MinPasswordLength}})
}

// consolePassword changes the console user's password, keeping this session.
func (cn *Console) consolePassword(w http.ResponseWriter, r *http.Request) {
	u := consoleUserOf(r)
	current, next := r.PostFormValue("current"), r.PostFormValue("new")
	refuse := func(status int, msg string) {
		cn.render(w, r, status, "password", page{Title: "Change your password", Error: msg, Data: passwordData{auth.MinPasswordLength}})
	}
	switch {
	case current == "" || next == "" || len(current) > 1000 || len(next) > 1000:
		refuse(http.StatusBadRequest, "Enter your current password and the new one.")
		return
	case next != r.PostFormValue("confirm"):
		refuse(http.StatusBadRequest, "The two new passwords differ.")
		return
	}
	err := cn.auth.ChangePassword(r.Context(), u.Username, current, next, auth.RemoteHost(r), "", u.session.Hash)
	var pe *problem.Error
	switch {
	case err == nil:
		http.Redirect(w, r, "/console/password?done=1", http.StatusSeeOther)
	case errors.As(err, &pe) && passwordRefusals[pe.Code] != "":
		var le *auth.LimitError
		if errors.As(err, &le) {
			w.Header().Set("Retry-After", strconv.Itoa(le.RetryAfterSeconds()))
		}
		refuse(pe.Status, passwordRefusals[pe.Code])
	default:
		cn.consoleError(w, r, err)
	}
}
