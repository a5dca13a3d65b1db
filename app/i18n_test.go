package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// Every error code a bound method can return must have a message in every language of
// the UI: the UI shows errors.<code>, never the Go error text.
func TestEveryErrorCodeIsTranslated(t *testing.T) {
	codes := []string{
		client.CodeUnreachable, client.CodeBadCredentials, client.CodeSessionExpired,
		client.CodeBadResponse, client.CodeRateLimited, client.CodeServerError,
		client.CodeNotFound, client.CodeForbidden, client.CodeBadRequest, client.CodeInvalidServer,
		app.CodeInvalidInput, app.CodeNotFound, app.CodeNotCached, app.CodeNotLoggedIn,
		app.CodeDamaged, app.CodeInternal, app.CodeCancelled, app.CodeNotAClient, app.CodeDiskFull,
		app.CodeNotEditable, app.CodeQueued, app.CodeEmptyText, app.CodeTextTooLong, app.CodeInUse,
		app.CodeTooLarge, app.CodeTypeRefused, app.CodeUnreadable, app.CodeNotAwaitingEvd, app.CodeNoEvidence, app.CodeEvidenceSent,
		// the server's reasons for refusing or questioning a pushed change
		api.ReasonNCNotFound, api.ReasonNCClosed, api.ReasonNotAwaitingCA, api.ReasonEmptyText,
		api.ReasonTextTooLong, api.ReasonBadEntry, api.ReasonDraftChanged, api.ReasonNCChanged,
	}
	for _, lang := range app.Languages {
		raw, err := os.ReadFile(filepath.Join("..", "frontend", "src", "i18n", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var messages struct{ Errors map[string]string }
		if err := json.Unmarshal(raw, &messages); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		for _, c := range codes {
			if messages.Errors[c] == "" {
				t.Errorf("%s.json has no errors.%s", lang, c)
			}
		}
	}
}
