# vertrouwd — build, test and run. `make help` lists the targets.
SHELL := /bin/bash
SWIFT        ?= swift
DEV_CONFIG   ?= Config/vertrouwd.dev.toml
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= ConfigFuzz SignalFuzz
FUZZ_SCRATCH ?= .build-fuzz
BIN           = .build/debug/vertrouwd

.PHONY: help deps test-deps build release test unit-tests fuzz run check-config clean

help:
	@echo "make run      build, check $(DEV_CONFIG) and run the daemon on it in the foreground"
	@echo "make test     install test dependencies, build, run every test and $(FUZZ_SECONDS)s of fuzzing per target"
	@echo "make build    debug build          make release   release build"
	@echo "make fuzz     fuzz each target for FUZZ_SECONDS (default $(FUZZ_SECONDS))"

deps:
	@scripts/ensure-deps build

test-deps:
	@scripts/ensure-deps test

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Every test: unit, golden, property and integration tests (these run the
# built binary), then the fuzzers.
test: test-deps build
	$(SWIFT) test
	$(MAKE) --no-print-directory fuzz

fuzz: deps
	@mkdir -p fuzz-artifacts
	@set -e; for t in $(FUZZ_TARGETS); do \
		VERTROUWD_FUZZ=1 $(SWIFT) build --sanitize=fuzzer --scratch-path $(FUZZ_SCRATCH) --product $$t; \
	done
	@set -e; for t in $(FUZZ_TARGETS); do \
		seeds=; [ -d Tests/Fuzz/$$t ] && seeds=Tests/Fuzz/$$t; mkdir -p $(FUZZ_SCRATCH)/corpus/$$t; \
		echo "fuzzing $$t for $(FUZZ_SECONDS)s"; \
		$(FUZZ_SCRATCH)/debug/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=fuzz-artifacts/$$t- \
			$(FUZZ_SCRATCH)/corpus/$$t $$seeds 2>&1 | tail -n 12; \
		test $${PIPESTATUS[0]} -eq 0 || { echo "fuzzing $$t found a crash: see fuzz-artifacts/"; exit 1; }; \
	done

check-config: build
	@chmod go-w $(DEV_CONFIG)
	$(BIN) check-config --config $(DEV_CONFIG)

# The daemon in the foreground on the dev config (state and spool under
# .run/). Ctrl-C stops it after the batch in hand.
run: check-config
	@echo "vertrouwd is running; drop signals with:"
	@echo "  $(BIN) submit --config $(DEV_CONFIG) FILE"
	@echo "Ctrl-C stops it."
	$(BIN) run --config $(DEV_CONFIG)

clean:
	rm -rf .build $(FUZZ_SCRATCH) .run fuzz-artifacts
