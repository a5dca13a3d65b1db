package server_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
)

// The security suite: for every route of the API (server.Routes, the same table the
// OpenAPI check uses), the callers that must be refused are tried — no token, a garbage
// token, a token revoked by logging out, an expired token, an analyst's token, and
// another organisation reaching for coop's items — and each must be refused with the
// API's error and change nothing.

// publicRoutes need no token.
var publicRoutes = map[string]bool{
	"GET /health": true, "POST /auth/login": true, "POST /auth/refresh": true,
	"OPTIONS " + api.UploadsPath: true, "OPTIONS " + api.UploadsPath + "{id}": true,
	"GET /release/manifest": true, "GET /release/files/{name}": true, // release_test.go
	"GET " + api.CalendarPath + "{file}": true, // its token is the path: calendar_test.go
}

// coopPath fills a route's path parameters with coop's items.
func coopPath(t *testing.T, e *env, coop, path string) string {
	t.Helper()
	if !strings.Contains(path, "{") {
		return path
	}
	changes := e.allChanges(coop, 2000)
	first := func(entity string) api.Change {
		for _, c := range changes {
			if c.Entity == entity && c.Op == api.OpUpsert {
				return c
			}
		}
		t.Fatalf("coop has no %s", entity)
		return api.Change{}
	}
	var cert api.Certificate
	json.Unmarshal(first(api.EntityCertificate).Data, &cert)
	switch {
	case strings.HasPrefix(path, "/audits/"):
		return "/audits/" + first(api.EntityAudit).ID
	case strings.HasPrefix(path, "/ncs/"):
		return strings.Replace(path, "{id}", "NC-167140-2019", 1)
	case strings.HasPrefix(path, "/certificates/"):
		return "/certificates/" + cert.ID
	case strings.HasPrefix(path, "/documents/"):
		return "/documents/" + first(api.EntityDocument).ID
	case strings.HasPrefix(path, "/files/"):
		return "/files/" + cert.File.SHA256
	case strings.HasPrefix(path, "/release/files/"):
		return "/release/files/" + testReleaseFile
	case strings.HasPrefix(path, "/directory/"):
		return "/directory/" + demo.OrgCoop // public: the same answer for every organisation
	case strings.HasPrefix(path, api.OrgUsersPath+"/"):
		return strings.Replace(path, "{username}", "coop-staff", 1)
	case strings.HasPrefix(path, api.CalendarPath):
		return coopFeed(t, e, coop)
	case strings.HasPrefix(path, api.UploadsPath):
		return api.UploadsPath + coopUpload(t, e, coop)
	}
	t.Fatalf("no coop item for %s", path)
	return ""
}

// coopUpload creates an unfinished upload of coop's and returns its id.
func coopUpload(t *testing.T, e *env, coop string) string {
	t.Helper()
	sum := strings.Repeat("ab", 32)
	req, _ := http.NewRequest("POST", e.http.URL+api.Version+api.UploadsPath, nil)
	req.Header.Set("Authorization", "Bearer "+coop)
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Upload-Length", "10")
	req.Header.Set("Upload-Metadata", "sha256 "+b64(sum)+",filename "+b64("a.pdf")+",filetype "+b64("application/pdf"))
	res, err := e.http.Client().Do(req)
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("create coop's upload: %v %v", err, res)
	}
	loc := res.Header.Get("Location")
	return loc[strings.LastIndex(loc, "/")+1:]
}

// refusal is one caller that must be refused, and how.
type refusal struct {
	name   string
	token  string
	status []int // acceptable statuses
}

func TestEveryRouteRefusesWhoMustBeRefused(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	analyst, staff := e.token("analyst"), e.token("coop-staff")
	expiredEnv := e.token("coop") // made stale below by moving the clock
	revoked := e.token("coop")
	if r := e.do("POST", "/auth/logout", revoked, map[string]string{}); r.status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	before := e.allChanges(coop, 2000)

	counts := map[string]int{}
	for _, r := range server.Routes() {
		key := r.Method + " " + r.Path
		if publicRoutes[key] || r.Console { // console pages: TestEveryConsolePageRefusesWhoMustBeRefused
			continue
		}
		path := coopPath(t, e, coop, r.Path)
		cases := []refusal{
			{"no token", "", []int{401}},
			{"garbage token", "not-a-token", []int{401}},
			{"a revoked token (logged out)", revoked, []int{401}},
			{"an analyst's token", analyst, []int{403}},
		}
		if r.Path != "/me" && r.Path != "/auth/logout" && r.Path != "/auth/password" && r.Path != "/changes" && r.Path != "/push" && r.Path != "/blobs/missing" && r.Path != api.UploadsPath &&
			r.Path != api.OrgUsersPath && // the caller's own organisation's accounts
			r.Path != api.CrashReportsPath && // a report is the sender's own: there is no other organisation's to reach
			r.Path != "/trail" && // the caller's own organisation's chain (TestTrailStaysWithItsOrganisation)
			r.Path != api.CalendarFeedPath && // the caller's own feed (TestCalendarFeedIsolation)
			!strings.HasPrefix(r.Path, "/directory") { // the directory is public facts, the same for all

			// Another organisation asking for coop's item: not found, as if it did not exist.
			cases = append(cases, refusal{"another organisation", estate, []int{404}})
		}
		if r.Path == "/me" || r.Path == "/auth/logout" {
			cases = cases[:3] // an analyst may read itself and log out
		}
		if strings.HasPrefix(r.Path, api.OrgUsersPath) {
			// The organisation's accounts are its manager's: its staff are refused.
			cases = append(cases, refusal{"a staff token on a manager's route", staff, []int{403}})
		}
		for _, c := range cases {
			status, body := call(t, e, r.Method, path, c.token)
			if !contains(c.status, status) {
				t.Errorf("%s %s with %s: got %d %s, want %v", r.Method, path, c.name, status, body, c.status)
				continue
			}
			if r.Method != "HEAD" && !isAPIError(body) {
				t.Errorf("%s %s with %s: %d without the API's error: %q", r.Method, path, c.name, status, body)
			}
			counts[key]++
		}
	}

	// An expired token, on every route that takes one.
	e.clock.Add(16 * time.Minute)
	for _, r := range server.Routes() {
		key := r.Method + " " + r.Path
		if publicRoutes[key] || r.Console || strings.HasPrefix(r.Path, api.UploadsPath+"{") {
			continue
		}
		path := r.Path
		if strings.Contains(path, "{") {
			path = strings.NewReplacer("{id}", "x", "{sha256}", strings.Repeat("0", 64)).Replace(path)
		}
		status, body := call(t, e, r.Method, path, expiredEnv)
		if status != 401 || !strings.Contains(body, api.CodeTokenExpired) {
			t.Errorf("%s %s with an expired token: got %d %s, want 401 token_expired", r.Method, path, status, body)
			continue
		}
		counts[key]++
	}

	// Nothing changed for coop.
	fresh := e.token("coop")
	after := e.allChanges(fresh, 2000)
	if len(after) != len(before) {
		t.Errorf("coop's change log went from %d to %d entries during the refused calls", len(before), len(after))
	}
	report(t, counts)
}

// report logs the number of refused cases per route (the figure the security note cites).
func report(t *testing.T, counts map[string]int) {
	keys := make([]string, 0, len(counts))
	total := 0
	for k, n := range counts {
		keys = append(keys, k)
		total += n
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-38s %d refused as they should be\n", k, counts[k])
	}
	t.Logf("security cases per route (%d in all):\n%s", total, b.String())
}

func call(t *testing.T, e *env, method, path, token string) (int, string) {
	t.Helper()
	var body []byte
	if method == "POST" || method == "PATCH" {
		body = []byte(`{}`)
	}
	req, err := http.NewRequest(method, e.http.URL+api.Version+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Tus-Resumable", "1.0.0")
	if method == "PATCH" {
		req.Header.Set("Content-Type", "application/offset+octet-stream")
		req.Header.Set("Upload-Offset", "0")
	}
	res, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(res.Body)
	return res.StatusCode, out.String()
}

func isAPIError(body string) bool {
	var e api.Error
	return json.Unmarshal([]byte(body), &e) == nil && e.Code != ""
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
