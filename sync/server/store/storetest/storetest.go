package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Open returns a new, empty store; the suite closes it.
type Open func(t *testing.T) store.Store

// Run runs the suite, each test on a store of its own.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		// Users and tokens.
		{"Users", testUsers},
		{"Tokens", testTokens},
		{"ConcurrentSpendOfOneRefreshToken", testConcurrentSpend},
		{"ChangePasswordEndsOtherSessions", testChangePassword},
		{"LoginFailures", testLoginFailures},
		{"LoginSlots", testLoginSlots},
		{"OrgRoles", testOrgRoles},
		{"DisableEndsSessions", testDisableEndsSessions},
		// Entities and the change log.
		{"Entities", testEntities},
		{"ChangeLog", testChangeLog},
		{"UpdateRollsBack", testUpdateRollsBack},
		{"PushRecordsAndEvents", testPushRecordsAndEvents},
		{"ConcurrentUpdatesLoseNothing", testConcurrentUpdates},
		{"CursorSeesEveryCommitOnce", testCursorUnderWriters},
		// Uploads, blobs and console sessions.
		{"Uploads", testUploads},
		{"OrgBlobs", testOrgBlobs},
		{"ConsoleSessions", testConsoleSessions},
		{"CrashReports", testCrashReports},
		{"ConcurrentCrashReportsKeepTheLimit", testConcurrentCrashReports},
		// The operator directory.
		{"Directory", testDirectory},
		// The organisations' trails.
		{"Trail", testTrail},
		{"ConcurrentReplicasLeaveOneTrail", testConcurrentTrail},
		// Calendar feeds.
		{"CalendarFeeds", testCalendarFeeds},
		{"ConcurrentFeedStampsKeepOneTime", testConcurrentFeedStamps},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.run(t, s)
		})
	}
}

var ctx = context.Background()

// base is a fixed instant: stores keep times at least to the microsecond.
var base = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// fixture creates organisation org with a client user named after it, and an analyst.
func fixture(t *testing.T, s store.Store, orgs ...string) {
	t.Helper()
	for _, org := range orgs {
		if err := s.CreateOrg(ctx, org, "Org "+org); err != nil {
			t.Fatalf("CreateOrg(%s): %v", org, err)
		}
		if err := s.CreateUser(ctx, store.UserRecord{Username: "user-" + org, Name: "User " + org, Role: api.RoleClient,
			OrgID: org, PasswordHash: "hash"}); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
	}
	if _, err := s.User(ctx, "analyst"); errors.Is(err, store.ErrNotFound) {
		if err := s.CreateUser(ctx, store.UserRecord{Username: "analyst", Name: "Analyst", Role: api.RoleAnalyst, PasswordHash: "hash"}); err != nil {
			t.Fatalf("CreateUser(analyst): %v", err)
		}
	}
}

// upsert is a visible upsert of v whose payload carries its revision as "rev".
func upsert(entity, id, parent string, v map[string]any) store.EntityWrite {
	return store.EntityWrite{Entity: entity, ID: id, Parent: parent, Visible: true,
		Encode: func(rev int64) (json.RawMessage, error) {
			m := map[string]any{"rev": rev}
			for k, x := range v {
				m[k] = x
			}
			return json.Marshal(m)
		}}
}

func field(t *testing.T, data json.RawMessage, key string) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	return m[key]
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("%s: got %v, want store.ErrNotFound", what, err)
	}
}

func testUsers(t *testing.T, s store.Store) {
	fixture(t, s, "100")
	u, err := s.User(ctx, "user-100")
	if err != nil {
		t.Fatal(err)
	}
	if u.OrgID != "100" || u.OrgName != "Org 100" || u.Role != api.RoleClient || u.PasswordHash != "hash" || u.Name != "User 100" {
		t.Errorf("User: got %+v", u)
	}
	_, err = s.User(ctx, "nobody")
	wantNotFound(t, "User(nobody)", err)
	if err := s.CreateUser(ctx, store.UserRecord{Username: "user-100", Role: api.RoleClient, OrgID: "100", PasswordHash: "other"}); err == nil {
		t.Error("CreateUser of a taken username succeeded")
	}
	if u, _ := s.User(ctx, "user-100"); u.PasswordHash != "hash" {
		t.Errorf("a refused CreateUser changed the user: %+v", u)
	}
	// CreateOrg is idempotent and renames.
	if err := s.CreateOrg(ctx, "100", "Renamed"); err != nil {
		t.Fatal(err)
	}
	orgs, err := s.Orgs(ctx)
	if err != nil || len(orgs) != 1 || orgs[0] != (store.OrgRecord{ID: "100", Name: "Renamed"}) {
		t.Errorf("Orgs: got %+v, %v", orgs, err)
	}
}

func testTokens(t *testing.T, s store.Store) {
	fixture(t, s, "100")
	put := func(hash, kind, family string, expires time.Time) {
		t.Helper()
		if err := s.PutToken(ctx, store.TokenRecord{Hash: hash, Kind: kind, Username: "user-100", ExpiresAt: expires, Family: family}); err != nil {
			t.Fatal(err)
		}
	}
	put("access-1", store.TokenAccess, "fam-1", base.Add(time.Hour))
	put("refresh-1", store.TokenRefresh, "fam-1", base.Add(24*time.Hour))
	put("access-2", store.TokenAccess, "fam-2", base.Add(time.Hour))

	got, err := s.Token(ctx, "access-1")
	if err != nil || got.Kind != store.TokenAccess || got.Username != "user-100" || got.Family != "fam-1" || !got.ExpiresAt.Equal(base.Add(time.Hour)) {
		t.Errorf("Token: got %+v, %v", got, err)
	}
	_, err = s.Token(ctx, "nothing")
	wantNotFound(t, "Token(unknown)", err)
	// TokenUser: the token as Token reads it and its user as User does, in one read.
	tu, uu, err := s.TokenUser(ctx, "access-1")
	wantUser, _ := s.User(ctx, "user-100")
	if err != nil || tu != got || uu != wantUser || uu.OrgID != "100" {
		t.Errorf("TokenUser: got %+v %+v, %v; want %+v %+v", tu, uu, err, got, wantUser)
	}
	_, _, err = s.TokenUser(ctx, "nothing")
	wantNotFound(t, "TokenUser(unknown)", err)

	// Spending: unknown and access tokens are not found and change nothing.
	_, err = s.SpendRefreshToken(ctx, "nothing", base)
	wantNotFound(t, "SpendRefreshToken(unknown)", err)
	_, err = s.SpendRefreshToken(ctx, "access-1", base)
	wantNotFound(t, "SpendRefreshToken(an access token)", err)
	if a, _ := s.Token(ctx, "access-1"); !a.ExpiresAt.Equal(base.Add(time.Hour)) {
		t.Errorf("a refused spend changed the family's access token: %+v", a)
	}

	// A spend marks the token spent and ends its family's access tokens at once.
	spentAt := base.Add(time.Minute)
	rec, err := s.SpendRefreshToken(ctx, "refresh-1", spentAt)
	if err != nil || rec.Family != "fam-1" || rec.Username != "user-100" {
		t.Fatalf("SpendRefreshToken: got %+v, %v", rec, err)
	}
	if r, _ := s.Token(ctx, "refresh-1"); !r.Spent.Equal(spentAt) {
		t.Errorf("spent token: Spent = %v, want %v", r.Spent, spentAt)
	}
	if a, _ := s.Token(ctx, "access-1"); a.ExpiresAt.After(spentAt) {
		t.Errorf("the family's access token still expires at %v after the spend at %v", a.ExpiresAt, spentAt)
	}
	if a, _ := s.Token(ctx, "access-2"); !a.ExpiresAt.Equal(base.Add(time.Hour)) {
		t.Errorf("another family's access token changed: %+v", a)
	}
	// Spent again: ErrTokenReused with the record, unchanged.
	again, err := s.SpendRefreshToken(ctx, "refresh-1", base.Add(2*time.Minute))
	if !errors.Is(err, store.ErrTokenReused) || again.Family != "fam-1" {
		t.Errorf("second spend: got %+v, %v; want the record and store.ErrTokenReused", again, err)
	}
	if r, _ := s.Token(ctx, "refresh-1"); !r.Spent.Equal(spentAt) {
		t.Errorf("a second spend changed Spent to %v", r.Spent)
	}

	// RevokeFamily deletes the family, idempotently, and nothing else.
	for range 2 {
		if err := s.RevokeFamily(ctx, "fam-1"); err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range []string{"access-1", "refresh-1"} {
		_, err := s.Token(ctx, h)
		wantNotFound(t, "Token after RevokeFamily", err)
	}
	if _, err := s.Token(ctx, "access-2"); err != nil {
		t.Errorf("RevokeFamily removed another family's token: %v", err)
	}

	// DeleteExpiredTokens drops what expired before t only.
	put("old", store.TokenAccess, "fam-3", base.Add(-time.Hour))
	if err := s.DeleteExpiredTokens(ctx, base); err != nil {
		t.Fatal(err)
	}
	_, err = s.Token(ctx, "old")
	wantNotFound(t, "Token of an expired token after DeleteExpiredTokens", err)
	if _, err := s.Token(ctx, "access-2"); err != nil {
		t.Errorf("DeleteExpiredTokens removed a live token: %v", err)
	}
}

// testConcurrentSpend: of many concurrent spends of one refresh token exactly one wins.
func testConcurrentSpend(t *testing.T, s store.Store) {
	fixture(t, s, "100")
	const rounds, spenders = 5, 8
	for round := range rounds {
		hash := "refresh-" + strconv.Itoa(round)
		if err := s.PutToken(ctx, store.TokenRecord{Hash: hash, Kind: store.TokenRefresh, Username: "user-100",
			ExpiresAt: base.Add(time.Hour), Family: "fam-" + strconv.Itoa(round)}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, spenders)
		for i := range spenders {
			wg.Go(func() {
				<-start
				_, errs[i] = s.SpendRefreshToken(ctx, hash, base.Add(time.Duration(i)*time.Second))
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, store.ErrTokenReused):
				t.Errorf("round %d: a losing spend got %v, want store.ErrTokenReused", round, err)
			}
		}
		if won != 1 {
			t.Errorf("round %d: %d of %d concurrent spends succeeded, want exactly 1", round, won, spenders)
		}
	}
}

func testEntities(t *testing.T, s store.Store) {
	fixture(t, s, "100", "200")
	w := func(org string, ws ...store.EntityWrite) {
		t.Helper()
		if err := s.Write(ctx, org, ws); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	w("100", upsert(api.EntityNC, "NC-1", "AO-1", map[string]any{"text": "first"}))
	w("100", upsert(api.EntityNC, "NC-1", "AO-1", map[string]any{"text": "second"}))
	rec, err := s.Entity(ctx, "100", api.EntityNC, "NC-1")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Revision != 2 || field(t, rec.Data, "rev") != 2.0 || field(t, rec.Data, "text") != "second" || !rec.Visible {
		t.Errorf("Entity after two writes: got revision %d, %s", rec.Revision, rec.Data)
	}
	// Organisations are apart.
	_, err = s.Entity(ctx, "200", api.EntityNC, "NC-1")
	wantNotFound(t, "Entity of another organisation", err)
	_, err = s.Entity(ctx, "100", api.EntityNC, "NC-2")
	wantNotFound(t, "Entity(unknown)", err)

	// Children in insertion order, All by id, invisible ones included.
	for _, id := range []string{"M-3", "M-1", "M-2"} {
		w("100", upsert(api.EntityMessage, id, "NC-1", map[string]any{}))
	}
	hidden := upsert(api.EntityMessage, "M-0", "NC-1", map[string]any{})
	hidden.Visible = false
	w("100", hidden)
	kids, err := s.Children(ctx, "100", api.EntityMessage, "NC-1")
	if err != nil || len(kids) != 4 {
		t.Fatalf("Children: got %d, %v", len(kids), err)
	}
	all, err := s.All(ctx, "100", api.EntityMessage)
	if err != nil || len(all) != 4 {
		t.Fatalf("All: got %d, %v", len(all), err)
	}
	if all[0].Visible {
		t.Error("All: M-0, written invisible, came back visible (or All is not by id)")
	}

	// A Write is all or nothing.
	bad := store.EntityWrite{Entity: api.EntityNC, ID: "NC-9", Visible: true,
		Encode: func(int64) (json.RawMessage, error) { return nil, errors.New("refused") }}
	if err := s.Write(ctx, "100", []store.EntityWrite{upsert(api.EntityNC, "NC-8", "", map[string]any{}), bad}); err == nil {
		t.Error("Write with a failing entity succeeded")
	}
	_, err = s.Entity(ctx, "100", api.EntityNC, "NC-8")
	wantNotFound(t, "the first entity of a failed Write", err)
	if err := s.Write(ctx, "nowhere", []store.EntityWrite{upsert(api.EntityNC, "NC-1", "", map[string]any{})}); err == nil {
		t.Error("Write to an unknown organisation succeeded")
	}

	// FileRef: how a visible entity refers to a file; not another organisation's.
	ref := api.FileRef{SHA256: sum("a"), Name: "a.pdf", Size: 3, MediaType: "application/pdf"}
	ev := upsert(api.EntityEvidence, "PM-1", "NC-1", map[string]any{})
	ev.Files = []api.FileRef{ref}
	w("100", ev)
	if got, err := s.FileRef(ctx, "100", ref.SHA256); err != nil || got != ref {
		t.Errorf("FileRef: got %+v, %v", got, err)
	}
	_, err = s.FileRef(ctx, "200", ref.SHA256)
	wantNotFound(t, "FileRef of another organisation's file", err)

	// Tx.FileRef answers the same inside a transaction, and sees the transaction's own
	// writes (evidence.link checks a file this way).
	doc := api.FileRef{SHA256: sum("doc"), Name: "contrat.pdf", Size: 9, MediaType: "application/pdf"}
	err = s.Update(ctx, "100", func(tx store.Tx) error {
		if got, err := tx.FileRef(ref.SHA256); err != nil || got != ref {
			t.Errorf("Tx.FileRef: got %+v, %v", got, err)
		}
		_, err := tx.FileRef(doc.SHA256)
		wantNotFound(t, "Tx.FileRef before the write", err)
		d := upsert(api.EntityDocument, "D-1", "", map[string]any{})
		d.Files = []api.FileRef{doc}
		if err := tx.Write(d); err != nil {
			return err
		}
		if got, err := tx.FileRef(doc.SHA256); err != nil || got != doc {
			t.Errorf("Tx.FileRef of the transaction's own write: got %+v, %v", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Update(ctx, "200", func(tx store.Tx) error {
		_, err := tx.FileRef(ref.SHA256)
		wantNotFound(t, "Tx.FileRef of another organisation's file", err)
		_, err = tx.FileRef(sum("nowhere"))
		wantNotFound(t, "Tx.FileRef of a file nobody has", err)
		return nil
	})
}

func testChangeLog(t *testing.T, s store.Store) {
	fixture(t, s, "100", "200")
	write := func(org string, ws ...store.EntityWrite) {
		t.Helper()
		if err := s.Write(ctx, org, ws); err != nil {
			t.Fatal(err)
		}
	}
	write("100", upsert(api.EntityAudit, "AO-1", "", map[string]any{}))
	write("100", upsert(api.EntityNC, "NC-1", "AO-1", map[string]any{"v": 1}))
	write("200", upsert(api.EntityNC, "NC-X", "", map[string]any{}))
	hidden := upsert(api.EntityNC, "NC-H", "AO-1", map[string]any{})
	hidden.Visible = false
	write("100", hidden)
	write("100", upsert(api.EntityNC, "NC-1", "AO-1", map[string]any{"v": 2})) // replaces its change
	ch, err := s.Changes(ctx, "100", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch) != 2 || ch[0].ID != "AO-1" || ch[1].ID != "NC-1" || ch[1].Op != api.OpUpsert || field(t, ch[1].Data, "v") != 2.0 {
		t.Fatalf("Changes: got %+v; want AO-1 then NC-1 (latest), no invisible NC, no other organisation's", ch)
	}
	if ch[0].Seq >= ch[1].Seq {
		t.Errorf("seq not increasing: %d, %d", ch[0].Seq, ch[1].Seq)
	}
	// Paging: after and limit.
	if page, _ := s.Changes(ctx, "100", ch[0].Seq, 100); len(page) != 1 || page[0].ID != "NC-1" {
		t.Errorf("Changes after the first: got %+v", page)
	}
	if page, _ := s.Changes(ctx, "100", 0, 1); len(page) != 1 || page[0].ID != "AO-1" {
		t.Errorf("Changes limit 1: got %+v", page)
	}
	// A delete of a seen entity is a tombstone; hiding one is too.
	last := ch[1].Seq
	write("100", store.EntityWrite{Entity: api.EntityNC, ID: "NC-1", Delete: true})
	hideAudit := upsert(api.EntityAudit, "AO-1", "", map[string]any{})
	hideAudit.Visible = false
	write("100", hideAudit)
	page, err := s.Changes(ctx, "100", last, 100)
	if err != nil || len(page) != 2 || page[0].Op != api.OpDelete || page[0].ID != "NC-1" || page[1].Op != api.OpDelete || page[1].ID != "AO-1" {
		t.Errorf("tombstones: got %+v, %v", page, err)
	}
	_, err = s.Entity(ctx, "100", api.EntityNC, "NC-1")
	wantNotFound(t, "Entity after its delete", err)
}

func testUpdateRollsBack(t *testing.T, s store.Store) {
	fixture(t, s, "100")
	refused := errors.New("refused by fn")
	err := s.Update(ctx, "100", func(tx store.Tx) error {
		if err := tx.Write(upsert(api.EntityNC, "NC-1", "", map[string]any{})); err != nil {
			return err
		}
		// fn sees its own writes.
		if _, err := tx.Entity(api.EntityNC, "NC-1"); err != nil {
			return fmt.Errorf("own write not visible in the transaction: %w", err)
		}
		if err := tx.RecordPush("client-1", 1, json.RawMessage(`{}`)); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Update: got %v, want fn's error", err)
	}
	_, err = s.Entity(ctx, "100", api.EntityNC, "NC-1")
	wantNotFound(t, "a write of a rolled-back Update", err)
	if ch, _ := s.Changes(ctx, "100", 0, 10); len(ch) != 0 {
		t.Errorf("a rolled-back Update left changes: %+v", ch)
	}
	err = s.Update(ctx, "100", func(tx store.Tx) error {
		last, err := tx.LastPushSeq("client-1")
		if err == nil && last != 0 {
			err = fmt.Errorf("LastPushSeq after a rollback: %d", last)
		}
		return err
	})
	if err != nil {
		t.Error(err)
	}
}

func testPushRecordsAndEvents(t *testing.T, s store.Store) {
	fixture(t, s, "100", "200")
	err := s.Update(ctx, "100", func(tx store.Tx) error {
		if last, err := tx.LastPushSeq("client-1"); err != nil || last != 0 {
			return fmt.Errorf("LastPushSeq of a new client: %d, %v", last, err)
		}
		if _, err := tx.PushResult("client-1", 1); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("PushResult of nothing: %v, want store.ErrNotFound", err)
		}
		for seq := int64(1); seq <= 3; seq++ {
			if err := tx.RecordPush("client-1", seq, json.RawMessage(`{"seq":`+strconv.FormatInt(seq, 10)+`}`)); err != nil {
				return err
			}
		}
		for i, nc := range []string{"NC-1", "NC-2", "NC-1"} {
			if err := tx.AddEvent(store.Event{NCID: nc, At: base.Add(time.Duration(i) * time.Minute), Username: "analyst",
				Name: "Analyst", Role: api.RoleAnalyst, Action: "action " + strconv.Itoa(i), Detail: "detail"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, "100", func(tx store.Tx) error {
		last, err := tx.LastPushSeq("client-1")
		if err != nil || last != 3 {
			return fmt.Errorf("LastPushSeq: %d, %v; want 3", last, err)
		}
		res, err := tx.PushResult("client-1", 2)
		if err != nil || string(res) != `{"seq":2}` {
			return fmt.Errorf("PushResult(2): %s, %v", res, err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	// Another organisation has its own clients.
	s.Update(ctx, "200", func(tx store.Tx) error {
		if last, _ := tx.LastPushSeq("client-1"); last != 0 {
			t.Errorf("LastPushSeq of another organisation's client: %d", last)
		}
		return nil
	})
	evs, err := s.Events(ctx, "100", "NC-1")
	if err != nil || len(evs) != 2 || evs[0].Action != "action 0" || evs[1].Action != "action 2" || evs[0].OrgID != "100" ||
		!evs[0].At.Equal(base) || evs[0].Role != api.RoleAnalyst {
		t.Errorf("Events(NC-1): got %+v, %v", evs, err)
	}
	if evs, _ := s.Events(ctx, "100", ""); len(evs) != 3 {
		t.Errorf("Events of the organisation: got %d, want 3", len(evs))
	}
	if evs, _ := s.Events(ctx, "200", ""); len(evs) != 0 {
		t.Errorf("Events of another organisation: got %d, want 0", len(evs))
	}
}

// testConcurrentUpdates: Updates of one organisation are serialised, so concurrent
// read-modify-writes of one entity lose no increment.
func testConcurrentUpdates(t *testing.T, s store.Store) {
	fixture(t, s, "100", "200")
	const writers, increments = 8, 15
	for _, org := range []string{"100", "200"} {
		if err := s.Write(ctx, org, []store.EntityWrite{upsert(api.EntityNC, "counter", "", map[string]any{"n": 0})}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers)
	for i := range 2 * writers {
		org := []string{"100", "200"}[i%2]
		wg.Go(func() {
			for range increments {
				err := s.Update(ctx, org, func(tx store.Tx) error {
					rec, err := tx.Entity(api.EntityNC, "counter")
					if err != nil {
						return err
					}
					var v struct{ N int }
					if err := json.Unmarshal(rec.Data, &v); err != nil {
						return err
					}
					return tx.Write(upsert(api.EntityNC, "counter", "", map[string]any{"n": v.N + 1}))
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Update: %v", err)
	}
	for _, org := range []string{"100", "200"} {
		rec, err := s.Entity(ctx, org, api.EntityNC, "counter")
		if err != nil {
			t.Fatal(err)
		}
		if n := field(t, rec.Data, "n"); n != float64(writers*increments) {
			t.Errorf("organisation %s: counter %v after %d increments: updates were lost", org, n, writers*increments)
		}
		if rec.Revision != int64(writers*increments+1) {
			t.Errorf("organisation %s: revision %d, want %d", org, rec.Revision, writers*increments+1)
		}
	}
}

// testCursorUnderWriters: a reader paging the change log by cursor while writers
// commit sees every change exactly once, in each writer's commit order.
func testCursorUnderWriters(t *testing.T, s store.Store) {
	fixture(t, s, "100")
	const writers, each = 4, 40
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("W%d-%03d", w, i)
				var err error
				if i%2 == 0 {
					err = s.Write(ctx, "100", []store.EntityWrite{upsert(api.EntityMessage, id, "", map[string]any{})})
				} else {
					err = s.Update(ctx, "100", func(tx store.Tx) error {
						return tx.Write(upsert(api.EntityMessage, id, "", map[string]any{}))
					})
				}
				if err != nil {
					t.Errorf("write %s: %v", id, err)
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(done)
	}()

	seen := map[string]int{}
	next := make([]int, writers) // the index each writer's next change must have
	var after int64
	read := func() int {
		page, err := s.Changes(ctx, "100", after, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			if c.Seq <= after {
				t.Fatalf("seq %d after cursor %d", c.Seq, after)
			}
			after = c.Seq
			seen[c.ID]++
			var w, i int
			fmt.Sscanf(c.ID, "W%d-%03d", &w, &i)
			if i != next[w] {
				t.Errorf("%s seen when W%d-%03d was due: a change was skipped or came out of order", c.ID, w, next[w])
			}
			next[w] = i + 1
		}
		return len(page)
	}
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		for read() > 0 {
		}
	}
	for read() > 0 { // what the last commits added
	}
	if len(seen) != writers*each {
		t.Errorf("the reader saw %d changes, want %d", len(seen), writers*each)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s seen %d times", id, n)
		}
	}
}

func testUploads(t *testing.T, s store.Store) {
	fixture(t, s, "100", "200")
	up := func(id, org, sha string, size int64, touched time.Time) store.UploadRecord {
		return store.UploadRecord{ID: id, OrgID: org, Username: "user-" + org, SHA256: sha, Name: id + ".pdf",
			MediaType: "application/pdf", Size: size, CreatedAt: base, TouchedAt: touched}
	}
	for _, u := range []store.UploadRecord{
		up("u1", "100", sum("a"), 10, base),
		up("u2", "100", sum("b"), 20, base.Add(time.Hour)),
		up("u3", "100", sum("a"), 30, base.Add(time.Hour)),
		up("u4", "200", sum("c"), 40, base),
	} {
		if err := s.CreateUpload(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateUpload(ctx, up("u1", "100", sum("z"), 1, base)); err == nil {
		t.Error("CreateUpload of a taken id succeeded")
	}
	got, err := s.Upload(ctx, "u2")
	if err != nil || got != up("u2", "100", sum("b"), 20, base.Add(time.Hour)) {
		t.Errorf("Upload: got %+v, %v", got, err)
	}
	_, err = s.Upload(ctx, "nothing")
	wantNotFound(t, "Upload(unknown)", err)

	if n, err := s.PendingUploadBytes(ctx, "100", sum("a")); err != nil || n != 20 {
		t.Errorf("PendingUploadBytes except a: got %d, %v; want 20", n, err)
	}
	if n, _ := s.PendingUploadBytes(ctx, "100", ""); n != 60 {
		t.Errorf("PendingUploadBytes: got %d, want 60", n)
	}
	if err := s.TouchUpload(ctx, "u1", base.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchUpload(ctx, "nothing", base); err != nil {
		t.Errorf("TouchUpload of an unknown id: %v", err)
	}
	stale, err := s.StaleUploads(ctx, base.Add(30*time.Minute))
	if err != nil || len(stale) != 1 || stale[0].ID != "u4" {
		t.Errorf("StaleUploads: got %+v, %v; want u4 only", stale, err)
	}
	for range 2 {
		if err := s.DeleteUpload(ctx, "u4"); err != nil {
			t.Errorf("DeleteUpload (idempotent): %v", err)
		}
	}
	_, err = s.Upload(ctx, "u4")
	wantNotFound(t, "Upload after DeleteUpload", err)
}

func testOrgBlobs(t *testing.T, s store.Store) {
	fixture(t, s, "100", "200")
	a := api.FileRef{SHA256: sum("a"), Name: "first.pdf", Size: 100, MediaType: "application/pdf"}
	b := api.FileRef{SHA256: sum("b"), Name: "b.png", Size: 50, MediaType: "image/png"}
	add := func(org string, ref api.FileRef) bool {
		t.Helper()
		var added bool
		err := s.Update(ctx, org, func(tx store.Tx) error {
			var err error
			added, err = tx.AddOrgBlob(ref, base)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return added
	}
	if !add("100", a) || !add("100", b) {
		t.Fatal("AddOrgBlob of new blobs reported false")
	}
	renamed := a
	renamed.Name = "second.pdf"
	if add("100", renamed) {
		t.Error("AddOrgBlob of a blob the organisation has reported true")
	}
	if got, err := s.OrgBlob(ctx, "100", a.SHA256); err != nil || got != a {
		t.Errorf("OrgBlob: got %+v, %v; want the first name kept", got, err)
	}
	_, err := s.OrgBlob(ctx, "200", a.SHA256)
	wantNotFound(t, "OrgBlob of another organisation's upload", err)
	if n, err := s.UsedBytes(ctx, "100"); err != nil || n != 150 {
		t.Errorf("UsedBytes: got %d, %v; want 150", n, err)
	}
	if n, _ := s.UsedBytes(ctx, "200"); n != 0 {
		t.Errorf("UsedBytes of another organisation: %d", n)
	}
	s.Update(ctx, "100", func(tx store.Tx) error {
		if n, err := tx.UsedBytes(); err != nil || n != 150 {
			t.Errorf("Tx.UsedBytes: got %d, %v", n, err)
		}
		if got, err := tx.OrgBlob(b.SHA256); err != nil || got != b {
			t.Errorf("Tx.OrgBlob: got %+v, %v", got, err)
		}
		return nil
	})
	missing, err := s.MissingBlobs(ctx, "100", []string{sum("c"), a.SHA256, sum("d"), b.SHA256})
	if err != nil || len(missing) != 2 || missing[0] != sum("c") || missing[1] != sum("d") {
		t.Errorf("MissingBlobs: got %v, %v; want c, d in order", missing, err)
	}
	if missing, _ := s.MissingBlobs(ctx, "200", []string{a.SHA256}); len(missing) != 1 {
		t.Errorf("MissingBlobs of another organisation: got %v; want a missing", missing)
	}
	// An uploaded blob is a FileRef of its organisation even before an entity refers to it.
	if got, err := s.FileRef(ctx, "100", b.SHA256); err != nil || got.SHA256 != b.SHA256 {
		t.Errorf("FileRef of an uploaded blob: got %+v, %v", got, err)
	}
}

func testConsoleSessions(t *testing.T, s store.Store) {
	fixture(t, s)
	cs := store.ConsoleSession{Hash: "session-1", Username: "analyst", CSRF: "csrf-1", ExpiresAt: base.Add(time.Hour)}
	if err := s.PutConsoleSession(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ConsoleSession(ctx, "session-1"); err != nil || got.Username != "analyst" || got.CSRF != "csrf-1" || !got.ExpiresAt.Equal(cs.ExpiresAt) {
		t.Errorf("ConsoleSession: got %+v, %v", got, err)
	}
	_, err := s.ConsoleSession(ctx, "nothing")
	wantNotFound(t, "ConsoleSession(unknown)", err)
	old := store.ConsoleSession{Hash: "session-0", Username: "analyst", CSRF: "c", ExpiresAt: base.Add(-time.Hour)}
	if err := s.PutConsoleSession(ctx, old); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteExpiredTokens(ctx, base); err != nil {
		t.Fatal(err)
	}
	_, err = s.ConsoleSession(ctx, "session-0")
	wantNotFound(t, "an expired session after DeleteExpiredTokens", err)
	for range 2 {
		if err := s.DeleteConsoleSession(ctx, "session-1"); err != nil {
			t.Errorf("DeleteConsoleSession (idempotent): %v", err)
		}
	}
	_, err = s.ConsoleSession(ctx, "session-1")
	wantNotFound(t, "ConsoleSession after its delete", err)
}

func testChangePassword(t *testing.T, s store.Store) {
	fixture(t, s, "100", "200")
	for _, tk := range []store.TokenRecord{
		{Hash: "a-kept", Kind: store.TokenAccess, Family: "kept"},
		{Hash: "r-kept", Kind: store.TokenRefresh, Family: "kept"},
		{Hash: "a-other", Kind: store.TokenAccess, Family: "other"},
		{Hash: "r-other", Kind: store.TokenRefresh, Family: "other"},
	} {
		tk.Username, tk.ExpiresAt = "user-100", base.Add(time.Hour)
		if err := s.PutToken(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutToken(ctx, store.TokenRecord{Hash: "a-200", Kind: store.TokenAccess, Username: "user-200", Family: "f200", ExpiresAt: base.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, cs := range []store.ConsoleSession{
		{Hash: "cs-kept", Username: "analyst", CSRF: "c", ExpiresAt: base.Add(time.Hour)},
		{Hash: "cs-other", Username: "analyst", CSRF: "c", ExpiresAt: base.Add(time.Hour)},
	} {
		if err := s.PutConsoleSession(ctx, cs); err != nil {
			t.Fatal(err)
		}
	}

	// An unknown user: ErrNotFound, nothing changes.
	wantNotFound(t, "ChangePassword(nobody)", s.ChangePassword(ctx, "nobody", "new", "", ""))

	if err := s.ChangePassword(ctx, "user-100", "new-hash", "kept", ""); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.User(ctx, "user-100"); u.PasswordHash != "new-hash" {
		t.Errorf("password hash: got %q, want new-hash", u.PasswordHash)
	}
	// The caller's family works; the other is kept, marked, and cannot be refreshed.
	for hash, want := range map[string]string{"a-kept": "", "r-kept": "", "a-other": store.RevokedPasswordChanged,
		"r-other": store.RevokedPasswordChanged, "a-200": ""} {
		got, err := s.Token(ctx, hash)
		if err != nil || got.Revoked != want {
			t.Errorf("Token(%s): got revoked %q, %v; want %q", hash, got.Revoked, err, want)
		}
	}
	if _, err := s.SpendRefreshToken(ctx, "r-other", base); !errors.Is(err, store.ErrTokenRevoked) {
		t.Errorf("SpendRefreshToken of a revoked token: got %v, want store.ErrTokenRevoked", err)
	}
	if r, _ := s.Token(ctx, "r-other"); !r.Spent.IsZero() {
		t.Errorf("a refused spend spent the revoked token: %+v", r)
	}
	if _, err := s.SpendRefreshToken(ctx, "r-kept", base); err != nil {
		t.Errorf("SpendRefreshToken of the kept family: %v", err)
	}

	// A console user keeps the console session named, loses the others.
	if err := s.ChangePassword(ctx, "analyst", "h2", "", "cs-kept"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ConsoleSession(ctx, "cs-kept"); err != nil {
		t.Errorf("kept console session: %v", err)
	}
	_, err := s.ConsoleSession(ctx, "cs-other")
	wantNotFound(t, "another console session after ChangePassword", err)
}

// sum is a SHA-256-shaped name made of c.
func sum(c string) string {
	out := ""
	for len(out) < 64 {
		out += fmt.Sprintf("%x", c[0])
	}
	return out[:64]
}
