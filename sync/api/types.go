package api

import (
	"encoding/json"
	"time"
)

// Version is the path prefix of every route of this API.
const Version = "/api/v1"

// Date is a calendar date as "YYYY-MM-DD". Portal dates (received, due, audit date)
// are days, not instants, so they travel as text and are never shifted by time zones.
type Date string

// Role is what a user is allowed to do.
type Role string

const (
	RoleClient  Role = "client"  // staff of one producer organisation
	RoleAnalyst Role = "analyst" // FLOCERT analyst: confirms NCs, evaluates CAs and evidence
	RoleAuditor Role = "auditor" // enters the NCs of an audit
)

// LoginRequest is the body of POST /auth/login.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// RefreshRequest is the body of POST /auth/refresh and POST /auth/logout.
type RefreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// PasswordRequest is the body of POST /auth/password: the current password and the
// new one. The answer is 204; the caller's session goes on, the user's others end.
type PasswordRequest struct {
	Current string `json:"current"`
	New     string `json:"new"`
}

// Session is returned by login and refresh. The access token is short-lived; the refresh
// token is exchanged for a new pair (and is then spent).
type Session struct {
	AccessToken      string    `json:"access_token"`
	AccessExpiresAt  time.Time `json:"access_expires_at"`
	RefreshToken     string    `json:"refresh_token"`
	RefreshExpiresAt time.Time `json:"refresh_expires_at"`
	User             User      `json:"user"`
}

// User is who a token belongs to. OrgID is empty for analysts and auditors.
type User struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	OrgID    string `json:"org_id,omitempty"`
	OrgName  string `json:"org_name,omitempty"`
	// OrgRole is what a client user may do in its organisation (manager or staff);
	// empty for analysts and auditors.
	OrgRole OrgRole `json:"org_role,omitempty"`
}

// Error is the body of every non-2xx answer. Code is stable and machine-readable;
// Message is English text for logs and developers, never shown to users as is.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Entity names used in the change log.
const (
	EntityOrganisation  = "organisation"
	EntityCertification = "certification"
	EntityContact       = "contact"
	EntityCertificate   = "certificate"
	EntityDocument      = "document"
	EntityAudit         = "audit"
	EntityNC            = "nc"
	EntityMessage       = "message"
	EntityEvidence      = "evidence"
	EntityCriterion     = "criterion"
)

// Entities lists every entity name, in the order a client should create its tables.
var Entities = []string{
	EntityOrganisation, EntityCertification, EntityContact, EntityCertificate,
	EntityDocument, EntityAudit, EntityNC, EntityMessage, EntityEvidence, EntityCriterion,
	EntityCADraft, EntityLimits, EntityChangeRequest, EntityChainLink, EntityAssignment, EntityMember,
}

// Change operations.
const (
	OpUpsert = "upsert" // Data holds the entity's full current state
	OpDelete = "delete" // Data is empty
)

// Change is one entry of an organisation's change log. The log keeps only the latest
// change of each entity, so a client starting from cursor 0 receives the current state
// of everything once, and a client that is up to date receives only what changed.
type Change struct {
	Seq    int64           `json:"seq"`
	Entity string          `json:"entity"`
	ID     string          `json:"id"`
	Op     string          `json:"op"`
	Data   json.RawMessage `json:"data,omitempty"`
}

// ChangesPage answers GET /changes?cursor=C&limit=N. Cursor is opaque to clients: they
// store it and send it back. More says whether another page follows at once.
type ChangesPage struct {
	Changes []Change `json:"changes"`
	Cursor  string   `json:"cursor"`
	More    bool     `json:"more"`
	// Directory is, on the last page (More false), the seq of the operator directory's
	// latest change: a client whose copy is behind it asks GET /directory?after=, one that
	// is not asks nothing, so an idle sync stays one round trip.
	Directory int64 `json:"directory,omitempty"`
}

// FileRef points at file content by its SHA-256; GET /files/{sha256} serves the bytes.
type FileRef struct {
	SHA256    string `json:"sha256"`
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	MediaType string `json:"media_type"`
}

// Organisation is the master data of a producer organisation ("Données principales").
type Organisation struct {
	ID         string   `json:"id"` // FLO ID, e.g. "3542"
	Name       string   `json:"name"`
	LegalName  string   `json:"legal_name"`
	Type       string   `json:"type"` // e.g. "Producteur - HL - Plantations Multiples"
	Address    string   `json:"address"`
	City       string   `json:"city"`
	PostalCode string   `json:"postal_code"`
	Country    string   `json:"country"`
	Email      string   `json:"email"`
	Phone      string   `json:"phone"`
	Website    string   `json:"website"`
	Products   []string `json:"products"`
}

// Certification is the organisation's certification data ("Données concernant la
// certification"); one per organisation.
type Certification struct {
	ID            string   `json:"id"`
	Status        string   `json:"status"` // certified, suspended, decertified, in_progress
	Standard      string   `json:"standard"`
	Scope         []string `json:"scope"`
	CycleStart    Date     `json:"cycle_start"`
	CycleEnd      Date     `json:"cycle_end"`
	LastAudit     Date     `json:"last_audit"`
	NextAuditDue  Date     `json:"next_audit_due"`
	CertificateNo string   `json:"certificate_no"`
}

// Contact is a person to talk to ("Interlocuteurs"): the organisation's own people and
// FLOCERT staff such as the analyst.
type Contact struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Role    string `json:"role"`    // e.g. "Analyste FLOCERT", "Responsable qualité"
	Company string `json:"company"` // the organisation's name or "FLOCERT"
	Email   string `json:"email"`
	Phone   string `json:"phone"`
	Analyst bool   `json:"analyst,omitempty"` // the organisation's FLOCERT analyst
}

// Certificate is a row of the "Certificat" table.
type Certificate struct {
	ID          string   `json:"id"`
	Number      string   `json:"number"`
	Description string   `json:"description"`
	Year        int      `json:"year"`
	ValidUntil  Date     `json:"valid_until"`
	File        *FileRef `json:"file,omitempty"`
}

// Document is a downloadable file of the "Documents" page, e.g. the certification contract.
type Document struct {
	ID   string  `json:"id"`
	Type string  `json:"type"` // certification_contract, other
	Date Date    `json:"date"`
	File FileRef `json:"file"`
}

// Audit is a row of "Statut de l'audit".
type Audit struct {
	ID          string `json:"id"` // AO-38369
	Date        Date   `json:"date"`
	ServiceType string `json:"service_type"` // "Producteur - HL - Plantations Multiples"
	Type        string `json:"type"`         // initial, renewal, surveillance, unannounced
	Status      string `json:"status"`       // planned, performed, in_evaluation, closed
	Auditor     string `json:"auditor"`
}

// NC workflow stages, in order. The server is the authority on an NC's stage.
const (
	StageCARequested       = "ca_requested"       // analyst confirmed the NC and asked for a CA
	StageCASubmitted       = "ca_submitted"       // client sent a CA; analyst evaluates
	StageCAReturned        = "ca_returned"        // analyst returned the CA with a comment
	StageEvidenceRequested = "evidence_requested" // CA accepted; evidence asked for
	StageEvidenceSubmitted = "evidence_submitted"
	StageEvidenceReturned  = "evidence_returned"
	StageClosed            = "closed"
)

// Statuses of a CA or of an NC's evidence ("Statut MC", "Statut PM").
const (
	StatusNone      = ""
	StatusRequested = "requested"
	StatusSubmitted = "submitted"
	StatusReturned  = "returned"
	StatusAccepted  = "accepted" // "Satisfait"
)

// NC is a non-conformity as the client sees it: only after the analyst confirmed it.
type NC struct {
	ID              string `json:"id"` // NC-167140-2019
	AuditID         string `json:"audit_id"`
	CriterionNumber string `json:"criterion_number"` // 2.2.0.03, text, never a number
	CriterionText   string `json:"criterion_text"`
	CriterionType   string `json:"criterion_type"`  // core, major, development, voluntary, reactive
	Finding         string `json:"finding"`         // what the auditor found
	Score           int    `json:"score,omitempty"` // compliance rank 1-5, 0 when not scored
	ReceivedDate    Date   `json:"received_date"`
	// DueDate is the corrective measure's deadline; EvidenceDueDate the evidence
	// deadline the analyst set on accepting the CA. StepDueDate picks the one that counts.
	DueDate         Date   `json:"due_date,omitempty"`
	EvidenceDueDate Date   `json:"evidence_due_date,omitempty"`
	Stage           string `json:"stage"`
	CAStatus        string `json:"ca_status"`
	EvidenceStatus  string `json:"evidence_status"`
	CA              *CA    `json:"ca,omitempty"`
	// CAHistory lists every submitted CA with the analyst's decision, oldest first.
	CAHistory []CAVersion `json:"ca_history,omitempty"`
	// EvidenceHistory lists every submission of evidence with the decision, oldest first.
	EvidenceHistory []EvidenceVersion `json:"evidence_history,omitempty"`
	// Revision is bumped by the server on every change of the NC (drafts have their own).
	Revision int64 `json:"revision"`
}

// StepDueDate is the deadline of the NC's current step: the CA's while a corrective
// measure is expected, the evidence's while evidence is, and "" when nothing is due
// from the client (submitted, closed) or the analyst set no evidence deadline. The
// CA's date never carries into the evidence step: it was met when the CA went in.
func (nc NC) StepDueDate() Date {
	switch nc.Stage {
	case StageCARequested, StageCAReturned:
		return nc.DueDate
	case StageEvidenceRequested, StageEvidenceReturned:
		return nc.EvidenceDueDate
	}
	return ""
}

// CA is the corrective measure of an NC as last sent to or set by FLOCERT.
type CA struct {
	Text           string    `json:"text"`
	SubmittedAt    time.Time `json:"submitted_at,omitzero"`
	AnalystComment string    `json:"analyst_comment,omitempty"`
	DecidedAt      time.Time `json:"decided_at,omitzero"`
}

// Message is one entry of an NC's Communication thread.
type Message struct {
	ID         string    `json:"id"`
	NCID       string    `json:"nc_id"`
	Author     string    `json:"author"`
	AuthorRole Role      `json:"author_role"`
	Body       string    `json:"body"`
	SentAt     time.Time `json:"sent_at"`
}

// Evidence is a file attached to an NC as objective evidence ("Preuves Matérielles").
type Evidence struct {
	ID      string    `json:"id"`
	NCID    string    `json:"nc_id"`
	Type    string    `json:"type"` // "evidence"
	Date    Date      `json:"date"`
	Subject string    `json:"subject"`
	File    FileRef   `json:"file"`
	AddedAt time.Time `json:"added_at"`
	// AddedBy is the username of the account that attached it (from its token; empty for
	// files attached before authors were recorded, and the demo's).
	AddedBy string `json:"added_by,omitempty"`
	// AddedByName is that account's full name, as the server had it then.
	AddedByName string `json:"added_by_name,omitempty"`
	// Submitted is set when the file was sent to FLOCERT with the NC's evidence; until
	// then the organisation may remove it or change its subject.
	Submitted bool `json:"submitted,omitempty"`
	// Decision is the analyst's on the evidence it was sent with: accepted, returned.
	Decision string `json:"decision,omitempty"`
}

// EvidenceVersion is carried on the NC: each submission of evidence and the decision.
type EvidenceVersion struct {
	Files       []string  `json:"files"` // evidence ids
	SubmittedBy string    `json:"submitted_by"`
	SubmittedAt time.Time `json:"submitted_at"`
	Decision    string    `json:"decision,omitempty"`
	Comment     string    `json:"comment,omitempty"`
	DecidedAt   time.Time `json:"decided_at,omitzero"`
}

// Criterion is one line of "Ma checklist": a requirement of the organisation's standard.
type Criterion struct {
	ID      string `json:"id"`
	Number  string `json:"number"` // 2.2.0.03
	Section string `json:"section"`
	Text    string `json:"text"`
	Type    string `json:"type"` // core, major, development, voluntary
	Year    int    `json:"year"` // year of the standard the criterion applies from
}
