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
	@echo "make test     install test dependencies, build, run every test, $(FUZZ_SECONDS)s of fuzzing per target,"
	@echo "              test-make-run and test-systemd"
	@echo "make build    debug build          make release   release build"
	@echo "make fuzz     fuzz each target for FUZZ_SECONDS (default $(FUZZ_SECONDS))"
	@echo "make test-make-run   make run on a fresh clone: alerts within 60s, Ctrl-C stops all"
	@echo "make test-systemd    boot a minimal Debian under systemd-nspawn and check the units (root)"
	@echo "make install  static release build, then binary, units, sysusers, tmpfiles, man pages, example config"
	@echo "              (PREFIX=/usr, DESTDIR= for a package tree; an existing config is kept)"
	@echo "make bench    vertrouwd against SEC and a bare loop (not part of make test); BENCH_RECORD=1 writes Benchmarks/RESULTS.md"

deps:
	@scripts/ensure-deps build

test-deps:
	@scripts/ensure-deps test
	@scripts/ensure-test-tools

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Every test: unit, golden, property and integration tests (these run the
# built binary), the fuzzers, `make run` on a fresh clone (alerts within 60 s,
# Ctrl-C leaves nothing running), and the boot test under a real systemd.
test: test-deps build
	$(SWIFT) test
	$(MAKE) --no-print-directory fuzz
	$(MAKE) --no-print-directory test-make-run
	$(MAKE) --no-print-directory test-systemd

# The newcomer's first minute: clones HEAD into a temporary folder, types
# `make run` there on a pseudo-terminal, waits for the sample alerts, presses
# Ctrl-C and checks that nothing is left running; twice.
.PHONY: test-make-run
test-make-run:
	@scripts/test-make-run

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

# The daemon on the dev config (state and spool under .run/), with
# `vertrouwd listen` printing what it delivers and the sample signals of
# Config/samples/ fed in. Ctrl-C stops everything.
run: check-config
	@BIN=$(BIN) CONFIG=$(DEV_CONFIG) scripts/dev-run

clean:
	rm -rf .build $(FUZZ_SCRATCH) .run fuzz-artifacts

# Installs the release binary, the systemd units, sysusers.d and tmpfiles.d
# entries, and the example configuration (only when there is none yet: an
# admin's config is never overwritten). `make install PREFIX=/usr/local` and
# `make install DESTDIR=/tmp/pkg` work (install-files alone skips the build); without DESTDIR the user, groups and
# folders are created right away with systemd-sysusers and systemd-tmpfiles.
PREFIX     ?= /usr
DESTDIR    ?=
BINDIR      = $(PREFIX)/bin
UNITDIR     = $(PREFIX)/lib/systemd/system
SYSUSERSDIR = $(PREFIX)/lib/sysusers.d
TMPFILESDIR = $(PREFIX)/lib/tmpfiles.d
INSTALL_SCRATCH ?= .build
INSTALL_BIN ?= $(INSTALL_SCRATCH)/release/vertrouwd

.PHONY: install install-release install-files

install: install-release install-files

install-release: deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(INSTALL_SCRATCH)

# Everything but the build; the tests use it with INSTALL_BIN and DESTDIR.
install-files:
	install -d -m 0755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 0755 $(INSTALL_BIN) $(DESTDIR)$(BINDIR)/vertrouwd
	sed 's|@BINDIR@|$(BINDIR)|g' systemd/vertrouwd.service.in > $(DESTDIR)$(UNITDIR)/vertrouwd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vertrouwd.service
	install -m 0644 systemd/vertrouwd-submit.socket $(DESTDIR)$(UNITDIR)/vertrouwd-submit.socket
	sed 's|@BINDIR@|$(BINDIR)|g' systemd/vertrouwd-adapt@.service > $(DESTDIR)$(UNITDIR)/vertrouwd-adapt@.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vertrouwd-adapt@.service
	install -m 0644 systemd/vertrouwd.sysusers $(DESTDIR)$(SYSUSERSDIR)/vertrouwd.conf
	install -m 0644 systemd/vertrouwd.tmpfiles $(DESTDIR)$(TMPFILESDIR)/vertrouwd.conf
	install -d -m 0750 $(DESTDIR)/etc/vertrouwd
	@if [ -e $(DESTDIR)/etc/vertrouwd/vertrouwd.toml ]; then \
		echo "keeping the existing $(DESTDIR)/etc/vertrouwd/vertrouwd.toml"; \
	else \
		install -m 0640 Config/vertrouwd.toml $(DESTDIR)/etc/vertrouwd/vertrouwd.toml; \
	fi
	install -d -m 0750 $(DESTDIR)/etc/vertrouwd/domains
	@for f in Config/domains/*.list; do \
		t=$(DESTDIR)/etc/vertrouwd/domains/$$(basename $$f); \
		if [ -e $$t ]; then echo "keeping the existing $$t"; else install -m 0640 $$f $$t; fi; \
	done
	@if [ -z "$(DESTDIR)" ]; then \
		systemd-sysusers $(SYSUSERSDIR)/vertrouwd.conf && \
		systemd-tmpfiles --create $(TMPFILESDIR)/vertrouwd.conf && \
		chgrp vertrouwd /etc/vertrouwd/vertrouwd.toml && \
		(systemctl daemon-reload 2>/dev/null || true); \
		echo "installed; check the config, then: systemctl enable --now vertrouwd.service"; \
	fi

# The man pages: vertrouwd(8) and vertrouwd.toml(5).
MANDIR      = $(PREFIX)/share/man

.PHONY: install-man

install-man:
	install -d -m 0755 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5
	install -m 0644 man/vertrouwd.8 $(DESTDIR)$(MANDIR)/man8/vertrouwd.8
	install -m 0644 man/vertrouwd.toml.5 $(DESTDIR)$(MANDIR)/man5/vertrouwd.toml.5

install-files: install-man

# The boot test: a minimal Debian booted with systemd-nspawn, vertrouwd
# installed with install-files, checked under the real systemd (READY,
# STATUS, spool, reload, watchdog, socket activation, journal fields). Needs
# root; the root file system is cached under .build-boot/rootfs.
.PHONY: test-systemd
test-systemd:
	@scripts/test-systemd

# The benchmark (issue #8; not part of `make test`): vertrouwd's release
# build (static Swift runtime, as `make install` ships it) against SEC and
# a bare C loop on the same generated events, one table on standard
# output. Workloads and logs go to $(BENCH_SCRATCH)/work.
# `make bench BENCH_RECORD=1` also writes the table into
# Benchmarks/RESULTS.md; BENCH_ARGS=--quick tries the harness on smaller
# workloads, BENCH_ARGS="--only latency,idle" runs some measurements.
BENCH_SCRATCH ?= .build-bench
BENCH_ARGS    ?=
BENCH_RECORD  ?=

.PHONY: bench

bench: deps
	@Benchmarks/ensure-deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(BENCH_SCRATCH) --product vertrouwd
	python3 Benchmarks/bench.py --bin $(BENCH_SCRATCH)/release/vertrouwd --work $(BENCH_SCRATCH)/work \
		$(if $(BENCH_RECORD),--record Benchmarks/RESULTS.md) $(BENCH_ARGS)
