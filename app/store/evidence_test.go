package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Attaching bytes an NC already has is idempotent: a command run again after a crash
// stopped it halfway does not attach its first files twice. Another NC gets its own.
func TestAttachingTheSameBytesAgainIsTheSameEvidence(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	file := api.FileRef{SHA256: strings.Repeat("ab", 32), Name: "registre.pdf", Size: 1234, MediaType: "application/pdf"}
	first, err := s.Evidence.Attach(ctx, store.LocalEvidence{NCID: "NC-150424-2019", File: file}, now)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Evidence.Attach(ctx, store.LocalEvidence{NCID: "NC-150424-2019", File: file}, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID {
		t.Errorf("attached again: id %s, want the first one's %s", again.ID, first.ID)
	}
	other, err := s.Evidence.Attach(ctx, store.LocalEvidence{NCID: "NC-167140-2019", File: file}, now)
	if err != nil {
		t.Fatal(err)
	}
	if other.ID == first.ID {
		t.Error("another NC got the first NC's evidence")
	}
	all, err := s.Evidence.Local(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Errorf("%d evidence files, want 2 (one per NC)", len(all))
	}
}
