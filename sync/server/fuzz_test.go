package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// fuzzServer starts a server with the demo data and returns its handler and a coop token.
func fuzzServer(f *testing.F) (http.Handler, string) {
	srv := servertest.Start(f)
	h := srv.Handler()
	rec := httptest.NewRecorder()
	body, _ := json.Marshal(api.LoginRequest{Username: "coop", Password: "coop"})
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, api.Version+"/auth/login", bytes.NewReader(body)))
	var s api.Session
	if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil || s.AccessToken == "" {
		f.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	return h, s.AccessToken
}

// checkAnswer fails on a server error or an answer that is not the API's JSON.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("server error %d: %s", rec.Code, rec.Body)
	}
	if rec.Code >= 400 {
		var e api.Error
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Code == "" {
			t.Fatalf("a %d without an API error: %q", rec.Code, rec.Body)
		}
	}
}

// The push decoder takes any body: a 4xx with the API's error, or one result per entry.
func FuzzPushRequest(f *testing.F) {
	h, token := fuzzServer(f)
	for _, seed := range []string{
		`{"client_id":"fuzzclient0000001","entries":[{"seq":1,"kind":"message","nc_id":"NC-167140-2019","text":"x"}]}`,
		`{"client_id":"fuzzclient0000001","entries":[{"seq":2,"kind":"ca.draft","nc_id":"NC-167140-2019","text":"y","base_revision":0}]}`,
		`{"client_id":"fuzzclient0000001","entries":[{"seq":3,"kind":"evidence.add","nc_id":"NC-150424-2019","evidence_id":"PM-1","file":{"sha256":"00","name":"../../x"}}]}`,
		`{"client_id":"","entries":[]}`, `{"entries":[{"seq":-1}]}`, `[]`, `null`, `{"client_id":"a\u0000b"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, api.Version+"/push", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		h.ServeHTTP(rec, req)
		checkAnswer(t, rec)
		if rec.Code == http.StatusOK {
			var in api.PushRequest
			var out api.PushResponse
			json.Unmarshal(body, &in)
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Results) != len(in.Entries) {
				t.Fatalf("%d results for %d entries: %s", len(out.Results), len(in.Entries), rec.Body)
			}
		}
	})
}

// The change feed's query decoder takes any cursor and limit.
func FuzzChangesQuery(f *testing.F) {
	h, token := fuzzServer(f)
	f.Add("", "10")
	f.Add("0", "2000")
	f.Add("-1", "0")
	f.Add("99999999999999999999", "1e3")
	f.Fuzz(func(t *testing.T, cursor, limit string) {
		rec := httptest.NewRecorder()
		q := url.Values{"cursor": {cursor}, "limit": {limit}}
		req := httptest.NewRequest(http.MethodGet, api.Version+"/changes?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		h.ServeHTTP(rec, req)
		checkAnswer(t, rec)
	})
}
