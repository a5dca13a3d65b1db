package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Neither side logs a password, a token, or what the user wrote, at any level.
func TestLogsHoldNoSecretsAndNoContent(t *testing.T) {
	var serverLog, appLog syncBuffer
	debug := &slog.HandlerOptions{Level: slog.LevelDebug}
	srv := servertest.StartWith(t, func(c *server.Config) { c.Logger = slog.New(slog.NewTextHandler(&serverLog, debug)) })
	ctx := context.Background()
	const password = "Pa55-phrase-du-terrain"
	if err := srv.CreateUser(ctx, auth.NewUser{Username: "marie", Password: password, Name: "Marie",
		Role: api.RoleClient, OrgID: coop}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a := app.New(app.Config{DataDir: dir, Platform: &recorder{}, Manual: true,
		Logger: slog.New(slog.NewTextHandler(&appLog, debug))})
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.Session.Login(srv.URL, "marie", "wrong password")
	if _, err := a.Session.Login(srv.URL, "marie", password); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	const caText, message = "MESURE-CONFIDENTIELLE-8841", "MESSAGE-CONFIDENTIEL-5527"
	a.CA.SetReady("NC-167140-2019", caText, true)
	a.Outbox.Message("NC-167140-2019", message)
	a.CA.Send()
	syncNow(t, a)
	srv.SetDown(true)
	a.SyncOnce(ctx, nil, nil) // a failure is logged too
	srv.SetDown(false)

	raw, err := os.ReadFile(filepath.Join(dir, "session.token"))
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{password, "wrong password", caText, message}
	for _, f := range strings.FieldsFunc(string(raw), func(r rune) bool { return r == '"' || r == ':' || r == ',' || r == '{' || r == '}' }) {
		if len(f) > 20 {
			secrets = append(secrets, f) // the tokens
		}
	}
	if len(secrets) < 6 {
		t.Fatalf("could not read the tokens from %s", raw)
	}
	for name, log := range map[string]string{"server": serverLog.String(), "app": appLog.String()} {
		if log == "" && name == "server" {
			t.Fatal("the server logged nothing: the test would prove nothing")
		}
		for _, s := range secrets {
			if strings.Contains(log, s) {
				t.Errorf("the %s log holds %q", name, s)
			}
		}
	}
}
