package ttf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
)

// Font is a parsed TrueType font (glyf outlines; CFF fonts are refused). It holds the
// file's bytes and does not copy them: the caller must not change them afterwards.
type Font struct {
	data       []byte
	tables     map[string][]byte
	numGlyphs  int
	unitsPerEm int
	longLoca   bool
	cmap       map[rune]uint16
	advances   []uint16 // font units, one per glyph
	// Ascent, Descent and the bounding box, in thousandths of the em as PDF wants them.
	Ascent, Descent int
	BBox            [4]int
}

var be = binary.BigEndian

// Parse reads a TrueType font file, or the first font of a TrueType collection (.ttc).
func Parse(data []byte) (*Font, error) {
	if len(data) < 12 {
		return nil, errors.New("ttf: file too short")
	}
	dir := 0
	if string(data[:4]) == "ttcf" {
		if len(data) < 16 {
			return nil, errors.New("ttf: collection too short")
		}
		dir = int(be.Uint32(data[12:]))
	}
	if dir+12 > len(data) {
		return nil, errors.New("ttf: bad table directory")
	}
	f := &Font{data: data, tables: map[string][]byte{}}
	n := int(be.Uint16(data[dir+4:]))
	for i := 0; i < n; i++ {
		rec := dir + 12 + 16*i
		if rec+16 > len(data) {
			return nil, errors.New("ttf: bad table directory")
		}
		tag := string(data[rec : rec+4])
		off, size := int(be.Uint32(data[rec+8:])), int(be.Uint32(data[rec+12:]))
		if off < 0 || size < 0 || off+size > len(data) {
			return nil, fmt.Errorf("ttf: table %q out of the file", tag)
		}
		f.tables[tag] = data[off : off+size]
	}
	for _, need := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"} {
		if f.tables[need] == nil {
			return nil, fmt.Errorf("ttf: no %q table (only TrueType outlines are supported)", need)
		}
	}
	head, hhea := f.tables["head"], f.tables["hhea"]
	if len(head) < 54 || len(hhea) < 36 || len(f.tables["maxp"]) < 6 {
		return nil, errors.New("ttf: short head, hhea or maxp")
	}
	f.unitsPerEm = int(be.Uint16(head[18:]))
	if f.unitsPerEm == 0 {
		return nil, errors.New("ttf: unitsPerEm is 0")
	}
	f.longLoca = be.Uint16(head[50:]) == 1
	f.numGlyphs = int(be.Uint16(f.tables["maxp"][4:]))
	for i := range 4 {
		f.BBox[i] = f.scale(int(int16(be.Uint16(head[36+2*i:]))))
	}
	f.Ascent = f.scale(int(int16(be.Uint16(hhea[4:]))))
	f.Descent = f.scale(int(int16(be.Uint16(hhea[6:]))))
	if err := f.readAdvances(int(be.Uint16(hhea[34:]))); err != nil {
		return nil, err
	}
	if err := f.readCmap(); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *Font) scale(v int) int { return v * 1000 / f.unitsPerEm }

func (f *Font) readAdvances(long int) error {
	hmtx := f.tables["hmtx"]
	if long == 0 || long > f.numGlyphs || 4*long > len(hmtx) {
		return errors.New("ttf: bad hmtx")
	}
	f.advances = make([]uint16, f.numGlyphs)
	for g := range f.numGlyphs {
		if g < long {
			f.advances[g] = be.Uint16(hmtx[4*g:])
		} else {
			f.advances[g] = f.advances[long-1]
		}
	}
	return nil
}

// readCmap reads the Unicode subtable: format 12 (all planes) when there is one, else
// format 4 (the basic plane).
func (f *Font) readCmap() error {
	cm := f.tables["cmap"]
	if len(cm) < 4 {
		return errors.New("ttf: short cmap")
	}
	var best []byte
	bestFormat := 0
	for i := range int(be.Uint16(cm[2:])) {
		rec := 4 + 8*i
		if rec+8 > len(cm) {
			break
		}
		platform, encoding := be.Uint16(cm[rec:]), be.Uint16(cm[rec+2:])
		off := int(be.Uint32(cm[rec+4:]))
		if off+4 > len(cm) || !(platform == 0 || platform == 3 && (encoding == 1 || encoding == 10)) {
			continue
		}
		format := int(be.Uint16(cm[off:]))
		if (format == 12 || format == 4) && format > bestFormat {
			best, bestFormat = cm[off:], format
		}
	}
	f.cmap = map[rune]uint16{}
	switch bestFormat {
	case 12:
		if len(best) < 16 {
			return errors.New("ttf: short cmap format 12")
		}
		n := int(be.Uint32(best[12:]))
		if n > (len(best)-16)/12 {
			return errors.New("ttf: short cmap format 12")
		}
		for i := range n {
			g := best[16+12*i:]
			start, end, gid := be.Uint32(g), be.Uint32(g[4:]), be.Uint32(g[8:])
			for c := start; c <= end && c <= 0x10ffff; c++ {
				if id := gid + c - start; id < uint32(f.numGlyphs) {
					f.cmap[rune(c)] = uint16(id)
				}
			}
		}
	case 4:
		if len(best) < 14 {
			return errors.New("ttf: short cmap format 4")
		}
		segs := int(be.Uint16(best[6:])) / 2
		if 16+8*segs > len(best) {
			return errors.New("ttf: short cmap format 4")
		}
		ends, starts := best[14:], best[16+2*segs:]
		deltas, ranges := best[16+4*segs:], best[16+6*segs:]
		for s := range segs {
			end, start := int(be.Uint16(ends[2*s:])), int(be.Uint16(starts[2*s:]))
			delta, ro := int(be.Uint16(deltas[2*s:])), int(be.Uint16(ranges[2*s:]))
			for c := start; c <= end && c < 0xffff; c++ {
				gid := 0
				if ro == 0 {
					gid = (c + delta) & 0xffff
				} else {
					at := 16 + 6*segs + 2*s + ro + 2*(c-start)
					if at+2 > len(best) {
						continue
					}
					if gid = int(be.Uint16(best[at:])); gid != 0 {
						gid = (gid + delta) & 0xffff
					}
				}
				if gid != 0 && gid < f.numGlyphs {
					f.cmap[rune(c)] = uint16(gid)
				}
			}
		}
	default:
		return errors.New("ttf: no Unicode cmap")
	}
	return nil
}

// Glyph returns the glyph of r, and false when the font has none.
func (f *Font) Glyph(r rune) (uint16, bool) {
	g, ok := f.cmap[r]
	return g, ok
}

// Advance returns a glyph's advance width in thousandths of the em.
func (f *Font) Advance(g uint16) int {
	if int(g) >= len(f.advances) {
		return 0
	}
	return f.scale(int(f.advances[g]))
}

func (f *Font) glyph(g int) []byte {
	loca, glyf := f.tables["loca"], f.tables["glyf"]
	var from, to int
	if f.longLoca {
		if 4*g+8 > len(loca) {
			return nil
		}
		from, to = int(be.Uint32(loca[4*g:])), int(be.Uint32(loca[4*g+4:]))
	} else {
		if 2*g+4 > len(loca) {
			return nil
		}
		from, to = 2*int(be.Uint16(loca[2*g:])), 2*int(be.Uint16(loca[2*g+2:]))
	}
	if from >= to || to > len(glyf) {
		return nil
	}
	return glyf[from:to]
}

// components returns the glyphs a composite glyph is built from.
func components(data []byte) []int {
	if len(data) < 10 || int16(be.Uint16(data)) >= 0 {
		return nil
	}
	var out []int
	for at := 10; at+4 <= len(data); {
		more := be.Uint16(data[at:])&0x0020 != 0
		flags := be.Uint16(data[at:])
		out = append(out, int(be.Uint16(data[at+2:])))
		at += 4
		if flags&0x0001 != 0 { // arguments are words
			at += 4
		} else {
			at += 2
		}
		switch {
		case flags&0x0008 != 0: // one scale
			at += 2
		case flags&0x0040 != 0: // x and y scales
			at += 4
		case flags&0x0080 != 0: // 2 by 2 matrix
			at += 8
		}
		if !more {
			break
		}
	}
	return out
}

// Subset returns a TrueType font with the outlines of glyphs (and of the glyphs they are
// built from, and .notdef) only; every other glyph is left empty so that glyph numbers do
// not change (a PDF uses them as character codes). It keeps the tables a PDF viewer
// needs for an embedded CID font and drops the others (cmap, names, layout).
func (f *Font) Subset(glyphs []uint16) []byte {
	keep := map[int]bool{0: true}
	todo := []int{0}
	for _, g := range glyphs {
		todo = append(todo, int(g))
	}
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if g >= f.numGlyphs {
			continue
		}
		keep[g] = true
		for _, c := range components(f.glyph(g)) {
			if !keep[c] {
				todo = append(todo, c)
			}
		}
	}
	var glyf bytes.Buffer
	loca := make([]byte, 4*(f.numGlyphs+1))
	for g := range f.numGlyphs {
		be.PutUint32(loca[4*g:], uint32(glyf.Len()))
		if keep[g] {
			glyf.Write(f.glyph(g))
			for glyf.Len()%4 != 0 {
				glyf.WriteByte(0)
			}
		}
	}
	be.PutUint32(loca[4*f.numGlyphs:], uint32(glyf.Len()))
	head := slices.Clone(f.tables["head"])
	be.PutUint32(head[8:], 0) // checksum adjustment: not recomputed, readers ignore it
	be.PutUint16(head[50:], 1)
	tables := map[string][]byte{"head": head, "loca": loca, "glyf": glyf.Bytes()}
	for _, tag := range []string{"hhea", "maxp", "hmtx", "cvt ", "fpgm", "prep"} {
		if t := f.tables[tag]; t != nil {
			tables[tag] = t
		}
	}
	return writeFont(tables)
}

// writeFont lays tables out as a font file, sorted by tag as the format asks.
func writeFont(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	var out bytes.Buffer
	hdr := make([]byte, 12+16*n)
	be.PutUint32(hdr, 0x00010000)
	be.PutUint16(hdr[4:], uint16(n))
	pow := 1
	for pow*2 <= n {
		pow *= 2
	}
	be.PutUint16(hdr[6:], uint16(16*pow))
	exp := 0
	for 1<<(exp+1) <= pow {
		exp++
	}
	be.PutUint16(hdr[8:], uint16(exp))
	be.PutUint16(hdr[10:], uint16(16*n-16*pow))
	off := len(hdr)
	for i, tag := range tags {
		t := tables[tag]
		rec := hdr[12+16*i:]
		copy(rec, tag)
		be.PutUint32(rec[4:], checksum(t))
		be.PutUint32(rec[8:], uint32(off))
		be.PutUint32(rec[12:], uint32(len(t)))
		off += (len(t) + 3) &^ 3
	}
	out.Write(hdr)
	for _, tag := range tags {
		out.Write(tables[tag])
		for out.Len()%4 != 0 {
			out.WriteByte(0)
		}
	}
	return out.Bytes()
}

func checksum(t []byte) uint32 {
	var sum uint32
	for i := 0; i < len(t); i += 4 {
		var w [4]byte
		copy(w[:], t[i:])
		sum += be.Uint32(w[:])
	}
	return sum
}
