package app

import (
	"context"
	"os"
	"slices"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The services below are bound to the UI by Wails: each method is one line into App,
// and every error leaves as a *CodeError the UI translates.

// Session logs the user in and out.
type Session struct{ app *App }

// Sync shows and drives synchronisation.
type Sync struct{ app *App }

// Portal reads the replica for the portal's screens.
type Portal struct{ app *App }

// Settings holds the user's preferences.
type Settings struct{ app *App }

// CA writes and sends corrective measures.
type CA struct{ app *App }

// Outbox holds what the user sends: messages, and what waits or was refused.
type Outbox struct{ app *App }

// Services returns the bound services of a, in the order main binds them.
func (a *App) Services() []any {
	return []any{&Session{a}, &Sync{a}, &Portal{a}, &Settings{a}, &CA{a}, &Outbox{a}, &Evidence{a}}
}

// Autosave keeps the text on this computer (call it at every pause in typing).
func (c *CA) Autosave(ncID, text string) (*LocalCA, error) {
	v, err := c.app.Autosave(context.Background(), ncID, text)
	return v, c.app.fail(err)
}

// SaveDraft saves the text as a draft ("Sauvegarder comme brouillon").
func (c *CA) SaveDraft(ncID, text string) (*LocalCA, error) {
	v, err := c.app.SaveDraft(context.Background(), ncID, text)
	return v, c.app.fail(err)
}

// SetReady marks the CA ready to send ("Prête à envoyer"), or unmarks it.
func (c *CA) SetReady(ncID, text string, ready bool) (*LocalCA, error) {
	v, err := c.app.SetReady(context.Background(), ncID, text, ready)
	return v, c.app.fail(err)
}

// Resolve keeps the text the user chose between two computers' drafts.
func (c *CA) Resolve(ncID, text string) (*LocalCA, error) {
	v, err := c.app.Resolve(context.Background(), ncID, text)
	return v, c.app.fail(err)
}

// SendPreview says what Send would send and leave behind.
func (c *CA) SendPreview() (SendPreview, error) {
	p, err := c.app.SendPreview(context.Background())
	return p, c.app.fail(err)
}

// Send sends every CA marked ready ("Envoyer").
func (c *CA) Send() (SendResult, error) {
	r, err := c.app.Send(context.Background())
	return r, c.app.fail(err)
}

// Message queues a message to the analyst in an NC's thread.
func (o *Outbox) Message(ncID, text string) error {
	return o.app.fail(o.app.SendMessage(context.Background(), ncID, text))
}

// List returns what waits to be sent and what was refused.
func (o *Outbox) List() ([]OutboxItem, error) {
	l, err := o.app.Outbox(context.Background())
	return l, o.app.fail(err)
}

// Dismiss removes a refused entry the user has read.
func (o *Outbox) Dismiss(seq int64) error {
	return o.app.fail(o.app.store.Dismiss(context.Background(), seq))
}

func (a *App) fail(err error) error { return userError(a.log, err) }

// State returns who is logged in and whether the replica holds data.
func (s *Session) State() SessionState {
	st := s.app.State(context.Background())
	st.Recovery = s.app.TakeRecovery()
	return st
}

// Defaults returns the values that pre-fill the login form.
func (s *Session) Defaults() LoginDefaults {
	d := s.app.cfg.Defaults
	if server, _ := s.app.store.Meta(context.Background(), store.MetaServer); server != "" {
		d.Server = server
	}
	return d
}

// Login logs in; see App.Login.
func (s *Session) Login(server, username, password string) (SessionState, error) {
	st, err := s.app.Login(context.Background(), server, username, password)
	return st, s.app.fail(err)
}

// Logout logs out; the replica stays.
func (s *Session) Logout() error { return s.app.fail(s.app.Logout(context.Background())) }

// Status returns the status bar's content.
func (s *Sync) Status() SyncStatus { return s.app.SyncStatus(context.Background()) }

// SyncNow starts a sync at once.
func (s *Sync) SyncNow() error { return s.app.fail(s.app.SyncNow()) }

// Dashboard returns the Portal screen.
func (p *Portal) Dashboard() (Dashboard, error) {
	d, err := p.app.Dashboard(context.Background())
	return d, p.app.fail(err)
}

// Organisation returns the master data, nil before the first sync.
func (p *Portal) Organisation() (*api.Organisation, error) {
	o, err := optional(p.app.store.Organisation(context.Background()))
	return o, p.app.fail(err)
}

// Certification returns the certification data, nil when there is none.
func (p *Portal) Certification() (*api.Certification, error) {
	c, err := optional(p.app.store.Certification(context.Background()))
	return c, p.app.fail(err)
}

// Contacts returns the contacts, the analyst first.
func (p *Portal) Contacts() ([]api.Contact, error) {
	c, err := p.app.store.Contacts(context.Background())
	return c, p.app.fail(err)
}

// Certificates returns the certificates.
func (p *Portal) Certificates() ([]CertificateRow, error) {
	c, err := p.app.Certificates(context.Background())
	return c, p.app.fail(err)
}

// Documents returns the documents.
func (p *Portal) Documents() ([]DocumentRow, error) {
	d, err := p.app.Documents(context.Background())
	return d, p.app.fail(err)
}

// Audits returns the audits with their NC counts.
func (p *Portal) Audits() ([]AuditRow, error) {
	a, err := p.app.Audits(context.Background())
	return a, p.app.fail(err)
}

// NCs returns the NC list of a filter: ca, evidence, open, history or all.
func (p *Portal) NCs(filter string) ([]NCRow, error) {
	r, err := p.app.NCs(context.Background(), filter)
	return r, p.app.fail(err)
}

// NC returns one NC with its thread and evidence.
func (p *Portal) NC(id string) (NCDetail, error) {
	d, err := p.app.NC(context.Background(), id)
	return d, p.app.fail(err)
}

// Checklist returns the criteria of the organisation's standard.
func (p *Portal) Checklist() ([]api.Criterion, error) {
	c, err := p.app.store.Criteria(context.Background())
	return c, p.app.fail(err)
}

// MarkRead marks an NC's thread as read.
func (p *Portal) MarkRead(ncID string) error {
	return p.app.fail(p.app.store.MarkRead(context.Background(), ncID))
}

// MarkSeen marks what the analyst did on an NC as seen (the user opened it).
func (p *Portal) MarkSeen(ncID string) error {
	return p.app.fail(p.app.store.MarkSeen(context.Background(), ncID))
}

// OpenFile opens a cached file with the system's default program.
func (p *Portal) OpenFile(sha256 string) error {
	return p.app.fail(p.app.OpenFile(context.Background(), sha256))
}

// SaveFileAs saves a copy of a cached file where the user chooses.
func (p *Portal) SaveFileAs(sha256 string) error {
	return p.app.fail(p.app.SaveFileAs(context.Background(), sha256))
}

// Languages of the UI.
var Languages = []string{"fr", "en", "es"}

// Language returns the chosen language, or on first start the system's when it is one
// of the UI's, else English.
func (s *Settings) Language() string {
	if l, _ := s.app.store.Meta(context.Background(), store.MetaLanguage); l != "" {
		return l
	}
	return SystemLanguage()
}

// SetLanguage saves the UI language.
func (s *Settings) SetLanguage(lang string) error {
	if !slices.Contains(Languages, lang) {
		return &CodeError{Code: api.CodeInvalidInput}
	}
	return s.app.fail(s.app.store.SetMeta(context.Background(), store.MetaLanguage, lang))
}

// SystemLanguage reads the POSIX locale variables (LC_ALL, LC_MESSAGES, LANG):
// "fr_FR.UTF-8" gives "fr". Unknown languages give "en".
func SystemLanguage() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		if l := os.Getenv(v); l != "" && l != "C" && l != "POSIX" {
			l = strings.ToLower(l[:min(2, len(l))])
			if slices.Contains(Languages, l) {
				return l
			}
			return "en"
		}
	}
	return "en"
}
