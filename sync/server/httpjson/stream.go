package httpjson

import (
	"compress/gzip"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
)

// Stream is a JSON answer sent while it is written, for answers whose making takes
// long enough to matter (a change page: thousands of rows read, encoded and gzipped).
// The first bytes leave once GzipMinBytes are written, so the transfer overlaps the
// rest of the work. What is written is queued in memory and sent by a goroutine of its
// own: the writer, reading a database, never waits on a slow link.
//
// An answer that ends below GzipMinBytes goes out whole, as Write sends it. An answer
// that fails once sent is cut (Abort): the client sees a broken connection, never an
// answer that looks whole.
type Stream struct {
	// ContentType is the answer's, application/json unless set before the first Write.
	ContentType string

	w    http.ResponseWriter
	r    *http.Request
	head []byte // what is written before the answer starts
	zw   *gzip.Writer
	q    *sendQueue
}

// NewStream starts a 200 answer of JSON to r; nothing is sent before GzipMinBytes
// are written or Close.
func NewStream(w http.ResponseWriter, r *http.Request) *Stream {
	return &Stream{ContentType: "application/json", w: w, r: r}
}

// Started reports whether the answer's status and first bytes are gone: after that an
// error can only Abort it.
func (s *Stream) Started() bool { return s.q != nil }

// Write adds JSON text to the answer. An error (ErrNotSent) means the client is gone.
func (s *Stream) Write(p []byte) (int, error) {
	if s.q == nil {
		s.head = append(s.head, p...)
		if len(s.head) < GzipMinBytes {
			return len(p), nil
		}
		s.start()
		return len(p), nil
	}
	if s.zw != nil {
		return s.zw.Write(p)
	}
	return s.q.Write(p)
}

// Flush sends what was written so far, once the answer has started: gzip holds up to
// 64 KB of text before it writes, a few bytes more for a part of the answer that
// should leave now.
func (s *Stream) Flush() error {
	if s.zw != nil {
		return s.zw.Flush()
	}
	return nil
}

// WaitSent waits until less than n bytes written are still to be sent (gzipped:
// those the compressor has let out), or the client is gone (ErrNotSent).
func (s *Stream) WaitSent(n int) error {
	if s.q == nil {
		return nil
	}
	return s.q.waitBelow(n)
}

// start sends the status and the headers, and hands what was written to the sender.
func (s *Stream) start() {
	h := s.w.Header()
	h.Set("Content-Type", s.ContentType)
	h.Add("Vary", "Accept-Encoding")
	if acceptsGzip(s.r) {
		h.Set("Content-Encoding", "gzip")
	}
	s.w.WriteHeader(http.StatusOK)
	s.q = newSendQueue(s.w)
	if h.Get("Content-Encoding") == "gzip" {
		s.zw, _ = gzip.NewWriterLevel(s.q, gzip.BestSpeed)
		s.zw.Write(s.head)
	} else {
		s.q.Write(s.head)
	}
	s.head = nil
}

// Close ends the answer and waits until it is sent. An error (ErrNotSent) means the
// client did not get all of it.
func (s *Stream) Close() error {
	if s.q == nil {
		body := s.head
		s.w.Header().Set("Content-Type", s.ContentType)
		s.w.Header().Add("Vary", "Accept-Encoding")
		s.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		s.w.WriteHeader(http.StatusOK)
		_, err := s.w.Write(body)
		return err
	}
	if s.zw != nil {
		s.zw.Close() // its trailer: the checksum that tells the client it has it all
	}
	return s.q.finish(false)
}

// Abort cuts an answer already started: what was queued is dropped, and the
// connection is closed without ending the answer (a panic that net/http expects), so
// the client cannot take a part of it for the whole. Call it from the handler's
// goroutine.
func (s *Stream) Abort() {
	if s.q != nil {
		s.q.finish(true)
	}
	panic(http.ErrAbortHandler)
}

// sendQueue holds what is written until its goroutine sends it, flushing each time.
type sendQueue struct {
	mu      sync.Mutex
	ready   *sync.Cond
	pending []byte
	sending int   // bytes taken by the sender, not yet written
	closed  bool  // nothing more will be written
	cut     bool  // stop at once, dropping what is pending
	err     error // of sending: the client is gone
	done    chan struct{}
}

func newSendQueue(w http.ResponseWriter) *sendQueue {
	q := &sendQueue{done: make(chan struct{})}
	q.ready = sync.NewCond(&q.mu)
	go q.send(w)
	return q
}

var errCut = errors.New("httpjson: answer cut")

// ErrNotSent wraps the error of sending a Stream: the client is gone.
var ErrNotSent = errors.New("answer not sent")

func (q *sendQueue) Write(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return 0, q.err
	}
	q.pending = append(q.pending, p...)
	q.ready.Broadcast()
	return len(p), nil
}

func (q *sendQueue) waitBelow(n int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.err == nil && len(q.pending)+q.sending >= n {
		q.ready.Wait()
	}
	return q.err
}

// finish says nothing more comes (cut: drop what is pending) and waits for the sender.
func (q *sendQueue) finish(cut bool) error {
	q.mu.Lock()
	q.closed, q.cut = true, cut
	q.ready.Broadcast()
	q.mu.Unlock()
	<-q.done
	if q.err == errCut {
		return nil
	}
	return q.err
}

func (q *sendQueue) send(w http.ResponseWriter) {
	defer close(q.done)
	rc := http.NewResponseController(w)
	var spare []byte
	for {
		q.mu.Lock()
		for len(q.pending) == 0 && !q.closed {
			q.ready.Wait()
		}
		if q.cut {
			q.err = errCut
			q.mu.Unlock()
			return
		}
		buf, last := q.pending, q.closed
		q.pending = spare[:0]
		q.sending = len(buf)
		q.mu.Unlock()
		if len(buf) > 0 {
			_, err := w.Write(buf)
			if err == nil {
				if err = rc.Flush(); errors.Is(err, http.ErrNotSupported) {
					err = nil // sent when net/http's buffer fills
				}
			}
			if err != nil {
				q.mu.Lock()
				q.err = fmt.Errorf("%w: %w", ErrNotSent, err)
				q.sending = 0
				q.ready.Broadcast()
				q.mu.Unlock()
				return
			}
		}
		q.mu.Lock()
		q.sending = 0
		q.ready.Broadcast() // to WaitSent
		q.mu.Unlock()
		spare = buf
		if last {
			return
		}
	}
}
