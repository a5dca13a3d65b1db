package pdfpage

import (
	"bytes"
	"compress/zlib"
	_ "embed"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/ecert-desktop/ecert-desktop/sync/pdfpage/ttf"
)

// DejaVu Sans covers Latin, Greek, Cyrillic and Arabic (with its presentation forms);
// its licence (fonts/DejaVuSans-LICENSE.txt) lets it ship inside a program.
//
//go:embed fonts/DejaVuSans.ttf
var dejaVuSans []byte

// FallbackFonts are TrueType fonts looked for on the computer, in this order, for the
// characters DejaVu Sans lacks (CJK, Hangul, Thai, Devanagari, Ethiopic…): the Noto and
// Droid fonts of Linux distributions (build/scripts/setup.sh installs them), then
// Windows' own. A package variable so that tests can change it; read once, at the first
// line that needs it.
var FallbackFonts = []string{
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
	"/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf",
	"/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
	"/usr/share/fonts/truetype/noto/NotoSansEthiopic-Regular.ttf",
	"/usr/share/fonts/truetype/noto/NotoSansArmenian-Regular.ttf",
	"/usr/share/fonts/truetype/noto/NotoSansGeorgian-Regular.ttf",
	"/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf",
	winFont("malgun.ttf"), winFont("msyh.ttc"), winFont("YuGothR.ttc"), winFont("simsun.ttc"),
	winFont("LeelawUI.ttf"), winFont("Nirmala.ttf"), winFont("ebrima.ttf"), winFont("arialuni.ttf"),
}

func winFont(name string) string {
	dir := os.Getenv("WINDIR")
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "Fonts", name)
}

// namedFont is a parsed font and the name it has in a PDF.
type namedFont struct {
	name string
	font *ttf.Font
}

var (
	fontsOnce sync.Once
	fonts     []namedFont
)

// loadFonts parses the embedded font and whichever fallbacks exist; a fallback that is
// missing or unreadable is skipped (its characters print as '?').
func loadFonts() []namedFont {
	fontsOnce.Do(func() {
		f, err := ttf.Parse(dejaVuSans)
		if err != nil {
			panic("pdfpage: the embedded font does not parse: " + err.Error())
		}
		fonts = []namedFont{{"DejaVuSans", f}}
		for _, path := range FallbackFonts {
			if path == "" {
				continue
			}
			data, err := os.ReadFile(path)
			if err != nil {
				continue
			}
			if f, err := ttf.Parse(data); err == nil {
				name := strings.Map(func(r rune) rune {
					if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
						return r
					}
					return -1
				}, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
				fonts = append(fonts, namedFont{name, f})
			}
		}
	})
	return fonts
}

// winAnsi tells whether s prints in the standard fonts' WinAnsi encoding.
func winAnsi(s string) bool {
	for _, r := range s {
		if !(r >= 0x20 && r < 0x7f || r >= 0xa0 && r <= 0xff) {
			if _, ok := winAnsiExtra[r]; !ok {
				return false
			}
		}
	}
	return true
}

// usedFont is a font that a page uses: its glyphs and the text each stands for.
type usedFont struct {
	namedFont
	text map[uint16]string
}

// unicodeText draws lines of any script with embedded TrueType fonts (CID fonts with
// Identity-H encoding, whose codes are glyph numbers), each character in the first
// font that has it.
type unicodeText struct {
	fonts []namedFont
	used  []*usedFont // same index as fonts; nil when unused
}

func newUnicodeText() *unicodeText {
	f := loadFonts()
	return &unicodeText{fonts: f, used: make([]*usedFont, len(f))}
}

// glyph finds r in the fonts: the font's index and the glyph; false when no font has it.
func (u *unicodeText) glyph(r rune) (int, uint16, bool) {
	for i, f := range u.fonts {
		if g, ok := f.font.Glyph(r); ok {
			return i, g, true
		}
	}
	return 0, 0, false
}

func (u *unicodeText) use(i int, g uint16, text string) {
	if u.used[i] == nil {
		u.used[i] = &usedFont{namedFont: u.fonts[i], text: map[uint16]string{}}
	}
	if _, ok := u.used[i].text[g]; !ok {
		u.used[i].text[g] = text
	}
}

// line writes the operators that draw s at the current text position: a run of glyph
// numbers per font. Right-to-left stretches are shaped and drawn in visual order, as
// PDF readers expect: text extraction puts them back in reading order. (ActualText is
// not used: poppler reverses it a second time.)
func (u *unicodeText) line(w *bytes.Buffer, s string, size float64) {
	font := -1
	// place returns each character's font and glyph, noting the text it stands for.
	place := func(runs []glyphRun) (fonts []int, glyphs []uint16) {
		for _, gr := range runs {
			i, g, ok := u.glyph(gr.r)
			if !ok && gr.r >= 0xFE70 && gr.r <= 0xFEFF {
				// A font without presentation forms: the plain letter, unjoined.
				i, g, ok = u.glyph([]rune(gr.text)[0])
			}
			text := gr.text
			if !ok {
				i, g, _ = u.glyph('?')
				text = "?"
			}
			u.use(i, g, text)
			fonts, glyphs = append(fonts, i), append(glyphs, g)
		}
		return fonts, glyphs
	}
	// show draws glyphs left to right, a string per run of one font.
	show := func(fonts []int, glyphs []uint16) {
		for i := 0; i < len(glyphs); {
			if fonts[i] != font {
				font = fonts[i]
				fmt.Fprintf(w, "/U%d %.1f Tf ", font, size)
			}
			w.WriteString("<")
			for ; i < len(glyphs) && fonts[i] == font; i++ {
				fmt.Fprintf(w, "%04X", glyphs[i])
			}
			w.WriteString("> Tj ")
		}
	}
	for _, seg := range segments(s) {
		if !seg.rtl {
			runs := make([]glyphRun, len(seg.text))
			for i, r := range seg.text {
				runs[i] = glyphRun{r, string(r)}
			}
			show(place(runs))
			continue
		}
		shaped := shapeArabic(seg.text)
		slices.Reverse(shaped)
		show(place(shaped))
	}
}

// utf16Hex writes s as a PDF text string in UTF-16BE with its byte order mark.
func utf16Hex(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, c := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", c)
	}
	b.WriteString(">")
	return b.String()
}

// fontObjects returns the objects of the fonts used, numbered from first on, and the
// page's font resources (/U0 12 0 R …).
func (u *unicodeText) fontObjects(first int) (objects []string, resources string) {
	var res strings.Builder
	n := first
	for i, f := range u.used {
		if f == nil {
			continue
		}
		gids := make([]uint16, 0, len(f.text))
		for g := range f.text {
			gids = append(gids, g)
		}
		slices.Sort(gids)
		name := subsetTag(f.name, gids) + "+" + f.name
		var widths strings.Builder
		for _, g := range gids {
			fmt.Fprintf(&widths, "%d [%d] ", g, f.font.Advance(g))
		}
		file := f.font.Subset(gids)
		fmt.Fprintf(&res, "/U%d %d 0 R ", i, n)
		objects = append(objects,
			fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", name, n+1, n+4),
			fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "+
				"/FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW 1000 /W [%s] >>", name, n+2, widths.String()),
			fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%d %d %d %d] /ItalicAngle 0 /Ascent %d /Descent %d "+
				"/CapHeight %d /StemV 80 /FontFile2 %d 0 R >>", name, f.font.BBox[0], f.font.BBox[1], f.font.BBox[2], f.font.BBox[3],
				f.font.Ascent, f.font.Descent, f.font.Ascent, n+3),
			deflated(file, fmt.Sprintf("/Length1 %d", len(file))),
			deflated(toUnicode(gids, f.text), ""),
		)
		n += 5
	}
	return objects, res.String()
}

// subsetTag is the six capital letters that name a font subset, the same for the same glyphs.
func subsetTag(name string, gids []uint16) string {
	h := fnv.New64a()
	h.Write([]byte(name))
	for _, g := range gids {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	v := h.Sum64()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(v%26)
		v /= 26
	}
	return string(tag)
}

// toUnicode is the CMap that gives the text of each glyph, for copying and searching.
func toUnicode(gids []uint16, text map[uint16]string) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for from := 0; from < len(gids); from += 100 {
		chunk := gids[from:min(from+100, len(gids))]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			hex := utf16Hex(text[g])
			fmt.Fprintf(&b, "<%04X> <%s\n", g, hex[5:])
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// deflated is a stream object of data compressed with Flate, with extra dictionary entries.
func deflated(data []byte, extra string) string {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(data)
	zw.Close()
	return fmt.Sprintf("<< /Length %d /Filter /FlateDecode %s>>\nstream\n%s\nendstream", z.Len(), extra, z.String())
}

// WinAnsiOnly tells whether s prints in the standard fonts, with no font embedded.
func WinAnsiOnly(s string) bool { return winAnsi(s) }
