package desktop

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/store"
)

func TestStartFailureIsExplainedInTheUsersLanguage(t *testing.T) {
	corrupt := fmt.Errorf("open: %w", store.ErrCorrupt)
	tests := []struct {
		lang string
		err  error
		want string
	}{
		{"fr", corrupt, "endommagées"},
		{"es", corrupt, "dañados"},
		{"pt", corrupt, "danificados"},
		{"pt", fmt.Errorf("check replica: %w", syscall.ENOSPC), "disco está cheio"},
		{"en", corrupt, "damaged"},
		{"de", corrupt, "damaged"}, // unknown language: English
		{"en", fmt.Errorf("x: %w", store.ErrTooNew), "newer version"},
		{"fr", fmt.Errorf("permission denied"), "dossier de données"},
		{"es", fmt.Errorf("open: %w", store.ErrLocked), "ya está abierto"},
		{"en", fmt.Errorf("check replica: %w", syscall.ENOSPC), "disk is full"},
		{"fr", fmt.Errorf("check replica: %w", syscall.ENOSPC), "disque est plein"},
	}
	for _, tt := range tests {
		if got := startFailure(tt.lang, tt.err); !strings.Contains(got, tt.want) {
			t.Errorf("startFailure(%s, %v) = %q, want it to mention %q", tt.lang, tt.err, got, tt.want)
		}
	}
}
