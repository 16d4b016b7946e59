# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""scripts/test's command line: --help lists every check from its one table, a wrong name fails cleanly."""

from __future__ import annotations

import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "test"


def run(*args):
    return subprocess.run(["bash", str(SCRIPT)] + list(args), capture_output=True, text=True, timeout=60, check=False)


def table_names():
    """The names of CHECK_TABLE, read from the script's text."""
    table = re.search(r"^CHECK_TABLE=\((.*?)^\)", SCRIPT.read_text(), re.S | re.M).group(1)
    return re.findall(r'^\s+"([^|"]+)\|', table, re.M)


def default_checks():
    block = re.search(r"^DEFAULT_CHECKS=\((.*?)^\)", SCRIPT.read_text(), re.S | re.M).group(1)
    return block.split()


def test_help_lists_every_check_of_the_table_with_what_it_runs_and_how_long():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    rows = re.findall(r"^  (\S+) +(\d[\d.]* (?:s|min)) +(\S.*)$", result.stdout, re.M)
    assert [name for name, _time, _what in rows] == table_names()
    assert len(rows) >= 11
    assert "about 30 minutes" in result.stdout
    assert "scripts/test units@2.19 lint" in result.stdout


def test_every_check_of_the_full_run_has_a_row_and_every_row_a_function():
    names = set(table_names())
    assert {re.sub(r"@.*", "@CORE", check) if "@" in check else check for check in default_checks()} <= names
    functions = set(re.findall(r"^check_([\w-]+)\(\)", SCRIPT.read_text(), re.M))
    assert {name.replace("@CORE", "") for name in names} <= functions


def test_a_mistyped_check_fails_with_exit_2_naming_the_checks():
    result = run("lnt")
    assert result.returncode == 2
    assert "command not found" not in result.stderr
    assert "unknown check 'lnt'; the checks are: sanity[@CORE] units[@CORE] integration[@CORE] molecule lint" in result.stderr
    assert result.stdout == ""


def test_an_unknown_option_fails_like_an_unknown_check():
    result = run("--hepl")
    assert result.returncode == 2
    assert "unknown check '--hepl'" in result.stderr


def test_a_release_outside_the_matrix_or_on_a_check_without_one_is_refused():
    assert "ansible-core '2.99' is not in the matrix; use one of 2.16 2.17 2.18 2.19 2.20 2.21" in run("sanity@2.99").stderr
    assert run("sanity@2.99").returncode == 2
    assert run("lint@2.19").returncode == 2
