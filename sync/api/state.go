package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// State is an organisation's synced entities in a canonical form, keyed "entity/id".
// The server builds it from its change log, a replica from its tables; when the two
// agree, their digests are equal whatever the order of rows or of JSON keys.
type State map[string]string

// Add puts one entity's JSON in canonical form: keys sorted, numbers as written.
func (s State) Add(entity, id string, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("%s %s: %w", entity, id, err)
	}
	canon, err := json.Marshal(v) // maps marshal with sorted keys
	if err != nil {
		return fmt.Errorf("%s %s: %w", entity, id, err)
	}
	s[entity+"/"+id] = string(canon)
	return nil
}

// Digest is the SHA-256 of the state's sorted entries.
func (s State) Digest() string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(s)) {
		fmt.Fprintf(h, "%s\x00%s\n", k, s[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Diff lists the keys whose entries differ between s and other (missing on one side
// included), sorted.
func (s State) Diff(other State) []string {
	var out []string
	for k, v := range s {
		if w, ok := other[k]; !ok || w != v {
			out = append(out, k)
		}
	}
	for k := range other {
		if _, ok := s[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
