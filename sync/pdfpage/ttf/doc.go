// Package ttf reads what a PDF needs of a TrueType font (glyphs by character, advance
// widths, metrics) and writes a subset of it holding only the glyphs a page uses.
package ttf
