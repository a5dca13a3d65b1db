// Package s3test starts a real S3-compatible server for tests: versitygw over a
// temporary folder on a loopback port, built from the pinned module in build/tools/s3.
package s3test
