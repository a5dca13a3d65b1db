package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

func sum256(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// meta encodes tus Upload-Metadata from key, value pairs.
func meta(kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		parts = append(parts, kv[i]+" "+base64.StdEncoding.EncodeToString([]byte(kv[i+1])))
	}
	return strings.Join(parts, ",")
}

// tus sends a tus request to url (absolute) through base (the server's or a proxy's
// URL, which replaces the URL's origin).
func (e *env) tus(base, method, url, token string, body []byte, headers ...string) (resp, error) {
	e.t.Helper()
	if i := strings.Index(url, api.Version); i >= 0 {
		url = url[i:]
	}
	req, err := http.NewRequest(method, base+url, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body == nil {
		req.Body, req.ContentLength = nil, 0
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Tus-Resumable", "1.0.0")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return resp{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}, err
}

func (e *env) mustTus(method, url, token string, body []byte, headers ...string) resp {
	e.t.Helper()
	r, err := e.tus(e.http.URL, method, url, token, body, headers...)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// create creates an upload of data named name and returns its URL.
func (e *env) create(token string, data []byte, name string) string {
	e.t.Helper()
	r := e.mustTus("POST", api.Version+api.UploadsPath, token, nil, "Upload-Length", itoa(len(data)),
		"Upload-Metadata", meta(api.UploadMetaSHA256, sum256(data), api.UploadMetaName, name, api.UploadMetaMediaType, "application/pdf"))
	if r.status != http.StatusCreated || r.header.Get("Location") == "" {
		e.t.Fatalf("create upload: %d %s", r.status, r.body)
	}
	if r.header.Get("Upload-Expires") == "" {
		e.t.Error("no Upload-Expires on creation")
	}
	return r.header.Get("Location")
}

func (e *env) patch(token, url string, offset int, chunk []byte) resp {
	e.t.Helper()
	return e.mustTus("PATCH", url, token, chunk, "Upload-Offset", itoa(offset), "Content-Type", "application/offset+octet-stream")
}

func (e *env) offset(token, url string) int {
	e.t.Helper()
	r := e.mustTus("HEAD", url, token, nil)
	if r.status != http.StatusOK {
		e.t.Fatalf("HEAD %s: %d", url, r.status)
	}
	n, err := strconv.Atoi(r.header.Get("Upload-Offset"))
	if err != nil {
		e.t.Fatalf("Upload-Offset %q", r.header.Get("Upload-Offset"))
	}
	return n
}

// upload uploads data in one PATCH; the blob must then be present.
func (e *env) upload(token string, data []byte, name string) string {
	e.t.Helper()
	url := e.create(token, data, name)
	if r := e.patch(token, url, 0, data); r.status != http.StatusNoContent {
		e.t.Fatalf("upload %s: %d %s", name, r.status, r.body)
	}
	return sum256(data)
}

func (e *env) missing(token string, sums ...string) []string {
	e.t.Helper()
	r := e.do("POST", "/blobs/missing", token, api.BlobsRequest{SHA256: sums})
	if r.status != http.StatusOK {
		e.t.Fatalf("blobs/missing: %d %s", r.status, r.body)
	}
	var br api.BlobsResponse
	decode(e.t, r.body, &br)
	return br.Missing
}

// limits returns the limits entity of the token's organisation, from its change log.
func (e *env) limits(token string) api.Limits {
	e.t.Helper()
	var l api.Limits
	found := false
	for _, c := range e.allChanges(token, 2000) {
		if c.Entity == api.EntityLimits && c.ID == "upload" {
			decode(e.t, c.Data, &l)
			found = true
		}
	}
	if !found {
		e.t.Fatal("no limits entity in the change log")
	}
	return l
}

func payload(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func TestUploadInChunks(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	data := payload(10000)
	sum := sum256(data)
	if got := e.missing(coop, sum); len(got) != 1 || got[0] != sum {
		t.Fatalf("missing before upload: %v", got)
	}
	before := e.limits(coop)
	if before.UsedBytes != 0 || before.MaxFileBytes != server.DefaultMaxFileBytes || before.UploadExpiry != 86400 || len(before.Types) != len(server.DefaultFileTypes) {
		t.Fatalf("limits: %+v", before)
	}

	url := e.create(coop, data, "../Rapport d'audit été 2019.pdf")
	for off := 0; off < 9000; off += 3000 {
		if r := e.patch(coop, url, off, data[off:off+3000]); r.status != http.StatusNoContent || r.header.Get("Upload-Offset") != itoa(off+3000) {
			t.Fatalf("PATCH at %d: %d %s %v", off, r.status, r.body, r.header)
		}
		if got := e.offset(coop, url); got != off+3000 {
			t.Fatalf("HEAD offset: got %d, want %d", got, off+3000)
		}
		if got := e.missing(coop, sum); len(got) != 1 {
			t.Fatal("present before completion")
		}
	}
	// A PATCH at a wrong offset is refused with a stable code and changes nothing.
	wantError(t, e.patch(coop, url, 1000, data[1000:2000]), http.StatusConflict, api.CodeOffsetConflict)
	if r := e.patch(coop, url, 9000, data[9000:]); r.status != http.StatusNoContent {
		t.Fatalf("last PATCH: %d %s", r.status, r.body)
	}

	// Present for the coop, and only for the coop.
	if got := e.missing(coop, sum); len(got) != 0 {
		t.Fatalf("coop still misses %v", got)
	}
	if got := e.missing(estate, sum); len(got) != 1 {
		t.Fatalf("estate sees the coop's upload: missing %v", got)
	}
	r := e.do("GET", "/files/"+sum, coop, nil)
	if r.status != http.StatusOK || !bytes.Equal(r.body, data) {
		t.Fatalf("GET file: %d, %d bytes", r.status, len(r.body))
	}
	if cd := r.header.Get("Content-Type"); cd != "application/pdf" {
		t.Errorf("content type %q", cd)
	}
	wantError(t, e.do("GET", "/files/"+sum, estate, nil), http.StatusNotFound, api.CodeNotFound)
	if l := e.limits(coop); l.UsedBytes != int64(len(data)) {
		t.Errorf("used bytes: got %d, want %d", l.UsedBytes, len(data))
	}
	if l := e.limits(estate); l.UsedBytes != 0 {
		t.Errorf("estate used bytes: %d", l.UsedBytes)
	}
	// The finished upload is gone: a client that lost the last answer asks /blobs/missing.
	if r := e.mustTus("HEAD", url, coop, nil); r.status != http.StatusNotFound {
		t.Errorf("HEAD after completion: %d", r.status)
	}
	// Uploading the same bytes again is harmless and counts once.
	e.upload(coop, data, "copie.pdf")
	if l := e.limits(coop); l.UsedBytes != int64(len(data)) {
		t.Errorf("used bytes after a second upload: %d", l.UsedBytes)
	}
	// A finished upload leaves neither tusd's files nor its record behind.
	if files := e.uploadFiles(); len(files) != 0 {
		t.Errorf("files of finished uploads left: %v", files)
	}
	if n := e.uploadRecords(); n != 0 {
		t.Errorf("records of finished uploads left: %d", n)
	}
}

// uploadRecords counts the server's records of unfinished uploads, through the store
// contract so that it holds for every store: every upload was last touched before the
// latest time a store can hold.
func (e *env) uploadRecords() int {
	e.t.Helper()
	ups, err := e.srv.Store().StaleUploads(context.Background(), time.Unix(0, math.MaxInt64))
	if err != nil {
		e.t.Fatal(err)
	}
	return len(ups)
}

func TestUploadHashMismatch(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	data, other := payload(5000), payload(5001)[1:]
	r := e.mustTus("POST", api.Version+api.UploadsPath, coop, nil, "Upload-Length", itoa(len(other)),
		"Upload-Metadata", meta(api.UploadMetaSHA256, sum256(data), api.UploadMetaName, "a.pdf"))
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	url := r.header.Get("Location")
	if r := e.patch(coop, url, 0, other[:2000]); r.status != http.StatusNoContent {
		t.Fatalf("PATCH: %d", r.status)
	}
	wantError(t, e.patch(coop, url, 2000, other[2000:]), api.StatusHashMismatch, api.CodeHashMismatch)
	if r := e.mustTus("HEAD", url, coop, nil); r.status != http.StatusNotFound {
		t.Errorf("HEAD of a discarded upload: %d", r.status)
	}
	if got := e.missing(coop, sum256(data), sum256(other)); len(got) != 2 {
		t.Errorf("missing after a mismatch: %v", got)
	}
	for _, s := range []string{sum256(data), sum256(other)} {
		if e.hasBlob(s) {
			t.Errorf("blob %s stored", s[:8])
		}
	}
	if files := e.uploadFiles(); len(files) != 0 {
		t.Errorf("upload files left: %v", files)
	}
}

func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func TestUploadRefusedAtCreation(t *testing.T) {
	e := newEnvWith(t, func(c *server.Config) {
		c.MaxFileBytes = 1000
		c.QuotaBytes = 1500
		c.FileTypes = []string{".pdf", "PNG"}
	})
	coop := e.token("coop")
	ok := sum256([]byte("x"))
	create := func(length int, md string) resp {
		return e.mustTus("POST", api.Version+api.UploadsPath, coop, nil, "Upload-Length", itoa(length), "Upload-Metadata", md)
	}
	for _, c := range []struct {
		name   string
		length int
		meta   string
		status int
		code   string
	}{
		// Metadata
		{"no sha256", 10, meta(api.UploadMetaName, "a.pdf"), 400, api.CodeBadRequest},
		{"upper-case sha256", 10, meta(api.UploadMetaSHA256, strings.ToUpper(ok), api.UploadMetaName, "a.pdf"), 400, api.CodeBadRequest},
		{"short sha256", 10, meta(api.UploadMetaSHA256, ok[:60], api.UploadMetaName, "a.pdf"), 400, api.CodeBadRequest},
		{"no name", 10, meta(api.UploadMetaSHA256, ok), 400, api.CodeBadRequest},
		{"name of dots", 10, meta(api.UploadMetaSHA256, ok, api.UploadMetaName, "../.."), 400, api.CodeBadRequest},
		// Limits
		{"too large", 1001, meta(api.UploadMetaSHA256, ok, api.UploadMetaName, "a.pdf"), 413, api.CodeTooLarge},
		{"refused type", 10, meta(api.UploadMetaSHA256, ok, api.UploadMetaName, "a.exe"), 415, api.CodeTypeRefused},
		{"no extension", 10, meta(api.UploadMetaSHA256, ok, api.UploadMetaName, "rapport"), 415, api.CodeTypeRefused},
	} {
		t.Run(c.name, func(t *testing.T) { wantError(t, create(c.length, c.meta), c.status, c.code) })
	}
	// Deferred length is refused: the size must be known to check the limits.
	r := e.mustTus("POST", api.Version+api.UploadsPath, coop, nil, "Upload-Defer-Length", "1",
		"Upload-Metadata", meta(api.UploadMetaSHA256, ok, api.UploadMetaName, "a.pdf"))
	wantError(t, r, http.StatusBadRequest, api.CodeBadRequest)
	// Extensions are compared in lower case, as configured in any case.
	e.upload(coop, payload(800), "PHOTO.PNG")

	// Quota: 800 used; 800 more would pass 1500, counting unfinished uploads too.
	wantError(t, create(800, meta(api.UploadMetaSHA256, sum256(payload(801)), api.UploadMetaName, "b.pdf")), 413, api.CodeQuotaExceeded)
	e.create(coop, payload(400), "c.pdf")
	wantError(t, create(400, meta(api.UploadMetaSHA256, sum256(payload(401)), api.UploadMetaName, "d.pdf")), 413, api.CodeQuotaExceeded)
	// A retry of the same file is not counted twice.
	e.create(coop, payload(400), "c.pdf")
	if l := e.limits(coop); l.QuotaBytes != 1500 || l.MaxFileBytes != 1000 || l.UsedBytes != 800 || strings.Join(l.Types, " ") != ".pdf .png" {
		t.Errorf("limits: %+v", l)
	}

	// No token, or a role other than client: refused before tusd.
	wantError(t, e.mustTus("POST", api.Version+api.UploadsPath, "", nil, "Upload-Length", "1"), 401, api.CodeUnauthorized)
	wantError(t, e.mustTus("POST", api.Version+api.UploadsPath, e.token("analyst"), nil, "Upload-Length", "1"), 403, api.CodeForbidden)
	// Discovery stays open.
	o := e.mustTus("OPTIONS", api.Version+api.UploadsPath, "", nil)
	if o.status != http.StatusOK || o.header.Get("Tus-Version") != "1.0.0" || o.header.Get("Tus-Max-Size") != "1000" {
		t.Errorf("OPTIONS: %d %v", o.status, o.header)
	}
}

func TestUploadOfAnotherOrganisation(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	data := payload(3000)
	url := e.create(coop, data, "a.pdf")
	e.patch(coop, url, 0, data[:1000])
	if r := e.mustTus("HEAD", url, estate, nil); r.status != http.StatusNotFound {
		t.Errorf("estate HEAD: %d", r.status)
	}
	wantError(t, e.patch(estate, url, 1000, data[1000:]), http.StatusNotFound, api.CodeNotFound)
	wantError(t, e.mustTus("DELETE", url, estate, nil), http.StatusNotFound, api.CodeNotFound)
	wantError(t, e.patch(estate, api.Version+api.UploadsPath+"..%2f..%2fetc", 0, data), http.StatusNotFound, api.CodeNotFound)
	if got := e.offset(coop, url); got != 1000 {
		t.Fatalf("offset after the estate's attempts: %d", got)
	}
	// The owner may abandon it.
	if r := e.mustTus("DELETE", url, coop, nil); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	if r := e.mustTus("HEAD", url, coop, nil); r.status != http.StatusNotFound {
		t.Errorf("HEAD after DELETE: %d", r.status)
	}
}

// TestUploadResumesAfterCut cuts a PATCH mid-body with a real proxy: the server keeps
// what arrived, HEAD says how much, and the rest completes the file.
func TestUploadResumesAfterCut(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	p := servertest.NewProxy(t, e.http.URL)
	data := payload(200 << 10)
	url := e.create(coop, data, "photos.zip")
	p.AddToxic("cut", "limit_data", "upstream", `"bytes": 60000`)
	if r, err := e.tus(p.URL, "PATCH", url, coop, data, "Upload-Offset", "0", "Content-Type", "application/offset+octet-stream"); err == nil && r.status == http.StatusNoContent {
		t.Fatal("the cut PATCH succeeded")
	}
	p.RemoveToxic("cut")
	var off int
	deadline := time.Now().Add(5 * time.Second)
	for {
		r, err := e.tus(p.URL, "HEAD", url, coop, nil)
		if err == nil && r.status == http.StatusOK {
			off, _ = strconv.Atoi(r.header.Get("Upload-Offset"))
			if off > 0 || time.Now().After(deadline) {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("HEAD after the cut: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if off <= 0 || off >= 60000 {
		t.Fatalf("offset after a cut at 60000 bytes (headers included): %d", off)
	}
	r, err := e.tus(p.URL, "PATCH", url, coop, data[off:], "Upload-Offset", itoa(off), "Content-Type", "application/offset+octet-stream")
	if err != nil || r.status != http.StatusNoContent {
		t.Fatalf("resumed PATCH: %v %d %s", err, r.status, r.body)
	}
	got := e.do("GET", "/files/"+sum256(data), coop, nil)
	if got.status != http.StatusOK || !bytes.Equal(got.body, data) {
		t.Fatalf("file after resume: %d, %d bytes", got.status, len(got.body))
	}
}

// TestUploadExpiry: a partial upload left untouched past the expiry is deleted by
// ExpireUploads (what the janitor runs): its record, tusd's files (the bytes and the
// .info) and its share of the quota. Later requests for it are 404.
func TestUploadExpiry(t *testing.T) {
	e := newEnvWith(t, func(c *server.Config) {
		c.UploadExpiry = time.Hour
		c.QuotaBytes = 5000
	})
	coop := e.token("coop")
	data, other := payload(4000), payload(2001)[1:]
	url := e.create(coop, data, "a.pdf")
	id := url[strings.LastIndex(url, "/")+1:]
	e.patch(coop, url, 0, data[:1500])
	if n, err := e.srv.ExpireUploads(t.Context()); err != nil || n != 0 {
		t.Fatalf("fresh upload expired: %d %v", n, err)
	}
	e.clock.Add(50 * time.Minute)
	coop = e.token("coop")                                                                // the access token expired meanwhile
	if r := e.patch(coop, url, 1500, data[1500:2000]); r.status != http.StatusNoContent { // progress keeps it alive
		t.Fatalf("PATCH: %d %s", r.status, r.body)
	}
	e.clock.Add(50 * time.Minute)
	if n, err := e.srv.ExpireUploads(t.Context()); err != nil || n != 0 {
		t.Fatalf("upload that progressed expired: %d %v", n, err)
	}
	// Before it expires: its record and tusd's two files are there, and its 4000
	// bytes count against the quota of 5000.
	coop = e.token("coop")
	want := id + " " + id + ".info"
	if e.s3 != nil { // tusd's S3 store: the multipart upload, its record and the bytes short of a part
		want = id + " (multipart) " + id + ".info " + id + ".part"
	}
	if files := e.uploadFiles(); strings.Join(files, " ") != want {
		t.Fatalf("upload files: got %v, want the bytes and the .info of %s", files, id)
	}
	if n := e.uploadRecords(); n != 1 {
		t.Fatalf("upload records: %d", n)
	}
	wantError(t, e.mustTus("POST", api.Version+api.UploadsPath, coop, nil, "Upload-Length", itoa(len(other)),
		"Upload-Metadata", meta(api.UploadMetaSHA256, sum256(other), api.UploadMetaName, "b.pdf")), 413, api.CodeQuotaExceeded)

	e.clock.Add(11 * time.Minute)
	coop = e.token("coop")
	if n, err := e.srv.ExpireUploads(t.Context()); err != nil || n != 1 {
		t.Fatalf("expired: %d %v", n, err)
	}
	if n := e.uploadRecords(); n != 0 {
		t.Errorf("records left after expiry: %d", n)
	}
	if files := e.uploadFiles(); len(files) != 0 {
		t.Errorf("space not reclaimed: %v", files)
	}
	// Gone for the client: HEAD and a PATCH resuming it are 404 (then /blobs/missing
	// says to upload it again).
	if r := e.mustTus("HEAD", url, coop, nil); r.status != http.StatusNotFound {
		t.Errorf("HEAD of an expired upload: %d", r.status)
	}
	wantError(t, e.patch(coop, url, 2000, data[2000:]), http.StatusNotFound, api.CodeNotFound)
	if got := e.missing(coop, sum256(data)); len(got) != 1 {
		t.Errorf("an expired upload's file is present: missing %v", got)
	}
	if files := e.uploadFiles(); len(files) != 0 {
		t.Errorf("the PATCH after expiry left files: %v", files)
	}
	// Its share of the quota is free again: another file fits now.
	e.upload(coop, other, "b.pdf")
	if n, err := e.srv.ExpireUploads(t.Context()); err != nil || n != 0 {
		t.Errorf("second run: %d %v", n, err)
	}
}

func TestBlobsMissingBadRequests(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	ok := sum256([]byte("x"))
	wantError(t, e.do("POST", "/blobs/missing", coop, api.BlobsRequest{SHA256: []string{strings.ToUpper(ok)}}), 400, api.CodeBadRequest)
	wantError(t, e.do("POST", "/blobs/missing", coop, api.BlobsRequest{SHA256: []string{"../x"}}), 400, api.CodeBadRequest)
	many := make([]string, api.MaxBlobQuery+1)
	for i := range many {
		many[i] = ok
	}
	wantError(t, e.do("POST", "/blobs/missing", coop, api.BlobsRequest{SHA256: many}), 400, api.CodeBadRequest)
	wantError(t, e.do("POST", "/blobs/missing", e.token("analyst"), api.BlobsRequest{}), 403, api.CodeForbidden)
	if got := e.missing(coop, many[:api.MaxBlobQuery]...); len(got) != api.MaxBlobQuery {
		t.Errorf("missing of %d: %d", api.MaxBlobQuery, len(got))
	}
	// A demo evidence file was put by the server, not uploaded by the coop: missing.
	if got := e.missing(coop); got == nil || len(got) != 0 {
		t.Errorf("empty request: %#v", got)
	}
}

func TestSanitizeFileName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Kept
		{"Rapport d'audit été 2019.pdf", "Rapport d'audit été 2019.pdf"},
		{"liste de présence (signée).xlsx", "liste de présence (signée).xlsx"},
		// Paths and dots
		{"../../etc/passwd.txt", "passwd.txt"},
		{`C:\Users\marie\photo.jpg`, "photo.jpg"},
		{"a..b.pdf", "a.b.pdf"},
		{" .hidden.pdf. ", "hidden.pdf"},
		{"..", ""},
		// Control and invisible characters
		{"fac\x00ture\n.pdf", "facture.pdf"},
		{"evil\u202egpj.exe", "evilgpj.exe"},
		{"a:b?.pdf", "a_b_.pdf"},
	} {
		if got := workflow.SanitizeFileName(c.in); got != c.want {
			t.Errorf("SanitizeFileName(%q): got %q, want %q", c.in, got, c.want)
		}
	}
	long := strings.Repeat("é", 300) + ".pdf"
	if got := workflow.SanitizeFileName(long); len(got) > workflow.MaxFileNameBytes || !strings.HasSuffix(got, "é.pdf") {
		t.Errorf("long name: %d bytes %q", len(got), got[len(got)-10:])
	}
}

// An empty file is complete when it is created: 201 with a Location like any upload
// (tus' creation, which every tus client expects), the blob present at once, and the
// Location answering 404 like that of every finished upload — nothing is left to PATCH.
func TestEmptyFileUpload(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	url := e.create(coop, nil, "vide.txt")
	if r := e.mustTus("HEAD", url, coop, nil); r.status != http.StatusNotFound {
		t.Errorf("HEAD of a finished empty upload: %d, want 404", r.status)
	}
	var missing api.BlobsResponse
	r := e.do("POST", "/blobs/missing", coop, api.BlobsRequest{SHA256: []string{sum256(nil)}})
	decode(t, r.body, &missing)
	if r.status != http.StatusOK || len(missing.Missing) != 0 {
		t.Errorf("/blobs/missing after an empty upload: %d %s, want none missing", r.status, r.body)
	}
	if r := e.do("GET", "/files/"+sum256(nil), coop, nil); r.status != http.StatusOK || len(r.body) != 0 {
		t.Errorf("GET the empty file: %d, %d bytes", r.status, len(r.body))
	}
}

// TestUploadFinishedByHEAD: a node died between an upload's last byte and its finish
// (here: the bytes written to the upload's file behind tusd's back). The client's next
// HEAD, on any node, finishes it before telling the full offset — else the client takes
// the file for uploaded and its evidence push is refused blob_missing. Bytes that do not
// match the hash are discarded instead, and the client starts again.
func TestUploadFinishedByHEAD(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	bin := func(url string) string { return filepath.Join(e.dir, "uploads", url[strings.LastIndex(url, "/")+1:]) }

	data := payload(30_000)
	url := e.create(coop, data, "a.pdf")
	if err := os.WriteFile(bin(url), data, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := e.offset(coop, url); got != len(data) {
		t.Fatalf("HEAD: offset %d, want %d", got, len(data))
	}
	if m := e.missing(coop, sum256(data)); len(m) != 0 {
		t.Fatalf("after the HEAD the server still lacks the file: %v", m)
	}
	if got := e.do("GET", "/files/"+sum256(data), coop, nil); got.status != http.StatusOK || !bytes.Equal(got.body, data) {
		t.Fatalf("file: %d, %d bytes", got.status, len(got.body))
	}

	bad := payload(20_000)
	url = e.create(coop, bad, "b.pdf")
	if err := os.WriteFile(bin(url), payload(20_001)[1:], 0o600); err != nil {
		t.Fatal(err)
	}
	if r := e.mustTus("HEAD", url, coop, nil); r.status == http.StatusOK {
		t.Fatalf("HEAD of bytes that do not match the hash: 200, offset %s", r.header.Get("Upload-Offset"))
	}
	if r := e.mustTus("HEAD", url, coop, nil); r.status != http.StatusNotFound {
		t.Errorf("HEAD after the mismatch: %d, want 404 (the client starts again)", r.status)
	}
	if m := e.missing(coop, sum256(bad)); len(m) != 1 {
		t.Errorf("missing after the mismatch: %v, want the file", m)
	}
}
