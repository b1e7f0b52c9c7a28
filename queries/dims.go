package queries

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/safetyrisk/safetyrisk"
)

// The breakdowns of the catalogue (an indicator's Dim) are not typed again in SQL: the
// engine writes every indicator's enum codes, from its DimEnum (enums.go, indicators.go),
// into the table
//
//	dim_values(indicator VARCHAR, code VARCHAR, lo_days INTEGER, hi_days INTEGER)
//
// when it opens, and the SQL files GROUP BY the dim column of the data and keep the codes
// found there (a value outside the enum, or NULL, counts in no breakdown). A code added to
// an enum is then reported as soon as ingest accepts records with it. Counts are
// zero-filled for every code by valueSet.zeroFill; a ratio whose denominator is 0 has no
// row, as before.
//
// A code that names a range of days carries it in lo_days and hi_days (both inclusive,
// hi_days NULL: no upper bound), so that the thresholds are the enum's too:
//
//	"30d"        more than 30 days:  lo_days 31, hi_days NULL  (OverdueAges)
//	"d31_90"     31 to 90 days:      lo_days 31, hi_days 90    (HazardAgeBands)
//	"d181_plus"  181 days and more:  lo_days 181, hi_days NULL
//
// Any other code has both NULL.

// dimEnums returns the breakdown enum of every catalogue indicator that has one, by id:
// the catalogue's DimEnum, or the one of override (Config.DimEnums).
func dimEnums(override map[string]*safetyrisk.Enum) (map[string]*safetyrisk.Enum, error) {
	out := map[string]*safetyrisk.Enum{}
	for _, in := range safetyrisk.Catalogue() {
		if in.DimEnum != nil {
			out[in.ID] = in.DimEnum
		}
	}
	for id, e := range override {
		if _, ok := out[id]; !ok {
			return nil, fmt.Errorf("config: dim enum for %q: not a catalogue indicator with a breakdown", id)
		}
		if e == nil || len(e.Values) == 0 {
			return nil, fmt.Errorf("config: dim enum for %q has no values", id)
		}
		out[id] = e
	}
	return out, nil
}

var (
	overRE = regexp.MustCompile(`^([0-9]+)d$`)
	bandRE = regexp.MustCompile(`^d([0-9]+)_([0-9]+|plus)$`)
)

// dayRange returns the range of days a code names (see above); ok false when it names none.
func dayRange(code string) (lo int32, hi *int32, ok bool) {
	if m := overRE.FindStringSubmatch(code); m != nil {
		n, err := strconv.ParseInt(m[1], 10, 32)
		if err != nil {
			return 0, nil, false
		}
		return int32(n) + 1, nil, true
	}
	if m := bandRE.FindStringSubmatch(code); m != nil {
		l, err := strconv.ParseInt(m[1], 10, 32)
		if err != nil {
			return 0, nil, false
		}
		if m[2] == "plus" {
			return int32(l), nil, true
		}
		h, err := strconv.ParseInt(m[2], 10, 32)
		if err != nil || h < l {
			return 0, nil, false
		}
		h32 := int32(h)
		return int32(l), &h32, true
	}
	return 0, nil, false
}

// createDimValues (re)creates the table dim_values from dims. It is a table of the
// engine's in-memory database, not a temporary one, so that every connection of the
// engine reads it.
func createDimValues(ctx context.Context, conn *sql.Conn, dims map[string]*safetyrisk.Enum) error {
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TABLE dim_values (indicator VARCHAR, code VARCHAR, lo_days INTEGER, hi_days INTEGER)"); err != nil {
		return fmt.Errorf("dim values: %w", err)
	}
	var rows []string
	var args []any
	for id, e := range dims {
		for _, v := range e.Values {
			var lo, hi any
			if l, h, ok := dayRange(v.Code); ok {
				lo = l
				if h != nil {
					hi = *h
				}
			}
			rows = append(rows, "(?, ?, ?::INTEGER, ?::INTEGER)")
			args = append(args, id, v.Code, lo, hi)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO dim_values VALUES "+strings.Join(rows, ", "), args...); err != nil {
		return fmt.Errorf("dim values: %w", err)
	}
	return nil
}
