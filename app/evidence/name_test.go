package evidence_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/app/evidence"
)

func TestSafeName(t *testing.T) {
	long := strings.Repeat("é", 150) // 300 bytes
	cases := []struct {
		in, want string
	}{
		// Kept as they are.
		{"Contrôle qualité été.pdf", "Contrôle qualité été.pdf"},
		{"Audits 10-12 October 2018.xlsx", "Audits 10-12 October 2018.xlsx"},
		{"image.png", "image.png"},
		{".bashrc", ".bashrc"},
		{"日本語 ファイル.docx", "日本語 ファイル.docx"},

		// Decomposed accents (macOS) are composed.
		{"e\u0301te\u0301.pdf", "été.pdf"},

		// Directories are dropped, with either separator.
		{"/etc/passwd", "passwd"},
		{`a\b.txt`, "b.txt"},
		{`C:\Users\x\Desktop\preuve.jpg`, "preuve.jpg"},
		{"../../secret.txt", "secret.txt"},
		{"dossier/", "dossier"},

		// Nothing left to show.
		{"", "file"},
		{".", "file"},
		{"..", "file"},
		{"...", "file"},
		{"   ", "file"},
		{" . . ", "file"},
		{"/", "file"},
		{`\\`, "file"},

		// Spaces and dots at the edges.
		{"  rapport.pdf  ", "rapport.pdf"},
		{"rapport.pdf...", "rapport.pdf"},
		{"a  b.pdf", "a  b.pdf"},

		// Reserved and control characters.
		{`a<b>c:d"e|f?g*h.txt`, "a_b_c_d_e_f_g_h.txt"},
		{"line\nbreak\t.txt", "line_break_.txt"},
		{"nul\x00byte.txt", "nul_byte.txt"},
		{"del\x7f.txt", "del_.txt"},
		{"c1\u0085.txt", "c1_.txt"},

		// Bidirectional overrides that disguise an extension are dropped.
		{"facture\u202efdp.exe", "facturefdp.exe"},

		// Invalid UTF-8.
		{"bad\xff\xfe.txt", "bad_.txt"},
		{"\xc3.txt", "_.txt"},

		// Windows device names.
		{"CON.txt", "_CON.txt"},
		{"con", "_con"},
		{"Nul.tar.gz", "_Nul.tar.gz"},
		{"COM1.pdf", "_COM1.pdf"},
		{"lpt9", "_lpt9"},
		{"COM¹.txt", "_COM¹.txt"},
		{"CON .txt", "_CON .txt"},
		{"CONSOLE.txt", "CONSOLE.txt"},
		{"COM10.txt", "COM10.txt"},
		{"xCON.txt", "xCON.txt"},

		// Long names keep their extension and whole characters.
		{strings.Repeat("a", 300) + ".pdf", strings.Repeat("a", 176) + ".pdf"},
		{long + ".pdf", strings.Repeat("é", 88) + ".pdf"},
		{long, strings.Repeat("é", 90)},
		{strings.Repeat("a", 200) + "." + strings.Repeat("x", 40), strings.Repeat("a", 180)},
		{"CON" + strings.Repeat(" ", 200) + "x.txt", "_CON.txt"},
	}
	for _, tc := range cases {
		got := evidence.SafeName(tc.in)
		if got != tc.want {
			t.Errorf("SafeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		checkSafeName(t, tc.in, got)
	}
}

// checkSafeName asserts the properties every SafeName result has.
func checkSafeName(t *testing.T, in, got string) {
	t.Helper()
	if got == "" || strings.Trim(got, ". ") == "" {
		t.Errorf("SafeName(%q) = %q: empty or only dots and spaces", in, got)
	}
	if strings.ContainsAny(got, "/\\<>:\"|?*\x00") {
		t.Errorf("SafeName(%q) = %q: has a separator or reserved character", in, got)
	}
	if !utf8.ValidString(got) {
		t.Errorf("SafeName(%q) = %q: invalid UTF-8", in, got)
	}
	if len(got) > 180 {
		t.Errorf("SafeName(%q) is %d bytes, want ≤ 180", in, len(got))
	}
	if again := evidence.SafeName(got); again != got {
		t.Errorf("SafeName not idempotent: SafeName(%q) = %q, then %q", in, got, again)
	}
	for _, r := range got {
		if r < 0x20 || r == 0x7f {
			t.Errorf("SafeName(%q) = %q: has control character %U", in, got, r)
		}
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"Contrôle qualité été.pdf", "..", "/etc/passwd", `a\b.txt`, "CON.txt", "\x00", "\xff", strings.Repeat("é", 200) + ".pdf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkSafeName(t, in, evidence.SafeName(in))
	})
}

func TestParseFolder(t *testing.T) {
	cases := []struct {
		name string
		ok   bool
	}{
		// NC folders.
		{"NC-150424-2019", true},
		{"NC-167140-2019", true},
		{"NC-1-0000", true},

		// Not NC folders.
		{"", false},
		{".", false},
		{"..", false},
		{"NC-150424-2019/..", false},
		{"NC-150424-2019/x", false},
		{`NC-150424-2019\x`, false},
		{"../NC-150424-2019", false},
		{"nc-150424-2018", false},
		{"NC-150424-18", false},
		{"NC-150424-20199", false},
		{"NC--2018", false},
		{"NC-150424", false},
		{"NC-15a424-2018", false},
		{" NC-150424-2019", false},
		{"NC-150424-2019 ", false},
		{"NC-150424-2019\n", false},
		{"NC-150424-2019\x00", false},
		{"NC-١٥٠-2018", false}, // Arabic-Indic digits
		{"NC-150424-2019-2", false},
		{"Autres", false},
	}
	for _, tc := range cases {
		id, ok := evidence.ParseFolder(tc.name)
		if ok != tc.ok {
			t.Errorf("ParseFolder(%q) ok = %v, want %v", tc.name, ok, tc.ok)
		}
		if ok && id != tc.name {
			t.Errorf("ParseFolder(%q) = %q, want the name itself", tc.name, id)
		}
	}
}

func FuzzParseFolder(f *testing.F) {
	for _, s := range []string{"NC-150424-2019", "..", "NC-1-2018/..", `NC-1-2018\x`, "NC-1-201"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		id, ok := evidence.ParseFolder(name)
		if !ok {
			return
		}
		if strings.ContainsAny(name, `/\`) || strings.Contains(name, "..") || id != name {
			t.Errorf("ParseFolder(%q) = %q, true", name, id)
		}
		for _, r := range name {
			if r < 0x20 || r == 0x7f {
				t.Errorf("ParseFolder(%q) accepted a control character", name)
			}
		}
	})
}

func TestMediaType(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	cases := []struct {
		name string
		head []byte
		want string
	}{
		{"a.pdf", nil, "application/pdf"},
		{"A.PDF", nil, "application/pdf"},
		{"photo.JPG", nil, "image/jpeg"},
		{"tableau.xlsx", []byte("PK\x03\x04"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"sans-extension", png, "image/png"},
		{"x.inconnu", []byte("%PDF-1.7\n"), "application/pdf"},
		{"x", []byte{0, 1, 2, 3}, "application/octet-stream"},
	}
	for _, tc := range cases {
		if got := evidence.MediaType(tc.name, tc.head); got != tc.want {
			t.Errorf("MediaType(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
