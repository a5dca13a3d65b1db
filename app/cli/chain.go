package cli

import (
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/ecert-desktop/ecert-desktop/app/fairmonitor"
)

// The headless commands on the supply chains (FairMonitor): list them with each
// partner's status, add and remove partners offline (the next sync sends the change).

func (c *cmd) chain(args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "list":
			return c.chainList(args[1:])
		case "add", "remove":
			return c.chainEdit(args[0], args[1:])
		}
	}
	return usageError("chain needs a sub-command: list, add or remove")
}

func (c *cmd) chainList(args []string) error {
	var asJSON bool
	if _, err := c.flags("chain list", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "JSON output")
	}); err != nil {
		return err
	}
	v, err := c.app.Chains.List()
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(c.stdout, v)
	}
	if len(v.Chains) == 0 {
		fmt.Fprintln(c.stdout, "No supply chain yet: add a partner with 'ecert-desktop chain add --product P --partner FLO-ID'.")
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "PRODUCT\tROLE\tFLO ID\tNAME\tCOUNTRY\tSTATUS\tVALID UNTIL\t")
	for _, ch := range v.Chains {
		for _, p := range ch.Partners {
			status := p.Status
			switch {
			case status == "":
				status = "unknown (not in the directory's copy yet)"
			case p.Expiring:
				status += ", expires soon"
			}
			if p.Pending != "" {
				status += " (" + p.Pending + " not sent yet)"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", ch.Product, p.Role, p.FLOID, p.Name, p.Country, status, ddmmyyyy(string(p.ValidUntil)))
		}
	}
	return w.Flush()
}

func (c *cmd) chainEdit(verb string, args []string) error {
	var e fairmonitor.Edit
	rest, err := c.flags("chain "+verb, args, func(fs *flag.FlagSet) {
		fs.StringVar(&e.Product, "product", "", "the chain's product, e.g. coffee")
		fs.StringVar(&e.FLOID, "partner", "", "the partner's FLO ID")
		if verb == "add" {
			fs.StringVar(&e.Role, "role", "supplier", "buyer or supplier")
		}
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 || e.Product == "" || e.FLOID == "" {
		return usageError("chain " + verb + " needs --product P --partner FLO-ID")
	}
	if verb == "add" {
		err = c.app.Chains.Add(e)
	} else {
		err = c.app.Chains.Remove(e.Product, e.FLOID)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Queued: %s %s in the %s chain; the next sync sends it.\n", verb, e.FLOID, e.Product)
	return nil
}
