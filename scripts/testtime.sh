#!/usr/bin/env bash
# Test time, before and after: runs `make test` in a scratch worktree of each of two (or
# more) commits, back to back on this machine, and prints, for the first against each
# other one,
#   - every top-level test present in both: its seconds at each commit (go test's own,
#     or start to end where it runs subtests in parallel) and the ratio (marked "SLOWER" past 1.10,
#     the bound issue 15 sets);
#   - the tests present in only one of them;
#   - each package's elapsed seconds (its test binary's run, as `go test -json` reports it);
#   - the wall time of `make test` and of its `go test ./...` step at each commit, and
#     the machine's load average (1 minute) when each run started and ended: the figures
#     mean little when someone else is using the cores.
#
# Usage: scripts/testtime.sh [BASE [REV...]]    (default BASE=7a054c7, REV=HEAD)
#        scripts/testtime.sh --table OLD.json NEW.json   (the table from two earlier runs)
#   OUT=/tmp/testtime   where the JSON (<commit>.json), the logs and the tables are kept.
#
# The `go test ./...` step of each commit's Makefile gets -json through a wrapper passed as
# GO= to make, so the figures are those of `make test` itself. Before the timed runs, both
# commits' packages and test binaries are compiled once (a warm build cache for both), so
# the comparison is of test run time, not of who compiled DuckDB first. Each run takes
# about 5 minutes of both cores: run it when no one else is benchmarking.
set -euo pipefail

out=${OUT:-/tmp/testtime}
mkdir -p "$out"

# table OLD.json NEW.json: the per-test and per-package comparison.
table() {
  local old=$1 new=$2
  # One line per finished top-level test or package: pkg<TAB>test<TAB>action<TAB>seconds.
  # A test's seconds are go test's Elapsed, except where its subtests ran in parallel,
  # which that leaves out: then from its start to the end of its last subtest (each
  # subtest's start, or resumption, plus its Elapsed; the events' own times are no end
  # time, since a parallel test's result line may be printed late). A package's are its
  # Elapsed.
  rows() {
    jq -r 'select(.Action=="run" or .Action=="cont" or .Action=="pass" or .Action=="fail" or .Action=="skip")
           | (.Time | capture("^(?<d>[^.Z+]+)(\\.(?<f>[0-9]+))?") ) as $c
           | [(.Package|sub("^github.com/safetyrisk/safetyrisk/?";"")|if .=="" then "." else . end),
              (.Test // "-"), .Action,
              (($c.d + "Z" | fromdateiso8601) + ("0." + ($c.f // "0") | tonumber) | tostring),
              (.Elapsed // "" | tostring)] | @tsv' "$1" |
      awk -F'\t' -v OFS='\t' '
        $2 == "-" { if ($3 != "run" && $3 != "cont" && $5 != "") print $1, $2, $3, $5; next }
        { top = $2; sub(/\/.*/, "", top); k = $1 FS top }
        $3 == "run" || $3 == "cont" { if ($2 == top) start[k] = $4; else sub_start[$1 FS $2] = $4; next }
        $2 != top { e = sub_start[$1 FS $2] + $5; if (e > last[k]) last[k] = e; next }
        { n = $5; if ((k in last) && last[k] - start[k] > n) n = last[k] - start[k]
          print $1, $2, $3, sprintf("%.2f", n) }'
  }
  rows "$old" >"$out/old.tsv"
  rows "$new" >"$out/new.tsv"
  echo "## Tests present in both (seconds; ratio = now / before; SLOWER past 1.10 and 0.1 s)"
  printf '%-16s %-52s %9s %9s %7s\n' package test before now ratio
  awk -F'\t' '
    NR==FNR { if ($2 != "-") { old[$1 FS $2] = $4; oact[$1 FS $2] = $3 }; next }
    $2 != "-" && (($1 FS $2) in old) {
      o = old[$1 FS $2]; n = $4
      r = (o > 0) ? sprintf("%.2f", n / o) : "-"
      flag = (o > 0 && n / o > 1.10 && n - o >= 0.1) ? " SLOWER" : ""
      if (oact[$1 FS $2] != "pass" || $3 != "pass") flag = flag " (" oact[$1 FS $2] "->" $3 ")"
      printf "%-16s %-52s %9.2f %9.2f %7s%s\n", $1, $2, o, n, r, flag
    }' "$out/old.tsv" "$out/new.tsv" | sort -k1,1 -k4,4nr
  echo
  echo "## Tests only in the new run (seconds)"
  awk -F'\t' 'NR==FNR { old[$1 FS $2]; next }
    $2 != "-" && !(($1 FS $2) in old) { printf "%-16s %-52s %9.2f %s\n", $1, $2, $4, $3 }' \
    "$out/old.tsv" "$out/new.tsv" | sort -k3,3nr
  echo
  echo "## Tests only in the old run"
  awk -F'\t' 'NR==FNR { nw[$1 FS $2]; next }
    $2 != "-" && !(($1 FS $2) in nw) { printf "%-16s %-52s %9.2f %s\n", $1, $2, $4, $3 }' \
    "$out/new.tsv" "$out/old.tsv"
  echo
  echo "## Packages (test binary run, seconds)"
  printf '%-16s %9s %9s %7s\n' package before now ratio
  awk -F'\t' '
    NR==FNR { if ($2 == "-") old[$1] = $4; next }
    $2 == "-" { o = ($1 in old) ? old[$1] : 0
      printf "%-16s %9.2f %9.2f %7s\n", $1, o, $4, (o > 0) ? sprintf("%.2f", $4 / o) : "-" }' \
    "$out/old.tsv" "$out/new.tsv"
}

if [ "${1:-}" = --table ]; then
  table "$2" "$3"
  exit 0
fi

repo=$(git rev-parse --show-toplevel)
base=$(git -C "$repo" rev-parse --short "${1:-7a054c7}")
[ $# -gt 0 ] && shift
revs=("$base")
for r in "${@:-HEAD}"; do revs+=("$(git -C "$repo" rev-parse --short "$r")"); done

# The GO wrapper: `go test ... ./...` without -fuzz gets -json and writes it to $TESTTIME_JSON,
# with its own wall time in $TESTTIME_JSON.wall; every other go command passes through.
wrapper=$out/go-json
cat >"$wrapper" <<'EOF'
#!/usr/bin/env bash
if [ "$1" = test ] && [[ " $* " == *" ./... "* ]] && [[ " $* " != *" -fuzz"* ]]; then
  shift
  start=$(date +%s.%N)
  go test -json "$@" >"$TESTTIME_JSON"
  rc=$?
  echo "$(date +%s.%N) - $start" | bc >"$TESTTIME_JSON.wall"
  exit $rc
fi
exec go "$@"
EOF
chmod +x "$wrapper"

trees=()
cleanup() {
  for t in "${trees[@]}"; do git -C "$repo" worktree remove --force "$t" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

for rev in "${revs[@]}"; do
  t=$out/tree-$rev
  git -C "$repo" worktree remove --force "$t" >/dev/null 2>&1 || true
  git -C "$repo" worktree add --detach "$t" "$rev" >/dev/null
  trees+=("$t")
  echo "warming the build cache for $rev..."
  (cd "$t" && go build ./... && go vet ./... && go test -count=1 -tags integration -run '^$' ./... >/dev/null)
done

load() { cut -d' ' -f1 /proc/loadavg; }
for rev in "${revs[@]}"; do
  echo "make test at $rev (log: $out/$rev.log)..."
  load >"$out/$rev.load"
  start=$(date +%s.%N)
  rc=0
  (cd "$out/tree-$rev" && TESTTIME_JSON=$out/$rev.json make test GO="$wrapper") >"$out/$rev.log" 2>&1 || rc=$?
  echo "$(date +%s.%N) - $start" | bc >"$out/$rev.make.wall"
  l0=$(cat "$out/$rev.load")
  echo "$l0 -> $(load)" >"$out/$rev.load"
  echo "  exit $rc, make test $(cat "$out/$rev.make.wall") s, go test ./... $(cat "$out/$rev.json.wall") s, load $(cat "$out/$rev.load")"
done

for rev in "${revs[@]:1}"; do
  {
    echo "# make test: $base -> $rev, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
    echo
    table "$out/$base.json" "$out/$rev.json"
    echo
    echo "## Wall time (seconds)"
    printf '%-24s %12s %12s\n' step "$base" "$rev"
    printf '%-24s %12.1f %12.1f\n' "make test" "$(cat "$out/$base.make.wall")" "$(cat "$out/$rev.make.wall")"
    printf '%-24s %12.1f %12.1f\n' "go test ./..." "$(cat "$out/$base.json.wall")" "$(cat "$out/$rev.json.wall")"
    printf '%-24s %12s %12s\n' "load (start -> end)" "$(cat "$out/$base.load" | tr -d ' ')" "$(cat "$out/$rev.load" | tr -d ' ')"
  } | tee "$out/table-$base-$rev.txt"
done
