package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The organisation's roles: the login tells the role, staff draft but never send, and
// the manager manages staff accounts of its own organisation only.

func TestLoginTellsTheRoleInTheOrganisation(t *testing.T) {
	e := newEnv(t)
	for user, want := range map[string]api.OrgRole{"coop": api.OrgRoleManager, "coop-staff": api.OrgRoleStaff, "analyst": ""} {
		if got := e.login(user, user).User.OrgRole; got != want {
			t.Errorf("login %s: org_role %q, want %q", user, got, want)
		}
	}
}

func TestStaffCannotSendButTheQueueGoesOn(t *testing.T) {
	e := newEnv(t)
	staff := e.token("coop-staff")
	nc := e.nc(staff, ncOpen)
	res := e.push(staff, clientA,
		api.PushEntry{Seq: 1, Kind: api.KindCASubmit, NCID: ncOpen, Text: "Former les récolteurs", BaseRevision: nc.Revision},
		api.PushEntry{Seq: 2, Kind: api.KindCADraft, NCID: ncOpen2, Text: "Brouillon du terrain"},
		api.PushEntry{Seq: 3, Kind: api.KindEvidenceSubmit, NCID: ncOpen, BaseRevision: nc.Revision},
		api.PushEntry{Seq: 4, Kind: api.KindMessage, NCID: ncOpen, Text: "Photos prises ce matin"},
	)
	for i, want := range []struct{ status, code string }{
		{api.PushRejected, api.CodeForbiddenRole},
		{api.PushApplied, ""},
		{api.PushRejected, api.CodeForbiddenRole},
		{api.PushApplied, ""},
	} {
		if res[i].Status != want.status || res[i].Code != want.code {
			t.Errorf("entry %d: got %s %s, want %s %s", i+1, res[i].Status, res[i].Code, want.status, want.code)
		}
	}
	if got := e.nc(staff, ncOpen); got.Stage != api.StageCARequested || got.Revision != nc.Revision {
		t.Errorf("the refused submission changed the NC: %s rev %d", got.Stage, got.Revision)
	}
	// The staff's draft carries its author; the manager sends it.
	if r := res[1]; r.Draft == nil || r.Draft.UpdatedBy != "coop-staff" {
		t.Errorf("the staff's draft: %+v, want updated_by coop-staff", r.Draft)
	}
	manager := e.token("coop")
	nc2 := e.nc(manager, ncOpen2)
	res = e.push(manager, clientB, api.PushEntry{Seq: 1, Kind: api.KindCASubmit, NCID: ncOpen2, Text: "Brouillon du terrain", BaseRevision: nc2.Revision})
	if res[0].Status != api.PushApplied {
		t.Fatalf("the manager's submission: %+v", res[0])
	}
	if h := res[0].NC.CAHistory; len(h) == 0 || h[len(h)-1].SubmittedBy == "" {
		t.Errorf("the submission carries no author: %+v", h)
	}
}

func TestManagerManagesStaffAccounts(t *testing.T) {
	e := newEnv(t)
	manager := e.token("coop")

	// Create.
	r := e.do("POST", api.OrgUsersPath, manager, api.NewStaffRequest{Username: "awa.field", Name: "Awa Ndiaye"})
	if r.status != http.StatusCreated {
		t.Fatalf("create staff: %d %s", r.status, r.body)
	}
	var created api.OrgUser
	decode(t, r.body, &created)
	if len(created.Password) != 19 {
		t.Fatalf("the temporary password: %q", created.Password)
	}
	staff := e.login("awa.field", created.Password)
	if staff.User.OrgRole != api.OrgRoleStaff || staff.User.OrgID != "3542" {
		t.Errorf("the new account: %+v", staff.User)
	}
	if r := e.do("POST", api.OrgUsersPath, manager, api.NewStaffRequest{Username: "coop-staff", Name: "X"}); r.status != http.StatusConflict || !strings.Contains(string(r.body), api.CodeUsernameTaken) {
		t.Errorf("a taken username: %d %s", r.status, r.body)
	}
	if r := e.do("POST", api.OrgUsersPath, manager, api.NewStaffRequest{Username: "Bob Smith", Name: "Bob"}); r.status != http.StatusBadRequest {
		t.Errorf("a username with a space: %d %s", r.status, r.body)
	}

	// List.
	var list api.OrgUsers
	decode(t, e.do("GET", api.OrgUsersPath, manager, nil).body, &list)
	var names []string
	for _, u := range list.Users {
		names = append(names, u.Username+":"+string(u.OrgRole))
	}
	if got := strings.Join(names, " "); got != "awa.field:staff coop:manager coop-staff:staff" {
		t.Errorf("list: %s", got)
	}

	// Disable: the sessions end at once, with the reason; logging in is refused.
	if r := e.do("POST", api.OrgUsersPath+"/awa.field/disable", manager, nil); r.status != http.StatusOK {
		t.Fatalf("disable: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/changes", staff.AccessToken, nil); r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), api.CodeAccountDisabled) {
		t.Errorf("a disabled account's token: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/auth/refresh", "", api.RefreshRequest{RefreshToken: staff.RefreshToken}); r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), api.CodeAccountDisabled) {
		t.Errorf("a disabled account's refresh: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/auth/login", "", api.LoginRequest{Username: "awa.field", Password: created.Password}); r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), api.CodeAccountDisabled) {
		t.Errorf("a disabled account's login: %d %s", r.status, r.body)
	}

	// Enable and reset: the new password works, the old one no longer.
	if r := e.do("POST", api.OrgUsersPath+"/awa.field/enable", manager, nil); r.status != http.StatusOK {
		t.Fatalf("enable: %d %s", r.status, r.body)
	}
	again := e.login("awa.field", created.Password)
	r = e.do("POST", api.OrgUsersPath+"/awa.field/password", manager, nil)
	if r.status != http.StatusOK {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	var reset api.OrgUser
	decode(t, r.body, &reset)
	if r := e.do("GET", "/changes", again.AccessToken, nil); r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), api.CodePasswordChanged) {
		t.Errorf("a session after a reset: %d %s", r.status, r.body)
	}
	e.login("awa.field", reset.Password)

	// A manager's account is not managed here, not even by itself.
	for _, path := range []string{"/coop/disable", "/coop/password"} {
		if r := e.do("POST", api.OrgUsersPath+path, manager, nil); r.status != http.StatusForbidden || !strings.Contains(string(r.body), api.CodeForbiddenRole) {
			t.Errorf("POST %s on a manager: %d %s", path, r.status, r.body)
		}
	}
}

func TestStaffAndOtherOrganisationsCannotManageAccounts(t *testing.T) {
	e := newEnv(t)
	staff, estate := e.token("coop-staff"), e.token("estate")
	for _, c := range []struct {
		method, path, token string
		status              int
		code                string
	}{
		{"GET", api.OrgUsersPath, staff, 403, api.CodeForbiddenRole},
		{"POST", api.OrgUsersPath + "/coop-staff/disable", staff, 403, api.CodeForbiddenRole},
		{"POST", api.OrgUsersPath + "/coop-staff/disable", estate, 404, api.CodeNotFound},
		{"POST", api.OrgUsersPath + "/coop-staff/password", estate, 404, api.CodeNotFound},
		{"POST", api.OrgUsersPath + "/analyst/disable", estate, 404, api.CodeNotFound},
	} {
		if r := e.do(c.method, c.path, c.token, nil); r.status != c.status || !strings.Contains(string(r.body), c.code) {
			t.Errorf("%s %s: %d %s, want %d %s", c.method, c.path, r.status, r.body, c.status, c.code)
		}
	}
	// estate's manager sees its own organisation only.
	var list api.OrgUsers
	decode(t, e.do("GET", api.OrgUsersPath, estate, nil).body, &list)
	if len(list.Users) != 1 || list.Users[0].Username != "estate" {
		t.Errorf("estate's list: %+v", list.Users)
	}
	// coop-staff still works.
	if r := e.do("GET", "/changes", staff, nil); r.status != 200 {
		t.Errorf("coop-staff after the refused calls: %d", r.status)
	}
}

func TestAssignmentIsTheManagersAndEveryReplicaPullsIt(t *testing.T) {
	e := newEnv(t)
	manager, staff, estate := e.token("coop"), e.token("coop-staff"), e.token("estate")
	res := e.push(manager, clientA,
		api.PushEntry{Seq: 1, Kind: api.KindNCAssign, NCID: ncOpen, Text: "coop-staff", Due: "2019-06-20"},
		api.PushEntry{Seq: 2, Kind: api.KindNCAssign, NCID: ncOpen2, Text: "estate"},
		api.PushEntry{Seq: 3, Kind: api.KindNCAssign, NCID: ncOpen2, Text: "coop-staff", Due: "20/06/2019"},
		api.PushEntry{Seq: 4, Kind: api.KindNCAssign, NCID: "NC-171520-2019", Text: "coop-staff"},
	)
	for i, want := range []struct{ status, code string }{
		{api.PushApplied, ""},
		{api.PushRejected, api.CodeAssigneeUnknown}, // another organisation's account
		{api.PushRejected, api.CodeBadEntry},        // not a date
		{api.PushRejected, api.CodeNCNotFound},      // another organisation's NC
	} {
		if res[i].Status != want.status || res[i].Code != want.code {
			t.Errorf("entry %d: got %s %s, want %s %s", i+1, res[i].Status, res[i].Code, want.status, want.code)
		}
	}
	if a := res[0].Assignment; a == nil || a.Assignee != "coop-staff" || a.AssigneeName != "Jean-Paul Essomba" || a.AssignedBy != "coop" || a.Due != "2019-06-20" {
		t.Errorf("the assignment: %+v", a)
	}
	// Staff cannot assign; the entry is refused alone.
	if r := e.push(staff, clientB, api.PushEntry{Seq: 1, Kind: api.KindNCAssign, NCID: ncOpen, Text: "coop-staff"}); r[0].Code != api.CodeForbiddenRole {
		t.Errorf("a staff's assignment: %+v", r[0])
	}
	// Every replica of coop pulls it; estate never sees it.
	found := func(token string) *api.Assignment {
		for _, c := range e.allChanges(token, 500) {
			if c.Entity == api.EntityAssignment && c.ID == ncOpen && c.Op == api.OpUpsert {
				var a api.Assignment
				decode(t, c.Data, &a)
				return &a
			}
		}
		return nil
	}
	if a := found(staff); a == nil || a.Assignee != "coop-staff" {
		t.Errorf("the staff's pull: %+v", a)
	}
	if a := found(estate); a != nil {
		t.Errorf("estate pulled coop's assignment: %+v", a)
	}
	// Unassigning leaves a tombstone.
	if r := e.push(manager, clientA, api.PushEntry{Seq: 5, Kind: api.KindNCAssign, NCID: ncOpen}); r[0].Status != api.PushApplied {
		t.Fatalf("unassign: %+v", r[0])
	}
	if a := found(staff); a != nil {
		t.Errorf("after unassigning: %+v", a)
	}
}
