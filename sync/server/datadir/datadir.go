package datadir

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/sqlite"
)

// DatabaseFile is the name of the SQLite file inside the folder.
const DatabaseFile = "ecert-server.db"

// Dir is an open data folder.
type Dir struct {
	Path    string
	Store   *sqlite.Store // DatabaseFile
	Blobs   *blobs.Folder // blobs/ab/abcdef…
	Uploads string        // uploads/: <id> and <id>.info of unfinished uploads
}

// Open opens (creating what is missing) the data folder at path and migrates its
// database. The caller must Close it.
func Open(ctx context.Context, path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	b, err := blobs.NewFolder(filepath.Join(path, "blobs"))
	if err != nil {
		return nil, err
	}
	st, err := sqlite.Open(ctx, filepath.Join(path, DatabaseFile))
	if err != nil {
		return nil, err
	}
	return &Dir{Path: path, Store: st, Blobs: b, Uploads: filepath.Join(path, "uploads")}, nil
}

// Close closes the database.
func (d *Dir) Close() error { return d.Store.Close() }
