package server_test

import (
	"os"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/ecert-desktop/ecert-desktop/sync/server"
)

// TestOpenAPIMatchesRoutes fails when a served route is undocumented or a documented
// route is not served.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	raw, err := os.ReadFile("../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                    `yaml:"openapi"`
		Paths   map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	operators := map[string]bool{} // documented at the root, outside the API's prefix
	for path, ops := range doc.Paths {
		_, atRoot := ops["servers"]
		for method, v := range ops {
			if method == "parameters" || method == "servers" { // path-level, shared by the methods
				continue
			}
			if atRoot {
				operators[strings.ToUpper(method)+" "+path] = true
			} else {
				documented[strings.ToUpper(method)+" "+path] = true
			}
			op, _ := v.(map[string]any)
			if _, ok := op["responses"]; !ok {
				t.Errorf("%s %s has no responses", method, path)
			}
		}
	}
	served := map[string]bool{}
	for _, r := range server.Routes() {
		if r.Console { // HTML pages, not part of the API
			continue
		}
		served[r.Method+" "+r.Path] = true
	}
	var missing, extra []string
	for k := range served {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !served[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("served but not in openapi.yaml: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("in openapi.yaml but not served: %v", extra)
	}
	// The operators' routes, served outside the API's prefix.
	for _, r := range []string{"GET " + server.ReadyPath, "GET " + server.MetricsPath} {
		if !operators[r] {
			t.Errorf("operator route %s not in openapi.yaml (at the root: servers url /)", r)
		}
		delete(operators, r)
	}
	if len(operators) > 0 {
		t.Errorf("in openapi.yaml at the root but not served: %v", operators)
	}
}
