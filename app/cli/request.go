package cli

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/ecert-desktop/ecert-desktop/app/requests"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The headless commands of change requests: ask FLOCERT to update a contact or the
// master data, and list the requests with where each stands.

func (c *cmd) request(args []string) error {
	if len(args) == 0 {
		return usageError("request needs a sub-command: contact, org or list")
	}
	switch args[0] {
	case "list":
		return c.requestList(args[1:])
	case "contact":
		return c.requestChange(api.TargetContact, args[1:])
	case "org":
		return c.requestChange(api.TargetOrganisation, args[1:])
	}
	return usageError("request needs a sub-command: contact, org or list")
}

func (c *cmd) requestChange(target string, args []string) error {
	allowed := api.ContactFields
	if target == api.TargetOrganisation {
		allowed = api.OrgFields
	}
	var asJSON, add, remove bool
	var note string
	values := map[string]*fieldFlag{}
	rest, err := c.flags("request "+target, args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "JSON output")
		fs.StringVar(&note, "note", "", "a word to the analyst")
		if target == api.TargetContact {
			fs.BoolVar(&add, "add", false, "add a contact")
			fs.BoolVar(&remove, "remove", false, "remove the contact")
		}
		for k := range allowed {
			values[k] = new(fieldFlag)
			fs.Var(values[k], strings.ReplaceAll(k, "_", "-"), k)
		}
	})
	if err != nil {
		return err
	}
	p := api.ChangeProposal{Target: target, Action: api.ActionUpdate, Note: note, Fields: map[string]string{}}
	switch {
	case add && remove:
		return usageError("--add and --remove exclude each other")
	case add:
		p.Action = api.ActionAdd
	case remove:
		p.Action = api.ActionRemove
	}
	needsID := target == api.TargetContact && !add
	switch {
	case needsID && len(rest) != 1:
		return usageError("give the contact's id (see 'status' or the Contacts page), e.g. C-3542-02")
	case !needsID && len(rest) != 0:
		return usageError("unexpected argument " + rest[0])
	case needsID:
		p.TargetID = rest[0]
	}
	for k, v := range values {
		if v.set {
			p.Fields[k] = v.value
		}
	}
	if remove && len(p.Fields) > 0 {
		return usageError("--remove takes no field")
	}
	r, err := c.app.Requests.Propose(p)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(c.stdout, r)
	}
	fmt.Fprintln(c.stdout, "Change request kept; it goes to FLOCERT with the next sync ('ecert-desktop sync').")
	return nil
}

func (c *cmd) requestList(args []string) error {
	var asJSON bool
	if _, err := c.flags("request list", args, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "JSON output") }); err != nil {
		return err
	}
	rows, err := c.app.Requests.List()
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(c.stdout, rows)
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "STATE\tWHAT\tCHANGE\tREQUESTED\tANALYST'S COMMENT")
	for _, r := range rows {
		state := r.State
		if r.State == requests.StateNotSent {
			state += " (" + r.Code + ")"
		}
		what := r.Action + " " + r.Target
		if r.TargetID != "" && r.Target == api.TargetContact {
			what += " " + r.TargetID
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", state, what, change(r), r.RequestedAt, r.Comment)
	}
	return w.Flush()
}

// fieldFlag is a field's flag: given, even empty (to clear a value), or not.
type fieldFlag struct {
	value string
	set   bool
}

func (f *fieldFlag) String() string { return f.value }

func (f *fieldFlag) Set(v string) error {
	f.value, f.set = v, true
	return nil
}

// change says "field: old → new" for each field of a request.
func change(r requests.Request) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(r.Fields)) {
		if old := r.Old[k]; old != "" {
			parts = append(parts, k+": "+old+" → "+r.Fields[k])
		} else {
			parts = append(parts, k+": "+r.Fields[k])
		}
	}
	return strings.Join(parts, "; ")
}
