package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The headless commands on non-conformities and corrective measures.

func (c *cmd) nc(args []string) error {
	if len(args) > 0 && args[0] == "show" {
		return c.ncShow(args[1:])
	}
	if len(args) > 0 && args[0] == "assign" {
		return c.ncAssign(args[1:])
	}
	if len(args) == 0 || args[0] != "list" {
		return usageError("nc needs a sub-command: list, show or assign")
	}
	var asJSON, mine bool
	var filter string
	if _, err := c.flags("nc list", args[1:], func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "JSON output")
		fs.StringVar(&filter, "filter", app.FilterAll, "ca, evidence, sent, open, history or all")
		fs.BoolVar(&mine, "mine", false, "only the NCs assigned to me")
	}); err != nil {
		return err
	}
	rows, err := c.app.Portal.NCs(filter)
	if err != nil {
		return err
	}
	if mine {
		if rows, err = c.onlyMine(rows); err != nil {
			return err
		}
	}
	if asJSON {
		return writeJSON(c.stdout, rows)
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NC\tAUDIT\tCRITERION\tRECEIVED\tDUE\tSTAGE")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.NC.ID, r.NC.AuditID, r.NC.CriterionNumber,
			ddmmyyyy(string(r.NC.ReceivedDate)), ddmmyyyy(string(r.Due)), r.NC.Stage)
	}
	return w.Flush()
}

// ncArg splits "NC-… --flags" into the NC id and the flags (the id may come first).
func ncArg(args []string) (string, []string, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return "", nil, usageError("give the NC number, e.g. NC-167140-2019")
	}
	return args[0], args[1:], nil
}

func (c *cmd) ncShow(args []string) error {
	id, rest, err := ncArg(args)
	if err != nil {
		return err
	}
	var asJSON bool
	if _, err := c.flags("nc show", rest, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "JSON output") }); err != nil {
		return err
	}
	d, err := c.app.Portal.NC(id)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(c.stdout, d)
	}
	nc := d.Row.NC
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "NC:\t%s\nAudit:\t%s %s %s\nCriterion:\t%s %s\nFinding:\t%s\nReceived:\t%s\nDue:\t%s\nStage:\t%s\n",
		nc.ID, nc.AuditID, ddmmyyyy(string(d.Audit.Date)), d.Audit.ServiceType, nc.CriterionNumber, nc.CriterionText,
		nc.Finding, ddmmyyyy(string(nc.ReceivedDate)), ddmmyyyy(string(d.Row.Due)), nc.Stage)
	if nc.CA != nil {
		fmt.Fprintf(w, "Corrective measure sent:\t%s\n", nc.CA.Text)
		if nc.CA.AnalystComment != "" {
			fmt.Fprintf(w, "Analyst's comment:\t%s\n", nc.CA.AnalystComment)
		}
	}
	if l := d.Local; l != nil {
		state := l.Draft + " draft"
		switch {
		case l.Queued:
			state = "queued to be sent"
		case l.Ready:
			state = "ready to send"
		}
		fmt.Fprintf(w, "Your corrective measure (%s):\t%s\n", state, l.Text)
		if l.Notice != "" {
			fmt.Fprintf(w, "Look again:\t%s\n", explainCode(l.Notice))
		}
	}
	for _, m := range d.Messages {
		fmt.Fprintf(w, "Message %s, %s:\t%s\n", m.SentAt.Local().Format("02/01/2006 15:04"), m.Author, m.Body)
	}
	for _, m := range d.Pending {
		state := "waiting to be sent"
		if m.Rejected {
			state = "refused: " + explainCode(m.Code)
		}
		fmt.Fprintf(w, "Your message (%s):\t%s\n", state, m.Text)
	}
	return w.Flush()
}

func (c *cmd) ca(args []string) error {
	if len(args) == 0 || (args[0] != "draft" && args[0] != "ready") {
		return usageError("ca needs a sub-command: draft or ready")
	}
	sub := args[0]
	id, rest, err := ncArg(args[1:])
	if err != nil {
		return err
	}
	var text string
	var textSet, undo bool
	if _, err := c.flags("ca "+sub, rest, func(fs *flag.FlagSet) {
		fs.Func("text", "the corrective measure", func(v string) error { text, textSet = v, true; return nil })
		fs.BoolVar(&undo, "undo", false, "take the ready mark off")
	}); err != nil {
		return err
	}
	if sub == "draft" {
		if !textSet {
			return usageError("--text is required")
		}
		if _, err := c.app.CA.SaveDraft(id, text); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Draft of %s saved. It goes to the server with the next sync.\n", id)
		return nil
	}
	if !textSet {
		if l, err := c.app.Store().Work.LocalCA(c.ctx, id); err == nil {
			text = l.Text
		} else if d, err := c.app.Store().Work.CADraft(c.ctx, id); err == nil {
			text = d.Text
		}
	}
	if _, err := c.app.CA.SetReady(id, text, !undo); err != nil {
		return err
	}
	if undo {
		fmt.Fprintf(c.stdout, "%s is no longer marked ready to send.\n", id)
	} else {
		fmt.Fprintf(c.stdout, "%s is marked ready to send (✓). 'ecert-desktop send' sends every ready item.\n", id)
	}
	return nil
}

func (c *cmd) send(args []string) error {
	var asJSON bool
	if _, err := c.flags("send", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
	}); err != nil {
		return err
	}
	r, err := c.app.CA.Send()
	if err != nil {
		return err
	}
	cas, err := c.queuedCAs()
	if err != nil {
		return err
	}
	if asJSON {
		// Written before the sync: what was queued is known even when the sync fails or
		// the process is stopped during it. The exit code tells how the sync went.
		if err := writeJSON(c.stdout, sendReport(r.Queued, r.NotReady, cas)); err != nil {
			return err
		}
		return c.app.SyncOnce(c.ctx, nil, nil)
	}
	for _, line := range sendSummary(r.Queued, r.NotReady, cas) {
		fmt.Fprintln(c.stdout, line)
	}
	if err := c.app.SyncOnce(c.ctx, nil, c.uploadProgress); err != nil {
		fmt.Fprintf(c.stdout, "Kept here; they go with the next sync (%s).\n", explain(err))
		return err
	}
	return c.reportOutbox()
}

// reportOutbox says what the server refused, and what still waits.
func (c *cmd) reportOutbox() error {
	items, err := c.app.Outbox.List()
	if err != nil {
		return err
	}
	pending := 0
	for _, it := range items {
		if it.State == store.OutboxRejected {
			fmt.Fprintf(c.stdout, "Refused by the server: %s %s — %s\n", it.Kind, it.NCID, explainCode(it.Code))
		} else {
			pending++
		}
	}
	locals, err := c.app.Store().Work.LocalCAs(c.ctx)
	if err != nil {
		return err
	}
	for _, l := range locals {
		if l.Notice != "" {
			fmt.Fprintf(c.stdout, "%s needs your attention: %s\n", l.NCID, explainCode(l.Notice))
		}
	}
	if pending == 0 {
		fmt.Fprintln(c.stdout, "Everything was sent.")
	} else {
		fmt.Fprintf(c.stdout, "%d change(s) still waiting to be sent.\n", pending)
	}
	return nil
}

func (c *cmd) message(args []string) error {
	if len(args) > 0 && (args[0] == "--general" || args[0] == "-general") {
		return c.generalMessage(args[1:])
	}
	id, rest, err := ncArg(args)
	if err != nil {
		return err
	}
	var text string
	if _, err := c.flags("message", rest, func(fs *flag.FlagSet) { fs.StringVar(&text, "text", "", "the message") }); err != nil {
		return err
	}
	if err := c.app.Outbox.Message(id, text); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Message on %s saved. It goes to the analyst with the next sync.\n", id)
	return nil
}

// generalMessage writes to FLOCERT in the organisation's general thread (about no NC).
func (c *cmd) generalMessage(args []string) error {
	var text string
	if _, err := c.flags("message --general", args, func(fs *flag.FlagSet) { fs.StringVar(&text, "text", "", "the message") }); err != nil {
		return err
	}
	if err := c.app.Outbox.GeneralMessage(text); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "Message to FLOCERT saved. It goes with the next sync.")
	return nil
}

// explainCode says in plain words what a notice or rejection code means.
func explainCode(code string) string {
	m := map[string]string{
		api.CodeDraftChanged:  "another computer saved a different draft; choose the text to keep in the app",
		api.CodeNCChanged:     "the analyst changed this NC; read the comment and mark it ready again",
		api.CodeNCClosed:      "the NC was closed; your text is kept but can no longer be sent",
		api.CodeNotAwaitingCA: "the NC does not expect a corrective measure now",
		api.CodeNCNotFound:    "the NC is not (or no longer) visible to your organisation",
		api.CodeEmptyText:     "the text is empty",
		api.CodeTextTooLong:   "the text is too long",
		api.CodeBadEntry:      "the server could not read this change",
	}
	if s, ok := m[code]; ok {
		return s
	}
	return code
}
