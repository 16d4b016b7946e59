# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The test runner: noxfile.py's sessions are the checks, each with what it runs; scripts/test lists them in --help,
takes them by name (and by the older NAME@RELEASE) and refuses a wrong name cleanly."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "test"
RELEASES = ("2.16", "2.17", "2.18", "2.19", "2.20", "2.21")
# Every check of the full run: ansible-test's on each release (integration on the oldest and the newest), the
# others once, and the live tier against the local API (the real account's is skipped without one).
FULL_RUN = (["sanity-%s" % release for release in RELEASES] + ["units-%s" % release for release in RELEASES]
            + ["integration-2.16", "integration-2.21", "molecule", "lint", "lint-as-user", "docs", "docsite",
               "changelog", "package", "report", "ee", "schema", "examples", "readme", "live", "live-local", "units-clock", "eda",
               "build-import-check"])


@pytest.fixture(scope="module")
def dev_venv():
    """The virtual env with nox that runs the tests (.venv): beside this Python (plain pytest), or on PATH (ansible-test
    units, run by scripts/check with .venv's tools on PATH)."""
    nox = os.path.join(os.path.dirname(sys.executable), "nox")
    if not os.path.exists(nox):
        nox = shutil.which("nox")
    assert nox, "the runner's tests need .venv (requirements-dev.txt): run them with scripts/test or .venv/bin/python"
    return os.path.dirname(os.path.dirname(nox))


@pytest.fixture(scope="module")
def run(dev_venv):
    def run_script(*args):
        environment = dict(os.environ, CF_VENV=dev_venv)
        return subprocess.run(["bash", str(SCRIPT)] + list(args), capture_output=True, text=True, timeout=120,
                              check=False, env=environment)
    return run_script


@pytest.fixture(scope="module")
def help_text(run):
    result = run("--help")
    assert result.returncode == 0, result.stderr
    return result.stdout


def listed_sessions(text):
    """{name: (in the full run, tags, description)} of ``nox --list``'s lines."""
    rows = re.findall(r"^([*-]) (\S+)(?: \[([^]]*)\])?(?: -> (.*))?$", text, re.M)
    return {name: (marker == "*", tags.split(",") if tags else [], what) for marker, name, tags, what in rows}


def test_help_lists_every_check_with_what_it_runs_and_how_long(help_text):
    sessions = listed_sessions(help_text)
    assert sorted(name for name, (in_full_run, _tags, _what) in sessions.items() if in_full_run) == sorted(FULL_RUN)
    for name in FULL_RUN:
        what = sessions[name][2]
        assert what, "%s has no description" % name
        if name != "build-import-check":  # antsibull-nox's own session
            assert re.search(r"\((\d[\d.]* (?:s|min))\)$", what), "%s: %s says no time" % (name, what)
    assert "about 30 minutes" in help_text
    assert "scripts/test units-2.19 lint" in help_text


def test_each_check_on_a_release_names_its_release_and_python_and_has_its_tag(help_text):
    sessions = listed_sessions(help_text)
    for release in RELEASES:
        for check in ("sanity", "units", "integration"):
            _in_full_run, tags, what = sessions["%s-%s" % (check, release)]
            assert tags == [check, "ansible-test"]
            assert re.search(r"on ansible-core %s, Python 3\.1\d" % re.escape(release), what)
    assert sessions["live"][1] == sessions["live-local"][1] == ["live"]


def test_a_mistyped_check_fails_with_exit_2_naming_the_checks(run):
    result = run("lnt")
    assert result.returncode == 2
    assert "command not found" not in result.stderr
    assert "unknown check 'lnt'; the checks are: " in result.stderr
    named = set(result.stderr.split("the checks are: ")[1].split(" (")[0].split())
    assert set(FULL_RUN) <= named
    assert result.stdout == ""


def test_an_unknown_option_fails_like_an_unknown_check(run):
    result = run("--hepl")
    assert result.returncode == 2
    assert "unknown check '--hepl'" in result.stderr


def test_a_release_outside_the_matrix_or_on_a_check_without_one_is_refused(run):
    for wrong in ("sanity@2.99", "units-2.15", "lint@2.19"):
        result = run(wrong)
        assert result.returncode == 2, wrong
        assert "unknown check '%s'" % wrong in result.stderr


def test_a_check_is_refused_before_any_other_runs(run):
    result = run("changelog", "lnt")
    assert result.returncode == 2
    assert "Running session" not in result.stdout + result.stderr


def test_every_check_session_has_its_function_in_scripts_check(help_text):
    functions = set(re.findall(r"^check_([\w-]+)\(\)", (ROOT / "scripts" / "check").read_text(), re.M))
    checks = {re.sub(r"-2\.\d+$", "", name) for name in listed_sessions(help_text)}
    # live and live-local run tests/live/run; build-import-check and matrix-generator are antsibull-nox's.
    assert checks - {"live", "live-local", "build-import-check", "matrix-generator"} <= functions


def test_a_check_on_a_release_whose_python_is_missing_says_so():
    result = subprocess.run(["bash", str(ROOT / "scripts" / "check"), "--unavailable", "sanity", "2.99", "3.99"],
                            capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout == "it needs Python 3.99, which this machine lacks\n"


def test_the_live_session_without_an_account_is_skipped_naming_the_variables(dev_venv):
    environment = {name: value for name, value in os.environ.items() if not name.startswith("CLOUDFLARE_LIVE_")}
    result = subprocess.run([os.path.join(dev_venv, "bin", "nox"), "-f", str(ROOT / "noxfile.py"), "-s", "live"],
                            capture_output=True, text=True, timeout=120, check=False, env=environment)
    assert result.returncode == 0, result.stderr
    assert "Session live skipped: CLOUDFLARE_LIVE_API_TOKEN and CLOUDFLARE_LIVE_ACCOUNT_ID not set" in result.stderr
