package app

import (
	"context"
	"errors"
	"log/slog"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
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
		return &CodeError{Code: api.CodeDiskFull}
	}
	if code := client.Code(err); code != "" {
		return &CodeError{Code: code}
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &CodeError{Code: api.CodeNotFound}
	case errors.Is(err, store.ErrCorrupt):
		return &CodeError{Code: api.CodeReplicaDamaged}
	case errors.Is(err, store.ErrLocked):
		return &CodeError{Code: api.CodeInUse}
	case errors.Is(err, context.Canceled):
		return &CodeError{Code: api.CodeCancelled}
	}
	log.Error("unexpected error", "error", err)
	return &CodeError{Code: api.CodeInternal}
}

// Code returns the code the user is shown for err ("" for nil), without logging.
func Code(err error) string {
	if err == nil {
		return ""
	}
	return userError(slog.New(slog.DiscardHandler), err).(*CodeError).Code
}
