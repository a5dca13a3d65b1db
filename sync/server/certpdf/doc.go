// Package certpdf renders the PDFs the server issues (certificates, the demo contract):
// one A4 page of text in the standard fonts.
package certpdf
