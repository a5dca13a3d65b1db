package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/ecert-desktop/ecert-desktop/app/library"
)

// The headless commands of the files library: list and search the organisation's
// files, link one to an NC's evidence with no upload.

func (c *cmd) files(args []string) error {
	if len(args) == 0 || args[0] != "list" {
		return usageError("files needs a sub-command: list")
	}
	var q library.Query
	var asJSON bool
	words, err := c.flags("files list", args[1:], func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "JSON output")
		fs.StringVar(&q.Text, "search", "", "words to find in names, subjects, NC numbers, types")
		fs.StringVar(&q.Kind, "kind", "", "evidence, document or certificate")
	})
	if err != nil {
		return err
	}
	if len(words) > 0 {
		q.Text = strings.TrimSpace(q.Text + " " + strings.Join(words, " "))
	}
	files, err := c.app.Library.List(q)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(c.stdout, files)
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tSIZE\tKIND\tUSED BY\tSHA-256")
	for _, f := range files {
		used := strings.Join(f.NCs, ", ")
		if used == "" {
			used = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", f.Name, humanBytes(f.Size), strings.Join(f.Kinds, ", "), used, f.SHA256)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%d files. 'ecert-desktop evidence link NC-… SHA256' links one to an NC's evidence, with no upload.\n", len(files))
	return nil
}

// evidenceLink is "evidence link NC-… SHA256 [--subject S]".
func (c *cmd) evidenceLink(id string, rest []string) error {
	var subject string
	args, err := c.flags("evidence link", rest, func(fs *flag.FlagSet) {
		fs.StringVar(&subject, "subject", "", "the subject of the evidence file")
	})
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return usageError("give the file's SHA-256 ('ecert-desktop files list' shows it)")
	}
	res, err := c.app.Library.Link(id, strings.ToLower(args[0]), subject)
	if err != nil {
		return err
	}
	if res.Already {
		fmt.Fprintf(c.stdout, "%s has this file already (%s): nothing to do.\n", id, res.ID)
		return nil
	}
	fmt.Fprintf(c.stdout, "Linked to %s as %s, with no upload. It goes to the server with the next sync.\n", id, res.ID)
	return nil
}
