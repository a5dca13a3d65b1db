package api

// The one vocabulary of error codes. Every code either side uses — in an API error body,
// in a push result, made by the client or the app, shown by the console or the UI — is a
// constant here and a row of Codes. The UI shows errors.<code> in the user's language; a
// test fails when a code is used but not registered here, or registered but not
// translated.

// Origin says where a code is born, which tells a reader where to look for it.
type Origin string

const (
	// FromAPI codes are the Code of an Error body: the server answers with them and Status.
	FromAPI Origin = "api"
	// FromPush codes are the Code of a rejected or conflicting PushResult.
	FromPush Origin = "push"
	// FromClient codes are made by the desktop's HTTP client (no answer, a bad answer…).
	FromClient Origin = "client"
	// FromApp codes are made by the desktop app itself (local checks, the local disk…).
	FromApp Origin = "app"
	// FromConsole codes are refusals of the analyst console's workflow actions.
	FromConsole Origin = "console"
	// FromUI codes are made by the frontend only (a call that timed out, no backend…).
	FromUI Origin = "ui"
)

// CodeInfo describes one code.
type CodeInfo struct {
	Code   string
	Origin Origin
	// Status is the HTTP status the server answers with this code (FromAPI), else 0.
	Status int
	// Retryable: trying the same thing again later may succeed with nothing done by the
	// user (the engine backs off and retries; the UI says "will retry").
	Retryable bool
	// Translated: the desktop UI shows it, so every locale has errors.<code>.
	Translated bool
}

// Answers of the API (Error.Code).
const (
	CodeBadRequest     = "bad_request"
	CodeBadCredentials = "bad_credentials"
	CodeUnauthorized   = "unauthorized"  // no token, unknown or revoked token
	CodeTokenExpired   = "token_expired" // the access token expired: refresh it
	CodeForbidden      = "forbidden"     // the role may not use this route
	CodeNotFound       = "not_found"     // also for another organisation's data
	CodeRateLimited    = "rate_limited"
	CodeInternal       = "internal"
	CodeOverloaded     = "overloaded" // the server sheds load: retry after Retry-After
	// CodeHashMismatch: the completed upload's bytes do not hash to its sha256 metadata.
	// The server discarded the upload: start again with a new one. Its status is 460, as
	// tus' checksum extension uses for the same case.
	CodeHashMismatch = "hash_mismatch"
	// CodeTooLarge, CodeTypeRefused and CodeQuotaExceeded refuse an upload's creation
	// (and, offline, the app's own check of the same limits).
	CodeTooLarge         = "too_large"    // over Limits.MaxFileBytes
	CodeTypeRefused      = "type_refused" // not one of Limits.Types
	CodeQuotaExceeded    = "quota_exceeded"
	CodeUnsupportedMedia = "unsupported_media_type" // a request body of the wrong content type
	// CodeOffsetConflict: the server's offset is not the one a chunk was sent for: ask
	// for the offset and go on from there.
	CodeOffsetConflict = "offset_conflict"
	// CodeUploadInterrupted and CodeUploadLocked: another request for the same upload
	// (often one from before a cut connection, arriving late) interrupted this one or
	// still holds it. Nothing is wrong with the file: ask the offset, go on.
	CodeUploadInterrupted = "upload_interrupted"
	CodeUploadLocked      = "upload_locked"
	// CodePasswordChanged: the session was ended because the user changed the password
	// on another computer (or in the console): log in again with the new one.
	CodePasswordChanged = "password_changed"
	// Refusals of POST /auth/password: the current password is wrong, or the new one
	// breaks a rule of the server (long enough, not the user name, not a common one).
	CodeWrongPassword      = "wrong_password"
	CodePasswordTooShort   = "password_too_short"
	CodePasswordIsUsername = "password_is_username"
	CodePasswordCommon     = "password_common"
	// CodePartnerUnknown: no operator of the directory has this FLO ID.
	CodePartnerUnknown = "partner_unknown"
	// CodeForbiddenRole: the user's role in the organisation may not do this (a staff
	// account sending to FLOCERT or managing accounts). Also a push entry's refusal.
	CodeForbiddenRole = "forbidden_role"
	// CodeAccountDisabled: the organisation's manager disabled this account; its
	// sessions ended at once.
	CodeAccountDisabled = "account_disabled"
	// CodeUsernameTaken: a new account's username is already someone's.
	CodeUsernameTaken = "username_taken"
)

// StatusHashMismatch is the HTTP status of CodeHashMismatch.
const StatusHashMismatch = 460

// Reasons of rejected and conflicting push entries (PushResult.Code).
const (
	CodeNCNotFound          = "nc_not_found"    // no such NC visible to the organisation
	CodeNCClosed            = "nc_closed"       // the NC was closed
	CodeNotAwaitingCA       = "not_awaiting_ca" // the NC's stage does not take a CA now
	CodeEmptyText           = "empty_text"
	CodeTextTooLong         = "text_too_long"
	CodeBadEntry            = "bad_entry"     // unknown kind, bad sequence, invalid UTF-8 …
	CodeDraftChanged        = "draft_changed" // conflict: another computer saved the draft
	CodeNCChanged           = "nc_changed"    // conflict: the analyst changed the NC
	CodeBlobMissing         = "blob_missing"  // upload the bytes first, then push again
	CodeNotAwaitingEvidence = "not_awaiting_evidence"
	CodeNoEvidence          = "no_evidence" // submit with no file attached
	CodeEvidenceNotFound    = "evidence_not_found"
	CodeEvidenceSubmitted   = "evidence_submitted" // already sent: it can no longer change
	// CodeFileUnknown: evidence.link names a file the organisation does not have.
	CodeFileUnknown = "file_unknown"
	// CodeTrailBroken refuses a push's trail (TrailAck.Code): an entry's hash is not
	// that of its content, or it does not link to the replica's previous entry.
	CodeTrailBroken = "trail_broken"
	// Refusals of a change request (change.request); the app checks the same offline.
	CodeInvalidEmail       = "invalid_email"        // not one plain address name@domain.tld
	CodeInvalidPhone       = "invalid_phone"        // not a phone number (digits, +, spaces …)
	CodeFieldTooLong       = "field_too_long"       // a value longer than its field takes
	CodeNameRequired       = "name_required"        // a contact without a name
	CodeNoChange           = "no_change"            // the request changes nothing
	CodeContactNotFound    = "contact_not_found"    // no such contact of the organisation
	CodeContactNotEditable = "contact_not_editable" // FLOCERT's staff are not the organisation's to change
	CodeAssigneeUnknown    = "assignee_unknown"     // not an active account of the organisation
)

// Codes of the desktop's HTTP client.
const (
	CodeUnreachable    = "unreachable"     // no connection, DNS failure, timeout, refused
	CodeSessionExpired = "session_expired" // the login is no longer valid: log in again
	CodeBadResponse    = "bad_response"    // the server answered something that is not the Ecert API
	CodeServerError    = "server_error"    // the server failed (5xx)
	CodeInvalidServer  = "invalid_server"  // the server address is not a valid http(s) URL
	// CodeUploadGone: the upload no longer exists on the server (expired, or refused
	// after a hash mismatch): start a new one from the beginning.
	CodeUploadGone = "upload_gone"
	// CodeProxyAuth: the proxy between the app and the server refused its credentials
	// (HTTP 407): the user fixes the proxy's user or password in the settings.
	CodeProxyAuth = "proxy_auth"
	// CodeProxyUnreachable: the proxy itself cannot be reached (wrong address, down).
	CodeProxyUnreachable = "proxy_unreachable"
)

// CodeInvalidProxy: a proxy address in the settings that is not
// http(s)/socks5://host:port (made by the desktop app).
const CodeInvalidProxy = "invalid_proxy"

// Codes of the desktop app.
const (
	CodeInvalidInput   = "invalid_input"
	CodeNotInChain     = "not_in_chain" // removing a partner the chain does not hold
	CodeNotCached      = "not_cached"   // the file has not been downloaded yet
	CodeNotLoggedIn    = "not_logged_in"
	CodeReplicaDamaged = "replica_damaged"
	CodeCancelled      = "cancelled"
	CodeInUse          = "in_use"        // another Ecert Desktop uses the data directory
	CodeNoViewer       = "no_viewer"     // no program on this computer opens the file's type
	CodeNotAClient     = "not_a_client"  // analysts and auditors use the web console, not this app
	CodeDiskFull       = "disk_full"     // the data folder's disk is full: nothing was written
	CodeNotEditable    = "not_editable"  // the NC does not take a corrective measure now
	CodeQueued         = "queued"        // the CA is queued to be sent: unmark it first
	CodeUnreadable     = "unreadable"    // the file could not be read here
	CodeEvidenceSent   = "evidence_sent" // the evidence waits in the outbox: it can no longer change
	CodeNotWritable    = "not_writable"  // an export could not be written where the user chose
	// Updates of the app (app/update): each refusal changes nothing on disk.
	CodeUpdateSignature   = "update_signature"    // the manifest is not signed by the publisher's key
	CodeUpdateHash        = "update_hash"         // the downloaded file is not the published one
	CodeUpdateDowngrade   = "update_downgrade"    // the published version is older than this one
	CodeUpdatePlatform    = "update_platform"     // the release has no file for this platform
	CodeUpdateCurrent     = "update_current"      // nothing newer is published: nothing to do
	CodeUpdateFailedStart = "update_failed_start" // the new version did not start twice: rolled back
	CodeUpdateManual      = "update_manual"       // installed by a package manager: update it there
	CodeUpdateFailed      = "update_failed"       // the local disk refused a step (space, rights)
	// CodeNeedsConnection: this action is done with the server at once, never queued
	// (a password change): try again when online.
	CodeNeedsConnection = "needs_connection"
)

// Refusals of the console's workflow actions.
const (
	CodeWrongStage      = "wrong_stage" // the NC's stage does not allow this action
	CodeCommentRequired = "comment_required"
	CodeInvalid         = "invalid" // invalid input in a console form
	CodeRole            = "role"    // this user's role may not do this
)

// Codes made by the frontend alone.
const (
	CodeOffline = "offline" // shown while no server answers
	CodeTimeout = "timeout" // a backend call took too long
	CodeUnknown = "unknown" // an error without a code: never shown as raw text
)

// Codes is the registry: one row per code above.
var Codes = []CodeInfo{
	{Code: CodeBadRequest, Origin: FromAPI, Status: 400, Translated: true},
	{Code: CodeBadCredentials, Origin: FromAPI, Status: 401, Translated: true},
	{Code: CodeUnauthorized, Origin: FromAPI, Status: 401, Translated: true},
	{Code: CodeTokenExpired, Origin: FromAPI, Status: 401, Translated: true},
	{Code: CodeForbidden, Origin: FromAPI, Status: 403, Translated: true},
	{Code: CodeNotFound, Origin: FromAPI, Status: 404, Translated: true},
	{Code: CodeRateLimited, Origin: FromAPI, Status: 429, Retryable: true, Translated: true},
	{Code: CodeInternal, Origin: FromAPI, Status: 500, Translated: true},
	{Code: CodeOverloaded, Origin: FromAPI, Status: 503, Retryable: true, Translated: true},
	{Code: CodeHashMismatch, Origin: FromAPI, Status: StatusHashMismatch, Translated: true},
	{Code: CodeTooLarge, Origin: FromAPI, Status: 413, Translated: true},
	{Code: CodeTypeRefused, Origin: FromAPI, Status: 415, Translated: true},
	{Code: CodeQuotaExceeded, Origin: FromAPI, Status: 413, Translated: true},
	{Code: CodeUnsupportedMedia, Origin: FromAPI, Status: 415},
	{Code: CodeOffsetConflict, Origin: FromAPI, Status: 409, Translated: true},
	{Code: CodeUploadInterrupted, Origin: FromAPI, Status: 400, Retryable: true, Translated: true},
	{Code: CodeUploadLocked, Origin: FromAPI, Status: 423, Retryable: true, Translated: true},
	{Code: CodePasswordChanged, Origin: FromAPI, Status: 401, Translated: true},
	{Code: CodeWrongPassword, Origin: FromAPI, Status: 400, Translated: true},
	{Code: CodePasswordTooShort, Origin: FromAPI, Status: 400, Translated: true},
	{Code: CodePasswordIsUsername, Origin: FromAPI, Status: 400, Translated: true},
	{Code: CodePasswordCommon, Origin: FromAPI, Status: 400, Translated: true},
	{Code: CodePartnerUnknown, Origin: FromAPI, Status: 404, Translated: true},
	{Code: CodeForbiddenRole, Origin: FromAPI, Status: 403, Translated: true},
	{Code: CodeAccountDisabled, Origin: FromAPI, Status: 401, Translated: true},
	{Code: CodeUsernameTaken, Origin: FromAPI, Status: 409, Translated: true},

	{Code: CodeNCNotFound, Origin: FromPush, Translated: true},
	{Code: CodeAssigneeUnknown, Origin: FromPush, Translated: true},
	{Code: CodeNCClosed, Origin: FromPush, Translated: true},
	{Code: CodeNotAwaitingCA, Origin: FromPush, Translated: true},
	{Code: CodeEmptyText, Origin: FromPush, Translated: true},
	{Code: CodeTextTooLong, Origin: FromPush, Translated: true},
	{Code: CodeBadEntry, Origin: FromPush, Translated: true},
	{Code: CodeDraftChanged, Origin: FromPush, Translated: true},
	{Code: CodeTrailBroken, Origin: FromPush, Translated: true},
	{Code: CodeNCChanged, Origin: FromPush, Translated: true},
	{Code: CodeBlobMissing, Origin: FromPush, Retryable: true, Translated: true},
	{Code: CodeNotAwaitingEvidence, Origin: FromPush, Translated: true},
	{Code: CodeNoEvidence, Origin: FromPush, Translated: true},
	{Code: CodeEvidenceNotFound, Origin: FromPush, Translated: true},
	{Code: CodeEvidenceSubmitted, Origin: FromPush, Translated: true},
	{Code: CodeFileUnknown, Origin: FromPush, Translated: true},
	{Code: CodeInvalidEmail, Origin: FromPush, Translated: true},
	{Code: CodeInvalidPhone, Origin: FromPush, Translated: true},
	{Code: CodeFieldTooLong, Origin: FromPush, Translated: true},
	{Code: CodeNameRequired, Origin: FromPush, Translated: true},
	{Code: CodeNoChange, Origin: FromPush, Translated: true},
	{Code: CodeContactNotFound, Origin: FromPush, Translated: true},
	{Code: CodeContactNotEditable, Origin: FromPush, Translated: true},

	{Code: CodeUnreachable, Origin: FromClient, Retryable: true, Translated: true},
	{Code: CodeSessionExpired, Origin: FromClient, Translated: true},
	{Code: CodeBadResponse, Origin: FromClient, Retryable: true, Translated: true},
	{Code: CodeServerError, Origin: FromClient, Retryable: true, Translated: true},
	{Code: CodeInvalidServer, Origin: FromClient, Translated: true},
	// Not retryable as such: the engine answers both at once (a new upload, the server's
	// offset); an upload still gone after that is refused, not retried later.
	{Code: CodeUploadGone, Origin: FromClient, Translated: true},
	// Retryable: the engine keeps trying (an administrator may fix the proxy, and a
	// file being uploaded must not be taken as refused for good) while the user is told.
	{Code: CodeProxyAuth, Origin: FromClient, Retryable: true, Translated: true},
	{Code: CodeProxyUnreachable, Origin: FromClient, Retryable: true, Translated: true},

	{Code: CodeInvalidInput, Origin: FromApp, Translated: true},
	{Code: CodeNotInChain, Origin: FromApp, Translated: true},
	{Code: CodeInvalidProxy, Origin: FromApp, Translated: true},
	{Code: CodeNotCached, Origin: FromApp, Translated: true},
	{Code: CodeNotLoggedIn, Origin: FromApp, Translated: true},
	{Code: CodeReplicaDamaged, Origin: FromApp, Translated: true},
	{Code: CodeCancelled, Origin: FromApp, Translated: true},
	{Code: CodeInUse, Origin: FromApp, Translated: true},
	{Code: CodeNoViewer, Origin: FromApp, Translated: true},
	{Code: CodeNotAClient, Origin: FromApp, Translated: true},
	{Code: CodeDiskFull, Origin: FromApp, Translated: true},
	{Code: CodeNotEditable, Origin: FromApp, Translated: true},
	{Code: CodeQueued, Origin: FromApp, Translated: true},
	{Code: CodeUnreadable, Origin: FromApp, Translated: true},
	{Code: CodeEvidenceSent, Origin: FromApp, Translated: true},
	{Code: CodeNotWritable, Origin: FromApp, Translated: true},
	{Code: CodeUpdateSignature, Origin: FromApp, Translated: true},
	{Code: CodeUpdateHash, Origin: FromApp, Retryable: true, Translated: true},
	{Code: CodeUpdateDowngrade, Origin: FromApp, Translated: true},
	{Code: CodeUpdatePlatform, Origin: FromApp, Translated: true},
	{Code: CodeUpdateCurrent, Origin: FromApp, Translated: true},
	{Code: CodeUpdateFailedStart, Origin: FromApp, Translated: true},
	{Code: CodeUpdateManual, Origin: FromApp, Translated: true},
	{Code: CodeUpdateFailed, Origin: FromApp, Translated: true},
	{Code: CodeNeedsConnection, Origin: FromApp, Translated: true},

	{Code: CodeWrongStage, Origin: FromConsole},
	{Code: CodeCommentRequired, Origin: FromConsole},
	{Code: CodeInvalid, Origin: FromConsole},
	{Code: CodeRole, Origin: FromConsole},

	{Code: CodeOffline, Origin: FromUI, Translated: true},
	{Code: CodeTimeout, Origin: FromUI, Translated: true},
	{Code: CodeUnknown, Origin: FromUI, Translated: true},
}

var codeIndex = func() map[string]CodeInfo {
	m := make(map[string]CodeInfo, len(Codes))
	for _, c := range Codes {
		m[c.Code] = c
	}
	return m
}()

// LookupCode returns the registry's row of code.
func LookupCode(code string) (CodeInfo, bool) {
	c, ok := codeIndex[code]
	return c, ok
}

// Retryable reports whether an error with this code may go away by itself (see
// CodeInfo.Retryable). Unknown codes are not.
func Retryable(code string) bool { return codeIndex[code].Retryable }

// StatusOf returns the HTTP status of an API code, or 500 for a code that has none, so
// that a misuse shows as a server error rather than as a success.
func StatusOf(code string) int {
	if s := codeIndex[code].Status; s != 0 {
		return s
	}
	return 500
}
