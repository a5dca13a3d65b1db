package directory_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"
	"unicode"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
)

var now = time.Date(2026, 12, 5, 14, 2, 0, 0, time.UTC)

// TestGenerate: the demo directory is the same for a seed, its FLO IDs are unique and
// clear of the known operators', and it is as varied as the real one.
func TestGenerate(t *testing.T) {
	a := directory.Generate(directory.DemoSeed, 30000, now)
	b := directory.Generate(directory.DemoSeed, 30000, now)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two directories of one seed differ")
	}
	if c := directory.Generate(directory.DemoSeed+1, 100, now); reflect.DeepEqual(a[:100], c) {
		t.Error("another seed gives the same directory")
	}
	ids := map[string]bool{}
	for _, k := range directory.Known(now) {
		ids[k.FLOID] = true
	}
	countries, statuses, roles := map[string]int{}, map[string]int{}, map[string]int{}
	scripts := map[string]bool{}
	accents := 0
	for _, op := range a {
		if ids[op.FLOID] {
			t.Fatalf("FLO ID %s twice", op.FLOID)
		}
		ids[op.FLOID] = true
		countries[op.Country]++
		statuses[op.Status]++
		roles[op.Role]++
		if !slices.Contains(api.OperatorStatuses, op.Status) || !slices.Contains(api.OperatorRoles, op.Role) {
			t.Fatalf("operator %+v", op)
		}
		if op.Name == "" || len(op.Products) == 0 || op.StatusChangedAt.After(now) {
			t.Fatalf("operator %+v", op)
		}
		for _, r := range op.Name {
			for name, tab := range map[string]*unicode.RangeTable{"Han": unicode.Han, "Arabic": unicode.Arabic, "Thai": unicode.Thai,
				"Cyrillic": unicode.Cyrillic, "Greek": unicode.Greek, "Ethiopic": unicode.Ethiopic, "Devanagari": unicode.Devanagari, "Hangul": unicode.Hangul} {
				if unicode.Is(tab, r) {
					scripts[name] = true
				}
			}
			if r > 0x7f && unicode.IsLetter(r) && unicode.In(r, unicode.Latin) {
				accents++
				break
			}
		}
	}
	if len(countries) < 70 {
		t.Errorf("%d countries, want at least 70", len(countries))
	}
	if len(scripts) < 6 {
		t.Errorf("scripts %v, want at least 6 besides Latin", scripts)
	}
	if accents < 3000 {
		t.Errorf("%d names with accented Latin letters", accents)
	}
	if statuses[api.StatusCertified] < 20000 || statuses[api.StatusSuspended] == 0 || statuses[api.StatusDecertified] == 0 || statuses[api.StatusInApplication] == 0 {
		t.Errorf("statuses %v", statuses)
	}
	if len(roles) != len(api.OperatorRoles) {
		t.Errorf("roles %v", roles)
	}

	// The whole directory as a client pulls it, gzipped, stays small.
	for i := range a {
		a[i].Seq = int64(i + 1)
	}
	raw, _ := json.Marshal(api.DirectoryPage{Operators: a})
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.DefaultCompression)
	zw.Write(raw)
	zw.Close()
	t.Logf("30,000 operators: %d bytes of JSON, %d gzipped", len(raw), z.Len())
}
