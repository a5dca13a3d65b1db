// Package lockfile gives one process at a time a data folder, and tells the next one
// whether the last holder let go in order (so that it can check the folder's database).
package lockfile
