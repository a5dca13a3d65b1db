package exports

import (
	"archive/zip"
	"bufio"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A small writer of Office Open XML workbooks (one sheet, one table), enough for the
// register. It has no package-level state, so that a command that never exports pays
// nothing for it at start, and rows go straight into the zip, so a large register costs
// little more memory than a small one.

// Cell styles, as indexes into styles.xml's cellXfs (0 is the default).
const (
	styleNone = iota
	styleTitle
	styleHeader
	styleDate
	styleText
)

// maxCellChars is the most characters (UTF-16 units) a cell may hold.
const maxCellChars = 32767

// cell is one value of a row: text, a number, or nothing.
type cell struct {
	kind  byte // 0 empty, 's' text, 'n' number
	text  string
	num   float64
	style int
}

func textCell(s string, style int) cell { return cell{kind: 's', text: s, style: style} }
func numCell(n float64, style int) cell { return cell{kind: 'n', num: n, style: style} }

// dateCell is a date as Excel keeps it: days since 30 December 1899, in the date style.
func dateCell(t time.Time) cell {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return numCell(float64(day.Sub(base)/(24*time.Hour)), styleDate)
}

// sheetSpec is what the workbook says around the rows.
type sheetSpec struct {
	name      string    // the sheet's tab
	widths    []float64 // column widths, in characters
	freezeRow int       // rows above this line stay in view (0: none)
	title     string    // document properties
	creator   string
	lang      string
}

// xlsxWriter writes a workbook: newXLSX writes the parts before the sheet's rows,
// rowAt writes each row, setTable marks a range as an Excel table, and close writes the rest.
type xlsxWriter struct {
	zw    *zip.Writer
	sheet *bufio.Writer
	spec  sheetSpec
	row   int
	cols  []string // column letters
	table *xlsxTable
	err   error
}

type xlsxTable struct {
	name, style string
	first, last int // rows of the header and the last data row
	headers     []string
}

func newXLSX(w io.Writer, spec sheetSpec) (*xlsxWriter, error) {
	x := &xlsxWriter{zw: zip.NewWriter(w), spec: spec}
	for i := range spec.widths {
		x.cols = append(x.cols, columnName(i+1))
	}
	x.part("_rels/.rels", rootRels)
	x.part("docProps/core.xml", xmlHeader+`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>`+
		escapeXML(spec.title)+`</dc:title><dc:creator>`+escapeXML(spec.creator)+`</dc:creator><dc:language>`+
		escapeXML(spec.lang)+`</dc:language></cp:coreProperties>`)
	x.part("xl/workbook.xml", xmlHeader+`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets><sheet name="`+
		escapeXML(spec.name)+`" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	x.part("xl/_rels/workbook.xml.rels", workbookRels)
	x.part("xl/styles.xml", styles)
	if x.err != nil {
		return nil, x.err
	}
	part, err := x.zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return nil, err
	}
	x.sheet = bufio.NewWriterSize(part, 64<<10)
	var b strings.Builder
	b.WriteString(xmlHeader + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetViews><sheetView tabSelected="1" workbookViewId="0">`)
	if spec.freezeRow > 0 {
		top := "A" + strconv.Itoa(spec.freezeRow+1)
		b.WriteString(`<pane ySplit="` + strconv.Itoa(spec.freezeRow) + `" topLeftCell="` + top +
			`" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="` + top + `" sqref="` + top + `"/>`)
	}
	b.WriteString(`</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>`)
	if len(spec.widths) > 0 {
		b.WriteString(`<cols>`)
		for i, wd := range spec.widths {
			n := strconv.Itoa(i + 1)
			b.WriteString(`<col min="` + n + `" max="` + n + `" width="` + strconv.FormatFloat(wd, 'f', -1, 64) + `" customWidth="1"/>`)
		}
		b.WriteString(`</cols>`)
	}
	b.WriteString(`<sheetData>`)
	x.write(b.String())
	return x, x.err
}

// rowAt writes row n (numbered from 1); rows come in order, and one left out is empty.
func (x *xlsxWriter) rowAt(n int, cells []cell) error {
	if x.err != nil {
		return x.err
	}
	if n <= x.row {
		return errors.New("xlsx: rows out of order")
	}
	if len(cells) > len(x.cols) {
		return errors.New("xlsx: more cells than columns")
	}
	x.row = n
	r := strconv.Itoa(n)
	x.write(`<row r="` + r + `">`)
	var num []byte
	for i, c := range cells {
		if c.kind == 's' && c.text == "" {
			c.kind = 0
		}
		if c.kind == 0 && c.style == styleNone {
			continue
		}
		x.write(`<c r="` + x.cols[i] + r + `"`)
		if c.style != styleNone {
			x.write(` s="` + strconv.Itoa(c.style) + `"`)
		}
		switch c.kind {
		case 's':
			x.write(` t="inlineStr"><is><t xml:space="preserve">`)
			x.write(escapeXML(clip(c.text)))
			x.write(`</t></is></c>`)
		case 'n':
			num = strconv.AppendFloat(num[:0], c.num, 'f', -1, 64)
			x.write(`><v>` + string(num) + `</v></c>`)
		default:
			x.write(`/>`)
		}
	}
	x.write(`</row>`)
	return x.err
}

// setTable makes rows first (the headers) to last an Excel table with filters on every
// column; headers must be the header row's texts.
func (x *xlsxWriter) setTable(name, style string, first, last int, headers []string) {
	x.table = &xlsxTable{name: name, style: style, first: first, last: last, headers: headers}
}

// close ends the sheet and writes the table, if any, and the list of parts; the zip is
// complete after it.
func (x *xlsxWriter) close() error {
	if x.err != nil {
		return x.err
	}
	x.write(`</sheetData>`)
	if x.table != nil {
		x.write(`<tableParts count="1"><tablePart r:id="rId1"/></tableParts>`)
	}
	x.write(`</worksheet>`)
	if x.err == nil {
		x.err = x.sheet.Flush()
	}
	if t := x.table; t != nil {
		ref := "A" + strconv.Itoa(t.first) + ":" + x.cols[len(t.headers)-1] + strconv.Itoa(t.last)
		var b strings.Builder
		b.WriteString(xmlHeader + `<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="1" name="` +
			escapeXML(t.name) + `" displayName="` + escapeXML(t.name) + `" ref="` + ref + `" totalsRowShown="0"><autoFilter ref="` + ref +
			`"/><tableColumns count="` + strconv.Itoa(len(t.headers)) + `">`)
		for i, h := range uniqueNames(t.headers) {
			b.WriteString(`<tableColumn id="` + strconv.Itoa(i+1) + `" name="` + escapeXML(h) + `"/>`)
		}
		b.WriteString(`</tableColumns><tableStyleInfo name="` + escapeXML(t.style) +
			`" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`)
		x.part("xl/worksheets/_rels/sheet1.xml.rels", sheetRels)
		x.part("xl/tables/table1.xml", b.String())
	}
	types := contentTypes
	if x.table != nil {
		types += tableType
	}
	x.part("[Content_Types].xml", types+`</Types>`)
	if err := x.zw.Close(); x.err == nil {
		x.err = err
	}
	return x.err
}

func (x *xlsxWriter) write(s string) {
	if x.err == nil {
		_, x.err = x.sheet.WriteString(s)
	}
}

// part writes a whole zip entry.
func (x *xlsxWriter) part(name, body string) {
	if x.err != nil {
		return
	}
	w, err := x.zw.Create(name)
	if err == nil {
		_, err = io.WriteString(w, body)
	}
	x.err = err
}

// columnName is a column's letters: 1 is A, 27 is AA.
func columnName(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// uniqueNames makes table column names unique, as Excel requires, by numbering repeats;
// an empty name becomes "Column n".
func uniqueNames(names []string) []string {
	out := make([]string, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		if n == "" {
			n = "Column" + strconv.Itoa(i+1)
		}
		name := n
		for k := 2; seen[strings.ToLower(name)]; k++ {
			name = n + strconv.Itoa(k)
		}
		seen[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
}

// clip cuts a text to what a cell holds.
func clip(s string) string {
	if len(s) <= maxCellChars/2 { // no text this short has more UTF-16 units than the limit
		return s
	}
	units := 0
	for i, r := range s {
		units++
		if r > 0xFFFF {
			units++
		}
		if units > maxCellChars {
			return s[:i]
		}
	}
	return s
}

// escapeXML escapes text for element content and attribute values, and drops the
// characters XML 1.0 forbids (most control characters, invalid UTF-8), which would make
// the file unreadable.
func escapeXML(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '&' || c == '<' || c == '>' || c == '"' || c == '_' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '_' && escapeLike(s[i:]):
			// Excel reads "_xHHHH_" as the character HHHH: its underscore is written
			// as one, so that a text holding such a sequence opens as typed.
			b.WriteString("_x005F_")
		case r == '\r':
			b.WriteString("&#13;") // kept: a literal one would be read as a line end
		case r == '\t' || r == '\n' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeLike says whether rest (what follows an underscore) makes it an "_xHHHH_".
func escapeLike(rest string) bool {
	if len(rest) < 6 || rest[0] != 'x' || rest[5] != '_' {
		return false
	}
	for _, c := range rest[1:5] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const contentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
	`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
	`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`

const tableType = `<Override PartName="/xl/tables/table1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/>`

const rootRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const workbookRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`</Relationships>`

const sheetRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/table" Target="../tables/table1.xml"/>` +
	`</Relationships>`

// styles holds the four styles of the constants above, in their order: the title (bold
// 14), the headers (bold, wrapped, top), dates (built-in format 14, the reader's own
// short date order; top) and text (wrapped, top).
const styles = xmlHeader + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`
