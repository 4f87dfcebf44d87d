"""The exact attacker's model: integer counts, released facts, pins.

Pure: no files, no processes. The driver (driver.py) turns what the
binary released into `Fact`s (constraints.py) over the counts of a
`Universe` (population.py); this module puts them into one integer
program and asks HiGHS, for each target sum (a summary cell, a rule
group), for the least and the greatest count every fact allows.

A target is PINNED when its feasible range lies inside 1..k-1: the reader
knows that between 1 and k-1 pupils (signals, today) are in it, or its
exact value, which the promise forbids. Soundness: every fact must hold
for the true counts; `Model.check_truth` verifies that, so a fact the
driver got wrong shows up as an error instead of as a false pin.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import highspy
import numpy as np

from constraints import (Builder, Fact, LeftOut, Ordered, RiseFired, RiseSilent, SumIn, SumRange,  # noqa: F401
                         hidden_table_pins, ones, plus)
from population import CAP, Taxonomy, Universe  # noqa: F401


@dataclass
class Target:
    """A sum the reader must not pin: a summary cell or a rule group."""

    name: str
    cells: tuple


@dataclass
class Pin:
    target: Target
    low: int
    high: int
    facts: list = field(default_factory=list)  # a minimal set of fact sources that pins it


class Model:
    def __init__(self, universe: Universe, facts: list, k: int, exact_only=False):
        self.universe = universe
        self.facts = facts
        self.k = k
        self.solves = 0
        # Only one-value pins (the checker's own test) instead of every range
        # inside 1..k-1 (the issue's: "someone, fewer than k" counts too).
        self.exact_only = exact_only

    def check_truth(self, truth):
        """The facts that the true counts violate (a driver bug if any)."""
        x = [0] * self.universe.size
        for key, count in truth.items():
            x[self.universe.index[key]] += count
        return [f for f in self.facts if not f.holds(x)], x

    def _solver(self, facts, extra=()):
        b = Builder(self.universe.size)
        for f in facts:
            f.emit(b)
        for coefs, lo, hi in extra:
            b.row(coefs, lo, hi)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        n = len(b.lb)
        h.addVars(n, np.array(b.lb), np.array(b.ub))
        kinds = np.array([highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in b.integer])
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), kinds)
        for lo, hi, coefs in b.rows:
            idx = np.array(list(coefs.keys()), dtype=np.int32)
            val = np.array([float(v) for v in coefs.values()])
            h.addRow(float(lo), float(hi), len(idx), idx, val)
        return h

    def optimum(self, target: Target, sense: str, facts=None):
        """min or max of the target under the facts; None when infeasible."""
        h = self._solver(self.facts if facts is None else facts)
        n = h.getNumCol()
        cost = np.zeros(n)
        for i in target.cells:
            cost[i] += 1.0
        h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize if sense == "max" else highspy.ObjSense.kMinimize)
        h.run()
        self.solves += 1
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            if status == highspy.HighsModelStatus.kInfeasible:
                return None
            raise RuntimeError(f"HiGHS: {h.modelStatusToString(status)} for {target.name}")
        return int(round(h.getInfo().objective_function_value))

    def feasible(self):
        return self.optimum(Target("feasibility", ()), "min") is not None

    def range(self, target, facts=None):
        low = self.optimum(target, "min", facts)
        if low is None:
            return None
        return low, self.optimum(target, "max", facts)

    def pinned(self, target, facts=None):
        """(low, high) when pinned inside 1..k-1, else None. Solves the cheap
        side first: a target that can be 0 is not pinned."""
        low = self.optimum(target, "min", facts)
        if low is None or low < 1 or low >= self.k:
            return None
        high = self.optimum(target, "max", facts)
        if high is None or high > self.k - 1 or (self.exact_only and high != low):
            return None
        return low, high

    def pins(self, targets: Iterable[Target], truth_x=None, explain=True, explain_budget=200):
        """Every pinned target. With the true counts, a target whose true
        value is 0 or ≥ k cannot be pinned (the truth is a feasible point
        outside 1..k-1), so only the others are solved."""
        found = []
        for t in targets:
            if truth_x is not None:
                value = sum(truth_x[i] for i in t.cells)
                if value == 0 or value >= self.k:
                    continue
            r = self.pinned(t)
            if r is not None:
                pin = Pin(t, r[0], r[1])
                if explain:
                    pin.facts = self.explain(t, budget=explain_budget)
                found.append(pin)
        return found

    def explain(self, target, budget=200):
        """A minimal set of facts (by source) that still pins the target:
        a deletion filter, first over groups of facts from one output,
        then over single facts of the groups left."""
        groups = {}
        for f in self.facts:
            groups.setdefault(f.source.split(":")[0], []).append(f)
        keep = dict(groups)
        for name in sorted(groups):
            trial = {g: fs for g, fs in keep.items() if g != name}
            if self.solves > 10**9:
                break
            if self.pinned(target, [f for fs in trial.values() for f in fs]) is not None:
                keep = trial
        needed = [f for fs in keep.values() for f in fs]
        if len(needed) <= budget:
            for f in list(needed):
                trial = [g for g in needed if g is not f]
                if self.pinned(target, trial) is not None:
                    needed = trial
        return [f.source for f in needed]
