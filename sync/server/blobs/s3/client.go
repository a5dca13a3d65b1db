package s3

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Config says where the bucket is and how to sign in.
type Config struct {
	Endpoint  string // e.g. http://127.0.0.1:7070; "" means the provider's default for Region
	Region    string // "" means us-east-1, what most S3-compatible servers accept
	Bucket    string // required; it must exist
	AccessKey string // with SecretKey; both "" means anonymous requests
	SecretKey string
	PathStyle bool   // bucket in the path (most self-hosted servers) rather than the host name
	Prefix    string // prepended to every key, e.g. "ecert/"; "" means none
}

// Client is an S3 client for one bucket. Store and Uploads share one.
type Client struct {
	api    *s3.Client
	bucket string
	prefix string
}

// NewClient checks cfg and that the bucket answers.
func NewClient(ctx context.Context, cfg Config) (*Client, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("s3: a bucket is required")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	o := s3.Options{
		Region:       cfg.Region,
		UsePathStyle: cfg.PathStyle,
		HTTPClient:   &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
		// Checksums only when the operation needs one: not every S3-compatible server
		// understands the trailing checksums the SDK would otherwise add.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	if cfg.Endpoint != "" {
		o.BaseEndpoint = aws.String(strings.TrimRight(cfg.Endpoint, "/"))
	}
	if cfg.AccessKey != "" || cfg.SecretKey != "" {
		o.Credentials = credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")
	} else {
		o.Credentials = aws.AnonymousCredentials{}
	}
	c := &Client{api: s3.New(o), bucket: cfg.Bucket, prefix: cfg.Prefix}
	if _, err := c.api.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(c.bucket)}); err != nil {
		return nil, fmt.Errorf("s3: bucket %q: %w", c.bucket, err)
	}
	return c, nil
}

// key is the object key of name under the configured prefix.
func (c *Client) key(name string) *string { return aws.String(c.prefix + name) }
