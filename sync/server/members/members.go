package members

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Store is what publishing needs: the accounts, and the organisation's entities.
type Store interface {
	OrgUsers(ctx context.Context, orgID string) ([]store.UserRecord, error)
	Orgs(ctx context.Context) ([]store.OrgRecord, error)
	Update(ctx context.Context, orgID string, fn func(tx store.Tx) error) error
}

// Publish brings an organisation's member entities up to its accounts: an account
// whose entity is missing or differs gets a new change, the others none. Call it after
// an account of the organisation changed; it is idempotent.
//
// The accounts are read outside the write transaction (a read inside it would hold a
// second connection per writer) and read again after it: when they moved meanwhile, a
// racing call may have written older facts after newer ones, so it publishes again.
//
// Only accounts of the organisation itself are published (OrgUsers filters by its id),
// and only what api.Member holds.
func Publish(ctx context.Context, st Store, orgID string) error {
	if orgID == "" {
		return nil
	}
	want, err := members(ctx, st, orgID)
	if err != nil {
		return err
	}
	for range 5 {
		if err := st.Update(ctx, orgID, func(tx store.Tx) error { return write(tx, orgID, want) }); err != nil {
			return err
		}
		now, err := members(ctx, st, orgID)
		if err != nil {
			return err
		}
		if slices.Equal(now, want) {
			return nil
		}
		want = now
	}
	return fmt.Errorf("publish members of %s: the accounts keep changing", orgID)
}

// members returns the organisation's client accounts as published.
func members(ctx context.Context, st Store, orgID string) ([]api.Member, error) {
	users, err := st.OrgUsers(ctx, orgID)
	if err != nil {
		return nil, err
	}
	out := make([]api.Member, 0, len(users))
	for _, u := range users {
		if u.OrgID != orgID || u.Role != api.RoleClient {
			continue
		}
		role := u.OrgRole
		if role == "" {
			role = api.OrgRoleManager // accounts from before roles were the organisation's one login
		}
		out = append(out, api.Member{Username: u.Username, Name: u.Name, OrgRole: role, Disabled: u.Disabled})
	}
	return out, nil
}

// write writes the members whose entity is missing or differs.
func write(tx store.Tx, orgID string, ms []api.Member) error {
	for _, m := range ms {
		data, err := json.Marshal(m)
		if err != nil {
			return err
		}
		rec, err := tx.Entity(api.EntityMember, m.Username)
		if err == nil && rec.Visible && bytes.Equal(rec.Data, data) {
			continue
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := tx.Write(store.EntityWrite{Entity: api.EntityMember, ID: m.Username, Visible: true,
			Encode: func(int64) (json.RawMessage, error) { return data, nil }}); err != nil {
			return fmt.Errorf("publish member %s of %s: %w", m.Username, orgID, err)
		}
	}
	return nil
}

// PublishAll publishes the members of every organisation: at the server's start, so
// that accounts made before this entity existed, or by another process (the demo, an
// operator's command), reach the replicas.
func PublishAll(ctx context.Context, st Store) error {
	orgs, err := st.Orgs(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if err := Publish(ctx, st, o.ID); err != nil {
			return err
		}
	}
	return nil
}
