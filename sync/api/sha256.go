package api

// ValidSHA256 reports whether s is a SHA-256 in lowercase hex: the only form in which
// both sides name a file, in URLs, in the files folder and on the wire. Anything else
// (upper case, short, a path) is refused before it can reach a file name.
func ValidSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
