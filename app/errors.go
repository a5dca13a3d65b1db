package app

import (
	"context"
	"errors"
	"log/slog"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// Error codes the UI translates (errors.<code>), beyond those of sync/client.
const (
	CodeInvalidInput = "invalid_input"
	CodeNotFound     = "not_found"
	CodeNotCached    = "not_cached" // the file has not been downloaded yet
	CodeNotLoggedIn  = "not_logged_in"
	CodeDamaged      = "replica_damaged"
	CodeInternal     = "internal"
	CodeCancelled    = "cancelled"
	CodeInUse        = "in_use"       // another Ecert Desktop uses the data directory
	CodeNotAClient   = "not_a_client" // analysts and auditors use the web console, not this app
	CodeDiskFull     = "disk_full"    // the data folder's disk is full: nothing was written
)

// CodeError is what bound methods return: its text is only a code, which the UI
// translates. The cause stays in the log.
type CodeError struct{ Code string }

func (e *CodeError) Error() string { return e.Code }

// userError turns any error into a *CodeError, logging causes the user cannot act on.
func userError(log *slog.Logger, err error) error {
	if err == nil {
		return nil
	}
	var ce *CodeError
	if errors.As(err, &ce) {
		return ce
	}
	// Before the client's codes: a download that cannot be written is, to the client,
	// a broken connection (it wraps the write's error as "unreachable").
	if store.DiskFull(err) {
		return &CodeError{Code: CodeDiskFull}
	}
	if code := client.Code(err); code != "" {
		return &CodeError{Code: code}
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &CodeError{Code: CodeNotFound}
	case errors.Is(err, store.ErrCorrupt):
		return &CodeError{Code: CodeDamaged}
	case errors.Is(err, store.ErrLocked):
		return &CodeError{Code: CodeInUse}
	case errors.Is(err, context.Canceled):
		return &CodeError{Code: CodeCancelled}
	}
	log.Error("unexpected error", "err", err)
	return &CodeError{Code: CodeInternal}
}
