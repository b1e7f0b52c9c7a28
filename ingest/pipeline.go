package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/parquet-go/parquet-go"
	"golang.org/x/sync/errgroup"
)

// The pipeline: a reader goroutine parses records into batches; workers, in parallel,
// validate them into column values and quarantine records, each with its own
// converter; an ordered stage takes the batches back in file order, finds duplicate
// keys and writes the quarantine, and gives each batch back to the worker that
// converted it, which encodes it into its own row group. A batch's column values are
// written and encoded on one goroutine, so they are still in that core's cache when
// they are encoded. Batches are recycled, so memory stays flat whatever the file's size.
//
// batchRows is small enough that the batches in flight (their column values, 24 bytes
// each) stay in a core's cache: in cachegrind's simulation of a 2 MB last-level cache,
// 256 rows a batch missed 20% less than 512 (128: 40% less) for the same instructions;
// smaller batches cost more hand-overs between goroutines (system time).
const (
	batchRows  = 256
	maxWorkers = 4
)

type recBatch struct {
	seq    int
	owner  int // the worker that converted it, and encodes it
	n      int
	bytes  int // the cells' bytes
	rows   []int64
	off    []int
	flat   []string
	recErr []*recordError
	keys   []string // a JSON source's keys when the batch was read
	hash   []uint64 // each record's key hash, 0 when none
	outIdx []int    // each record's row in cols, -1 when rejected or blank
	// cols holds the accepted rows column by column (by leaf column index), nOut of
	// each: the workers hand them to parquet-go's column writers without building rows.
	cols [][]parquet.Value
	nOut int
	drop []bool // rows of cols to drop (duplicate keys), by writeBatch
	bad  []quarantineRecord

	read, accepted, quarantined int64
}

type pipeline struct {
	in    *Ingester
	path  string
	src   source
	convs []*converter // one per worker, then the ordered stage's
	w     *batchWriter
	size  int64 // the size of a CSV file, to size the key set from its first batch; 0 else

	pending    []string
	pendingRow int64
	pendingErr *recordError

	keys                        keySet
	read, accepted, quarantined int64
	reasons                     map[string]int64
	examples                    []string
}

const maxExamples = 5

func (p *pipeline) run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	workers := len(p.convs) - 1
	// Eight batches a worker (2,048 rows): four would do (queued, converting, at the
	// ordered stage, encoding), but a batch held up anywhere (a page compressed, a row
	// group committed) then soon stops the others. In Go's own count of idle CPU
	// (/cpu/classes/idle), ingesting the scale-10 inbox left 3.7-4.5% idle with four a
	// worker and 2.9-3.2% with eight, at the same peak RSS.
	inFlight := 8 * workers
	free := make(chan *recBatch, inFlight)
	toWork := make(chan *recBatch, inFlight)
	toOrder := make(chan *recBatch, inFlight)
	back := make([]chan *recBatch, workers) // never full: at most inFlight batches exist
	width := p.convs[0].schema.width
	for range inFlight {
		vals := make([]parquet.Value, batchRows*width)
		b := &recBatch{cols: make([][]parquet.Value, width)}
		for j := range b.cols {
			b.cols[j] = vals[j*batchRows : (j+1)*batchRows : (j+1)*batchRows]
		}
		free <- b
	}
	g.Go(func() error { defer close(toWork); return p.readStage(ctx, free, toWork) })
	encs := make([]*encoder, workers)
	var working sync.WaitGroup // a failed worker cancels ctx, which stops the others
	for i := range encs {
		back[i] = make(chan *recBatch, inFlight)
		encs[i] = &encoder{rg: p.w.raw.BeginRowGroup(), mu: &p.w.mu}
		w := &worker{p: p, c: p.convs[i], e: encs[i], id: i, back: back[i]}
		working.Add(1)
		g.Go(func() error { defer working.Done(); return w.run(ctx, toWork, toOrder, free) })
	}
	g.Go(func() error { working.Wait(); close(toOrder); return nil })
	g.Go(func() error { return p.orderStage(ctx, toOrder, back) })
	if err := g.Wait(); err != nil {
		return err
	}
	// The workers' last row groups, partly filled.
	for _, e := range encs {
		if err := e.commit(); err != nil {
			return err
		}
	}
	return nil
}

// worker converts batches with its own converter, hands them to the ordered stage,
// and, when they come back, encodes them into its own row group and recycles them.
type worker struct {
	p    *pipeline
	c    *converter
	e    *encoder
	id   int
	back chan *recBatch // the worker's batches, back from the ordered stage
	out  int            // batches at the ordered stage
}

func (w *worker) run(ctx context.Context, in <-chan *recBatch, toOrder, free chan<- *recBatch) error {
	for in != nil || w.out > 0 {
		// A batch back from the ordered stage first: its values are still in this core's cache.
		select {
		case b := <-w.back:
			if err := w.encode(ctx, b, free); err != nil {
				return err
			}
			continue
		default:
		}
		select {
		case b := <-w.back:
			if err := w.encode(ctx, b, free); err != nil {
				return err
			}
		case b, ok := <-in:
			if !ok {
				in = nil // a nil channel is never ready: wait for the batches out
				continue
			}
			if err := w.p.convert(w.c, b); err != nil {
				return err
			}
			b.owner = w.id
			w.out++
			select {
			case toOrder <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	// The last row group is committed after all the workers are done; its last pages
	// are compressed here, in parallel with the other workers'.
	if err := w.e.rg.Flush(); err != nil {
		return fmt.Errorf("raw parquet: %w", err)
	}
	return nil
}

// encode writes batch b's accepted rows and recycles it.
func (w *worker) encode(ctx context.Context, b *recBatch, free chan<- *recBatch) error {
	w.out--
	if err := w.e.write(b); err != nil {
		return err
	}
	select {
	case free <- b:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// encoder writes batches' columns into its own row group and commits it to the file
// when full, under the writer's lock. Each row group's rows are in file order; the row
// groups of the workers interleave (no reader relies on the order of rows in a file:
// _source_row orders them).
type encoder struct {
	rg    *parquet.ConcurrentRowGroupWriter
	mu    *sync.Mutex
	rows  int
	bytes int // the source bytes of the row group's batches, to close it at rowGroupBytes
}

// write encodes batch b's accepted rows.
func (e *encoder) write(b *recBatch) error {
	if b.nOut == 0 {
		return nil
	}
	cws := e.rg.ColumnWriters()
	for start := 0; start < b.nOut; {
		n := min(b.nOut-start, rowGroupRows-e.rows)
		for j, cw := range cws {
			if _, err := cw.WriteRowValues(b.cols[j][start : start+n]); err != nil {
				return fmt.Errorf("raw parquet: %w", err)
			}
		}
		start += n
		e.rows += n
		if e.rows == rowGroupRows {
			if err := e.commit(); err != nil {
				return err
			}
		}
	}
	if e.bytes += b.bytes; e.bytes >= rowGroupBytes {
		return e.commit()
	}
	return nil
}

// commit flushes the row group's last pages (compressing them outside the lock) and
// appends it to the file.
func (e *encoder) commit() error {
	if e.rows == 0 {
		return nil
	}
	if err := e.rg.Flush(); err != nil {
		return fmt.Errorf("raw parquet: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.rg.Commit(); err != nil {
		return fmt.Errorf("raw parquet: %w", err)
	}
	e.rows, e.bytes = 0, 0
	return nil
}

func (p *pipeline) readStage(ctx context.Context, free <-chan *recBatch, out chan<- *recBatch) error {
	var b *recBatch
	seq := 0
	add := func(row int64, cells []string, re *recordError) {
		b.rows = append(b.rows, row)
		for _, c := range cells {
			b.bytes += len(c)
		}
		b.bytes += len(re.rawText())
		b.flat = append(b.flat, cells...)
		b.off = append(b.off, len(b.flat))
		b.recErr = append(b.recErr, re)
		b.n++
	}
	take := func() error {
		select {
		case b = <-free:
		case <-ctx.Done():
			return ctx.Err()
		}
		b.seq = seq
		seq++
		b.n, b.bytes, b.rows, b.flat, b.recErr, b.bad = 0, 0, b.rows[:0], b.flat[:0], b.recErr[:0], b.bad[:0]
		b.off = append(b.off[:0], 0)
		return nil
	}
	send := func() error {
		b.keys = p.src.Keys()
		select {
		case out <- b:
			b = nil
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := take(); err != nil {
		return err
	}
	if p.pending != nil || p.pendingErr != nil {
		add(p.pendingRow, p.pending, p.pendingErr)
	}
	var re *recordError // declared once: errors.As moves it to the heap
	for {
		row, cells, err := p.src.Next()
		if err == io.EOF {
			break
		}
		re = nil
		if err == nil {
			add(row, cells, nil)
		} else if errors.As(err, &re) {
			add(re.row, nil, re)
		} else {
			if row == 0 {
				return refuse(p.path, "%w", err)
			}
			return refuse(p.path, "row %d: %w", row, err)
		}
		if b.n == batchRows || b.bytes >= batchBytes {
			if err := send(); err != nil {
				return err
			}
			if err := take(); err != nil {
				return err
			}
		}
	}
	if b.n > 0 {
		return send()
	}
	return nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// convert validates batch b with converter c (a worker's own).
func (p *pipeline) convert(c *converter, b *recBatch) error {
	if len(b.keys) > len(c.m.colOf) { // JSON: new keys (one worker, so the mapping is its own)
		had := len(c.m.hasPII())
		if err := c.m.extend(b.keys); err != nil {
			return refuse(p.path, "%w", err)
		}
		if pii := c.m.hasPII(); len(pii) > had && len(p.in.cfg.PIIKey) == 0 {
			return refuse(p.path, "columns %s hold reporter identities, which are stored only as keyed hashes (M57): set SAFETYRISK_PII_KEY or --pii-key-file", strings.Join(pii, ", "))
		}
	}
	b.nOut = 0
	b.hash = b.hash[:0]
	b.outIdx = b.outIdx[:0]
	b.read, b.accepted, b.quarantined = 0, 0, 0
	for k := 0; k < b.n; k++ {
		row := b.rows[k]
		b.hash = append(b.hash, 0)
		b.outIdx = append(b.outIdx, -1)
		if re := b.recErr[k]; re != nil {
			b.read++
			p.reject(c, b, []cellError{c.recordErr(re)}, row, nil)
			continue
		}
		cells := b.flat[b.off[k]:b.off[k+1]]
		if blank(cells) {
			continue
		}
		b.read++
		errs := c.row(row, cells, b.cols, b.nOut)
		b.hash[k] = c.key
		if len(errs) > 0 {
			p.reject(c, b, errs, row, cells)
			continue
		}
		b.accepted++
		b.outIdx[k] = b.nOut
		b.nOut++
	}
	return nil
}

// reject turns a row's errors into quarantine records, one per error. No value or
// raw text holds a byte that is not UTF-8 (it is written \xHH), nor a reporter
// identity (it is its hash, and <redacted> in the message).
func (p *pipeline) reject(c *converter, b *recBatch, errs []cellError, row int64, cells []string) {
	b.quarantined++
	raw := ""
	if cells != nil {
		raw = c.rawJSON(cells)
	}
	for _, e := range errs {
		// The message quotes the value (%q writes a bad byte \xff); the quarantine's
		// value column holds it with bad bytes written \xFF.
		re := RowError{File: p.path, Row: row, Value: clip(e.value, valueLimit), Rule: e.rule, Detail: e.detail}
		value := clip(escapeInvalid(e.value), valueLimit)
		if e.col >= 0 {
			col := &c.t.Columns[e.col]
			re.Column = col.Name
			if src := c.m.srcOf[e.col]; src >= 0 {
				re.Header = c.m.headers[src]
			}
		} else if e.header != "" {
			re.Column = e.header
			if i, _ := c.t.MatchHeader(e.header); i >= 0 {
				re.Column, re.Header = c.t.Columns[i].Name, e.header
			}
		}
		if e.pii {
			re.Value = redacted
			value = c.piiValue(e.value)
		}
		qraw := raw
		if cells == nil {
			qraw = e.value // a record that could not be read: its text (recordErr)
			re.Value = ""  // which travels in raw, not in the message
			value = ""
		}
		b.bad = append(b.bad, quarantineRecord{SourceFile: p.path, SourceRow: row, Column: re.Column,
			Value: value, Rule: e.rule, Message: re.Error(), Raw: qraw})
	}
}

// valueLimit is how much of a cell an error message and the quarantine's value show.
const valueLimit = 1 << 10

// recordErr is the error of a record that could not be read as cells. Its raw text
// is kept, with bad bytes written \xHH, unless the file holds reporter identities or
// the text names one (M57).
func (c *converter) recordErr(re *recordError) cellError {
	raw := re.raw
	if raw != "" && (c.pii || c.m.piiAny || mentionsPII(raw)) {
		raw = redacted + " (the file holds reporter identities, M57)"
	} else {
		raw = clip(escapeInvalid(raw), rawLimit)
	}
	return cellError{col: -1, header: escapeInvalid(re.column), value: raw, rule: re.rule, detail: escapeInvalid(re.err.Error())}
}

// rawText is the text a record error holds, "" for none.
func (re *recordError) rawText() string {
	if re == nil {
		return ""
	}
	return re.raw
}

// orderStage takes the batches back in file order, rejects rows whose key repeats an
// earlier row's (every key read counts, accepted or not: a repeated key is a fault of
// the file whichever of its rows is right), writes the quarantine records, and gives
// each batch back to the worker that converted it.
func (p *pipeline) orderStage(ctx context.Context, in <-chan *recBatch, back []chan *recBatch) error {
	c := p.convs[len(p.convs)-1]
	waiting := map[int]*recBatch{}
	next := 0
	nextProgress := time.Now().Add(time.Second)
	for b := range in {
		waiting[b.seq] = b
		for {
			b, ok := waiting[next]
			if !ok {
				break
			}
			delete(waiting, next)
			next++
			if err := p.writeBatch(c, b); err != nil {
				return err
			}
			if p.in.cfg.Progress != nil && time.Now().After(nextProgress) {
				fmt.Fprintf(p.in.cfg.Progress, "\r%s: %d rows read, %d quarantined ", filepath.Base(p.path), p.read, p.quarantined)
				nextProgress = time.Now().Add(time.Second)
			}
			back[b.owner] <- b
		}
	}
	if p.in.cfg.Progress != nil && p.read > 0 {
		fmt.Fprintf(p.in.cfg.Progress, "\r%s: %d rows read, %d quarantined \n", filepath.Base(p.path), p.read, p.quarantined)
	}
	return nil
}

// estimateRows guesses the rows of a file of size bytes from its first batch b. The
// key set is sized from it at the start (over-estimating by half at most, as growing
// would): growing late, when the heap is full, would hold the old table and the new
// one at once, the ingest's peak of memory.
func estimateRows(size int64, b *recBatch) int {
	n := 0
	for _, c := range b.flat[:b.off[b.n]] {
		n += len(c) + 1 // and its comma or newline
	}
	if n == 0 {
		return 0
	}
	return int(min(size/int64(n)*int64(b.n), maxReserve))
}

// maxReserve caps estimateRows, which the first rows may mislead: 6M rows take a key
// set of 8M slots, 64 MB; a larger file grows its set as it goes.
const maxReserve = 6 << 20

func (p *pipeline) writeBatch(c *converter, b *recBatch) error {
	if len(b.keys) > len(c.m.colOf) {
		c.m.extend(b.keys) // a JSON source's new keys, checked by the converter already
	}
	dropped := false
	if b.seq == 0 && p.size > 0 && b.n == batchRows {
		p.keys.reserve(estimateRows(p.size, b))
	}
	p.keys.touch(b.hash)
	for k, h := range b.hash {
		if h == 0 {
			continue
		}
		if p.keys.add(h) {
			continue
		}
		cells := b.flat[b.off[k]:b.off[k+1]]
		key := c.keyIdx[0]
		e := cellError{col: key, value: normCell(cells[c.m.srcOf[key]]), rule: RuleDuplicateKey,
			detail: fmt.Sprintf("key (%s) repeats an earlier row of the file", strings.Join(c.t.Key, ", "))}
		if i := b.outIdx[k]; i >= 0 {
			if !dropped {
				b.drop = append(b.drop[:0], make([]bool, b.nOut)...)
			}
			b.drop[i] = true
			dropped = true
			b.accepted--
			p.reject(c, b, []cellError{e}, b.rows[k], cells) // counts the row as quarantined
		} else {
			q := b.quarantined
			p.reject(c, b, []cellError{e}, b.rows[k], cells)
			b.quarantined = q // the row was counted with its other errors
		}
	}
	if dropped {
		n := 0
		for _, col := range b.cols {
			n = 0
			for i, v := range col[:b.nOut] {
				if !b.drop[i] {
					col[n] = v
					n++
				}
			}
		}
		b.nOut = n
		sort.SliceStable(b.bad, func(i, j int) bool { return b.bad[i].SourceRow < b.bad[j].SourceRow })
	} else if len(b.bad) > 0 {
		sort.SliceStable(b.bad, func(i, j int) bool { return b.bad[i].SourceRow < b.bad[j].SourceRow })
	}
	p.read += b.read
	p.accepted += b.accepted
	p.quarantined += b.quarantined
	for _, q := range b.bad {
		p.reasons[q.Rule]++
		if len(p.examples) < maxExamples {
			p.examples = append(p.examples, q.Message)
		}
	}
	if len(b.bad) > 0 {
		if err := p.w.quarantine(b.bad); err != nil {
			return fmt.Errorf("quarantine parquet: %w", err)
		}
	}
	return nil
}
