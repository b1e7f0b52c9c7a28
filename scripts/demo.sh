#!/usr/bin/env bash
# make demo: the whole pipeline on generated sample data for a jurisdiction profile, as of
# today, then serve the metrics.
# Usage: scripts/demo.sh BIN DIR SEED LISTEN
# Environment:
#   PROFILE  profile file (default: the built-in profile, profiles/ordos.json)
#   SCALE    sample-data size (default 1: one mid-sized city)
#   ASOF     as-of date YYYY-MM-DD (default: today in the profile's time zone)
#   DEMO_TZ  the profile's time zone, for the default months of history (default Asia/Shanghai)
set -euo pipefail
BIN=${1:-bin/safetyrisk}; DIR=${2:-demo}; SEED=${3:-20220927}; LISTEN=${4:-127.0.0.1:9822}
PROFILE=${PROFILE:-}; SCALE=${SCALE:-1}; ASOF=${ASOF:-}
SRC="$DIR/source"; LAKE="$DIR/lake"; KEY="$DIR/pii.key"
PROF=(); [ -n "$PROFILE" ] && PROF=(--profile "$PROFILE")
AS=(); [ -n "$ASOF" ] && AS=(--as-of "$ASOF")

# The generator writes the last three full years and this year up to yesterday; history
# is every month end from the first month to the last finished month (the current
# month's end is still to come).
export TZ=${DEMO_TZ:-Asia/Shanghai}
YEAR=$(date +%Y); MONTH=$(date +%m); MONTH=${MONTH#0}
HIST_FROM="$((YEAR - 3))-01"
if [ "$MONTH" -eq 1 ]; then HIST_TO="$((YEAR - 1))-12"; else HIST_TO=$(printf '%d-%02d' "$YEAR" "$((MONTH - 1))"); fi

step() { printf '\n==> %s\n' "$*"; }

mkdir -p "$DIR"
# Reporter identities are hashed at ingest with a secret key (M57). The demo makes its
# own random key; a real office keeps one key for good (SAFETYRISK_PII_KEY or a key file).
if [ ! -s "$KEY" ]; then
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$KEY"
  chmod 600 "$KEY"
fi

step "generate: sample data for ${PROFILE:-the built-in profile} (seed $SEED, scale $SCALE) into $SRC"
rm -rf "$SRC" "$LAKE"
"$BIN" generate --out "$SRC" --seed "$SEED" --scale "$SCALE" ${PROF[@]+"${PROF[@]}"}

step "run: ingest $SRC into $LAKE, transform, indicators as of ${ASOF:-today} (about 1% of rows are dirty on purpose and are quarantined)"
"$BIN" run --lake "$LAKE" --inbox "$SRC" --pii-key-file "$KEY" ${PROF[@]+"${PROF[@]}"} ${AS[@]+"${AS[@]}"}

step "check: data-quality checks (the generator plants a few orphans: warnings expected)"
"$BIN" check --lake "$LAKE" || true

step "indicators: the catalogue as of ${ASOF:-today}, in $DIR/indicators.txt"
"$BIN" indicators --lake "$LAKE" ${PROF[@]+"${PROF[@]}"} ${AS[@]+"${AS[@]}"} --format table --no-write > "$DIR/indicators.txt"
echo "annual assessment this year, regions (M5, M6; the veto caps a region with a 较大 accident or an M31 hazard):"
"$BIN" sql --lake "$LAKE" "SELECT region, round(score, 1) AS score, grade, veto, reason FROM assessment WHERE sector = 'all' ORDER BY region"

step "backfill: month-end history $HIST_FROM..$HIST_TO as OpenMetrics in $DIR/history.om"
"$BIN" backfill --lake "$LAKE" ${PROF[@]+"${PROF[@]}"} --from "$HIST_FROM" --to "$HIST_TO" --out "$DIR/history.om"

step "dashboards and Prometheus configuration for this profile: $DIR/dashboards, $DIR/prometheus"
"$BIN" dashboards --out "$DIR/dashboards" ${PROF[@]+"${PROF[@]}"}
"$BIN" rules --out "$DIR/prometheus" ${PROF[@]+"${PROF[@]}"}

cat <<EOT

Done. What is where:
  source files      $SRC            (Chinese headers, CSV; _truth/ says which rows were made dirty)
  lake              $LAKE           (raw/, quarantine/, manifest/, curated/, indicators/, catalog.duckdb)
  ad-hoc SQL        $BIN sql --lake $LAKE "SELECT region, count(*) FROM hazards GROUP BY ALL"
  explain a number  $BIN explain late_report_ratio --lake $LAKE
  history           promtool tsdb create-blocks-from openmetrics $DIR/history.om <prometheus-data-dir>
  Prometheus        prometheus --config.file=$DIR/prometheus/prometheus.yml (scrapes safetyrisk:9822: point it at $LISTEN)
  dashboards        $DIR/dashboards/*.json (Grafana: provision them with grafana/provisioning), or
                    docker compose up, then open http://localhost:3000 (folder 安全生产)

Open now:
  metrics           http://$LISTEN/metrics
  status page       http://$LISTEN/
  monthly briefing  http://$LISTEN/report   (or: $BIN report --lake $LAKE --out $DIR/briefing.html --pdf $DIR/briefing.pdf)

==> serve: metrics at http://$LISTEN/metrics (Ctrl-C to stop)
EOT
exec "$BIN" serve --lake "$LAKE" --listen "$LISTEN" ${PROF[@]+"${PROF[@]}"}
