package members_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/members"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/sqlite"
)

// Accounts made straight in the users table (before the entity existed, or by another
// process) reach the change log with PublishAll; publishing again writes nothing, and a
// change of one account writes that account's change only.
func TestPublishFollowsTheAccounts(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, org := range []string{"100", "200"} {
		if err := s.CreateOrg(ctx, org, "Org "+org); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []store.UserRecord{
		{Username: "boss-100", Name: "Boss", Role: api.RoleClient, OrgID: "100", PasswordHash: "h"}, // from before roles
		{Username: "staff-100", Name: "Staff", Role: api.RoleClient, OrgID: "100", OrgRole: api.OrgRoleStaff, PasswordHash: "h"},
		{Username: "boss-200", Name: "Other", Role: api.RoleClient, OrgID: "200", OrgRole: api.OrgRoleManager, PasswordHash: "h"},
		{Username: "analyst", Name: "Analyst", Role: api.RoleAnalyst, PasswordHash: "h"},
	} {
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	memberChanges := func(org string) map[string]api.Change {
		cs, err := s.Changes(ctx, org, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]api.Change{}
		for _, c := range cs {
			if c.Entity == api.EntityMember {
				out[c.ID] = c
			}
		}
		return out
	}
	if err := members.PublishAll(ctx, s); err != nil {
		t.Fatal(err)
	}
	first := memberChanges("100")
	var boss api.Member
	if err := json.Unmarshal(first["boss-100"].Data, &boss); err != nil || boss != (api.Member{Username: "boss-100", Name: "Boss", OrgRole: api.OrgRoleManager}) {
		t.Errorf("the account from before roles: %+v, %v", boss, err)
	}
	if len(first) != 2 || first["staff-100"].Seq == 0 {
		t.Errorf("organisation 100's members: %v", first)
	}
	if other := memberChanges("200"); len(other) != 1 || other["boss-200"].Seq == 0 {
		t.Errorf("organisation 200's members: %v", other)
	}

	// Nothing moved: nothing written (an idle sync stays empty).
	if err := members.PublishAll(ctx, s); err != nil {
		t.Fatal(err)
	}
	for id, c := range memberChanges("100") {
		if c.Seq != first[id].Seq {
			t.Errorf("publishing again rewrote %s", id)
		}
	}

	// One account disabled: its change alone is new.
	if err := s.SetUserDisabled(ctx, "staff-100", true); err != nil {
		t.Fatal(err)
	}
	if err := members.Publish(ctx, s, "100"); err != nil {
		t.Fatal(err)
	}
	after := memberChanges("100")
	var staff api.Member
	if err := json.Unmarshal(after["staff-100"].Data, &staff); err != nil || !staff.Disabled || after["staff-100"].Seq <= first["staff-100"].Seq {
		t.Errorf("the disabled account: %+v (seq %d), %v", staff, after["staff-100"].Seq, err)
	}
	if after["boss-100"].Seq != first["boss-100"].Seq {
		t.Error("disabling one account rewrote another")
	}
}
