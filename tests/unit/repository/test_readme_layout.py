# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's layout table matches the tree: every path it names exists, and every plugin file, test helper,
part of the local API and script is named in it."""

from __future__ import annotations

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
PLUGIN_DIRS = ("modules", "lookup", "module_utils", "plugin_utils")
CODE = re.compile(r"`([^`]+)`")


def layout_rows():
    """(first column's paths, whole row text) of each row of the README's "Layout" table."""
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = line.split(" | ")
        if line.startswith("| `") and len(cells) >= 2:
            rows.append((CODE.findall(cells[0]), line))
    return rows


def named_paths():
    return {path.rstrip("/") for paths, _row in layout_rows() for path in paths}


def row_naming(path):
    return next(row for paths, row in layout_rows() if path in paths)


def test_every_path_of_the_layout_table_exists():
    assert layout_rows(), "the README has no layout table"
    assert [path for path in sorted(named_paths()) if not (ROOT / path).exists()] == []


@pytest.mark.parametrize("directory", PLUGIN_DIRS)
def test_every_plugin_file_has_a_row_of_its_own(directory):
    files = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "plugins" / directory).glob("*.py")
                   if path.name != "__init__.py")
    assert files
    assert [path for path in files if path not in named_paths()] == []


def test_every_test_helper_is_named():
    table = "\n".join(row for _paths, row in layout_rows())
    entries = sorted(path.name for path in (ROOT / "tests" / "support").iterdir()
                     if path.name not in ("__init__.py", "__pycache__"))
    assert entries
    assert [name for name in entries if "`%s" % name not in table and "/%s`" % name not in table
            and "/%s/`" % name not in table] == []


def test_every_part_of_the_local_api_is_named_in_its_row():
    row = row_naming("tests/support/local_api/")
    modules = sorted(path.name for path in (ROOT / "tests" / "support" / "local_api").glob("*.py")
                     if path.name not in ("__init__.py", "__main__.py"))
    assert [name for name in modules if "`%s`" % name not in row] == []


def test_every_script_is_named_in_its_row():
    row = row_naming("scripts/")
    scripts = sorted(path.name for path in (ROOT / "scripts").iterdir()
                     if path.is_file() and path.stat().st_mode & 0o111)
    assert scripts
    assert [name for name in scripts if "`%s`" % name not in row] == []
