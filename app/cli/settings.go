package cli

import (
	"bufio"
	"flag"
	"fmt"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/app/crash"
	"github.com/ecert-desktop/ecert-desktop/app/proxyprefs"
	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy"
)

// settings changes what the desktop app's settings window changes.
func (c *cmd) settings(args []string) error {
	if len(args) > 0 && args[0] == "proxy" {
		return c.settingsProxy(args[1:])
	}
	if len(args) > 0 && args[0] == "crash-reports" {
		return c.settingsCrashReports(args[1:])
	}
	return usageError("settings needs a sub-command: proxy or crash-reports")
}

// settingsCrashReports shows or sets the consent to sending crash reports.
func (c *cmd) settingsCrashReports(args []string) error {
	rest, err := c.flags("settings crash-reports", args, nil)
	if err != nil {
		return err
	}
	if len(rest) > 1 || (len(rest) == 1 && rest[0] != "on" && rest[0] != "off") {
		return usageError("settings crash-reports takes on or off")
	}
	if len(rest) == 1 {
		if err := c.app.Settings.SetCrashReports(rest[0] == "on"); err != nil {
			return err
		}
	}
	p := c.app.Settings.CrashReports()
	state := "off"
	if p.Consent == crash.ConsentOn {
		state = "on: sent at each sync"
	}
	fmt.Fprintf(c.stdout, "Crash reports: %s (%d kept on this computer).\n", state, p.Pending)
	return nil
}

// crashCommand is the hidden command that crashes the app on purpose, in a goroutine
// of the app's, with the login's token and the organisation's name in the panic — which
// its report must not hold.
const crashCommand = "__crash"

func (c *cmd) crash(args []string) error {
	if _, err := c.flags(crashCommand, args, nil); err != nil {
		return err
	}
	st := c.app.Session.State()
	secret := c.app.Store().Dir() + " " + st.OrgName + " " + st.Username
	c.app.Go(func() { panic("crash on purpose: " + secret) })
	select {} // the panic ends the process
}

// settingsProxy shows the proxy settings, or sets them: an address (with --user, the
// password on stdin), --none (direct) or --auto (the environment's, else the system's).
func (c *cmd) settingsProxy(args []string) error {
	var none, auto bool
	var user string
	rest, err := c.flags("settings proxy", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&none, "none", false, "connect directly")
		fs.BoolVar(&auto, "auto", false, "the environment's proxy, else the system's")
		fs.StringVar(&user, "user", "", "the proxy's user name")
	})
	if err != nil {
		return err
	}
	chosen := 0
	for _, b := range []bool{none, auto, len(rest) > 0} {
		if b {
			chosen++
		}
	}
	if chosen > 1 || len(rest) > 1 || (user != "" && len(rest) == 0) {
		return usageError("give one of: a proxy address (with --user), --none, --auto")
	}
	in := proxyprefs.Input{Mode: proxy.Auto}
	switch {
	case chosen == 0:
		return c.printProxy(c.app.Settings.Proxy())
	case none:
		in.Mode = proxy.None
	case len(rest) == 1:
		in = proxyprefs.Input{Mode: proxy.Manual, URL: rest[0], User: user}
		if user != "" {
			line, err := bufio.NewReader(c.stdin).ReadString('\n')
			if err != nil && line == "" {
				return usageError("give the proxy's password on stdin")
			}
			in.Password = strings.TrimRight(line, "\r\n")
		}
	}
	p, err := c.app.Settings.SetProxy(in)
	if err != nil {
		return err
	}
	return c.printProxy(p)
}

func (c *cmd) printProxy(p proxyprefs.Prefs) error {
	switch p.Mode {
	case proxy.Manual:
		fmt.Fprintf(c.stdout, "Proxy: %s", p.URL)
		if p.User != "" {
			fmt.Fprintf(c.stdout, " as %s (password kept: %v)", p.User, p.HasPassword)
		}
		fmt.Fprintln(c.stdout)
	case proxy.None:
		fmt.Fprintln(c.stdout, "Proxy: none, direct connection.")
	default:
		fmt.Fprintf(c.stdout, "Proxy: automatic (now: %s).\n", map[string]string{
			proxy.FromEnvironment: "the environment's HTTPS_PROXY/HTTP_PROXY",
			proxy.FromSystem:      "the system's proxy",
			proxy.Direct:          "none, direct connection",
		}[p.Source])
	}
	if p.Script != nil {
		fmt.Fprintln(c.stdout, describeScript(*p.Script))
	}
	return nil
}

// describeScript says which proxy script the system's proxy uses, or why none.
func describeScript(s proxy.ScriptStatus) string {
	found := ""
	if s.Detected {
		found = " (found on the network)"
	}
	const fallback = " It is not used: the system's other proxy settings are, else a direct connection."
	switch s.Problem {
	case "":
		return "Proxy script: " + s.URL + found + "."
	case proxy.ScriptUnreachable:
		return "Proxy script " + s.URL + found + ": its server cannot be reached." + fallback
	case proxy.ScriptHTTPStatus:
		return "Proxy script " + s.URL + found + ": its server answered HTTP " + s.Detail + "." + fallback
	case proxy.ScriptTooLarge:
		return "Proxy script " + s.URL + found + ": it is larger than 1 MiB, too large for a proxy script." + fallback
	case proxy.ScriptUnsupported:
		return "Proxy script " + s.URL + found + ": it uses JavaScript this app cannot evaluate (line " + s.Detail + ")." + fallback
	case proxy.ScriptEvaluate:
		return "Proxy script " + s.URL + found + ": it failed to choose a proxy." + fallback
	case proxy.ScriptNotDetected:
		tried := ""
		if s.Detail != "" {
			tried = " (searched " + s.Detail + ")"
		}
		return "Proxy script: none found on this network" + tried + "."
	}
	return "Proxy script " + s.URL + ": " + s.Problem + "."
}
