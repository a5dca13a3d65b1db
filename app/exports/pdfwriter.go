package exports

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/ecert-desktop/ecert-desktop/sync/pdfpage"
)

// A small PDF 1.4 writer for text pages. Text in WinAnsi (the languages of the register,
// most names) uses the standard Helvetica fonts, which every viewer has; other text
// (Greek, Cyrillic, Central European accents, CJK…) uses subsets of TrueType fonts
// embedded by sync/pdfpage, as the partners' proof does. Pages are written as they are
// finished, so a long document never sits in memory; they share one resource
// dictionary, written at the end with the embedded fonts, once every glyph is known.
// The object offsets are counted as bytes go out, and the page tree and
// cross-reference table come last.

// Fixed object numbers; pages take the numbers from firstPageObj on, two per page.
const (
	catalogObj   = 1
	pagesObj     = 2
	fontObj      = 3 // Helvetica
	boldObj      = 4 // Helvetica-Bold
	infoObj      = 5
	resourcesObj = 6 // the pages' fonts: the standard two, and the embedded ones
	firstPageObj = 7
)

// A4 portrait, in points.
const (
	pageWidth  = 595.0
	pageHeight = 842.0
)

type pdfWriter struct {
	w       *bufio.Writer
	n       int64   // bytes written so far
	offsets []int64 // by object number; 0 means not written yet
	pages   []int   // page object numbers
	content bytes.Buffer
	zbuf    bytes.Buffer
	z       *zlib.Writer
	uni     *pdfpage.Text // the embedded fonts, from the first text outside WinAnsi on
	err     error
}

func newPDFWriter(w io.Writer) *pdfWriter {
	p := &pdfWriter{w: bufio.NewWriterSize(w, 64<<10), offsets: make([]int64, firstPageObj)}
	p.z, _ = zlib.NewWriterLevel(&p.zbuf, zlib.BestSpeed)
	// The second line's high bytes tell transfer tools that the file is binary.
	p.write("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	return p
}

func (p *pdfWriter) write(s string) {
	if p.err != nil {
		return
	}
	n, err := p.w.WriteString(s)
	p.n += int64(n)
	p.err = err
}

// object writes object num with the given body.
func (p *pdfWriter) object(num int, body string) {
	for len(p.offsets) <= num {
		p.offsets = append(p.offsets, 0)
	}
	p.offsets[num] = p.n
	p.write(fmt.Sprintf("%d 0 obj\n%s\nendobj\n", num, body))
}

// text draws s with its baseline at (x, y): in Helvetica when it can, else in the
// embedded fonts, bold drawn as a thin outline around the letters.
func (p *pdfWriter) text(x, y float64, bold bool, size float64, s string) {
	if pdfpage.WinAnsiOnly(s) {
		font := "F1"
		if bold {
			font = "F2"
		}
		fmt.Fprintf(&p.content, "BT /%s %.1f Tf %.1f %.1f Td (%s) Tj ET\n", font, size, x, y, pdfpage.String(s))
		return
	}
	if p.uni == nil {
		p.uni = pdfpage.NewText()
	}
	p.content.WriteString("BT ")
	if bold {
		fmt.Fprintf(&p.content, "2 Tr %.2f w ", size*0.04)
	}
	fmt.Fprintf(&p.content, "%.1f %.1f Td ", x, y)
	p.uni.Draw(&p.content, s, size)
	p.content.WriteString("ET\n")
	if bold {
		p.content.WriteString("0 Tr\n")
	}
}

// rule draws a thin grey horizontal line.
func (p *pdfWriter) rule(x1, x2, y float64) {
	fmt.Fprintf(&p.content, "0.7 G 0.5 w %.1f %.1f m %.1f %.1f l S 0 G\n", x1, y, x2, y)
}

// endPage writes the page drawn since the last one, its content compressed.
func (p *pdfWriter) endPage() {
	p.zbuf.Reset()
	p.z.Reset(&p.zbuf)
	p.z.Write(p.content.Bytes())
	p.z.Close()
	p.content.Reset()
	contents := firstPageObj + 2*len(p.pages)
	page := contents + 1
	p.object(contents, fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n", p.zbuf.Len())+p.zbuf.String()+"\nendstream")
	p.object(page, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.0f %.0f] /Resources %d 0 R /Contents %d 0 R >>",
		pagesObj, pageWidth, pageHeight, resourcesObj, contents))
	p.pages = append(p.pages, page)
}

// close writes the fixed objects, the cross-reference table and the trailer.
func (p *pdfWriter) close(title, lang string) error {
	p.object(catalogObj, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R /Lang %s >>", pagesObj, pdfpage.TextString(lang)))
	var kids strings.Builder
	for _, n := range p.pages {
		fmt.Fprintf(&kids, "%d 0 R ", n)
	}
	p.object(pagesObj, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), len(p.pages)))
	p.object(fontObj, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	p.object(boldObj, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	embedded := ""
	if p.uni != nil && p.uni.Used() {
		var objs []string
		first := len(p.offsets)
		objs, embedded = p.uni.Fonts(first)
		for i, o := range objs {
			p.object(first+i, o)
		}
	}
	p.object(resourcesObj, fmt.Sprintf("<< /Font << /F1 %d 0 R /F2 %d 0 R %s>> >>", fontObj, boldObj, embedded))
	p.object(infoObj, fmt.Sprintf("<< /Title %s /Producer (Ecert Desktop) >>", pdfpage.TextString(title)))
	xref := p.n
	p.write(fmt.Sprintf("xref\n0 %d\n0000000000 65535 f \n", len(p.offsets)))
	for _, off := range p.offsets[1:] {
		p.write(fmt.Sprintf("%010d 00000 n \n", off))
	}
	p.write(fmt.Sprintf("trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(p.offsets), catalogObj, infoObj, xref))
	if p.err != nil {
		return p.err
	}
	return p.w.Flush()
}

// helvetica holds Helvetica's advance widths (per 1,000 of the size) of the printable
// ASCII characters, from the font's metrics; textWidth uses it to wrap lines.
var helvetica = [95]int16{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space–/
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0–?
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @–O
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P–_
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `–o
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p–~
}

// measure finds the widths of text drawn in the embedded fonts (it draws nothing, so
// one serves every export, concurrently).
var measure = sync.OnceValue(pdfpage.NewText)

// textWidth is the width of s in points at the given size. Text in WinAnsi is measured
// in Helvetica, whose letters outside ASCII are taken as wide as a capital (accented
// capitals) or a small letter, which is close enough for wrapping; other text in the
// embedded fonts it is drawn with. Bold is a little wider.
func textWidth(s string, size float64, bold bool) float64 {
	if !pdfpage.WinAnsiOnly(s) {
		return embeddedWidth(s, size, bold)
	}
	var units int
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f:
			units += int(helvetica[r-0x20])
		case r >= 0xc0 && r <= 0xde:
			units += 722
		case r == '—':
			units += 1000
		default:
			units += 556
		}
	}
	w := float64(units) * size / 1000
	if bold {
		w *= 1.06
	}
	return w
}

// embeddedWidth is the width of s drawn in the embedded fonts (bold outlined a little wider).
func embeddedWidth(s string, size float64, bold bool) float64 {
	w := measure().Width(s, size)
	if bold {
		w *= 1.04
	}
	return w
}

// wrap breaks s into lines no wider than width; the first line is narrower by indent
// (a label stands before it). Lines break at spaces; a word longer than a line is cut.
// Line breaks in s are kept.
func wrap(s string, size float64, bold bool, width, indent float64) []string {
	var out []string
	avail := width - indent
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		// A paragraph with text outside WinAnsi has its lines drawn in the embedded
		// fonts, its Latin words too: every word is measured in them.
		wordWidth := textWidth
		if !pdfpage.WinAnsiOnly(para) {
			wordWidth = embeddedWidth
		}
		space := wordWidth(" ", size, bold)
		// The line's width is kept as words are added, so a paragraph costs one pass.
		var line strings.Builder
		var lineWidth float64
		for _, word := range strings.Fields(para) {
			w := wordWidth(word, size, bold)
			if line.Len() > 0 && lineWidth+space+w <= avail {
				line.WriteByte(' ')
				line.WriteString(word)
				lineWidth += space + w
				continue
			}
			if line.Len() == 0 && w <= avail {
				line.WriteString(word)
				lineWidth = w
				continue
			}
			if line.Len() > 0 {
				out = append(out, line.String())
				line.Reset()
				avail = width
			}
			for w > avail {
				cut := cutAt(word, size, bold, avail, wordWidth)
				out = append(out, word[:cut])
				word = word[cut:]
				w = wordWidth(word, size, bold)
				avail = width
			}
			line.WriteString(word)
			lineWidth = w
		}
		out = append(out, line.String())
		avail = width
	}
	return out
}

// cutAt is the byte index where word stops fitting in width (at least one rune).
func cutAt(word string, size float64, bold bool, width float64, widthOf func(string, float64, bool) float64) int {
	last := 0
	for i := range word {
		if i > 0 && widthOf(word[:i], size, bold) > width {
			break
		}
		last = i
	}
	if last == 0 {
		for i := range word {
			if i > 0 {
				return i
			}
		}
		return len(word)
	}
	return last
}
