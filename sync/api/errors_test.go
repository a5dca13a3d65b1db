package api_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Every Code constant of errors.go has exactly one row in the registry, and each row
// is coherent: API codes have a status, the others none.
func TestEveryCodeIsRegisteredOnce(t *testing.T) {
	declared := codeConstants(t, "errors.go")
	seen := map[string]bool{}
	for _, c := range api.Codes {
		if seen[c.Code] {
			t.Errorf("%q is registered twice", c.Code)
		}
		seen[c.Code] = true
		if !declared[c.Code] {
			t.Errorf("%q is registered but has no constant in errors.go", c.Code)
		}
		if (c.Origin == api.FromAPI) != (c.Status != 0) {
			t.Errorf("%q: origin %s with status %d", c.Code, c.Origin, c.Status)
		}
	}
	for code := range declared {
		if !seen[code] {
			t.Errorf("constant %q is not in api.Codes", code)
		}
	}
	if got := api.StatusOf(api.CodeTooLarge); got != 413 {
		t.Errorf("StatusOf(too_large) = %d, want 413", got)
	}
	if got := api.StatusOf("no_such_code"); got != 500 {
		t.Errorf("StatusOf(unknown) = %d, want 500", got)
	}
	if !api.Retryable(api.CodeUnreachable) || api.Retryable(api.CodeBadCredentials) {
		t.Error("Retryable does not follow the registry")
	}
}

// No Go file outside sync/api defines an error code of its own: a constant named
// Code… with a string value is the sign of a second vocabulary.
func TestNoCodeIsDefinedOutsideTheRegistry(t *testing.T) {
	root := filepath.Join("..", "..")
	defining := regexp.MustCompile(`(?m)^\s*(const\s+)?Code[A-Z]\w*\s*=\s*"`)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", ".git", "wailsjs":
				return filepath.SkipDir
			}
			return nil
		}
		if path == filepath.Join(root, "sync", "api", "errors.go") {
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if loc := defining.FindIndex(raw); loc != nil {
			t.Errorf("%s defines an error code (%s): register it in sync/api/errors.go",
				path, strings.TrimSpace(string(raw[loc[0]:loc[1]])))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// codeConstants returns the values of the Code… string constants of a file.
func codeConstants(t *testing.T, file string) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range vs.Names {
			if !strings.HasPrefix(name.Name, "Code") || i >= len(vs.Values) {
				continue
			}
			if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, _ := strconv.Unquote(lit.Value)
				out[v] = true
			}
		}
		return true
	})
	return out
}
