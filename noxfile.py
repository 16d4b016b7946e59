# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# /// script
# dependencies = ["nox>=2026.10.20", "antsibull-nox==1.*"]
# ///
"""Every check of the collection as a nox session: ``nox -l`` lists them, ``nox -s NAME`` runs one.

scripts/test, the README's command, sets up .venv (requirements-dev.txt, nox in it) and runs the sessions marked
``*`` in ``nox -l`` one more at a time than the machine has cores (``nox --parallel 3`` on 2). Each session says here what it runs; each runs alone, in a
home directory of its own, on a fresh copy of the work tree (tests/runner/alone.py), and starts the local API or
Prism as a context manager (tests/runner/servers.py). The checks on one ansible-core release run in a nox venv
with that release; the others with the tools of the venv nox runs in (.venv). Checks longer than a few calls are
in tests/runner/checks.py. antsibull-nox adds build-import-check and extra-checks (antsibull-nox.toml; docs/testing.md
says why its other sessions do not fit).
"""

from __future__ import annotations

import os
import sys

import antsibull_nox
import nox

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from runner import checks, servers, live as live_tier  # noqa: E402  pylint: disable=wrong-import-position
from runner.alone import alone, install_get_pip_stand_in, put_real_interpreters_first  # noqa: E402  pylint: disable=wrong-import-position

# ansible-core release -> the Python its checks run on: up to 2.19 Python 3.11; 2.20 and 2.21 need 3.12 and 3.13.
# Where that Python is missing, nox skips the release's checks, saying so.
CORE_PYTHON = {"2.16": "3.11", "2.17": "3.11", "2.18": "3.11", "2.19": "3.11", "2.20": "3.12", "2.21": "3.13"}
OLDEST, NEWEST = "2.16", "2.21"
INTEGRATION_PARTS = 2  # the full run splits integration on OLDEST and NEWEST into this many sessions
TARGETS = os.path.join(ROOT, "tests", "integration", "targets")
# The real account of the live sessions (tests/live/run); CLOUDFLARE_LIVE_API_URL is optional.
LIVE_VARIABLES = ("CLOUDFLARE_LIVE_API_TOKEN", "CLOUDFLARE_LIVE_ACCOUNT_ID")
# Credentials of the person running the tests must not reach the tests: the checks use the local API, the live
# sessions the CLOUDFLARE_LIVE_* variables only.
for personal in ("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_TOKEN", "CLOUDFLARE_EMAIL", "CLOUDFLARE_API_KEY",
                 "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_BASE_URL"):
    os.environ.pop(personal, None)
put_real_interpreters_first(sorted(set(CORE_PYTHON.values())))  # pyenv's shims fail unless selected

nox.options.envdir = os.path.join(ROOT, ".cache", "nox")  # ignored by git, ansible-test and the tarball
nox.options.reuse_venv = "yes"  # each release's venv: set up once, then reused by later runs
nox.options.allow_parallel = True  # every session stages its own copy and home: any two can run at once
nox.options.error_on_missing_interpreters = False  # a release whose Python is missing is skipped, saying so
nox.options.download_python = "never"  # this machine reaches package registries only
antsibull_nox.load_antsibull_nox_toml()
# The tools of the venv nox runs in (.venv: ansible-core 2.19 and every other tool) first on PATH, for the sessions
# without a venv of their own; a session with one has its own first.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]


# --- ansible-test on each ansible-core release -------------------------------------------------------------------
def integration_targets():
    """{target: weight} of the targets ansible-test runs: every folder of tests/integration/targets but the setup
    targets and those marked hidden, disabled or unsupported; the weight (its size) is a rough measure of its time."""
    targets = {}
    for name in sorted(os.listdir(TARGETS)):
        with open(os.path.join(TARGETS, name, "aliases")) as handle:
            aliases = set(handle.read().split())
        if name.startswith("setup_") or aliases & {"hidden", "disabled", "unsupported"}:
            continue
        targets[name] = sum(os.path.getsize(os.path.join(folder, file))
                            for folder, _dirs, files in os.walk(os.path.join(TARGETS, name)) for file in files)
    return targets


def integration_parts(count):
    """The targets in ``count`` groups of about equal weight, the heaviest placed first."""
    parts = [[] for number in range(count)]
    weights = integration_targets()
    for target in sorted(weights, key=lambda name: -weights[name]):
        min(parts, key=lambda part: sum(weights[name] for name in part)).append(target)
    return [sorted(part) for part in parts]


def ansible_test(release, command, *arguments):
    """A session that runs ``ansible-test COMMAND`` of ansible-core ``release`` on the staged copy; integration
    against the local API (2,500 users: three pages)."""
    python = CORE_PYTHON[release]

    def run(session):
        session.install("ansible-core==%s.*" % release, "cryptography<51")
        with alone(session) as stage:
            install_get_pip_stand_in(session, stage.home)
            test = ["ansible-test", command, "--venv", "--python", python, "--color", "no", *arguments, *session.posargs]
            if command == "integration":
                with servers.local_cloudflare(session, users=2500, integration_config=True):
                    session.run(*test)
            else:
                session.run(*test)
    return run


def add_ansible_test(name, release, description, command, *arguments, default=True, tags=()):
    function = ansible_test(release, command, *arguments)
    function.__doc__ = description
    nox.session(name=name, python=CORE_PYTHON[release], default=default, tags=list(tags))(function)


# The full run takes the sessions in this order, a few at a time: the longest first, so that none ends it alone.
TOTAL_WEIGHT = sum(integration_targets().values())
for core in (OLDEST, NEWEST):
    for number, targets in enumerate(integration_parts(INTEGRATION_PARTS), 1):
        minutes = 1 + 9.0 * sum(integration_targets()[name] for name in targets) / TOTAL_WEIGHT
        add_ansible_test("integration-%s-part%d" % (core, number), core,
                         "ansible-test integration on ansible-core %s, Python %s against the local API, part %d of %d: "
                         "%s (%d min)" % (core, CORE_PYTHON[core], number, INTEGRATION_PARTS, ", ".join(targets),
                                          round(minutes)), "integration", *targets, tags=["ansible-test"])
for core, interpreter in CORE_PYTHON.items():
    add_ansible_test("integration-%s" % core, core,
                     "ansible-test integration on ansible-core %s, Python %s against the local API: every target, the "
                     "fault matrix, the -vvvv leak checks (9 min)" % (core, interpreter), "integration",
                     default=False, tags=["integration", "ansible-test"])
for core, interpreter in CORE_PYTHON.items():
    add_ansible_test("sanity-%s" % core, core, "ansible-test sanity on ansible-core %s, Python %s, with no ignore "
                     "entries (2 min)" % (core, interpreter), "sanity", tags=["sanity", "ansible-test"])
    add_ansible_test("units-%s" % core, core, "ansible-test units (tests/unit) on ansible-core %s, Python %s (2 min)"
                     % (core, interpreter), "units", tags=["units", "ansible-test"])


# --- the checks with the tools of .venv -----------------------------------------------------------------------------
def check(description=None, unavailable=None):
    """Register ``function(session[, stage])`` as a session without a venv of its own, alone, with the tools of
    .venv, described by ``description`` or its docstring; ``unavailable()`` says why it cannot run on this machine
    (the session is skipped), or nothing."""
    def register(function):
        def run(session):
            reason = unavailable() if unavailable else ""
            if reason:
                session.skip(reason)
            with alone(session) as stage:
                if function.__code__.co_argcount == 2:
                    function(session, stage)
                else:
                    function(session)
        run.__doc__ = description or function.__doc__
        return nox.session(name=function.__name__.replace("_", "-"), python=False)(run)
    return register


@check()
def examples(session):
    """every example of the docs (plugins' EXAMPLES, README and user guide playbooks) against the local API (2 min)"""
    session.run("python", "tests/support/doc_examples.py")


@check()
def molecule(session):
    """the molecule scenarios (extensions/molecule) against the local API, idempotence included (1 min)"""
    with servers.local_cloudflare(session, users=2500, integration_config=True):
        session.run("molecule", "test", "--all")


@check()
def eda(session):
    """the shipped rulebook run by the real ansible-rulebook (Java 17) against the local API (1 min)"""
    session.run("python", "tests/eda/rulebook_check.py", env={"CF_EDA_VENV": os.path.join(ROOT, ".cache", "eda", "venv")})


# The checks of tests/runner/checks.py, longest first, each with what nox -l says of it.
check("the unit tests (plain pytest) with the wall clock a year ahead, on a leap day, on New Year's Eve, ticking "
      "(2 min)")(checks.units_clock)
check("Prism: every kind of request the collection sends is valid for Cloudflare's OpenAPI schema (npm) (1 min)",
      unavailable=checks.schema_unavailable)(checks.schema)
check("ansible-lint --strict as a user runs it: the shipped and the docs' playbooks, outside the repository "
      "(40 s)")(checks.lint_as_user)
check("the seat report's page in a real headless Chromium (renders, sorts, fetches nothing), its CSV file "
      "(20 s)")(checks.report)
check("antsibull-docs lint of every plugin's documentation; ansible-doc renders each plugin (10 s)")(checks.docs)
check("antsibull-changelog lint; changelog.yaml holds galaxy.yml's version; CHANGELOG.md is what it generates "
      "(5 s)")(checks.changelog)
check("ansible-galaxy build: the tarball holds no tests, tooling or credentials, installs, runs the seat report "
      "(5 s)")(checks.package)
check("ansible-builder: introspect the Python dependency and write an execution environment context (5 s)")(checks.ee)
check("the README's commands that need no network or account, after scripts/demo's install step (5 s)")(checks.readme)


@check()
def lint(session, stage):
    """ansible-lint, production profile (20 s)"""
    # A private ANSIBLE_HOME: ansible-lint also resolves modules from ~/.ansible/collections, where another install
    # of this collection (an older one, say) would shadow the staged copy under test.
    session.run("ansible-lint", "--offline", "--profile", "production", env={"ANSIBLE_HOME": stage.path("ansible_home")})


@check()
def docsite(session, stage):
    """the HTML documentation site (scripts/docsite), warnings as errors (10 s)"""
    session.run(os.path.join(ROOT, "scripts", "docsite"), stage.path("docsite"))


# --- the live tier ----------------------------------------------------------------------------------------------------
@nox.session(python=False, tags=["live"])
def live(session):
    """the live tier (tests/live/run) on the real account of CLOUDFLARE_LIVE_*; skipped without one (1 min)"""
    missing = [name for name in LIVE_VARIABLES if not os.environ.get(name)]
    if missing:
        session.skip("%s not set: the live tier needs a real account (docs/live_tests.md)" % " and ".join(missing))
    with alone(session, secrets=True) as stage:
        live_tier.run(session, stage, options=session.posargs)


@nox.session(name="live-local", python=False, tags=["live"])
def live_local(session):
    """the live tier against the local API (tests/live/run --local): it works before a real account (30 s)"""
    with alone(session, secrets=True) as stage:
        live_tier.run(session, stage, local=True, options=session.posargs)


if __name__ == "__main__":
    nox.main()
