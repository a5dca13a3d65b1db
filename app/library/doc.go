// Package library is the organisation's files library ("Fichiers"): every file it has —
// evidence sent or attached, documents, certificates — searchable, with where each is
// used, and the link of one to another NC's evidence with no upload (evidence.link).
package library
