# vertrouwd — build, test and run. `make help` lists the targets.
SHELL := /bin/bash
SWIFT        ?= swift
DEV_CONFIG   ?= Config/vertrouwd.dev.toml
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= ConfigFuzz SignalFuzz
FUZZ_SCRATCH ?= .build-fuzz
# The debug build's folder. scripts/test-make-run points a fresh clone's
# `make run` at the tree's own, so the clone does not build every
# dependency again.
DEBUG_SCRATCH ?= .build
BIN           = $(DEBUG_SCRATCH)/debug/vertrouwd

.PHONY: help deps test-deps build release test unit-tests fuzz run check-config clean

help:
	@echo "make run      build, check $(DEV_CONFIG) and run the daemon on it in the foreground"
	@echo "make test     install test dependencies, build, run every test, $(FUZZ_SECONDS)s of fuzzing per target,"
	@echo "              test-make-run and test-systemd"
	@echo "make build    debug build          make release   release build"
	@echo "make fuzz     fuzz each target for FUZZ_SECONDS (default $(FUZZ_SECONDS)); FUZZ_PARALLEL=1 runs them at once"
	@echo "make test-make-run   make run on a fresh clone: alerts within 60s, Ctrl-C stops all"
	@echo "make test-systemd    boot a minimal Debian under systemd-nspawn and check the units (root)"
	@echo "make install  static release build, then binary, units, sysusers, tmpfiles, man pages, example config"
	@echo "              (PREFIX=/usr, DESTDIR= for a package tree; an existing config is kept)"
	@echo "make uninstall  removes what make install installed; never the config, state or spool"
	@echo "make bench    vertrouwd against SEC and a bare loop (not part of make test); BENCH_RECORD=1 writes Benchmarks/RESULTS.md"

deps:
	@scripts/ensure-deps build

test-deps:
	@scripts/ensure-deps test
	@scripts/ensure-test-tools

build: deps
	$(SWIFT) build --scratch-path $(DEBUG_SCRATCH)

release: deps
	$(SWIFT) build -c release

# Every test: unit, golden, property and integration tests (these run the
# built binary), the fuzzers, `make run` as a newcomer types it (alerts
# within 60 s, Ctrl-C leaves nothing running), and the boot test under a
# real systemd. scripts/test-all runs them so that builds are shared and the
# boot test's root file system is made while the build runs, and prints how
# long each stage took.
test: test-deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/test-all

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
	@set -e; pids=; for t in $(FUZZ_TARGETS); do \
		seeds=; [ -d Tests/Fuzz/$$t ] && seeds=Tests/Fuzz/$$t; mkdir -p $(FUZZ_SCRATCH)/corpus/$$t; \
		echo "fuzzing $$t for $(FUZZ_SECONDS)s"; \
		( $(FUZZ_SCRATCH)/debug/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=fuzz-artifacts/$$t- \
			$(FUZZ_SCRATCH)/corpus/$$t $$seeds > $(FUZZ_SCRATCH)/$$t.log 2>&1; \
		  rc=$$?; echo "---- $$t"; tail -n 12 $(FUZZ_SCRATCH)/$$t.log; \
		  test $$rc -eq 0 || { echo "fuzzing $$t found a crash: see fuzz-artifacts/"; exit 1; } ) & \
		if [ -n "$(FUZZ_PARALLEL)" ]; then pids="$$pids $$!"; else wait $$! || exit 1; fi; \
	done; \
	for p in $$pids; do wait $$p || exit 1; done

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
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/vertrouwd.service.in > $(DESTDIR)$(UNITDIR)/vertrouwd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vertrouwd.service
	sed 's|@DOCDIR@|$(DOCDIR)|g' systemd/vertrouwd-submit.socket > $(DESTDIR)$(UNITDIR)/vertrouwd-submit.socket
	chmod 0644 $(DESTDIR)$(UNITDIR)/vertrouwd-submit.socket
	# the help page (issue 14)
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/vertrouwd-helppage.service.in > $(DESTDIR)$(UNITDIR)/vertrouwd-helppage.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vertrouwd-helppage.service
	# the adapters (issue 14)
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/vertrouwd-adapt@.service > $(DESTDIR)$(UNITDIR)/vertrouwd-adapt@.service
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

# The documentation an admin needs on the server, where the units'
# Documentation= points: the README (install, operate, back up, uninstall)
# and the changelog, and beside them docs/ with the guides (all but the
# developers' one) and the producer examples, so that the README's links
# work in the installed copy too.
DOCDIR      = $(PREFIX)/share/doc/vertrouwd
DOC_GUIDES  = $(filter-out docs/development.md,$(wildcard docs/*.md))

.PHONY: install-doc

install-doc:
	install -d -m 0755 $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR)/docs/examples
	install -m 0644 README.md CHANGELOG.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 $(DOC_GUIDES) $(DESTDIR)$(DOCDIR)/docs/
	install -m 0644 docs/examples/* $(DESTDIR)$(DOCDIR)/docs/examples/

install-files: install-doc

# Removes what install-files installed: the binary, the units, the sysusers.d
# and tmpfiles.d entries, the man pages and the documentation. Never data: the
# config in /etc/vertrouwd, the state database, the spool, and the user and
# groups stay until they are removed by hand (README.md, "Uninstalling and
# deleting all data"). Without DESTDIR it refuses while the service runs.
.PHONY: uninstall

uninstall:
	@if [ -z "$(DESTDIR)" ] && systemctl is-active --quiet vertrouwd.service 2>/dev/null; then \
		echo "vertrouwd.service is running: first systemctl disable --now vertrouwd.service vertrouwd-submit.socket"; \
		exit 1; \
	fi
	rm -f $(DESTDIR)$(BINDIR)/vertrouwd
	rm -f $(DESTDIR)$(UNITDIR)/vertrouwd.service $(DESTDIR)$(UNITDIR)/vertrouwd-submit.socket
	rm -f $(DESTDIR)$(UNITDIR)/vertrouwd-helppage.service $(DESTDIR)$(UNITDIR)/vertrouwd-adapt@.service
	rm -f $(DESTDIR)$(SYSUSERSDIR)/vertrouwd.conf $(DESTDIR)$(TMPFILESDIR)/vertrouwd.conf
	rm -f $(DESTDIR)$(MANDIR)/man8/vertrouwd.8 $(DESTDIR)$(MANDIR)/man5/vertrouwd.toml.5
	rm -rf $(DESTDIR)$(DOCDIR)
	@if [ -z "$(DESTDIR)" ]; then \
		(systemctl daemon-reload 2>/dev/null || true); \
		echo "uninstalled; the config, state, spool, user and groups are kept (see README.md to delete them)"; \
	fi

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

# The exact attacker (issue 13; `make test` runs it too, with 8 random
# weeks of a fixed seed, see scripts/test-all): runs named
# adversarial weeks and ATTACK_CASES random ones through the binary, and
# with HiGHS pins every summary cell and rule group it can from all the
# released facts. Fails when any is pinned inside 1..k-1. ATTACK_ARGS=--prove
# instead checks that each finding's case is pinned and each clean case not.
# See Tests/attacker/README.md.
ATTACK_CASES ?= 0
ATTACK_SEED  ?= 1
ATTACK_BIN   ?= $(BIN)
ATTACK_ARGS  ?=

.PHONY: attack

attack: $(if $(filter $(BIN),$(ATTACK_BIN)),build)
	@scripts/ensure-test-tools
	python3 Tests/attacker/test_model.py
	python3 Tests/attacker/attack.py --bin $(ATTACK_BIN) --random $(ATTACK_CASES) --seed $(ATTACK_SEED) $(ATTACK_ARGS)
