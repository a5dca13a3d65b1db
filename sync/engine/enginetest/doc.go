// Package enginetest checks that a replica keeps the contract of engine.Replica: one
// suite, run by every implementation's tests (the engine's in-memory one, app/store).
package enginetest
