package team

import (
	"regexp"
	"strings"
	"testing"
)

// The app's check of a new username says what the server's rule (a regexp in
// sync/server/team) says, on the edges of every part of the rule.
func TestUsernameCheckIsTheServersRule(t *testing.T) {
	server := regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)
	cases := []string{"", "a", "ab", "abc", "a.b", "a_b", "a-b", "9ab", ".ab", "_ab", "-ab", "Abc", "abC",
		"ab c", "abé", "ab\n", "ab/", "ab@", "ab:", "ab`", "ab{", strings.Repeat("a", 63), strings.Repeat("a", 64),
		strings.Repeat("a", 65), "maria.lopez", "coop-3542_admin"}
	for c := byte(0); c < 128; c++ {
		cases = append(cases, "ab"+string(c), string(c)+"ab")
	}
	for _, s := range cases {
		if got, want := validUsername(s), server.MatchString(s); got != want {
			t.Errorf("%q: valid %v, the server says %v", s, got, want)
		}
	}
}
