package client

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// decodePage reads what json.Unmarshal reads, and refuses what it refuses.
func TestDecodePageIsUnmarshal(t *testing.T) {
	tests := []string{
		// Pages as servers send them.
		`{"changes":[{"seq":1,"entity":"nc","id":"NC-1","op":"upsert","data":{"a":[1,{"b":null}]}},{"seq":2,"entity":"nc","id":"NC-2","op":"delete"}],"cursor":"2","more":true}`,
		`{"changes":[],"cursor":"","more":false}`,
		` { "more" : false , "cursor" : "7" , "changes" : [ ] } `,
		// What Unmarshal tolerates: null, missing and unknown keys, keys in another case.
		`null`,
		`{}`,
		`{"changes":null,"cursor":"3"}`,
		`{"Changes":[{"Seq":4,"ID":"NC-4"}],"CURSOR":"4","extra":{"x":[1,2]},"more":true}`,
		// What it refuses.
		`[]`,
		`{"changes":{}}`,
		`{"changes":[1]}`,
		`{"cursor":5}`,
		`{"changes":[{"seq":1}]`,
		``,
	}
	for _, in := range tests {
		var want api.ChangesPage
		wantErr := json.Unmarshal([]byte(in), &want)
		var got api.ChangesPage
		gotErr := decodePage(json.NewDecoder(strings.NewReader(in)), &got, 10)
		if (gotErr != nil) != (wantErr != nil) {
			t.Errorf("%s: error %v, want %v", in, gotErr, wantErr)
			continue
		}
		if wantErr == nil && !samePage(got, want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", in, got, want)
		}
	}
}

// samePage compares pages, taking an empty list of changes for the same as none: the
// decoder sizes its list before it knows whether any change comes.
func samePage(a, b api.ChangesPage) bool {
	if len(a.Changes) == 0 && len(b.Changes) == 0 {
		a.Changes, b.Changes = nil, nil
	}
	return reflect.DeepEqual(a, b)
}
