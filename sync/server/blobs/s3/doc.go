// Package s3 keeps the server's files on an S3-compatible object store: finished files
// as blobs named by their SHA-256 (Store), and tus uploads in progress as multipart
// uploads (Uploads), so that any node can resume an upload another node began.
package s3
