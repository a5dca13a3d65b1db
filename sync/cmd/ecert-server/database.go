package main

import (
	"context"
	"flag"
	"log/slog"

	"github.com/ecert-desktop/ecert-desktop/sync/server"
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

// offlineServer opens the data folder and the database of the flags and builds a server
// on them without serving it, for the sub-commands that write as the server does
// (generate, password). closeAll releases both.
func (f databaseFlags) offlineServer(ctx context.Context, dataDir string, log *slog.Logger) (srv *server.Server, db store.Store, closeAll func(), err error) {
	dir, err := datadir.Open(ctx, dataDir)
	if err != nil {
		return nil, nil, nil, err
	}
	db, closeDB, err := f.open(ctx, dir)
	if err != nil {
		dir.Close()
		return nil, nil, nil, err
	}
	closeAll = func() { closeDB(); dir.Close() }
	srv, err = server.New(server.Config{Store: db, Blobs: dir.Blobs, UploadDir: dir.Uploads, Logger: log})
	if err != nil {
		closeAll()
		return nil, nil, nil, err
	}
	return srv, db, closeAll, nil
}
