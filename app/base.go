package app

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/cached"

	"github.com/ecert-desktop/ecert-desktop/app/crash"
	"github.com/ecert-desktop/ecert-desktop/app/evidence"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/members"
)

// base is what every service reads: the replica, the content store of files, the
// logger, the clock and the platform. New makes one; Open fills in the replica and the
// before any service is called (the window binds the services before it opens the
// replica, and calls them only after).
type base struct {
	store    *store.Store // nil until App.Open
	log      *slog.Logger
	now      func() time.Time
	platform Platform
	// ctx is the context of bound calls, which have none of their own: Close cancels it.
	ctx context.Context
	// crash keeps crash reports in the data folder (nil until App.Open).
	crash *crash.Keeper

	mu    sync.Mutex
	files *evidence.Store // the files folder, opened on first use (see contentStore)
}

// contentStore returns the content store of files (attachments and downloads).
func (b *base) contentStore() (*evidence.Store, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.files == nil {
		st, err := evidence.NewStore(b.store.Files.Dir())
		if err != nil {
			return nil, err
		}
		b.files = st
	}
	return b.files, nil
}

// cached finds the replica's cached files: to open, save elsewhere, or serve to the window.
func (b *base) cached() cached.Files {
	return cached.Files{Store: func() *store.Store { return b.store }, Content: b.contentStore, Platform: b.platform}
}

// me is the person logged in on this computer (username, display name; empty when
// nobody is): the author of what is written here and not on the server yet.
func (b *base) me(ctx context.Context) (string, string, error) {
	return members.New(b.store.DB(), nil).Me(ctx)
}

// fail turns err into the *CodeError a bound method returns.
func (b *base) fail(err error) error { return userError(b.log, err) }

// stamp is the current time as the replica records it.
func (b *base) stamp() string { return b.now().UTC().Format(time.RFC3339) }

// today is the user's current calendar day.
func (b *base) today() time.Time {
	y, m, d := b.now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// optional turns "not found" into nil.
func optional[T any](v *T, err error) (*T, error) {
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return v, err
}
