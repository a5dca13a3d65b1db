package s3

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// object reads an object of known size from any offset: one ranged GET from the
// offset of the first Read after a Seek, streamed until the next Seek or Close.
type object struct {
	ctx  context.Context
	c    *Client
	key  *string
	size int64
	off  int64
	body io.ReadCloser // nil until a Read needs it
}

func (o *object) Read(p []byte) (int, error) {
	if o.off >= o.size {
		return 0, io.EOF
	}
	if o.body == nil {
		out, err := o.c.api.GetObject(o.ctx, &s3.GetObjectInput{Bucket: aws.String(o.c.bucket), Key: o.key,
			Range: aws.String(fmt.Sprintf("bytes=%d-", o.off))})
		if err != nil {
			return 0, fmt.Errorf("read blob: %w", err)
		}
		o.body = out.Body
	}
	n, err := o.body.Read(p)
	o.off += int64(n)
	if errors.Is(err, io.EOF) && o.off < o.size {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

func (o *object) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += o.off
	case io.SeekEnd:
		offset += o.size
	}
	if offset < 0 {
		return 0, errors.New("seek blob: negative offset")
	}
	if offset != o.off && o.body != nil {
		o.body.Close()
		o.body = nil
	}
	o.off = offset
	return offset, nil
}

func (o *object) Close() error {
	if o.body == nil {
		return nil
	}
	err := o.body.Close()
	o.body = nil
	return err
}
