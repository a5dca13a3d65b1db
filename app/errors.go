package app

import (
	"context"
	"errors"
	"log/slog"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/health"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// CodeError is what bound methods return: its text is only a code, which the UI
// translates. The cause stays in the log.
type CodeError struct{ Code string }

func (e *CodeError) Error() string { return e.Code }

// userError turns any error into a *CodeError, logging causes the user cannot act on.
// Every code it returns is in the registry (api.Codes), so the UI has words for it; an
// unregistered one is a bug, shown as internal and logged.
func userError(log *slog.Logger, err error) error {
	if err == nil {
		return nil
	}
	code := codeOf(err)
	if _, ok := api.LookupCode(code); !ok {
		log.Error("unexpected error", "error", err)
		return &CodeError{Code: api.CodeInternal}
	}
	return &CodeError{Code: code}
}

// codeOf is the code of err: its own, the client's, or the one of a local failure;
// "" when there is none.
func codeOf(err error) string {
	var ce *CodeError
	if errors.As(err, &ce) {
		return ce.Code
	}
	if code := client.Code(err); code != "" {
		return code
	}
	var coded interface{ ErrorCode() string } // a sub-package's own coded errors (exports)
	switch {
	case errors.As(err, &coded):
		return coded.ErrorCode()
	case health.DiskFull(err):
		return api.CodeDiskFull
	case errors.Is(err, store.ErrNotFound):
		return api.CodeNotFound
	case errors.Is(err, store.ErrCorrupt):
		return api.CodeReplicaDamaged
	case errors.Is(err, store.ErrLocked):
		return api.CodeInUse
	case errors.Is(err, context.Canceled):
		return api.CodeCancelled
	}
	return ""
}

// Code returns the code the user is shown for err ("" for nil), without logging.
func Code(err error) string {
	if err == nil {
		return ""
	}
	return userError(slog.New(slog.DiscardHandler), err).(*CodeError).Code
}
