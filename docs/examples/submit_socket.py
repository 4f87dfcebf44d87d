#!/usr/bin/env python3
"""submit_socket.py — hand signals to vertrouwd over its submit socket.

    python3 submit_socket.py SOCKET source=webfilter category=sextortion.payment \\
        [site=hoofdgebouw] [cohort=klas-4] [channel=instagram] [severity=high] [count=3] [id=...]

Sends one signal ("v": 1, a fresh random id unless id= is given, "ts" = now)
as a JSON line and prints the daemon's answer: "ok 1" once the signal is
durable in the spool, "err 1 <reason>" when it was refused, or
"err 0 not_allowed" when this user is in none of submit.allowed_groups.
More lines may be sent on one connection; each gets one answer, numbered
from 1. Exit status 0 when every line was accepted, 1 otherwise, 2 when the
socket cannot be reached. Python 3.8+, standard library only.
"""
import datetime
import json
import secrets
import socket
import string
import sys

FIELDS = {"source", "category", "site", "cohort", "channel", "severity", "count", "id"}


def signal(fields):
    """One signal line: v, id, ts = now, then the given fields."""
    # Letters only: unique, and never a run of digits the PII gate could
    # read as a BSN or a phone number.
    sid = "py-" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(24))
    ts = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    obj = {"v": 1, "id": fields.pop("id", sid), "ts": ts}
    for key, value in fields.items():
        obj[key] = int(value) if key == "count" else value
    return json.dumps(obj, separators=(",", ":"))


def submit(path, lines, timeout=30.0):
    """Sends the lines and returns the answers, one per line (fewer when refused)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(path)
        s.sendall("".join(line + "\n" for line in lines).encode("utf-8"))
        s.shutdown(socket.SHUT_WR)  # no more lines: the daemon answers, then closes
        answers = []
        with s.makefile("r", encoding="utf-8", newline="\n") as f:
            for raw in f:
                answer = raw.rstrip("\n")
                answers.append(answer)
                if answer.startswith("err 0 ") or len(answers) == len(lines):
                    break
        return answers


def main(argv):
    if len(argv) < 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    fields = {}
    for arg in argv[2:]:
        key, sep, value = arg.partition("=")
        if not sep or key not in FIELDS:
            print(f"{argv[0]}: expected FIELD=VALUE with FIELD one of {sorted(FIELDS)}: {arg}", file=sys.stderr)
            return 2
        fields[key] = value
    lines = [signal(fields)]
    try:
        answers = submit(argv[1], lines)
    except OSError as e:
        print(f"{argv[0]}: cannot submit to {argv[1]}: {e}", file=sys.stderr)
        return 2
    for answer in answers:
        print(answer)
    ok = len(answers) == len(lines) and all(a.startswith("ok ") for a in answers)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
