package pglock

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
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
	// KeepAliveEvery is how often a held lock pings its connection, and how long a
	// ping may take. A lock whose connection broke (a network fault, the backend
	// terminated) is free in PostgreSQL at once, but its holder would not know:
	// the ping tells it within twice this, and the holder's request is stopped.
	KeepAliveEvery = time.Second
	// TakeoverWait is how long a node that takes a lock its last holder did not release
	// (upload_locks still has the row) waits before writing: time for that holder, if it
	// still runs, to notice the loss and stop its request. More than 2 × KeepAliveEvery.
	TakeoverWait = 3 * time.Second
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
	// The store's migrations make the table of held locks: a clear error when missing.
	if _, err := pool.Exec(ctx, `SELECT 1 FROM upload_locks LIMIT 0`); err != nil {
		pool.Close()
		return nil, fmt.Errorf("lock database: %w (open the store on it first: its migrations make upload_locks)", err)
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
		k.stopKeepAlive()
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
// While held, a keep-alive goroutine pings conn: stop ends it, done closes when it
// has, and lost says that a ping failed (the lock may be another's now).
type lock struct {
	l             *Locker
	id            string
	key           int64
	conn          *pgxpool.Conn
	requestUnlock func()
	stop, done    chan struct{}
	lost          atomic.Bool
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
			if err := k.takeOver(ctx, c); err != nil {
				// Closing the session frees the advisory lock.
				c.Conn().Close(context.WithoutCancel(ctx))
				c.Release()
				return err
			}
			k.lost.Store(false)
			k.stop, k.done = make(chan struct{}), make(chan struct{})
			k.l.mu.Lock()
			k.conn, k.requestUnlock = c, requestUnlock
			k.l.held[k.id] = k
			k.l.mu.Unlock()
			go k.keepAlive(c, requestUnlock)
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

// takeOver records, through the session c that has just taken the advisory lock, that
// the lock is held. When the last holder's row is still there, that holder lost its
// session without releasing and may be writing still: wait TakeoverWait, by which its
// keep-alive has stopped it, so that two nodes never write one upload.
func (k *lock) takeOver(ctx context.Context, c *pgxpool.Conn) error {
	var fresh bool
	err := c.QueryRow(ctx, `INSERT INTO upload_locks (key) VALUES ($1) ON CONFLICT (key) DO NOTHING RETURNING true`, k.key).Scan(&fresh)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		if ctx.Err() != nil {
			return tusd.ErrLockTimeout
		}
		return fmt.Errorf("lock upload: %w", err)
	}
	if fresh {
		return nil
	}
	k.l.log.Warn("upload lock taken from a holder that lost its database connection: waiting for it to stop",
		logkey.Upload, k.id, logkey.Duration, TakeoverWait)
	select {
	case <-ctx.Done():
		return tusd.ErrLockTimeout
	case <-time.After(TakeoverWait):
		return nil
	}
}

// keepAlive pings the lock's connection every KeepAliveEvery until stop closes. A
// failed ping means the session, and with it the lock, may be gone: the holder's
// request is stopped (requestUnlock: tusd ends the PATCH with upload_interrupted, which
// the client retries by asking the offset), and Unlock only closes the connection.
func (k *lock) keepAlive(c *pgxpool.Conn, requestUnlock func()) {
	defer close(k.done)
	t := time.NewTicker(KeepAliveEvery)
	defer t.Stop()
	for {
		select {
		case <-k.stop:
			return
		case <-t.C:
		}
		// Not cancelled by stop: a cancelled query closes the connection, which would
		// end a lock being released cleanly.
		ctx, cancel := context.WithTimeout(context.Background(), KeepAliveEvery)
		err := c.Ping(ctx)
		cancel()
		if err != nil {
			k.lost.Store(true)
			k.l.log.Warn("upload lock lost with its database connection: its request is stopped",
				logkey.Upload, k.id, logkey.Error, err)
			requestUnlock()
			return
		}
	}
}

// stopKeepAlive ends the keep-alive and waits for it. The caller holds the lock.
func (k *lock) stopKeepAlive() {
	close(k.stop)
	<-k.done
}

// Unlock releases the lock. When the database cannot be told, or the keep-alive found
// the connection broken, the connection is closed instead, which releases it as well
// (and leaves the upload_locks row, so the next holder waits: takeOver).
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
	k.stopKeepAlive()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if k.lost.Load() {
		c.Conn().Close(ctx)
		c.Release()
		return nil
	}
	// The row goes first, in its own transaction: a node that takes the lock as soon as
	// it is free finds it released cleanly.
	if _, err := c.Exec(ctx, `DELETE FROM upload_locks WHERE key = $1`, k.key); err != nil {
		c.Conn().Close(ctx) // the pool drops a closed connection on Release
	} else if _, err := c.Exec(ctx, `SELECT pg_advisory_unlock($1)`, k.key); err != nil {
		c.Conn().Close(ctx)
	}
	c.Release()
	return nil
}
