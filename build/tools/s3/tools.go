//go:build tools

// Package s3 pins the S3-compatible server that the tests of the S3 blob store start
// (versitygw over a local folder); build it with `go build -o build/out/versitygw
// github.com/versity/versitygw/cmd/versitygw` from this folder.
package s3

import _ "github.com/versity/versitygw/cmd/versitygw"
