package api

import (
	"strconv"
	"time"
)

// The push protocol: a client sends its outbox — the local changes in the order they were
// made — and gets one result per entry. Entries are idempotent: each carries the client's
// id and a sequence number, the server applies an entry and records the client's last
// sequence and the entry's result in one transaction, and a replay of an entry returns
// the stored result. Retries, lost responses and restarts can never apply an entry twice.

// Push entry kinds.
const (
	// KindCADraft saves the text of a corrective measure as a draft on the server, so the
	// organisation's other computers see it. BaseRevision is the CADraft.Revision the
	// edit started from (0 when there was no draft): when the server's draft has moved on
	// since, the result is a conflict carrying the server's draft, and nothing changes.
	KindCADraft = "ca.draft"
	// KindCASubmit sends a corrective measure to FLOCERT (the portal's Send / Envoyer).
	// BaseRevision is the NC.Revision the client saw: when the NC changed meanwhile (the
	// analyst returned or decided it), the result is a conflict and nothing is submitted.
	// The NC must await a CA (stage ca_requested or ca_returned), else the entry is
	// rejected.
	KindCASubmit = "ca.submit"
	// KindMessage writes a message in the NC's Communication thread. The server gives the
	// message the id MessageID(clientID, seq), so the client recognises it in a pull.
	KindMessage = "message"
	// KindMessageGeneral writes a message in the organisation's general thread with
	// FLOCERT, about no NC: NCID is empty (anything else is rejected, bad_entry). The
	// message gets the id MessageID(clientID, seq) and an empty nc_id, as do the
	// analyst's replies in that thread.
	KindMessageGeneral = "message.general"
	// KindChainAdd and KindChainRemove (chains.go) edit the organisation's supply chains.

	// KindNCAssign names the organisation's responsible person of an NC and its internal
	// due date (the organisation's own, never FLOCERT's). Text is the assignee's username
	// (empty: nobody), Due is YYYY-MM-DD or empty. The organisation's manager only
	// (staff: rejected forbidden_role); the last assignment the server applies wins, and
	// every replica pulls it (EntityAssignment).
	KindNCAssign = "nc.assign"
)

// PushRequest is the body of POST /push.
type PushRequest struct {
	// ClientID identifies one replica (one computer's data directory): 16 to 64
	// characters of [A-Za-z0-9_-], chosen randomly by the client once.
	ClientID string      `json:"client_id"`
	Entries  []PushEntry `json:"entries"`
	// Trail carries the replica's trail entries the server has not acknowledged yet, in
	// Seq order (see trail.go). A field of the request, not an entry kind: a trail entry
	// records a change, it asks the server to do nothing, and some changes leave no
	// outbox entry to ride on (a CA unmarked before it was sent, a mark kept locally).
	// The server keeps them in one transaction of their own, after the entries: a broken
	// link refuses the trail (PushResponse.Trail says so) but never the entries, so a
	// damaged trail cannot hold up what the user sends.
	Trail []TrailEntry `json:"trail,omitempty"`
}

// PushEntry is one outbox entry. Seq is strictly increasing per client; gaps are allowed.
type PushEntry struct {
	Seq          int64     `json:"seq"`
	Kind         string    `json:"kind"`
	NCID         string    `json:"nc_id"`
	Text         string    `json:"text"` // CA, message, or the subject of an evidence file
	BaseRevision int64     `json:"base_revision"`
	CreatedAt    time.Time `json:"created_at"` // the device's clock; informational only
	// EvidenceID and File are for the evidence kinds (see evidence.go).
	EvidenceID string   `json:"evidence_id,omitempty"`
	File       *FileRef `json:"file,omitempty"`
	// Change is the proposal of a change.request entry (see requests.go).
	Change *ChangeProposal `json:"change,omitempty"`
	// Chain is for the chain kinds (see chains.go).
	Chain *ChainLink `json:"chain,omitempty"`
	// Due is the internal due date of nc.assign (YYYY-MM-DD), empty for none.
	Due string `json:"due,omitempty"`
}

// Push result statuses.
const (
	PushApplied   = "applied"   // the entry took effect now
	PushDuplicate = "duplicate" // the entry had taken effect before (a replay): nothing changed now
	PushRejected  = "rejected"  // the entry can never apply; Code and Message say why
	PushConflict  = "conflict"  // the server's version moved on; the current one is attached
)

// MaxTextBytes limits the text of a CA or a message.
const MaxTextBytes = 20000

// MaxPushEntries limits the entries of one push request.
const MaxPushEntries = 200

// PushResult is the outcome of one entry, in the order of the request's entries.
type PushResult struct {
	Seq     int64  `json:"seq"`
	Status  string `json:"status"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"` // English, for logs; clients show Code translated
	// NC is the NC's current state after the entry (applied, duplicate, conflict).
	NC *NC `json:"nc,omitempty"`
	// Draft is the server's current draft (after an applied draft, or in a conflict).
	Draft *CADraft `json:"draft,omitempty"`
	// MessageID is the id of the message an applied message entry created.
	MessageID string `json:"message_id,omitempty"`
	// Evidence is the evidence file after an applied evidence.add or evidence.subject.
	Evidence *Evidence `json:"evidence,omitempty"`
	// Request is the change request an applied change.request entry created.
	Request *ChangeRequest `json:"request,omitempty"`
	// Chain is the chain's partner after an applied chain.add.
	Chain *ChainLink `json:"chain,omitempty"`
	// Assignment is the NC's assignment after an applied nc.assign (absent: nobody).
	Assignment *Assignment `json:"assignment,omitempty"`
}

// PushResponse answers POST /push.
type PushResponse struct {
	Results []PushResult `json:"results"`
	// Trail answers the request's Trail; absent when the request carried none.
	Trail *TrailAck `json:"trail,omitempty"`
}

// MessageID is the id the server gives the message created by a client's entry.
func MessageID(clientID string, seq int64) string {
	return "M-" + clientID + "-" + strconv.FormatInt(seq, 10)
}

// EntityCADraft is the change-log entity of CA drafts; its id is the NC's id.
const EntityCADraft = "ca_draft"

// CADraft is the server's copy of a corrective measure being written: shared by the
// organisation's computers, invisible to the analyst until submitted. Revision grows
// with each save.
type CADraft struct {
	NCID      string `json:"nc_id"`
	Text      string `json:"text"`
	Revision  int64  `json:"revision"`
	UpdatedBy string `json:"updated_by"` // the user name that last changed its text
	// UpdatedByName is that account's full name, as the server had it then.
	UpdatedByName string    `json:"updated_by_name,omitempty"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// CAVersion is one submitted corrective measure and the analyst's decision on it.
type CAVersion struct {
	Text        string `json:"text"`
	SubmittedBy string `json:"submitted_by"` // the full name of the account that sent it
	// WrittenBy is the username of the account that wrote the text sent: the shared
	// draft's last author when the text is the draft's, else the sender; WrittenByName
	// is that account's full name. Empty on versions from before authors were kept.
	WrittenBy     string    `json:"written_by,omitempty"`
	WrittenByName string    `json:"written_by_name,omitempty"`
	SubmittedAt   time.Time `json:"submitted_at"`
	Decision      string    `json:"decision,omitempty"` // accepted, returned; empty while pending
	Comment       string    `json:"comment,omitempty"`
	DecidedAt     time.Time `json:"decided_at,omitzero"`
}
