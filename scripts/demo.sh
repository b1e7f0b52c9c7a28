#!/usr/bin/env bash
# make demo: the whole pipeline on generated Ordos sample data, then serve the metrics.
# Usage: scripts/demo.sh BIN DIR SEED LISTEN
set -euo pipefail
BIN=${1:-bin/safetyrisk}; DIR=${2:-demo}; SEED=${3:-20220927}; LISTEN=${4:-127.0.0.1:9822}
ASOF=${ASOF:-2024-12-31}
SRC="$DIR/source"; LAKE="$DIR/lake"; KEY="$DIR/pii.key"

step() { printf '\n==> %s\n' "$*"; }

mkdir -p "$DIR"
# Reporter identities are hashed at ingest with a secret key (M57). The demo makes its
# own random key; a real office keeps one key for good (SAFETYRISK_PII_KEY or a key file).
if [ ! -s "$KEY" ]; then
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$KEY"
  chmod 600 "$KEY"
fi

step "generate: sample data for 鄂尔多斯市 (seed $SEED, scale 1) into $SRC"
rm -rf "$SRC"
"$BIN" generate --out "$SRC" --seed "$SEED" --scale 1

step "run: ingest $SRC into $LAKE, transform, indicators as of $ASOF (about 1% of rows are dirty on purpose and are quarantined)"
"$BIN" run --lake "$LAKE" --inbox "$SRC" --pii-key-file "$KEY" --as-of "$ASOF"

step "check: data-quality checks (the generator plants a few orphans: warnings expected)"
"$BIN" check --lake "$LAKE" || true

step "indicators: the catalogue as of $ASOF, in $DIR/indicators.txt"
"$BIN" indicators --lake "$LAKE" --as-of "$ASOF" --format table --no-write > "$DIR/indicators.txt"
echo "annual assessment $(echo "$ASOF" | cut -c1-4), regions (M5, M6; the veto caps a region with a 较大 accident or an M31 hazard):"
"$BIN" sql --lake "$LAKE" "SELECT region, round(score, 1) AS score, grade, veto, reason FROM assessment WHERE sector = 'all' ORDER BY region"

step "backfill: month-end history 2022-01..2024-12 as OpenMetrics in $DIR/history.om"
"$BIN" backfill --lake "$LAKE" --from 2022-01 --to 2024-12 --out "$DIR/history.om"

cat <<EOT

Done. What is where:
  source files      $SRC            (Chinese headers, CSV; _truth/ says which rows were made dirty)
  lake              $LAKE           (raw/, quarantine/, manifest/, curated/, indicators/, catalog.duckdb)
  ad-hoc SQL        $BIN sql --lake $LAKE "SELECT region, count(*) FROM hazards GROUP BY ALL"
  explain a number  $BIN explain late_report_ratio --lake $LAKE --as-of $ASOF
  history           promtool tsdb create-blocks-from openmetrics $DIR/history.om <prometheus-data-dir>
  dashboards        docker compose up (see README: Grafana at http://localhost:3000)

==> serve: metrics at http://$LISTEN/metrics (Ctrl-C to stop)
EOT
exec "$BIN" serve --lake "$LAKE" --listen "$LISTEN"
