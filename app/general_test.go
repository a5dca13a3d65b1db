package app_test

import (
	"context"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
)

// A message to FLOCERT about no NC is written offline, goes once when the server is
// back, and the analyst's reply comes back into the same thread with a notification.
func TestGeneralThreadOfflineComposeAndReply(t *testing.T) {
	a, srv, p, _ := loggedInApp(t)
	srv.SetDown(true)
	const text = "Bonjour, notre trésorier a changé : à qui envoyer le nouveau RIB ?"
	if err := a.Outbox.GeneralMessage(text); err != nil {
		t.Fatalf("offline compose: %v", err)
	}
	g, err := a.Portal.GeneralThread()
	if err != nil || len(g.Pending) != 1 || g.Pending[0].Text != text {
		t.Fatalf("pending while offline: %+v, %v", g, err)
	}
	if err := a.Outbox.GeneralMessage("   "); app.Code(err) != api.CodeEmptyText {
		t.Errorf("an empty message: got %v, want empty_text", err)
	}

	srv.SetDown(false)
	a.Sync.SyncNow()
	eventually(t, "the message sent and pulled back", func() bool {
		g, _ := a.Portal.GeneralThread()
		return len(g.Pending) == 0 && len(g.Messages) == 1
	})
	a.Sync.SyncNow() // a second sync sends nothing again

	if _, err := srv.Workflow().AnalystGeneralMessage(context.Background(), "analyst", demo.OrgCoop, "Envoyez-le à votre analyste, merci."); err != nil {
		t.Fatal(err)
	}
	a.Sync.SyncNow()
	eventually(t, "the analyst's reply", func() bool {
		g, _ := a.Portal.GeneralThread()
		return len(g.Messages) == 2
	})
	g, _ = a.Portal.GeneralThread()
	if g.Messages[0].Body != text || g.Messages[0].NCID != "" || g.Messages[1].AuthorRole != api.RoleAnalyst {
		t.Errorf("thread: %+v", g.Messages)
	}
	eventually(t, "a notification of the reply", func() bool { return p.saw(app.EventNotify) })

	// Exactly once on the server.
	n := 0
	msgs, err := srv.Store().Children(context.Background(), demo.OrgCoop, api.EntityMessage, "")
	if err != nil {
		t.Fatal(err)
	}
	for range msgs {
		n++
	}
	if n != 2 {
		t.Errorf("server's general thread: %d messages, want 2", n)
	}
}
