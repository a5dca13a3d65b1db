package workflow

import (
	"mime"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxFileNameBytes caps the name of an evidence file (the extension is kept).
const MaxFileNameBytes = 200

// SanitizeFileName makes a client's file name safe to store and show: the last
// element of a path, without control or bidirectional-override characters, without
// "..", without leading or trailing dots and spaces, at most MaxFileNameBytes long
// (keeping the extension). Accents and spaces stay. It returns "" when nothing is left.
func SanitizeFileName(name string) string {
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), r == '\u200e', r == '\u200f',
			r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\ufeff':
			return -1
		case r == ':' || r == '*' || r == '?' || r == '"' || r == '<' || r == '>' || r == '|':
			return '_' // refused by Windows file systems, where clients save files
		}
		return r
	}, name)
	for strings.Contains(name, "..") {
		name = strings.ReplaceAll(name, "..", ".")
	}
	name = strings.Trim(name, " .")
	if len(name) > MaxFileNameBytes {
		ext := path.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		name = strings.TrimRight(truncate(name[:len(name)-len(ext)], MaxFileNameBytes-len(ext)), " .") + ext
	}
	return name
}

// CleanMediaType keeps a client's media type when it is well-formed, else derives one
// from the name's extension.
func CleanMediaType(mt, name string) string {
	if mt != "" && len(mt) <= 200 {
		if t, params, err := mime.ParseMediaType(mt); err == nil && strings.Contains(t, "/") {
			return mime.FormatMediaType(t, params)
		}
	}
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(name))); t != "" {
		return t
	}
	return "application/octet-stream"
}

// truncate cuts s to at most n bytes, at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
