package server_test

import (
	"bytes"
	"regexp"
	"strconv"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

func certificate(t *testing.T, e *env, tok string) api.Certificate {
	t.Helper()
	var c api.Certificate
	r := e.do("GET", "/certificates/CERT-3542-2019", tok, nil)
	decode(t, r.body, &c)
	if c.File == nil {
		t.Fatalf("certificate without file: %s", r.body)
	}
	return c
}

func TestFileServing(t *testing.T) {
	e := newEnv(t)
	tok := e.token("coop")
	f := certificate(t, e, tok).File

	full := e.do("GET", "/files/"+f.SHA256, tok, nil)
	if full.status != 200 || int64(len(full.body)) != f.Size {
		t.Fatalf("full: status %d, %d bytes, want %d", full.status, len(full.body), f.Size)
	}
	for header, want := range map[string]string{
		"Content-Type":           "application/pdf",
		"ETag":                   `"` + f.SHA256 + `"`,
		"Cache-Control":          "private, max-age=31536000, immutable",
		"Accept-Ranges":          "bytes",
		"X-Content-Type-Options": "nosniff",
	} {
		if got := full.header.Get(header); got != want {
			t.Errorf("%s: got %q, want %q", header, got, want)
		}
	}

	part := e.do("GET", "/files/"+f.SHA256, tok, nil, "Range", "bytes=100-199")
	if part.status != 206 || !bytes.Equal(part.body, full.body[100:200]) {
		t.Fatalf("range: status %d, %d bytes", part.status, len(part.body))
	}
	if got, want := part.header.Get("Content-Range"), "bytes 100-199/"+strconv.FormatInt(f.Size, 10); got != want {
		t.Errorf("Content-Range: got %q, want %q", got, want)
	}
	if r := e.do("GET", "/files/"+f.SHA256, tok, nil, "If-None-Match", `"`+f.SHA256+`"`); r.status != 304 {
		t.Errorf("If-None-Match: status %d, want 304", r.status)
	}

	wantError(t, e.do("GET", "/files/"+f.SHA256[:63]+"0", tok, nil), 404, api.CodeNotFound)
	wantError(t, e.do("GET", "/files/..%2F..%2Fecert-server.db", tok, nil), 400, api.CodeBadRequest)
	wantError(t, e.do("GET", "/files/"+f.SHA256, "", nil), 401, api.CodeUnauthorized)
}

// TestCertificatePDF checks the generated PDF the way a strict reader does: the
// header, startxref pointing at the xref table, and each entry at its object.
func TestCertificatePDF(t *testing.T) {
	e := newEnv(t)
	tok := e.token("coop")
	pdf := e.do("GET", "/files/"+certificate(t, e, tok).File.SHA256, tok, nil).body
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatalf("not a PDF: %q…", pdf[:min(20, len(pdf))])
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	entries := regexp.MustCompile(`(\d{10}) 00000 n \n`).FindAllSubmatch(pdf[xref:], -1)
	if len(entries) < 6 {
		t.Fatalf("%d xref entries", len(entries))
	}
	for i, en := range entries {
		off, _ := strconv.Atoi(string(en[1]))
		if want := strconv.Itoa(i+1) + " 0 obj"; !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %q, want %q", i+1, pdf[off:off+10], want)
		}
	}
	si := regexp.MustCompile(`/Length (\d+) >>\nstream\n`).FindSubmatchIndex(pdf)
	n, _ := strconv.Atoi(string(pdf[si[2]:si[3]]))
	if !bytes.HasPrefix(pdf[si[1]+n:], []byte("endstream")) {
		t.Errorf("stream /Length %d is wrong", n)
	}
	if !bytes.Contains(pdf, []byte("FLO-3542-2018")) {
		t.Errorf("certificate number missing from the PDF")
	}
}
