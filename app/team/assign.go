package team

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/store/members"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Assignments returns every NC's responsible person and internal due date, as last
// synced or set on this computer; it needs no connection.
func (t *Team) Assignments() ([]api.Assignment, error) {
	out, err := t.cfg.Store().Portal.Assignments(t.cfg.Context)
	return out, t.cfg.Fail(err)
}

// Assign makes username responsible for the NC, with an internal due date (YYYY-MM-DD,
// or empty); an empty username removes the assignment. It works offline: the change is
// shown at once and goes to the server with the next sync. The person must be an
// active account of the organisation as last synced (assignee_unknown at once); the
// server checks again (a refusal shows in the outbox). The manager only
// (forbidden_role).
func (t *Team) Assign(ncID, username, due string) (*api.Assignment, error) {
	a, err := t.assign(t.cfg.Context, ncID, username, due)
	return a, t.cfg.Fail(err)
}

func (t *Team) assign(ctx context.Context, ncID, username, due string) (*api.Assignment, error) {
	me, err := t.manager(ctx)
	if err != nil {
		return nil, err
	}
	username, due = strings.TrimSpace(username), strings.TrimSpace(due)
	if due != "" {
		if _, err := time.Parse(time.DateOnly, due); err != nil || username == "" {
			return nil, coded.Error(api.CodeInvalidInput)
		}
	}
	if username != "" && !validUsername(username) && !legacyName(username) {
		return nil, coded.Error(api.CodeInvalidInput)
	}
	st := t.cfg.Store()
	if _, err := st.Portal.NC(ctx, ncID); err != nil {
		return nil, err // not_found
	}
	name := username // shown until the server's answer, which carries the person's name
	if username != "" {
		m, known, err := t.member(ctx, username)
		if err != nil {
			return nil, err
		}
		if known {
			name = m.Name
		}
	}
	var a *api.Assignment
	if username != "" {
		rev := int64(0)
		if all, err := st.Portal.Assignments(ctx); err == nil {
			if i := slices.IndexFunc(all, func(x api.Assignment) bool { return x.NCID == ncID }); i >= 0 {
				rev = all[i].Revision
			}
		}
		a = &api.Assignment{NCID: ncID, Assignee: username, AssigneeName: name, Due: api.Date(due),
			AssignedBy: me.Username, AssignedByName: me.Name, AssignedAt: t.cfg.Now().UTC(), Revision: rev}
		if username == me.Username && name == username {
			a.AssigneeName = me.Name
		}
	}
	if _, err := st.Work.QueueAssign(ctx, a, ncID, username, due, t.cfg.Now().UTC().Format(time.RFC3339)); err != nil {
		return nil, err
	}
	t.cfg.Kick()
	return a, nil
}

// Members returns the organisation's accounts as last synced, disabled ones included
// (an NC may still name one), by name: the assignee picker works offline.
func (t *Team) Members() ([]api.Member, error) {
	out, err := members.New(t.cfg.Store().DB(), nil).List(t.cfg.Context)
	return out, t.cfg.Fail(err)
}

// member returns the active account of username as the replica knows it. known is
// false when the replica never pulled the accounts (a server from before them): the
// server checks the assignee then. An unknown or disabled account is assignee_unknown,
// which names nobody else.
func (t *Team) member(ctx context.Context, username string) (m api.Member, known bool, err error) {
	ms := members.New(t.cfg.Store().DB(), nil)
	if known, err = ms.Known(ctx); err != nil || !known {
		return m, false, err
	}
	m, err = ms.Find(ctx, username)
	if errors.Is(err, members.ErrNotFound) || err == nil && m.Disabled {
		return m, true, coded.Error(api.CodeAssigneeUnknown)
	}
	return m, err == nil, err
}

// legacyName accepts the usernames of accounts made before the rule (the demo's "coop").
func legacyName(s string) bool {
	return len(s) <= 200 && !strings.ContainsAny(s, " \t\r\n/")
}

// Mine returns the ids of the NCs assigned to the logged-in user.
func (t *Team) Mine() ([]string, error) {
	ids, err := t.mine(t.cfg.Context)
	return ids, t.cfg.Fail(err)
}

func (t *Team) mine(ctx context.Context) ([]string, error) {
	me, ok := t.cfg.User(ctx)
	if !ok {
		return []string{}, nil
	}
	all, err := t.cfg.Store().Portal.Assignments(ctx)
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for _, a := range all {
		if a.Assignee == me.Username {
			ids = append(ids, a.NCID)
		}
	}
	return ids, nil
}

// DueSoon is what one person must finish by an internal due date within the coming week
// (overdue included), for the dashboard.
type DueSoon struct {
	Assignee string           `json:"assignee"`
	Name     string           `json:"name"`
	Items    []api.Assignment `json:"items"`
}

// DueThisWeek groups the assignments due within seven days (or overdue) by person.
func (t *Team) DueThisWeek() ([]DueSoon, error) {
	out, err := t.dueThisWeek(t.cfg.Context)
	return out, t.cfg.Fail(err)
}

func (t *Team) dueThisWeek(ctx context.Context) ([]DueSoon, error) {
	all, err := t.cfg.Store().Portal.Assignments(ctx)
	if err != nil {
		return nil, err
	}
	limit := api.Date(t.cfg.Now().AddDate(0, 0, 7).Format(time.DateOnly))
	out := []DueSoon{}
	for _, a := range all {
		if a.Due == "" || a.Due > limit {
			continue
		}
		i := slices.IndexFunc(out, func(d DueSoon) bool { return d.Assignee == a.Assignee })
		if i < 0 {
			out = append(out, DueSoon{Assignee: a.Assignee, Name: a.AssigneeName})
			i = len(out) - 1
		}
		out[i].Items = append(out[i].Items, a)
	}
	for _, d := range out {
		slices.SortFunc(d.Items, func(x, y api.Assignment) int { return strings.Compare(string(x.Due), string(y.Due)) })
	}
	slices.SortFunc(out, func(x, y DueSoon) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
}
