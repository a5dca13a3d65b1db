package cli

import (
	"flag"
	"fmt"
)

// The headless check of the trail: the replica's chain against the organisation's.

func (c *cmd) audit(args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageError("audit needs a sub-command: verify")
	}
	var asJSON bool
	if _, err := c.flags("audit verify", args[1:], func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "JSON output")
	}); err != nil {
		return err
	}
	r, err := c.app.Audit.Verify()
	if err != nil {
		return err
	}
	if asJSON {
		if err := writeJSON(c.stdout, r); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(c.stdout, "Trail of this computer: %d entries, %d held by the server; the organisation's trail: %d entries.\n",
			r.Entries, r.Sent, r.Organisation)
	}
	switch {
	case r.Problem != nil:
		return plainError("the trail does not match at " + r.Problem.Error())
	case r.Refused != "":
		return plainError(fmt.Sprintf("the server refused this computer's trail from entry %d (%s)", r.RefusedSeq, r.Refused))
	}
	if !asJSON {
		if unsent := int64(r.Entries) - r.Sent; unsent > 0 {
			fmt.Fprintf(c.stdout, "%d entries are not on the server yet: they go with the next sync.\n", unsent)
		}
		fmt.Fprintln(c.stdout, "The trail matches.")
	}
	return nil
}
