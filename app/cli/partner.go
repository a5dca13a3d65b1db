package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/partners"
)

// The headless commands on trade partners: search the copy of the directory, check a
// partner's status.

func (c *cmd) partner(args []string) error {
	if len(args) == 0 {
		return usageError("partner needs a sub-command: search or status")
	}
	switch args[0] {
	case "search":
		return c.partnerSearch(args[1:])
	case "status":
		return c.partnerStatus(args[1:])
	}
	return usageError("partner needs a sub-command: search or status")
}

func (c *cmd) partnerSearch(args []string) error {
	var q partners.PartnerSearch
	var asJSON bool
	words, err := c.flags("partner search", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "JSON output")
		fs.StringVar(&q.Country, "country", "", "country (ISO code, e.g. PE)")
		fs.StringVar(&q.Product, "product", "", "product, e.g. coffee")
		fs.StringVar(&q.Role, "role", "", "producer, trader, exporter, importer or manufacturer")
		fs.StringVar(&q.Status, "status", "", "certified, suspended, decertified or in_application")
		fs.IntVar(&q.Limit, "limit", 50, "at most this many partners")
	})
	if err != nil {
		return err
	}
	q.Text = strings.Join(words, " ")
	res, err := c.app.Partners.Search(q)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(c.stdout, res)
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "FLO ID\tNAME\tCOUNTRY\tROLE\tPRODUCTS\tSTATUS\tVALID UNTIL")
	for _, p := range res.Partners {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.FLOID, p.Name, p.Country, p.Role, strings.Join(p.Products, ", "),
			p.Status, ddmmyyyy(string(p.ValidUntil)))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	more := ""
	if res.More {
		more = " (more match: narrow the search)"
	}
	fmt.Fprintf(c.stdout, "%d partners%s. %s\n", len(res.Partners), more, copyAge(res.Freshness.Operators, res.Freshness.SyncedAt))
	return nil
}

// copyAge says how fresh the copy of the directory is.
func copyAge(operators int, synced string) string {
	t, err := time.Parse(time.RFC3339, synced)
	if err != nil {
		return "The directory has not been downloaded yet: run 'ecert-desktop sync'."
	}
	return fmt.Sprintf("Directory of %d operators as of %s.", operators, t.Local().Format("02/01/2006 15:04"))
}

func (c *cmd) partnerStatus(args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError("give the partner's FLO ID, e.g. 3542")
	}
	id := args[0]
	var asJSON bool
	var proof string
	if _, err := c.flags("partner status", args[1:], func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "JSON output")
		fs.StringVar(&proof, "proof", "", "also write a dated proof of the status (PDF) to this file")
	}); err != nil {
		return err
	}
	var st partners.PartnerStatus
	var err error
	if proof != "" {
		st, err = c.app.Partners.Proof(c.ctx, id, proof)
	} else {
		st, err = c.app.Partners.Status(id)
	}
	if err != nil {
		return err
	}
	if proof != "" && !asJSON {
		defer fmt.Fprintf(c.stdout, "Proof written to %s.\n", proof)
	}
	if asJSON {
		return writeJSON(c.stdout, st)
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "FLO ID:\t%s\nName:\t%s\nCountry:\t%s\nRole:\t%s\nProducts:\t%s\nStatus:\t%s\nValid until:\t%s\nStatus since:\t%s\n",
		st.FLOID, st.Name, st.Country, st.Role, strings.Join(st.Products, ", "), st.Status, ddmmyyyy(string(st.ValidUntil)),
		st.StatusChangedAt.Local().Format("02/01/2006"))
	if err := w.Flush(); err != nil {
		return err
	}
	if st.Checked {
		t, _ := time.Parse(time.RFC3339, st.CheckedAt)
		fmt.Fprintf(c.stdout, "Checked with FLOCERT at %s.\n", t.Local().Format("02/01/2006 15:04"))
	} else {
		when := "the copy of the directory"
		if t, err := time.Parse(time.RFC3339, st.CopyAt); err == nil {
			when += " as of " + t.Local().Format("02/01/2006 15:04")
		}
		fmt.Fprintf(c.stdout, "Not checked with FLOCERT now (%s): status from %s.\n", st.NotChecked, when)
	}
	return nil
}
