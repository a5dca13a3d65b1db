package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// ErrNotFound is returned, possibly wrapped, by every call that looks up a row that does
// not exist (or is not visible to the caller). Test with errors.Is.
var ErrNotFound = errors.New("not found")

// ErrTokenRevoked is returned by Users.SpendRefreshToken for a refresh token whose
// session was ended by a password change (TokenRecord.Revoked says why).
var ErrTokenRevoked = errors.New("refresh token revoked")

// ErrTokenReused is returned by Users.SpendRefreshToken for a refresh token that was
// spent before.
var ErrTokenReused = errors.New("refresh token reused")

// Store is everything the server needs of its database. SQLite is the embedded
// default; another database (PostgreSQL) provides the same calls with the same
// guarantees, checked by storetest.Run. Every call is safe for concurrent use.
type Store interface {
	Users
	Entities
	Uploads
	ConsoleSessions
	CrashReports
	Directory
	LoginFailures
	Trail
	CalendarFeeds
	Close() error
}

// Directory holds the operator directory: public facts shared by every organisation.
//
// Every change of an operator gives it the next directory seq, assigned in commit order
// as the change log's: a reader paging with DirectoryChanges(after = the last seq it
// saw) never skips a committed change and never sees one twice. Only an operator's
// latest state is kept.
type Directory interface {
	// PutOperators creates or replaces operators (by FLOID), all in one transaction;
	// each gets the next seq, in the order given (their Seq field is ignored).
	PutOperators(ctx context.Context, ops []api.Operator) error
	// Operator returns an operator by FLO ID, or ErrNotFound.
	Operator(ctx context.Context, floID string) (api.Operator, error)
	// DirectoryChanges returns at most limit operators with seq > after, by seq.
	DirectoryChanges(ctx context.Context, after int64, limit int) ([]api.Operator, error)
	// DirectorySeq returns the seq of the directory's latest change, 0 when empty.
	DirectorySeq(ctx context.Context) (int64, error)
	// SetOperatorStatus changes an operator's status, sets StatusChangedAt to at and
	// gives it the next seq; it returns the operator as stored, or ErrNotFound. Setting
	// the status it has already changes nothing (and keeps its seq).
	SetOperatorStatus(ctx context.Context, floID, status string, at time.Time) (api.Operator, error)
}

// Users holds users and their tokens.
type Users interface {
	// CreateUser records a user; its organisation must exist (Entities.CreateOrg). A
	// username taken already is an error, not an update.
	CreateUser(ctx context.Context, u UserRecord) error
	// User returns a user with its organisation's name, or ErrNotFound.
	User(ctx context.Context, username string) (UserRecord, error)

	PutToken(ctx context.Context, t TokenRecord) error
	// Token returns a token by its hash, spent refresh tokens included, or ErrNotFound.
	Token(ctx context.Context, hash string) (TokenRecord, error)
	// TokenUser returns a token by its hash with its user (and the user's
	// organisation's name), in one read: what every authenticated request checks.
	// ErrNotFound when no token has the hash or its user no longer exists.
	TokenUser(ctx context.Context, hash string) (TokenRecord, UserRecord, error)
	// SpendRefreshToken exchanges a refresh token, atomically: it marks the token spent
	// at at, and ends the access tokens of its family (they expire at at), so the
	// access token issued with it stops working at once. Of any number of concurrent
	// calls with one hash exactly one succeeds; every other gets ErrTokenReused. A hash
	// that is unknown or not a refresh token's is ErrNotFound and changes nothing; a
	// token spent before comes back with ErrTokenReused, unchanged (the caller revokes
	// its family); a revoked one (ChangePassword) with ErrTokenRevoked, unchanged.
	SpendRefreshToken(ctx context.Context, hash string, at time.Time) (TokenRecord, error)
	// RevokeFamily deletes every token of a family: a login's and its refreshes'.
	// Idempotent.
	RevokeFamily(ctx context.Context, family string) error
	// ChangePassword sets a user's password hash and, in the same transaction, ends
	// every other session of the user: its tokens outside keepFamily are kept but
	// marked Revoked = RevokedPasswordChanged (so a client can be told why), and its
	// console sessions other than keepConsole (a hash) are deleted. Empty keeps none.
	// An unknown user is ErrNotFound and changes nothing.
	ChangePassword(ctx context.Context, username, passwordHash, keepFamily, keepConsole string) error
	// OrgUsers returns the users of an organisation, by username.
	OrgUsers(ctx context.Context, orgID string) ([]UserRecord, error)
	// SetUserDisabled disables or enables a user. Disabling ends every session of the
	// user in the same transaction: its tokens are kept but marked Revoked =
	// RevokedAccountDisabled (enabling again does not revive them), its console sessions
	// and its calendar feed are deleted.
	// An unknown user is ErrNotFound and changes nothing.
	SetUserDisabled(ctx context.Context, username string, disabled bool) error
	// DeleteExpiredTokens drops tokens and console sessions that expired before t.
	DeleteExpiredTokens(ctx context.Context, t time.Time) error
}

// Entities holds each organisation's entities and its change log.
//
// The change log of an organisation is ordered by seq, which its writes assign in
// commit order: a reader paging with Changes(after = the last seq it saw) never skips
// a committed change and never sees one twice, however many writers commit meanwhile.
// Only the latest change of an entity is kept, so a reader that starts after a newer
// change of an entity sees that one only.
type Entities interface {
	// CreateOrg records an organisation so users and entities can refer to it.
	// Idempotent: an existing organisation gets the new name.
	CreateOrg(ctx context.Context, id, name string) error
	// Orgs lists the organisations by id.
	Orgs(ctx context.Context) ([]OrgRecord, error)

	// Write applies writes of one organisation's entities and their change-log rows in
	// one transaction: all of them or none. An unknown organisation is an error.
	Write(ctx context.Context, orgID string, ws []EntityWrite) error
	// Update runs fn in one write transaction of an organisation: what fn reads and
	// writes through tx commits together, or not at all when fn returns an error (which
	// Update returns). Updates and Writes of one organisation are serialised: fn sees
	// every write committed before it started, and no other write of the organisation
	// commits between fn's reads and its commit, so read-modify-write in fn loses no
	// update.
	Update(ctx context.Context, orgID string, fn func(tx Tx) error) error

	// Entity returns an entity, visible or not, or ErrNotFound.
	Entity(ctx context.Context, orgID, entity, id string) (EntityRecord, error)
	// Children returns the entities of a kind whose parent is parentID (messages and
	// evidence of an NC), visible or not, in insertion order.
	Children(ctx context.Context, orgID, entity, parentID string) ([]EntityRecord, error)
	// All returns every entity of a kind of an organisation, visible or not, by id.
	All(ctx context.Context, orgID, entity string) ([]EntityRecord, error)
	// Changes returns at most limit changes of the organisation with seq > after, by
	// seq (see the ordering guarantee above).
	Changes(ctx context.Context, orgID string, after int64, limit int) ([]api.Change, error)
	// FileRef returns how a visible entity of the organisation refers to a file or,
	// failing that, the blob as the organisation uploaded it (Uploads.OrgBlob), or
	// ErrNotFound.
	FileRef(ctx context.Context, orgID, sha256 string) (api.FileRef, error)
	// Events returns the audit trail of an NC (of the organisation when ncID is
	// empty), oldest first.
	Events(ctx context.Context, orgID, ncID string) ([]Event, error)
}

// Uploads holds unfinished uploads (tus) and the blobs each organisation uploaded.
type Uploads interface {
	// CreateUpload records a new upload; its id must be new.
	CreateUpload(ctx context.Context, u UploadRecord) error
	// Upload returns an unfinished upload, or ErrNotFound.
	Upload(ctx context.Context, id string) (UploadRecord, error)
	// TouchUpload sets an upload's TouchedAt. An unknown id is not an error.
	TouchUpload(ctx context.Context, id string, t time.Time) error
	// DeleteUpload forgets an upload. Idempotent.
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
}

// ConsoleSessions holds the analyst console's logins.
type ConsoleSessions interface {
	PutConsoleSession(ctx context.Context, cs ConsoleSession) error
	// ConsoleSession returns a session by the hash of its cookie, or ErrNotFound.
	ConsoleSession(ctx context.Context, hash string) (ConsoleSession, error)
	// DeleteConsoleSession forgets a session. Idempotent.
	DeleteConsoleSession(ctx context.Context, hash string) error
}

// Tx is a write transaction of one organisation (Entities.Update). Its calls use the
// context given to Update and see the transaction's own writes.
type Tx interface {
	// Entity returns an entity, visible or not, or ErrNotFound.
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
	// FileRef is Entities.FileRef inside the transaction: how a visible entity of the
	// organisation refers to a file, else its upload, else ErrNotFound — whatever other
	// organisations have.
	FileRef(sha256 string) (api.FileRef, error)
	// AddOrgBlob records that the organisation uploaded a blob (whose bytes are
	// stored); it reports false when it had already. Write once: the first name stays.
	AddOrgBlob(ref api.FileRef, at time.Time) (bool, error)
	// UsedBytes sums the sizes of the blobs the organisation uploaded.
	UsedBytes() (int64, error)
}
