"""Runs one case through the real binary, as a school would, and collects
every fact it released.

A case is a config (k, round_to, rules) and signals in the last few closed
ISO weeks. The driver writes the config and runs `vertrouwd run` on a
fresh state directory and spool three times: with the signals dropped into
the spool while no summary is due (they are counted and judged, and the
alerts go out, as during the week); after the store is dated back to before
the first week, so that the daemon publishes the missed weeks' summaries as
it does after downtime; and once more for a full evaluation pass (after a
config change, when the case has one). Then it reads what left: every
alert message (the outbox's socket messages, the JSON the trust contact's
receiver gets) and every week's frozen summary
(`vertrouwd summary --week W --format json`).
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Amsterdam")

# The taxonomy every case uses: five categories (the silence case:
# payment and "the other four"), two sites, two cohorts in two groups,
# three channels in two groups; each dimension but category also has the
# unknown value "" (a signal may leave it out).
CATEGORIES = ("grooming", "image.request", "image.shared", "sextortion.payment", "sextortion.threat")
SITES = ("dependance", "hoofdgebouw")
COHORTS = {"klas-1": "onderbouw", "klas-4": "bovenbouw"}
CHANNELS = {"discord": "gaming", "instagram": "social", "snapchat": "social"}


@dataclass
class Week:
    """A closed ISO week, `ago` weeks before the current one."""

    ago: int
    label: str
    monday: date
    start: int  # epoch seconds, Monday 00:00 local

    @staticmethod
    def of(ago, now=None):
        now = now or datetime.now(ZONE)
        d = (now - timedelta(days=7 * ago)).date()
        monday = d - timedelta(days=d.weekday())
        y, w, _ = monday.isocalendar()
        start = int(datetime(monday.year, monday.month, monday.day, tzinfo=ZONE).timestamp())
        return Week(ago, f"{y:04d}-W{w:02d}", monday, start)

    def stamp(self, day, hour=12):
        d = self.monday + timedelta(days=day)
        return datetime(d.year, d.month, d.day, hour, tzinfo=ZONE).isoformat()


@dataclass
class Released:
    weeks: list  # Week, oldest first
    alerts: list = field(default_factory=list)  # alert JSON objects (socket route)
    before: set = field(default_factory=set)  # ids of the alerts sent under `rules_before`
    summaries: dict = field(default_factory=dict)  # week label -> summary JSON object
    log: str = ""
    seconds: float = 0.0


def toml_list(items):
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def config_text(case, root, rules=None):
    lines = [
        "[school]", 'name = "Aanvalschool"', 'timezone = "Europe/Amsterdam"', "",
        "[spool]", f'path = "{root}/spool"', 'rescan = "2s"', "",
        "[ingest]", 'max_age = "28d"', 'dedup_horizon = "29d"', "",
        "[state]", f'path = "{root}/state/state.db"', "",
        "[privacy]", f"min_group_size = {case['k']}", f"round_to = {case['round_to']}", "",
        "[alerts]", 'evaluate_every = "0s"', 'release_every = "1s"', "",
        "[summary]", 'schedule = "mon 00:00"', "catch_up_weeks = 4", "trend_weeks = 8", "",
        "[taxonomy]", f"categories = {toml_list(CATEGORIES)}", f"sites = {toml_list(SITES)}", "",
        "[taxonomy.cohorts]", *[f'"{c}" = "{g}"' for c, g in COHORTS.items()], "",
        "[taxonomy.channels]", *[f'{c} = "{g}"' for c, g in CHANNELS.items()], "",
        "[[source]]", 'name = "webfilter"', "",
    ]
    for rule in case["rules"] if rules is None else rules:
        lines += ["[[rule]]", f'name = "{rule["name"]}"', f'kind = "{rule.get("kind", "threshold")}"',
                  f"match = {toml_list(rule['match'])}", f"min_count = {rule['min_count']}",
                  f"group_by = {toml_list(rule.get('group_by', []))}"]
        if rule.get("kind", "threshold") == "threshold":
            lines.append(f'window = "{rule.get("window", "day")}"')
        else:
            lines += [f"baseline_weeks = {rule['baseline_weeks']}", f"factor = {rule['factor']}"]
        lines.append("")
    lines += ["[[recipient]]", 'name = "vertrouwenspersoon"', "",
              "[delivery.email]", 'mode = "off"', "",
              "[delivery.socket]", f'path = "{root}/alerts.sock"', ""]
    return "\n".join(lines)


def letters(n, width=12):
    """n in base 26, letters only: the PII gate reads a run of digits as a
    possible phone or student number."""
    out = ""
    for _ in range(width):
        n, r = divmod(n, 26)
        out = chr(ord("a") + r) + out
    return out


def signal_lines(case, weeks):
    """One JSON line per signal. Each signal: (weeks_ago, day, category,
    site, cohort, channel, n); "" leaves a field out. Every signal has a
    `subject` of its own, so a count of pupils equals the count of signals
    (the model adds cells up; with one pupil in several cells it could not)."""
    by_ago = {w.ago: w for w in weeks}
    out = []
    serial = 0
    for ago, day, cat, site, cohort, channel, n in case["signals"]:
        for _ in range(n):
            serial += 1
            s = {"v": 1, "id": f"aanval-{letters(serial)}", "ts": by_ago[ago].stamp(day),
                 "source": "webfilter", "category": cat, "subject": f"leerling-{letters(serial)}"}
            if site:
                s["site"] = site
            if cohort:
                s["cohort"] = cohort
            if channel:
                s["channel"] = channel
            out.append(json.dumps(s, separators=(",", ":")))
    return out


def case_weeks(case):
    agos = sorted({s[0] for s in case["signals"]} | set(case.get("weeks", [])), reverse=True)
    now = datetime.now(ZONE)
    return [Week.of(a, now) for a in agos]


class Daemon:
    def __init__(self, binary, config, log_path):
        self.binary, self.config, self.log_path = binary, config, log_path
        self.proc = None

    def start(self, *args):
        self.offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        self.log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.binary, "run", "--config", self.config, *args],
                                     stdout=self.log_file, stderr=subprocess.STDOUT)
        self.wait("ready: watching the spool")

    def text(self):
        with open(self.log_path, "rb") as f:
            f.seek(self.offset)
            return f.read().decode("utf-8", "replace")

    def wait(self, what, timeout=30, check=None):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check() if check else what in self.text():
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"the daemon exited ({self.proc.returncode}) while waiting for {what}:\n{self.text()}")
            time.sleep(0.05)
        raise RuntimeError(f"timed out waiting for {what}:\n{self.text()[-4000:]}")

    def kill(self):
        """On an error: no daemon of ours is left running."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=30)
        self.log_file.close()
        if rc != 0:
            raise RuntimeError(f"the daemon exited with {rc}:\n{self.text()[-4000:]}")


def outbox(state_db, kind):
    db = sqlite3.connect(f"file:{state_db}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT json FROM outbox WHERE kind = ? AND route = 'socket' ORDER BY created_at, id",
                          (kind,)).fetchall()
    finally:
        db.close()
    return [json.loads(r[0]) for r in rows]


def run_case(binary, case, keep=None):
    """Runs the case through the binary; returns what it released."""
    began = time.monotonic()
    weeks = case_weeks(case)
    with tempfile.TemporaryDirectory(prefix="vertrouwd-attack-") as tmp:
        root = keep or tmp
        os.makedirs(root, exist_ok=True)
        for sub in ("tmp", "new", "cur", "quarantine"):
            os.makedirs(f"{root}/spool/{sub}", exist_ok=True)
        os.makedirs(f"{root}/state", exist_ok=True)
        config = f"{root}/vertrouwd.toml"
        with open(config, "w") as f:
            f.write(config_text(case, root))
        os.chmod(config, 0o640)
        state_db = f"{root}/state/state.db"
        daemon = Daemon(binary, config, f"{root}/daemon.log")
        try:
            released = _run(binary, case, weeks, root, config, state_db, daemon)
        finally:
            daemon.kill()
    released.seconds = time.monotonic() - began
    return released


def _run(binary, case, weeks, root, config, state_db, daemon):
    """The runs of the daemon, then the outputs."""
    def drop_signals():
        lines = signal_lines(case, weeks)
        with open(f"{root}/spool/tmp/week.jsonl", "w") as f:
            f.write("\n".join(lines) + "\n")
        os.rename(f"{root}/spool/tmp/week.jsonl", f"{root}/spool/new/week.jsonl")

    def drained():
        return not os.listdir(f"{root}/spool/new") and not os.listdir(f"{root}/spool/cur")

    # The signals arrive and are judged first, while no summary is due
    # (the store is created now), as during a school's week; under
    # `rules_before` when the case changes the config afterwards.
    if case.get("rules_before"):
        with open(config, "w") as f:
            f.write(config_text(case, root, case["rules_before"]))
    drop_signals()
    daemon.start("--log-level", "debug")

    def settled(text):
        """The evaluation after `text` began held nothing, or what it held
        has left: held decisions leave at the next release tick ("1s",
        issue 13), in parts ("partial release") ending in "pass done:
        release"; an evaluation that holds nothing says "none held", and
        then no release comes."""
        return "pass done: release" in text or \
            ("pass done: evaluation, none held" in text and "pass done: evaluation\n" not in text)

    def evaluated():
        text = daemon.text()
        at = text.rfind(": accepted ")
        return drained() and at >= 0 and settled(text[at:])

    daemon.wait("the signals evaluated", check=evaluated)
    daemon.stop()
    # The alerts the first config sent: a reader knows which config was
    # in force when an alert came (a rule's name may stay while its
    # definition changes).
    first_run = {a["id"] for a in outbox(state_db, "alert")}
    if case.get("rules_before"):
        with open(config, "w") as f:
            f.write(config_text(case, root))
    # Then the store is dated back to before the first week, as on a
    # running school, and the week before is marked published (nearly
    # empty): the daemon then catches up every simulated week, oldest
    # first, as after downtime (SummarySchedule.dueWeeks returns only the
    # last week when nothing was ever published).
    db = sqlite3.connect(state_db)
    before = Week.of(weeks[0].ago + 1)
    db.execute("UPDATE meta SET value = ? WHERE key = 'created_at'", (before.start,))
    db.execute("INSERT INTO summaries(week, window_start, published_at, json) VALUES (?, ?, ?, ?)",
               (before.label, before.start, weeks[0].start, '{"week":"%s","total":"<%d","renderings":{}}'
                % (before.label, case["k"])))
    db.commit()
    db.close()

    def published():
        labels = {s.get("week") for s in outbox(state_db, "summary")}
        return all(w.label in labels for w in weeks)

    daemon.start("--log-level", "debug")
    # Generous: the release check of a busy week can take many seconds on a
    # loaded machine (make test runs beside other work); this bounds a failure only.
    daemon.wait("the spool drained and every week published", timeout=180, check=lambda: drained() and published())
    daemon.stop()
    if case.get("rules_after"):
        # The admin adds rules after the summaries went out (a restart
        # with the new config; a reload keeps the same alert log).
        with open(config, "w") as f:
            f.write(config_text(case, root, case["rules"] + case["rules_after"]))
    # A fresh start makes a full evaluation pass over every open window:
    # after it, every alert the signals cause has been decided.
    daemon.start("--log-level", "debug")
    daemon.wait("an evaluation pass", check=lambda: "pass done: evaluation" in daemon.text())
    daemon.wait("its alerts released, if it held any", check=lambda: settled(daemon.text()))
    daemon.wait("a publication pass", check=lambda: "pass done: publication" in daemon.text())
    daemon.stop()
    released = Released(weeks=weeks)
    released.alerts = outbox(state_db, "alert")
    released.before = {a["id"] for a in released.alerts if a["id"] in first_run} if case.get("rules_before") else set()
    for w in weeks:
        r = subprocess.run([binary, "summary", "--config", config, "--week", w.label, "--format", "json"],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f"vertrouwd summary --week {w.label}: {r.stderr}")
        released.summaries[w.label] = json.loads(r.stdout)
    with open(f"{root}/daemon.log", errors="replace") as f:
        released.log = f.read()
    quarantined = os.listdir(f"{root}/spool/quarantine")
    if quarantined:
        raise RuntimeError(f"signals were quarantined: {quarantined}\n{released.log[-3000:]}")
    return released
