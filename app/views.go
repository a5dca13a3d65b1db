package app

import (
	"github.com/ecert-desktop/ecert-desktop/app/cycle"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The types below are what the services return to the UI. They add to the wire types
// what the screens need (joined audit fields, days left, cache state) so that the
// frontend never recomputes workflow rules.

// SessionState says who is logged in, and where.
type SessionState struct {
	LoggedIn bool   `json:"logged_in"`
	Server   string `json:"server"`
	Username string `json:"username"`
	Name     string `json:"name"`
	OrgID    string `json:"org_id"`
	OrgName  string `json:"org_name"`
	// OrgRole is the user's role in the organisation: manager (everything) or staff
	// (no Send to FLOCERT, no account management); the window hides what it cannot do.
	OrgRole string `json:"org_role"`
	// HasData is true when the replica holds a synced organisation: the app can open
	// on it even with no connection.
	HasData bool `json:"has_data"`
	// TokenStore says where the login is kept: "keyring" (the OS's) or "file" (a file
	// only this user can read).
	TokenStore string `json:"token_store"`
	// Recovery is set, once, after a damaged replica was moved aside and rebuilt.
	Recovery *Recovery `json:"recovery"`
	// Ended says why the server ended the saved login (session_expired, or
	// password_changed: the password was changed on another computer); "" otherwise.
	Ended string `json:"ended,omitempty"`
}

// LoginDefaults pre-fill the login form (the demo set-up passes them by environment).
type LoginDefaults struct {
	Server   string `json:"server"`
	Username string `json:"username"`
	Password string `json:"password"`
}

// SyncStatus is what the status bar shows. It is also the payload of the
// "sync:status" event, emitted whenever it changes.
type SyncStatus struct {
	Online    bool   `json:"online"`
	Syncing   bool   `json:"syncing"`
	LastSync  string `json:"last_sync"`  // RFC 3339, empty when never synced
	LastError string `json:"last_error"` // an error code (errors.<code> in the UI), empty when fine
	ErrorAt   string `json:"error_at"`   // RFC 3339
	NextTry   string `json:"next_try"`   // RFC 3339, when offline: the next automatic attempt
	// LastContact is when the server last answered (RFC 3339), empty when not in this run.
	LastContact string `json:"last_contact"`
	Pending     int    `json:"pending"` // local changes waiting to be pushed
	Files       int    `json:"files"`   // files waiting to be downloaded
	// Version grows with every change; the UI keeps the newest status it has seen, so a
	// Status() answer that crossed a newer event on the way cannot roll the bar back.
	Version uint64 `json:"version"`
}

// NC filters of the list, as in the portal: a) CAs to submit, b) evidence to submit,
// what was sent and awaits the analyst's evaluation, every open NC, and the history of
// closed ones.
const (
	FilterCA       = "ca"
	FilterEvidence = "evidence"
	FilterSent     = "sent"
	FilterOpen     = "open"
	FilterHistory  = "history"
	FilterAll      = "all"
)

// NCRow is a row of the NC list: the NC with its audit's date and service type.
type NCRow struct {
	NC          api.NC   `json:"nc"`
	AuditDate   api.Date `json:"audit_date"`
	ServiceType string   `json:"service_type"`
	// Due is the deadline of the NC's current step (api.NC.StepDueDate): the CA's while
	// a corrective measure is expected, the evidence's while evidence is; empty when
	// nothing is due from the client. Screens show this, never nc.due_date alone.
	Due api.Date `json:"due"`
	// DaysLeft until Due, negative when overdue; nil without one.
	DaysLeft *int `json:"days_left"`
	// Action is what is expected of the client now: "ca", "evidence" or "" (nothing).
	Action string `json:"action"`
	Unread int    `json:"unread"` // analyst messages not yet read on this NC
	// Updates counts what the analyst did on this NC that the user has not seen yet.
	Updates int    `json:"updates"`
	Ready   bool   `json:"ready"`  // the CA is marked ready to send (✓)
	Queued  bool   `json:"queued"` // the CA is queued to be sent
	Notice  string `json:"notice"`
}

// NCDetail is everything the NC screen shows, in its three tabs.
type NCDetail struct {
	Row       NCRow          `json:"row"`
	Audit     api.Audit      `json:"audit"`
	Messages  []api.Message  `json:"messages"`
	Evidence  []EvidenceRow  `json:"evidence"`
	Criterion *api.Criterion `json:"criterion"`
	// Local is the user's corrective measure (nil when they wrote none).
	Local *LocalCA `json:"local"`
	// SharedDraft is the organisation's draft on the server, as last pulled.
	SharedDraft *api.CADraft `json:"shared_draft"`
	// Editable says whether the corrective measure can be written now.
	Editable bool             `json:"editable"`
	Pending  []PendingMessage `json:"pending"`
	// EvidenceEditable says whether files can be attached now; EvidenceReady whether the
	// NC's evidence is marked ready to send; EvidenceNotice why it went back (a code).
	EvidenceEditable bool   `json:"evidence_editable"`
	EvidenceReady    bool   `json:"evidence_ready"`
	EvidenceNotice   string `json:"evidence_notice"`
}

// EvidenceRow is an evidence file, where it stands, and whether its content is here.
type EvidenceRow struct {
	Evidence api.Evidence `json:"evidence"`
	Cached   bool         `json:"cached"`
	// Local is true for a file attached on this computer and not yet submitted.
	Local bool `json:"local"`
	// State: local (bytes not on the server yet), queued, attached, removing, refused,
	// submitted.
	State string `json:"state"`
	Code  string `json:"code"` // why it was refused
	// OriginalSize is the size of the photo kept here when a smaller copy is sent.
	OriginalSize int64 `json:"original_size"`
	Image        bool  `json:"image"` // a thumbnail is served at /thumbs/<sha256>
}

// CertificateRow is a certificate and whether its PDF is available offline.
type CertificateRow struct {
	Certificate api.Certificate `json:"certificate"`
	Cached      bool            `json:"cached"`
}

// DocumentRow is a document and whether its file is available offline.
type DocumentRow struct {
	Document api.Document `json:"document"`
	Cached   bool         `json:"cached"`
}

// AuditRow is an audit with the counts of its NCs.
type AuditRow struct {
	Audit   api.Audit `json:"audit"`
	NCs     int       `json:"ncs"`
	OpenNCs int       `json:"open_ncs"`
}

// MessageRow is a message with the NC it belongs to, for the dashboard.
type MessageRow struct {
	Message api.Message `json:"message"`
	Unread  bool        `json:"unread"`
}

// Dashboard is the Portal screen: what needs action, certification status, messages.
type Dashboard struct {
	Organisation  *api.Organisation  `json:"organisation"`
	Certification *api.Certification `json:"certification"`
	Certificate   *api.Certificate   `json:"certificate"` // the latest one
	// Standing is the certification status as it stands today (see Portal.Standing).
	Standing      *cycle.Standing `json:"standing"`
	Actions       []NCRow         `json:"actions"`       // the first DashboardPage NCs expecting the client, by due date
	ActionsTotal  int             `json:"actions_total"` // all of them (DashboardActions gives the rest)
	CACount       int             `json:"ca_count"`
	EvidenceCount int             `json:"evidence_count"`
	SentCount     int             `json:"sent_count"` // sent, awaiting the analyst's evaluation
	Overdue       int             `json:"overdue"`
	Unread        int             `json:"unread"`
	Updates       int             `json:"updates"`  // unseen analyst decisions and messages
	Ready         int             `json:"ready"`    // CAs marked ready to send
	Messages      []MessageRow    `json:"messages"` // the latest few
	Today         api.Date        `json:"today"`
}

// Draft states of a corrective measure the user writes.
const (
	DraftLocal  = "local"  // kept on this computer only (saved at every keystroke)
	DraftQueued = "queued" // saved as a draft, waiting for a connection to reach the server
	DraftShared = "shared" // the server has it: the organisation's other computers see it
)

// LocalCA is the user's corrective measure of an NC, as the editor shows it.
type LocalCA struct {
	NCID   string `json:"nc_id"`
	Text   string `json:"text"`
	Ready  bool   `json:"ready"`  // marked "ready to send"
	Queued bool   `json:"queued"` // Send pressed; goes (or went) with the next sync
	Draft  string `json:"draft"`  // local, queued or shared
	// Notice is why the user must look again (errors.<code> / ca.notice.<code>):
	// draft_changed, nc_changed, nc_closed, or the reason the server refused it.
	Notice    string `json:"notice"`
	OtherText string `json:"other_text"` // the other computer's draft, in a conflict
	OtherBy   string `json:"other_by"`
	UpdatedAt string `json:"updated_at"`
	// WrittenBy and WrittenByName are the person logged in on this computer: the author
	// of a text not on the server yet (a shared one names its own, in CADraft).
	WrittenBy     string `json:"written_by,omitempty"`
	WrittenByName string `json:"written_by_name,omitempty"`
}

// GeneralThread is the organisation's thread with FLOCERT about no NC ("Messages to
// FLOCERT" on the Contacts page).
type GeneralThread struct {
	Messages []api.Message    `json:"messages"`
	Pending  []PendingMessage `json:"pending"`
}

// PendingMessage is a message written here and not yet on the server (or refused).
type PendingMessage struct {
	Seq       int64  `json:"seq"`
	Text      string `json:"text"`
	CreatedAt string `json:"created_at"`
	Rejected  bool   `json:"rejected"`
	Code      string `json:"code"`
	// Author and AuthorName are the person logged in on this computer, who wrote it.
	Author     string `json:"author,omitempty"`
	AuthorName string `json:"author_name,omitempty"`
}

// OutboxItem is an entry of the outbox as the user sees it.
type OutboxItem struct {
	Seq       int64  `json:"seq"`
	Kind      string `json:"kind"` // ca.draft, ca.submit, message
	NCID      string `json:"nc_id"`
	Text      string `json:"text"`
	CreatedAt string `json:"created_at"`
	State     string `json:"state"` // pending, rejected
	Code      string `json:"code"`  // why it was rejected
}

// SendPreview is what Send would do: the CAs marked ready, and those awaited but not
// ready, which Send leaves behind.
type SendPreview struct {
	Ready    []string `json:"ready"`
	NotReady []string `json:"not_ready"`
	// NoFiles lists NCs whose evidence is marked ready but that have no file; Uploading
	// counts files whose bytes are not on the server yet (they go first, then the NC).
	NoFiles   []string `json:"no_files"`
	Uploading int      `json:"uploading"`
}

// SendResult says what Send queued and whether it could go at once.
type SendResult struct {
	Queued   []string `json:"queued"`
	NotReady []string `json:"not_ready"`
	Online   bool     `json:"online"`
}

// Notice is an analyst decision or message that a sync brought; the payload of the
// "sync:notify" event.
type Notice struct {
	NCID  string `json:"nc_id"`
	Kind  string `json:"kind"`  // decision, message, assigned
	Stage string `json:"stage"` // the NC's new stage (decision); the internal due date (assigned)
}
