package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/sqlite"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestCreated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	for i, want := range []bool{true, false} {
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Created(); got != want {
			t.Errorf("open %d: Created() = %v, want %v", i+1, got, want)
		}
		s.Close()
	}
}
