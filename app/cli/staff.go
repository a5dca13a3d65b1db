package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/ecert-desktop/ecert-desktop/app/team"
)

// The headless commands on the organisation's accounts (its manager only; each needs
// the server, nothing is queued).

func (c *cmd) staff(args []string) error {
	const need = "staff needs a sub-command: list, add, disable, enable or reset"
	if len(args) == 0 {
		return usageError(need)
	}
	switch args[0] {
	case "list":
		return c.staffList(args[1:])
	case "add":
		return c.staffAdd(args[1:])
	case "disable", "enable", "reset":
		return c.staffChange(args[0], args[1:])
	}
	return usageError(need)
}

func (c *cmd) staffList(args []string) error {
	var asJSON bool
	if _, err := c.flags("staff list", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "JSON output")
	}); err != nil {
		return err
	}
	accounts, err := c.app.Team.Accounts()
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(c.stdout, accounts)
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "USERNAME\tNAME\tROLE\tSTATE")
	for _, a := range accounts {
		state := "active"
		if a.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", a.Username, a.Name, a.Role, state)
	}
	return w.Flush()
}

func (c *cmd) staffAdd(args []string) error {
	var name string
	words, err := c.flags("staff add", args, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "the person's full name")
	})
	if err != nil {
		return err
	}
	if len(words) != 1 || strings.TrimSpace(name) == "" {
		return usageError("staff add USERNAME --name \"Full Name\"")
	}
	a, err := c.app.Team.AddStaff(words[0], name)
	if err != nil {
		return err
	}
	c.printPassword(a)
	return nil
}

func (c *cmd) staffChange(action string, args []string) error {
	words, err := c.flags("staff "+action, args, nil)
	if err != nil {
		return err
	}
	if len(words) != 1 {
		return usageError("staff " + action + " USERNAME")
	}
	var a team.Account
	switch action {
	case "disable":
		a, err = c.app.Team.Disable(words[0])
	case "enable":
		a, err = c.app.Team.Enable(words[0])
	default:
		a, err = c.app.Team.ResetPassword(words[0])
	}
	if err != nil {
		return err
	}
	switch action {
	case "disable":
		fmt.Fprintf(c.stdout, "%s is disabled: its sessions have ended.\n", a.Username)
	case "enable":
		fmt.Fprintf(c.stdout, "%s can log in again.\n", a.Username)
	default:
		c.printPassword(a)
	}
	return nil
}

// printPassword shows a temporary password once, with what to do with it.
func (c *cmd) printPassword(a team.Account) {
	fmt.Fprintf(c.stdout, "%s (%s), temporary password: %s\n", a.Username, a.Name, a.Password)
	fmt.Fprintln(c.stdout, "Hand it over in person; they change it after logging in (ecert-desktop password).")
}
