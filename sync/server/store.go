package server

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Store is what the server needs of its database. It is narrow on purpose: SQLite is
// the embedded default, and a PostgreSQL implementation only has to provide these calls.
// Every method returns ErrNotFound when the row it looks up does not exist.
type Store interface {
	// CreateOrg records an organisation so users and entities can refer to it.
	// Idempotent: an existing organisation gets the new name.
	CreateOrg(ctx context.Context, id, name string) error
	CreateUser(ctx context.Context, u UserRecord) error
	User(ctx context.Context, username string) (UserRecord, error)

	PutToken(ctx context.Context, t TokenRecord) error
	// Token returns a token by its hash, spent refresh tokens included.
	Token(ctx context.Context, hash string) (TokenRecord, error)
	// SpendRefreshToken exchanges a refresh token, in one transaction: it marks the
	// token spent at at, and ends the access tokens of its family (they expire at at),
	// so the access token issued with it stops working at once. Of two concurrent calls
	// only one spends the token. A hash that is unknown or not a refresh token's is
	// ErrNotFound and changes nothing; a token spent before comes back with
	// ErrTokenReused, unchanged (the caller revokes its family).
	SpendRefreshToken(ctx context.Context, hash string, at time.Time) (TokenRecord, error)
	// RevokeFamily deletes every token of a family: a login's and its refreshes'.
	// Idempotent.
	RevokeFamily(ctx context.Context, family string) error
	// DeleteExpiredTokens drops tokens and console sessions that expired before t.
	DeleteExpiredTokens(ctx context.Context, t time.Time) error

	// Write applies writes of one organisation's entities and their change-log rows in
	// one transaction: all of them or none.
	Write(ctx context.Context, orgID string, ws []EntityWrite) error
	Entity(ctx context.Context, orgID, entity, id string) (EntityRecord, error)
	// Children returns the entities of a kind whose parent is parentID (messages and
	// evidence of an NC), in insertion order.
	Children(ctx context.Context, orgID, entity, parentID string) ([]EntityRecord, error)
	// Changes returns at most limit changes of the organisation with seq > after, by seq.
	Changes(ctx context.Context, orgID string, after int64, limit int) ([]api.Change, error)
	// FileRef returns how a visible entity of the organisation refers to a file or,
	// failing that, the blob as the organisation uploaded it (OrgBlob).
	FileRef(ctx context.Context, orgID, sha256 string) (api.FileRef, error)

	// Update runs fn in one write transaction of an organisation: what fn reads and
	// writes through tx commits together, or not at all when fn returns an error.
	Update(ctx context.Context, orgID string, fn func(tx Tx) error) error
	// Orgs lists the organisations by id.
	Orgs(ctx context.Context) ([]OrgRecord, error)
	// All returns every entity of a kind of an organisation, visible or not, by id.
	All(ctx context.Context, orgID, entity string) ([]EntityRecord, error)
	// Events returns the audit trail of an NC (of the organisation when ncID is
	// empty), oldest first.
	Events(ctx context.Context, orgID, ncID string) ([]Event, error)

	// Uploads (tus): an unfinished upload and who owns it. DeleteUpload is idempotent.
	CreateUpload(ctx context.Context, u UploadRecord) error
	Upload(ctx context.Context, id string) (UploadRecord, error)
	TouchUpload(ctx context.Context, id string, t time.Time) error
	DeleteUpload(ctx context.Context, id string) error
	// StaleUploads returns the uploads last touched before t.
	StaleUploads(ctx context.Context, before time.Time) ([]UploadRecord, error)
	// PendingUploadBytes sums the sizes of an organisation's unfinished uploads,
	// except those of the hash exceptSHA256 (a retry of the same file).
	PendingUploadBytes(ctx context.Context, orgID, exceptSHA256 string) (int64, error)
	// OrgBlob returns the blob an organisation uploaded, or ErrNotFound: presence is
	// per organisation, whatever the blob store holds.
	OrgBlob(ctx context.Context, orgID, sha256 string) (api.FileRef, error)
	// MissingBlobs returns the hashes of sums the organisation has not uploaded, in order.
	MissingBlobs(ctx context.Context, orgID string, sums []string) ([]string, error)
	// UsedBytes sums the sizes of the blobs an organisation uploaded.
	UsedBytes(ctx context.Context, orgID string) (int64, error)

	PutConsoleSession(ctx context.Context, cs ConsoleSession) error
	ConsoleSession(ctx context.Context, hash string) (ConsoleSession, error)
	DeleteConsoleSession(ctx context.Context, hash string) error

	Close() error
}

// Tx is a write transaction of one organisation (Store.Update). Its calls use the
// context given to Update.
type Tx interface {
	Entity(entity, id string) (EntityRecord, error)
	Write(ws ...EntityWrite) error
	// LastPushSeq returns the last sequence number recorded for a client, 0 if none.
	LastPushSeq(clientID string) (int64, error)
	// PushResult returns the stored result of a client's entry, or ErrNotFound.
	PushResult(clientID string, seq int64) (json.RawMessage, error)
	// RecordPush stores the result of an entry and makes seq the client's last one.
	RecordPush(clientID string, seq int64, result json.RawMessage) error
	AddEvent(ev Event) error
	// Children returns the entities of a kind whose parent is parentID, in insertion order.
	Children(entity, parentID string) ([]EntityRecord, error)
	// OrgBlob returns the blob the organisation uploaded, or ErrNotFound.
	OrgBlob(sha256 string) (api.FileRef, error)
	// AddOrgBlob records that the organisation uploaded a blob (whose bytes are
	// stored); it reports false when it had already. Write once: the first name stays.
	AddOrgBlob(ref api.FileRef, at time.Time) (bool, error)
	// UsedBytes sums the sizes of the blobs the organisation uploaded.
	UsedBytes() (int64, error)
}

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

// Blobs holds file bytes by their SHA-256 (lowercase hex). An S3-compatible store can
// implement it too.
type Blobs interface {
	// Put stores the bytes of r and returns their hash and size. Idempotent.
	Put(ctx context.Context, r io.Reader) (sha256 string, size int64, err error)
	// Open returns the bytes of a stored hash, or ErrNotFound.
	Open(ctx context.Context, sha256 string) (io.ReadSeekCloser, error)
}

// UserRecord is a user as stored, with its password hash.
type UserRecord struct {
	Username     string
	Name         string
	Role         api.Role
	OrgID        string // empty for analysts and auditors
	OrgName      string // filled by Store.User
	PasswordHash string // argon2id, encoded with its parameters
}

// TokenRecord is an access or refresh token as stored: only its SHA-256 is kept, so a
// leaked database does not leak usable tokens.
type TokenRecord struct {
	Hash      string
	Kind      string // tokenAccess or tokenRefresh
	Username  string
	ExpiresAt time.Time
	// Family is shared by the tokens of one login: its first pair and every pair
	// issued by a refresh since. Logging out, or replaying a spent refresh token,
	// revokes the family.
	Family string
	// Spent is when a refresh token was exchanged (zero while it is usable). A spent
	// token is kept until it expires, so that a second use is recognised.
	Spent time.Time
}

const (
	tokenAccess  = "access"
	tokenRefresh = "refresh"
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
