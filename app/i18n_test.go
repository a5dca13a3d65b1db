package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Every code of the registry the UI shows (api.Codes, Translated) has a message in every
// language of the UI: the UI shows errors.<code>, never the Go error text.
func TestEveryErrorCodeIsTranslated(t *testing.T) {
	for _, lang := range app.Languages {
		raw, err := os.ReadFile(filepath.Join("..", "frontend", "src", "i18n", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var messages struct{ Errors map[string]string }
		if err := json.Unmarshal(raw, &messages); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		for _, c := range api.Codes {
			if c.Translated && messages.Errors[c.Code] == "" {
				t.Errorf("%s.json has no errors.%s", lang, c.Code)
			}
		}
	}
}
