// Package files is the content-addressed store of the data folder's files: the bytes
// downloaded from the server (certificates, documents, evidence) and the files attached
// here. It is the one writer of the folder, for both, with one rule: a temporary file,
// fsync, rename, fsync of the folder.
//
// It is its own package, below app/store and app/evidence, because both write the
// folder: the replica records downloads (and must not import the evidence package's
// image codecs and file watcher), the evidence package imports and transforms files.
package files
