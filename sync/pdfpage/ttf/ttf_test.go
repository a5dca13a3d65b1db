package ttf_test

import (
	"os"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/pdfpage/ttf"
)

func dejaVu(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../fonts/DejaVuSans.ttf")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestSubset: a subset keeps the glyph numbers, outlines and widths of the glyphs
// asked for (and of those they are built from), and is a fraction of the font.
func TestSubset(t *testing.T) {
	data := dejaVu(t)
	f, err := ttf.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	var glyphs []uint16
	for _, r := range "Αθηνά Чай جمعية é" { // é and others are composites in DejaVu
		g, ok := f.Glyph(r)
		if !ok {
			t.Fatalf("no glyph for %q", r)
		}
		glyphs = append(glyphs, g)
	}
	sub := f.Subset(glyphs)
	if len(sub) > len(data)/3 {
		t.Errorf("subset of %d bytes from %d", len(sub), len(data))
	}
	// The subset has no cmap (a PDF addresses glyphs by number): it does not parse as a
	// font of its own, which is what Parse must say, not panic.
	if _, err := ttf.Parse(sub); err == nil {
		t.Error("a font without cmap parsed")
	}
	if _, ok := f.Glyph('珈'); ok {
		t.Error("DejaVu Sans has no Han, Glyph says it has")
	}
	if a := f.Advance(glyphs[0]); a <= 0 || a > 2000 {
		t.Errorf("advance of Α: %d", a)
	}
	if f.Ascent <= 0 || f.Descent >= 0 || f.BBox[2] <= f.BBox[0] {
		t.Errorf("metrics: ascent %d, descent %d, bbox %v", f.Ascent, f.Descent, f.BBox)
	}
}

// TestParseBadInput: files that are not fonts, or fonts cut short, give an error.
func TestParseBadInput(t *testing.T) {
	data := dejaVu(t)
	cases := map[string][]byte{
		"empty":      nil,
		"text":       []byte("this is not a font, it is some text long enough"),
		"header":     data[:12],
		"cut":        data[:4000],
		"collection": []byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\xff\xff\xff\xff"),
	}
	for name, in := range cases {
		if _, err := ttf.Parse(in); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

// FuzzParse: whatever the bytes, Parse returns a font or an error, and a font it
// returns answers Glyph, Advance and Subset without panicking.
func FuzzParse(f *testing.F) {
	data, err := os.ReadFile("../fonts/DejaVuSans.ttf")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data[:2048])
	f.Add([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10"))
	f.Fuzz(func(t *testing.T, in []byte) {
		font, err := ttf.Parse(in)
		if err != nil {
			return
		}
		g, _ := font.Glyph('A')
		font.Advance(g)
		font.Subset([]uint16{g, 1, 65535})
	})
}
