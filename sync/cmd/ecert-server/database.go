package main

import (
	"context"
	"flag"

	"github.com/ecert-desktop/ecert-desktop/sync/server/datadir"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/postgres"
)

// databaseFlags are --database and --database-max-conns: where the server keeps its
// data when not in the SQLite file of --data-dir.
type databaseFlags struct {
	url      *string
	maxConns *int
}

func addDatabaseFlags(fs *flag.FlagSet) databaseFlags {
	return databaseFlags{
		url: fs.String("database", "", "PostgreSQL database, as postgres://user:password@host:5432/name; "+
			"empty: the SQLite file in --data-dir"),
		maxConns: fs.Int("database-max-conns", postgres.DefaultMaxConns, "most connections this server opens to PostgreSQL"),
	}
}

// open returns the store the flags name and a function that closes it: PostgreSQL, or
// the data folder's SQLite store (which dir.Close closes).
func (f databaseFlags) open(ctx context.Context, dir *datadir.Dir) (store.Store, func(), error) {
	if *f.url == "" {
		return dir.Store, func() {}, nil
	}
	pg, err := postgres.Open(ctx, *f.url, int32(*f.maxConns))
	if err != nil {
		return nil, nil, err
	}
	return pg, func() { pg.Close() }, nil
}
