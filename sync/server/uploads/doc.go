// Package uploads is the server's side of resumable evidence uploads: tusd v2's
// protocol handler, wrapped so that only the organisation that created an upload sees
// it, and so that a finished upload becomes that organisation's blob only once its
// whole-file SHA-256 was checked; and the janitor that expires abandoned uploads.
package uploads
