package store_test

import (
	"context"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// largePages returns the change pages of the first sync of the large organisation
// (5,000 NCs, 20,000 messages, 2,000 evidence records), as the engine asks for them.
func largePages(b *testing.B) []api.ChangesPage {
	b.Helper()
	ctx := context.Background()
	srv := servertest.Start(b)
	if err := srv.GenerateLarge(ctx, demo.GenerateOptions{Audits: 50, NCs: 5000, Messages: 20000, Evidence: 2000}); err != nil {
		b.Fatal(err)
	}
	c, err := client.New(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Login(ctx, "large", "large"); err != nil {
		b.Fatal(err)
	}
	var pages []api.ChangesPage
	cursor := ""
	for {
		p, err := c.Changes(ctx, cursor, 10000)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, p)
		if !p.More {
			return pages
		}
		cursor = p.Cursor
	}
}

// BenchmarkApplyFirstSync applies the first sync's pages into an empty replica: the
// replica's share of `ecert-desktop sync` (the network's is curl's, bench-cli.sh).
func BenchmarkApplyFirstSync(b *testing.B) {
	pages := largePages(b)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		s, err := store.Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, p := range pages {
			if err := s.ApplyPage(ctx, p, "2026-12-04T10:00:00Z"); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkEngineFirstSync is the first sync of the large organisation into an empty
// replica through the engine and the client, as `ecert-desktop sync` runs it in process
// (without the process's start and the file downloads' share of the time).
func BenchmarkEngineFirstSync(b *testing.B) {
	ctx := context.Background()
	srv := servertest.Start(b)
	if err := srv.GenerateLarge(ctx, demo.GenerateOptions{Audits: 50, NCs: 5000, Messages: 20000, Evidence: 2000}); err != nil {
		b.Fatal(err)
	}
	c, err := client.New(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Login(ctx, "large", "large"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		s, err := store.Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		e := engine.New(s, c, engine.Options{})
		e.SetPaused(false)
		b.StartTimer()
		if err := e.Sync(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkMissingFilesIdle is the look for files to download at the start of a sync of
// the large organisation with every file cached: what an idle sync pays.
func BenchmarkMissingFilesIdle(b *testing.B) {
	pages := largePages(b)
	ctx := context.Background()
	s, err := store.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, p := range pages {
		if err := s.ApplyPage(ctx, p, "2026-12-04T10:00:00Z"); err != nil {
			b.Fatal(err)
		}
	}
	missing, err := s.MissingFiles(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range missing {
		if err := store.MarkCached(ctx, s, f.SHA256); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		if missing, err := s.MissingFiles(ctx); err != nil || len(missing) != 0 {
			b.Fatalf("got %d missing files, %v; want none", len(missing), err)
		}
	}
}
