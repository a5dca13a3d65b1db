package client

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// decodePage reads one api.ChangesPage from dec a change at a time, so that the
// decoder holds one change, not the page's megabytes, before they are decoded. It
// reads what json.Unmarshal would: keys matched without regard to case, unknown keys
// skipped, null for an empty page. limit, the page size asked for, sizes the slice.
func decodePage(dec *json.Decoder, page *api.ChangesPage, limit int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil // null
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("changes page: got %v, want an object", tok)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		switch {
		case strings.EqualFold(key, "changes"):
			page.Changes, err = decodeChanges(dec, limit)
		case strings.EqualFold(key, "cursor"):
			err = dec.Decode(&page.Cursor)
		case strings.EqualFold(key, "more"):
			err = dec.Decode(&page.More)
		case strings.EqualFold(key, "directory"):
			err = dec.Decode(&page.Directory)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return err
		}
	}
	_, err = dec.Token() // the closing brace
	return err
}

// decodeChanges reads the array of changes (or null) that dec is at.
func decodeChanges(dec *json.Decoder, limit int) ([]api.Change, error) {
	tok, err := dec.Token()
	if err != nil || tok == nil {
		return nil, err
	}
	if tok != json.Delim('[') {
		return nil, fmt.Errorf("changes: got %v, want an array", tok)
	}
	changes := make([]api.Change, 0, max(0, min(limit, 100000)))
	for dec.More() {
		changes = append(changes, api.Change{})
		if err := dec.Decode(&changes[len(changes)-1]); err != nil {
			return nil, err
		}
	}
	_, err = dec.Token() // the closing bracket
	return changes, err
}
