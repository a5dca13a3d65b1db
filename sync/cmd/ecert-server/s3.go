package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3"
)

// s3Flags put the files, finished and in progress, on an S3-compatible store
// instead of the data folder (which keeps the database). Unused without --s3-bucket.
type s3Flags struct {
	cfg s3.Config
}

func addS3Flags(fs *flag.FlagSet) *s3Flags {
	f := &s3Flags{}
	fs.StringVar(&f.cfg.Bucket, "s3-bucket", "", "keep files in this S3 bucket (it must exist) instead of the data folder")
	fs.StringVar(&f.cfg.Endpoint, "s3-endpoint", "", "S3 endpoint URL, e.g. http://127.0.0.1:7070; empty = the provider's for --s3-region")
	fs.StringVar(&f.cfg.Region, "s3-region", "us-east-1", "S3 region")
	fs.StringVar(&f.cfg.Prefix, "s3-prefix", "", "prefix of every key the server writes, e.g. ecert/")
	fs.BoolVar(&f.cfg.PathStyle, "s3-path-style", false, "bucket in the URL path (most self-hosted S3 servers) rather than the host name")
	fs.StringVar(&f.cfg.AccessKey, "s3-access-key", "", "S3 access key; empty = $AWS_ACCESS_KEY_ID")
	fs.StringVar(&f.cfg.SecretKey, "s3-secret-key", "", "S3 secret key; empty = $AWS_SECRET_ACCESS_KEY (preferred: a flag shows in the process list)")
	return f
}

// apply sets cfg's blob store and upload store to the bucket, when one is given.
// dataDir holds a spool folder for bytes being hashed or sent in parts.
func (f *s3Flags) apply(ctx context.Context, cfg *server.Config, dataDir string) error {
	if f.cfg.Bucket == "" {
		return nil
	}
	c := f.cfg
	if c.AccessKey == "" {
		c.AccessKey = os.Getenv("AWS_ACCESS_KEY_ID")
	}
	if c.SecretKey == "" {
		c.SecretKey = os.Getenv("AWS_SECRET_ACCESS_KEY")
	}
	client, err := s3.NewClient(ctx, c)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dataDir, "s3-spool")
	if err := os.MkdirAll(tmp, 0o750); err != nil {
		return fmt.Errorf("create S3 spool folder: %w", err)
	}
	cfg.Blobs, cfg.UploadFiles = s3.NewStore(client, tmp), s3.NewUploads(client, tmp)
	return nil
}
