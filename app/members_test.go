package app_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The assignee picker works offline: the organisation's accounts come down with the
// normal sync (entity member), and an assignment to anyone else is refused at once.

func memberNames(ms []api.Member) map[string]api.Member {
	out := map[string]api.Member{}
	for _, m := range ms {
		out[m.Username] = m
	}
	return out
}

func TestMembersComeWithTheSyncAndGuardTheAssignment(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	ms, err := a.Team.Members()
	if err != nil {
		t.Fatal(err)
	}
	got := memberNames(ms)
	if got["coop"] != (api.Member{Username: "coop", Name: "Marie Ngo Bassa", OrgRole: api.OrgRoleManager}) ||
		got["coop-staff"] != (api.Member{Username: "coop-staff", Name: "Jean-Paul Essomba", OrgRole: api.OrgRoleStaff}) {
		t.Errorf("members after the first sync: %+v", ms)
	}
	// Only the organisation's own: not the other producer's manager, nor FLOCERT's people.
	for _, other := range []string{"estate", "analyst", "auditor"} {
		if _, ok := got[other]; ok {
			t.Errorf("members hold %s, who is not of the organisation: %+v", other, ms)
		}
	}

	// A new account and its disabling reach the organisation's other replicas with
	// their next syncs (the manager's own replica writes them at once).
	jean := newApp(t, t.TempDir(), &recorder{})
	if _, err := jean.Session.Login(srv.URL, "coop-staff", "coop-staff"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "coop-staff's first sync", func() bool { s := jean.Sync.Status(); return s.LastSync != "" && !s.Syncing })
	if _, err := a.Team.AddStaff("awa.field", "Awa Ndiaye"); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncOnce(t, jean)
	for who, replica := range map[string]*app.App{"the manager's": a, "another": jean} {
		if m := memberNames(must(replica.Team.Members()))["awa.field"]; m.Name != "Awa Ndiaye" || m.Disabled {
			t.Fatalf("the new account on %s replica: %+v", who, m)
		}
	}
	if _, err := a.Team.Assign("NC-150424-2019", "awa.field", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Team.Disable("awa.field"); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncOnce(t, jean)
	for who, replica := range map[string]*app.App{"the manager's": a, "another": jean} {
		if m := memberNames(must(replica.Team.Members()))["awa.field"]; !m.Disabled {
			t.Fatalf("the disabled account on %s replica: %+v", who, m)
		}
	}

	// Offline from here: the replica alone decides.
	srv.Close()
	pending := a.Sync.Status().Pending
	for _, who := range []string{"awa.field", "nobody.here", "estate"} {
		if _, err := a.Team.Assign("NC-167140-2019", who, ""); app.Code(err) != api.CodeAssigneeUnknown {
			t.Errorf("assign to %s: %v, want assignee_unknown", who, err)
		}
	}
	if p := a.Sync.Status().Pending; p != pending {
		t.Errorf("refused assignments queued something: pending %d, was %d", p, pending)
	}
	as := must(a.Team.Assignments())
	if i := slices.IndexFunc(as, func(x api.Assignment) bool { return x.NCID == "NC-167140-2019" }); i >= 0 {
		t.Errorf("a refused assignment shows: %+v", as[i])
	}
	// A disabled assignee still shows on the NC it was given.
	if i := slices.IndexFunc(as, func(x api.Assignment) bool { return x.NCID == "NC-150424-2019" }); i < 0 || as[i].Assignee != "awa.field" {
		t.Errorf("the disabled person's assignment: %+v", as)
	}
	// An active person: queued offline, shown at once with the name the replica knows.
	x, err := a.Team.Assign("NC-167140-2019", "coop-staff", "2019-05-30")
	if err != nil {
		t.Fatal(err)
	}
	if x.AssigneeName != "Jean-Paul Essomba" {
		t.Errorf("assignee's name before any sync: %q, want Jean-Paul Essomba", x.AssigneeName)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// The members of another organisation never reach a replica: the other producer's
// computer pulls its own accounts only.
func TestMembersOfAnotherOrganisationNeverArrive(t *testing.T) {
	_, srv, _, _ := loggedInApp(t)
	b := newApp(t, t.TempDir(), &recorder{})
	if _, err := b.Session.Login(srv.URL, "estate", "estate"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "estate's first sync", func() bool { s := b.Sync.Status(); return s.LastSync != "" && !s.Syncing })
	ms, err := b.Team.Members()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Username != "estate" {
		t.Errorf("estate's members: %+v, want estate alone", ms)
	}
	if _, err := b.Team.Assign("NC-167140-2019", "coop-staff", ""); err == nil {
		t.Error("estate's manager assigned an NC of another organisation to its staff")
	}
}

// nc assign refuses a person who is not an active account of the organisation, offline,
// in plain words that name nobody but the one typed.
func TestHeadlessAssignRefusesAnUnknownPerson(t *testing.T) {
	url, stop := startServer(t)
	data := syncedAsCoop(t, url)
	stop() // the replica alone decides
	r := run(t, data, "", nil, "nc", "assign", "NC-167140-2019", "--to", "estate")
	if r.code == 0 || !strings.Contains(r.stderr, `"estate" is not an active account of your organisation; nothing was queued`) {
		t.Fatalf("assign to another organisation's manager: %+v", r)
	}
	for _, private := range []string{"coop-staff", "Jean-Paul", "Marie"} {
		if strings.Contains(r.stderr+r.stdout, private) {
			t.Errorf("the refusal names %s: %+v", private, r)
		}
	}
	if r := run(t, data, "", nil, "nc", "assign", "NC-167140-2019", "--to", "coop-staff", "--due", "2019-05-30"); r.code != 0 ||
		!strings.Contains(r.stdout, "assigned to coop-staff") {
		t.Fatalf("assign to the organisation's staff: %+v", r)
	}
}
