package desktop_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestBindingsMatchTheGoServices regenerates the Wails bindings into a temporary folder
// and compares them with the committed frontend/wailsjs/go: a bound method or type
// changed in Go without `make bindings` fails here.
func TestBindingsMatchTheGoServices(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the app with -tags bindings")
	}
	tmp := t.TempDir()
	gen := filepath.Join(tmp, "bindings")
	if out, err := exec.Command("go", "build", "-tags", "bindings", "-o", gen, "../..").CombinedOutput(); err != nil {
		t.Fatalf("build bindings generator: %v\n%s", err, out)
	}
	project := filepath.Join(tmp, "project")
	if err := os.MkdirAll(project, 0o755); err != nil {
		t.Fatal(err)
	}
	config := []byte(`{"name": "ecert-desktop", "wailsjsdir": "./out"}`)
	if err := os.WriteFile(filepath.Join(project, "wails.json"), config, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gen)
	cmd.Dir = project
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generate bindings: %v\n%s", err, out)
	}
	generated := filepath.Join(project, "out", "wailsjs", "go")
	committed := filepath.Join("..", "..", "frontend", "wailsjs", "go")
	compareTrees(t, generated, committed)
}

func compareTrees(t *testing.T, generated, committed string) {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(generated, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(generated, path)
		seen[rel] = true
		want, _ := os.ReadFile(path)
		got, err := os.ReadFile(filepath.Join(committed, rel))
		if err != nil {
			t.Errorf("frontend/wailsjs/go/%s is missing: run 'make bindings'", rel)
			return nil
		}
		if !bytes.Equal(got, want) {
			t.Errorf("frontend/wailsjs/go/%s differs from the Go services: run 'make bindings'", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(committed, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if rel, _ := filepath.Rel(committed, path); !seen[rel] {
				t.Errorf("frontend/wailsjs/go/%s is no longer generated: run 'make bindings'", rel)
			}
		}
		return err
	})
}
