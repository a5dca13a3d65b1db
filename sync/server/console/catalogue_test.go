package console

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/server/console/i18n"
	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/requests"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

var (
	// Keys written out: {{t "key"}} in templates, T("key") and key arguments in Go.
	templateKey = regexp.MustCompile(`\bt "([^"]+)"`)
	templateFam = regexp.MustCompile(`\blabel "([^"]+)"`)
	goLiteral   = regexp.MustCompile(`"([a-z_]+(?:\.[a-z0-9_\-]+)+)"`)
	goMessage   = regexp.MustCompile(`consoleMessage\([^)]*"([a-z_]+)"\)`)
	goCase      = regexp.MustCompile(`case "([a-z\-]+)":`)
	goDone      = regexp.MustCompile(`done=([a-z\-]+)`)
	goSaying    = regexp.MustCompile(`\.\s*Saying\("([a-z_]+)"`)
	// A Saying whose key is chosen before: key, args = "KEY", ….
	goSayingKey = regexp.MustCompile(`key, args :?= "([a-z_]+)"`)
	goSayingAny = regexp.MustCompile(`\.\s*Saying\(`)
)

// detailSources are the Go files of the packages whose refusals the console shows.
func detailSources(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, dir := range []string{"../workflow", "../requests", "../directory"} {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(names) == 0 {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, n := range names {
			if !strings.HasSuffix(n, "_test.go") {
				out = append(out, n)
			}
		}
	}
	return out
}

// TestCatalogueKeysAreUsed checks the catalogue against the console's code: every key
// the pages name exists, and every key of the catalogue is named by a page or is the
// label of a value the console shows (labelFamilies). TestEveryLanguageHasEveryKey
// (package i18n) checks the other languages have the same keys.
func TestCatalogueKeysAreUsed(t *testing.T) {
	en := i18n.For("en")
	sections := map[string]bool{}
	for _, k := range en.Keys() {
		sections[strings.SplitN(k, ".", 2)[0]] = true
	}
	used := map[string]string{} // key → where
	families := map[string]bool{}

	tmpls, err := fs.Glob(consoleFS, "templates/*.html")
	if err != nil || len(tmpls) == 0 {
		t.Fatalf("templates: %v", err)
	}
	for _, name := range tmpls {
		b, _ := consoleFS.ReadFile(name)
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = name
		}
		for _, m := range templateFam.FindAllStringSubmatch(string(b), -1) {
			families[m[1]] = true
		}
	}
	gos, _ := filepath.Glob("*.go")
	gos = append(gos, filepath.Join("i18n", "i18n.go")) // the formats of dates and sizes
	var goSrc strings.Builder
	for _, name := range gos {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		goSrc.Write(b)
		for _, m := range goLiteral.FindAllStringSubmatch(string(b), -1) {
			if _, family := labelFamilies[m[1]]; sections[strings.SplitN(m[1], ".", 2)[0]] && !family {
				used[m[1]] = name
			}
		}
		for _, m := range goMessage.FindAllStringSubmatch(string(b), -1) {
			used["msg."+m[1]+".title"], used["msg."+m[1]+".text"] = name, name
		}
		for _, m := range goCase.FindAllStringSubmatch(string(b), -1) {
			switch name {
			case "pages.go", "operators.go":
				used["flash."+m[1]] = name + " (an action)"
			case "requests.go":
				used["flash.request-"+m[1]] = name + " (an action)"
			}
		}
		for _, m := range goDone.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], "-") { // done=request-ACTION: the cases above
				used["flash."+m[1]] = name
			}
		}
	}
	// The details of the server's refusals (problem.Error.Saying) are said by
	// refusal: each key its packages give must be in the catalogue.
	for _, name := range detailSources(t) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range append(goSaying.FindAllStringSubmatch(string(b), -1), goSayingKey.FindAllStringSubmatch(string(b), -1)...) {
			used["detail."+m[1]] = name
		}
	}
	for key, where := range used {
		if !en.Has(key) {
			t.Errorf("%s names %s: not in the catalogue", where, key)
		}
	}
	for prefix, values := range labelFamilies {
		for _, v := range values {
			used[prefix+"."+v] = "labelFamilies"
		}
	}
	for f := range families {
		if _, ok := labelFamilies[f]; !ok {
			t.Errorf("templates label %q values: not in labelFamilies", f)
		}
	}
	for _, key := range en.Keys() {
		if _, ok := used[key]; !ok {
			t.Errorf("%s is in the catalogue but no page says it", key)
		}
	}
	for _, m := range goMessage.FindAllStringSubmatch(goSrc.String(), -1) {
		found := false
		for _, k := range messageKeys {
			found = found || k == m[1]
		}
		if !found {
			t.Errorf("consoleMessage %q is not in messageKeys", m[1])
		}
	}
}

// Every action a trail shows has its words: the workflow's actions are data, so a new
// one shows as recorded until it is added to events.
func TestEventText(t *testing.T) {
	fr := i18n.For("fr")
	for action, want := range map[string]string{
		"accept CA and request evidence":        "MC acceptée, PM demandées",
		"push ca.submit: applied":               "Depuis l'application : MC soumise (pris en compte)",
		"push some.kind: rejected":              "Depuis l'application : some.kind (refusé)",
		"push ca.submit: rejected (nc_closed)":  "Depuis l'application : MC soumise (refusé — NC clôturée)",
		"push message: rejected (new_code)":     "Depuis l'application : message (refusé)",
		"push ca.submit: conflict (nc_changed)": "Depuis l'application : MC soumise (en conflit — NC modifiée entre-temps)",
		"finalise certification of audit AO-1":  "Certification de l'audit AO-1 finalisée",
		"something new":                         "something new",
	} {
		if got := eventText(fr, action); got != want {
			t.Errorf("%q: %q, want %q", action, got, want)
		}
	}
}

// Each refusal says what happened: a stale NC is not an operator's status.
func TestRefusal(t *testing.T) {
	fr := i18n.For("fr")
	for _, c := range []struct {
		err  *problem.Error
		want string
	}{
		{problem.Errorf(workflow.ErrWrongStage, "cannot confirm NC X"), fr.T("error.wrong_stage")},
		{directory.ErrWrongStatus, fr.T("error.operator_status")},
		{problem.Errorf(workflow.ErrOpenNCs, "NCs not closed: A"), fr.T("error.open_ncs")},
		{problem.Errorf(workflow.ErrExists, "NC X exists already"), fr.T("error.exists")},
		{problem.Errorf(requests.ErrGone, "gone"), fr.T("error.gone")},
		{problem.Errorf(workflow.ErrCommentRequired, "a comment is required"), fr.T("error.comment_required")},
		{problem.Errorf(workflow.ErrInvalid, "due date %q is not a date (YYYY-MM-DD)", "2019-13-45"), "Le champ « échéance » ne contient pas une date valide."},
		{problem.Errorf(workflow.ErrInvalid, "message is longer than 65536 bytes"), "Le champ « message » est trop long : raccourcissez-le."},
		{problem.Errorf(workflow.ErrInvalid, "closing report: no CSV header").Saying("closing_no_header", "a,b"),
			"Le rapport de clôture n'a pas d'en-tête CSV. Sa première ligne doit être : a,b"},
		{problem.Errorf(workflow.ErrInvalid, "row 2: text is longer than 65536 bytes").
			Saying("closing_row", 2, problem.Errorf(workflow.ErrInvalid, "text is longer than 65536 bytes")),
			"Ligne 2 du rapport (sans compter l'en-tête) : Le champ « texte » est trop long : raccourcissez-le."},
		{problem.Errorf(workflow.ErrInvalid, "the closing report is larger than 4194304 bytes").
			Saying("closing_too_large", workflow.MaxClosingReportBytes), "Le rapport de clôture dépasse 4,0 Mo : répartissez-le en plusieurs fichiers."},
		{problem.Errorf(workflow.ErrInvalid, "something new"), "Saisie refusée : vérifiez le formulaire et réessayez."},
		{problem.New("something_else", "x"), fr.T("error.other")},
	} {
		if got := refusal(fr, c.err); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.err.Code, c.err.Message, got, c.want)
		}
	}
}

// invalidRefusal finds a refusal of invalid input, with its message format.
var invalidRefusal = regexp.MustCompile(`problem\.Errorf\((?:workflow\.)?ErrInvalid, ("[^"]*")`)

// Every refusal of invalid input that the console may show gives the key of its words
// in other languages (Saying), or is a field's refusal that refusal reads ("%s is …"):
// a new refusal written in English only fails here, not in front of an analyst.
func TestInvalidInputRefusalsCanBeTranslated(t *testing.T) {
	for _, name := range detailSources(t) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		for _, loc := range invalidRefusal.FindAllStringSubmatchIndex(src, -1) {
			format := src[loc[2]:loc[3]]
			// The statement: up to the end of its line, and the next when it goes on.
			end := loc[1] + strings.Index(src[loc[1]:], "\n")
			stmt := src[loc[0]:end]
			if strings.HasSuffix(strings.TrimSpace(stmt), ".") {
				stmt += src[end : end+1+strings.Index(src[end+1:], "\n")]
			}
			if goSayingAny.MatchString(stmt) || strings.HasPrefix(format, `"%s `) {
				continue
			}
			line := strings.Count(src[:loc[0]], "\n") + 1
			t.Errorf("%s:%d: refusal %s has no Saying: the console would show it in English", name, line, format)
		}
	}
}
