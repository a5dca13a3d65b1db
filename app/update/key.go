package update

import (
	"crypto/ed25519"
	_ "embed" // publisher.pub
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/release"
)

// publisherKey is the publisher's public key (base64), committed beside this file by
// `go run ./build/release keygen -key … -pub app/update/publisher.pub`. Empty: this
// build trusts no release, and updates are off.
//
//go:embed publisher.pub
var publisherKey string

// PublicKey, stamped at link time, replaces the committed key; tests and dev builds set
// it to releasetest's test-only key:
//
//	-ldflags "-X github.com/ecert-desktop/ecert-desktop/app/update.PublicKey=BASE64"
var PublicKey = ""

// BuiltInKey is the key releases are verified with; nil when the build has none.
func BuiltInKey() ed25519.PublicKey {
	s := PublicKey
	if strings.TrimSpace(s) == "" {
		s = publisherKey
	}
	if strings.TrimSpace(s) == "" {
		return nil
	}
	k, err := release.ParsePublicKey(s)
	if err != nil {
		return nil
	}
	return k
}
