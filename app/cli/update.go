package cli

import (
	"errors"
	"flag"
	"fmt"

	"github.com/ecert-desktop/ecert-desktop/app/update"
	"github.com/ecert-desktop/ecert-desktop/app/version"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// update runs `ecert-desktop update [--check] [--json]`: checks the server's signed
// release and, without --check, installs it where the app may replace itself (Windows).
// `update --probe` is what an installing process runs on the new binary: it prints the
// version and exits, touching no data.
func (c *cmd) update(args []string) error {
	for _, a := range args {
		if a == "--probe" || a == "-probe" {
			fmt.Fprintln(c.stdout, version.Version)
			return nil
		}
	}
	var checkOnly, asJSON bool
	rest, err := c.flags("update", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&checkOnly, "check", false, "only check; install nothing")
		fs.BoolVar(&asJSON, "json", false, "print the state as JSON")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError("update takes no arguments")
	}
	dir := update.Dir(c.app.DataDir())
	u := update.New(update.Config{Server: c.app.ServerURL, Current: version.Version, Dir: dir})
	svc := update.NewService(update.ServiceConfig{Updater: u})
	if !u.Enabled() {
		// Plain words: no key, or the test-only key in a release build.
		return c.updateResult(svc.State(), asJSON, plainError(update.Describe()+": it does not update itself"))
	}
	st := svc.Check()
	if checkOnly || st.Status != update.StatusAvailable {
		return c.updateResult(st, asJSON, nil)
	}
	st, err = svc.Install()
	return c.updateResult(st, asJSON, err)
}

// updateResult prints the state; it fails (exit 1) when the check or the install did.
func (c *cmd) updateResult(st update.State, asJSON bool, err error) error {
	if asJSON {
		if werr := writeJSON(c.stdout, st); werr != nil {
			return werr
		}
	} else {
		switch st.Status {
		case update.StatusCurrent:
			fmt.Fprintf(c.stdout, "ecert-desktop %s is up to date\n", st.Current)
		case update.StatusAvailable:
			fmt.Fprintf(c.stdout, "ecert-desktop %s is available (this is %s)\n", st.Available, st.Current)
		case update.StatusInstalled:
			fmt.Fprintf(c.stdout, "ecert-desktop %s is installed; start ecert-desktop again to use it\n", st.Available)
		}
	}
	switch {
	case err != nil:
		var pe plainError
		if errors.As(err, &pe) {
			return err
		}
		return plainError(explainUpdate(err.Error()))
	case st.Status == update.StatusAvailable && st.Code == api.CodeUpdateManual && !asJSON:
		fmt.Fprintln(c.stdout, explainUpdate(st.Code))
	case st.Status == update.StatusRefused || st.Status == update.StatusFailed:
		return plainError(explainUpdate(st.Code))
	}
	return nil
}

// plainError is a message already in plain words: explain prints it as it is.
type plainError string

func (e plainError) Error() string { return string(e) }

func explainUpdate(code string) string {
	m := map[string]string{
		api.CodeUpdateSignature:   "the published release is not signed by the publisher's key: refused, nothing changed",
		api.CodeUpdateHash:        "the downloaded file is not the published one: refused, nothing changed",
		api.CodeUpdateDowngrade:   "the published release is older than this one: refused, nothing changed",
		api.CodeUpdatePlatform:    "the published release has no file for this system: nothing changed",
		api.CodeUpdateCurrent:     "nothing newer is published",
		api.CodeUpdateFailedStart: "the new version did not start: the previous one was put back",
		api.CodeUpdateManual:      "this installation is managed by the system's package manager: update it there (e.g. apt install ./ecert-desktop_<version>_amd64.deb)",
		api.CodeUpdateFailed:      "the update could not be written here (disk space or permissions): nothing changed",
		api.CodeUnreachable:       "the server cannot be reached; check the connection and try again",
		api.CodeNotLoggedIn:       "not logged in; run 'ecert-desktop login' first (updates come from your server)",
		api.CodeServerError:       "the server had a problem; try again later",
	}
	if s, ok := m[code]; ok {
		return s
	}
	return code
}
