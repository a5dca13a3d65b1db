package api

// Errors of the upload routes (tus, /uploads/). They come as an Error body like every
// other error; a refused creation carries one of the evidence reasons (ReasonTooLarge,
// ReasonTypeRefused, ReasonQuotaExceeded) as its Code.
const (
	// CodeHashMismatch: the completed upload's bytes do not hash to its sha256
	// metadata. The server discarded the upload: start again with a new one.
	CodeHashMismatch = "hash_mismatch"
	// StatusHashMismatch is the HTTP status of CodeHashMismatch (tus' checksum
	// extension uses 460 for the same case).
	StatusHashMismatch = 460
)
