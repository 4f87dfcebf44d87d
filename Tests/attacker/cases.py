"""The attacker's cases: named adversarial weeks (one per finding of issue
13 that an exact reader can exploit today, one that nothing can pin, and
mixed weeks), and random weeks from a seed.

A signal entry is (weeks_ago, day 0=Monday, category, site, cohort,
channel, n); "" leaves a field out. `expect` lists targets (substrings of
their names, with {W1}/{W2} for the weeks 1 and 2 ago) that an exact
attacker pins on today's main: `--prove` checks that it does. `clean`
cases must report no pin on any build.
"""
from __future__ import annotations

import random

from driver import CATEGORIES, CHANNELS, COHORTS, SITES

HOOFD = ("hoofdgebouw", "klas-4", "instagram")
OTHER_FOUR = ["grooming", "image.request", "image.shared", "sextortion.threat"]

FIXED = [
    {
        # Finding 2: the silence of two whole-school week rules, beside a
        # summary of "<5" cells and a total of "10", pins payment = 4.
        "name": "silence",
        "finding": "2: silence is released information",
        "k": 5, "round_to": 5,
        "rules": [
            {"name": "betaalverzoek", "match": ["sextortion.payment"], "min_count": 5, "window": "week"},
            {"name": "overig", "match": OTHER_FOUR, "min_count": 5, "window": "week"},
        ],
        "signals": [(1, 2, "sextortion.payment", *HOOFD, 4), (1, 3, "grooming", *HOOFD, 4)],
        "expect": ["{W1} category[sextortion.payment]", "rule group betaalverzoek {W1} all", "rule group overig {W1} all"],
    },
    {
        # Finding 3: a rise rule (baseline 1 week, factor 2.5) that did not
        # fire, beside the trend "<5" then "10": the earlier week was 4.
        "name": "rise-vs-trend",
        "finding": "3: rise rules against the trend",
        "k": 5, "round_to": 5,
        "rules": [
            {"name": "stijging", "kind": "rise", "match": list(CATEGORIES), "min_count": 5,
             "baseline_weeks": 1, "factor": 2.5},
        ],
        "signals": [(2, 1, "grooming", *HOOFD, 1), (2, 1, "image.request", *HOOFD, 1),
                    (2, 2, "image.shared", *HOOFD, 1), (2, 3, "sextortion.threat", *HOOFD, 1),
                    (1, 2, "grooming", *HOOFD, 5), (1, 3, "image.shared", *HOOFD, 4)],
        "expect": ["{W2} total", "rule group stijging {W2} all"],
    },
    {
        # Finding 4: "at least 8" over payment and grooming, both "<5": the
        # category table is left out, and the note names it. Leaving it out
        # happens only when its hidden cells are pinned: both are 4.
        "name": "left-out-oracle",
        "finding": "4: the left-out note is an oracle",
        "k": 5, "round_to": 5,
        "rules": [
            {"name": "paar", "match": ["sextortion.payment", "grooming"], "min_count": 8, "window": "week"},
        ],
        "signals": [(1, 2, "sextortion.payment", *HOOFD, 4), (1, 3, "grooming", *HOOFD, 4),
                    (1, 4, "image.shared", *HOOFD, 30)],
        "expect": ["{W1} category[sextortion.payment]", "{W1} category[grooming]"],
    },
    {
        # Finding 5: round_to 1; grooming 3 is "<5", so the smallest shown
        # cell is withheld: image.request (5, first of two 5s). "x" ≤ the
        # shown image.shared 5 makes it exactly 5, and grooming exactly 3.
        "name": "x-choice",
        "finding": "5: which cell gets \"x\" leaks",
        "k": 5, "round_to": 1,
        "rules": [
            {"name": "dreiging", "match": ["sextortion.threat"], "min_count": 50, "window": "week"},
        ],
        "signals": [(1, 1, "grooming", *HOOFD, 3), (1, 2, "image.request", *HOOFD, 5),
                    (1, 3, "image.shared", *HOOFD, 5), (1, 4, "sextortion.payment", *HOOFD, 9),
                    (1, 5, "sextortion.threat", *HOOFD, 7)],
        "expect": ["{W1} category[grooming]"],
    },
    {
        # Finding 8 (and 7): an alert for a window of a week already
        # published, which that week's check never saw. Here a rule added
        # after the summary went out; late signals and a schedule before
        # the last tick do the same. Round_to 1: payment "6", grooming and
        # image.request "<5" (7 together, so nothing is withheld); then
        # "payment + grooming: at least 10" makes grooming exactly 4.
        "name": "alert-after-summary",
        "finding": "8: alerts after the freeze (a rule added after publication)",
        "k": 5, "round_to": 1,
        "rules": [
            {"name": "dreiging", "match": ["sextortion.threat"], "min_count": 50, "window": "week"},
        ],
        "rules_after": [
            {"name": "betaal-en-grooming", "match": ["sextortion.payment", "grooming"], "min_count": 10,
             "window": "week"},
        ],
        "signals": [(1, 1, "sextortion.payment", *HOOFD, 6), (1, 2, "grooming", *HOOFD, 4),
                    (1, 3, "image.request", *HOOFD, 3), (1, 4, "image.shared", *HOOFD, 20)],
        "expect": ["{W1} category[grooming]"],
    },
    {
        # Finding 7: reload forgets released facts. The alert "payment +
        # grooming: at least 10" went out under the old config; the rule
        # is then deleted, and the week's check skips its alert (`continue`
        # in weekAlerts). The summary's payment "6" and grooming "<5" then
        # pin grooming = 4.
        "name": "reload-forgets",
        "finding": "7: reload forgets released facts (a deleted rule's alert)",
        "k": 5, "round_to": 1,
        "rules_before": [
            {"name": "oud-betaal-en-grooming", "match": ["sextortion.payment", "grooming"], "min_count": 10,
             "window": "week"},
        ],
        "rules": [
            {"name": "dreiging", "match": ["sextortion.threat"], "min_count": 50, "window": "week"},
        ],
        "signals": [(1, 1, "sextortion.payment", *HOOFD, 6), (1, 2, "grooming", *HOOFD, 4),
                    (1, 3, "image.request", *HOOFD, 3), (1, 4, "image.shared", *HOOFD, 20)],
        "expect": ["{W1} category[grooming]"],
    },
    {
        # Finding 7, a rule changed in place: the same name now counts
        # image.shared only (min_count 50). Read with the rule of that name
        # today, the alert "at least 10" spoke of image.shared (15: true,
        # and so is the silence ≤ 19 it then gives) and left payment and
        # grooming unguarded: payment "6", grooming "<5" pin grooming = 4.
        # The ledger places it with the definition it was sent under.
        "name": "reload-changes",
        "finding": "7: reload forgets released facts (a rule changed under the same name)",
        "k": 5, "round_to": 1,
        "rules_before": [
            {"name": "betaal-en-grooming", "match": ["sextortion.payment", "grooming"], "min_count": 10,
             "window": "week"},
        ],
        "rules": [
            {"name": "betaal-en-grooming", "match": ["image.shared"], "min_count": 50, "window": "week"},
        ],
        "signals": [(1, 1, "sextortion.payment", *HOOFD, 6), (1, 2, "grooming", *HOOFD, 4),
                    (1, 3, "image.request", *HOOFD, 3), (1, 4, "image.shared", *HOOFD, 15)],
        "expect": ["{W1} category[grooming]"],
    },
    {
        # Finding 7, the silence of a rule changed under its name: the old
        # definition logged band 10 (payment + grooming); the rule now
        # counts threat + image.request from 5 and stays silent, so the
        # reader knows those two hold 0..4 or 10..19 (the engine does not
        # announce a band of the name already logged). The summary must be
        # safe under each part.
        "name": "reload-gap",
        "finding": "7: a silence after a rule changed under its name is a disjunction",
        "k": 5, "round_to": 1,
        "rules_before": [
            {"name": "betaal-en-grooming", "match": ["sextortion.payment", "grooming"], "min_count": 10,
             "window": "week"},
        ],
        "rules": [
            {"name": "betaal-en-grooming", "match": ["sextortion.threat", "image.request"], "min_count": 5,
             "window": "week"},
        ],
        "signals": [(1, 1, "sextortion.payment", *HOOFD, 6), (1, 2, "grooming", *HOOFD, 4),
                    (1, 3, "image.request", *HOOFD, 2), (1, 0, "sextortion.threat", *HOOFD, 2),
                    (1, 4, "image.shared", *HOOFD, 20)],
        "expect": ["{W1} category[grooming]"],
    },
    {
        # Soundness: small true cells (4 payment, 4 grooming), but only the
        # payment rule: its silence says payment ≤ 4, nothing says how the
        # other 4..8 are spread. Nothing can be pinned.
        "name": "sound-small-cells",
        "finding": "none (soundness: small cells that no fact pins)",
        "k": 5, "round_to": 5,
        "rules": [
            {"name": "betaalverzoek", "match": ["sextortion.payment"], "min_count": 5, "window": "week"},
        ],
        "signals": [(1, 2, "sextortion.payment", *HOOFD, 4), (1, 3, "grooming", *HOOFD, 4)],
        "clean": True,
    },
    {
        # Soundness with alerts, day windows and several groups: big cells,
        # small ones only where many values could hide them.
        "name": "sound-busy-week",
        "finding": "none (soundness: alerts and day rules, nothing small exposed)",
        "k": 5, "round_to": 5,
        "rules": [
            {"name": "sextortion-dag", "match": ["sextortion.*"], "min_count": 5, "window": "day", "group_by": ["site"]},
            {"name": "grooming-week", "match": ["grooming"], "min_count": 10, "window": "week",
             "group_by": ["channel_group"]},
        ],
        "signals": [(1, 0, "sextortion.payment", *HOOFD, 6), (1, 1, "sextortion.payment", *HOOFD, 7),
                    (1, 2, "sextortion.threat", "dependance", "klas-1", "snapchat", 12),
                    (1, 3, "grooming", *HOOFD, 25), (1, 4, "image.shared", "hoofdgebouw", "klas-1", "discord", 15)],
        "clean": True,
    },
    {
        # Mixed: overlapping rules, groups by site, cohort group and
        # channel, day and week windows, round_to 10, two weeks.
        "name": "overlapping-groups-r10",
        "finding": "mixed (overlapping rules, several groups, round_to 10)",
        "k": 5, "round_to": 10,
        "rules": [
            {"name": "sextortion-site", "match": ["sextortion.*"], "min_count": 5, "window": "day",
             "group_by": ["site", "cohort_group"]},
            {"name": "betaal-week", "match": ["sextortion.payment"], "min_count": 5, "window": "week",
             "group_by": ["channel"]},
            {"name": "alles-week", "match": list(CATEGORIES), "min_count": 10, "window": "week"},
        ],
        "signals": [(2, 1, "sextortion.payment", *HOOFD, 6), (2, 2, "grooming", "dependance", "klas-1", "discord", 3),
                    (1, 0, "sextortion.payment", "hoofdgebouw", "klas-1", "snapchat", 5),
                    (1, 0, "sextortion.threat", "hoofdgebouw", "klas-1", "snapchat", 2),
                    (1, 3, "image.request", "dependance", "", "", 4), (1, 4, "grooming", *HOOFD, 9)],
    },
]


def weeks_text(text, labels):
    return text.replace("{W1}", labels.get(1, "?")).replace("{W2}", labels.get(2, "?"))


def random_case(seed):
    """A random week or two: random rules (threshold by day or week, rise),
    random groups, round_to 1, 5 or 10, small counts spread over cells;
    one in five with rules deleted before the summary, one in five with
    rules added after it."""
    rng = random.Random(seed)
    k = rng.choice([5, 5, 5, 4, 3])
    round_to = rng.choice([m for m in (1, 5, 10) if m <= 2 * k])  # the config refuses round_to > 2k
    dims = ["site", "cohort", "cohort_group", "channel", "channel_group", "category"]

    def random_rule(name):
        kind = rng.choice(["threshold", "threshold", "rise"])
        match = rng.choice([["sextortion.*"], list(CATEGORIES), rng.sample(CATEGORIES, rng.randint(1, 3))])
        group_by = rng.sample(dims, rng.choice([0, 0, 1, 1, 2]))
        for fine, coarse in (("cohort", "cohort_group"), ("channel", "channel_group")):
            if fine in group_by and coarse in group_by:  # the config refuses both
                group_by.remove(coarse)
        rule = {"name": name, "kind": kind, "match": match, "min_count": rng.choice([k, k, k + 1, 2 * k, 8]),
                "group_by": group_by}
        if kind == "threshold":
            rule["window"] = rng.choice(["day", "week"])
        else:
            # A rise rule is decided from the published tables: no group,
            # by category, or by one table's dimension over every category.
            rule["group_by"] = rng.choice([[], [], ["category"], ["site"], ["channel_group"], ["cohort_group"]])
            if rule["group_by"] not in ([], ["category"]):
                rule["match"] = list(CATEGORIES)
            rule["baseline_weeks"] = rng.randint(1, 2)
            rule["factor"] = rng.choice([1.5, 2, 2.5, 3])
        return rule

    rules = [random_rule(f"r{i}") for i in range(rng.randint(1, 4))]
    # Now and then a config change: rules the signals were judged under
    # first (then deleted), or rules added after the summaries went out.
    before = [random_rule(f"b{i}") for i in range(rng.randint(1, 2))] if rng.random() < 0.2 else []
    after = [random_rule(f"a{i}") for i in range(rng.randint(1, 2))] if rng.random() < 0.2 else []
    agos = [1] if rng.random() < 0.5 else [2, 1]
    signals = []
    for _ in range(rng.randint(2, 12)):
        signals.append((rng.choice(agos), rng.randint(0, 6), rng.choice(CATEGORIES),
                        rng.choice(SITES + ("",)), rng.choice(tuple(COHORTS) + ("",)),
                        rng.choice(tuple(CHANNELS) + ("",)), rng.choice([1, 1, 2, 3, 4, 5, 8])))
    for ago in agos:  # every simulated week has a signal
        if not any(s[0] == ago for s in signals):
            signals.append((ago, 2, "grooming", *HOOFD, 1))
    case = {"name": f"random-{seed}", "finding": "random", "k": k, "round_to": round_to,
            "rules": rules, "signals": signals}
    if before:
        case["rules_before"] = before
    if after:
        case["rules_after"] = after
    return case
