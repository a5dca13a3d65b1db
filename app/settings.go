package app

import (
	"os"
	"slices"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Settings holds the user's preferences of the UI (the language).
type Settings struct{ *base }

// Languages of the UI.
var Languages = []string{"fr", "en", "es", "pt"}

// Language returns the chosen language, or on first start the system's when it is one
// of the UI's, else English.
func (s *Settings) Language() string {
	if l, _ := s.store.Meta(s.ctx, store.MetaLanguage); l != "" {
		return l
	}
	return SystemLanguage()
}

// SetLanguage saves the UI language.
func (s *Settings) SetLanguage(lang string) error {
	if !slices.Contains(Languages, lang) {
		return s.fail(&CodeError{Code: api.CodeInvalidInput})
	}
	return s.fail(s.store.SetMeta(s.ctx, store.MetaLanguage, lang))
}

// SystemLanguage reads the POSIX locale variables (LC_ALL, LC_MESSAGES, LANG):
// "fr_FR.UTF-8" gives "fr". Unknown languages give "en".
func SystemLanguage() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		if l := os.Getenv(v); l != "" && l != "C" && l != "POSIX" {
			l = strings.ToLower(l[:min(2, len(l))])
			if slices.Contains(Languages, l) {
				return l
			}
			return "en"
		}
	}
	return "en"
}
