#!/usr/bin/env bash
# bench-ingest.sh BIN: ingest throughput against DuckDB's own CSV-to-Parquet COPY.
#
# Generates a realistic hazards CSV (5 million rows by default, ~850 MB, Chinese values,
# cached between runs) outside the repository, then in the same run times
#   - `BIN ingest` (parse, validate, normalise, write raw Parquet), and
#   - DuckDB's COPY (SELECT * FROM read_csv(..., columns=...)) TO ... (FORMAT parquet)
#     with preserve_insertion_order=false (internal/duckcopy),
# measuring wall time and peak RSS of each with /usr/bin/time, and prints rows/s, the
# ratio and the targets (ingest >= 0.8x DuckDB's rows/s, peak RSS <= 256 MB).
#
# Environment: BENCH_ROWS (5000000), BENCH_DIR (${TMPDIR:-/tmp}/safetyrisk-bench),
# BENCH_ROUNDS (2: the runs alternate and the best of each is kept, since a shared
# machine's load varies from one run to the next).
set -euo pipefail

BIN=${1:?usage: bench-ingest.sh BIN}
ROWS=${BENCH_ROWS:-5000000}
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/safetyrisk-bench}
ROUNDS=${BENCH_ROUNDS:-2}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: $TIME is needed to measure peak RSS (apt-get install time)" >&2; exit 1; }

mkdir -p "$DIR"
go build -o "$DIR/duckcopy" ./internal/duckcopy
CSV="$DIR/hazards-$ROWS.csv"
if [ ! -s "$CSV" ]; then
  echo "generating $ROWS hazard rows into $CSV ..."
  "$DIR/duckcopy" gen -rows "$ROWS" -out "$CSV.tmp" && mv "$CSV.tmp" "$CSV"
fi
cat "$CSV" >/dev/null # both runs start from the page cache

# run NAME CMD...: prints "seconds peak_kb"
run() {
  local name=$1; shift
  local rc=0
  "$TIME" -f "%e %M %U %S" -o "$DIR/$name.time" "$@" >"$DIR/$name.out" 2>"$DIR/$name.err" || rc=$?
  # ingest exits 3 when rows were quarantined: still a complete run
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
    echo "bench: $name failed (exit $rc):" >&2; cat "$DIR/$name.err" >&2; exit 1
  fi
  tail -n 1 "$DIR/$name.time"
}

best_d= best_i= rss_d=0 rss_i=0
for r in $(seq "$ROUNDS"); do
  rm -rf "$DIR/lake" "$DIR/duck.parquet"
  read -r td md ud sd < <(run duckdb "$DIR/duckcopy" copy -in "$CSV" -out "$DIR/duck.parquet")
  read -r ti mi ui si < <(run ingest "$BIN" ingest --lake "$DIR/lake" --table hazards "$CSV")
  grep -q "$ROWS rows read" "$DIR/ingest.out" || { echo "bench: ingest did not read $ROWS rows:" >&2; cat "$DIR/ingest.out" >&2; exit 1; }
  printf 'round %d: duckdb %6.2fs (cpu %.2fs) %5d MB   ingest %6.2fs (cpu %.2fs) %5d MB\n' "$r" "$td" "$(awk -v a="$ud" -v b="$sd" 'BEGIN{print a+b}')" $((md / 1024)) "$ti" "$(awk -v a="$ui" -v b="$si" 'BEGIN{print a+b}')" $((mi / 1024))
  if [ -z "$best_d" ] || awk -v a="$td" -v b="$best_d" 'BEGIN{exit !(a<b)}'; then best_d=$td; fi
  if [ -z "$best_i" ] || awk -v a="$ti" -v b="$best_i" 'BEGIN{exit !(a<b)}'; then best_i=$ti; fi
  [ "$md" -gt "$rss_d" ] && rss_d=$md
  [ "$mi" -gt "$rss_i" ] && rss_i=$mi
done
rm -rf "$DIR/lake" "$DIR/duck.parquet"

awk -v rows="$ROWS" -v td="$best_d" -v ti="$best_i" -v md="$rss_d" -v mi="$rss_i" 'BEGIN {
  rd = rows / td; ri = rows / ti; ratio = ri / rd
  printf "\n%d hazard rows, best of the rounds, peak RSS the highest seen\n", rows
  printf "  duckdb COPY : %6.2fs %10.0f rows/s  peak RSS %4d MB\n", td, rd, md / 1024
  printf "  ingest      : %6.2fs %10.0f rows/s  peak RSS %4d MB\n", ti, ri, mi / 1024
  printf "  ratio ingest/duckdb: %.2f (target >= 0.80): %s\n", ratio, (ratio >= 0.8 ? "met" : "BELOW TARGET")
  printf "  ingest peak RSS: %d MB (target <= 256 MB): %s\n", mi / 1024, (mi <= 256 * 1024 ? "met" : "ABOVE TARGET")
}'
