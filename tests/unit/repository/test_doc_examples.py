# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The docs' examples runner (scripts/test examples, readme) finds every example and command it must run."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from ansible_collections.cloudflare_community.zero_trust.tests.support import doc_examples
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

ROOT = doc_examples.ROOT
PLUGIN_FILES = sorted(
    os.path.join("plugins", plugin_type, name)
    for plugin_type in os.listdir(os.path.join(ROOT, "plugins"))
    if plugin_type not in doc_examples.PLUGIN_TYPES_WITHOUT_DOCS and os.path.isdir(os.path.join(ROOT, "plugins", plugin_type))
    for name in os.listdir(os.path.join(ROOT, "plugins", plugin_type)) if name.endswith(".py") and name != "__init__.py")


def examples_by_label():
    return {example.label: example for example in doc_examples.all_examples()}


def test_every_plugin_has_an_examples_block_that_runs_as_a_playbook():
    examples = examples_by_label()
    assert len(PLUGIN_FILES) >= 4
    for path in PLUGIN_FILES:
        example = examples["%s EXAMPLES" % path]
        assert example.plays and example.plays[0]["hosts"] == "localhost" and example.plays[0]["tasks"], path


def test_every_yaml_block_of_the_readme_and_the_user_guide_is_a_playbook():
    """None escapes the run by its shape: only the AWX page has YAML that is not a playbook, and the user guide
    a rulebook and a decision environment's definition."""
    snippets = doc_examples.doc_snippets()
    by_file = {}
    for snippet in snippets:
        by_file.setdefault(snippet.label.split(":")[0], []).append(snippet)
    assert len(by_file["README.md"]) >= 2 and len(by_file[os.path.join("docs", "docsite", "rst", "user_guide.rst")]) >= 10
    not_playbooks = [snippet for snippet in snippets if snippet.plays is None]
    assert not_playbooks and all("awx.rst" in snippet.label or is_rulebook(snippet) or is_builder_definition(snippet)
                                 for snippet in not_playbooks)
    assert any(is_rulebook(snippet) for snippet in not_playbooks)


def is_rulebook(snippet):
    data = yaml.safe_load(snippet.text)
    return isinstance(data, list) and all({"hosts", "sources", "rules"} <= set(rule_set) for rule_set in data)


def is_builder_definition(snippet):
    data = yaml.safe_load(snippet.text)
    return isinstance(data, dict) and data.get("version") == 3 and "dependencies" in data


def test_the_rst_blocks_are_read_whole_and_dedented():
    text = ("Intro:\n\n.. code-block:: yaml+jinja\n\n    - name: One\n      ansible.builtin.debug:\n\n"
            "    - name: Two\n      ansible.builtin.debug:\n\nAfter.\n\n.. code-block:: console\n\n    $ ls\n")
    assert doc_examples._rst_yaml(text) == [(3, "- name: One\n  ansible.builtin.debug:\n\n- name: Two\n  ansible.builtin.debug:\n")]


def test_a_play_snippet_runs_as_it_is_and_tasks_run_in_a_play_on_localhost():
    play = [{"name": "P", "hosts": "localhost", "tasks": []}]
    assert doc_examples.as_plays(play) is play
    assert doc_examples.as_plays([{"name": "T", "ansible.builtin.debug": None}])[0]["hosts"] == "localhost"
    assert doc_examples.as_plays({"version": 3}) is None
    with pytest.raises(ValueError, match="mixes plays and tasks"):
        doc_examples.as_plays(play + [{"name": "T", "ansible.builtin.debug": None}])


def test_tasks_with_the_global_api_key_run_on_their_own_with_its_environment():
    example = examples_by_label()["plugins/modules/cf_access_user_info.py EXAMPLES"]
    runs = doc_examples.runs(example)
    assert [global_key for global_key, _plays in runs] == [False, True, False]
    legacy_tasks = [task["name"] for task in runs[1][1][0]["tasks"]]
    assert legacy_tasks == ["Read a user with the legacy global API key instead of a token"]
    assert sum(len(plays[0]["tasks"]) for _key, plays in runs) == len(example.plays[0]["tasks"])


def test_the_readers_variables_name_users_of_the_local_api():
    emails = {user["email"] for user in seeded.users(25)}
    variables = doc_examples.READER_VARIABLES
    assert set(variables["team_emails"]) <= emails and set(variables["leavers"]) <= emails
    assert variables["cloudflare_account_id"] == local_api.ACCOUNT_ID


def test_the_emails_of_the_examples_that_read_users_are_sample_users_or_new_ones():
    """An example that names a user who is neither a sample user nor created or missing on purpose reads as a typo."""
    emails = {user["email"] for user in seeded.users(25)}
    on_purpose = {"ada@example.com", "grace@example.com", "alan@example.com", "gone@example.com", "admin@example.com"}
    named = set()
    for example in doc_examples.all_examples():
        named.update(re.findall(r"[\w.+-]+@example\.com", example.text))
    assert named - emails - on_purpose == set()


def test_the_readme_block_after_the_demo_runs_offline_with_ansible_doc():
    blocks = doc_examples.readme_shell_blocks()
    offline = [commands for _line, commands, runs_offline in blocks if runs_offline]
    assert offline and offline[0][:2] == ["source .venv/bin/activate", "export ANSIBLE_COLLECTIONS_PATH=$PWD/.cache/collections"]
    assert len([command for command in offline[0] if command.startswith("ansible-doc ")]) >= 2
    not_run = [commands[0] for _line, commands, runs_offline in blocks if not runs_offline]
    assert "scripts/demo" in not_run and "scripts/test" in not_run


def test_every_ansible_doc_command_of_the_readme_is_in_a_block_that_runs():
    for _line, commands, runs_offline in doc_examples.readme_shell_blocks():
        assert runs_offline or not any(command.startswith("ansible-doc") for command in commands)


# --- the examples as playbook files (scripts/test lint-as-user) -------------------------------------------------
def test_every_example_that_is_a_playbook_is_written_as_a_file_a_linter_reads_as_the_same_plays():
    examples = [example for example in doc_examples.all_examples() if example.plays is not None]
    files = doc_examples.playbook_files(examples)
    assert len(files) == len(examples) and len({name for name, _text in files}) == len(files)
    for (name, text), example in zip(files, examples):
        plays = yaml.safe_load(text)
        assert text.startswith("---\n"), name
        if plays == yaml.safe_load(example.text):  # a play: the docs' text as it stands
            assert example.text.lstrip("\n") in text, name
        else:  # a list of tasks: the docs' text, indented, in a play on localhost
            assert [play["hosts"] for play in plays] == ["localhost"] and plays[0]["tasks"] == yaml.safe_load(example.text)
            indented = "".join("    " + line if line.strip() else line for line in example.text.lstrip("\n").splitlines(True))
            assert text.endswith(indented), name


def test_the_documented_way_is_among_the_files_linted():
    """Credentials and account from module_defaults of the action group, or from variables for the lookup."""
    texts = [text for _name, text in doc_examples.playbook_files(doc_examples.doc_snippets())]
    assert sum("group/cloudflare_community.zero_trust.cloudflare:" in text for text in texts) >= 2
    assert any("cloudflare_account_id:" in text and "access_user" in text for text in texts)
