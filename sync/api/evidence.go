package api

// Evidence files (steps 5–6 of the workflow). A file travels in two parts: its bytes, by
// content hash, through resumable uploads (the tus protocol, under /uploads/), and its
// attachment to an NC, as a push entry that may only go once the server has the bytes.

// Push entry kinds for evidence. EvidenceID is chosen by the client (unique, e.g.
// "PM-<client id>-<seq>"), so that a replayed entry never attaches a file twice.
const (
	// KindEvidenceAdd attaches the file File (already uploaded: else rejected
	// blob_missing — upload it and push again) to an NC whose evidence was requested or
	// returned, with Subject.
	KindEvidenceAdd = "evidence.add"
	// KindEvidenceRemove removes an evidence file not yet submitted.
	KindEvidenceRemove = "evidence.remove"
	// KindEvidenceSubject changes the subject of an evidence file not yet submitted.
	KindEvidenceSubject = "evidence.subject"
	// KindEvidenceSubmit sends the NC's evidence files to FLOCERT (Send / Envoyer).
	// BaseRevision is the NC.Revision the client saw, as for KindCASubmit; an NC with no
	// evidence file is rejected (no_evidence).
	KindEvidenceSubmit = "evidence.submit"
	// KindEvidenceLink attaches a file the organisation already has on the server (its
	// sent evidence, its documents, its certificates) to an NC whose evidence was
	// requested or returned, with no upload: File carries the SHA-256 (its name is
	// optional: the organisation's name of the file is used when empty), Text the
	// subject, EvidenceID the new attachment's id as for KindEvidenceAdd. A hash the
	// organisation does not have is rejected file_unknown, whether or not another
	// organisation has it: the answer never tells.
	KindEvidenceLink = "evidence.link"
)

// EvidenceType is the portal's only evidence file type ("Preuves Matérielles").
const EvidenceType = "evidence"

// EntityLimits is the change-log entity of the upload limits; its one id is "upload".
const EntityLimits = "limits"

// Limits are the server's rules for evidence files, pulled like any entity so that a
// client knows them offline and refuses a file at once rather than after an upload.
type Limits struct {
	ID           string   `json:"id"` // "upload"
	MaxFileBytes int64    `json:"max_file_bytes"`
	Types        []string `json:"types"`       // accepted file name extensions, lower case, with the dot: ".pdf"
	QuotaBytes   int64    `json:"quota_bytes"` // per organisation, 0 = none
	UsedBytes    int64    `json:"used_bytes"`  // of the quota, when it was pulled
	// UploadExpiry is how long an unfinished upload is kept, in seconds.
	UploadExpiry int64 `json:"upload_expiry"`
}

// BlobsRequest asks which of the hashes the caller's organisation has not uploaded:
// POST /blobs/missing. At most MaxBlobQuery hashes.
type BlobsRequest struct {
	SHA256 []string `json:"sha256"`
}

// BlobsResponse lists the hashes to upload. Presence is per organisation: a file another
// organisation uploaded still has to be uploaded (the server stores the bytes once).
type BlobsResponse struct {
	Missing []string `json:"missing"`
}

// MaxBlobQuery limits a BlobsRequest.
const MaxBlobQuery = 1000

// Upload metadata keys (tus Upload-Metadata) of POST /uploads/: the file's SHA-256 in
// lower-case hex, its name, and its media type. The server checks the whole file against
// the hash before accepting it; on a mismatch the upload is refused and discarded.
const (
	UploadMetaSHA256    = "sha256"
	UploadMetaName      = "filename"
	UploadMetaMediaType = "filetype"
)

// UploadsPath is where the tus endpoint is mounted, under Version.
const UploadsPath = "/uploads/"
