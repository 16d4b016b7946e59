# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Mutation testing: how many small bugs planted in the plugins do the unit tests notice? (docs/mutation_testing.md)

Runs mutmut 3 over plugins/module_utils/, plugins/modules/ and plugins/lookup/ with the unit tests under plain
pytest in a staged collection tree, then prints the score per file and every surviving mutant. Not part of
scripts/test: a full run takes tens of minutes. Works from a fresh clone: it sets up its own venv.

Usage: scripts/mutation [FILE|MUTANT_GLOB ...]
  FILE         a plugin file, e.g. plugins/module_utils/_client.py: mutate only that file
  MUTANT_GLOB  mutmut mutant names, e.g. '*_access_users.x_add_related__mutmut_*'
  default      every file
Environment: CF_MUTATION_JOBS (parallel mutants, default 2), CF_MUTATION_VENV (default .cache/mutation-venv),
  CF_MUTATION_DIR (the staged tree, default .cache/mutation; rebuilt on every run).
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from runner import dev_venv  # noqa: E402  pylint: disable=wrong-import-position
from runner.alone import NAME, NAMESPACE, ROOT, copy_work_tree  # noqa: E402  pylint: disable=wrong-import-position

VENV = os.environ.get("CF_MUTATION_VENV") or os.path.join(ROOT, ".cache", "mutation-venv")
STAGE = os.environ.get("CF_MUTATION_DIR") or os.path.join(ROOT, ".cache", "mutation")
JOBS = os.environ.get("CF_MUTATION_JOBS", "2")
PACKAGE = "ansible_collections/%s/%s" % (NAMESPACE, NAME)
LEFT_OUT = (
    # The generated-input properties run 2 x 1,000 module runs (about a minute): every mutant of a function they
    # touch would run them again. They stay in scripts/test.
    "tests/unit/plugins/modules/cf_access_user_info/test_user_info_bad_input_properties.py",
    # The runner's tests run scripts/test and nox (tests/runner, not the plugins mutmut mutates); they need .venv,
    # which a fresh clone does not have.
    "tests/unit/repository/test_runner.py",
)
KILLED = ("killed", "timeout", "caught by type check")


def stage_tree():
    """A fresh tree: STAGE/ansible_collections/<ns>/<name> holds the work tree's files (as git sees them), and
    STAGE/setup.cfg tells mutmut what to mutate and how to run the tests."""
    shutil.rmtree(STAGE, ignore_errors=True)
    collection = os.path.join(STAGE, PACKAGE)
    copy_work_tree(collection)
    mutated = [PACKAGE + "/plugins/" + folder for folder in ("module_utils", "modules", "lookup")
               if os.path.isdir(os.path.join(collection, "plugins", folder))]
    # mutmut copies the mutated directories into mutants/ itself; everything else the tests read is listed here.
    also_copy = [os.path.relpath(path, STAGE) for path in sorted(pathlib.Path(collection).glob("*"))
                 + sorted(pathlib.Path(collection, "plugins").glob("*"))]
    also_copy = [path for path in also_copy if path not in mutated and path != PACKAGE + "/plugins"]
    lines = ["[mutmut]", "source_paths ="] + ["    " + path for path in mutated]
    lines += ["also_copy ="] + ["    " + path for path in also_copy]
    lines += ["pytest_add_cli_args =", "    -p", "    no:cacheprovider"]
    lines += ["    --ignore=%s/%s" % (PACKAGE, path) for path in LEFT_OUT]
    lines += ["pytest_add_cli_args_test_selection =", "    %s/tests/unit" % PACKAGE]
    with open(os.path.join(STAGE, "setup.cfg"), "w") as handle:
        handle.write("\n".join(lines) + "\n")


def mutant_globs(arguments):
    """FILE arguments become the glob of that file's mutant names; anything else is passed on as a glob."""
    return ["%s.%s.*" % (PACKAGE.replace("/", "."), argument[:-3].replace("/", "."))
            if os.path.isfile(os.path.join(ROOT, argument)) else argument for argument in arguments]


def report():
    """Killed / checked per file and overall, then the survivors with their diffs."""
    from mutmut.__main__ import status_by_exit_code  # pylint: disable=import-outside-toplevel,import-error
    rows, survivors = [], []
    for meta in sorted(pathlib.Path("mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        statuses = {key: status_by_exit_code[code] for key, code in codes.items()}
        checked = [status for status in statuses.values() if status != "not checked"]
        if checked:
            name = str(meta.relative_to("mutants"))[len(PACKAGE) + 1:-len(".meta")]
            rows.append((name, sum(status in KILLED for status in checked), len(checked)))
            survivors += [(key, status) for key, status in statuses.items() if status not in KILLED + ("not checked",)]
    print("\nmutation score (killed / checked mutants):")
    total = ("all", sum(row[1] for row in rows), sum(row[2] for row in rows))
    for name, killed, checked in rows + ([total] if total[2] else []):
        print("  %-45s %4d / %4d  %5.1f%%" % (name, killed, checked, 100.0 * killed / checked))
    print("\nsurviving mutants: %d" % len(survivors))
    for key, status in survivors:
        print("  %s: %s" % (key, status))
    if survivors:
        print("\n==> Diffs of the surviving mutants", flush=True)
    for key, _status in survivors:
        shown = subprocess.run(["mutmut", "show", key], capture_output=True, text=True, check=False).stdout
        print("".join("    " + line for line in shown.splitlines(True)), flush=True)


def main(arguments):
    if any(argument in ("-h", "--help") for argument in arguments):
        print(__doc__)
        return 0
    python = dev_venv.ensure(VENV, os.path.join(ROOT, "scripts", "mutation-requirements.txt"))
    if os.path.realpath(sys.prefix) != os.path.realpath(VENV):  # again, in the venv: report() imports mutmut
        os.execv(python, [python, os.path.abspath(__file__)] + arguments)
    # Credentials of the person running it must not reach the tests (they use the local API).
    for name in ("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_TOKEN", "CLOUDFLARE_EMAIL", "CLOUDFLARE_API_KEY",
                 "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_BASE_URL"):
        os.environ.pop(name, None)
    os.environ.update(PATH=os.path.dirname(python) + os.pathsep + os.environ["PATH"], ANSIBLE_NOCOLOR="1", NO_COLOR="1",
                      PY_COLORS="0")
    stage_tree()
    os.chdir(STAGE)
    print("\n==> mutmut run in %s (%s at a time, nice)" % (STAGE, JOBS), flush=True)
    status = subprocess.run(["nice", "-n", "10", "mutmut", "run", "--max-children", JOBS] + mutant_globs(arguments),
                            check=False).returncode
    report()
    # mutmut exits non-zero only when it could not run (bad mutant name, failing clean test), never for survivors:
    # the run fails then, after the report of whatever was checked.
    if status:
        print("\n==> mutmut failed with status %d: the score above is incomplete" % status, flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
