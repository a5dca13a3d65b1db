package api

import "time"

// The operator directory: every Fairtrade operator's public facts, the same for every
// organisation. Nothing private travels here (no contacts, no audit data): a client may
// page through all of it.

// Certification statuses of an operator (Operator.Status).
const (
	StatusCertified     = "certified"
	StatusSuspended     = "suspended"
	StatusDecertified   = "decertified"
	StatusInApplication = "in_application"
)

// OperatorStatuses lists the statuses an operator may have.
var OperatorStatuses = []string{StatusCertified, StatusSuspended, StatusDecertified, StatusInApplication}

// Roles of an operator in the supply chain (Operator.Role).
var OperatorRoles = []string{"producer", "trader", "exporter", "importer", "manufacturer"}

// Operator is one operator of the directory. FLOID is its identity (text, never a
// number); Seq orders the directory's changes: every change of an operator gives it a
// new, higher Seq, so a client that stored the highest Seq it saw asks only for what
// changed since.
type Operator struct {
	FLOID           string    `json:"flo_id"`
	Name            string    `json:"name"`
	Country         string    `json:"country"` // ISO 3166-1 alpha-2, e.g. "PE"
	Role            string    `json:"role"`    // one of OperatorRoles
	Products        []string  `json:"products"`
	Status          string    `json:"status"` // one of OperatorStatuses
	ValidUntil      Date      `json:"valid_until,omitempty"`
	StatusChangedAt time.Time `json:"status_changed_at"`
	Seq             int64     `json:"seq"`
}

// DirectoryPage answers GET /directory?after=SEQ: the operators changed after SEQ, by
// Seq. After is where the next page starts (the last operator's Seq, or the asked SEQ
// when the page is empty); More says whether another page follows at once.
type DirectoryPage struct {
	Operators []Operator `json:"operators"`
	After     int64      `json:"after"`
	More      bool       `json:"more"`
}
