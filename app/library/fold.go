package library

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold makes text comparable as a user searches it: lower case, accents and other
// combining marks dropped ("Fiche Signée" and "fiche signee" fold alike).
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// matches reports whether every word of the folded query is in the folded haystack.
func matches(haystack string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(haystack, w) {
			return false
		}
	}
	return true
}
