package server_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
)

// The bad cases of the upload routes (tus): lengths and metadata that must be refused
// at creation, and PATCHes that lie about the offset, the type or the bytes.

// tusCase is one bad upload request: headers set over the valid ones ("" removes one)
// and, for PATCH, the body given the upload's bytes.
type tusCase struct {
	name     string
	headers  []string
	body     func(data []byte) []byte
	chunked  bool
	want     want
	discards bool
}

const (
	partialSize = 1000
	partialSent = 400
)

// uploadData is the content of an upload: random, so no case meets another's bytes.
func uploadData() []byte {
	data := payload(partialSize)
	copy(data, randomID())
	return data
}

func createHeaders(data []byte, name string) []string {
	return []string{"Tus-Resumable", "1.0.0", "Upload-Length", itoa(len(data)),
		"Upload-Metadata", meta(api.UploadMetaSHA256, sum256(data), api.UploadMetaName, name, api.UploadMetaMediaType, "application/pdf")}
}

// partialUpload creates an upload of the coop with its first partialSent bytes sent,
// and returns its path below api.Version, its id and its bytes.
func (m *matrix) partialUpload() (path, id string, data []byte) {
	m.t.Helper()
	data = uploadData()
	url := m.create(m.coop, data, "preuve.pdf")
	if r := m.patch(m.coop, url, 0, data[:partialSent]); r.status != http.StatusNoContent {
		m.t.Fatalf("first PATCH: %d %s", r.status, r.body)
	}
	path = url[strings.Index(url, api.Version)+len(api.Version):]
	m.lastUpload = path[strings.LastIndex(path, "/")+1:]
	return path, m.lastUpload, data
}

func patchHeaders(offset int) []string {
	return []string{"Tus-Resumable", "1.0.0", "Content-Type", "application/offset+octet-stream", "Upload-Offset", itoa(offset)}
}

func tusCases(kind string) ([]badCase, control, error) {
	switch kind {
	case "create":
		return tusCreateCases(), func(m *matrix) *http.Request {
			return m.request("POST", api.UploadsPath, m.coop, nil, false, createHeaders(uploadData(), "preuve.pdf")...)
		}, nil
	case "patch":
		return tusPatchCases(), func(m *matrix) *http.Request {
			path, _, data := m.partialUpload()
			return m.request("PATCH", path, m.coop, data[partialSent:], false, patchHeaders(partialSent)...)
		}, nil
	case "head":
		// Only its path parameter is input (pathCases).
		return nil, func(m *matrix) *http.Request {
			path, _, _ := m.partialUpload()
			return m.request("HEAD", path, m.coop, nil, false, "Tus-Resumable", "1.0.0")
		}, nil
	case "delete":
		return tusDeleteCases(), func(m *matrix) *http.Request {
			path, _, _ := m.partialUpload()
			return m.request("DELETE", path, m.coop, nil, false, "Tus-Resumable", "1.0.0")
		}, nil
	}
	return nil, nil, fmt.Errorf("unknown upload route kind %q", kind)
}

func tusCreateCases() []badCase {
	name := func(n string) []string {
		return []string{"Upload-Metadata", meta(api.UploadMetaSHA256, sum256([]byte("x")), api.UploadMetaName, n)}
	}
	typeRefused := refused(http.StatusUnsupportedMediaType, api.CodeTypeRefused)
	badLength := refused(http.StatusBadRequest, api.CodeBadRequest)
	badVersion := refused(http.StatusPreconditionFailed, api.CodeBadRequest)
	tooLong := refused(http.StatusRequestEntityTooLarge, api.CodeTooLarge)
	withChunk := []string{"Content-Type", "application/offset+octet-stream"}
	longer := func(data []byte) []byte { return append(data, "and more"...) }
	cases := []tusCase{
		// Upload-Length
		{name: "Upload-Length over the file limit", headers: []string{"Upload-Length", fmt.Sprint(server.DefaultMaxFileBytes + 1)},
			want: refused(http.StatusRequestEntityTooLarge, api.CodeTooLarge)},
		{name: "negative Upload-Length", headers: []string{"Upload-Length", "-1"}, want: badLength},
		{name: "Upload-Length not a number", headers: []string{"Upload-Length", "ten"}, want: badLength},
		{name: "Upload-Length beyond int64", headers: []string{"Upload-Length", "99999999999999999999"}, want: badLength},
		{name: "no Upload-Length", headers: []string{"Upload-Length", ""}, want: badLength},
		{name: "a deferred length", headers: []string{"Upload-Length", "", "Upload-Defer-Length", "1"}, want: badRequest()},
		{name: "Upload-Length and a deferred length", headers: []string{"Upload-Defer-Length", "1"}, want: badRequest()},
		// Upload-Metadata
		{name: "no Upload-Metadata", headers: []string{"Upload-Metadata", ""}, want: badRequest()},
		{name: "metadata not in base64", headers: []string{"Upload-Metadata", "sha256 !!!!,filename ####"}, want: badRequest()},
		{name: "sha256 path traversal", headers: []string{"Upload-Metadata", meta(api.UploadMetaSHA256, "../../../etc/passwd", api.UploadMetaName, "a.pdf")}, want: badRequest()},
		{name: "sha256 in invalid UTF-8", headers: []string{"Upload-Metadata", meta(api.UploadMetaSHA256, "\xff\xfe"+sum256(nil)[2:], api.UploadMetaName, "a.pdf")}, want: badRequest()},
		{name: "no filename", headers: []string{"Upload-Metadata", meta(api.UploadMetaSHA256, sum256(nil))}, want: badRequest()},
		{name: "filename of dots only", headers: name("../.."), want: badRequest()},
		// Refused types: by the extension of what is left of the name once sanitised.
		{name: "a refused type", headers: name("rapport.exe"), want: typeRefused},
		{name: "a double extension", headers: name("rapport.pdf.exe"), want: typeRefused},
		{name: "a NUL byte before the extension", headers: name("rapport.pdf\x00.exe"), want: typeRefused},
		{name: "a right-to-left override", headers: name("rapport\u202efdp.exe"), want: typeRefused},
		{name: "path traversal to a file without extension", headers: name("../../../etc/passwd"), want: typeRefused},
		{name: "Windows path traversal", headers: name(`..\..\windows\system32\evil.dll`), want: typeRefused},
		{name: "a 64 KB filename", headers: name(strings.Repeat("a", 64<<10) + ".exe"), want: typeRefused},
		{name: "a filename in invalid UTF-8", headers: name("\xff\xfe.exe"), want: typeRefused},
		// Tus-Resumable
		{name: "no Tus-Resumable", headers: []string{"Tus-Resumable", ""}, want: badVersion},
		{name: "an unsupported Tus-Resumable", headers: []string{"Tus-Resumable", "0.2.2"}, want: badVersion},
		// Creation with upload: the first chunk must fit and match.
		{name: "a first chunk longer than Upload-Length", headers: withChunk, body: longer, want: tooLong},
		{name: "a first chunk longer than Upload-Length, chunked", headers: withChunk, body: longer, chunked: true, want: tooLong},
		{name: "a whole first chunk of other bytes than its sha256", headers: withChunk,
			body: func(data []byte) []byte { return append([]byte("X"), data[1:]...) },
			want: refused(api.StatusHashMismatch, api.CodeHashMismatch)},
	}
	var out []badCase
	for _, c := range cases {
		out = append(out, badCase{name: c.name, want: c.want, prepare: func(m *matrix) *http.Request {
			data := uploadData()
			var body []byte
			if c.body != nil {
				body = c.body(data)
			}
			return m.request("POST", api.UploadsPath, m.coop, body, c.chunked, append(createHeaders(data, "preuve.pdf"), c.headers...)...)
		}})
	}
	return out
}

func tusPatchCases() []badCase {
	rest := func(data []byte) []byte { return data[partialSent:] }
	from := func(off int) func([]byte) []byte { return func(data []byte) []byte { return data[off:] } }
	mismatched := refused(http.StatusConflict, api.CodeOffsetConflict)
	badOffset := refused(http.StatusBadRequest, api.CodeBadRequest)
	badType := refused(http.StatusUnsupportedMediaType, api.CodeUnsupportedMedia)
	badVersion := refused(http.StatusPreconditionFailed, api.CodeBadRequest)
	tooLong := refused(http.StatusRequestEntityTooLarge, api.CodeTooLarge)
	cases := []tusCase{
		// Upload-Offset that lies
		{name: "an offset ahead of the upload's", headers: []string{"Upload-Offset", itoa(partialSent + 200)}, body: from(partialSent + 200), want: mismatched},
		{name: "an offset behind the upload's", headers: []string{"Upload-Offset", itoa(partialSent - 100)}, body: from(partialSent - 100), want: mismatched},
		{name: "an offset at the end of the upload", headers: []string{"Upload-Offset", itoa(partialSize)}, body: from(partialSize), want: mismatched},
		{name: "a negative offset", headers: []string{"Upload-Offset", "-1"}, body: rest, want: badOffset},
		{name: "an offset beyond int64", headers: []string{"Upload-Offset", "99999999999999999999"}, body: rest, want: badOffset},
		{name: "an offset that is not a number", headers: []string{"Upload-Offset", "four hundred"}, body: rest, want: badOffset},
		{name: "no offset", headers: []string{"Upload-Offset", ""}, body: rest, want: badOffset},
		// Headers
		{name: "Content-Type text/plain", headers: []string{"Content-Type", "text/plain"}, body: rest, want: badType},
		{name: "Content-Type application/json", headers: []string{"Content-Type", "application/json"}, body: rest, want: badType},
		{name: "no Content-Type", headers: []string{"Content-Type", ""}, body: rest, want: badType},
		{name: "no Tus-Resumable", headers: []string{"Tus-Resumable", ""}, body: rest, want: badVersion},
		{name: "an unsupported Tus-Resumable", headers: []string{"Tus-Resumable", "2.0.0"}, body: rest, want: badVersion},
		{name: "a length declared late", headers: []string{"Upload-Length", itoa(partialSize)}, body: rest, want: badRequest()},
		// Bytes
		{name: "a body longer than the upload's length", body: func(data []byte) []byte { return append(rest(data), "and more"...) }, want: tooLong},
		{name: "a body longer than the upload's length, chunked", body: func(data []byte) []byte { return append(rest(data), "and more"...) },
			chunked: true, want: tooLong, discards: true},
		{name: "final bytes whose sha256 differs", body: func(data []byte) []byte { return append([]byte("X"), data[partialSent+1:]...) },
			want: refused(api.StatusHashMismatch, api.CodeHashMismatch), discards: true},
	}
	var out []badCase
	for _, c := range cases {
		out = append(out, badCase{name: c.name, want: c.want, discards: c.discards, prepare: func(m *matrix) *http.Request {
			path, _, data := m.partialUpload()
			return m.request("PATCH", path, m.coop, c.body(data), c.chunked, append(patchHeaders(partialSent), c.headers...)...)
		}})
	}
	return out
}

func tusDeleteCases() []badCase {
	badVersion := refused(http.StatusPreconditionFailed, api.CodeBadRequest)
	var out []badCase
	for _, c := range []tusCase{
		{name: "no Tus-Resumable", headers: []string{"Tus-Resumable", ""}, want: badVersion},
		{name: "an unsupported Tus-Resumable", headers: []string{"Tus-Resumable", "0.2.2"}, want: badVersion},
	} {
		out = append(out, badCase{name: c.name, want: c.want, prepare: func(m *matrix) *http.Request {
			path, _, _ := m.partialUpload()
			return m.request("DELETE", path, m.coop, nil, false, append([]string{"Tus-Resumable", "1.0.0"}, c.headers...)...)
		}})
	}
	return out
}
