#!/usr/bin/env python3
"""Unit tests of the attacker's model on hand-made facts (no binary).

Proves that the solver's ranges are exact (against brute force), that each
kind of fact pins what it should and nothing more, and that a fact the true
counts break is caught. Run: python3 Tests/attacker/test_model.py
"""
import os
import random
import sys
import unittest
from fractions import Fraction
from itertools import product

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import model as M  # noqa: E402
from facts import TAXONOMY, preimage  # noqa: E402

K = 5
OTHERS = ("grooming", "image.request", "image.shared", "sextortion.threat")


def week_universe():
    return M.Universe(TAXONOMY, {"W": [("W", None)]})


def summary_of_silence_case(u):
    """The issue's case: every category "<5", total 10."""
    facts = [M.SumRange(f"summary:category[{c}] <5", u.select("W", category=c), 0, 4) for c in TAXONOMY.categories]
    facts.append(M.SumRange("summary:total 10", u.select("W"), 8, 12))
    return facts


class Rounding(unittest.TestCase):
    def test_preimages_follow_the_publishers_rounding(self):
        # PrivacyPolicy.rounded: k=5, m=5: 5,6,7 → 5; 8…12 → 10; 13…17 → 15.
        self.assertEqual(preimage("5", 5, 5), (5, 7))
        self.assertEqual(preimage("10", 5, 5), (8, 12))
        self.assertEqual(preimage("15", 5, 5), (13, 17))
        # k=3, m=10: 3…14 → 10; k=6, m=5: 6,7 → 10 (with 8…12).
        self.assertEqual(preimage("10", 3, 10), (3, 14))
        self.assertEqual(preimage("10", 6, 5), (6, 12))
        self.assertEqual(preimage("7", 5, 1), (7, 7))
        self.assertEqual(preimage("<5", 5, 5), (0, 4))
        # "x" is any count: withheld (at least k) or omitted (anything); the
        # reader need not tell them apart (PublishedValue.text).
        self.assertEqual(preimage("x", 5, 5), (0, None))
        with self.assertRaises(ValueError):
            preimage("12", 5, 5)


class Pins(unittest.TestCase):
    def test_two_silent_rules_pin_payment(self):
        u = week_universe()
        facts = summary_of_silence_case(u)
        payment = u.select("W", match=lambda c: c == "sextortion.payment")
        others = u.select("W", match=lambda c: c in OTHERS)
        facts += [M.SumRange("silence:payment", payment, 0, 4), M.SumRange("silence:others", others, 0, 4)]
        m = M.Model(u, facts, K)
        pins = m.pins([M.Target("payment", payment), M.Target("grooming", u.select("W", category="grooming"))])
        self.assertEqual([(p.target.name, p.low, p.high) for p in pins], [("payment", 4, 4)])
        self.assertEqual(sorted(set(s.split(":")[0] for s in pins[0].facts)), ["silence", "summary"])

    def test_one_silent_rule_pins_nothing(self):
        u = week_universe()
        payment = u.select("W", match=lambda c: c == "sextortion.payment")
        facts = summary_of_silence_case(u) + [M.SumRange("silence:payment", payment, 0, 4)]
        m = M.Model(u, facts, K)
        targets = [M.Target(c, u.select("W", category=c)) for c in TAXONOMY.categories]
        self.assertEqual(m.pins(targets), [])
        self.assertEqual(m.range(M.Target("payment", payment)), (0, 4))

    def test_a_range_inside_1_to_k_minus_1_is_a_pin_unless_exact_only(self):
        # "<5" and "<5" beside a shown 9 under a total of 15: each is 2…4.
        u = M.Universe(M.Taxonomy(("a", "b", "c"), (), {}, {}), {"W": [("W", None)]})
        a, b, c = (u.select("W", category=x) for x in "abc")
        facts = [M.SumRange("a <5", a, 0, 4), M.SumRange("b <5", b, 0, 4), M.SumRange("c 9", c, 9, 9),
                 M.SumRange("total 15", u.select("W"), 15, 15)]
        pins = M.Model(u, facts, K).pins([M.Target("a", a)], explain=False)
        self.assertEqual([(p.low, p.high) for p in pins], [(2, 4)])
        self.assertEqual(M.Model(u, facts, K, exact_only=True).pins([M.Target("a", a)], explain=False), [])

    def test_x_choice_pins_the_small_cell(self):
        # grooming <5, image.request x, image.shared 5, others shown exact.
        u = week_universe()
        cell = {c: u.select("W", category=c) for c in TAXONOMY.categories}
        facts = [M.SumRange("grooming <5", cell["grooming"], 0, 4), M.SumRange("request x", cell["image.request"], 5),
                 M.SumRange("shared 5", cell["image.shared"], 5, 5),
                 M.SumRange("payment 9", cell["sextortion.payment"], 9, 9),
                 M.SumRange("threat 7", cell["sextortion.threat"], 7, 7), M.SumRange("total 29", u.select("W"), 29, 29)]
        without = M.Model(u, facts, K)
        self.assertEqual(without.range(M.Target("g", cell["grooming"])), (0, 3))
        with_choice = M.Model(u, facts + [M.Ordered("x-choice", cell["image.request"], cell["image.shared"], 0)], K)
        self.assertEqual(with_choice.range(M.Target("g", cell["grooming"])), (3, 3))
        # A shown key that sorts first makes the order strict: x < 5 is impossible.
        strict = M.Model(u, facts + [M.Ordered("x-choice", cell["image.request"], cell["image.shared"], 1)], K)
        self.assertFalse(strict.feasible())

    def test_rise_silence_is_a_disjunction(self):
        u = M.Universe(TAXONOMY, {"W1": [("W1", None)], "W2": [("W2", None)]})
        now, before = u.select("W2"), u.select("W1")
        facts = [M.SumRange("trend W1 <5", before, 0, 4), M.SumRange("trend W2 10", now, 8, 12)]
        silent = M.RiseSilent("silence:rise", now, before, 1, Fraction("2.5"), 5)
        m = M.Model(u, facts + [silent], K)
        self.assertEqual(m.range(M.Target("W1", before)), (4, 4))
        # Below the base band, silence says nothing about the baseline.
        low = M.Model(u, [M.SumRange("W1 <5", before, 0, 4), M.SumRange("W2 <5", now, 0, 4), silent], K)
        self.assertEqual(low.range(M.Target("W1", before)), (0, 4))
        # A rise alert: count ≥ factor × mean.
        fired = M.RiseFired("alert:rise", now, before, 1, Fraction("2.5"), 5)
        m = M.Model(u, facts + [fired], K)
        self.assertEqual(m.range(M.Target("W1", before)), (0, 3))
        self.assertTrue(silent.holds({i: 0 for i in range(u.size)} | {now[0]: 9, before[0]: 4}))
        self.assertFalse(silent.holds({i: 0 for i in range(u.size)} | {now[0]: 10, before[0]: 4}))

    def test_a_silence_with_a_gap_in_its_bands_is_a_disjunction(self):
        # Finding 7: the name logged band 10 under an old definition; the
        # rule now (base 5) stayed silent: its count is 0..4 or 10..19.
        u = week_universe()
        payment = u.select("W", category="sextortion.payment")
        silent = M.SumIn("silence:betaal", payment, ((0, 4), (10, 19)))
        m = M.Model(u, [silent, M.SumRange("payment ≤ 9", payment, 0, 9)], K)
        self.assertEqual(m.range(M.Target("payment", payment)), (0, 4))
        m = M.Model(u, [silent, M.SumRange("payment ≥ 5", payment, 5, None)], K)
        self.assertEqual(m.range(M.Target("payment", payment)), (10, 19))
        zero = {i: 0 for i in range(u.size)}
        self.assertTrue(silent.holds(zero | {payment[0]: 12}))
        self.assertFalse(silent.holds(zero | {payment[0]: 7}))

    def test_left_out_table_pins_only_when_the_checker_would(self):
        # Two "<5" cells under "at least 8": both 4, the checker's pin. Under
        # "at least 5" each is 1…4: not one value, so the checker (which
        # pins only single values) leaves the table in; at 4, either can be 0.
        self.assertTrue(M.hidden_table_pins((1, 1, 0), 38, (((0, 1), 8),), K))
        self.assertFalse(M.hidden_table_pins((1, 1, 0), 38, (((0, 1), 5),), K))
        self.assertFalse(M.hidden_table_pins((1, 1, 0), 38, (((0, 1), 4),), K))
        self.assertFalse(M.hidden_table_pins((0, 1, 0), 38, (((0, 1), 8),), K))
        # "x" 5…9 beside "<5", sum 9, "at least 9" over both: the small cell is 0…4.
        self.assertFalse(M.hidden_table_pins((1, 0), 9, (((0, 1), 9),), K))
        # A system with no solution (the checker's bounds can overstate, when
        # overlapping rules are summed): the checker reports every cell.
        self.assertTrue(M.hidden_table_pins((1, 1, 0), 8, (((0, 1, 2), 20),), K))
        u = M.Universe(M.Taxonomy(("a", "b", "c"), (), {}, {}), {"W": [("W", None)]})
        rows = tuple(u.select("W", category=c) for c in "abc")
        fact = M.LeftOut("left-out", rows, (((0, 1), 8),), u.select("W"), tuple(range(36, 41)), K)
        fact.prepare()
        alert = M.SumRange("alert at least 8", rows[0] + rows[1], 8, 15)
        total = M.SumRange("total 40", u.select("W"), 36, 40)
        # Without the note the alert (8…15 over a, b) leaves a in 0…15; with it, only "both <5" pins.
        self.assertEqual(M.Model(u, [alert, total], K).range(M.Target("a", rows[0])), (0, 15))
        m = M.Model(u, [fact, alert, total], K)
        self.assertEqual(m.range(M.Target("a", rows[0])), (4, 4))
        self.assertTrue(fact.holds([4, 4, 30]))
        self.assertFalse(fact.holds([3, 6, 30]))

    def test_broken_fact_is_caught(self):
        u = week_universe()
        f = M.SumRange("wrong", u.select("W", category="grooming"), 5, 9)
        broken, _ = M.Model(u, [f], K).check_truth({(("W", None), ("grooming", "", "", "")): 3})
        self.assertEqual(broken, [f])


class Exactness(unittest.TestCase):
    """HiGHS's ranges equal brute force over every assignment."""

    def test_random_systems_against_brute_force(self):
        rng = random.Random(13)
        u = M.Universe(M.Taxonomy(("a", "b", "c", "d"), (), {}, {}), {"W": [("W", None)]})
        idx = [u.select("W", category=c)[0] for c in "abcd"]
        for _ in range(40):
            facts = []
            for j in range(rng.randint(1, 4)):
                cells = tuple(rng.sample(idx, rng.randint(1, 4)))
                lo = rng.randint(0, 8)
                facts.append(M.SumRange(f"f{j}", cells, lo, lo + rng.randint(0, 6)))
            if rng.random() < 0.5:
                a, b = rng.sample(idx, 2)
                facts.append(M.Ordered("o", (a,), (b,), rng.randint(0, 1)))
            x_cap = 12
            solutions = [x for x in product(range(x_cap), repeat=4)
                         if all(f.holds(x) for f in facts)]
            m = M.Model(u, facts + [M.SumRange("cap", (i,), 0, x_cap - 1) for i in idx], K)
            for i in idx:
                expected = (min(s[i] for s in solutions), max(s[i] for s in solutions)) if solutions else None
                self.assertEqual(m.range(M.Target("v", (i,))), expected, facts)


if __name__ == "__main__":
    unittest.main(verbosity=1)
