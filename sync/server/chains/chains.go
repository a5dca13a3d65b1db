package chains

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Push applies a chain entry in the organisation's transaction tx. op is the
// directory's operator of the entry's FLO ID, nil when there is none (looked up by the
// caller, outside tx: the directory is not the organisation's). The entry is applied,
// or rejected with a code; err is only the database's.
func Push(tx store.Tx, u api.User, e api.PushEntry, op *api.Operator, now time.Time) (api.PushResult, error) {
	if e.Chain == nil {
		return rejected(e, api.CodeBadEntry, "a chain entry carries chain"), nil
	}
	c := *e.Chain
	adding := e.Kind == api.KindChainAdd
	if msg := api.ChainProblem(c, adding); msg != "" {
		return rejected(e, api.CodeBadEntry, msg), nil
	}
	c.Product = api.CleanProduct(c.Product)
	id := api.ChainLinkID(c.Product, c.FLOID)
	if !adding {
		switch _, err := tx.Entity(api.EntityChainLink, id); {
		case errors.Is(err, store.ErrNotFound):
			return api.PushResult{Seq: e.Seq, Status: api.PushApplied}, nil
		case err != nil:
			return api.PushResult{}, err
		}
		if err := tx.Write(store.EntityWrite{Entity: api.EntityChainLink, ID: id, Delete: true}); err != nil {
			return api.PushResult{}, fmt.Errorf("remove chain partner: %w", err)
		}
		return api.PushResult{Seq: e.Seq, Status: api.PushApplied}, nil
	}
	if op == nil {
		return rejected(e, api.CodePartnerUnknown, "no operator of the directory has this FLO ID"), nil
	}
	link := &api.ChainLink{ID: id, Product: c.Product, FLOID: op.FLOID, Role: c.Role, AddedBy: u.Username, AddedAt: now}
	err := tx.Write(store.EntityWrite{Entity: api.EntityChainLink, ID: id, Visible: true,
		Encode: func(rev int64) (json.RawMessage, error) {
			link.Revision = rev
			return json.Marshal(link)
		}})
	if err != nil {
		return api.PushResult{}, fmt.Errorf("add chain partner: %w", err)
	}
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, Chain: link}, nil
}

func rejected(e api.PushEntry, code, msg string) api.PushResult {
	return api.PushResult{Seq: e.Seq, Status: api.PushRejected, Code: code, Message: msg}
}
