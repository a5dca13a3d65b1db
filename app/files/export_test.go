package files

import "os"

// CountSyncs makes s count its file and folder syncs.
func CountSyncs(s *Store) (files, dirs *int) {
	files, dirs = new(int), new(int)
	s.syncFile = func(f *os.File) error { *files++; return f.Sync() }
	s.syncDir = func(d string) error { *dirs++; return syncDir(d) }
	return files, dirs
}
