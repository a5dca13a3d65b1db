package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// ErrTrailBroken is returned, wrapped in a *TrailBrokenError, by AppendTrail for an
// entry that does not continue its replica's chain.
var ErrTrailBroken = errors.New("trail link broken")

// TrailBrokenError names the first entry AppendTrail refused.
type TrailBrokenError struct {
	Seq    int64
	Reason string
}

func (e *TrailBrokenError) Error() string {
	return fmt.Sprintf("trail entry %d: %s", e.Seq, e.Reason)
}

func (e *TrailBrokenError) Unwrap() error { return ErrTrailBroken }

// Trail keeps each organisation's chain of trail entries (see api.TrailRecord).
//
// One chain per organisation, made of its replicas' chains: a replica writes its
// entries offline, so each can only link to the replica's own previous entry (which the
// store checks); the store then gives the entry the organisation's next OrgSeq and
// links it to the organisation's previous record (Chain), one append at a time per
// organisation, so that replicas pushing at once still leave one chain without gaps or
// forks.
type Trail interface {
	// AppendTrail appends entries of replica clientID to orgID's chain, all or none, in
	// one transaction, and returns the highest seq of the replica's chain it holds
	// afterwards. Entries come in seq order. An entry whose seq the store holds already
	// for this replica must be the same (Hash) and is skipped, so a retried push appends
	// nothing twice; a new one must be the next seq, link to the previous entry's Hash
	// (api.TrailGenesis for seq 1) and hash to its Hash (api.TrailHash). Any other is a
	// *TrailBrokenError and nothing of the call is kept. at is stored as ReceivedAt.
	AppendTrail(ctx context.Context, orgID, clientID string, entries []api.TrailEntry, at time.Time) (int64, error)
	// TrailRecords returns orgID's records with OrgSeq > after, by OrgSeq, at most limit.
	TrailRecords(ctx context.Context, orgID string, after int64, limit int) ([]api.TrailRecord, error)
}

// TrailNext checks that e continues a replica's chain whose last entry is last (0 and
// api.TrailGenesis before the first); implementations call it for each new entry.
func TrailNext(e api.TrailEntry, last int64, lastHash string) error {
	switch {
	case e.Seq != last+1:
		return &TrailBrokenError{Seq: e.Seq, Reason: fmt.Sprintf("expected seq %d", last+1)}
	case e.Prev != lastHash:
		return &TrailBrokenError{Seq: e.Seq, Reason: "prev is not the hash of the entry before"}
	case !api.IsTrailHash(e.Digest) || api.TrailHash(e) != e.Hash:
		return &TrailBrokenError{Seq: e.Seq, Reason: "hash is not that of the entry"}
	}
	return nil
}

// TrailSame checks that e is the entry held under its seq, whose hash is held.
func TrailSame(e api.TrailEntry, held string) error {
	if e.Hash != held {
		return &TrailBrokenError{Seq: e.Seq, Reason: "another entry has this seq"}
	}
	return nil
}
