package console

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"
)

// Kind says how a cell is written in JSON and CSV.
type Kind uint8

const (
	KindNull   Kind = iota
	KindString      // text, dates and times
	KindNumber      // integers, decimals, floats: never formula-escaped in CSV
	KindBool
)

// Cell is one value of a result, already formatted for people.
type Cell struct {
	Text string
	Kind Kind
}

// column decodes one column of a streaming result straight from DuckDB's vectors,
// so that a row is held only while it is written out (duckdb-go's rows would first
// materialise the whole result in memory).
type column struct {
	id       bindings.Type
	name     string // DuckDB type name, for the result header
	scale    int    // DECIMAL
	internal bindings.Type
	dict     []string // ENUM
	size     int      // ARRAY
	children []*column
	fields   []string // STRUCT
}

// newColumn describes a logical type; it does not keep the type handle.
func newColumn(lt bindings.LogicalType) (*column, error) {
	c := &column{id: bindings.GetTypeId(lt)}
	switch c.id {
	case bindings.TypeDecimal:
		c.scale = int(bindings.DecimalScale(lt))
		c.internal = bindings.DecimalInternalType(lt)
		c.name = fmt.Sprintf("DECIMAL(%d,%d)", bindings.DecimalWidth(lt), c.scale)
	case bindings.TypeEnum:
		c.internal = bindings.EnumInternalType(lt)
		n := bindings.EnumDictionarySize(lt)
		for i := range n {
			c.dict = append(c.dict, bindings.EnumDictionaryValue(lt, bindings.IdxT(i)))
		}
		c.name = "ENUM"
	case bindings.TypeList, bindings.TypeMap:
		child := bindings.ListTypeChildType(lt)
		defer bindings.DestroyLogicalType(&child)
		cc, err := newColumn(child)
		if err != nil {
			return nil, err
		}
		c.children = []*column{cc}
		if c.id == bindings.TypeMap {
			c.name = "MAP"
		} else {
			c.name = cc.name + "[]"
		}
	case bindings.TypeArray:
		child := bindings.ArrayTypeChildType(lt)
		defer bindings.DestroyLogicalType(&child)
		cc, err := newColumn(child)
		if err != nil {
			return nil, err
		}
		c.size = int(bindings.ArrayTypeArraySize(lt))
		c.children = []*column{cc}
		c.name = fmt.Sprintf("%s[%d]", cc.name, c.size)
	case bindings.TypeStruct:
		n := bindings.StructTypeChildCount(lt)
		for i := range n {
			child := bindings.StructTypeChildType(lt, i)
			cc, err := newColumn(child)
			bindings.DestroyLogicalType(&child)
			if err != nil {
				return nil, err
			}
			c.children = append(c.children, cc)
			c.fields = append(c.fields, bindings.StructTypeChildName(lt, i))
		}
		c.name = "STRUCT"
	default:
		name, ok := typeNames[c.id]
		if !ok {
			return nil, fmt.Errorf("type %d cannot be shown: CAST the column to VARCHAR", c.id)
		}
		c.name = name
	}
	return c, nil
}

var typeNames = map[bindings.Type]string{
	bindings.TypeBoolean: "BOOLEAN", bindings.TypeTinyInt: "TINYINT", bindings.TypeSmallInt: "SMALLINT",
	bindings.TypeInteger: "INTEGER", bindings.TypeBigInt: "BIGINT", bindings.TypeUTinyInt: "UTINYINT",
	bindings.TypeUSmallInt: "USMALLINT", bindings.TypeUInteger: "UINTEGER", bindings.TypeUBigInt: "UBIGINT",
	bindings.TypeHugeInt: "HUGEINT", bindings.TypeUHugeInt: "UHUGEINT", bindings.TypeFloat: "FLOAT",
	bindings.TypeDouble: "DOUBLE", bindings.TypeVarchar: "VARCHAR", bindings.TypeBlob: "BLOB",
	bindings.TypeDate: "DATE", bindings.TypeTime: "TIME", bindings.TypeTimestamp: "TIMESTAMP",
	bindings.TypeTimestampS: "TIMESTAMP_S", bindings.TypeTimestampMS: "TIMESTAMP_MS",
	bindings.TypeTimestampNS: "TIMESTAMP_NS", bindings.TypeTimestampTZ: "TIMESTAMPTZ",
	bindings.TypeInterval: "INTERVAL", bindings.TypeUUID: "UUID", bindings.TypeSQLNull: "NULL",
}

// numeric reports whether the column holds numbers (right-aligned, never escaped).
func (c *column) numeric() bool {
	switch c.id {
	case bindings.TypeTinyInt, bindings.TypeSmallInt, bindings.TypeInteger, bindings.TypeBigInt,
		bindings.TypeUTinyInt, bindings.TypeUSmallInt, bindings.TypeUInteger, bindings.TypeUBigInt,
		bindings.TypeHugeInt, bindings.TypeUHugeInt, bindings.TypeFloat, bindings.TypeDouble, bindings.TypeDecimal:
		return true
	}
	return false
}

// vec is a vector of a data chunk with its raw data and validity mask.
type vec struct {
	v        bindings.Vector
	data     unsafe.Pointer
	validity unsafe.Pointer
}

func newVec(v bindings.Vector) vec {
	return vec{v: v, data: bindings.VectorGetData(v), validity: bindings.VectorGetValidity(v)}
}

func at[T any](p unsafe.Pointer, i int) T {
	var zero T
	return *(*T)(unsafe.Add(p, uintptr(i)*unsafe.Sizeof(zero)))
}

// cell decodes row i of v; loc is the time zone for TIMESTAMPTZ.
func (c *column) cell(v vec, i int, loc *time.Location) Cell {
	if !bindings.ValidityRowIsValid(v.validity, bindings.IdxT(i)) {
		return Cell{Kind: KindNull}
	}
	num := func(s string) Cell { return Cell{Text: s, Kind: KindNumber} }
	str := func(s string) Cell { return Cell{Text: s, Kind: KindString} }
	switch c.id {
	case bindings.TypeBoolean:
		return Cell{Text: strconv.FormatBool(at[bool](v.data, i)), Kind: KindBool}
	case bindings.TypeTinyInt:
		return num(strconv.FormatInt(int64(at[int8](v.data, i)), 10))
	case bindings.TypeSmallInt:
		return num(strconv.FormatInt(int64(at[int16](v.data, i)), 10))
	case bindings.TypeInteger:
		return num(strconv.FormatInt(int64(at[int32](v.data, i)), 10))
	case bindings.TypeBigInt:
		return num(strconv.FormatInt(at[int64](v.data, i), 10))
	case bindings.TypeUTinyInt:
		return num(strconv.FormatUint(uint64(at[uint8](v.data, i)), 10))
	case bindings.TypeUSmallInt:
		return num(strconv.FormatUint(uint64(at[uint16](v.data, i)), 10))
	case bindings.TypeUInteger:
		return num(strconv.FormatUint(uint64(at[uint32](v.data, i)), 10))
	case bindings.TypeUBigInt:
		return num(strconv.FormatUint(at[uint64](v.data, i), 10))
	case bindings.TypeHugeInt:
		return num(hugeint(at[[2]uint64](v.data, i), true).String())
	case bindings.TypeUHugeInt:
		return num(hugeint(at[[2]uint64](v.data, i), false).String())
	case bindings.TypeFloat:
		return num(formatFloat(float64(at[float32](v.data, i))))
	case bindings.TypeDouble:
		return num(formatFloat(at[float64](v.data, i)))
	case bindings.TypeDecimal:
		return num(c.decimal(v.data, i))
	case bindings.TypeVarchar:
		return str(duckString(v.data, i))
	case bindings.TypeBlob:
		return str(fmt.Sprintf("%x", duckString(v.data, i)))
	case bindings.TypeDate:
		return str(time.Unix(int64(at[int32](v.data, i))*86400, 0).UTC().Format(time.DateOnly))
	case bindings.TypeTime:
		return str(time.UnixMicro(at[int64](v.data, i)).UTC().Format("15:04:05.999999"))
	case bindings.TypeTimestamp:
		return str(time.UnixMicro(at[int64](v.data, i)).UTC().Format("2006-01-02 15:04:05.999999"))
	case bindings.TypeTimestampS:
		return str(time.Unix(at[int64](v.data, i), 0).UTC().Format(time.DateTime))
	case bindings.TypeTimestampMS:
		return str(time.UnixMilli(at[int64](v.data, i)).UTC().Format("2006-01-02 15:04:05.999"))
	case bindings.TypeTimestampNS:
		return str(time.Unix(0, at[int64](v.data, i)).UTC().Format("2006-01-02 15:04:05.999999999"))
	case bindings.TypeTimestampTZ:
		return str(time.UnixMicro(at[int64](v.data, i)).In(loc).Format("2006-01-02 15:04:05.999999-07"))
	case bindings.TypeInterval:
		iv := at[struct {
			months, days int32
			micros       int64
		}](v.data, i)
		return str(fmt.Sprintf("%d months %d days %s", iv.months, iv.days, time.Duration(iv.micros)*time.Microsecond))
	case bindings.TypeUUID:
		h := at[[2]uint64](v.data, i)
		var b [16]byte
		binary.BigEndian.PutUint64(b[:8], h[1]^(1<<63))
		binary.BigEndian.PutUint64(b[8:], h[0])
		return str(fmt.Sprintf("%x-%x-%x-%x-%x", b[:4], b[4:6], b[6:8], b[8:10], b[10:]))
	case bindings.TypeEnum:
		var k uint32
		switch c.internal {
		case bindings.TypeUTinyInt:
			k = uint32(at[uint8](v.data, i))
		case bindings.TypeUSmallInt:
			k = uint32(at[uint16](v.data, i))
		default:
			k = at[uint32](v.data, i)
		}
		if int(k) < len(c.dict) {
			return str(c.dict[k])
		}
		return str(strconv.Itoa(int(k)))
	case bindings.TypeList, bindings.TypeMap:
		e := at[[2]uint64](v.data, i) // duckdb_list_entry: offset, length
		return str(c.nested(newVec(bindings.ListVectorGetChild(v.v)), int(e[0]), int(e[1]), loc))
	case bindings.TypeArray:
		return str(c.nested(newVec(bindings.ArrayVectorGetChild(v.v)), i*c.size, c.size, loc))
	case bindings.TypeStruct:
		parts := make([]string, len(c.children))
		for k, cc := range c.children {
			parts[k] = "'" + c.fields[k] + "': " + quoteNested(cc, cc.cell(newVec(bindings.StructVectorGetChild(v.v, bindings.IdxT(k))), i, loc))
		}
		return str("{" + strings.Join(parts, ", ") + "}")
	case bindings.TypeSQLNull:
		return Cell{Kind: KindNull}
	}
	return str(fmt.Sprintf("<%s>", c.name))
}

// nested formats n elements of a list (or map) child vector from offset off.
func (c *column) nested(child vec, off, n int, loc *time.Location) string {
	cc := c.children[0]
	parts := make([]string, n)
	for k := range n {
		if c.id == bindings.TypeMap {
			kv := cc.cell(child, off+k, loc).Text // {'key': k, 'value': v}
			parts[k] = kv
			continue
		}
		parts[k] = quoteNested(cc, cc.cell(child, off+k, loc))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func quoteNested(c *column, x Cell) string {
	switch {
	case x.Kind == KindNull:
		return "NULL"
	case x.Kind == KindString && c.children == nil:
		return "'" + strings.ReplaceAll(x.Text, "'", "''") + "'"
	}
	return x.Text
}

// duckString reads duckdb_string_t: a length, then 12 inlined bytes or a 4-byte
// prefix and a pointer.
func duckString(p unsafe.Pointer, i int) string {
	s := unsafe.Add(p, uintptr(i)*16)
	n := *(*uint32)(s)
	if n <= 12 {
		return string(unsafe.Slice((*byte)(unsafe.Add(s, 4)), n))
	}
	ptr := *(**byte)(unsafe.Add(s, 8))
	return string(unsafe.Slice(ptr, n))
}

func hugeint(h [2]uint64, signed bool) *big.Int {
	hi := new(big.Int)
	if signed {
		hi.SetInt64(int64(h[1]))
	} else {
		hi.SetUint64(h[1])
	}
	hi.Lsh(hi, 64)
	return hi.Add(hi, new(big.Int).SetUint64(h[0]))
}

func (c *column) decimal(p unsafe.Pointer, i int) string {
	var v *big.Int
	switch c.internal {
	case bindings.TypeSmallInt:
		v = big.NewInt(int64(at[int16](p, i)))
	case bindings.TypeInteger:
		v = big.NewInt(int64(at[int32](p, i)))
	case bindings.TypeBigInt:
		v = big.NewInt(at[int64](p, i))
	default:
		v = hugeint(at[[2]uint64](p, i), true)
	}
	s := v.String()
	if c.scale == 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) <= c.scale {
		s = strings.Repeat("0", c.scale-len(s)+1) + s
	}
	s = s[:len(s)-c.scale] + "." + s[len(s)-c.scale:]
	if neg {
		s = "-" + s
	}
	return s
}

// formatFloat writes whole numbers without exponent below 1e15.
func formatFloat(x float64) string {
	if math.Abs(x) < 1e15 && x == math.Trunc(x) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
