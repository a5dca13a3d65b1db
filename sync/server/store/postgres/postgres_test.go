package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/postgres"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/postgres/pgtest"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := postgres.Open(context.Background(), pgtest.Database(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestNodesStartAtOnce: servers opening one new database together migrate it once;
// every one of them ends on the current schema, the first alone reports it created.
func TestNodesStartAtOnce(t *testing.T) {
	url := pgtest.Database(t)
	const nodes = 4
	stores := make([]*postgres.Store, nodes)
	errs := make([]error, nodes)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(context.Background(), url, 2) })
	}
	wg.Wait()
	created := 0
	for i, s := range stores {
		if errs[i] != nil {
			t.Fatalf("node %d: %v", i, errs[i])
		}
		defer s.Close()
		if s.Created() {
			created++
		}
	}
	if created != 1 {
		t.Errorf("%d of %d nodes report they created the schema, want 1", created, nodes)
	}
	// Each node works on the shared schema.
	if err := stores[0].CreateOrg(context.Background(), "100", "Org 100"); err != nil {
		t.Fatal(err)
	}
	if orgs, err := stores[nodes-1].Orgs(context.Background()); err != nil || len(orgs) != 1 {
		t.Errorf("Orgs on another node: got %+v, %v", orgs, err)
	}
}
