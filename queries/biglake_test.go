//go:build biglake

package queries

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// TestHandLakeOut writes the hand-made lake to $SAFETYRISK_TEST_LAKE_OUT, to try the CLI on.
func TestHandLakeOut(t *testing.T) {
	out := os.Getenv("SAFETYRISK_TEST_LAKE_OUT")
	if out == "" {
		t.Skip("set SAFETYRISK_TEST_LAKE_OUT=DIR to write the hand-made lake there")
	}
	buildLake(t, "testdata/lake", out)
}

// bigTables generate a large curated lake with DuckDB range(): the Ordos profile, three
// years (2024-2026), about $SAFETYRISK_BIG_HAZARDS hazards (default 10 million, the
// --scale 50 lake) and the other tables in proportion.
func bigTables(hazards int) map[string]string {
	var codes []string
	for _, r := range safetyrisk.Ordos().Regions {
		codes = append(codes, sqlString(r.Code))
	}
	regions := "[" + strings.Join(codes, ",") + "]" // nine, as the plans below assume
	sectors := "['coal_mine','non_coal_mine','hazardous_chemicals','oil_gas','road_transport','construction','gas','fire','crowded_places','industry_trade','fireworks','special_equipment','other']"
	ents := 60000
	insp := hazards / 4
	pick := func(list, seed string) string {
		return fmt.Sprintf("(%s)[1 + (hash(i * %s) %% len(%s))::INT]", list, seed, list)
	}
	day := func(seed string) string {
		return fmt.Sprintf("(DATE '2024-01-01' + (hash(i * %s) %% 1095)::INT)", seed)
	}
	return map[string]string{
		"enterprises": fmt.Sprintf(`SELECT 'E' || i AS enterprise_id, 'ent' || i AS name, %s AS region, %s AS sector,
			(['red','orange','yellow','blue'])[1 + (hash(i * 5) %% 4)::INT] AS risk_level, (hash(i) %% 500)::BIGINT AS employees,
			(hash(i * 3) %% 20)::BIGINT AS dispatch_workers, (hash(i * 7) %% 10)::BIGINT AS flexible_workers,
			CASE WHEN hash(i * 9) %% 10 = 0 THEN 'closed' ELSE 'operating' END AS status FROM range(%d) t(i)`, pick(regions, "2"), pick(sectors, "3"), ents),
		"inspections": fmt.Sprintf(`SELECT 'I' || i AS inspection_id, 'E' || (hash(i) %% %d) AS enterprise_id, %s AS region, %s AS sector,
			%s AS inspected_on, 'dept' || (hash(i * 3) %% 12) AS department,
			(['routine','double_random','special','covert','cross_region','self_check','complaint','accident'])[1 + (hash(i * 5) %% 8)::INT] AS kind,
			hash(i * 7) %% 9 = 0 AS led_by_head, 2::BIGINT AS inspectors, (hash(i * 11) %% 5)::BIGINT AS hazards_found FROM range(%d) t(i)`,
			ents, pick(regions, "2"), pick(sectors, "3"), day("13"), insp),
		"hazards": fmt.Sprintf(`SELECT 'H' || i AS hazard_id, 'I' || (i // 4) AS inspection_id, 'E' || (hash(i) %% %d) AS enterprise_id,
			%s AS region, %s AS sector, %s AS found_on,
			CASE WHEN hash(i * 5) %% 30 = 0 THEN 'major' ELSE 'general' END AS level,
			%s + 30 AS deadline, CASE WHEN hash(i * 7) %% 5 > 0 THEN %s + (hash(i * 17) %% 60)::INT END AS rectified_on,
			CASE WHEN hash(i * 7) %% 5 > 0 THEN 'rectified' ELSE 'open' END AS status,
			hash(i * 19) %% 50 = 0 AS listed_supervision, hash(i * 23) %% 40 > 0 AS in_ledger,
			(['inspection','self_check','report'])[1 + (hash(i * 29) %% 3)::INT] AS source FROM range(%d) t(i)`,
			ents, pick(regions, "2"), pick(sectors, "3"), day("13"), day("13"), day("13"), hazards),
		"accidents": fmt.Sprintf(`SELECT 'A' || i AS accident_id, (%s)::TIMESTAMPTZ + INTERVAL (hash(i) %% 86400) SECOND AS occurred_at,
			(%s)::TIMESTAMPTZ + INTERVAL (hash(i) %% 86400 + hash(i * 3) %% 7200) SECOND AS reported_at,
			%s AS region, %s AS sector, 'E' || (hash(i) %% %d) AS enterprise_id, 'other' AS accident_type,
			(hash(i * 5) %% 4)::BIGINT AS deaths, 0::BIGINT AS missing, (hash(i * 7) %% 3)::BIGINT AS serious_injuries,
			(hash(i * 11) %% 1000000)::DOUBLE AS direct_loss, 'none' AS reporting_violation,
			(hash(i * 5) %% 4)::BIGINT AS deaths_incl_missing, CASE WHEN hash(i * 5) %% 4 = 3 THEN 'large' ELSE 'general' END AS grade,
			((hash(i * 3) %% 7200) / 60)::DOUBLE AS report_delay_minutes FROM range(%d) t(i)`,
			day("13"), day("13"), pick(regions, "2"), pick(sectors, "3"), ents, hazards/500),
		"enforcement": fmt.Sprintf(`SELECT 'C' || i AS case_id, 'A' || (hash(i) %% %d) AS accident_id, 'E' || (hash(i) %% %d) AS enterprise_id,
			%s AS region, %s AS sector, %s AS decided_on, (['fine','warning','fine,suspension','transfer'])[1 + (hash(i * 5) %% 4)::INT] AS actions,
			(hash(i * 7) %% 100000)::DOUBLE AS fine, true AS recorded, hash(i) %% 3 > 0 AS publicized, true AS legal_review,
			false AS major_decision, hash(i * 5) %% 4 = 3 AS transferred FROM range(%d) t(i)`,
			hazards/500, ents, pick(regions, "2"), pick(sectors, "3"), day("13"), hazards/50),
		"reports": fmt.Sprintf(`SELECT 'R' || i AS report_id, %s AS received_on, (['hotline_12350','phone','web','letter','visit','internal'])[1 + (hash(i * 5) %% 6)::INT] AS channel,
			%s AS region, %s AS sector, 'other' AS subject, %s + (hash(i * 3) %% 90)::INT AS verified_on, hash(i) %% 2 = 0 AS substantiated,
			3000::DOUBLE AS reward, %s + (hash(i * 7) %% 120)::INT AS reward_paid_on FROM range(%d) t(i)`,
			day("13"), pick(regions, "2"), pick(sectors, "3"), day("13"), day("13"), hazards/200),
		"risk_assessments": fmt.Sprintf(`SELECT 'RA' || i AS assessment_id, 'E' || (hash(i) %% %d) AS enterprise_id, %s AS assessed_on,
			(['red','orange','yellow','blue'])[1 + (hash(i * 5) %% 4)::INT] AS risk_level, true AS published FROM range(%d) t(i)`, ents, day("13"), ents*8),
		"governance": fmt.Sprintf(`SELECT 'G' || i AS event_id, %s AS region, 'gov' AS department, %s AS held_on,
			(['party_committee_meeting','government_meeting','interview'])[1 + (hash(i * 5) %% 3)::INT] AS kind FROM range(2000) t(i)`, pick(regions, "2"), day("13")),
		"staff": fmt.Sprintf(`SELECT 'S' || i AS staff_id, %s AS region, 'dept' AS department, hash(i) %% 2 = 0 AS qualified_education,
			false AS qualified_certificate, (hash(i * 3) %% 10)::BIGINT AS experience_years, true AS active FROM range(3000) t(i)`, pick(regions, "2")),
		// the measures register's tables (tables_measures.go), in proportion
		"inspection_plans": `SELECT 'P' || i AS plan_id, (` + regions + `)[1 + (i % 9)::INT] AS region,
			'dept' || (i // 9 % 12) AS department, 2024 + (i // 108)::BIGINT AS year, 20000::BIGINT AS planned FROM range(324) t(i)`,
		"investigations": fmt.Sprintf(`SELECT 'A' || i AS accident_id, hash(i) %% 10 = 0 AS extended, (%s) + 50 AS report_approved_on,
			(%s) + 140 AS measures_due_on, (%s) + 130 + (hash(i * 3) %% 20)::INT AS measures_done_on FROM range(%d) t(i)`, day("13"), day("13"), day("13"), hazards/600),
		"notifications": fmt.Sprintf(`SELECT 'N' || i AS notification_id, 'A' || i AS accident_id, %s AS region, 'dept' AS department,
			(%s)::TIMESTAMPTZ + INTERVAL (hash(i) %% 86400 + hash(i * 5) %% 10800) SECOND AS notified_at, 'initial' AS kind FROM range(%d) t(i)`, pick(regions, "2"), day("13"), hazards/600),
		"duty_documents": fmt.Sprintf(`SELECT 'D' || i AS doc_id, %s AS region, 'gov' AS department,
			(['duty_list','task_list','annual_report','special_fund','power_list'])[1 + (hash(i * 5) %% 5)::INT] AS kind, %s AS issued_on FROM range(5000) t(i)`, pick(regions, "2"), day("13")),
		"labour_checks": fmt.Sprintf(`SELECT 'L' || i AS check_id, 'E' || (hash(i) %% %d) AS enterprise_id, %s AS region, %s AS sector, %s AS checked_on,
			'dept' AS department, 20::BIGINT AS post_workers, 18::BIGINT AS certified, 19::BIGINT AS trained, hash(i) %% 10 > 0 AS managed_as_own FROM range(%d) t(i)`,
			ents, pick(regions, "2"), pick(sectors, "3"), day("13"), ents/2),
		"projects": fmt.Sprintf(`SELECT 'X' || i AS project_id, %s AS region, %s AS sector, hash(i) %% 5 = 0 AS chemical_transfer, %s AS approved_on,
			%s - 30 AS risk_assessed_on, %s + 20 AS started_on, %s + 90 AS checked_on, hash(i * 3) %% 7 > 0 AS compliant, false AS stopped FROM range(%d) t(i)`,
			pick(regions, "2"), pick(sectors, "3"), day("13"), day("13"), day("17"), day("13"), 20000),
		"region_stats": fmt.Sprintf(`SELECT %s AS region, 2024 + (i // 9)::BIGINT AS year, 600.0 AS gdp, 100000::BIGINT AS industrial_workers,
			200000::BIGINT AS motor_vehicles, 9000.0 AS coal_output FROM range(27) t(i)`, "("+regions+")[1 + (i % 9)::INT]"),
	}
}

// TestBigLake times the whole catalogue on a large generated lake (make bench runs it:
// go test -tags biglake -run BigLake ./queries). SAFETYRISK_BIG_HAZARDS sets the hazards
// (default 1,000,000; 10,000,000 is the --scale 50 lake); with SAFETYRISK_BIG_LAKE=DIR
// the lake is built there once and kept (delete it after).
func TestBigLake(t *testing.T) {
	dir := os.Getenv("SAFETYRISK_BIG_LAKE")
	if dir == "" {
		dir = t.TempDir()
	}
	hazards := 1_000_000
	if s := os.Getenv("SAFETYRISK_BIG_HAZARDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("SAFETYRISK_BIG_HAZARDS=%q: want a positive count", s)
		}
		hazards = n
	}
	if _, err := os.Stat(lake.CuratedDir(dir)); os.IsNotExist(err) {
		start := time.Now()
		db, err := sql.Open("duckdb", "")
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		for _, q := range []string{"SET TimeZone = 'Asia/Shanghai'", "SET threads = 2", "SET preserve_insertion_order = false"} {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		for name, gen := range bigTables(hazards) {
			tb := safetyrisk.TableByName(name)
			var sel []string
			for _, c := range CuratedColumns(tb) {
				if strings.Contains(gen, " AS "+c[0]+" ") || strings.Contains(gen, " AS "+c[0]+",") {
					sel = append(sel, fmt.Sprintf("CAST(%s AS %s) AS %s", c[0], c[1], c[0]))
				} else {
					sel = append(sel, fmt.Sprintf("CAST(NULL AS %s) AS %s", c[1], c[0]))
				}
			}
			out := filepath.Join(lake.CuratedDir(dir), name)
			if err := os.MkdirAll(lake.CuratedDir(dir), 0o755); err != nil {
				t.Fatal(err)
			}
			var q string
			if tb.TimeCol != "" {
				q = fmt.Sprintf("COPY (SELECT %s, year(%s) AS year FROM (%s)) TO %s (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year))",
					strings.Join(sel, ", "), tb.TimeCol, gen, sqlString(out))
			} else {
				os.MkdirAll(out, 0o755)
				q = fmt.Sprintf("COPY (SELECT %s FROM (%s)) TO %s (FORMAT parquet, COMPRESSION zstd)", strings.Join(sel, ", "), gen,
					sqlString(filepath.Join(out, lake.PartFile)))
			}
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		db.Close()
		t.Logf("built the lake in %s", time.Since(start).Round(time.Second))
	}
	ctx := context.Background()
	start := time.Now()
	eng, err := Open(ctx, Config{Lake: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	snap, err := eng.Compute(ctx, time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	total := time.Since(start)
	type ft struct {
		name string
		d    time.Duration
	}
	var fts []ft
	for n, d := range eng.Timings {
		fts = append(fts, ft{n, d})
	}
	sort.Slice(fts, func(i, j int) bool { return fts[i].d > fts[j].d })
	for _, f := range fts {
		t.Logf("%-16s %s", f.name, f.d.Round(time.Millisecond))
	}
	t.Logf("whole catalogue: %s, %d values, %d assessments", total.Round(time.Millisecond), len(snap.Values), len(snap.Assessments))
	// a second as-of date on the same engine (backfill)
	start = time.Now()
	if _, err := eng.Compute(ctx, time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	t.Logf("second as-of on the same engine: %s", time.Since(start).Round(time.Millisecond))
}
