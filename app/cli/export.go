package cli

import (
	"flag"
	"fmt"
	"slices"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/calendar"
	"github.com/ecert-desktop/ecert-desktop/app/exports"
)

// The headless exports: the register (XLSX, PDF) and the deadlines calendar (.ics).

func (c *cmd) export(args []string) error {
	if len(args) == 0 || (args[0] != "register" && args[0] != "ics") {
		return usageError("export needs a sub-command: register or ics")
	}
	var out, format, filter, lang string
	var feed, revoke bool
	if _, err := c.flags("export "+args[0], args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "file to write")
		fs.StringVar(&format, "format", "", "xlsx or pdf")
		fs.StringVar(&filter, "filter", app.FilterAll, "ca, evidence, open, history or all")
		fs.StringVar(&lang, "lang", "", "fr, en, es or pt (default: the app's language)")
		if args[0] == "ics" {
			fs.BoolVar(&feed, "feed", false, "print the address of my calendar feed (made when there is none)")
			fs.BoolVar(&revoke, "revoke", false, "revoke my calendar feed")
		}
	}); err != nil {
		return err
	}
	if lang == "" {
		lang = c.app.Settings.Language()
	} else if !slices.Contains(exports.Languages, lang) {
		return usageError("--lang must be one of fr, en, es, pt")
	}
	if feed || revoke {
		if out != "" || (feed && revoke) {
			return usageError("--feed, --revoke and --out go one at a time")
		}
		return c.calendarFeed(revoke, lang)
	}
	if out == "" {
		return usageError("--out FILE is required")
	}
	start := time.Now()
	if args[0] == "ics" {
		n, err := exports.WriteCalendar(c.ctx, c.app.Export, out, lang)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Wrote %d deadlines to %s.\n", n, out)
		return nil
	}
	if format != exports.XLSX && format != exports.PDF {
		return usageError("--format must be xlsx or pdf")
	}
	last := time.Now()
	n, err := exports.WriteRegister(c.ctx, c.app.Export, out, format, filter, lang, func(done, total int) {
		// A line a second at most: the register of a large organisation takes a few.
		if time.Since(last) > time.Second && done < total {
			last = time.Now()
			fmt.Fprintf(c.stdout, "Exporting: %d of %d non-conformities\n", done, total)
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Wrote %d non-conformities to %s in %s.\n", n, out, time.Since(start).Round(time.Millisecond))
	return nil
}

// calendarFeed prints the address of the user's calendar feed, or revokes it. Online
// only: nothing of it is queued.
func (c *cmd) calendarFeed(revoke bool, lang string) error {
	if revoke {
		if err := calendar.Revoke(c.ctx, c.app.Calendar); err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, "Your calendar feed is revoked: its address no longer works.")
		return nil
	}
	url, created, err := calendar.FeedURL(c.ctx, c.app.Calendar, lang)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintln(c.stderr, "A new calendar feed was made; subscribe to this address in your calendar program (it replaces any address given before):")
	}
	fmt.Fprintln(c.stdout, url)
	return nil
}
