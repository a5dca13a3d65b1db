package api_test

import (
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

func TestValidSHA256(t *testing.T) {
	good := strings.Repeat("0123456789abcdef", 4)
	cases := []struct {
		in   string
		want bool
	}{
		{good, true},
		// wrong form
		{strings.ToUpper(good), false},
		{good[:63], false},
		{good + "0", false},
		{good[:62] + "0g", false},
		{"", false},
		// a path dressed as a hash
		{"../" + good[3:], false},
		{good[:32] + "/" + good[33:], false},
	}
	for _, c := range cases {
		if got := api.ValidSHA256(c.in); got != c.want {
			t.Errorf("ValidSHA256(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}
