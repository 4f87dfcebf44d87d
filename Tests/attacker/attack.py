#!/usr/bin/env python3
"""vertrouwd's exact attacker (issue 13, "An attacker test of your own").

Runs each case through the real binary (driver.py), turns every released
fact into constraints on the true counts (facts.py), and asks HiGHS for
the least and greatest count of every summary cell and rule group
(model.py). A target whose range lies inside 1..k-1 is PINNED.

    attack.py [--bin PATH] [--random N] [--seed S] [--only NAME] [--prove] [--keep DIR] [--exact-only] [--ranges]

Exit status: 1 when any pin is found (or, with --prove, when a finding
case does NOT report its pin or a clean case reports one), 2 on an
error (the binary failed, or the true counts break a fact: a driver bug).
The binary: --bin, else $VERTROUWD_BIN, else .build/debug/vertrouwd.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import model as M  # noqa: E402
from cases import FIXED, random_case, weeks_text  # noqa: E402
from driver import run_case  # noqa: E402
from facts import Extraction  # noqa: E402


def attack(binary, case, keep=None, explain=True, exact_only=False, ranges=False):
    """Runs one case; returns (pins, report lines, seconds)."""
    began = time.monotonic()
    released = run_case(binary, case, keep=f"{keep}/{case['name']}" if keep else None)
    ex = Extraction(case, released)
    base = M.Model(ex.universe, ex.facts, case["k"])
    # The left-out oracle needs the week totals' ranges from the other facts.
    if ex.left_out:
        ranges = {}
        for week in ex.sim:
            r = base.range(M.Target(f"{week} total", ex.universe.select(week)))
            ranges[week] = r
        ex.add_left_out(ranges)
    m = M.Model(ex.universe, ex.facts, case["k"], exact_only=exact_only)
    m.solves = base.solves
    broken, x = m.check_truth(ex.truth())
    lines = [f"case {case['name']} — {case.get('finding', '')}",
             f"  k={case['k']} round_to={case['round_to']}, weeks {', '.join(ex.sim)}, "
             f"{len(released.alerts)} alert(s), {len(ex.facts)} facts, {ex.universe.size} count variables"]
    for week in ex.sim:
        s = released.summaries[week]
        for t in s["tables"]:
            lines.append(f"  {week} {t['name']}: " + ", ".join(f"{r['key'] or '∅'} {r['value']}" for r in t["rows"])
                         + f"; total {t['total']}")
        if s.get("withheld_tables"):
            lines.append(f"  {week} left out: {', '.join(s['withheld_tables'])}")
        lines.append(f"  {week} trend: " + " ".join(f"{p['week']} {p['total']}" for p in s.get("trend", [])))
    for a in released.alerts:
        lines.append(f"  alert {a['rule']} {a['window']['kind']} {a['window']['start']} "
                     f"{a['group']} at least {a['at_least']}{' (escalation)' if a['escalation'] else ''}")
    if broken:
        lines.append("  ERROR: the true counts break these facts (the driver misreads an output):")
        lines += [f"    {f.source}" for f in broken]
        return None, lines, time.monotonic() - began
    if ranges:
        for t in ex.targets:
            lo, hi = m.range(t)
            truth = sum(x[i] for i in t.cells)
            lines.append(f"  range {t.name}: {lo}..{'∞' if hi >= M.CAP else hi} (true {truth})")
    pins = m.pins(ex.targets, truth_x=x, explain=explain)
    for p in pins:
        value = f"= {p.low}" if p.low == p.high else f"in {p.low}..{p.high} (someone, fewer than k)"
        lines.append(f"  PINNED {p.target.name} {value} (k={case['k']}; HiGHS min {p.low}, max {p.high})")
        for source in p.facts:
            lines.append(f"    by {source}")
    if not pins:
        lines.append("  nothing pinned")
    seconds = time.monotonic() - began
    lines.append(f"  {m.solves} MIP solves, {seconds:.1f} s (binary {released.seconds:.1f} s)")
    return (pins, ex), lines, seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bin", default=os.environ.get("VERTROUWD_BIN", ".build/debug/vertrouwd"))
    p.add_argument("--random", type=int, default=int(os.environ.get("ATTACK_CASES", "0") or 0),
                   help="random weeks after the fixed cases (default $ATTACK_CASES or 0)")
    p.add_argument("--seed", type=int, default=int(os.environ.get("ATTACK_SEED", "1") or 1))
    p.add_argument("--only", help="run only the fixed case of this name")
    p.add_argument("--no-fixed", action="store_true", help="run only the random weeks")
    p.add_argument("--prove", action="store_true",
                   help="check that every finding case reports its pins and every clean case none")
    p.add_argument("--keep", help="keep each case's folder (config, state, log) under this directory")
    p.add_argument("--no-explain", action="store_true", help="do not search for the facts behind a pin")
    p.add_argument("--ranges", action="store_true",
                   help="also print every summary cell's and rule group's least and greatest count")
    p.add_argument("--exact-only", action="store_true",
                   help="report only one-value pins, not ranges inside 1..k-1 (\"someone, fewer than k\")")
    args = p.parse_args()
    if not os.access(args.bin, os.X_OK):
        print(f"attack: no binary at {args.bin} (build it, or pass --bin / VERTROUWD_BIN)", file=sys.stderr)
        return 2
    cases = [] if args.no_fixed else [c for c in FIXED if not args.only or c["name"] == args.only]
    if args.only and not cases:
        print(f"attack: no case {args.only}", file=sys.stderr)
        return 2
    cases += [random_case(args.seed * 100_003 + i) for i in range(args.random)]
    began = time.monotonic()
    pinned_cases, errors, proof_failures = [], [], []
    for case in cases:
        try:
            result, lines, _ = attack(args.bin, case, keep=args.keep, explain=not args.no_explain,
                                      exact_only=args.exact_only, ranges=args.ranges)
        except Exception as e:  # the binary failed: report, go on
            result, lines = None, [f"case {case['name']}: ERROR {e}"]
        print("\n".join(lines), flush=True)
        if result is None:
            errors.append(case["name"])
            continue
        pins, ex = result
        if pins:
            pinned_cases.append(case["name"])
        if args.prove:
            labels = {w.ago: w.label for w in ex.released.weeks}
            names = [p.target.name for p in pins]
            for want in case.get("expect", []):
                want = weeks_text(want, labels)
                if not any(want in n for n in names):
                    proof_failures.append(f"{case['name']}: expected {want} pinned")
            if case.get("clean") and pins:
                proof_failures.append(f"{case['name']}: clean case reports {len(pins)} pin(s)")
    print(f"\n{len(cases)} case(s) in {time.monotonic() - began:.1f} s; "
          f"pinned: {', '.join(pinned_cases) or 'none'}; errors: {', '.join(errors) or 'none'}")
    if errors:
        return 2
    if args.prove:
        for f in proof_failures:
            print(f"PROOF FAILED {f}")
        print("prove: " + ("every finding case pins what it should, every clean case nothing"
                           if not proof_failures else f"{len(proof_failures)} failure(s)"))
        return 1 if proof_failures else 0
    return 1 if pinned_cases else 0


if __name__ == "__main__":
    sys.exit(main())
