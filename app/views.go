package app

import "github.com/ecert-desktop/ecert-desktop/sync/api"

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
	// HasData is true when the replica holds a synced organisation: the app can open
	// on it even with no connection.
	HasData bool `json:"has_data"`
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
	Pending   int    `json:"pending"`    // local changes waiting to be pushed
	Files     int    `json:"files"`      // files waiting to be downloaded
	// Version grows with every change; the UI keeps the newest status it has seen, so a
	// Status() answer that crossed a newer event on the way cannot roll the bar back.
	Version uint64 `json:"version"`
}

// NC filters of the list, as in the portal: a) CAs to submit, b) evidence to submit,
// every open NC, and the history of closed ones.
const (
	FilterCA       = "ca"
	FilterEvidence = "evidence"
	FilterOpen     = "open"
	FilterHistory  = "history"
	FilterAll      = "all"
)

// NCRow is a row of the NC list: the NC with its audit's date and service type.
type NCRow struct {
	NC          api.NC   `json:"nc"`
	AuditDate   api.Date `json:"audit_date"`
	ServiceType string   `json:"service_type"`
	// DaysLeft until the due date, negative when overdue; nil without a due date or
	// when nothing is expected of the client.
	DaysLeft *int `json:"days_left"`
	// Action is what is expected of the client now: "ca", "evidence" or "" (nothing).
	Action string `json:"action"`
	Unread int    `json:"unread"` // analyst messages not yet read on this NC
}

// NCDetail is everything the NC screen shows, in its three tabs.
type NCDetail struct {
	Row       NCRow          `json:"row"`
	Audit     api.Audit      `json:"audit"`
	Messages  []api.Message  `json:"messages"`
	Evidence  []EvidenceRow  `json:"evidence"`
	Criterion *api.Criterion `json:"criterion"`
}

// EvidenceRow is an evidence file and whether its content is available offline.
type EvidenceRow struct {
	Evidence api.Evidence `json:"evidence"`
	Cached   bool         `json:"cached"`
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
	Actions       []NCRow            `json:"actions"`     // NCs expecting the client, by due date
	CACount       int                `json:"ca_count"`
	EvidenceCount int                `json:"evidence_count"`
	Overdue       int                `json:"overdue"`
	Unread        int                `json:"unread"`
	Messages      []MessageRow       `json:"messages"` // the latest few
	Today         api.Date           `json:"today"`
}
