// Package evidence keeps the evidence files ("preuves matérielles") of the app: their
// import into the data folder's content store (app/files, which does every write),
// downscaled copies and thumbnails of photos, and the watched inbox folder where the
// user drops files for an NC.
package evidence
