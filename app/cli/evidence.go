package cli

import (
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/attach"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The headless evidence commands.

func (c *cmd) evidence(args []string) error {
	if len(args) == 0 {
		return usageError("evidence needs a sub-command: add, list, ready or link")
	}
	sub := args[0]
	id, rest, err := ncArg(args[1:])
	if err != nil {
		return err
	}
	switch sub {
	case "link":
		return c.evidenceLink(id, rest)
	case "add":
		files, err := c.flags("evidence add", rest, nil)
		if err != nil {
			return err
		}
		if len(files) == 0 {
			return usageError("give the files to attach")
		}
		res, err := c.app.Attach(c.ctx, id, files, attach.SourceCLI)
		if err != nil {
			return err
		}
		failed, full := 0, false
		for _, r := range res {
			switch {
			case r.Code != "":
				failed++
				full = full || r.Code == api.CodeDiskFull
				fmt.Fprintf(c.stdout, "Not attached: %s — %s\n", r.Path, explain(&app.CodeError{Code: r.Code}))
			case r.OriginalSize > 0:
				fmt.Fprintf(c.stdout, "Attached %s to %s (a %s copy is sent; the %s original stays here)\n",
					r.Name, id, humanBytes(r.Size), humanBytes(r.OriginalSize))
			default:
				fmt.Fprintf(c.stdout, "Attached %s to %s (%s)\n", r.Name, id, humanBytes(r.Size))
			}
		}
		fmt.Fprintln(c.stdout, "The files go to the server with the next sync.")
		if full {
			return &app.CodeError{Code: api.CodeDiskFull}
		}
		if failed > 0 {
			return &app.CodeError{Code: api.CodeInvalidInput}
		}
		return nil
	case "list":
		var asJSON bool
		if _, err := c.flags("evidence list", rest, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "JSON output") }); err != nil {
			return err
		}
		d, err := c.app.Portal.NC(id)
		if err != nil {
			return err
		}
		rows := d.Evidence
		if asJSON {
			return writeJSON(c.stdout, rows)
		}
		w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tSIZE\tSHA-256\tSTATE\tSUBJECT")
		for _, r := range rows {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", r.Evidence.File.Name, humanBytes(r.Evidence.File.Size),
				r.Evidence.File.SHA256, r.State, r.Evidence.Subject)
		}
		return w.Flush()
	case "ready":
		var undo bool
		if _, err := c.flags("evidence ready", rest, func(fs *flag.FlagSet) { fs.BoolVar(&undo, "undo", false, "take the mark off") }); err != nil {
			return err
		}
		if err := c.app.Evidence.SetReady(id, !undo); err != nil {
			return err
		}
		if undo {
			fmt.Fprintf(c.stdout, "The evidence of %s is no longer marked ready.\n", id)
		} else {
			fmt.Fprintf(c.stdout, "The evidence of %s is marked ready to send (✓). 'ecert-desktop send' sends it.\n", id)
		}
		return nil
	}
	return usageError("evidence needs a sub-command: add, list, ready or link")
}
