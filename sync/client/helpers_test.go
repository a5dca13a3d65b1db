package client_test

import (
	"encoding/json"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

func extractSHA(t *testing.T, data json.RawMessage) string {
	t.Helper()
	var c api.Certificate
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if c.File == nil {
		return ""
	}
	return c.File.SHA256
}
