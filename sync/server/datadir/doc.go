// Package datadir is the layout of a server's data folder with the embedded storage:
// the SQLite database, the blob folder and the folder of unfinished uploads. The
// command and the test server open it; other storage (PostgreSQL, S3) does without it.
package datadir
