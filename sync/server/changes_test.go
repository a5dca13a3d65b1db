package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
)

func TestChangesRoles(t *testing.T) {
	e := newEnv(t)
	for _, user := range []string{"analyst", "auditor"} {
		wantError(t, e.do("GET", "/changes", e.token(user), nil), 403, api.CodeForbidden)
	}
	wantError(t, e.do("GET", "/changes", "", nil), 401, api.CodeUnauthorized)
}

func TestChangesBadInput(t *testing.T) {
	e := newEnv(t)
	tok := e.token("coop")
	for _, q := range []string{"cursor=abc", "cursor=-1", "cursor=1.5", "limit=0", "limit=10001", "limit=x", "pages=0", "pages=11", "pages=x"} {
		t.Run(q, func(t *testing.T) {
			wantError(t, e.do("GET", "/changes?"+q, tok, nil), 400, api.CodeBadRequest)
		})
	}
}

func TestChangesPaging(t *testing.T) {
	e := newEnv(t)
	tok := e.token("coop")
	all := e.allChanges(tok, 2000)
	if len(all) < 30 {
		t.Fatalf("only %d changes for the demo cooperative", len(all))
	}

	var got []api.Change
	cursor, pages := "", 0
	for {
		var p api.ChangesPage
		decode(t, e.do("GET", "/changes?limit=2&cursor="+cursor, tok, nil).body, &p)
		pages++
		if len(p.Changes) > 2 {
			t.Fatalf("page of %d changes, limit 2", len(p.Changes))
		}
		got = append(got, p.Changes...)
		cursor = p.Cursor
		if !p.More {
			break
		}
		if len(p.Changes) != 2 {
			t.Fatalf("short page with more=true: %d", len(p.Changes))
		}
	}
	if len(got) != len(all) {
		t.Fatalf("walked %d changes in %d pages, want %d", len(got), pages, len(all))
	}
	seen := map[string]bool{}
	for i, c := range got {
		if i > 0 && c.Seq <= got[i-1].Seq {
			t.Fatalf("seq not increasing: %d after %d", c.Seq, got[i-1].Seq)
		}
		k := c.Entity + "/" + c.ID
		if seen[k] {
			t.Fatalf("duplicate %s", k)
		}
		seen[k] = true
		if c.Entity == api.EntityNC && c.ID == hiddenNC {
			t.Fatalf("unconfirmed NC %s reached the client", c.ID)
		}
	}
	for _, want := range []string{"organisation/3542", "certification/3542", "nc/NC-167140-2019", "message/MSG-3542-0001",
		"evidence/PM-3542-0001", "criterion/2.2.0.03", "certificate/CERT-3542-2019", "document/DOC-3542-0001", "audit/AO-28681"} {
		if !seen[want] {
			t.Errorf("missing %s", want)
		}
	}
}

func TestChangesKeepLatestOnly(t *testing.T) {
	e := newEnv(t)
	tok := e.token("coop")
	before := e.allChanges(tok, 500)
	last := before[len(before)-1].Seq
	var nc api.NC
	decode(t, e.do("GET", "/ncs/NC-167140-2019", tok, nil).body, &nc)

	nc.Stage, nc.CAStatus = api.StageCASubmitted, api.StatusSubmitted
	if err := e.srv.UpsertNC(context.Background(), demo.OrgCoop, nc); err != nil {
		t.Fatal(err)
	}
	after := e.allChanges(tok, 500)
	if len(after) != len(before) {
		t.Fatalf("log grew from %d to %d rows on an update", len(before), len(after))
	}
	end := after[len(after)-1]
	if end.ID != nc.ID || end.Seq <= last {
		t.Fatalf("updated NC not at the end with a new seq: %+v (last was %d)", end, last)
	}
	var got api.NC
	decode(t, end.Data, &got)
	if got.Revision != nc.Revision+1 || got.Stage != api.StageCASubmitted {
		t.Fatalf("revision %d stage %s, want %d %s", got.Revision, got.Stage, nc.Revision+1, api.StageCASubmitted)
	}

	// Incremental: only the change after the old cursor.
	var p api.ChangesPage
	decode(t, e.do("GET", "/changes?cursor="+itoa(int(last)), tok, nil).body, &p)
	if len(p.Changes) != 1 || p.Changes[0].ID != nc.ID {
		t.Fatalf("incremental page: %+v", p.Changes)
	}

	// A delete leaves a tombstone in place of the row.
	if err := e.srv.Delete(context.Background(), demo.OrgCoop, api.EntityMessage, "MSG-3542-0002"); err != nil {
		t.Fatal(err)
	}
	cursor := p.Cursor
	p = api.ChangesPage{} // decoding into a used page would keep old Data
	decode(t, e.do("GET", "/changes?cursor="+cursor, tok, nil).body, &p)
	if len(p.Changes) != 1 || p.Changes[0].Op != api.OpDelete || len(p.Changes[0].Data) != 0 {
		t.Fatalf("tombstone page: %+v", p.Changes)
	}
	if n := len(e.allChanges(tok, 500)); n != len(before) {
		t.Fatalf("log has %d rows after delete, want %d", n, len(before))
	}
}

func TestChangesIdleIsSmall(t *testing.T) {
	e := newEnv(t)
	tok := e.token("coop")
	all := e.allChanges(tok, 2000)
	r := e.do("GET", "/changes?cursor="+itoa(int(all[len(all)-1].Seq)), tok, nil, "Accept-Encoding", "gzip")
	if len(r.body) >= 300 {
		t.Fatalf("idle answer is %d bytes: %s", len(r.body), r.body)
	}
	if r.header.Get("Content-Encoding") != "" {
		t.Errorf("idle answer compressed")
	}
	var p api.ChangesPage
	decode(t, r.body, &p)
	if len(p.Changes) != 0 || p.More || p.Cursor != itoa(int(all[len(all)-1].Seq)) {
		t.Fatalf("idle page: %s", r.body)
	}
}

func TestChangesGzip(t *testing.T) {
	e := newEnv(t)
	tok := e.token("coop")
	plain := e.do("GET", "/changes", tok, nil)
	zipped := e.do("GET", "/changes", tok, nil, "Accept-Encoding", "br, gzip")
	if zipped.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("not gzipped: %v", zipped.header)
	}
	if len(zipped.body) >= len(plain.body)/2 {
		t.Errorf("gzip saved little: %d vs %d bytes", len(zipped.body), len(plain.body))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped.body))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(got, plain.body) {
		t.Fatalf("gunzipped body differs (err %v)", err)
	}
	if r := e.do("GET", "/changes", tok, nil, "Accept-Encoding", "gzip;q=0"); r.header.Get("Content-Encoding") != "" {
		t.Errorf("gzip sent despite q=0")
	}
}

// A page larger than the server's batches (read and sent a batch at a time) holds
// exactly the changes that small pages give, in order, and is byte for byte what
// encoding/json writes for it, gzipped or not.
func TestChangesLargePageIsTheLogPagedSmall(t *testing.T) {
	e := newEnv(t)
	if err := e.srv.GenerateLarge(context.Background(), demo.GenerateOptions{NCs: 400, Messages: 2400, Evidence: 40}); err != nil {
		t.Fatal(err)
	}
	tok := e.token("large")
	small := e.allChanges(tok, 97)
	if len(small) < 2500 {
		t.Fatalf("only %d changes: too few to span batches", len(small))
	}
	for _, limit := range []int{2500, server.MaxChangesLimit} {
		var got []api.Change
		cursor := ""
		for {
			plain := e.do("GET", "/changes?cursor="+cursor+"&limit="+itoa(limit), tok, nil)
			zipped := e.do("GET", "/changes?cursor="+cursor+"&limit="+itoa(limit), tok, nil, "Accept-Encoding", "gzip")
			if plain.status != 200 || zipped.status != 200 || zipped.header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("limit %d: %d %d %v", limit, plain.status, zipped.status, zipped.header)
			}
			zr, err := gzip.NewReader(bytes.NewReader(zipped.body))
			if err != nil {
				t.Fatal(err)
			}
			if unzipped, err := io.ReadAll(zr); err != nil || !bytes.Equal(unzipped, plain.body) {
				t.Fatalf("limit %d: gunzipped page differs (err %v)", limit, err)
			}
			var p api.ChangesPage
			decode(t, plain.body, &p)
			if want, _ := json.Marshal(p); !bytes.Equal(plain.body, want) {
				t.Fatalf("limit %d: the page differs from json.Marshal's:\n%.300s\n%.300s", limit, plain.body, want)
			}
			got = append(got, p.Changes...)
			cursor = p.Cursor
			if !p.More {
				if p.Directory == 0 {
					t.Errorf("limit %d: the last page has no directory seq", limit)
				}
				break
			}
			if len(p.Changes) != limit {
				t.Fatalf("limit %d: a page with more after it has %d changes", limit, len(p.Changes))
			}
		}
		if len(got) != len(small) {
			t.Fatalf("limit %d: %d changes, small pages %d", limit, len(got), len(small))
		}
		for i := range got {
			if got[i].Seq != small[i].Seq || !bytes.Equal(got[i].Data, small[i].Data) {
				t.Fatalf("limit %d: change %d is seq %d, small pages have %d", limit, i, got[i].Seq, small[i].Seq)
			}
		}
	}
}

// pages=N answers the pages that N requests one after the other would get, each whole
// on its own line, and stops after the last.
func TestChangesSeveralPagesInOneAnswer(t *testing.T) {
	e := newEnv(t)
	tok := e.token("coop")
	const limit = 7
	var want [][]byte
	cursor := ""
	for {
		r := e.do("GET", "/changes?cursor="+cursor+"&limit="+itoa(limit), tok, nil)
		if r.status != 200 {
			t.Fatalf("changes: %d %s", r.status, r.body)
		}
		want = append(want, r.body)
		var p api.ChangesPage
		decode(t, r.body, &p)
		cursor = p.Cursor
		if !p.More {
			break
		}
	}
	if len(want) < 4 {
		t.Fatalf("only %d pages of %d: too few to test", len(want), limit)
	}
	for _, pages := range []int{3, server.MaxChangesPages} {
		for _, enc := range []string{"", "gzip"} {
			r := e.do("GET", "/changes?limit="+itoa(limit)+"&pages="+itoa(pages), tok, nil, "Accept-Encoding", enc)
			if r.status != 200 || r.header.Get("Content-Type") != "application/x-ndjson" {
				t.Fatalf("pages %d: %d %v", pages, r.status, r.header)
			}
			body := r.body
			if r.header.Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			n := min(pages, len(want))
			if exp := bytes.Join(want[:n], []byte("\n")); !bytes.Equal(body, exp) {
				t.Errorf("pages %d, %q: the answer differs from %d pages asked one by one:\n%.400s\n%.400s", pages, enc, n, body, exp)
			}
		}
	}
}
