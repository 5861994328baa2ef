# Andel: everyday targets. Tests start their own PostgreSQL (internal/pgtest),
# `make run` a private one under $(DATA_DIR); neither needs a database started
# by hand. What they need on the machine (the PostgreSQL server programs) is
# installed when missing by scripts/need.sh, whose TOOLS table says what each
# target needs.

GO           ?= go
# Builds and tests never rewrite go.mod or go.sum behind your back.
GOFLAGS      ?= -mod=readonly
export GOFLAGS
BIN          ?= bin/andel
DATA_DIR     ?= data
# Per test binary: package api alone runs about 4 minutes under the race
# detector on a quiet 2-core machine, three times that on a shared one (a
# guard against hangs, not a target).
TEST_TIMEOUT ?= 20m
# The tests run under the race detector (the importer and the jobs run
# goroutines against the database); RACE= turns it off.
RACE         ?= -race
# Each fuzz target runs this many inputs in `make test` (their seeds run as
# plain tests). A count, not a duration: with go1.26 a duration-bounded
# fuzz run can fail at its own deadline with "context deadline exceeded"
# and no failing input (golang/go#75804, fixed in go1.27).
FUZZTIME     ?= 30000x
FUZZMINIMIZE ?= 200x
FUZZ_TARGETS := suppliers:FuzzParseCSV suppliers:FuzzParseUBL suppliers:FuzzParseJSON suppliers:FuzzParseXLSX pricing:FuzzAllocate pricing:FuzzParseAmount

.PHONY: all build vet test fuzz run bench bench-orders bench-savings bench-surplus bench-shop clean need-run need-test screenshots

all: build

build:
	$(GO) build -trimpath -o $(BIN) ./cmd/andel

vet:
	$(GO) vet ./...

# need-TARGET installs what TARGET needs when it is missing (scripts/need.sh).
need-run need-test:
	@scripts/need.sh -q $(@:need-%=%)

test: need-test vet
	$(GO) test $(RACE) -count=1 -timeout $(TEST_TIMEOUT) ./...
	$(MAKE) --no-print-directory fuzz

# Short fuzzing of the parsers and the allocation: they must never panic.
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name ($(FUZZTIME))"; \
		out=$$($(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./$$pkg 2>&1) || \
		{ echo "$$out"; exit 1; }; \
	done

# Without DATABASE_URL the program starts a private PostgreSQL under $(DATA_DIR).
run: need-run build
	./$(BIN) serve -migrate -seed

# A PNG of every web page, per role, language (da, en) and width (tablet,
# phone), into screenshots/ (ignored by git), from a throwaway demo.
screenshots: need-test
	ANDEL_SCREENSHOTS=$(CURDIR)/screenshots $(GO) test -count=1 -run '^TestScreenshots$$' ./web
	@echo "screenshots/: $$(ls screenshots | wc -l) PNG files"

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# A generated cooperative year (1,600 practices, 50 suppliers, 10M order lines;
# ANDEL_BENCH_ORDER_LINES to change) in a throwaway database: the savings-rollup
# job's time and GET /api/v1/savings p50/p95. See BENCHMARKS.md.
# Order placement: 8 practices at once through the real handler against
# TPC-B on the same server (ANDEL_BENCH_ORDERS orders, default 2,000).
bench-orders:
	$(GO) test -run '^$$' -bench OrderPlacement -benchtime 1x -timeout 20m -v ./api

bench-savings:
	$(GO) test -run '^$$' -bench Savings -benchtime 1x -timeout 60m -v ./api

# A surplus run over 100,000 generated members: prepare (compute and store
# every figure) and distribute, against a raw COPY of as many rows
# (ANDEL_BENCH_MEMBERS to change). See BENCHMARKS.md.
bench-surplus:
	$(GO) test -run '^$$' -bench Surplus100k -benchtime 1x -timeout 30m -v ./domain

# The practice's shop pages through the real server on 100,000 generated
# products with 1,000,000 offers (ANDEL_BENCH_PRODUCTS, ANDEL_BENCH_ROUNDS
# to change): p50/p95 of search, product, cart and checkout, the largest
# page with its assets, and EXPLAIN ANALYZE of the search. See BENCHMARKS.md.
bench-shop: need-test
	$(GO) test -run '^$$' -bench ShopPages -benchtime 1x -timeout 40m -v ./web

# Removes the binary and the dev database (all local data).
clean:
	rm -rf $(dir $(BIN)) $(DATA_DIR)
