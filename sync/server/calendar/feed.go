package calendar

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/ical"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Store is what the feeds need of the server's store.
type Store interface {
	store.CalendarFeeds
	User(ctx context.Context, username string) (store.UserRecord, error)
	All(ctx context.Context, orgID, entity string) ([]store.EntityRecord, error)
}

// Service manages and serves the feeds.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns the service; now is the server's clock.
func New(st Store, now func() time.Time) *Service { return &Service{store: st, now: now} }

// ErrNoFeed answers every feed address that serves nothing: unknown, revoked, rotated,
// malformed, or a disabled account's. One answer for all, so that the address says
// nothing about why.
var ErrNoFeed = problem.New(api.CodeNotFound, "no such calendar")

// errLang refuses a language the calendar is not written in.
var errLang = problem.BadRequest("lang must be one of fr, en, es, pt")

// Hash is what the store keeps of a token: its SHA-256, in hex.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Create gives the user a new feed in lang, ending the one it had, and returns it
// with its Path (the only time the token is told).
func (s *Service) Create(ctx context.Context, username, lang string) (api.CalendarFeed, error) {
	if !slices.Contains(ical.Languages, lang) {
		return api.CalendarFeed{}, errLang
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return api.CalendarFeed{}, fmt.Errorf("calendar token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	f := store.CalendarFeedRecord{Username: username, Hash: Hash(token), Lang: lang, CreatedAt: s.now().UTC()}
	if err := s.store.PutCalendarFeed(ctx, f); err != nil {
		return api.CalendarFeed{}, err
	}
	return api.CalendarFeed{Active: true, CreatedAt: f.CreatedAt, Lang: lang, Path: api.Version + api.CalendarPath + token + ".ics"}, nil
}

// Status says whether the user has a feed, and since when.
func (s *Service) Status(ctx context.Context, username string) (api.CalendarFeed, error) {
	f, err := s.store.UserCalendarFeed(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return api.CalendarFeed{}, nil
	}
	if err != nil {
		return api.CalendarFeed{}, err
	}
	return api.CalendarFeed{Active: true, CreatedAt: f.CreatedAt, Lang: f.Lang}, nil
}

// Revoke ends the user's feed; idempotent.
func (s *Service) Revoke(ctx context.Context, username string) error {
	return s.store.DeleteCalendarFeed(ctx, username)
}

// Feed is one reading of a feed.
type Feed struct {
	Body     []byte
	ETag     string    // quoted, strong: the same events give the same ETag
	Modified time.Time // when these events were first served (Last-Modified, DTSTAMP)
}

// Read returns the calendar of the feed whose token is token, or ErrNoFeed. The
// events are the organisation's as the server holds them now, in the feed's language.
func (s *Service) Read(ctx context.Context, token string) (Feed, error) {
	if !api.CalendarTokenPattern.MatchString(token) {
		return Feed{}, ErrNoFeed
	}
	hash := Hash(token)
	f, err := s.store.CalendarFeed(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return Feed{}, ErrNoFeed
	}
	if err != nil {
		return Feed{}, err
	}
	u, err := s.store.User(ctx, f.Username)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (u.Disabled || u.Role != api.RoleClient || u.OrgID == "")) {
		return Feed{}, ErrNoFeed
	}
	if err != nil {
		return Feed{}, err
	}
	cal, err := s.calendar(ctx, u, f.Lang)
	if err != nil {
		return Feed{}, err
	}
	// The content's name leaves DTSTAMP out (it is the time the content changed, so it
	// cannot be part of it): written once with a zero stamp to name it, then stamped.
	var b bytes.Buffer
	if _, err := ical.Write(&b, cal); err != nil {
		return Feed{}, err
	}
	sum := sha256.Sum256(b.Bytes())
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	if f.ETag != etag {
		if f, err = s.store.StampCalendarFeed(ctx, hash, etag, s.now().UTC()); errors.Is(err, store.ErrNotFound) {
			return Feed{}, ErrNoFeed // revoked meanwhile
		} else if err != nil {
			return Feed{}, err
		}
	}
	b.Reset()
	cal.Stamp = f.ChangedAt.Truncate(time.Second)
	if _, err := ical.Write(&b, cal); err != nil {
		return Feed{}, err
	}
	return Feed{Body: b.Bytes(), ETag: f.ETag, Modified: cal.Stamp}, nil
}

// calendar gathers the organisation's deadlines from the entities a client of it sees.
func (s *Service) calendar(ctx context.Context, u store.UserRecord, lang string) (ical.Calendar, error) {
	cal := ical.Calendar{Organisation: u.OrgName, OrgID: u.OrgID, Lang: lang}
	var orgs []api.Organisation
	if err := s.visible(ctx, u.OrgID, api.EntityOrganisation, &orgs); err != nil {
		return cal, err
	}
	if len(orgs) > 0 {
		// The replica's organisation entity names the calendar and its UIDs in the
		// app's export: the same here, so that both give an event one UID.
		cal.Organisation, cal.OrgID = orgs[0].Name, orgs[0].ID
	}
	var certs []api.Certification
	if err := s.visible(ctx, u.OrgID, api.EntityCertification, &certs); err != nil {
		return cal, err
	}
	if len(certs) > 0 {
		cal.Certification = &certs[0]
	}
	for _, step := range []struct {
		entity string
		into   any
	}{
		{api.EntityNC, &cal.NCs},
		{api.EntityAssignment, &cal.Assignments},
		{api.EntityCertificate, &cal.Certificates},
		{api.EntityAudit, &cal.Audits},
	} {
		if err := s.visible(ctx, u.OrgID, step.entity, step.into); err != nil {
			return cal, err
		}
	}
	return cal, nil
}

// visible decodes the organisation's visible entities of a kind, by id, into *[]T.
func (s *Service) visible(ctx context.Context, orgID, entity string, into any) error {
	recs, err := s.store.All(ctx, orgID, entity)
	if err != nil {
		return err
	}
	list := []byte("[")
	for _, r := range recs {
		if !r.Visible {
			continue
		}
		if len(list) > 1 {
			list = append(list, ',')
		}
		list = append(list, r.Data...)
	}
	list = append(list, ']')
	if err := json.Unmarshal(list, into); err != nil {
		return fmt.Errorf("calendar: read %s: %w", entity, err)
	}
	return nil
}
