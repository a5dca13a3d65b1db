package auth

import (
	_ "embed"
	"strings"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
)

// MinPasswordLength is the fewest characters (not bytes) a new password has; a
// package variable so that a deployment or a test may raise it.
var MinPasswordLength = 10

// maxPasswordBytes bounds what is hashed: argon2id's cost grows with the input.
const maxPasswordBytes = 1000

//go:embed common-passwords.txt
var commonList string

// common is the embedded list of passwords too common to accept, lowercased.
var common = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// CheckNewPassword applies the rules of a new password of username: long enough
// (password_too_short), not the user name whatever its case or around it
// (password_is_username), not a common password (password_common). It returns nil or
// a *problem.Error with the code of the first rule broken.
func CheckNewPassword(username, password string) error {
	if !utf8.ValidString(password) || len(password) > maxPasswordBytes {
		return problem.BadRequest("the new password must be valid UTF-8 of at most 1000 bytes")
	}
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return problem.New(api.CodePasswordTooShort, "the new password is too short")
	}
	lower, user := strings.ToLower(password), strings.ToLower(username)
	if lower == user || len(user) >= 3 && strings.Contains(lower, user) {
		return problem.New(api.CodePasswordIsUsername, "the new password must not contain the user name")
	}
	// A common word with digits or symbols stuck to its end ("password2024!") is as weak.
	if common[lower] || common[strings.TrimRight(lower, "0123456789!?.*#@$-_ ")] {
		return problem.New(api.CodePasswordCommon, "the new password is too common")
	}
	return nil
}
