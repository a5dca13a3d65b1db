package calendar

import (
	"context"
	"encoding/json"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// Config is what the app gives the service.
type Config struct {
	Context context.Context     // of the bound calls; cancelled when the app closes
	Store   func() *store.Store // the replica, once the app opened it
	// Client returns the running session's client, or one of the saved session (the
	// headless commands); nil when logged out.
	Client func(ctx context.Context) (*client.Client, error)
	// User returns the logged-in user; ok false when nobody is logged in.
	User     func(ctx context.Context) (u api.User, ok bool)
	Language func() string // the UI's language: the feed's when it is made
	// Fail turns an error into what a bound method returns: a code the window translates.
	Fail func(error) error
}

// Calendar manages the user's calendar subscription.
type Calendar struct{ cfg Config }

// New returns the service.
func New(cfg Config) *Calendar { return &Calendar{cfg: cfg} }

// Subscription is the user's feed as the window shows it.
type Subscription struct {
	Active bool `json:"active"`
	// URL is the address to give a calendar program; "" when the feed is active but
	// was made on another computer (the server keeps no copy of it: making a new one
	// here ends that one).
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
	Lang      string    `json:"lang"`
}

// Subscription asks the server whether the user has a feed, and gives its address
// when this computer made it.
func (c *Calendar) Subscription() (Subscription, error) {
	s, err := Status(c.cfg.Context, c)
	return s, c.cfg.Fail(err)
}

// Subscribe makes a new feed in the UI's language, ending the one the user had.
func (c *Calendar) Subscribe() (Subscription, error) {
	s, err := Create(c.cfg.Context, c, c.cfg.Language())
	return s, c.cfg.Fail(err)
}

// Revoke ends the user's feed: its address stops working at once.
func (c *Calendar) Revoke() error {
	return c.cfg.Fail(Revoke(c.cfg.Context, c))
}

// The headless command calls the functions below (they are not methods, so that the
// window does not bind them).

// Status is Subscription with a context.
func Status(ctx context.Context, c *Calendar) (Subscription, error) {
	cl, u, err := c.online(ctx)
	if err != nil {
		return Subscription{}, err
	}
	f, err := cl.CalendarFeed(ctx)
	if err != nil {
		return Subscription{}, offline(err)
	}
	s := Subscription{Active: f.Active, CreatedAt: f.CreatedAt, Lang: f.Lang}
	if k, ok := c.known(ctx); ok && f.Active && k.Username == u.Username && k.CreatedAt.Equal(f.CreatedAt) {
		s.URL = k.URL
	}
	return s, nil
}

// Create makes a new feed in lang and keeps its address on this computer.
func Create(ctx context.Context, c *Calendar, lang string) (Subscription, error) {
	cl, u, err := c.online(ctx)
	if err != nil {
		return Subscription{}, err
	}
	f, err := cl.CreateCalendarFeed(ctx, lang)
	if err != nil {
		return Subscription{}, offline(err)
	}
	raw, err := json.Marshal(knownFeed{Username: u.Username, URL: f.URL, CreatedAt: f.CreatedAt})
	if err != nil {
		return Subscription{}, err
	}
	if err := c.cfg.Store().SetMeta(ctx, metaFeed, string(raw)); err != nil {
		return Subscription{}, err
	}
	return Subscription{Active: true, URL: f.URL, CreatedAt: f.CreatedAt, Lang: f.Lang}, nil
}

// Revoke ends the user's feed and forgets its address.
func Revoke(ctx context.Context, c *Calendar) error {
	cl, _, err := c.online(ctx)
	if err != nil {
		return err
	}
	if err := cl.RevokeCalendarFeed(ctx); err != nil {
		return offline(err)
	}
	return c.cfg.Store().SetMeta(ctx, metaFeed, "")
}

// FeedURL returns the address of the user's feed: the one this computer made while it
// is active, else a new one in lang (which ends one made elsewhere). created says
// which.
func FeedURL(ctx context.Context, c *Calendar, lang string) (url string, created bool, err error) {
	s, err := Status(ctx, c)
	if err != nil {
		return "", false, err
	}
	if s.URL != "" {
		return s.URL, false, nil
	}
	s, err = Create(ctx, c, lang)
	return s.URL, err == nil, err
}

// metaFeed keeps the address of the feed this computer made (the replica's meta).
const metaFeed = "calendar.feed"

type knownFeed struct {
	Username  string    `json:"username"`
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
}

func (c *Calendar) known(ctx context.Context) (knownFeed, bool) {
	var k knownFeed
	raw, err := c.cfg.Store().Meta(ctx, metaFeed)
	if err != nil || raw == "" || json.Unmarshal([]byte(raw), &k) != nil {
		return k, false
	}
	return k, true
}

// online returns a client of the logged-in user's session.
func (c *Calendar) online(ctx context.Context) (*client.Client, api.User, error) {
	u, ok := c.cfg.User(ctx)
	if !ok {
		return nil, u, coded.Error(api.CodeNotLoggedIn)
	}
	cl, err := c.cfg.Client(ctx)
	if err != nil {
		return nil, u, err
	}
	if cl == nil {
		return nil, u, coded.Error(api.CodeNotLoggedIn)
	}
	return cl, u, nil
}

// offline says plainly that the call needs the connection when the server cannot be
// reached.
func offline(err error) error {
	if client.Code(err) == api.CodeUnreachable {
		return coded.Error(api.CodeNeedsConnection)
	}
	return err
}
