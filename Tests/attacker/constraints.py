"""The released facts as constraints on the counts: each `Fact` emits
rows (and, for disjunctions, binary variables) for HiGHS, and can say
whether the true counts satisfy it."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Optional

import highspy
import numpy as np

from population import CAP


class Builder:
    """Collects variables and rows for HiGHS."""

    def __init__(self, n):
        self.lb = [0.0] * n
        self.ub = [float(CAP)] * n
        self.integer = [True] * n
        self.rows = []  # (lo, hi, {index: coefficient})

    def new_var(self, lb=0, ub=CAP, integer=True):
        self.lb.append(float(lb))
        self.ub.append(float(ub))
        self.integer.append(integer)
        return len(self.lb) - 1

    def row(self, coefs, lo=-highspy.kHighsInf, hi=highspy.kHighsInf):
        self.rows.append((lo, hi, dict(coefs)))


def ones(indices, coefficient=1):
    coefs = {}
    for i in indices:
        coefs[i] = coefs.get(i, 0) + coefficient
    return coefs


def plus(*parts):
    coefs = {}
    for part in parts:
        for i, c in part.items():
            coefs[i] = coefs.get(i, 0) + c
    return coefs


@dataclass
class Fact:
    """Something every reader of the outputs knows, as constraints.
    `source` names the output it comes from (for the report)."""

    source: str

    def emit(self, b: Builder):
        raise NotImplementedError

    def holds(self, x) -> bool:
        """Whether the true counts `x` satisfy it (soundness check)."""
        raise NotImplementedError


@dataclass
class SumRange(Fact):
    """lo ≤ Σ cells ≤ hi (hi None: unbounded)."""

    cells: tuple = ()
    lo: int = 0
    hi: Optional[int] = None

    def emit(self, b):
        b.row(ones(self.cells), self.lo, highspy.kHighsInf if self.hi is None else self.hi)

    def holds(self, x):
        s = sum(x[i] for i in self.cells)
        return s >= self.lo and (self.hi is None or s <= self.hi)


@dataclass
class SumIn(Fact):
    """Σ cells lies in one of `intervals` ((lo, hi), disjoint): a rule
    group's count after its last pass when the log held bands of its name
    that another definition logged (finding 7). One binary variable per
    interval."""

    cells: tuple = ()
    intervals: tuple = ()

    def emit(self, b):
        if len(self.intervals) == 1:
            lo, hi = self.intervals[0]
            b.row(ones(self.cells), lo, hi)
            return
        z = [b.new_var(0, 1) for _ in self.intervals]
        b.row(ones(z), 1, 1)
        b.row(plus(ones(self.cells), {v: -lo for v, (lo, _) in zip(z, self.intervals)}), lo=0)
        b.row(plus(ones(self.cells), {v: -hi for v, (_, hi) in zip(z, self.intervals)}), hi=0)

    def holds(self, x):
        s = sum(x[i] for i in self.cells)
        return any(lo <= s <= hi for lo, hi in self.intervals)


@dataclass
class Ordered(Fact):
    """Σ a ≤ Σ b − gap (the publisher chose a before b)."""

    a: tuple = ()
    b: tuple = ()
    gap: int = 0

    def emit(self, bld):
        bld.row(plus(ones(self.a), ones(self.b, -1)), hi=-self.gap)

    def holds(self, x):
        return sum(x[i] for i in self.a) <= sum(x[i] for i in self.b) - self.gap


@dataclass
class RiseFired(Fact):
    """A rise alert at band B: count in B..2B-1 and count ≥ factor × mean
    of the baseline weeks (weeks × count ≥ factor × Σ baseline)."""

    count: tuple = ()
    baseline: tuple = ()
    weeks: int = 1
    factor: Fraction = Fraction(2)
    band: int = 5

    def emit(self, b):
        p, q = self.factor.numerator, self.factor.denominator
        b.row(ones(self.count), self.band, 2 * self.band - 1)
        if self.weeks > 0:
            b.row(plus(ones(self.count, q * self.weeks), ones(self.baseline, -p)), lo=0)

    def holds(self, x):
        c = sum(x[i] for i in self.count)
        base = sum(x[i] for i in self.baseline)
        p, q = self.factor.numerator, self.factor.denominator
        return self.band <= c <= 2 * self.band - 1 and (self.weeks == 0 or q * self.weeks * c >= p * base)


@dataclass
class RiseSilent(Fact):
    """A rise rule group that did not fire for a closed week: count below
    the base band, or count < factor × mean of the baseline weeks."""

    count: tuple = ()
    baseline: tuple = ()
    weeks: int = 1
    factor: Fraction = Fraction(2)
    base: int = 5

    def emit(self, b):
        p, q = self.factor.numerator, self.factor.denominator
        if self.weeks == 0:
            b.row(ones(self.count), hi=self.base - 1)
            return
        z = b.new_var(0, 1)  # 1: below the base band; 0: below factor × mean
        big = q * self.weeks * CAP * 2
        b.row(plus(ones(self.count), {z: big}), hi=self.base - 1 + big)
        b.row(plus(ones(self.count, q * self.weeks), ones(self.baseline, -p), {z: -big}), hi=-1)

    def holds(self, x):
        c = sum(x[i] for i in self.count)
        base = sum(x[i] for i in self.baseline)
        p, q = self.factor.numerator, self.factor.denominator
        return c <= self.base - 1 or (self.weeks > 0 and q * self.weeks * c < p * base)


@dataclass
class LeftOut(Fact):
    """A table left out of a week's summary (the "left out" note).

    What the reader knows from the algorithm (DisclosureWeek.protectWeek):
    the table was left out only when all its cells and its total were
    hidden ("<k" below k, "x" at k or more) and the checker, with the
    week's alert bounds, still pinned one of its cells. The checker knew
    at most the true total (other tables link to it), so it pinned a cell
    only if the exact system — cells in their hidden ranges, sum = the true
    total, alert bounds — pins one. So the true (pattern of <k / x, total)
    is one for which that system pins: every other pair is excluded.

    `rows` are the table's cells (variable indices per row), `bounds` the
    alert bounds on its rows ((row positions, at least)), `total` the
    week's total cells, `totals` the values the total can take (from the
    other facts; the driver computes them first)."""

    rows: tuple = ()
    bounds: tuple = ()
    total: tuple = ()
    totals: tuple = ()
    k: int = 5
    allowed: tuple = ()  # filled by prepare(): the (pattern, total) pairs that pin

    def prepare(self):
        allowed = []
        n = len(self.rows)
        for pattern in product((0, 1), repeat=n):  # 1: "<k", 0: "x"
            for t in self.totals:
                if hidden_table_pins(pattern, t, self.bounds, self.k):
                    allowed.append((pattern, t))
        self.allowed = tuple(allowed)

    def emit(self, b):
        n = len(self.rows)
        small = [b.new_var(0, 1) for _ in range(n)]
        for r in range(n):
            # small ⇒ ≤ k-1; not small ⇒ ≥ k
            b.row(plus(ones(self.rows[r]), {small[r]: CAP}), hi=self.k - 1 + CAP)
            b.row(plus(ones(self.rows[r]), {small[r]: self.k}), lo=self.k)
        choice = [b.new_var(0, 1) for _ in self.allowed]
        b.row({c: 1 for c in choice}, 1, 1)
        for c, (pattern, t) in zip(choice, self.allowed):
            # chosen ⇒ the pattern and the total
            for r in range(n):
                if pattern[r]:
                    b.row({small[r]: 1, c: -1}, lo=0)
                else:
                    b.row({small[r]: 1, c: 1}, hi=1)
            b.row(plus(ones(self.total), {c: CAP}), hi=t + CAP)
            b.row(plus(ones(self.total), {c: -t}), lo=0)

    def holds(self, x):
        pattern = tuple(1 if sum(x[i] for i in row) < self.k else 0 for row in self.rows)
        t = sum(x[i] for i in self.total)
        return (pattern, t) in set(self.allowed)


def hidden_table_pins(pattern, total, bounds, k):
    """Whether the summary's checker could have found a pin in a fully
    hidden table: cell r in 0..k-1 when pattern[r] ("<k"), else ≥ k ("x"),
    the cells summing to `total`, with the checker's lower bounds on sums
    of its cells. DisclosureChecker.pinnedCells reports a cell whose range
    is one value in 1..k-1, and every cell when its system has no solution
    (then the table is left out too). Its ranges are relaxations of these
    exact ones over a total it knew no better than exactly, so the checker
    pins only if this returns True."""
    n = len(pattern)
    if hidden_optimum(pattern, total, bounds, k, None, "min") is None:
        return True  # no solution: the checker reports every cell
    for r in range(n):
        if not pattern[r]:
            continue
        low = hidden_optimum(pattern, total, bounds, k, r, "min")
        if low is not None and 1 <= low <= k - 1 and hidden_optimum(pattern, total, bounds, k, r, "max") == low:
            return True
    return False


def hidden_optimum(pattern, total, bounds, k, target, sense):
    """min or max of cell `target` (None: any feasible point) of the
    hidden-table system; None when it has no solution."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    n = len(pattern)
    lb = np.array([0.0 if pattern[r] else float(k) for r in range(n)])
    ub = np.array([float(k - 1) if pattern[r] else float(max(total, k)) for r in range(n)])
    h.addVars(n, lb, ub)
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n))
    h.addRow(float(total), float(total), n, np.arange(n, dtype=np.int32), np.ones(n))
    for rows, at_least in bounds:
        idx = np.array(sorted(rows), dtype=np.int32)
        h.addRow(float(at_least), highspy.kHighsInf, len(idx), idx, np.ones(len(idx)))
    if target is not None:
        cost = np.zeros(n)
        cost[target] = 1.0
        h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize if sense == "max" else highspy.ObjSense.kMinimize)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return int(round(h.getInfo().objective_function_value)) if target is not None else 0
