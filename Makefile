# safetyrisk: two commands for a new user: `make demo` and `make test`.
GO      ?= go
BIN     := bin/safetyrisk
DEMO    ?= demo
SEED    ?= 20220927
LISTEN  ?= 127.0.0.1:9822
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.Version=$(VERSION)

.PHONY: all build test test-unit test-integration demo bench bench-ingest lint fmt clean prometheus

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/safetyrisk

# Every test: unit tests, then the integration tests (a real Prometheus and promtool,
# installed by scripts/ensure-prometheus.sh where the machine allows, else skipped with
# the reason printed).
test: build lint
	@scripts/ensure-prometheus.sh
	@scripts/ensure-chromium.sh
	$(GO) test -count=1 -timeout 45m -tags integration ./...
	$(GO) test -run='^$$' -fuzz=FuzzCSVParser -fuzztime=20s -fuzzminimizetime=5x ./ingest/

test-unit:
	$(GO) test ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

# The whole pipeline on sample data up to yesterday, as of today, then serve the metrics
# (PROFILE=profiles/baotou.json, SCALE=0.2 and ASOF=YYYY-MM-DD are passed to scripts/demo.sh).
demo: build
	@scripts/demo.sh $(BIN) $(DEMO) $(SEED) $(LISTEN)

# Every stage beside DuckDB's own floor on the same data (scripts/bench.sh): SCALE=50 by
# default, SCALE="1 10 50" for the curve. The inputs are cached in ~/.cache/safetyrisk-bench.
bench: build
	@SCALE="$${SCALE:-50}" scripts/bench.sh $(BIN)

# Ingest alone on one big hazards file against DuckDB's COPY.
bench-ingest: build
	@scripts/bench-ingest.sh $(BIN)

prometheus:
	@scripts/ensure-prometheus.sh

clean:
	rm -rf bin $(DEMO)

# The big-lake tests (build tag biglake): a transform and the whole catalogue timed on a
# generated lake of BIG_HAZARDS hazards (default 1,000,000; 10000000 is the --scale 50
# lake). make bench runs them first.
BIG_HAZARDS ?= 1000000
bench: bench-biglake
.PHONY: bench-biglake
bench-biglake:
	TRANSFORM_BIG_HAZARDS=$(BIG_HAZARDS) SAFETYRISK_BIG_HAZARDS=$(BIG_HAZARDS) \
	  $(GO) test -count=1 -tags biglake -run BigLake -v ./transform ./queries
