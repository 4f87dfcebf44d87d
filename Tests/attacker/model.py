"""The exact attacker's model: integer counts, released facts, pins.

Pure: no files, no processes. The driver (driver.py) turns what the
binary released into `Fact`s; this module puts them into one integer
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
from fractions import Fraction
from itertools import product
from typing import Callable, Iterable, Optional

import highspy
import numpy as np

# No count in a test week comes near this; it keeps every maximum finite.
CAP = 100_000


# MARK: - The population


@dataclass(frozen=True)
class Taxonomy:
    """The config's vocabularies. Cohorts and channels map to their group.
    Every signal has a category; site, cohort and channel may be missing
    (the "" value, the "unknown" row of the summary tables)."""

    categories: tuple
    sites: tuple
    cohorts: dict
    channels: dict

    def site_values(self):
        return tuple(self.sites) + ("",)

    def cohort_values(self):
        return tuple(self.cohorts) + ("",)

    def channel_values(self):
        return tuple(self.channels) + ("",)

    def value(self, cell, dimension):
        """The value of one dimension (as rules group and tables split) of a
        cell (category, site, cohort, channel)."""
        cat, site, cohort, channel = cell
        if dimension == "category":
            return cat
        if dimension == "site":
            return site
        if dimension == "cohort":
            return cohort
        if dimension == "cohort_group":
            return self.cohorts.get(cohort, "") if cohort else ""
        if dimension == "channel":
            return channel
        if dimension == "channel_group":
            return self.channels.get(channel, "") if channel else ""
        raise ValueError(dimension)

    def dimension_values(self, dimension):
        if dimension == "category":
            return tuple(self.categories)
        if dimension == "site":
            return self.site_values()
        if dimension == "cohort":
            return self.cohort_values()
        if dimension == "cohort_group":
            return tuple(sorted(set(self.cohorts.values()))) + ("",)
        if dimension == "channel":
            return self.channel_values()
        if dimension == "channel_group":
            return tuple(sorted(set(self.channels.values()))) + ("",)
        raise ValueError(dimension)

    def cells(self):
        return list(product(self.categories, self.site_values(), self.cohort_values(), self.channel_values()))


@dataclass
class Universe:
    """One integer variable per (period, category, site, cohort, channel).

    A period is a day of a week (when a day rule makes days matter) or a
    whole week. `weeks` maps a week label to its periods; weeks before the
    first simulated one (baselines of rise rules) are whole-week periods
    about which only rise facts say anything."""

    taxonomy: Taxonomy
    weeks: dict  # label -> list of period ids; a period id is (week, day) or (week, None)

    def __post_init__(self):
        self.index = {}
        for label, periods in self.weeks.items():
            for period in periods:
                for cell in self.taxonomy.cells():
                    self.index[(period, cell)] = len(self.index)

    @property
    def size(self):
        return len(self.index)

    def select(self, week, day=None, match: Optional[Callable] = None, **values):
        """Variable indices of a sum: the week's periods (or one day's, which
        needs day periods), cells whose dimension values equal `values`
        (e.g. site="dependance", channel_group="social") and for which
        `match(category)` holds."""
        periods = self.weeks[week]
        if day is not None:
            periods = [p for p in periods if p[1] == day]
            if not periods:
                raise ValueError(f"week {week} has no day periods")
        result = []
        for period in periods:
            for cell in self.taxonomy.cells():
                if match is not None and not match(cell[0]):
                    continue
                if all(self.taxonomy.value(cell, d) == v for d, v in values.items()):
                    result.append(self.index[(period, cell)])
        return tuple(result)


# MARK: - Facts


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


# MARK: - Solving


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
