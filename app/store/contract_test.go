package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/engine/enginetest"
)

// The SQLite replica keeps the contract the engine writes on engine.Replica: the same
// suite runs against the engine's in-memory test replica.
func TestReplicaContract(t *testing.T) {
	enginetest.Run(t, enginetest.Replica{
		Open: func(t *testing.T) engine.Replica { return open(t, t.TempDir()) },
		Message: func(t *testing.T, r engine.Replica, ncID, text string) {
			now := time.Now().UTC().Format(time.RFC3339)
			if _, err := r.(*store.Store).Work.QueueMessage(context.Background(), ncID, text, now); err != nil {
				t.Fatal(err)
			}
		},
	})
}
