package engine_test

import (
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/engine/enginetest"
)

// The tests' replica keeps the contract the engine states, checked by the suite that
// app/store's tests can run too.
func TestMemReplicaKeepsTheContract(t *testing.T) {
	enginetest.Run(t, enginetest.Replica{
		Open:    func(t *testing.T) engine.Replica { return newReplica(t) },
		Message: func(t *testing.T, r engine.Replica, ncID, text string) { r.(*memReplica).writeMessage(ncID, text) },
	})
}
