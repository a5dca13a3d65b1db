package console

import (
	"net/http"
	"sort"

	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// CrashesShown is how many of the latest crash reports the page lists.
const CrashesShown = 200

// crashGroup is the reports of one place in the code (their first frame) and version.
type crashGroup struct {
	Where, Version, Panic string
	Count                 int
	Orgs                  int
	Latest                store.CrashRecord
}

// consoleCrashes lists the desktop apps' crash reports, newest first, and groups them
// by where they crashed, so that the operators see which crash is frequent.
func (cn *Console) consoleCrashes(w http.ResponseWriter, r *http.Request) {
	recs, err := cn.store.CrashReports(r.Context(), CrashesShown)
	if err != nil {
		cn.consoleError(w, r, err)
		return
	}
	groups := map[string]*crashGroup{}
	orgs := map[string]map[string]bool{}
	var order []string
	for _, rec := range recs {
		where := rec.Report.Kind
		if len(rec.Report.Frames) > 0 {
			where = rec.Report.Frames[0]
		}
		key := where + "\x00" + rec.Report.Version
		g, ok := groups[key]
		if !ok {
			g = &crashGroup{Where: where, Version: rec.Report.Version, Panic: rec.Report.Panic, Latest: rec}
			groups[key], orgs[key] = g, map[string]bool{}
			order = append(order, key)
		}
		g.Count++
		orgs[key][rec.OrgID] = true
		g.Orgs = len(orgs[key])
	}
	out := make([]crashGroup, 0, len(order))
	for _, k := range order {
		out = append(out, *groups[k])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	cn.render(w, r, http.StatusOK, "crashes", page{Title: tr(r).T("crashes.title"), Data: struct {
		Groups  []crashGroup
		Reports []store.CrashRecord
	}{out, recs}})
}
