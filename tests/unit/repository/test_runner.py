# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The test runner: noxfile.py's sessions are the checks, each with what it runs; scripts/test lists them in --help,
takes them by name (and by the older NAME@RELEASE) and refuses a wrong name cleanly; the full run schedules every
integration target; the local API of a check stops however the check ends; the runner is Python, its shell small."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))
from runner import cli, servers  # noqa: E402  pylint: disable=wrong-import-position

ROOT = pathlib.Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "test"
RELEASES = ("2.16", "2.17", "2.18", "2.19", "2.20", "2.21")
# Every check of the full run: ansible-test's on each release (integration on the oldest and the newest, in two
# parts each), the others once, and the live tier against the local API (the real account's is skipped without one).
FULL_RUN = (["sanity-%s" % release for release in RELEASES] + ["units-%s" % release for release in RELEASES]
            + ["integration-%s-part%d" % (release, part) for release in ("2.16", "2.21") for part in (1, 2)]
            + ["molecule", "lint", "lint-as-user", "docs", "docsite",
               "changelog", "package", "report", "ee", "schema", "examples", "readme", "live", "live-local", "units-clock", "eda",
               "build-import-check", "extra-checks"])


@pytest.fixture(scope="module")
def dev_venv():
    """The virtual env with nox that runs the tests (.venv): beside this Python (plain pytest), or on PATH (ansible-test
    units, run by noxfile.py with .venv's tools on PATH)."""
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
        if name not in ("build-import-check", "extra-checks"):  # antsibull-nox's own sessions
            assert re.search(r"\((\d[\d.]* (?:s|min))\)$", what), "%s: %s says no time" % (name, what)
    assert re.search(r"the full run, about \d+ minutes on 2 cores", help_text)
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


def test_the_checks_run_by_hand_are_known_by_name(run):
    # integration on every release (all targets in one session) is not in the full run but is a check by name
    listed = run("no-such-check").stderr
    for release in RELEASES:
        assert " integration-%s " % release in listed


def test_a_check_is_refused_before_any_other_runs(run):
    result = run("changelog", "lnt")
    assert result.returncode == 2
    assert "Running session" not in result.stdout + result.stderr


def test_the_full_run_schedules_every_integration_target_once_in_its_parts(help_text):
    sessions = listed_sessions(help_text)
    targets = sorted(path.name for path in (ROOT / "tests" / "integration" / "targets").iterdir()
                     if not path.name.startswith("setup_")
                     and not {"hidden", "disabled", "unsupported"} & set((path / "aliases").read_text().split()))
    for release in ("2.16", "2.21"):
        parts = [sessions[name][2] for name in sessions if name.startswith("integration-%s-part" % release)]
        assert len(parts) == 2 and all(sessions["integration-%s-part%d" % (release, n)][0] for n in (1, 2))
        scheduled = sorted(target for what in parts for target in re.search(r": ([\w, ]+) \(", what).group(1).split(", "))
        assert scheduled == targets


def test_a_check_on_a_release_whose_python_is_missing_is_skipped_saying_so(dev_venv):
    result = subprocess.run([os.path.join(dev_venv, "bin", "nox"), "-f", str(ROOT / "noxfile.py"), "-s", "units-2.16",
                             "--force-python", "3.99"], capture_output=True, text=True, timeout=120, check=False,
                            env=dict(os.environ, CI="true"))  # a CI system too: nox would fail there by default
    assert result.returncode == 0, result.stderr
    assert "skipped: Python interpreter 3.99 not found" in result.stderr


def test_a_name_with_a_release_or_alone_means_a_session():
    assert cli.session_of("units@2.19") == "units-2.19"
    assert cli.session_of("sanity") == "sanity-2.16"
    assert cli.session_of("integration") == "integration-2.16"
    assert cli.session_of("lint") == "lint"


def test_the_closing_line_counts_the_sessions_of_nox_report(tmp_path):
    report = tmp_path / "report.json"
    report.write_text('{"sessions": [{"result": "success"}, {"result": "failed"}, {"result": "aborted"}, '
                      '{"result": "skipped"}, {"result": "success"}]}')
    assert cli.count(str(report)) == "checks: 2 passed, 2 failed, 1 skipped"
    assert cli.count(str(tmp_path / "none.json")) == ""


class FakeSession:
    def __init__(self):
        self.env = {}

    def log(self, text):
        pass


def test_the_local_api_of_a_check_writes_the_integration_config_and_stops_however_the_check_ends(tmp_path,
                                                                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tests" / "integration").mkdir(parents=True)
    (tmp_path / "tests" / "integration" / "integration_config.yml.template").write_text(
        (ROOT / "tests" / "integration" / "integration_config.yml.template").read_text())
    session = FakeSession()
    with pytest.raises(RuntimeError):
        with servers.local_cloudflare(session, users=3, integration_config=True) as api:
            config = (tmp_path / "tests" / "integration" / "integration_config.yml").read_text()
            assert 'cf_api_url: "%s"' % api.api_url in config
            assert 'cf_control_url: "%s/__fake__"' % api.url in config
            assert session.env["CF_API_URL"] == api.api_url
            host, port = api.server.server_address[:2]
            socket.create_connection((host, port), timeout=5).close()
            raise RuntimeError("the check failed")
    with pytest.raises(OSError):
        socket.create_connection((host, port), timeout=5).close()


def test_the_runner_is_python_and_its_shell_is_small():
    assert not (ROOT / "scripts" / "check").exists()
    plumbing = sum(len((ROOT / "scripts" / name).read_text().splitlines()) for name in ("test", "lib.sh"))
    assert plumbing <= 40
    shell = [path for path in (ROOT / "scripts").iterdir()
             if path.is_file() and path.read_text().startswith(("#!/usr/bin/env bash", "# shellcheck shell=bash"))]
    assert sum(len(path.read_text().splitlines()) for path in shell) <= 200


def test_the_live_session_without_an_account_is_skipped_naming_the_variables(dev_venv):
    environment = {name: value for name, value in os.environ.items() if not name.startswith("CLOUDFLARE_LIVE_")}
    result = subprocess.run([os.path.join(dev_venv, "bin", "nox"), "-f", str(ROOT / "noxfile.py"), "-s", "live"],
                            capture_output=True, text=True, timeout=120, check=False, env=environment)
    assert result.returncode == 0, result.stderr
    assert "Session live skipped: CLOUDFLARE_LIVE_API_TOKEN and CLOUDFLARE_LIVE_ACCOUNT_ID not set" in result.stderr
