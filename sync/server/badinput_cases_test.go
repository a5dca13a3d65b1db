package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
)

// How the bad cases of each route are derived (see badinput_test.go).

// routeInput says what input a route takes. Path parameters are read from the route's
// path. Every route must be described: one added to the table without a description
// fails the matrix, so none is skipped silently.
type routeInput struct {
	body  *bodyInput
	query []string // integer query parameters
	tus   string   // an upload route: "create", "patch", "head" or "delete"
	none  string   // the route takes no input that could be refused, and why
}

var routeInputs = map[string]routeInput{
	"GET /health":                                       {none: "a connectivity probe: reads nothing"},
	"GET /me":                                           {none: "reads only its token (the security suite tries bad ones)"},
	"OPTIONS " + api.UploadsPath:                        {none: "tus discovery: reads nothing, answers everyone alike"},
	"OPTIONS " + api.UploadsPath + "{id}":               {none: "tus discovery: reads nothing, answers everyone alike"},
	"POST /auth/login":                                  {body: loginBody},
	"POST /auth/refresh":                                {body: refreshBody},
	"POST /auth/logout":                                 {body: logoutBody},
	"POST /auth/password":                               {body: passwordBody},
	"GET /changes":                                      {query: []string{"cursor", "limit"}},
	"POST /push":                                        {body: pushBody},
	"POST /blobs/missing":                               {body: blobsBody},
	"GET /files/{sha256}":                               {},
	"POST " + api.UploadsPath:                           {tus: "create"},
	"HEAD " + api.UploadsPath + "{id}":                  {tus: "head"},
	"PATCH " + api.UploadsPath + "{id}":                 {tus: "patch"},
	"DELETE " + api.UploadsPath + "{id}":                {tus: "delete"},
	"GET /audits/{id}":                                  {},
	"GET /ncs/{id}":                                     {},
	"GET /ncs/{id}/messages":                            {},
	"GET /certificates/{id}":                            {},
	"GET /documents/{id}":                               {},
	"GET /release/manifest":                             {none: "reads nothing: the published manifest, the same for everyone"},
	"GET /release/files/{name}":                         {},
	"POST " + api.CrashReportsPath:                      {body: crashBody},
	"GET /directory":                                    {query: []string{"after", "limit"}},
	"GET /directory/{flo_id}":                           {},
	"GET /trail":                                        {query: []string{"after", "limit"}},
	"GET " + api.OrgUsersPath:                           {none: "reads only its token: the caller's organisation's accounts"},
	"POST " + api.OrgUsersPath:                          {body: staffBody},
	"POST " + api.OrgUsersPath + "/{username}/disable":  {},
	"POST " + api.OrgUsersPath + "/{username}/enable":   {},
	"POST " + api.OrgUsersPath + "/{username}/password": {},
	"POST " + api.CalendarFeedPath:                      {body: calendarBody},
	"GET " + api.CalendarFeedPath:                       {none: "reads only its token: the caller's own feed"},
	"DELETE " + api.CalendarFeedPath:                    {none: "reads only its token: the caller's own feed"},
	"GET " + api.CalendarPath + "{file}":                {},
}

// control is a valid request of a route: it must be accepted.
type control func(m *matrix) *http.Request

// casesFor derives a route's bad cases and the valid requests they start from.
func (m *matrix) casesFor(r server.Route) ([]badCase, []control, error) {
	key := r.Method + " " + r.Path
	in, ok := routeInputs[key]
	if !ok {
		return nil, nil, errors.New("not described in routeInputs: say what input the route takes (or why none), so that its bad cases are derived")
	}
	if in.none != "" {
		return nil, nil, nil
	}
	var cases []badCase
	var controls []control
	for _, p := range pathParams(r.Path) {
		cs, err := pathCases(r, p)
		if err != nil {
			return nil, nil, err
		}
		cases = append(cases, cs...)
		if in.tus == "" {
			controls = append(controls, func(m *matrix) *http.Request {
				return m.request(r.Method, coopPath(m.t, m.env, m.coop, r.Path), m.coop, nil, false)
			})
		}
	}
	if in.body != nil {
		cs, err := bodyCases(r, in.body)
		if err != nil {
			return nil, nil, err
		}
		cases = append(cases, cs...)
		controls = append(controls, func(m *matrix) *http.Request {
			doc, token := in.body.valid(m)
			b, _ := json.Marshal(doc)
			return m.request(r.Method, r.Path, token, b, false)
		})
	}
	if len(in.query) > 0 {
		cs, ctl := queryCases(r, in.query)
		cases, controls = append(cases, cs...), append(controls, ctl)
	}
	if in.tus != "" {
		cs, ctl, err := tusCases(in.tus)
		if err != nil {
			return nil, nil, err
		}
		cases, controls = append(cases, cs...), append(controls, ctl)
	}
	if len(cases) == 0 {
		return nil, nil, errors.New("no bad case derived: describe its input in routeInputs")
	}
	for _, c := range cases {
		if c.want.status < 400 && c.want.entry == "" || c.want.status > 499 {
			return nil, nil, fmt.Errorf("case %s: a bad request must get a 4xx, not %d", c.name, c.want.status)
		}
	}
	return cases, controls, nil
}

// Path parameters.

func pathParams(path string) []string {
	var out []string
	for rest := path; ; {
		i := strings.Index(rest, "{")
		j := strings.Index(rest, "}")
		if i < 0 || j < i {
			return out
		}
		out = append(out, rest[i+1:j])
		rest = rest[j+1:]
	}
}

// pathValues are bad values of a path parameter as they go on the wire. unclean ones
// make the path non-canonical (dot segments, an empty segment).
var pathValues = []struct {
	name, raw string
	unclean   bool
}{
	{"dot-dot segments", "../../../etc/passwd", true},
	{"a dot segment", "./x", true},
	{"an absolute path", "/etc/passwd", true},
	{"escaped dot-dot slashes", "..%2f..%2f..%2fetc%2fpasswd", false},
	{"escaped dots and slashes", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", false},
	{"an escaped absolute path", "%2Fetc%2Fpasswd", false},
	{"backslashes", "..%5C..%5Cwindows%5Cwin.ini", false},
	{"a drive letter", "C:%5Cwindows%5Cwin.ini", false},
	{"a NUL byte", "x%00.pdf", false},
	{"invalid UTF-8", "%ff%fe%fd", false},
	{"64 KB", strings.Repeat("A", 64<<10), false},
}

// paramWant is how a route refuses a bad value of each parameter name: an id that is
// not there is not found; a file is named by a hash, so anything else is malformed.
var paramWant = map[string]want{
	"id":     refused(http.StatusNotFound, api.CodeNotFound),
	"sha256": badRequest(),
	// A release file is served only if the manifest lists it: any other name is not there.
	"name":   refused(http.StatusNotFound, api.CodeNotFound),
	"flo_id": refused(http.StatusNotFound, api.CodePartnerUnknown),
	// Not an account of the caller's organisation.
	"username": refused(http.StatusNotFound, api.CodeNotFound),
	// A calendar feed's token and ".ics": anything else names no feed, and says no more.
	"file": refused(http.StatusNotFound, api.CodeNotFound),
}

// paramValues are further bad values of one path parameter, beside pathValues.
var paramValues = map[string][]struct{ name, raw string }{
	"file": {
		{"a token one character short", strings.Repeat("A", 42) + ".ics"},
		{"a token one character long", strings.Repeat("A", 44) + ".ics"},
		{"a token of the right shape that no feed has", strings.Repeat("A", 43) + ".ics"},
		{"padded base64", strings.Repeat("A", 42) + "%3D.ics"},
		{"standard base64 characters", strings.Repeat("A", 41) + "+%2F.ics"},
		{"no .ics", strings.Repeat("A", 43)},
		{"another extension", strings.Repeat("A", 43) + ".json"},
		{"only .ics", ".ics"},
		{"the management route's name", "feed.ics"},
	},
}

func pathCases(r server.Route, param string) ([]badCase, error) {
	pw, ok := paramWant[param]
	if !ok {
		return nil, fmt.Errorf("path parameter {%s} has no entry in paramWant", param)
	}
	var cases []badCase
	values := slices.Clone(pathValues)
	for _, v := range paramValues[param] {
		values = append(values, struct {
			name, raw string
			unclean   bool
		}{v.name, v.raw, false})
	}
	for _, v := range values {
		w := pw
		if v.unclean {
			w = badRequest() // the path is refused before any route sees it
		}
		path := strings.Replace(r.Path, "{"+param+"}", v.raw, 1)
		cases = append(cases, badCase{name: param + " " + v.name, want: w, prepare: func(m *matrix) *http.Request {
			switch r.Method {
			case http.MethodPatch:
				return m.request(r.Method, path, m.coop, []byte("x"), false, "Tus-Resumable", "1.0.0",
					"Content-Type", "application/offset+octet-stream", "Upload-Offset", "0")
			case http.MethodHead, http.MethodDelete:
				return m.request(r.Method, path, m.coop, nil, false, "Tus-Resumable", "1.0.0")
			}
			return m.request(r.Method, path, m.coop, nil, false)
		}})
	}
	return cases, nil
}

// Query parameters.

var queryValues = []struct{ name, raw string }{
	{"not a number", "abc"},
	{"negative", "-1"},
	{"beyond int64", "99999999999999999999"},
	{"a fraction", "1.5"},
	{"an exponent", "1e3"},
	{"hexadecimal", "0x10"},
	{"a leading space", "%201"},
	{"a NUL byte", "1%00"},
	{"path traversal", "..%2F..%2Fetc%2Fpasswd"},
	{"64 KB of digits", strings.Repeat("9", 64<<10)},
}

func queryCases(r server.Route, params []string) ([]badCase, control) {
	var cases []badCase
	for _, p := range params {
		values := append([]struct{ name, raw string }{}, queryValues...)
		if p == "limit" {
			values = append(values, struct{ name, raw string }{"zero", "0"},
				struct{ name, raw string }{"over the largest page", strconv.Itoa(server.MaxChangesLimit + 1)})
		}
		for _, v := range values {
			q := p + "=" + v.raw
			cases = append(cases, badCase{name: p + " " + v.name, want: badRequest(), prepare: func(m *matrix) *http.Request {
				return m.request(r.Method, r.Path+"?"+q, m.coop, nil, false)
			}})
		}
	}
	return cases, func(m *matrix) *http.Request {
		q := make([]string, len(params))
		for i, p := range params {
			q[i] = p + "=0"
			if p == "limit" {
				q[i] = p + "=10"
			}
		}
		return m.request(r.Method, r.Path+"?"+strings.Join(q, "&"), m.coop, nil, false)
	}
}

// JSON bodies.

// bodyInput describes a JSON body: its type, whose fields are enumerated (a field
// added to the type without expectations fails the matrix), a valid body to derive
// the cases from, and how a bad value of each field is refused.
type bodyInput struct {
	typ     any
	limit   func() int64
	emptyOK bool // no body at all is valid
	valid   func(m *matrix) (doc map[string]any, token string)
	fields  map[string]fieldWant
}

// fieldWant says how bad values of one field are refused. Paths name nested fields
// with dots; "[]" is an element of an array (the last one of the valid body).
type fieldWant struct {
	long, badUTF8      want // strings: 64 KB; invalid bytes, a lone surrogate escape
	negative, overflow want // integers: -1; beyond int64
	values             []valueCase
}

// valueCase is a further bad value of a field, as raw JSON.
type valueCase struct {
	name, raw string
	want      want
}

var loginBody = &bodyInput{
	typ:   api.LoginRequest{},
	limit: func() int64 { return httpjson.MaxBodyBytes },
	valid: func(m *matrix) (map[string]any, string) {
		return map[string]any{"username": "coop", "password": "coop"}, ""
	},
	fields: map[string]fieldWant{
		"username": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
			{"empty", `""`, badRequest()},
			{"a NUL byte", `"coop\u0000"`, refused(http.StatusUnauthorized, api.CodeBadCredentials)},
		}},
		"password": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{{"empty", `""`, badRequest()}}},
	},
}

// tokenField is how a bad refresh token is refused by refresh and logout.
var tokenField = map[string]fieldWant{
	"refresh_token": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
		{"a NUL byte", `"abc\u0000def"`, badRequest()},
	}},
}

var refreshBody = &bodyInput{
	typ:   api.RefreshRequest{},
	limit: func() int64 { return httpjson.MaxBodyBytes },
	valid: func(m *matrix) (map[string]any, string) {
		return map[string]any{"refresh_token": m.login("coop", "coop").RefreshToken}, ""
	},
	fields: tokenField,
}

// passwordBody changes the password of a user of its own, set back to a known one
// before each case, so coop's login stays as the other routes need it.
var passwordBody = &bodyInput{
	typ:   api.PasswordRequest{},
	limit: func() int64 { return httpjson.MaxBodyBytes },
	valid: func(m *matrix) (map[string]any, string) {
		const name, old = "pwuser", "an old secret phrase"
		ctx := context.Background()
		if _, err := m.srv.OrgIDForUser(ctx, name); err != nil {
			if err := m.srv.CreateUser(ctx, auth.NewUser{Username: name, Password: old, Name: name, Role: api.RoleClient, OrgID: demo.OrgCoop}); err != nil {
				m.t.Fatalf("create %s: %v", name, err)
			}
		} else if err := m.srv.SetPassword(ctx, name, old); err != nil {
			m.t.Fatal(err)
		}
		return map[string]any{"current": old, "new": "a new secret phrase"}, m.login(name, old).AccessToken
	},
	fields: map[string]fieldWant{
		"current": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
			{"empty", `""`, badRequest()},
			{"wrong", `"not the password"`, refused(http.StatusBadRequest, api.CodeWrongPassword)},
		}},
		"new": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
			{"empty", `""`, badRequest()},
			{"short", `"short"`, refused(http.StatusBadRequest, api.CodePasswordTooShort)},
			{"common", `"motdepasse123"`, refused(http.StatusBadRequest, api.CodePasswordCommon)},
			{"the user name", `"PWUSER-password"`, refused(http.StatusBadRequest, api.CodePasswordIsUsername)},
		}},
	},
}

// staffCount makes each valid new account's username new.
var staffCount int

var calendarBody = &bodyInput{
	typ:   api.CalendarFeedRequest{},
	limit: func() int64 { return httpjson.MaxBodyBytes },
	valid: func(m *matrix) (map[string]any, string) { return map[string]any{"lang": "fr"}, m.coop },
	fields: map[string]fieldWant{
		"lang": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
			{"empty", `""`, badRequest()},
			{"a language the calendar is not written in", `"de"`, badRequest()},
			{"upper case", `"FR"`, badRequest()},
			{"a path", `"../fr"`, badRequest()},
		}},
	},
}

var staffBody = &bodyInput{
	typ:   api.NewStaffRequest{},
	limit: func() int64 { return httpjson.MaxBodyBytes },
	valid: func(m *matrix) (map[string]any, string) {
		staffCount++
		return map[string]any{"username": fmt.Sprintf("field-%d", staffCount), "name": "Awa Ndiaye"}, m.coop
	},
	fields: map[string]fieldWant{
		"username": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
			{"empty", `""`, badRequest()},
			{"upper case", `"Awa"`, badRequest()},
			{"a slash", `"../coop"`, badRequest()},
			{"taken", `"coop"`, refused(http.StatusConflict, api.CodeUsernameTaken)},
		}},
		"name": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
			{"empty", `""`, badRequest()},
			{"a control character", `"Awa\u0007"`, badRequest()},
		}},
	},
}

var logoutBody = &bodyInput{
	typ:     api.RefreshRequest{},
	limit:   func() int64 { return httpjson.MaxBodyBytes },
	emptyOK: true,
	valid: func(m *matrix) (map[string]any, string) {
		s := m.login("coop", "coop")
		return map[string]any{"refresh_token": s.RefreshToken}, s.AccessToken
	},
	fields: tokenField,
}

var blobsBody = &bodyInput{
	typ:   api.BlobsRequest{},
	limit: func() int64 { return httpjson.MaxBodyBytes },
	valid: func(m *matrix) (map[string]any, string) {
		return map[string]any{"sha256": []any{m.blob.SHA256, sum256([]byte("x"))}}, m.coop
	},
	fields: map[string]fieldWant{
		"sha256": {values: []valueCase{{"1,001 hashes", jsonList(api.MaxBlobQuery+1, `"`+sum256(nil)+`"`), badRequest()}}},
		"sha256[]": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
			{"path traversal", `"../../../etc/passwd"`, badRequest()},
			{"upper case", `"` + strings.ToUpper(sum256(nil)) + `"`, badRequest()},
			{"null", `null`, badRequest()},
		}},
	},
}

// crashBody is a crash report: its 64 KiB limit refuses a 64 KB string whole (413).
var crashBody = func() *bodyInput {
	tooLong := refused(http.StatusRequestEntityTooLarge, api.CodeBadRequest)
	text := fieldWant{long: tooLong, badUTF8: badRequest()}
	return &bodyInput{
		typ:   api.CrashReport{},
		limit: func() int64 { return api.MaxCrashReportBytes },
		valid: func(m *matrix) (map[string]any, string) {
			return map[string]any{"id": randomHex32(), "kind": api.CrashPanic, "time": "2026-12-05T06:40Z",
				"version": "1.0.0", "commit": "abc", "os": "windows", "arch": "amd64", "go_version": "go1.26",
				"webview": "webview2", "panic": "panic(string)", "frames": []any{"main.main app/main.go:12"}}, m.coop
		},
		fields: map[string]fieldWant{
			"id": {long: tooLong, badUTF8: badRequest(), values: []valueCase{
				{"upper case", `"` + strings.Repeat("AB", 16) + `"`, badRequest()},
				{"empty", `""`, badRequest()},
			}},
			"kind":    {long: tooLong, badUTF8: badRequest(), values: []valueCase{{"unknown", `"oops"`, badRequest()}}},
			"time":    {long: tooLong, badUTF8: badRequest(), values: []valueCase{{"not UTC", `"2026-12-05T06:40+01:00"`, badRequest()}}},
			"version": text, "commit": text, "os": text, "arch": text, "go_version": text, "webview": text, "panic": text,
			"frames":   {values: []valueCase{{"101 frames", jsonList(api.MaxCrashFrames+1, `"f a.go:1"`), badRequest()}}},
			"frames[]": {long: tooLong, badUTF8: badRequest(), values: []valueCase{{"301 characters", `"` + strings.Repeat("f", 301) + `"`, badRequest()}}},
		},
	}
}()

func randomHex32() string { return (randomID() + randomID())[:32] }

// pushBody is one evidence.add entry: the kind that reads every field of an entry.
var pushBody = &bodyInput{
	typ:   api.PushRequest{},
	limit: func() int64 { return server.MaxPushBodyBytes },
	valid: func(m *matrix) (map[string]any, string) {
		id := randomID()
		return map[string]any{
			"client_id": "client-" + id,
			"entries": []any{map[string]any{
				"seq": 1, "kind": api.KindEvidenceAdd, "nc_id": "NC-150424-2019", "text": "Registre signé",
				"base_revision": 0, "created_at": "2019-06-10T09:00:00Z", "evidence_id": "PM-" + id,
				"file": map[string]any{"sha256": m.blob.SHA256, "name": m.blob.Name, "size": m.blob.Size, "media_type": m.blob.MediaType},
				// Read by change.request entries only, so that its fields' bad values
				// reach the decoder; evidence.add ignores it.
				"change": map[string]any{"target": api.TargetContact, "action": api.ActionUpdate, "target_id": "C-3542-02",
					"fields": map[string]any{"phone": "+237 600 00 00 01"}, "note": "x"},
			}},
			"trail": []any{validTrailEntry()},
		}, m.coop
	},
	fields: map[string]fieldWant{
		"client_id": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
			{"path traversal", `"../../../etc/passwd/x"`, badRequest()},
			{"too short", `"abc"`, badRequest()},
		}},
		"entries": {values: []valueCase{{"201 entries", jsonList(api.MaxPushEntries+1, `{"seq":1}`), badRequest()}}},
		"entries[].seq": {negative: badRequest(), overflow: badRequest(), values: []valueCase{
			{"zero", `0`, badRequest()},
		}},
		"entries[].kind": {long: rejectedEntry(api.CodeBadEntry), badUTF8: rejectedEntry(api.CodeBadEntry), values: []valueCase{
			{"unknown", `"ca.delete"`, rejectedEntry(api.CodeBadEntry)},
			{"in capitals", `"EVIDENCE.ADD"`, rejectedEntry(api.CodeBadEntry)},
			{"empty", `""`, rejectedEntry(api.CodeBadEntry)},
		}},
		"entries[].nc_id": {long: rejectedEntry(api.CodeNCNotFound), badUTF8: rejectedEntry(api.CodeBadEntry), values: []valueCase{
			{"path traversal", `"../../../etc/passwd"`, rejectedEntry(api.CodeNCNotFound)},
			{"a NUL byte", `"NC-150424-2019\u0000"`, rejectedEntry(api.CodeNCNotFound)},
			{"another organisation's", `"NC-171520-2019"`, rejectedEntry(api.CodeNCNotFound)},
			{"not confirmed yet", `"` + hiddenNC + `"`, rejectedEntry(api.CodeNCNotFound)},
		}},
		"entries[].text":          {long: rejectedEntry(api.CodeTextTooLong), badUTF8: rejectedEntry(api.CodeBadEntry)},
		"entries[].base_revision": {negative: badRequest(), overflow: badRequest()},
		"entries[].created_at": {values: []valueCase{
			{"not a time", `"yesterday"`, badRequest()},
			{"year 99999", `"99999-01-01T00:00:00Z"`, badRequest()},
		}},
		"entries[].evidence_id": {long: rejectedEntry(api.CodeBadEntry), badUTF8: rejectedEntry(api.CodeBadEntry), values: []valueCase{
			{"path traversal", `"../../x"`, rejectedEntry(api.CodeBadEntry)},
			{"a space", `"PM 1"`, rejectedEntry(api.CodeBadEntry)},
			{"empty", `""`, rejectedEntry(api.CodeBadEntry)},
		}},
		// nc.assign's due date (TestAssignment… tries bad dates); another kind carrying one
		// is a client's bug.
		"entries[].due": {long: rejectedEntry(api.CodeBadEntry), badUTF8: rejectedEntry(api.CodeBadEntry), values: []valueCase{
			{"on evidence.add", `"2019-06-20"`, rejectedEntry(api.CodeBadEntry)},
		}},
		"entries[].file": {values: []valueCase{{"null", `null`, rejectedEntry(api.CodeBadEntry)}}},
		"entries[].file.sha256": {long: rejectedEntry(api.CodeBadEntry), badUTF8: rejectedEntry(api.CodeBadEntry), values: []valueCase{
			{"path traversal", `"../../../etc/passwd"`, rejectedEntry(api.CodeBadEntry)},
			{"upper case", `"` + strings.ToUpper(sum256(nil)) + `"`, rejectedEntry(api.CodeBadEntry)},
			{"never uploaded", `"` + sum256([]byte("never uploaded")) + `"`, rejectedEntry(api.CodeBlobMissing)},
		}},
		// A name is sanitised, not refused (SanitizeFileName): what is left must still
		// have an accepted extension.
		"entries[].file.name": {long: rejectedEntry(api.CodeTypeRefused), badUTF8: rejectedEntry(api.CodeBadEntry), values: []valueCase{
			{"path traversal", `"../../../etc/passwd"`, rejectedEntry(api.CodeTypeRefused)},
			{"Windows path traversal", `"..\\..\\windows\\win.ini"`, rejectedEntry(api.CodeTypeRefused)},
			{"a NUL byte before the extension", `"registre.pdf\u0000.exe"`, rejectedEntry(api.CodeTypeRefused)},
			{"a right-to-left override", `"registre\u202efdp.exe"`, rejectedEntry(api.CodeTypeRefused)},
			{"only dots", `".."`, rejectedEntry(api.CodeBadEntry)},
			{"empty", `""`, rejectedEntry(api.CodeBadEntry)},
		}},
		"entries[].file.size": {negative: badRequest(), overflow: badRequest()},
		// A trail entry no client can have written refuses the request; one that does not
		// continue the chain is answered in the response's trail (trail_test.go).
		"trail": {values: []valueCase{{"501 entries", jsonList(api.MaxTrailEntries+1, `{"seq":1}`), badRequest()}}},
		"trail[].seq": {negative: badRequest(), overflow: badRequest(), values: []valueCase{
			{"zero", `0`, badRequest()},
		}},
		"trail[].at":     {values: []valueCase{{"not a time", `"yesterday"`, badRequest()}}},
		"trail[].author": {long: badRequest(), badUTF8: badRequest()},
		"trail[].kind": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
			{"empty", `""`, badRequest()},
		}},
		"trail[].nc_id": {long: badRequest(), badUTF8: badRequest()},
		"trail[].digest": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
			{"upper case", `"` + strings.ToUpper(sum256(nil)) + `"`, badRequest()},
		}},
		"trail[].prev": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
			{"path traversal", `"../../../etc/passwd"`, badRequest()},
		}},
		"trail[].hash": {long: badRequest(), badUTF8: badRequest(), values: []valueCase{
			{"empty", `""`, badRequest()},
		}},
		// A change request's values are refused by its own kind, with their own codes:
		// TestChangeRequestRefusals tries each (too long, bad UTF-8, unknown target …).
		"entries[].change.target":    {long: notRead, badUTF8: notRead},
		"entries[].change.action":    {long: notRead, badUTF8: notRead},
		"entries[].change.target_id": {long: notRead, badUTF8: notRead},
		"entries[].change.note":      {long: notRead, badUTF8: notRead},
		// chain belongs to the chain kinds only: on this evidence.add entry, any chain is
		// refused (TestChainsPush tries bad chain entries of their own kinds).
		"entries[].chain":          {values: []valueCase{{"on another kind", `{"product":"coffee","flo_id":"27816","role":"buyer"}`, rejectedEntry(api.CodeBadEntry)}}},
		"entries[].chain.id":       {long: rejectedEntry(api.CodeBadEntry), badUTF8: rejectedEntry(api.CodeBadEntry)},
		"entries[].chain.product":  {long: rejectedEntry(api.CodeBadEntry), badUTF8: rejectedEntry(api.CodeBadEntry)},
		"entries[].chain.flo_id":   {long: rejectedEntry(api.CodeBadEntry), badUTF8: rejectedEntry(api.CodeBadEntry)},
		"entries[].chain.role":     {long: rejectedEntry(api.CodeBadEntry), badUTF8: rejectedEntry(api.CodeBadEntry)},
		"entries[].chain.added_by": {long: rejectedEntry(api.CodeBadEntry), badUTF8: rejectedEntry(api.CodeBadEntry)},
		"entries[].chain.revision": {negative: rejectedEntry(api.CodeBadEntry), overflow: badRequest()},
		"entries[].file.media_type": {badUTF8: rejectedEntry(api.CodeBadEntry),
			long: want{why: "a malformed or over-long type is replaced by the name's (cleanMediaType)"}},
	},
}

// validTrailEntry is the first entry of a replica's trail.
func validTrailEntry() map[string]any {
	e := api.TrailEntry{Seq: 1, At: time.Date(2019, 6, 10, 9, 0, 0, 0, time.UTC), Author: "coop", Kind: api.KindEvidenceAdd,
		NCID: "NC-150424-2019", Digest: api.TrailDigest("Registre signé"), Prev: api.TrailGenesis}
	e.Hash = api.TrailHash(e)
	return map[string]any{"seq": e.Seq, "at": "2019-06-10T09:00:00Z", "author": e.Author, "kind": e.Kind,
		"nc_id": e.NCID, "digest": e.Digest, "prev": e.Prev, "hash": e.Hash}
}

// notRead: a field the valid push entry's kind does not read (see "entries[].change").
var notRead = want{why: "read by change.request entries only; TestChangeRequestRefusals tries its bad values"}

// jsonList is a JSON array of n copies of item.
func jsonList(n int, item string) string {
	return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
}

// field is a JSON field of a request type.
type field struct {
	path string
	kind string // string, int, bool, time, array, object
}

var timeType = reflect.TypeOf(time.Time{})

// fieldsOf lists the JSON fields of t, nested ones too, with prefix before their names.
func fieldsOf(t reflect.Type, prefix string) []field {
	var out []field
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, typeFields(f.Type, prefix+name)...)
	}
	return out
}

func typeFields(t reflect.Type, path string) []field {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return []field{{path, "time"}}
	case t.Kind() == reflect.String:
		return []field{{path, "string"}}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		return []field{{path, "int"}}
	case t.Kind() == reflect.Bool:
		return []field{{path, "bool"}}
	case t.Kind() == reflect.Slice:
		return append([]field{{path, "array"}}, typeFields(t.Elem(), path+"[]")...)
	case t.Kind() == reflect.Struct:
		return append([]field{{path, "object"}}, fieldsOf(t, path+".")...)
	}
	return []field{{path, t.Kind().String()}}
}

// wrongTypes are JSON values of another type than a field's kind.
var wrongTypes = map[string][]string{
	"string": {`12345`, `true`, `["x"]`, `{"x":1}`},
	"int":    {`"1"`, `1.5`, `true`, `[1]`, `{}`},
	"bool":   {`"true"`, `1`},
	"time":   {`12345`, `true`, `{}`},
	"array":  {`"x"`, `{"x":1}`, `12345`},
	"object": {`"x"`, `12345`, `["x"]`},
}

// marker stands for a raw JSON value in a document until it is marshalled.
const marker = "\x00bad-value\x00"

// withValue returns doc as JSON with the value at path replaced by raw JSON text, which
// may be invalid (bad bytes) or of a wrong type. Arrays are entered at their last
// element; add sets a key that the type does not have; a missing object on the way is
// added.
func withValue(doc map[string]any, path, raw string) []byte {
	var cur any = doc
	parts := strings.Split(path, ".")
	for i, part := range parts {
		last := i == len(parts)-1
		obj := cur.(map[string]any)
		name, elem := strings.CutSuffix(part, "[]")
		if !elem {
			if last {
				obj[name] = marker
			} else if obj[name] == nil {
				obj[name] = map[string]any{} // an optional object the valid request leaves out
			}
			cur = obj[name]
			continue
		}
		arr := obj[name].([]any)
		if last {
			arr[len(arr)-1] = marker
		}
		cur = arr[len(arr)-1]
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	enc, _ := json.Marshal(marker)
	return bytes.Replace(b, enc, []byte(raw), 1)
}

// keyIn is the path of a key of the object at path ("" for the top level).
func keyIn(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func bodyCases(r server.Route, in *bodyInput) ([]badCase, error) {
	var cases []badCase
	add := func(name string, w want, body func(doc map[string]any) []byte, headers ...string) {
		cases = append(cases, badCase{name: name, want: w, prepare: func(m *matrix) *http.Request {
			doc, token := in.valid(m)
			return m.request(r.Method, r.Path, token, body(doc), false, append([]string{"Content-Type", "application/json"}, headers...)...)
		}})
	}
	raw := func(s string) func(map[string]any) []byte {
		return func(map[string]any) []byte { return []byte(s) }
	}
	valid := func(doc map[string]any) []byte { b, _ := json.Marshal(doc); return b }
	fields := fieldsOf(reflect.TypeOf(in.typ), "")
	var firstString string
	for _, f := range fields {
		if f.kind == "string" && firstString == "" {
			firstString = f.path
		}
	}
	firstKey, _, _ := strings.Cut(fields[0].path, "[")

	// The body as a whole.
	if !in.emptyOK {
		add("no body", badRequest(), raw(""))
	}
	add("not JSON", badRequest(), raw("username=coop&password=coop"))
	add("truncated JSON", badRequest(), func(doc map[string]any) []byte { b := valid(doc); return b[:len(b)-2] })
	add("malformed JSON", badRequest(), func(doc map[string]any) []byte {
		return bytes.Replace(valid(doc), []byte(`":`), []byte(`"=`), 1)
	})
	add("trailing data", badRequest(), func(doc map[string]any) []byte { return append(valid(doc), ` {}`...) })
	add("a byte-order mark", badRequest(), func(doc map[string]any) []byte { return append([]byte("\xef\xbb\xbf"), valid(doc)...) })
	add("JSON null", badRequest(), raw("null"))
	add("a JSON array", badRequest(), func(doc map[string]any) []byte { return append(append([]byte("["), valid(doc)...), ']') })
	add("a JSON string", badRequest(), raw(`"coop"`))
	nested := badRequest()
	if in.limit() < 100000 { // a small limit refuses the body before it is parsed
		nested = refused(http.StatusRequestEntityTooLarge, api.CodeBadRequest)
	}
	add("deeply nested", nested, raw(`{"`+firstKey+`":`+strings.Repeat("[", 100000)))
	add("one byte over the body limit", refused(http.StatusRequestEntityTooLarge, api.CodeBadRequest), func(doc map[string]any) []byte {
		return withValue(doc, firstString, `"`+strings.Repeat("a", int(in.limit()))+`"`)
	})
	add("a 10 MB string", refused(http.StatusRequestEntityTooLarge, api.CodeBadRequest), func(doc map[string]any) []byte {
		return withValue(doc, firstString, `"`+strings.Repeat("é", 5<<20)+`"`)
	})
	add("an unknown field", badRequest(), func(doc map[string]any) []byte { return withValue(doc, "role", `"analyst"`) })

	// Each field of the request type.
	known := map[string]bool{}
	for _, f := range fields {
		known[f.path] = true
		fw, described := in.fields[f.path]
		for _, v := range wrongTypes[f.kind] {
			add(f.path+" of a wrong type "+v, badRequest(), func(doc map[string]any) []byte { return withValue(doc, f.path, v) })
		}
		if f.kind == "object" {
			add(f.path+" with an unknown field", badRequest(), func(doc map[string]any) []byte {
				return withValue(doc, keyIn(f.path, "x_unknown"), `1`)
			})
		}
		var aspects []aspect
		switch f.kind {
		case "string":
			if !described || fieldCase(fw.long) == "" || fieldCase(fw.badUTF8) == "" {
				return nil, fmt.Errorf("string field %s: say in fields how a 64 KB value and invalid UTF-8 are refused", f.path)
			}
			aspects = []aspect{
				{"64 KB", `"` + strings.Repeat("a", 64<<10) + `"`, fw.long},
				{"invalid UTF-8", "\"ok\xff\xfeok\"", fw.badUTF8},
				{"a lone surrogate", `"ok\ud800ok"`, fw.badUTF8},
			}
		case "int":
			if !described || fieldCase(fw.negative) == "" || fieldCase(fw.overflow) == "" {
				return nil, fmt.Errorf("integer field %s: say in fields how -1 and a number beyond int64 are refused", f.path)
			}
			aspects = []aspect{{"negative", `-1`, fw.negative}, {"beyond int64", `99999999999999999999`, fw.overflow}}
		}
		for _, a := range aspects {
			if a.want.why != "" {
				continue // repaired by design, as fields says
			}
			add(f.path+" "+a.name, a.want, func(doc map[string]any) []byte { return withValue(doc, f.path, a.raw) })
		}
		for _, v := range fw.values {
			add(f.path+" "+v.name, v.want, func(doc map[string]any) []byte { return withValue(doc, f.path, v.raw) })
		}
	}
	for path := range in.fields {
		if !known[path] {
			return nil, fmt.Errorf("fields describes %s, which the request type does not have", path)
		}
	}
	return cases, nil
}

// aspect is a bad value every field of a kind is tried with.
type aspect struct {
	name, raw string
	want      want
}

// fieldCase says whether a want was given: a refusal, or why there is none.
func fieldCase(w want) string {
	if w.why != "" {
		return w.why
	}
	if w.status != 0 {
		return "refused"
	}
	return ""
}
