// Package pdfpage writes one A4 page of text as a PDF, in the standard fonts or, for
// other scripts, in embedded TrueType subsets: the
// server's certificates and the app's proofs of a partner's status.
package pdfpage
