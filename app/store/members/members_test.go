package members_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/members"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Members pulled in a page are listed by name, found by username, and known; a replica
// that pulled none knows none.
func TestMembersAsPulled(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ms := members.New(s.DB(), nil)
	if known, err := ms.Known(ctx); err != nil || known {
		t.Fatalf("an empty replica knows members: %v, %v", known, err)
	}
	page := api.ChangesPage{Cursor: "2", Changes: []api.Change{
		{Seq: 1, Entity: api.EntityMember, ID: "zoe", Op: api.OpUpsert, Data: []byte(`{"username":"zoe","name":"Ama Zoé","org_role":"staff","disabled":true}`)},
		{Seq: 2, Entity: api.EntityMember, ID: "coop", Op: api.OpUpsert, Data: []byte(`{"username":"coop","name":"Marie Ngo Bassa","org_role":"manager","disabled":false}`)},
	}}
	if err := s.ApplyPage(ctx, page, "2026-12-05T10:00:00Z"); err != nil {
		t.Fatal(err)
	}
	list, err := ms.List(ctx)
	if err != nil || len(list) != 2 || list[0].Username != "zoe" || !list[0].Disabled || list[1].Name != "Marie Ngo Bassa" {
		t.Fatalf("list: %+v, %v", list, err)
	}
	if _, err := ms.Find(ctx, "nobody"); !errors.Is(err, members.ErrNotFound) {
		t.Errorf("find nobody: %v, want ErrNotFound", err)
	}
	if err := ms.Put(ctx, api.Member{Username: "zoe", Name: "Ama Zoé", OrgRole: api.OrgRoleStaff}); err != nil {
		t.Fatal(err)
	}
	if m, err := ms.Find(ctx, "zoe"); err != nil || m.Disabled {
		t.Errorf("zoe enabled again: %+v, %v", m, err)
	}
	if u, name, err := ms.Me(ctx); err != nil || u != "" || name != "" {
		t.Errorf("nobody logged in: %q %q %v", u, name, err)
	}
}
