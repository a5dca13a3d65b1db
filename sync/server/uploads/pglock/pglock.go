package pglock

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	tusd "github.com/tus/tusd/v2/pkg/handler"

	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
)

var _ tusd.Locker = (*Locker)(nil)

// Timings of a wait; package variables so that tests may shrink them.
var (
	// PollEvery is how often a waiting lock tries again: the holder's node releases
	// through its own connection, which tells nobody.
	PollEvery = 50 * time.Millisecond
	// RenotifyEvery is how often a waiting lock asks the holder again to release: a
	// holder that took the lock just after the first request, or whose listening
	// connection was being re-made, hears the next one.
	RenotifyEvery = time.Second
	// relisten is the pause before the listening connection is made again.
	relisten = time.Second
)

// DefaultMaxConns bounds the locker's own connections: one per lock held or awaited.
// tusd holds a lock for the length of a PATCH, so this bounds the uploads a node
// receives at once; a lock beyond waits for a connection within tusd's lock timeout.
const DefaultMaxConns = 32

// channel is the NOTIFY channel on which a waiting node asks a holder to release:
// the payload is the upload id.
const channel = "ecert_tus_unlock"

// keyClass keeps the locker's keys apart from other advisory locks on the database
// (the store's migration lock): a key is this class's high half and a hash of the id.
const keyClass uint64 = 0x7475_7300 << 32 // "tus"

// Locker locks uploads by id across every process connected to one database. A lock
// is a session advisory lock held on a connection of its own, so it is freed by
// PostgreSQL when its holder's connection or process dies, and by Unlock otherwise.
// Safe for concurrent use; Close it after the last lock is released.
type Locker struct {
	pool *pgxpool.Pool
	log  *slog.Logger

	mu   sync.Mutex
	held map[string]*lock // the locks this process holds, by id

	stop context.CancelFunc
	done chan struct{}
}

// New connects to the database at url with at most maxConns connections
// (DefaultMaxConns when 0 or less) for locks, plus one that listens for requests to
// release. A nil log discards messages.
func New(ctx context.Context, url string, maxConns int32, log *slog.Logger) (*Locker, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("lock database address: %w", err)
	}
	if maxConns <= 0 {
		maxConns = DefaultMaxConns
	}
	cfg.MaxConns, cfg.MinConns = maxConns, 0
	cfg.MaxConnIdleTime = time.Minute
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open lock database: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Locker{pool: pool, log: log, held: map[string]*lock{}, done: make(chan struct{})}
	// The first listening connection is made now, so that a bad address fails here.
	conn, err := l.listenConn(ctx)
	if err != nil {
		pool.Close()
		return nil, err
	}
	lctx, stop := context.WithCancel(context.Background())
	l.stop = stop
	go l.listen(lctx, conn)
	return l, nil
}

// UseIn makes the locker the one of a tusd store composer.
func (l *Locker) UseIn(c *tusd.StoreComposer) { c.UseLocker(l) }

// Close stops listening and closes the connections; locks still held are released by
// PostgreSQL as their connections close (their Unlock does nothing more).
func (l *Locker) Close() error {
	l.stop()
	<-l.done
	l.mu.Lock()
	for id, k := range l.held {
		k.conn.Conn().Close(context.Background())
		k.conn.Release()
		k.conn = nil
		delete(l.held, id)
	}
	l.mu.Unlock()
	l.pool.Close()
	return nil
}

// NewLock returns an unlocked lock of upload id. It does not touch the database.
func (l *Locker) NewLock(id string) (tusd.Lock, error) {
	sum := sha256.Sum256([]byte(id))
	key := int64(keyClass | uint64(binary.BigEndian.Uint32(sum[:4])))
	return &lock{l: l, id: id, key: key}, nil
}

func (l *Locker) listenConn(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, l.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("lock listener: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("lock listener: %w", err)
	}
	return conn, nil
}

// listen passes each request to release to the holder in this process, if any, until
// ctx ends; a lost connection is made again.
func (l *Locker) listen(ctx context.Context, conn *pgx.Conn) {
	defer close(l.done)
	for {
		for conn != nil {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				conn.Close(context.WithoutCancel(ctx))
				conn = nil
				break
			}
			var requestUnlock func()
			l.mu.Lock()
			if k := l.held[n.Payload]; k != nil {
				requestUnlock = k.requestUnlock
			}
			l.mu.Unlock()
			if requestUnlock != nil {
				requestUnlock()
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(relisten):
		}
		var err error
		if conn, err = l.listenConn(ctx); err != nil && ctx.Err() == nil {
			l.log.Warn("listen for upload lock requests", logkey.Error, err)
		}
	}
}

// lock is one upload's lock; conn is its session while it is held (under l.mu).
type lock struct {
	l             *Locker
	id            string
	key           int64
	conn          *pgxpool.Conn
	requestUnlock func()
}

// Lock takes the lock, waiting while another holds it and asking that holder, in
// whichever process, to release it. requestUnlock is called (from another goroutine)
// when someone else waits for this lock. When ctx ends first it returns
// tusd.ErrLockTimeout.
func (k *lock) Lock(ctx context.Context, requestUnlock func()) error {
	k.l.mu.Lock()
	held := k.conn != nil
	k.l.mu.Unlock()
	if held {
		return errors.New("pglock: lock already held")
	}
	c, err := k.l.pool.Acquire(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return tusd.ErrLockTimeout
		}
		return fmt.Errorf("lock upload: %w", err)
	}
	var asked time.Time
	for {
		var ok bool
		// A cancelled query closes the connection, so a lock granted just as ctx ended
		// is released with it.
		if err := c.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, k.key).Scan(&ok); err != nil {
			c.Release()
			if ctx.Err() != nil {
				return tusd.ErrLockTimeout
			}
			return fmt.Errorf("lock upload: %w", err)
		}
		if ok {
			k.l.mu.Lock()
			k.conn, k.requestUnlock = c, requestUnlock
			k.l.held[k.id] = k
			k.l.mu.Unlock()
			return nil
		}
		if time.Since(asked) >= RenotifyEvery {
			if _, err := c.Exec(ctx, `SELECT pg_notify($1, $2)`, channel, k.id); err != nil && ctx.Err() == nil {
				k.l.log.Warn("ask for an upload lock", logkey.Error, err)
			}
			asked = time.Now()
		}
		select {
		case <-ctx.Done():
			c.Release()
			return tusd.ErrLockTimeout
		case <-time.After(PollEvery):
		}
	}
}

// Unlock releases the lock. When the database cannot be told, the connection is
// closed instead, which releases it as well.
func (k *lock) Unlock() error {
	k.l.mu.Lock()
	c := k.conn
	if c != nil {
		k.conn = nil
		delete(k.l.held, k.id)
	}
	k.l.mu.Unlock()
	if c == nil {
		return nil // not held, or Close released it
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Exec(ctx, `SELECT pg_advisory_unlock($1)`, k.key); err != nil {
		c.Conn().Close(ctx) // the pool drops a closed connection on Release
	}
	c.Release()
	return nil
}
