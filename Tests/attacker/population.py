"""The attacker's unknowns: one integer count per (period, category, site,
cohort, channel), and sums of them chosen by dimension values."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Callable, Optional

# No count in a test week comes near this; it keeps every maximum finite.
CAP = 100_000


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
