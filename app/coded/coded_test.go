package coded_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
)

func TestOfFindsTheCodeInAChain(t *testing.T) {
	err := fmt.Errorf("saving the draft: %w", coded.Error("not_logged_in"))
	if got := coded.Of(err); got != "not_logged_in" {
		t.Errorf("Of(%v) = %q, want not_logged_in", err, got)
	}
	if !errors.Is(err, coded.Error("not_logged_in")) {
		t.Error("errors.Is does not match the same code")
	}
	if got := coded.Of(errors.New("disk full")); got != "" {
		t.Errorf("Of of an uncoded error = %q, want none", got)
	}
}
