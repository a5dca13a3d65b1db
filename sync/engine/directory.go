package engine

import (
	"context"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// DirectoryReplica is what the directory pull needs of the replica. A Replica that
// implements it, synced with a Remote that implements DirectoryRemote, has the operator
// directory pulled in each sync, after the organisation's changes.
type DirectoryReplica interface {
	// DirectoryAfter returns the After of the last directory page applied, 0 before the
	// first.
	DirectoryAfter(ctx context.Context) (int64, error)
	// ApplyDirectory writes the page's operators (replacing those of the same FLO ID)
	// and page.After, atomically: an interrupted pull resumes after the last page
	// applied. Applying a page twice leaves the replica as once.
	ApplyDirectory(ctx context.Context, page api.DirectoryPage) error
}

// DirectoryRemote is what the directory pull needs of the API client.
type DirectoryRemote interface {
	Directory(ctx context.Context, after int64, limit int) (api.DirectoryPage, error)
}

// EntityDirectory is reported to OnChanges when the directory pull brought operators.
const EntityDirectory = "directory"

// pullDirectory applies directory pages until the server says no more follows and
// returns how many operators it applied. It asks nothing when the replica's copy is at
// latest (the directory seq of the last change page) already; a later pull with a few
// changes is one round trip: the server sends only what changed after the replica's seq.
func (e *Engine) pullDirectory(ctx context.Context, latest int64) (int, error) {
	replica, ok := e.replica.(DirectoryReplica)
	remote := e.directory
	if !ok || remote == nil {
		return 0, nil
	}
	after, err := replica.DirectoryAfter(ctx)
	if err != nil || after >= latest {
		return 0, err
	}
	// As for the changes, the next page is asked for while one is applied (30,000
	// operators are several pages at a first sync).
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // a page asked for ahead is dropped when the pull stops early
	n := 0
	next := askDirectory(ctx, remote, after)
	for {
		r := <-next
		if r.err != nil {
			return n, r.err
		}
		page := r.page
		if page.More && page.After > after {
			next = askDirectory(ctx, remote, page.After)
		}
		if len(page.Operators) > 0 || page.After != after {
			if err := replica.ApplyDirectory(ctx, page); err != nil {
				return n, err
			}
		}
		n += len(page.Operators)
		if !page.More || page.After <= after {
			return n, nil
		}
		after = page.After
	}
}

type directoryResult struct {
	page api.DirectoryPage
	err  error
}

// askDirectory asks for the directory page after seq after; the answer arrives on the
// channel.
func askDirectory(ctx context.Context, remote DirectoryRemote, after int64) <-chan directoryResult {
	out := make(chan directoryResult, 1) // never blocks: an unread answer is dropped
	go func() {
		page, err := remote.Directory(ctx, after, 0)
		out <- directoryResult{page, err}
	}()
	return out
}

// watchedDirectory marks the engine online or offline from each directory request, as
// watch does for the other requests.
type watchedDirectory struct {
	e *Engine
	d DirectoryRemote
}

func (w watchedDirectory) Directory(ctx context.Context, after int64, limit int) (api.DirectoryPage, error) {
	page, err := w.d.Directory(ctx, after, limit)
	w.e.contact(err)
	return page, err
}
