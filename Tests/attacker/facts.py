"""What the reader of every output knows, as facts about the true counts.

The threat model (README.md in this folder): the reader has the config
(rules, k, round_to, vocabularies, schedule), the algorithm, every alert
message and every weekly summary. From those this module derives:

- every alert: its rule group's count in its window lies in B..2B-1, B the
  highest band announced (bands double, and a closed window's final count
  has crossed exactly the bands up to B); a rise alert also says
  count ≥ factor × mean(baseline);
- every silence: a rule group of a closed window with no alert has a
  count ≤ base-1 (threshold), or, for a rise rule, count ≤ base-1 or
  count < factor × mean(baseline);
- every summary value: "<k" is 0..k-1, a number r is the counts that round
  to r, "x" is any count (a value withheld, ≥ k, or not revealed at all:
  the text does not tell them apart); every table's total is the week's
  total, and so are the trend's points.

Which values the summary withholds, and which tables it leaves out, is
decided from published facts only (vertrouwd's `Disclosure.protectWeek`
reveals item by item in a public order, simulatable auditing): replaying
it tells the reader nothing beyond the values shown, so no fact is derived
from those decisions. (Up to December 2026 the publisher withheld the
smallest shown cell and left out a table exactly when a pin existed; the
"x choice" and "left out" facts this module derived then are gone with
those rules — constraints.LeftOut stays for reference.)
"""
from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from itertools import product

import model as M
from driver import CATEGORIES, CHANNELS, COHORTS, SITES, Week

TAXONOMY = M.Taxonomy(CATEGORIES, SITES, COHORTS, CHANNELS)


def matches(patterns, category):
    return any(category.startswith(p[:-1]) if p.endswith("*") else category == p for p in patterns)


def preimage(text, k, m):
    """The true counts a published value is consistent with: (lo, hi)."""
    if text == f"<{k}":
        return 0, k - 1
    if text == "x":
        return 0, None
    r = int(text)
    smallest = (k + m - 1) // m * m
    hi = r + (m - 1) // 2
    lo = k if r == smallest else max(k, r - m // 2)
    if r < smallest or r % m or lo > hi:
        raise ValueError(f"{text} is no published value for k={k}, round_to={m}")
    return lo, hi


def table_dimension(name):
    return name  # the table's name is its dimension's config spelling


def group_values(taxonomy, group_by):
    return [dict(zip(group_by, values)) for values in product(*(taxonomy.dimension_values(d) for d in group_by))]


class Extraction:
    """Facts and targets of one case's released outputs."""

    def __init__(self, case, released):
        self.case = case
        self.released = released
        self.k = case["k"]
        self.m = case["round_to"]
        # The rules of the last config (rules_after: added after the
        # summaries went out) decide the final alerts and silences.
        # rules_before: the config the signals were judged under before a
        # change (their alerts and silences are final too: every signal
        # was in). A rule is its position in `self.rules`: a name may stay
        # across the change while its definition changes (finding 7), and
        # each alert belongs to the config in force when it came.
        self.rules = case.get("rules_before", []) + case["rules"] + case.get("rules_after", [])
        self.before = len(case.get("rules_before", []))
        weeks = released.weeks
        self.sim = [w.label for w in weeks]
        days = any(r.get("kind", "threshold") == "threshold" and r.get("window", "day") == "day" for r in self.rules)
        by_label = {w.label: w for w in weeks}
        # Baseline weeks of rise rules before the first simulated week.
        span = max([r["baseline_weeks"] for r in self.rules if r.get("kind") == "rise"] or [0])
        first = weeks[0]
        shadow = [Week.of(first.ago + i) for i in range(span, 0, -1)]
        self.week_of = {}
        layout = {}
        for w in shadow:
            layout[w.label] = [(w.label, None)]
            self.week_of[w.label] = w
        for w in weeks:
            layout[w.label] = [(w.label, d) for d in range(7)] if days else [(w.label, None)]
            self.week_of[w.label] = w
        self.universe = M.Universe(TAXONOMY, layout)
        self.by_monday = {w.monday: w.label for w in self.week_of.values()}
        self.facts = []
        self.targets = []
        self.days = days
        self._alerts()
        self._silence()
        self._summaries()

    # MARK: windows and groups

    def window_of(self, alert):
        """(week label, day or None) of an alert's window."""
        start = date.fromisoformat(alert["window"]["start"])
        monday = start - timedelta(days=start.weekday())
        label = self.by_monday[monday]
        return label, (start.weekday() if alert["window"]["kind"] == "day" else None)

    def sum_cells(self, rule, week, day, group):
        return self.universe.select(week, day, match=lambda c: matches(rule["match"], c), **group)

    def baseline_cells(self, rule, week, group):
        w = self.week_of[week]
        cells = []
        for i in range(1, rule["baseline_weeks"] + 1):
            label = Week.of(w.ago + i).label
            cells += self.universe.select(label, None, match=lambda c: matches(rule["match"], c), **group)
        return tuple(cells)

    def rule_windows(self, rule):
        kind = rule.get("kind", "threshold")
        for week in self.sim:
            if kind == "threshold" and rule.get("window", "day") == "day":
                for d in range(7):
                    yield week, d
            else:
                yield week, None

    def base(self, rule):
        return max(rule["min_count"], self.k, 1)

    @staticmethod
    def group_text(group):
        return ",".join(f"{d}={v or '∅'}" for d, v in group.items()) or "all"

    # MARK: rules and the log

    def rule_of(self, alert):
        """The rule (its index) that sent an alert: of `rules_before` when
        it came under that config, else of the config after it."""
        era = range(self.before) if alert["id"] in self.released.before else range(self.before, len(self.rules))
        return next(i for i in era if self.rules[i]["name"] == alert["rule"])

    def bands(self, rule, upto):
        """The rule's bands (base · 2ⁿ) up to `upto`."""
        b, out = self.base(rule), []
        while b <= upto:
            out.append(b)
            b *= 2
        return out

    def logged(self, ri, week, day, group):
        """The bands the alert log holds for rule `ri`'s name, window and
        group when that rule last evaluated: every band each alert of the
        name crossed (a rise alert logs its base band); for a rule of
        `rules_before`, only that config's alerts."""
        name = self.rules[ri]["name"]
        out = set()
        for (rj, w, d, g), band in self.alerted.items():
            if self.rules[rj]["name"] != name or (w, d, g) != (week, day, group):
                continue
            if ri < self.before and rj >= self.before:
                continue
            rule = self.rules[rj]
            out |= {self.base(rule)} if rule.get("kind") == "rise" else set(self.bands(rule, band))
        return out

    def intervals(self, ri, week, day, group):
        """What the rule's last evaluation says of its count c: it announces
        the highest of ITS bands that c crossed unless the log holds that
        band of the name (the engine keys the log by name, whatever
        definition logged it). So c < base, or c lies in [b, 2b − 1] for a
        logged band b that is one of the rule's own: disjoint intervals,
        adjacent ones merged (one, [0, 2m − 1], with one definition)."""
        rule = self.rules[ri]
        own = sorted(b for b in self.logged(ri, week, day, group) if b in self.bands(rule, b))
        out = [(0, self.base(rule) - 1)]
        for b in own:
            if b <= out[-1][1] + 1:
                out[-1] = (out[-1][0], max(out[-1][1], 2 * b - 1))
            else:
                out.append((b, 2 * b - 1))
        return tuple(out)

    # MARK: facts

    def _alerts(self):
        highest = {}
        for a in self.released.alerts:
            ri = self.rule_of(a)
            group = {d: (v or "") for d, v in a["group"].items()}
            week, day = self.window_of(a)
            key = (ri, week, day, tuple(group.items()))
            highest[key] = max(highest.get(key, 0), a["at_least"])
        self.alerted = highest
        for (ri, week, day, group), band in sorted(highest.items(), key=str):
            rule = self.rules[ri]
            name = rule["name"]
            cells = self.sum_cells(rule, week, day, dict(group))
            where = f"alert:{name} {week}{'' if day is None else ' day ' + str(day)} {self.group_text(dict(group))} at least {band}"
            if rule.get("kind") == "rise":
                # Since December 2026 a rise rule is decided from the
                # published summaries only (PublishedRise): that it fired
                # follows from facts the reader already has, and adds none.
                continue
            else:
                above = tuple((max(lo, band), hi) for lo, hi in self.intervals(ri, week, day, group) if hi >= band)
                self.facts.append(M.SumIn(where, cells, above))

    def _silence(self):
        for ri, rule in enumerate(self.rules):
            for week, day in self.rule_windows(rule):
                for group in group_values(TAXONOMY, rule.get("group_by", [])):
                    cells = self.sum_cells(rule, week, day, group)
                    name = f"{rule['name']} {week}{'' if day is None else ' day ' + str(day)} {self.group_text(group)}"
                    self.targets.append(M.Target("rule group " + name, cells))
                    if (ri, week, day, tuple(group.items())) in self.alerted:
                        continue
                    if rule in self.case.get("rules_after", []) and week in self.released.summaries:
                        # Added after the week was published: vertrouwd sends
                        # no alert for a frozen week (finding 8), so its
                        # silence there says nothing.
                        continue
                    where = f"silence-{rule['name']}:{name} no alert"
                    if rule.get("kind") == "rise" and rule.get("baseline_weeks", 0) == 0:
                        continue  # never claims a rise: its silence says nothing
                    if rule.get("kind") == "rise":
                        # Decided from the published summaries only
                        # (PublishedRise): its silence follows from facts
                        # the reader already has, and adds none.
                        continue
                    else:
                        # Bands of the name that another definition logged
                        # may have kept this one from announcing (`intervals`).
                        self.facts.append(M.SumIn(where, cells, self.intervals(ri, week, day, tuple(group.items()))))

    def _summaries(self):
        self.left_out = []
        for week in self.sim:
            s = self.released.summaries[week]
            everything = self.universe.select(week)
            self.targets.append(M.Target(f"{week} total", everything))
            for table in s["tables"]:
                dim = table_dimension(table["name"])
                src = f"summary {week}:{table['name']}"
                lo, hi = preimage(table["total"], self.k, self.m)
                self.facts.append(M.SumRange(f"{src} total {table['total']}", everything, lo, hi))
                shown, withheld = [], []
                for row in table["rows"]:
                    cells = self.universe.select(week, **{dim: row["key"]})
                    lo, hi = preimage(row["value"], self.k, self.m)
                    self.facts.append(M.SumRange(f"{src}[{row['key'] or '∅'}] {row['value']}", cells, lo, hi))
                    (withheld if row["value"] == "x" else shown if row["value"] != f"<{self.k}" else []).append(
                        (row["key"], cells))
            for point in s.get("trend", []):
                if point["week"] in self.universe.weeks and point["week"] != week:
                    lo, hi = preimage(point["total"], self.k, self.m)
                    self.facts.append(M.SumRange(f"trend {week}:{point['week']} {point['total']}",
                                                 self.universe.select(point["week"]), lo, hi))
            for dim in ("category", "channel_group", "site", "cohort_group"):
                for value in TAXONOMY.dimension_values(dim):
                    self.targets.append(M.Target(f"{week} {dim}[{value or '∅'}]",
                                                 self.universe.select(week, **{dim: value})))

    def checker_bounds(self, week, table):
        """The alert bounds the summary's checker used on one table of a
        week (SummaryAlerts, Disclosure.bounds): per set of rows, the sum
        over (window, group) of the highest band in the alert log — for a
        rise alert the log's band is the rule's base band."""
        dim = table_dimension(table)
        rows = TAXONOMY.dimension_values(dim)
        highest = {}
        for (ri, w, day, group), band in self.alerted.items():
            if w != week:
                continue
            rule = self.rules[ri]  # the checker places an alert with its own rule (the ledger)
            if rule.get("kind") == "rise":
                band = self.base(rule)
            group = dict(group)
            hit = []
            for i, row in enumerate(rows):
                if dim == "category":
                    ok = matches(rule["match"], row) and group.get("category", row) == row
                elif dim in group:
                    ok = group[dim] == row
                elif dim == "channel_group" and "channel" in group:
                    ok = (CHANNELS.get(group["channel"], "") if group["channel"] else "") == row
                elif dim == "cohort_group" and "cohort" in group:
                    ok = (COHORTS.get(group["cohort"], "") if group["cohort"] else "") == row
                else:
                    ok = True
                if ok:
                    hit.append(i)
            key = tuple(hit)
            window = f"{day}|{self.group_text(group)}"
            highest.setdefault(key, {})
            entry = highest[key].get(window)
            highest[key][window] = (max(entry[0], band) if entry else band, (entry[1] if entry else []) + [(rule, day, group)])
        bounds = tuple((rows_, sum(b for b, _ in v.values())) for rows_, v in highest.items() if rows_)
        # Summed entries must count disjoint signals, or the sum can exceed
        # the truth (overlapping rules, a day and a week window).
        honest = all(self.disjoint(a, b) for v in highest.values() for (_, e1), (_, e2) in
                     [(x, y) for i, x in enumerate(v.values()) for y in list(v.values())[i + 1:]]
                     for a in e1 for b in e2)
        return bounds, honest

    def checker_saw_every_alert(self, week):
        """Whether the summary's alert lines are exactly the week's final
        alerts (as the log holds them: a rise alert at its base band): then
        its checker used the bounds `checker_bounds` rebuilds. Alerts that
        came after the summary (finding 8) make the oracle fact unsafe."""
        w = self.week_of[week]
        final = []
        for (ri, wk, day, group), band in self.alerted.items():
            if wk != week:
                continue
            rule = self.rules[ri]
            name = rule["name"]
            if rule.get("kind") == "rise":
                band = self.base(rule)
            label = week if day is None else (w.monday + timedelta(days=day)).isoformat()
            final.append((name, label, band))
        lines = [(a["rule"], a["window"], a["at_least"]) for a in self.released.summaries[week].get("alerts", [])]
        return sorted(final) == sorted(lines)

    def signals_of(self, rule, day, group):
        """Per base dimension, the values an alert entry's signals can have."""
        allowed = {"category": {c for c in CATEGORIES if matches(rule["match"], c)}}
        for base, coarse, vocab in (("site", None, None), ("cohort", "cohort_group", COHORTS),
                                    ("channel", "channel_group", CHANNELS)):
            values = set(TAXONOMY.dimension_values(base))
            if base in group:
                values &= {group[base]}
            if coarse and coarse in group:
                values &= {v for v in values if (vocab.get(v, "") if v else "") == group[coarse]}
            allowed[base] = values
        if "category" in group:
            allowed["category"] &= {group["category"]}
        allowed["day"] = set(range(7)) if day is None else {day}
        return allowed

    def disjoint(self, a, b):
        x, y = self.signals_of(*a), self.signals_of(*b)
        return any(not (x[d] & y[d]) for d in x)

    def add_left_out(self, total_range):
        """The left-out facts, once the week totals' ranges are known
        (from the other facts)."""
        for week, table in self.left_out:
            dim = table_dimension(table)
            rows = tuple(self.universe.select(week, **{dim: v}) for v in TAXONOMY.dimension_values(dim))
            lo, hi = total_range[week]
            if hi - lo > 60:
                continue  # too wide to enumerate: leaving the fact out is sound
            if not self.checker_saw_every_alert(week) or not all(
                    self.checker_bounds(week, t)[1] for t in ("category", "channel_group", "site", "cohort_group")):
                # The checker summed overlapping alerts: its system may have had
                # no solution, and then it leaves tables out for that reason
                # alone. The note then says less; leaving the fact out is sound.
                continue
            fact = M.LeftOut(f"left-out {week}:{table}", rows, self.checker_bounds(week, table)[0],
                             self.universe.select(week), tuple(range(lo, hi + 1)), self.k)
            fact.prepare()
            self.facts.append(fact)

    def truth(self):
        """The true counts of the case, keyed as the universe's variables."""
        by_ago = {w.ago: w.label for w in self.released.weeks}
        counts = {}
        for ago, day, cat, site, cohort, channel, n in self.case["signals"]:
            period = (by_ago[ago], day if self.days else None)
            key = (period, (cat, site, cohort, channel))
            counts[key] = counts.get(key, 0) + n
        return counts
