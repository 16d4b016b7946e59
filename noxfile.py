# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# /// script
# dependencies = ["nox>=2026.10.20", "antsibull-nox==1.*"]
# ///
"""Every check of the collection as a nox session: ``nox -l`` lists them, ``nox -s NAME`` runs one.

scripts/test, the README's command, sets up .venv (requirements-dev.txt, nox in it) and runs the sessions marked
``*`` in ``nox -l`` two at a time: ``nox --parallel 2``. Each check runs alone in a new home directory:
scripts/check, which holds what each one runs, copies the work tree afresh and starts the local API where needed.
antsibull-nox adds build-import-check (antsibull-nox.toml); docs/testing.md says why its other sessions do not fit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import antsibull_nox
import nox

ROOT = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(ROOT, "scripts", "check")
LIVE = os.path.join(ROOT, "tests", "live", "run")
REAL_HOME = os.path.expanduser("~")

# ansible-core release -> the Python its checks run on: up to 2.19 Python 3.11 (that of .venv); 2.20 and 2.21
# need 3.12 and 3.13, and their checks are skipped, saying so, where that Python is missing.
CORE_PYTHON = {"2.16": "3.11", "2.17": "3.11", "2.18": "3.11", "2.19": "3.11", "2.20": "3.12", "2.21": "3.13"}
OLDEST, NEWEST = "2.16", "2.21"
# The real account of the live sessions (tests/live/run); CLOUDFLARE_LIVE_API_URL is optional.
LIVE_VARIABLES = ("CLOUDFLARE_LIVE_API_TOKEN", "CLOUDFLARE_LIVE_ACCOUNT_ID")
# Credentials of the person running the tests must not reach the tests: the checks use the local API, the live
# sessions the CLOUDFLARE_LIVE_* variables only.
for personal in ("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_TOKEN", "CLOUDFLARE_EMAIL", "CLOUDFLARE_API_KEY",
                 "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_BASE_URL"):
    os.environ.pop(personal, None)

nox.options.envdir = os.path.join(ROOT, ".cache", "nox")  # ignored by git, ansible-test and the tarball
nox.options.reuse_venv = "yes"  # build-import-check's virtual env: set up once, not every run
nox.options.allow_parallel = True  # every session stages its own copy and home: any two can run at once
antsibull_nox.load_antsibull_nox_toml()


def in_a_new_home(session):
    """Give the session a home directory of its own, as on a fresh machine, keeping only the download caches of
    pip and npm (so that each check does not download again). Returns it, for the caller to remove."""
    home = tempfile.mkdtemp(prefix="cf-zero-trust-home.")
    session.env["HOME"] = home
    session.env["PIP_CACHE_DIR"] = os.environ.get("PIP_CACHE_DIR", os.path.join(REAL_HOME, ".cache", "pip"))
    session.env["npm_config_cache"] = os.environ.get("npm_config_cache", os.path.join(REAL_HOME, ".npm"))
    return home


def run_alone(session, *command):
    """Run ``command`` in a new home directory, removed afterwards."""
    home = in_a_new_home(session)
    try:
        session.run(*command, external=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def unavailable(*check):
    """Why the check cannot run on this machine (a missing Python or npm, say), or an empty string."""
    result = subprocess.run([CHECK, "--unavailable", *check], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def add_check(name, description, core=None, default=True, tags=()):
    """Register the session NAME (NAME-CORE on one ansible-core release) that runs ``scripts/check``."""
    check = (name, core, CORE_PYTHON[core]) if core else (name,)

    def run_check(session):
        reason = unavailable(*check)
        if reason:
            session.skip(reason)
        run_alone(session, CHECK, *check)

    run_check.__doc__ = description
    nox.session(name="%s-%s" % (name, core) if core else name, python=False, default=default, tags=list(tags))(
        run_check)


# The full run takes the sessions in this order, two at a time: the longest first, so that none ends it alone.
for release, python in CORE_PYTHON.items():
    # Integration runs on the oldest and the newest release in the full run.
    add_check("integration", "ansible-test integration on ansible-core %s, Python %s against the local API: every "
              "target, the fault matrix, the -vvvv leak checks (10 min)" % (release, python),
              core=release, default=release in (OLDEST, NEWEST), tags=["integration", "ansible-test"])
for release, python in CORE_PYTHON.items():
    add_check("sanity", "ansible-test sanity on ansible-core %s, Python %s, with no ignore entries (3 min)"
              % (release, python), core=release, tags=["sanity", "ansible-test"])
    add_check("units", "ansible-test units (tests/unit) on ansible-core %s, Python %s (2 min)" % (release, python),
              core=release, tags=["units", "ansible-test"])

add_check("units-clock", "the unit tests (plain pytest) with the wall clock moved a year ahead, to a leap day and "
          "to New Year's Eve, ticking (tests/support/clock_travel.py) (4 min)")
add_check("molecule", "the molecule scenarios (extensions/molecule), idempotence included (1.5 min)")
add_check("lint", "ansible-lint, production profile (40 s)")
add_check("lint-as-user", "ansible-lint --strict as a user runs it: the shipped and the docs' playbooks, outside "
          "the repository (1 min)")
add_check("docs", "antsibull-docs lint of every plugin's documentation; ansible-doc renders each plugin (30 s)")
add_check("docsite", "the HTML documentation site (scripts/docsite), warnings as errors (20 s)")
add_check("changelog", "antsibull-changelog lint; changelog.yaml holds galaxy.yml's version; CHANGELOG.md is what "
          "it generates (10 s)")
add_check("package", "ansible-galaxy build: the tarball holds no tests, tooling or credentials, installs, and runs "
          "the seat report (10 s)")
add_check("report", "the seat report's HTML page in a real headless Chromium (it renders, sorts, fetches nothing) "
          "and its CSV file against the local API (30 s)")
add_check("ee", "ansible-builder: introspect the Python dependency and write an execution environment context (10 s)")
add_check("schema", "Prism: every kind of request the collection sends is valid for Cloudflare's OpenAPI schema "
          "(needs npm) (1 min)")
add_check("examples", "every example of the docs (plugins' EXAMPLES, README and user guide playbooks) against the "
          "local API (1.5 min)")
add_check("eda", "the shipped rulebook run by the real ansible-rulebook (Java 17) against the local API (1 min)")
add_check("readme", "the README's commands that need no network or account, after scripts/demo's install step (10 s)")


@nox.session(python=False, tags=["live"])
def live(session):
    """the live tier (tests/live/run) on the real account of CLOUDFLARE_LIVE_*; skipped without one (1 min)"""
    missing = [name for name in LIVE_VARIABLES if not os.environ.get(name)]
    if missing:
        session.skip("%s not set: the live tier needs a real account (docs/live_tests.md)" % " and ".join(missing))
    run_alone(session, LIVE, *session.posargs)


@nox.session(name="live-local", python=False, tags=["live"])
def live_local(session):
    """the live tier against the local API (tests/live/run --local): it works before it meets a real account (1 min)"""
    run_alone(session, LIVE, "--local", *session.posargs)


if __name__ == "__main__":
    nox.main()
