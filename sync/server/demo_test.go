package server_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/datadir"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// TestDemoData checks the items of the portal manual that the demo reproduces.
func TestDemoData(t *testing.T) {
	e := newEnv(t)
	tok := e.token("coop")
	ncs := map[string]api.NC{}
	var evidence []api.Evidence
	counts := map[string]int{}
	for _, c := range e.allChanges(tok, 2000) {
		counts[c.Entity]++
		switch c.Entity {
		case api.EntityNC:
			var nc api.NC
			decode(t, c.Data, &nc)
			ncs[nc.ID] = nc
		case api.EntityEvidence:
			var ev api.Evidence
			decode(t, c.Data, &ev)
			evidence = append(evidence, ev)
		}
	}
	cases := []struct {
		id, audit, criterion, stage, received, due string
	}{
		// Told from servertest.DemoToday, 20/05/2019: AO-38369 is of 2019, AO-28681 of 2018.
		{"NC-167140-2019", "AO-38369", "2.2.0.03", api.StageCARequested, "2019-04-20", "2019-06-08"},
		{"NC-150424-2019", "AO-38369", "0.1.1.01", api.StageEvidenceRequested, "2019-04-20", "2019-05-20"},
		{"NC-174410-2018", "AO-28681", "0.3.0.02", api.StageCARequested, "2018-11-16", "2019-06-29"},
		{"NC-173086-2018", "AO-28681", "1.1.0.02", api.StageCARequested, "2018-11-16", "2019-05-14"},
	}
	for _, tc := range cases {
		nc, ok := ncs[tc.id]
		if !ok {
			t.Errorf("%s missing", tc.id)
			continue
		}
		if nc.AuditID != tc.audit || nc.CriterionNumber != tc.criterion || nc.Stage != tc.stage ||
			string(nc.ReceivedDate) != tc.received || string(nc.DueDate) != tc.due || nc.CriterionText == "" {
			t.Errorf("%s: got %+v", tc.id, nc)
		}
	}
	if nc := ncs["NC-150424-2019"]; nc.CAStatus != api.StatusAccepted || nc.CA == nil || nc.EvidenceStatus != api.StatusRequested ||
		nc.EvidenceDueDate != "2019-06-22" {
		t.Errorf("NC-150424-2019 CA: %+v", nc)
	}
	closed := 0
	for _, nc := range ncs {
		if nc.Stage == api.StageClosed {
			closed++
		}
	}
	if closed == 0 {
		t.Error("no closed NC for history")
	}
	names := map[string]bool{}
	for _, ev := range evidence {
		names[ev.File.Name] = ev.Date == "2019-04-29" && ev.NCID == "NC-150424-2019"
	}
	if !names["image.png"] || !names["Audits 10-12 October 2018.xlsx"] {
		t.Errorf("evidence: %+v", evidence)
	}
	if counts[api.EntityCriterion] < 15 || counts[api.EntityContact] < 3 || counts[api.EntityMessage] != 3 ||
		counts[api.EntityCertificate] != 1 || counts[api.EntityDocument] != 1 || counts[api.EntityAudit] != 2 {
		t.Errorf("counts: %v", counts)
	}
	var msgs []api.Message
	decode(t, e.do("GET", "/ncs/NC-167140-2019/messages", tok, nil).body, &msgs)
	if len(msgs) != 3 || msgs[0].AuthorRole != api.RoleAnalyst || msgs[1].AuthorRole != api.RoleClient {
		t.Errorf("thread: %+v", msgs)
	}
	c := certificate(t, e, tok)
	if c.Description != "CERT Certificate web en" || c.Year != 2018 || c.ValidUntil != "2021-06-22" || c.Number != "FLO-3542-2018" {
		t.Errorf("certificate: %+v", c)
	}

	// Seeding again is a no-op.
	if seeded, err := e.srv.SeedDemo(context.Background()); err != nil || seeded {
		t.Errorf("second seed: seeded=%v err=%v", seeded, err)
	}
	if id, err := e.srv.OrgIDForUser(context.Background(), "estate"); err != nil || id != demo.OrgEstate {
		t.Errorf("OrgIDForUser(estate) = %q, %v", id, err)
	}
}

// TestDemoIsCurrentWhateverTheDay seeds the demo on several days and checks that it
// always tells a current story: a recent audit, a valid certificate, deadlines in the
// coming weeks with exactly one overdue, and history in the past.
func TestDemoIsCurrentWhateverTheDay(t *testing.T) {
	saved := servertest.DemoToday
	t.Cleanup(func() { servertest.DemoToday = saved })
	for _, today := range []time.Time{
		time.Date(2019, 5, 20, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC),
		time.Date(2032, 2, 29, 0, 0, 0, 0, time.UTC), // a leap day
	} {
		servertest.DemoToday = today
		srv := servertest.Start(t)
		day := func(n int) api.Date { return api.Date(today.AddDate(0, 0, n).Format(time.DateOnly)) }
		st, err := srv.Workflow().State(context.Background(), demo.OrgCoop)
		if err != nil {
			t.Fatal(err)
		}
		T := day(0)
		var cert api.Certification
		var certificate api.Certificate
		audits := map[string]api.Audit{}
		var ncs []api.NC
		var msgs []api.Message
		for key, raw := range st {
			entity, _, _ := strings.Cut(key, "/")
			switch entity {
			case api.EntityCertification:
				decode(t, []byte(raw), &cert)
			case api.EntityCertificate:
				decode(t, []byte(raw), &certificate)
			case api.EntityAudit:
				var a api.Audit
				decode(t, []byte(raw), &a)
				audits[a.ID] = a
			case api.EntityNC:
				var nc api.NC
				decode(t, []byte(raw), &nc)
				ncs = append(ncs, nc)
			case api.EntityMessage:
				var m api.Message
				decode(t, []byte(raw), &m)
				msgs = append(msgs, m)
			}
		}
		if a := audits["AO-38369"]; a.Date >= T || a.Date < day(-90) {
			t.Errorf("%s: latest audit on %s, want in the last three months", T, a.Date)
		}
		if certificate.ValidUntil <= T || cert.CycleStart > T || cert.CycleEnd <= T || cert.NextAuditDue <= T || cert.LastAudit > T {
			t.Errorf("%s: not currently certified: %+v, certificate valid until %s", T, cert, certificate.ValidUntil)
		}
		// As on the portal, an NC's id ends with its audit's year (the audits of one
		// story may fall in two years).
		for _, nc := range ncs {
			a, ok := audits[nc.AuditID]
			if !ok || !strings.HasSuffix(nc.ID, "-"+string(a.Date)[:4]) {
				t.Errorf("%s: NC %s of audit %s (%s): its id does not end with the audit's year", T, nc.ID, nc.AuditID, a.Date)
			}
		}
		overdue, soon, history := 0, 0, 0
		for _, nc := range ncs {
			due := nc.StepDueDate()
			switch {
			case nc.Stage == api.StageClosed && nc.CA != nil && nc.CA.DecidedAt.Before(today.AddDate(0, 0, -90)):
				history++
			case due == "":
			case due < T:
				overdue++
			case due <= day(60):
				soon++
			default:
				t.Errorf("%s: %s due %s, beyond the coming weeks", T, nc.ID, due)
			}
		}
		if overdue != 1 || soon < 3 || history == 0 {
			t.Errorf("%s: %d overdue (want 1), %d due in the coming weeks, %d closed months ago", T, overdue, soon, history)
		}
		for _, m := range msgs {
			if !m.SentAt.Before(today) {
				t.Errorf("%s: message %s sent %s, in the future", T, m.ID, m.SentAt)
			}
		}
	}
}

func TestGenerateLarge(t *testing.T) {
	e := newEnv(t)
	opts := demo.GenerateOptions{Audits: 50, NCs: 5000, Messages: 20000, Evidence: 2000}
	start := time.Now()
	if err := e.srv.GenerateLarge(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("generation took %s", d)
	}
	counts := map[string]int{}
	for _, c := range e.allChanges(e.token("large"), 2000) {
		counts[c.Entity]++
	}
	want := map[string]int{api.EntityOrganisation: 1, api.EntityAudit: 50, api.EntityNC: 5000, api.EntityMessage: 20000, api.EntityEvidence: 2000}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: got %d, want %d", k, counts[k], n)
		}
	}
	if err := e.srv.GenerateLarge(context.Background(), opts); err == nil {
		t.Error("generating the same organisation twice succeeded")
	}
}

func TestMigrationsReopen(t *testing.T) {
	dir := t.TempDir()
	versions := func() int {
		db, err := sql.Open("sqlite3", filepath.Join(dir, datadir.DatabaseFile))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	s := servertest.StartIn(t, dir, nil)
	s.Close()
	first := versions()
	if first == 0 {
		t.Fatal("no migration recorded")
	}
	s = servertest.StartIn(t, dir, nil)
	if got := versions(); got != first {
		t.Errorf("migrations: %d after reopen, want %d", got, first)
	}
	if id, err := s.OrgIDForUser(context.Background(), "coop"); err != nil || id != demo.OrgCoop {
		t.Errorf("data lost on reopen: %q %v", id, err)
	}
}
