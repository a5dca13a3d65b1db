package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
)

// maxTokenBytes bounds a token sent back in a body; the server's have 43 characters.
const maxTokenBytes = 256

// TokenShaped reports whether s could be a token of this server (NewToken): base64url
// text of a sane length. Anything else is a malformed request, not an unknown token.
func TokenShaped(s string) bool {
	if s == "" || len(s) > maxTokenBytes {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// NewToken returns 256 random bits, URL-safe. Tokens are opaque: all meaning is in the
// database row found by their hash.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how a token is stored and looked up: its SHA-256 in hex, so a leaked
// database does not leak usable tokens.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// RandomHex returns n random bytes in hex.
func RandomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// RemoteHost is the peer's IP. Forwarding headers are ignored on purpose: they are
// set by the client and would let an attacker choose its rate-limit bucket.
func RemoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
