package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
)

// TestDirectoryPull pages through the whole directory as a client does: every operator
// once, by seq, with public fields only; a pull from the last seq is empty.
func TestDirectoryPull(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	var all []api.Operator
	after, pages := int64(0), 0
	for {
		r := e.do("GET", "/directory?limit=100&after="+itoa(int(after)), coop, nil)
		if r.status != http.StatusOK {
			t.Fatalf("page after %d: %d %s", after, r.status, r.body)
		}
		var raw struct {
			Operators []map[string]json.RawMessage `json:"operators"`
		}
		decode(t, r.body, &raw)
		for _, op := range raw.Operators {
			for k := range op {
				if !slices.Contains([]string{"flo_id", "name", "country", "role", "products", "status", "valid_until", "status_changed_at", "seq"}, k) {
					t.Fatalf("a directory page carries %q: only public facts may travel", k)
				}
			}
		}
		var p api.DirectoryPage
		decode(t, r.body, &p)
		pages++
		for _, op := range p.Operators {
			if op.Seq <= after {
				t.Fatalf("seq %d after %d", op.Seq, after)
			}
			after = op.Seq
		}
		all = append(all, p.Operators...)
		if p.After != after {
			t.Fatalf("page says after=%d, its last operator %d", p.After, after)
		}
		if !p.More {
			break
		}
	}
	if len(all) != 302 || pages != 4 {
		t.Errorf("%d operators in %d pages, want 302 in 4 (2 known + the test's 300)", len(all), pages)
	}
	var p api.DirectoryPage
	decode(t, e.do("GET", "/directory?after="+itoa(int(after)), coop, nil).body, &p)
	if len(p.Operators) != 0 || p.More || p.After != after {
		t.Errorf("pull from the last seq: %+v", p)
	}

	// One operator, fresh; an unknown one says so.
	var op api.Operator
	decode(t, e.do("GET", "/directory/"+demo.OrgCoop, coop, nil).body, &op)
	if op.Name != "Coopérative des Planteurs du Mont Vert" || op.Status != api.StatusCertified {
		t.Errorf("coop as an operator: %+v", op)
	}
	wantError(t, e.do("GET", "/directory/999", coop, nil), 404, api.CodePartnerUnknown)
	// The estate reads the same public facts.
	if r := e.do("GET", "/directory/"+demo.OrgCoop, e.token("estate"), nil); r.status != 200 {
		t.Errorf("estate reading the directory: %d", r.status)
	}
}

// TestConsoleSuspendsOperator: the analyst suspends an operator in the console; a
// client's next pull brings that one change, and GET /directory/{flo_id} says so at
// once. An auditor may not; what the status does not allow is refused.
func TestConsoleSuspendsOperator(t *testing.T) {
	m := newMatrix(t)
	e := m.env
	coop := e.token("coop")
	var start api.DirectoryPage
	decode(t, e.do("GET", "/directory?limit=10000", coop, nil).body, &start)

	analyst, csrf := consoleSession(t, m, "analyst")
	if p := consoleSend(t, m, "GET", "/console/operators?flo="+demo.OrgCoop, analyst, nil); p.status != 200 {
		t.Fatalf("operator page: %d %s", p.status, p.body)
	}
	if p := consoleSend(t, m, "GET", "/console/operators?flo=nobody", analyst, nil); p.status != 404 {
		t.Errorf("an unknown FLO ID: %d", p.status)
	}
	auditor, auditorCSRF := consoleSession(t, m, "auditor")
	if p := consoleSend(t, m, "POST", "/console/operators/"+demo.OrgCoop+"/suspend", auditor, url.Values{"csrf": {auditorCSRF}}); p.status != 403 {
		t.Errorf("an auditor suspending: %d", p.status)
	}
	if p := consoleSend(t, m, "POST", "/console/operators/"+demo.OrgCoop+"/suspend", analyst, url.Values{"csrf": {csrf}}); p.status != http.StatusSeeOther {
		t.Fatalf("suspend: %d %s", p.status, p.body)
	}
	var p api.DirectoryPage
	decode(t, e.do("GET", "/directory?after="+itoa(int(start.After)), coop, nil).body, &p)
	if len(p.Operators) != 1 || p.Operators[0].FLOID != demo.OrgCoop || p.Operators[0].Status != api.StatusSuspended {
		t.Fatalf("the pull after the suspension: %+v", p)
	}
	var op api.Operator
	decode(t, e.do("GET", "/directory/"+demo.OrgCoop, coop, nil).body, &op)
	if op.Status != api.StatusSuspended || !op.StatusChangedAt.Equal(e.clock.Now()) {
		t.Errorf("after the suspension: %+v (clock %v)", op, e.clock.Now())
	}

	// A decertified operator cannot be suspended; nothing changes.
	var decertified string
	for _, o := range start.Operators {
		if o.Status == api.StatusDecertified {
			decertified = o.FLOID
			break
		}
	}
	if p := consoleSend(t, m, "POST", "/console/operators/"+decertified+"/suspend", analyst, url.Values{"csrf": {csrf}}); p.status != http.StatusConflict {
		t.Errorf("suspending a decertified operator: %d", p.status)
	}
	if p := consoleSend(t, m, "POST", "/console/operators/"+demo.OrgCoop+"/reinstate", analyst, url.Values{"csrf": {csrf}}); p.status != http.StatusSeeOther {
		t.Fatalf("reinstate: %d %s", p.status, p.body)
	}
	decode(t, e.do("GET", "/directory?after="+itoa(int(p.After)), coop, nil).body, &p)
	if len(p.Operators) != 1 || p.Operators[0].Status != api.StatusCertified {
		t.Errorf("the pull after reinstating: %+v", p.Operators)
	}
}

// TestDirectoryGzip: the directory travels gzipped to a client that accepts it.
func TestDirectoryGzip(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/directory", e.token("coop"), nil, "Accept-Encoding", "gzip")
	if r.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", r.header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	var p api.DirectoryPage
	decode(t, raw, &p)
	if len(p.Operators) != 302 {
		t.Errorf("%d operators", len(p.Operators))
	}
}
