# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""scripts/test's command line, run by the python of .venv once scripts/test has set it up: the checks by name, or
the full run, with nox; then one line, "checks: N passed, N failed, N skipped".

A CHECK is a session of noxfile.py (units-2.19); NAME@RELEASE is the same (units@2.19), and sanity, units or
integration alone means the oldest release (sanity-2.16). A wrong name fails at once, naming the right ones.
"""

from __future__ import annotations

import collections
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOX = [sys.executable, "-m", "nox", "--noxfile", os.path.join(ROOT, "noxfile.py")]
OLDEST = "2.16"  # the release of sanity, units and integration without one (scripts/test sanity)
# One more check than the machine has cores: each check waits part of its time (on the local API, a timeout, a retry
# delay, a Java start), and the one more keeps the cores busy meanwhile.
JOBS = os.environ.get("CF_TEST_JOBS") or str((os.cpu_count() or 2) + 1)
USAGE = """Usage: scripts/test [CHECK ...]

Without a CHECK: the full run, about 35 minutes on 2 cores: every check marked * below, each alone in a new
home directory and a fresh copy of the work tree, %(jobs)s at a time (CF_TEST_JOBS), as `nox --parallel %(jobs)s`;
nox's summary lists each one's result and time.
With CHECKs: only those, one after the other, as `nox -s CHECK ...`. A quick pair, a few minutes:
  scripts/test units-2.19 lint
A check on one ansible-core release is NAME-RELEASE (units-2.19; units@2.19 works too); sanity, units and
integration alone run on %(oldest)s. `nox -t sanity` runs a tag's sessions (sanity, units, integration, live).
"""


def session_names():
    """Every session of ``nox --list``: those of the full run (``*``) and those run by hand (``-``, integration-2.19:
    ``nox --list --json`` leaves these out)."""
    listed = subprocess.run(NOX + ["--list"], capture_output=True, text=True, check=True, cwd=ROOT)
    return re.findall(r"^[*-] (\S+)", listed.stdout, re.M)


def session_of(check):
    """The session a CHECK names: units@2.19 -> units-2.19, sanity -> sanity-2.16; others as they are."""
    if "@" in check:
        name, release = check.rsplit("@", 1)
        return "%s-%s" % (name, release)
    return "%s-%s" % (check, OLDEST) if check in ("sanity", "units", "integration") else check


def count(report):
    """"checks: N passed, N failed, N skipped" of nox's report of the run, or nothing when nox wrote none."""
    try:
        with open(report) as handle:
            sessions = json.load(handle)["sessions"]
    except (OSError, ValueError, KeyError):
        return ""  # nox ended before it wrote one (it said why)
    results = collections.Counter(session["result"] for session in sessions)
    return "checks: %d passed, %d failed, %d skipped" % (results["success"], results["failed"] + results["aborted"],
                                                         results["skipped"])


def main(arguments):
    posargs = arguments[arguments.index("--"):] if "--" in arguments else []  # for the sessions: nox -s live -- -vvv
    arguments = arguments[:len(arguments) - len(posargs)]
    if any(argument in ("-h", "--help") for argument in arguments):
        print(USAGE % {"jobs": JOBS, "oldest": OLDEST}, flush=True)
        return subprocess.run(NOX + ["--list"], check=False, cwd=ROOT).returncode
    known = session_names()
    sessions = []
    for check in arguments:
        if session_of(check) not in known:
            print("scripts/test: unknown check '%s'; the checks are: %s (scripts/test --help says what each runs)"
                  % (check, " ".join(known)), file=sys.stderr)
            return 2
        sessions.append(session_of(check))
    handle, report = tempfile.mkstemp(prefix="cf-zero-trust-nox.", suffix=".json")
    os.close(handle)
    try:
        chosen = ["--sessions"] + sessions if sessions else ["--parallel", JOBS]
        status = subprocess.run(NOX + chosen + ["--report", report] + posargs, check=False, cwd=ROOT).returncode
        print(count(report), flush=True)
    finally:
        os.remove(report)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
