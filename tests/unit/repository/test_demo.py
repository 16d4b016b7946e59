# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""scripts/demo and the README's description of it: every file the demo's playbooks write goes under .cache/demo/,
and the README describes every playbook run of the demo."""

from __future__ import annotations

import pathlib
import re
import shlex

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[3]
DEMO = ROOT / "scripts" / "demo"


def demo_runs():
    """``(playbook, arguments)`` of each ansible-playbook command of scripts/demo, in order."""
    text = DEMO.read_text(encoding="utf-8").replace("\\\n", " ")
    runs = []
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] == ["ansible-playbook"]:
            playbook = words[1].replace("$COLLECTION.", "")
            runs.append((playbook, words[2:]))
    return runs


def readme_demo_section():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Try it", 1)[1].split("The demo leaves ansible-core", 1)[0]


def rulebook_playbooks():
    """The shipped playbooks that the shipped rulebooks run (their check is scripts/test eda, not the demo)."""
    names = set()
    for rulebook in (ROOT / "extensions" / "eda" / "rulebooks").glob("*.yml"):
        for ruleset in yaml.safe_load(rulebook.read_text(encoding="utf-8")):
            for rule in ruleset["rules"]:
                playbook = rule["action"].get("run_playbook", {}).get("name", "")
                names.add(playbook.replace("cloudflare_community.zero_trust.", ""))
    return names


def test_the_demo_runs_every_shipped_playbook_but_those_of_the_rulebooks():
    shipped = sorted(path.stem for path in (ROOT / "playbooks").glob("*.yml"))
    assert rulebook_playbooks() and rulebook_playbooks() <= set(shipped)
    assert sorted({playbook for playbook, _arguments in demo_runs()}) == sorted(set(shipped) - rulebook_playbooks())


def test_every_file_the_demo_writes_goes_under_cache_demo():
    assert re.search(r"^reports=\$REPO_ROOT/\.cache/demo$", DEMO.read_text(encoding="utf-8"), re.M)
    for playbook, arguments in demo_runs():
        # Each shipped playbook writes into its report_dir (relative to the working directory when not given).
        assert "report_dir" in yaml.safe_load((ROOT / "playbooks" / (playbook + ".yml")).read_text())[0]["vars"]
        directories = [argument.split("=", 1)[1] for argument in arguments if argument.startswith("report_dir=")]
        assert directories == ["$reports/" + playbook], (playbook, arguments)


def test_the_readme_describes_every_playbook_run_of_the_demo():
    section = readme_demo_section()
    assert "scripts/demo" in section and ".cache/demo/" in section
    steps = re.findall(r"^\d+\. (.*?)(?=^\d+\. |^It ends|\Z)", section, re.M | re.S)
    words = {"seat_report": "seat report playbook", "reclaim_seats": "seat reclamation playbook",
             "offboard": "offboarding playbook"}
    in_order = list(dict.fromkeys(name for name, _arguments in demo_runs()))
    assert [next((name for name in words if words[name] in step), None) for step in steps] == in_order
    for playbook in in_order:
        runs = [arguments for name, arguments in demo_runs() if name == playbook]
        step = steps[in_order.index(playbook)]
        assert ".cache/demo/%s/" % playbook in step
        if len(runs) > 1:
            assert {1: "once", 2: "twice", 3: "three times"}[len(runs)] in step or "then" in step, playbook
        for arguments in runs:
            if "--check" in arguments:
                assert "`--check" in step, playbook
