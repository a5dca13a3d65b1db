package store

import (
	"encoding/json"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// UploadRecord is an unfinished upload (tus) as the server tracks it, next to the
// bytes the upload store keeps.
type UploadRecord struct {
	ID        string
	OrgID     string
	Username  string
	SHA256    string // what the whole file must hash to
	Name      string // sanitised
	MediaType string
	Size      int64
	CreatedAt time.Time
	TouchedAt time.Time // last creation or PATCH, server clock
}

// OrgRecord is an organisation as listed by Store.Orgs.
type OrgRecord struct {
	ID   string
	Name string
}

// Event is one line of the audit trail: who did what to which NC, when.
type Event struct {
	ID       int64
	OrgID    string
	NCID     string
	At       time.Time
	Username string
	Name     string
	Role     api.Role
	Action   string // e.g. "push ca.submit applied", "accept CA"
	Detail   string // the text sent or the comment; never a draft's text
}

// ConsoleSession is a logged-in console user; only the SHA-256 of the cookie is kept.
type ConsoleSession struct {
	Hash      string
	Username  string
	CSRF      string // the token every POST form of this session must carry
	ExpiresAt time.Time
}

// implement it too.
// UserRecord is a user as stored, with its password hash.
type UserRecord struct {
	Username     string
	Name         string
	Role         api.Role
	OrgID        string      // empty for analysts and auditors
	OrgName      string      // filled by Store.User
	PasswordHash string      // argon2id, encoded with its parameters
	OrgRole      api.OrgRole // clients only: manager or staff
	Disabled     bool        // a disabled account cannot log in, its tokens do not work
}

// TokenRecord is an access or refresh token as stored: only its SHA-256 is kept, so a
// leaked database does not leak usable tokens.
type TokenRecord struct {
	Hash      string
	Kind      string // TokenAccess or TokenRefresh
	Username  string
	ExpiresAt time.Time
	// Family is shared by the tokens of one login: its first pair and every pair
	// issued by a refresh since. Logging out, or replaying a spent refresh token,
	// revokes the family.
	Family string
	// Spent is when a refresh token was exchanged (zero while it is usable). A spent
	// token is kept until it expires, so that a second use is recognised.
	Spent time.Time
	// Revoked says why the token no longer works although it is kept until it
	// expires (RevokedPasswordChanged); empty while it works.
	Revoked string
}

// RevokedPasswordChanged is TokenRecord.Revoked of the sessions a password change ended.
const RevokedPasswordChanged = "password_changed"

// RevokedAccountDisabled is TokenRecord.Revoked of the sessions of a disabled account.
const RevokedAccountDisabled = "account_disabled"

// Kinds of tokens (TokenRecord.Kind).
const (
	TokenAccess  = "access"
	TokenRefresh = "refresh"
)

// EntityWrite is one upsert or delete of an entity.
type EntityWrite struct {
	Entity string // one of api.Entities
	ID     string
	Parent string // the owning NC of a message or evidence; the audit of an NC
	Delete bool
	// Encode returns the entity's JSON given its new revision (the previous one plus
	// one, counted by the store), so a revision travels inside the payload atomically.
	Encode func(revision int64) (json.RawMessage, error)
	// Visible says whether clients may see the entity. An invisible entity (an NC the
	// analyst has not confirmed yet) is stored but kept out of the change log.
	Visible bool
	// Files are the files the entity refers to; the caller stored their bytes first.
	Files []api.FileRef
}

// EntityRecord is an entity as stored.
type EntityRecord struct {
	Data     json.RawMessage
	Visible  bool
	Revision int64
}
