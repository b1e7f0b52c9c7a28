package sampledata

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/safetyrisk/safetyrisk"
)

// Text encodings of the CSV files, chosen per file by a fixed rule (fileEncoding) so
// that ingest meets all three, as real offices' exports mix them.
const (
	encUTF8    = "utf-8"
	encUTF8BOM = "utf-8-bom"
	encGBK     = "gbk"
)

// fileEncoding picks a CSV file's encoding: by table position plus year, modulo 3
// (utf-8, gbk, utf-8 with BOM). JSON is always UTF-8.
func fileEncoding(f Format, tableIndex, year int) string {
	if f != FormatCSV {
		return encUTF8
	}
	switch (tableIndex + year) % 3 {
	case 1:
		return encGBK
	case 2:
		return encUTF8BOM
	}
	return encUTF8
}

// policy says which planted problems a row may receive.
type policy int

const (
	dirtyAny    policy = iota // messy-but-valid or invalid
	dirtyAccept               // only messy-but-valid (rows that others depend on)
	dirtyNever                // story records and planted orphans: exactly as generated
)

// outFile is one output file being written, rows streamed through a buffered writer.
type outFile struct {
	name     string // relative to the output folder
	final    string
	tmp      string
	table    *safetyrisk.Table
	tindex   int
	format   Format
	enc      string
	headers  []string
	moneyCol int // column written in 万元 (-1 for none)
	f        *os.File
	bw       *bufio.Writer
	gbk      io.WriteCloser
	cw       *csv.Writer
	jw       io.Writer
	rows     int64
	rng      *rand.Rand
	dirt     *dirtPlan
	truth    *truth
	rate     float64
	dirty    int64
	jbuf     []byte
	xf       *excelize.File
	xs       *excelize.StreamWriter
	xrow     []any
}

// fileInfo is what the files list of the truth folder records of an output file.
type fileInfo struct {
	Name     string
	Table    string
	Encoding string
	Rows     int64
	Dirty    int64
}

func (g *generator) openFile(t *safetyrisk.Table, tindex int, name string, year int, moneyWan bool) (*outFile, error) {
	final := filepath.Join(g.cfg.Out, name)
	o := &outFile{
		name: name, final: final, tmp: filepath.Join(g.cfg.Out, "."+name+".tmp"),
		table: t, tindex: tindex, format: g.cfg.Format, enc: fileEncoding(g.cfg.Format, tindex, year),
		headers: t.Headers(), moneyCol: -1,
		rng:   rand.New(rand.NewPCG(g.cfg.Seed, streamOf("dirt/"+name))),
		dirt:  g.plans[t.Name],
		truth: g.truth,
		rate:  g.cfg.Dirty,
	}
	if moneyWan {
		o.moneyCol = t.Index("direct_loss")
		o.headers[o.moneyCol] = "直接经济损失(万元)"
	}
	f, err := os.Create(o.tmp)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	o.f = f
	o.bw = bufio.NewWriterSize(f, 256<<10)
	var w io.Writer = o.bw
	switch o.enc {
	case encGBK:
		o.gbk = transform.NewWriter(o.bw, simplifiedchinese.GBK.NewEncoder())
		w = o.gbk
	case encUTF8BOM:
		if _, err := o.bw.WriteString("\uFEFF"); err != nil {
			return nil, err
		}
	}
	switch o.format {
	case FormatXLSX:
		o.enc = "xlsx"
		err = o.openXLSX()
	case FormatJSON:
		o.jw = w
		_, err = io.WriteString(w, "[")
	default:
		o.cw = csv.NewWriter(w)
		o.cw.UseCRLF = true // what Excel and WPS write
		err = o.cw.Write(o.headers)
	}
	if err != nil {
		o.abort()
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	return o, nil
}

// rowNumber is the ingest contract's row number of the data row just counted: the CSV
// record number with the header as record 1, or the 1-based JSON array index.
func (o *outFile) rowNumber() int64 {
	if o.format == FormatJSON {
		return o.rows
	}
	return o.rows + 1
}

// write writes one data row; cells are the clean values in column order (yuan for
// money) and may be modified. key is the row's key for the truth file.
func (o *outFile) write(cells []string, key string, p policy) error {
	o.rows++
	if o.moneyCol >= 0 && cells[o.moneyCol] != "" {
		v, err := strconv.ParseFloat(cells[o.moneyCol], 64)
		if err != nil {
			return fmt.Errorf("%s: money %q: %w", o.name, cells[o.moneyCol], err)
		}
		cells[o.moneyCol] = strconv.FormatFloat(v/10000, 'f', -1, 64)
	}
	if p != dirtyNever && o.rate > 0 && o.rng.Float64() < o.rate {
		d, ok := o.dirt.apply(o.rng, cells, p == dirtyAny)
		if ok {
			o.dirty++
			d.file, d.row, d.table, d.key = o.name, o.rowNumber(), o.table.Name, key
			if err := o.truth.dirty(d); err != nil {
				return err
			}
		}
	}
	switch o.format {
	case FormatXLSX:
		return o.writeXLSX(cells)
	case FormatJSON:
		return o.writeJSON(cells)
	}
	return o.cw.Write(cells)
}

func (o *outFile) writeJSON(cells []string) error {
	b := o.jbuf[:0]
	if o.rows > 1 {
		b = append(b, ',')
	}
	b = append(b, "\n{"...)
	for i, h := range o.headers {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, h)
		b = append(b, ':')
		b = appendJSONString(b, cells[i])
	}
	b = append(b, '}')
	o.jbuf = b
	_, err := o.jw.Write(b)
	return err
}

func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// close flushes the file and renames it into place.
func (o *outFile) close() (fileInfo, error) {
	var err error
	switch o.format {
	case FormatXLSX:
		err = o.closeXLSX()
	case FormatJSON:
		_, err = io.WriteString(o.jw, "\n]\n")
	default:
		o.cw.Flush()
		err = o.cw.Error()
	}
	if err == nil && o.gbk != nil {
		err = o.gbk.Close()
	}
	if err == nil {
		err = o.bw.Flush()
	}
	if err == nil {
		err = o.f.Close()
	} else {
		o.f.Close()
	}
	if err == nil {
		err = os.Rename(o.tmp, o.final)
	}
	if err != nil {
		os.Remove(o.tmp)
		return fileInfo{}, fmt.Errorf("write %s: %w", o.name, err)
	}
	return fileInfo{Name: o.name, Table: o.table.Name, Encoding: o.enc, Rows: o.rows, Dirty: o.dirty}, nil
}

func (o *outFile) abort() {
	if o.xf != nil {
		o.xf.Close()
	}
	o.f.Close()
	os.Remove(o.tmp)
}

// sink is the output of one table: one file, or one file per year for the big dated
// tables (years must come in non-decreasing order).
type sink struct {
	g        *generator
	t        *safetyrisk.Table
	tindex   int
	base     string // file name without extension
	byYear   bool
	wanYears map[int]bool // years whose file writes direct_loss in 万元 (accidents)
	cur      *outFile
	curYear  int
	lastRow  rowRef
}

// rowRef locates the last row written, for the truth files.
type rowRef struct {
	File string
	Row  int64
}

func (g *generator) newSink(t *safetyrisk.Table, byYear bool) *sink {
	ti := 0
	for i, x := range safetyrisk.Tables() {
		if x == t {
			ti = i
		}
	}
	s := &sink{g: g, t: t, tindex: ti, base: t.Name, byYear: byYear}
	g.sinks = append(g.sinks, s)
	return s
}

func (s *sink) write(year int, cells []string, key string, p policy) error {
	if s.cur == nil || (s.byYear && year != s.curYear) {
		if s.cur != nil && year < s.curYear {
			return fmt.Errorf("%s: year %d after %d", s.t.Name, year, s.curYear)
		}
		if err := s.closeCur(); err != nil {
			return err
		}
		name := s.base
		if s.byYear {
			name += "_" + strconv.Itoa(year)
		}
		name += "." + string(s.g.cfg.Format)
		encYear := year
		if !s.byYear {
			encYear = 0
		}
		o, err := s.g.openFile(s.t, s.tindex, name, encYear, s.wanYears[year])
		if err != nil {
			return err
		}
		s.cur, s.curYear = o, year
	}
	if err := s.cur.write(cells, key, p); err != nil {
		return err
	}
	s.lastRow = rowRef{File: s.cur.name, Row: s.cur.rowNumber()}
	return nil
}

func (s *sink) closeCur() error {
	if s.cur == nil {
		return nil
	}
	fi, err := s.cur.close()
	s.cur = nil
	if err != nil {
		return err
	}
	s.g.files = append(s.g.files, fi)
	return nil
}

func (s *sink) abort() {
	if s.cur != nil {
		s.cur.abort()
		s.cur = nil
	}
}

// maxXLSXRows is the data rows a sheet holds (1,048,576 rows, less the header).
const maxXLSXRows = 1_048_575

// openXLSX starts a one-sheet workbook named after the table, streamed row by row.
// Every cell is text, as many offices' exports are; the workbook's document properties
// keep excelize's fixed template dates, so the bytes depend on the data only.
func (o *outFile) openXLSX() error {
	o.xf = excelize.NewFile()
	sheet := o.table.Chinese
	if err := o.xf.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := o.xf.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	o.xs = sw
	o.xrow = make([]any, len(o.headers))
	for i, h := range o.headers {
		o.xrow[i] = h
	}
	return sw.SetRow("A1", o.xrow)
}

func (o *outFile) writeXLSX(cells []string) error {
	if o.rows > maxXLSXRows {
		return fmt.Errorf("%s: more than %d rows do not fit a sheet: use csv or a smaller --scale", o.name, maxXLSXRows)
	}
	for i, c := range cells {
		if c == "" {
			o.xrow[i] = nil
		} else {
			o.xrow[i] = c
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, int(o.rowNumber()))
	if err != nil {
		return err
	}
	return o.xs.SetRow(cell, o.xrow)
}

func (o *outFile) closeXLSX() error {
	if err := o.xs.Flush(); err != nil {
		return err
	}
	if _, err := o.xf.WriteTo(o.bw); err != nil {
		return err
	}
	return o.xf.Close()
}
