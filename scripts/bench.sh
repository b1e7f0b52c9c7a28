#!/usr/bin/env bash
# bench.sh BIN: every stage of the pipeline beside DuckDB's own floor on the same data,
# in the same run, at one or more scales (make bench SCALE=50, make bench SCALE="1 10 50").
#
# For each scale: the Ordos inbox of `BIN generate --scale N` (18 CSV files, UTF-8, UTF-8
# with BOM and GBK mixed) and its UTF-8 copies for DuckDB (which cannot read GBK) are
# made once and cached outside the repository in $BENCH_CACHE/scale-N. Then each stage
# runs as its own process under /usr/bin/time (wall, user+system CPU, peak RSS):
#   ingest       BIN ingest (parse, validate, quarantine, raw Parquet)
#     floor      DuckDB COPY (SELECT * FROM read_csv(file, columns=all VARCHAR)) TO Parquet,
#                every file of the inbox (internal/duckcopy inbox)
#   transform    BIN transform (dedup, joins, checks, curated Parquet by year)
#     floor      DuckDB COPY of every raw table to year-partitioned Parquet, no dedup,
#                join or check (internal/duckcopy partition)
#   indicators   BIN indicators --timings (the whole catalogue; the slowest SQL files listed)
# Ingest and transform run BENCH_RUNS times each, alternating with their floor (floor,
# ours, floor, ours, ...), and each figure is the median of its runs: on a shared machine
# a single pair can differ by 10% from the next. Each run's wall times are printed under
# the table. The ratios are DuckDB's wall time over ours (speed; above 1: faster than
# DuckDB), the same for CPU time (steadier on a loaded machine), and our peak RSS over
# DuckDB's. A table per scale, then seconds per million input rows for each stage.
#
# Environment: SCALE ("50"; a list gives the curve), BENCH_RUNS (3), BENCH_CACHE
# (${XDG_CACHE_HOME:-~/.cache}/safetyrisk-bench), ASOF (2024-12-31), BENCH_KEEP (1: keep
# the lakes of the run), BENCH_SLOWEST (5: SQL files listed), BENCH_PROFILE (1: a CPU
# profile of ingest, its top functions printed by go tool pprof -top; taken in one more
# ingest after the measured ones, so the profiler's cost is in none of them).
set -euo pipefail

BIN=${1:?usage: bench.sh BIN}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
SCALES=${SCALE:-50}
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/safetyrisk-bench}
ASOF=${ASOF:-2024-12-31}
RUNS=${BENCH_RUNS:-3}
SLOWEST=${BENCH_SLOWEST:-5}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: $TIME is needed to measure CPU and peak RSS (apt-get install time)" >&2; exit 1; }

mkdir -p "$CACHE"
DUCKCOPY="$CACHE/duckcopy"
go build -o "$DUCKCOPY" ./internal/duckcopy

# run DIR NAME CMD...: runs CMD as its own process, prints "wall cpu peak_kb"
run() {
  local dir=$1 name=$2; shift 2
  local rc=0
  "$TIME" -f "%e %U %S %M" -o "$dir/$name.time" "$@" >"$dir/$name.out" 2>"$dir/$name.err" || rc=$?
  # ingest exits 3 when rows were quarantined (the generator plants dirty rows): a complete run
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
    echo "bench: $name failed (exit $rc):" >&2; tail -n 20 "$dir/$name.err" >&2; exit 1
  fi
  tail -n 1 "$dir/$name.time" | awk '{printf "%s %.2f %d\n", $1, $2 + $3, $4}'
}

# prepare N: the cached inbox and its UTF-8 copies
prepare() {
  local d="$CACHE/scale-$1"
  mkdir -p "$d"
  if [ ! -d "$d/inbox" ]; then
    echo "bench: generating the scale $1 inbox into $d/inbox (once) ..." >&2
    rm -rf "$d/inbox.tmp" "$d/utf8"
    "$BIN" generate --out "$d/inbox.tmp" --scale "$1" >"$d/generate.out" 2>"$d/generate.err"
    mv "$d/inbox.tmp" "$d/inbox"
  fi
  if [ ! -f "$d/utf8/.done" ]; then
    rm -rf "$d/utf8"
    "$DUCKCOPY" utf8 -in "$d/inbox" -out "$d/utf8"
    touch "$d/utf8/.done"
  fi
  if [ ! -s "$d/pii.key" ]; then
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$d/pii.key"
  fi
}

# median: the middle of the numbers on stdin (the lower middle of an even count)
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# runs NAME: the median "wall cpu peak_kb" of the runs NAME-1 .. NAME-RUNS (run's lines, in $w/NAME.runs)
runs() {
  local f=$w/$1.runs
  printf '%s %s %s\n' "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" "$(cut -d' ' -f3 "$f" | median)"
}

mb() { echo $(($1 / 1024)); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
permrows() { awk -v t="$1" -v r="$2" 'BEGIN { printf "%.2f", t / (r / 1e6) }'; }

CURVE=()
for N in $SCALES; do
  prepare "$N"
  d="$CACHE/scale-$N"
  w="$d/run"
  rm -rf "$w"; mkdir -p "$w"
  cat "$d"/inbox/*.csv "$d"/utf8/*.csv >/dev/null # every reader starts from the page cache
  load=$(cut -d' ' -f1-3 /proc/loadavg)

  for r in $(seq "$RUNS"); do # each ingest into an empty lake; the last one's stays for transform
    run "$w" duck-ingest "$DUCKCOPY" inbox -in "$d/utf8" -out "$w/duck-ingest" >>"$w/duck-ingest.runs"
    rm -rf "$w/duck-ingest" "$w/lake"
    run "$w" ingest "$BIN" ingest --lake "$w/lake" --pii-key-file "$d/pii.key" "$d/inbox" >>"$w/ingest.runs"
  done
  read -r di_t di_c di_m < <(runs duck-ingest)
  read -r in_t in_c in_m < <(runs ingest)
  rows=$(awk '/ rows read,/ { for (i = 1; i <= NF; i++) if ($(i+1) == "rows" && $(i+2) == "read,") n += $i } END { print n + 0 }' "$w/ingest.out")
  duckrows=$(awk '/^duckdb inbox:/ { print $5 }' "$w/duck-ingest.out")
  [ "$rows" = "$duckrows" ] || { echo "bench: ingest read $rows rows, DuckDB $duckrows" >&2; exit 1; }
  prof=""
  if [ "${BENCH_PROFILE:-}" = 1 ]; then
    prof="$w/ingest.pprof"
    SAFETYRISK_CPUPROFILE="$prof" run "$w" ingest-profiled "$BIN" ingest --lake "$w/lake-profiled" --pii-key-file "$d/pii.key" "$d/inbox" >/dev/null
    rm -rf "$w/lake-profiled"
  fi

  for r in $(seq "$RUNS"); do
    run "$w" duck-transform "$DUCKCOPY" partition -lake "$w/lake" -out "$w/duck-transform" >>"$w/duck-transform.runs"
    rm -rf "$w/duck-transform"
    run "$w" transform "$BIN" transform --lake "$w/lake" --as-of "$ASOF" >>"$w/transform.runs"
  done
  read -r dt_t dt_c dt_m < <(runs duck-transform)
  read -r tr_t tr_c tr_m < <(runs transform)
  read -r ix_t ix_c ix_m < <(run "$w" indicators "$BIN" indicators --lake "$w/lake" --as-of "$ASOF" --timings --format csv)

  printf '\nscale %s: %s input rows in %d files, %s MB of CSV; load average before the run %s; %s cores\n' \
    "$N" "$rows" "$(ls "$d"/inbox/*.csv | wc -l)" "$(du -cm "$d"/inbox/*.csv | tail -n 1 | cut -f1)" "$load" "$(nproc)"
  printf '| %-10s | %-28s | %-28s | %-6s | %-6s | %-6s |\n' stage "safetyrisk: wall, CPU, RSS" "DuckDB floor: wall, CPU, RSS" speed "CPU" "RSS"
  printf '|%s|%s|%s|%s|%s|%s|\n' ------------ ------------------------------ ------------------------------ -------- -------- --------
  line() { # stage t c m [dt dc dm]
    local ours floor sp cp rs
    ours=$(printf '%6.1fs %6.1fs %5d MB' "$2" "$3" "$(mb "$4")")
    if [ -n "${5:-}" ]; then
      floor=$(printf '%6.1fs %6.1fs %5d MB' "$5" "$6" "$(mb "$7")")
      sp="$(ratio "$5" "$2")x"; cp="$(ratio "$6" "$3")x"; rs="$(ratio "$4" "$7")x"
    else
      floor="-"; sp="-"; cp="-"; rs="-"
    fi
    printf '| %-10s | %-28s | %-28s | %-6s | %-6s | %-6s |\n' "$1" "$ours" "$floor" "$sp" "$cp" "$rs"
  }
  line ingest "$in_t" "$in_c" "$in_m" "$di_t" "$di_c" "$di_m"
  line transform "$tr_t" "$tr_c" "$tr_m" "$dt_t" "$dt_c" "$dt_m"
  line indicators "$ix_t" "$ix_c" "$ix_m"
  echo "speed: DuckDB's wall time over ours (>= 1: as fast as DuckDB or faster); CPU: the same for CPU time; RSS: our peak RSS over DuckDB's"
  echo "medians of $RUNS runs each; wall times, run by run (floor/ours):"
  for s in ingest transform; do
    printf '  %-10s %s\n' "$s" "$(paste -d/ <(cut -d' ' -f1 "$w/duck-$s.runs") <(cut -d' ' -f1 "$w/$s.runs") | tr '\n' ' ')"
  done
  echo "slowest indicator SQL files:"
  grep -E '^[^ =]+ +[0-9]+\.[0-9]{3}s$' "$w/indicators.err" | grep -v '^total ' | head -n "$SLOWEST" | sed 's/^/  /'
  grep -E '^total +[0-9]+\.[0-9]{3}s$' "$w/indicators.err" | awk '{ printf "  %-26s %s\n", "all SQL files", $2 }'
  if [ -n "$prof" ]; then
    echo "ingest CPU profile ($prof):"
    go tool pprof -top -nodecount=12 "$BIN" "$prof" 2>/dev/null | grep -v -E '^(File|Build ID|Type|Time):' | sed 's/^/  /'
  fi
  CURVE+=("$N $rows $in_t $tr_t $ix_t $di_t $dt_t $in_m $tr_m $ix_m")
  [ "${BENCH_KEEP:-}" = 1 ] || rm -rf "$w/lake"
done

printf '\nseconds per million input rows (wall), peak RSS in MB\n'
printf '| %-5s | %-10s | %-8s | %-9s | %-10s | %-12s | %-15s | %-16s |\n' scale rows ingest transform indicators "duck ingest" "duck transform" "peak RSS i/t/x"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' ------- ------------ ---------- ----------- ------------ -------------- ----------------- ------------------
for c in "${CURVE[@]}"; do
  read -r n r it tt xt dit dtt im tm xm <<<"$c"
  printf '| %-5s | %-10s | %-8s | %-9s | %-10s | %-12s | %-15s | %-16s |\n' "$n" "$r" \
    "$(permrows "$it" "$r")" "$(permrows "$tt" "$r")" "$(permrows "$xt" "$r")" "$(permrows "$dit" "$r")" "$(permrows "$dtt" "$r")" \
    "$(mb "$im")/$(mb "$tm")/$(mb "$xm")"
done
