package evidence

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxNameBytes bounds SafeName's output. 180 leaves room under the 255-byte limit of
// common file systems for a " (2)" suffix or a folder prefix added by the caller.
const maxNameBytes = 180

// maxExtBytes is the longest suffix SafeName treats as an extension to keep when it
// shortens a name; a longer "extension" is just part of the name.
const maxExtBytes = 16

// fallbackName replaces a name with nothing showable left in it.
const fallbackName = "file"

// SafeName turns any file name (from a user, a portal or a ZIP) into one that is safe
// to show and to save on Windows, macOS and Linux. It is idempotent:
// SafeName(SafeName(x)) == SafeName(x). Steps, in order:
//   - only the last path element is kept; both / and \ are separators;
//   - invalid UTF-8, control characters and <>:"|?* become "_", bidirectional controls
//     (used to disguise "exe" as "pdf") are dropped, and the name is put in NFC, since
//     macOS hands out decomposed accents;
//   - leading spaces and trailing spaces and dots are trimmed (Windows drops the latter);
//   - a name longer than 180 bytes is cut on a character boundary, keeping its extension;
//   - Windows device names (CON, NUL, COM1, … also with an extension) get a "_" prefix;
//   - an empty result, or one made only of dots, becomes "file".
func SafeName(name string) string {
	name = strings.TrimRight(name, `/\`)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(name, "_")
	name = strings.Map(safeRune, name)
	name = norm.NFC.String(name)
	name = trimName(name)
	name = truncateName(name, maxNameBytes)
	if isWindowsDevice(name) {
		name = truncateName("_"+name, maxNameBytes)
	}
	if strings.Trim(name, ". ") == "" {
		return fallbackName
	}
	return name
}

// safeRune maps one rune of a name: -1 drops it.
func safeRune(r rune) rune {
	switch {
	case r == utf8.RuneError, unicode.IsControl(r), strings.ContainsRune(`<>:"|?*/\`, r):
		return '_'
	case unicode.Is(unicode.Bidi_Control, r), r == '\uFEFF':
		return -1
	}
	return r
}

func trimName(s string) string {
	return strings.TrimRight(strings.TrimLeft(s, " "), ". ")
}

// truncateName cuts s to at most limit bytes, keeping a short extension, never inside a
// UTF-8 sequence nor between a letter and its combining accent.
func truncateName(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	stem, ext := s, ""
	if i := strings.LastIndexByte(s, '.'); i > 0 && len(s)-i <= maxExtBytes {
		stem, ext = s[:i], s[i:]
	}
	stem = cutUTF8(stem, limit-len(ext))
	stem = trimName(stem)
	if stem == "" {
		// Nothing of the stem fits (cannot happen with limit > maxExtBytes): keep the start.
		return trimName(cutUTF8(s, limit))
	}
	return stem + ext
}

// cutUTF8 returns the longest prefix of s of at most n bytes that ends on a
// normalisation boundary, so that the prefix of an NFC string stays NFC.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	if norm.NFC.FirstBoundaryInString(s[n:]) == 0 {
		return s[:n] // what follows starts a new character
	}
	if b := norm.NFC.LastBoundary([]byte(s[:n])); b > 0 {
		return s[:b]
	}
	return s[:n]
}

// isWindowsDevice reports whether Windows would open a device instead of a file for
// name: the part before the first dot, without trailing spaces, is a reserved name.
func isWindowsDevice(name string) bool {
	stem, _, _ := strings.Cut(name, ".")
	stem = strings.ToUpper(strings.TrimRight(stem, " "))
	switch stem {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(stem) >= 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) {
		switch stem[3:] {
		case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
			return true
		}
	}
	return false
}

// ParseFolder returns the NC id an inbox sub-folder name stands for. Only the exact form
// NC-<digits>-<4 digits> (ASCII digits) is accepted, so "..", names with separators or
// control characters, and look-alikes with spaces or other digits are not NC folders.
func ParseFolder(name string) (ncID string, ok bool) {
	rest, found := strings.CutPrefix(name, "NC-")
	if !found {
		return "", false
	}
	num, year, found := strings.Cut(rest, "-")
	if !found || num == "" || len(year) != 4 || !allDigits(num) || !allDigits(year) {
		return "", false
	}
	return name, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
