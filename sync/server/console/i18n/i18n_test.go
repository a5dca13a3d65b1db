package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// verbs are the fmt verbs of a message, in order: a translation fills the same ones.
var verbs = regexp.MustCompile(`%(\[\d+\])?[sdv]`)

func TestEveryLanguageHasEveryKey(t *testing.T) {
	en := For("en").Keys()
	if len(en) < 100 {
		t.Fatalf("the English catalogue has %d keys", len(en))
	}
	for _, l := range Langs {
		c := For(l)
		if c.Lang() != l {
			t.Fatalf("For(%q) is %q", l, c.Lang())
		}
		if got := c.Keys(); !slices.Equal(got, en) {
			for _, k := range en {
				if !c.Has(k) {
					t.Errorf("%s lacks %s", l, k)
				}
			}
			for _, k := range got {
				if !For("en").Has(k) {
					t.Errorf("%s has %s, English has not", l, k)
				}
			}
		}
		for _, k := range c.Keys() {
			m := c.Raw(k)
			if strings.TrimSpace(m) == "" {
				t.Errorf("%s %s is empty", l, k)
			}
			if a, b := verbs.FindAllString(m, -1), verbs.FindAllString(For("en").Raw(k), -1); len(a) != len(b) || strings.Count(m, "%") != len(a) {
				t.Errorf("%s %s fills %v, English %v: %q", l, k, a, b, m)
			}
		}
	}
}

// The translations are not English left in place: the words of the NC workflow differ.
func TestTranslationsAreWritten(t *testing.T) {
	for key, want := range map[string][3]string{
		"stage.ca_submitted":             {"MC soumise — à évaluer", "MC presentada — por evaluar", "MC enviada — a avaliar"},
		"requests.status.pending":        {"en attente", "pendiente", "pendente"},
		"field.organisation.postal_code": {"Code postal", "Código postal", "Código postal"},
	} {
		for i, l := range []string{"fr", "es", "pt"} {
			if got := For(l).T(key); got != want[i] {
				t.Errorf("%s %s = %q, want %q", l, key, got, want[i])
			}
		}
	}
}

func TestPick(t *testing.T) {
	for _, c := range []struct{ cookie, accept, want string }{
		{"", "", "en"},
		{"fr", "", "fr"},
		{"fr", "es-ES,es;q=0.9", "fr"},        // the chooser wins over the browser
		{"", "es-ES,es;q=0.9,en;q=0.5", "es"}, // the browser's best
		{"", "de-DE,pt-BR;q=0.8,fr;q=0.7", "pt"},
		{"", "en;q=0.3, fr;q=0.9", "fr"},
		{"", "fr;q=0, de", "en"}, // refused and unknown languages
		{"xx", "", "en"},         // a bad cookie counts as none
		{"<script>", "fr-CA", "fr"},
		{"", "fr;q=abc,es", "es"},
		{"", strings.Repeat("x,", 1000), "en"},
	} {
		if got := Pick(c.cookie, c.accept); got != c.want {
			t.Errorf("Pick(%q, %q) = %q, want %q", c.cookie, c.accept, got, c.want)
		}
	}
	if For("xx").Lang() != "en" || Supported("xx") || !Supported("pt") {
		t.Error("an unknown language is not English")
	}
}

func TestFormats(t *testing.T) {
	at := time.Date(2026, 12, 5, 14, 2, 0, 0, time.UTC)
	for _, c := range []struct {
		lang, date, dateTime, size1, size2, size3 string
	}{
		{"en", "05/12/2026", "05/12/2026 14:02 UTC", "148 bytes", "2 KB", "1.9 MB"},
		{"fr", "05/12/2026", "05/12/2026 14:02 UTC", "148 octets", "2 Ko", "1,9 Mo"},
		{"es", "05/12/2026", "05/12/2026 14:02 UTC", "148 bytes", "2 KB", "1,9 MB"},
		{"pt", "05/12/2026", "05/12/2026 14:02 UTC", "148 bytes", "2 KB", "1,9 MB"},
	} {
		cat := For(c.lang)
		if got := cat.Date(at); got != c.date {
			t.Errorf("%s date %q, want %q", c.lang, got, c.date)
		}
		if got := cat.DateTime(at.In(time.FixedZone("CET", 3600))); got != c.dateTime {
			t.Errorf("%s time %q, want %q", c.lang, got, c.dateTime)
		}
		if got := cat.DateTime(time.Time{}); got != "" {
			t.Errorf("%s zero time %q", c.lang, got)
		}
		for n, want := range map[int64]string{148: c.size1, 1900: c.size2, 2 << 20 * 95 / 100: c.size3} {
			if got := cat.Size(n); got != want {
				t.Errorf("%s size %d = %q, want %q", c.lang, n, got, want)
			}
		}
	}
}

func TestLabelAndT(t *testing.T) {
	fr := For("fr")
	if got := fr.Label("stage", "closed"); got != "clôturée" {
		t.Errorf("label: %q", got)
	}
	if got := fr.Label("stage", "new_stage"); got != "new_stage" {
		t.Errorf("an unknown value shows as itself: %q", got)
	}
	if got := fr.Label("stage", ""); got != "—" {
		t.Errorf("no value: %q", got)
	}
	if got := fr.T("nc.title", "NC-1"); got != "Non-conformité NC-1" {
		t.Errorf("T: %q", got)
	}
	if got := fr.T("requests.what.contact.add", ""); got != "Nouvel interlocuteur" {
		t.Errorf("a message without the argument's place: %q", got)
	}
	if got := fr.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
}
