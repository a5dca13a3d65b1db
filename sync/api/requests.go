package api

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Change requests: the organisation asks FLOCERT to update its contact details or its
// master data (the portal's "ask to update contact details"). The request travels as
// push kind KindChangeRequest, exactly once like any entry; the server keeps it as
// entity EntityChangeRequest (pending) until the analyst accepts or refuses it. An
// accepted request changes the contact or organisation entity in the same transaction,
// so every replica pulls the new values and the decided request together.

// KindChangeRequest proposes a change: PushEntry.Change carries it, NCID is empty. The
// result's Request is the pending request as stored.
const KindChangeRequest = "change.request"

// EntityChangeRequest is the change-log entity of change requests; its id is
// RequestID(clientID, seq).
const EntityChangeRequest = "change_request"

// What a change request is about (ChangeProposal.Target).
const (
	TargetContact      = "contact"
	TargetOrganisation = "organisation"
)

// What a change request does (ChangeProposal.Action). Only contacts are added or removed.
const (
	ActionUpdate = "update"
	ActionAdd    = "add"
	ActionRemove = "remove"
)

// Where a change request stands (ChangeRequest.Status).
const (
	RequestPending  = "pending"
	RequestAccepted = "accepted"
	RequestRefused  = "refused"
)

// ChangeProposal is what the user asks for.
type ChangeProposal struct {
	Target string `json:"target"`
	Action string `json:"action"`
	// TargetID is the contact of an update or removal; empty for an addition and for
	// the organisation (the server knows which one).
	TargetID string `json:"target_id,omitempty"`
	// Fields are the proposed values by field name (ContactFields, OrgFields): for an
	// update, only the fields that change; for an addition, the new contact's.
	Fields map[string]string `json:"fields,omitempty"`
	// Note is the user's word to the analyst (why, since when); optional.
	Note string `json:"note,omitempty"`
}

// ChangeRequest is a proposal as the server keeps it, with its decision.
type ChangeRequest struct {
	ID       string            `json:"id"`
	Target   string            `json:"target"`
	Action   string            `json:"action"`
	TargetID string            `json:"target_id,omitempty"` // the organisation's id for its master data
	Fields   map[string]string `json:"fields,omitempty"`
	// Old holds the values of the changed fields when the request arrived (the server's),
	// for an update or a removal, so both versions can be shown side by side.
	Old         map[string]string `json:"old,omitempty"`
	Note        string            `json:"note,omitempty"`
	Status      string            `json:"status"`
	RequestedBy string            `json:"requested_by"` // the user's name
	RequestedAt time.Time         `json:"requested_at"`
	DecidedBy   string            `json:"decided_by,omitempty"`
	DecidedAt   time.Time         `json:"decided_at,omitzero"`
	Comment     string            `json:"comment,omitempty"` // the analyst's; required for a refusal
	// ResultID is the contact an accepted addition created.
	ResultID string `json:"result_id,omitempty"`
	Revision int64  `json:"revision"`
}

// RequestID is the id the server gives the change request of a client's entry.
func RequestID(clientID string, seq int64) string {
	return "CR-" + clientID + "-" + strconv.FormatInt(seq, 10)
}

// ContactFields and OrgFields are the fields a request may change, with the longest
// value each takes in characters. The organisation's name, legal form, type and products
// are not changed by request: they go through certification itself.
var (
	ContactFields = map[string]int{"name": 120, "role": 120, "email": 254, "phone": 40}
	OrgFields     = map[string]int{"address": 200, "city": 100, "postal_code": 20, "country": 100,
		"email": 254, "phone": 40, "website": 200}
)

// MaxNoteChars limits ChangeProposal.Note.
const MaxNoteChars = 1000

// ContactValues returns a contact's fields as ContactFields names them.
func ContactValues(c Contact) map[string]string {
	return map[string]string{"name": c.Name, "role": c.Role, "email": c.Email, "phone": c.Phone}
}

// OrgValues returns the organisation's fields as OrgFields names them.
func OrgValues(o Organisation) map[string]string {
	return map[string]string{"address": o.Address, "city": o.City, "postal_code": o.PostalCode,
		"country": o.Country, "email": o.Email, "phone": o.Phone, "website": o.Website}
}

// ApplyToContact returns c with the fields set.
func ApplyToContact(c Contact, fields map[string]string) Contact {
	for k, v := range fields {
		switch k {
		case "name":
			c.Name = v
		case "role":
			c.Role = v
		case "email":
			c.Email = v
		case "phone":
			c.Phone = v
		}
	}
	return c
}

// ApplyToOrg returns o with the fields set.
func ApplyToOrg(o Organisation, fields map[string]string) Organisation {
	for k, v := range fields {
		switch k {
		case "address":
			o.Address = v
		case "city":
			o.City = v
		case "postal_code":
			o.PostalCode = v
		case "country":
			o.Country = v
		case "email":
			o.Email = v
		case "phone":
			o.Phone = v
		case "website":
			o.Website = v
		}
	}
	return o
}

// CheckProposal checks a proposal's shape and values, as both the app (offline, before
// queueing it) and the server do. It returns a code and the field at fault ("" when the
// code is about the whole proposal), or "" when the proposal is valid. Values are
// trimmed first (Normalise); whether the contact exists is the server's to say.
func CheckProposal(p ChangeProposal) (code, field string) {
	var allowed map[string]int
	switch {
	case p.Target == TargetContact && (p.Action == ActionUpdate || p.Action == ActionAdd || p.Action == ActionRemove):
		allowed = ContactFields
	case p.Target == TargetOrganisation && p.Action == ActionUpdate:
		allowed = OrgFields
	default:
		return CodeBadEntry, ""
	}
	if (p.Target == TargetContact && p.Action != ActionAdd) != (p.TargetID != "") || len(p.TargetID) > 64 {
		return CodeBadEntry, "target_id"
	}
	if !utf8.ValidString(p.Note) || !utf8.ValidString(p.TargetID) {
		return CodeBadEntry, ""
	}
	if utf8.RuneCountInString(p.Note) > MaxNoteChars {
		return CodeFieldTooLong, "note"
	}
	if p.Action == ActionRemove {
		if len(p.Fields) > 0 {
			return CodeBadEntry, ""
		}
		return "", ""
	}
	if len(p.Fields) == 0 {
		return CodeNoChange, ""
	}
	for k, v := range p.Fields {
		max, ok := allowed[k]
		switch {
		case !ok:
			return CodeBadEntry, k
		case !utf8.ValidString(v):
			return CodeBadEntry, k
		case utf8.RuneCountInString(v) > max:
			return CodeFieldTooLong, k
		case strings.ContainsAny(v, "\r\n\t\x00"):
			return CodeBadEntry, k
		case k == "email" && v != "" && !validEmail(v):
			return CodeInvalidEmail, k
		case k == "phone" && v != "" && !validPhone(v):
			return CodeInvalidPhone, k
		}
	}
	if p.Action == ActionAdd && strings.TrimSpace(p.Fields["name"]) == "" {
		return CodeNameRequired, "name"
	}
	if p.Action == ActionUpdate && p.Target == TargetContact {
		if n, ok := p.Fields["name"]; ok && strings.TrimSpace(n) == "" {
			return CodeNameRequired, "name"
		}
	}
	return "", ""
}

// Normalise trims the proposal's values.
func Normalise(p ChangeProposal) ChangeProposal {
	out := p
	out.Note = strings.TrimSpace(p.Note)
	out.TargetID = strings.TrimSpace(p.TargetID)
	if p.Fields != nil {
		out.Fields = make(map[string]string, len(p.Fields))
		for k, v := range p.Fields {
			out.Fields[k] = strings.TrimSpace(v)
		}
	}
	return out
}

// validEmail accepts one plain address (local@domain.tld), without a display name.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// validPhone accepts digits with the usual separators and an optional leading +; at
// least six digits.
func validPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '/':
		default:
			return false
		}
	}
	return digits >= 6
}
