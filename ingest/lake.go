package ingest

import (
	"fmt"
	"sort"

	kzstd "github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

const (
	// SourceRowColumn is the raw Parquet column holding the source row number.
	SourceRowColumn = "_source_row"

	rowGroupRows = 128 << 10
)

// rawSchema is the raw Parquet schema of a table: one leaf per column, named by its
// canonical name (optional, or required for a required column), plus the required
// _source_row.
type rawSchema struct {
	schema      *parquet.Schema
	leaf        []int // leaf column index of each table column
	derivedLeaf []int // leaf column index of each derived column (Table.Derived)
	rowIdx      int   // leaf column index of _source_row
	width       int
	noBounds    []string // columns without page bounds
}

func newRawSchema(t *safetyrisk.Table) (*rawSchema, error) {
	g := parquet.Group{}
	// Whole numbers, dates and times are delta-encoded (DELTA_BINARY_PACKED): row
	// numbers and the dates of a file move in small steps, so the pages are a fraction of
	// their plain size and zstd, the writer's largest cost, has that much less to do.
	for _, c := range t.Columns {
		var n parquet.Node
		switch c.Kind {
		case safetyrisk.KindInt:
			n = parquet.Encoded(parquet.Int(64), &parquet.DeltaBinaryPacked)
		case safetyrisk.KindFloat:
			n = parquet.Leaf(parquet.DoubleType)
		case safetyrisk.KindBool:
			n = parquet.Leaf(parquet.BooleanType)
		case safetyrisk.KindDate:
			n = parquet.Encoded(parquet.Date(), &parquet.DeltaBinaryPacked) // INT32 days: never time.Time (docs/architecture.md, Known traps)
		case safetyrisk.KindTime:
			n = parquet.Encoded(parquet.Timestamp(parquet.Microsecond), &parquet.DeltaBinaryPacked) // adjusted to UTC
		case safetyrisk.KindEnum, safetyrisk.KindEnumSet, safetyrisk.KindRegion, safetyrisk.KindSector:
			n = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
		default:
			n = parquet.String()
			if c.Few {
				n = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
			}
		}
		if _, dup := g[c.Name]; dup {
			return nil, fmt.Errorf("table %s: column %s declared twice", t.Name, c.Name)
		}
		// A required column is never null in an accepted row (the row is quarantined), so
		// its leaf is REQUIRED: no definition levels to store, encode or histogram.
		if !c.Required {
			n = parquet.Optional(n)
		}
		g[c.Name] = n
	}
	for _, d := range t.Derived {
		if _, dup := g[d.Name]; dup || d.Kind != safetyrisk.KindBool {
			return nil, fmt.Errorf("table %s: derived column %s: a duplicate name or not a boolean", t.Name, d.Name)
		}
		g[d.Name] = parquet.Optional(parquet.Leaf(parquet.BooleanType))
	}
	g[SourceRowColumn] = parquet.Encoded(parquet.Int(64), &parquet.DeltaBinaryPacked)
	s := &rawSchema{schema: parquet.NewSchema(t.Name, g), leaf: make([]int, len(t.Columns))}
	for _, d := range t.Derived {
		lc, _ := s.schema.Lookup(d.Name)
		s.derivedLeaf = append(s.derivedLeaf, lc.ColumnIndex)
	}
	for i, c := range t.Columns {
		switch c.Kind {
		case safetyrisk.KindString, safetyrisk.KindPII, safetyrisk.KindCreditCode,
			safetyrisk.KindEnum, safetyrisk.KindEnumSet, safetyrisk.KindRegion, safetyrisk.KindSector:
			s.noBounds = append(s.noBounds, c.Name)
		}
		lc, ok := s.schema.Lookup(c.Name)
		if !ok {
			return nil, fmt.Errorf("table %s: column %s missing from its schema", t.Name, c.Name)
		}
		s.leaf[i] = lc.ColumnIndex
	}
	lc, _ := s.schema.Lookup(SourceRowColumn)
	s.rowIdx = lc.ColumnIndex
	s.width = len(t.Columns) + len(t.Derived) + 1
	return s, nil
}

// zstdCodec is zstd at its fastest level (on repetitive administrative data it costs
// half the default level's time for a file a few percent larger), with encoders that
// live as long as the Ingester. parquet-go's codec keeps its encoders in a sync.Pool,
// which every garbage collection empties, and a new encoder allocates and clears its
// history again: 16 MB with zstd's default 8 MB window. Pages are far smaller than the
// 1 MB window here (parquet-go's page buffer is 256 KiB), so they compress the same.
type zstdCodec struct {
	zstd.Codec // parquet-go's: the codec's name and number, and Decode
	free       chan *kzstd.Encoder
}

func newZstdCodec() *zstdCodec {
	return &zstdCodec{Codec: zstd.Codec{Level: zstd.SpeedFastest}, free: make(chan *kzstd.Encoder, maxWorkers+1)}
}

func (c *zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	var e *kzstd.Encoder
	select {
	case e = <-c.free:
	default:
		var err error
		e, err = kzstd.NewWriter(nil, kzstd.WithEncoderLevel(kzstd.SpeedFastest), kzstd.WithWindowSize(1<<20),
			kzstd.WithEncoderConcurrency(1), kzstd.WithZeroFrames(true), kzstd.WithEncoderCRC(false))
		if err != nil {
			return nil, err
		}
	}
	out := e.EncodeAll(src, dst[:0])
	select {
	case c.free <- e:
	default: // as many encoders are kept as encode at once
	}
	return out, nil
}

func writerOptions(s *rawSchema, codec *zstdCodec) []parquet.WriterOption {
	opts := []parquet.WriterOption{
		s.schema,
		parquet.Compression(codec),
		parquet.MaxRowsPerRowGroup(rowGroupRows),
		parquet.CreatedBy("safetyrisk", "ingest", ""),
	}
	// Page min/max of free text, identities, ids and codes serve no reader's filter
	// (transform reads every raw row) and cost a comparison of every value; for a
	// dictionary column (codes), a dictionary lookup of every value as well: 3% of
	// ingest's CPU at scale 50.
	for _, c := range s.noBounds {
		opts = append(opts, parquet.SkipPageBounds(c)) // one column path each
	}
	// A data page's header statistics repeat the page index's bounds, and parquet-go
	// computes them a second time (for a dictionary column, by looking every value up and
	// comparing it). Readers filter on the column chunk's statistics, which stay.
	for _, path := range s.schema.Columns() {
		opts = append(opts, parquet.SkipPageStatistics(path...))
	}
	return opts
}

// quarantineRecord is one error of one rejected row (docs/architecture.md).
type quarantineRecord struct {
	SourceFile string `parquet:"source_file,dict"`
	SourceRow  int64  `parquet:"source_row"`
	Column     string `parquet:"column,dict"`
	Value      string `parquet:"value"`
	Rule       string `parquet:"rule,dict"`
	Message    string `parquet:"message"`
	Raw        string `parquet:"raw"`
}

// topReasons sorts rule counts, most frequent first, and keeps n.
func topReasons(counts map[string]int64, n int) []lake.Reason {
	out := make([]lake.Reason, 0, len(counts))
	for r, c := range counts {
		out = append(out, lake.Reason{Rule: r, Count: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Rule < out[j].Rule
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
