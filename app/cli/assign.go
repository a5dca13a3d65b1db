package cli

import (
	"flag"
	"fmt"
	"slices"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The headless commands on NC assignments: who is responsible, by when (internal).

func (c *cmd) ncAssign(args []string) error {
	id, rest, err := ncArg(args)
	if err != nil {
		return err
	}
	var to, due string
	var none bool
	if _, err := c.flags("nc assign", rest, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "the username of the responsible person")
		fs.StringVar(&due, "due", "", "the internal due date, YYYY-MM-DD")
		fs.BoolVar(&none, "none", false, "nobody is responsible any more")
	}); err != nil {
		return err
	}
	if (to == "") != none {
		return usageError("nc assign NC-… --to USER [--due YYYY-MM-DD], or --none")
	}
	if _, err := c.app.Team.Assign(id, to, due); err != nil {
		if app.Code(err) == api.CodeAssigneeUnknown {
			// The name typed, and nothing of the organisation's other accounts.
			return plainError(fmt.Sprintf("%q is not an active account of your organisation; nothing was queued "+
				"(run 'ecert-desktop sync' first if the account was just made)", to))
		}
		return err
	}
	switch {
	case none:
		fmt.Fprintf(c.stdout, "%s: nobody is responsible now. It goes to the server with the next sync.\n", id)
	case due != "":
		fmt.Fprintf(c.stdout, "%s: assigned to %s, due %s. It goes to the server with the next sync.\n", id, to, ddmmyyyy(due))
	default:
		fmt.Fprintf(c.stdout, "%s: assigned to %s. It goes to the server with the next sync.\n", id, to)
	}
	return nil
}

// onlyMine keeps the rows of the NCs assigned to the logged-in user.
func (c *cmd) onlyMine(rows []app.NCRow) ([]app.NCRow, error) {
	mine, err := c.app.Team.Mine()
	if err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, r := range rows {
		if slices.Contains(mine, r.NC.ID) {
			out = append(out, r)
		}
	}
	return out, nil
}
