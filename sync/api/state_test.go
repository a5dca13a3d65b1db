package api

import "testing"

func TestStateIsCanonical(t *testing.T) {
	a, b := State{}, State{}
	if err := a.Add("nc", "NC-1", []byte(`{"id":"NC-1","stage":"closed","revision":3}`)); err != nil {
		t.Fatal(err)
	}
	a.Add("message", "M-1", []byte(`{"id":"M-1","body":"x"}`))
	// Same entities, other key order, other whitespace, other insertion order.
	b.Add("message", "M-1", []byte(`{ "body": "x", "id": "M-1" }`))
	b.Add("nc", "NC-1", []byte(`{"revision":3,"stage":"closed","id":"NC-1"}`))
	if a.Digest() != b.Digest() {
		t.Fatalf("equal states, different digests: %v", a.Diff(b))
	}
	b.Add("nc", "NC-1", []byte(`{"revision":4,"stage":"closed","id":"NC-1"}`))
	if a.Digest() == b.Digest() {
		t.Fatal("a changed revision kept the digest")
	}
	if d := a.Diff(b); len(d) != 1 || d[0] != "nc/NC-1" {
		t.Fatalf("diff: %v", d)
	}
	b.Add("nc", "NC-1", []byte(`{"revision":3,"stage":"closed","id":"NC-1"}`))
	b.Add("evidence", "E-1", []byte(`{}`))
	if d := a.Diff(b); len(d) != 1 || d[0] != "evidence/E-1" {
		t.Fatalf("an entity on one side only: diff %v", d)
	}
	if err := a.Add("nc", "bad", []byte(`{`)); err == nil {
		t.Fatal("malformed JSON accepted")
	}
}
