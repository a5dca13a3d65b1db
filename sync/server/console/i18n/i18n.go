// Package i18n is the analyst console's message catalogue: one JSON file of flat keys
// per language (en, fr, es, pt), the choice of language for a request, and the
// language's way of writing dates, times and sizes.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Langs are the console's languages; the first is the fallback.
var Langs = []string{"en", "fr", "es", "pt"}

// Fallback is the language of a request that names none the console speaks.
const Fallback = "en"

//go:embed *.json
var files embed.FS

// Catalogue is one language's messages.
type Catalogue struct {
	lang string
	msgs map[string]string
}

var catalogues = func() map[string]*Catalogue {
	out := map[string]*Catalogue{}
	for _, l := range Langs {
		b, err := files.ReadFile(l + ".json")
		if err != nil {
			panic(err)
		}
		c := &Catalogue{lang: l}
		if err := json.Unmarshal(b, &c.msgs); err != nil {
			panic(fmt.Sprintf("console i18n %s.json: %v", l, err))
		}
		out[l] = c
	}
	return out
}()

// Supported reports whether the console speaks lang.
func Supported(lang string) bool { return slices.Contains(Langs, lang) }

// For returns lang's catalogue, English for a language the console does not speak.
func For(lang string) *Catalogue {
	if c, ok := catalogues[lang]; ok {
		return c
	}
	return catalogues[Fallback]
}

// Pick chooses a request's language: the chooser's cookie when it names a language
// of the console, else the best of Accept-Language, else English.
func Pick(cookie, acceptLanguage string) string {
	if Supported(cookie) {
		return cookie
	}
	type pref struct {
		lang string
		q    float64
	}
	var prefs []pref
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if Supported(base) && q > 0 {
			prefs = append(prefs, pref{base, q})
		}
	}
	sort.SliceStable(prefs, func(i, j int) bool { return prefs[i].q > prefs[j].q })
	if len(prefs) > 0 {
		return prefs[0].lang
	}
	return Fallback
}

// Lang is the catalogue's language code (also the page's lang attribute).
func (c *Catalogue) Lang() string { return c.lang }

// Has reports whether the catalogue has key.
func (c *Catalogue) Has(key string) bool { _, ok := c.msgs[key]; return ok }

// Keys lists the catalogue's keys, sorted.
func (c *Catalogue) Keys() []string {
	out := make([]string, 0, len(c.msgs))
	for k := range c.msgs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Raw is the message of key as written in the file, placeholders unfilled.
func (c *Catalogue) Raw(key string) string { return c.msgs[key] }

// T is the message of key with its %-placeholders filled with args (fmt's verbs, so
// a translation may reorder them with %[2]s). A missing key shows as itself: the
// catalogue test keeps that from happening.
func (c *Catalogue) T(key string, args ...any) string {
	m, ok := c.msgs[key]
	if !ok {
		return key
	}
	if len(args) == 0 || !strings.Contains(m, "%") {
		return m // a message may leave out what its arguments say (an empty id)
	}
	return fmt.Sprintf(m, args...)
}

// Label is the message of prefix+"."+value, or value itself when the catalogue has no
// such key (data the console does not know the words of, e.g. a newer server's), and
// an em dash for no value.
func (c *Catalogue) Label(prefix, value string) string {
	if value == "" {
		return "—"
	}
	if m, ok := c.msgs[prefix+"."+value]; ok {
		return m
	}
	return value
}

// Date writes a calendar day the language's way (format.date, a Go layout).
func (c *Catalogue) Date(t time.Time) string { return t.Format(c.msgs["format.date"]) }

// DateTime writes an instant in UTC the language's way (format.datetime).
func (c *Catalogue) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(c.msgs["format.datetime"])
}

// Size writes a byte count for people with the language's decimal separator and units.
func (c *Catalogue) Size(n int64) string {
	one := func(v float64, unit string) string {
		s := strconv.FormatFloat(v, 'f', 1, 64)
		s = strings.Replace(s, ".", c.msgs["format.decimal"], 1)
		return c.T(unit, s)
	}
	switch {
	case n >= 1<<30:
		return one(float64(n)/(1<<30), "size.gb")
	case n >= 1<<20:
		return one(float64(n)/(1<<20), "size.mb")
	case n >= 1<<10:
		return c.T("size.kb", strconv.FormatInt((n+512)>>10, 10))
	}
	return c.T("size.bytes", strconv.FormatInt(n, 10))
}
