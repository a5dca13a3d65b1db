package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// TestEvidenceLinkRefusesBadInput: every bad field of an evidence.link entry gets the
// entry rejected with a clear code, and nothing is stored but the rejection itself.
// (The route's own matrix, in badinput_cases_test.go, drives an evidence.add entry.)
func TestEvidenceLinkRefusesBadInput(t *testing.T) {
	m := newMatrix(t)
	valid := func() api.PushEntry {
		return api.PushEntry{Seq: 1, Kind: api.KindEvidenceLink, NCID: ncEvidence, EvidenceID: "PM-" + randomID(),
			File: &api.FileRef{SHA256: m.blob.SHA256}}
	}
	cases := []struct {
		name   string
		change func(e *api.PushEntry)
		code   string
	}{
		// The file.
		{"no file", func(e *api.PushEntry) { e.File = nil }, api.CodeBadEntry},
		{"empty hash", func(e *api.PushEntry) { e.File.SHA256 = "" }, api.CodeBadEntry},
		{"upper-case hash", func(e *api.PushEntry) { e.File.SHA256 = strings.ToUpper(m.blob.SHA256) }, api.CodeBadEntry},
		{"path traversal as hash", func(e *api.PushEntry) { e.File.SHA256 = "../../../etc/passwd" }, api.CodeBadEntry},
		{"a hash nobody has", func(e *api.PushEntry) { e.File.SHA256 = sum256([]byte("nobody")) }, api.CodeFileUnknown},
		{"a refused type by its new name", func(e *api.PushEntry) { e.File.Name = "registre.exe" }, api.CodeTypeRefused},
		{"a NUL byte in the name", func(e *api.PushEntry) { e.File.Name = "registre.pdf\x00.exe" }, api.CodeTypeRefused},
		// The attachment.
		{"no evidence id", func(e *api.PushEntry) { e.EvidenceID = "" }, api.CodeBadEntry},
		{"an evidence id with a slash", func(e *api.PushEntry) { e.EvidenceID = "../x" }, api.CodeBadEntry},
		{"an over-long evidence id", func(e *api.PushEntry) { e.EvidenceID = strings.Repeat("P", 129) }, api.CodeBadEntry},
		{"an over-long subject", func(e *api.PushEntry) { e.Text = strings.Repeat("s", api.MaxTextBytes+1) }, api.CodeTextTooLong},
		// The NC.
		{"no NC", func(e *api.PushEntry) { e.NCID = "" }, api.CodeNCNotFound},
		{"another organisation's NC", func(e *api.PushEntry) { e.NCID = "NC-171520-2019" }, api.CodeNCNotFound},
		{"an NC at the CA step", func(e *api.PushEntry) { e.NCID = "NC-167140-2019" }, api.CodeNotAwaitingEvidence},
		{"a closed NC", func(e *api.PushEntry) { e.NCID = "NC-131877-2018" }, api.CodeNCClosed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := valid()
			c.change(&e)
			body, err := json.Marshal(api.PushRequest{ClientID: "client-" + randomID(), Entries: []api.PushEntry{e}})
			if err != nil {
				t.Fatal(err)
			}
			before := m.snapshot(t)
			res := m.send(m.request("POST", "/push", m.coop, body, false, "Content-Type", "application/json"))
			after := m.snapshot(t)
			var pr api.PushResponse
			if res.status != http.StatusOK || json.Unmarshal(res.body, &pr) != nil || len(pr.Results) != 1 {
				t.Fatalf("got %d %s", res.status, res.body)
			}
			if r := pr.Results[0]; r.Status != api.PushRejected || r.Code != c.code || r.Message == "" {
				t.Errorf("got %s %q (%s), want rejected %s", r.Status, r.Code, r.Message, c.code)
			}
			for _, d := range before.diff(after, true, "") {
				t.Errorf("stored something: %s", d)
			}
		})
	}
	// The valid entry the cases start from is applied.
	body, _ := json.Marshal(api.PushRequest{ClientID: "client-" + randomID(), Entries: []api.PushEntry{valid()}})
	res := m.send(m.request("POST", "/push", m.coop, body, false, "Content-Type", "application/json"))
	var pr api.PushResponse
	if json.Unmarshal(res.body, &pr) != nil || len(pr.Results) != 1 || pr.Results[0].Status != api.PushApplied {
		t.Errorf("the valid link: %d %s", res.status, res.body)
	}
}
