# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run every example of the documentation against the local API, so the docs cannot rot.

    python tests/support/doc_examples.py            # run them all (scripts/test examples does)
    python tests/support/doc_examples.py --list     # list them, with what each is run as
    python tests/support/doc_examples.py README     # only those whose label contains README
    python tests/support/doc_examples.py --readme-commands  # the README's shell commands that run offline
    python tests/support/doc_examples.py --write-playbooks DIR  # write them as playbook files (lint-as-user)

The examples are the EXAMPLES block of every plugin and every YAML block of README.md and the user guide
(docs/docsite/rst/*.rst) that is a playbook or a list of tasks; YAML that is neither (an execution
environment definition, a credential type, a rulebook) is not a playbook and is listed as such. A list of tasks
becomes a play on localhost. Each example runs with ansible-playbook, on a fresh local API with its
sample users, with the environment its reader has: CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID and
CLOUDFLARE_BASE_URL; the tasks that use the legacy global API key run on their own, with CLOUDFLARE_EMAIL
and CLOUDFLARE_API_KEY instead of the token (the collection refuses both at once). The variables the
docs leave to the reader are READER_VARIABLES, set as inventory variables of localhost. An example
passes when ansible-playbook succeeds with no failed or ignored task and it sent API requests.

ansible-playbook is the one on PATH; the collection is found through ANSIBLE_COLLECTIONS_PATH (default:
the tree this file is in, .../ansible_collections/cloudflare_community/zero_trust).
"""

from __future__ import annotations

import argparse
import ast
import itertools
import os
import re
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import local_api  # noqa: E402  pylint: disable=wrong-import-position
from local_api.server import LocalAPI  # noqa: E402  pylint: disable=wrong-import-position

PLUGIN_TYPES_WITHOUT_DOCS = ("module_utils", "plugin_utils", "doc_fragments")
DOC_FILES = ("README.md",)
DOCSITE_DIR = os.path.join("docs", "docsite", "rst")
# The variables the docs' snippets leave to the reader, set as a reader of the docs would set them, with users
# of the local API's sample account. Inventory variables of localhost, so a snippet's own vars win.
READER_VARIABLES = {
    "cloudflare_account_id": local_api.ACCOUNT_ID,
    "vault_cloudflare_api_token": local_api.API_TOKEN,
    "team_emails": ["jdoe@example.com", "tim.jones2@example.com"],
    "leavers": ["jdoe@example.com", "tim.jones2@example.com"],
    "suspects": ["jdoe@example.com", "ada.diffie8@example.com"],
    "new_hires": ["barbara.lamport4@example.com"],
}
TOKEN_ENVIRONMENT = {"CLOUDFLARE_API_TOKEN": local_api.API_TOKEN}
GLOBAL_KEY_ENVIRONMENT = {"CLOUDFLARE_EMAIL": local_api.API_EMAIL, "CLOUDFLARE_API_KEY": local_api.API_KEY}
PLAY_KEYS = ("hosts", "import_playbook", "ansible.builtin.import_playbook")
RECAP_RE = re.compile(r"^localhost\s*:.*\bfailed=(\d+).*\bignored=(\d+)", re.M)


class Example:
    """One example: where it is written, its text, and the plays it runs as (None: not a playbook)."""

    def __init__(self, label, text):
        self.label, self.text = label, text
        self.plays = as_plays(yaml.safe_load(text))

    def __repr__(self):
        return "Example(%s)" % self.label


def plugin_examples(root=ROOT):
    """The EXAMPLES block of every plugin (read without importing the plugin)."""
    examples = []
    plugins = os.path.join(root, "plugins")
    for plugin_type in sorted(os.listdir(plugins)):
        if plugin_type in PLUGIN_TYPES_WITHOUT_DOCS or not os.path.isdir(os.path.join(plugins, plugin_type)):
            continue
        for name in sorted(os.listdir(os.path.join(plugins, plugin_type))):
            path = os.path.join("plugins", plugin_type, name)
            if name.endswith(".py") and name != "__init__.py":
                examples.append(Example("%s EXAMPLES" % path, _examples_block(os.path.join(root, path))))
    return examples


def _examples_block(path):
    with open(path) as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "EXAMPLES" for target in node.targets):
            return node.value.value
    raise ValueError("%s has no EXAMPLES" % path)


def doc_snippets(root=ROOT):
    """Every YAML block of README.md (```yaml) and of the docsite pages (.. code-block:: yaml), in order."""
    snippets = []
    docsite = sorted(os.path.join(DOCSITE_DIR, name) for name in os.listdir(os.path.join(root, DOCSITE_DIR))
                     if name.endswith(".rst"))
    for path in list(DOC_FILES) + docsite:
        with open(os.path.join(root, path)) as handle:
            text = handle.read()
        blocks = _markdown_yaml(text) if path.endswith(".md") else _rst_yaml(text)
        snippets.extend(Example("%s:%d" % (path, line), block) for line, block in blocks)
    return snippets


def _markdown_yaml(text):
    return [(text.count("\n", 0, match.start()) + 1, match.group(1))
            for match in re.finditer(r"^```ya?ml\n(.*?)^```$", text, re.M | re.S)]


def _rst_yaml(text):
    blocks = []
    for match in re.finditer(r"^( *)\.\. code-block:: ya?ml(?:\+jinja)?\n((?:\1 +:.*\n)*)\n((?:\1 +\S.*\n|\n)+)", text, re.M):
        body = match.group(3).rstrip("\n") + "\n"
        indent = min(len(line) - len(line.lstrip()) for line in body.splitlines() if line.strip())
        blocks.append((text.count("\n", 0, match.start()) + 1,
                       "\n".join(line[indent:] for line in body.splitlines()) + "\n"))
    return blocks


def all_examples(root=ROOT):
    return plugin_examples(root) + doc_snippets(root)


def as_plays(data):
    """The plays a snippet runs as: its own plays, or its tasks in a play on localhost; None if it is neither (a
    rulebook, whose rule sets have sources and rules, is not a playbook either)."""
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        return None
    if all("sources" in item and "rules" in item for item in data):
        return None
    if all(any(key in item for key in PLAY_KEYS) for item in data):
        return data
    if any(any(key in item for key in PLAY_KEYS) for item in data):
        raise ValueError("a snippet mixes plays and tasks")
    return [dict(name="Example", hosts="localhost", gather_facts=False, tasks=data)]


def uses_global_key(item):
    """Whether a task or play authenticates with the legacy global API key (api_key or CLOUDFLARE_API_KEY)."""
    return bool(re.search(r"\bapi_key\b|CLOUDFLARE_API_KEY", yaml.safe_dump(item)))


def runs(example):
    """The ansible-playbook runs of an example, [(uses the global key, plays)]: consecutive tasks with the same
    kind of credential run together, so registered results reach the tasks after them."""
    units = []
    for play in example.plays:
        if "tasks" not in play:
            units.append((uses_global_key(play), play))
            continue
        play_key = uses_global_key(dict(play, tasks=[]))
        for key, tasks in itertools.groupby(play["tasks"], key=lambda task, play_key=play_key: play_key or uses_global_key(task)):
            units.append((key, dict(play, tasks=list(tasks))))
    return [(key, [play for _key, play in group]) for key, group in itertools.groupby(units, key=lambda unit: unit[0])]


def run_example(example, workdir, collections_path):
    """Run one example on a fresh local API; returns (passed, API requests, ansible-playbook's output)."""
    output = []
    with LocalAPI(users=25) as api:
        for number, (global_key, plays) in enumerate(runs(example), 1):
            environment = reader_environment(api.api_url, global_key, collections_path)
            passed, text = _run_playbook(plays, os.path.join(workdir, "example-%d.yml" % number), environment)
            output.append("--- ansible-playbook run %d (%s) ---\n%s" % (number, "global API key" if global_key else "API token", text))
            if not passed:
                return False, len(api.api_requests()), "\n".join(output)
        requests = len(api.api_requests())
    if not requests:
        output.append("the example sent no API request")
    return requests > 0, requests, "\n".join(output)


def reader_environment(api_url, global_key, collections_path):
    """The environment of a reader of the docs: this one without its Cloudflare settings, plus the local API's."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("CLOUDFLARE_")}
    environment.update(GLOBAL_KEY_ENVIRONMENT if global_key else TOKEN_ENVIRONMENT)
    environment.update(CLOUDFLARE_BASE_URL=api_url, CLOUDFLARE_ACCOUNT_ID=local_api.ACCOUNT_ID,
                       ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false",
                       ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    # A check may run in a home of its own (noxfile.py), not the user's home of the password database: an async task's
    # job file would then be written under one (os.path.expanduser) and looked for under the other (~user), as a
    # reader's, whose HOME is that home, never sees. One directory for both, in the home the check runs in.
    environment.setdefault("ANSIBLE_ASYNC_DIR", os.path.join(os.path.expanduser("~"), ".ansible_async"))
    return environment


def _run_playbook(plays, playbook, environment):
    """(passed, output): passed when ansible-playbook succeeds with no failed or ignored task."""
    with open(playbook, "w") as handle:
        yaml.safe_dump(plays, handle, sort_keys=False)
    workdir = os.path.dirname(playbook)
    result = subprocess.run(["ansible-playbook", "-i", _inventory(workdir), playbook], env=environment, cwd=workdir,
                            capture_output=True, text=True, check=False)
    recap = RECAP_RE.search(result.stdout)
    return result.returncode == 0 and recap is not None and recap.groups() == ("0", "0"), result.stdout + result.stderr


def _inventory(workdir):
    path = os.path.join(workdir, "inventory.yml")
    if not os.path.exists(path):
        host = dict(READER_VARIABLES, ansible_connection="local", ansible_python_interpreter=sys.executable)
        with open(path, "w") as handle:
            yaml.safe_dump({"all": {"hosts": {"localhost": host}}}, handle)
    return path


# --- the README's shell commands ------------------------------------------------------------------------------
# A README block runs in the test when each of its commands needs neither the network nor a Cloudflare account:
# these programs, or any command asking for --help. The others (scripts/demo and scripts/test themselves, installs,
# runs against a real account) are listed as not run.
OFFLINE_PROGRAMS = ("source", ".", "export", "ansible-doc")


def readme_shell_blocks(root=ROOT):
    """[(line, commands, runs offline)] for every ```sh block of README.md, commands without their comments."""
    with open(os.path.join(root, "README.md")) as handle:
        text = handle.read()
    blocks = []
    for match in re.finditer(r"^```(?:sh|bash|console)\n(.*?)^```$", text, re.M | re.S):
        commands = [re.sub(r"\s+#\s.*$", "", line).strip() for line in match.group(1).splitlines()]
        commands = [command for command in commands if command and not command.startswith("#")]
        offline = all(command.split()[0] in OFFLINE_PROGRAMS or command.endswith(" --help") for command in commands)
        blocks.append((text.count("\n", 0, match.start()) + 1, commands, offline))
    return blocks


def run_readme_commands(root=ROOT):
    """Run the README's offline blocks in order, in one shell in ``root``, as on a fresh machine: a new home, the
    system's PATH, nothing else of this environment. Returns the shell's exit status."""
    script = ["set -euo pipefail", 'output=$(mktemp)']
    for line, commands, offline in readme_shell_blocks(root):
        if not offline:
            print("not run: README.md:%d (%s)" % (line, commands[0]))
            continue
        for command in commands:
            # Each command runs in this shell (so source and export last), its output shown only when it fails. A
            # warning fails it too: ansible-doc exits 0 when it cannot find the plugin, and only warns.
            script += ["echo %s" % _quote("$ " + command),
                       '{ %s; } > "$output" 2>&1 || { status=$?; cat "$output"; exit $status; }' % command,
                       'if grep -E "^\\[(WARNING|ERROR|DEPRECATION WARNING)\\]" "$output"; then exit 1; fi',
                       'echo "  exit 0, $(wc -l < "$output") lines of output"']
    with tempfile.TemporaryDirectory(prefix="cf-readme-home-") as home:
        environment = {"HOME": home, "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
        return subprocess.run(["bash", "-c", "\n".join(script)], cwd=root, env=environment, check=False).returncode


def _quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def default_collections_path():
    return os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.dirname(os.path.dirname(os.path.dirname(ROOT)))


# --- the examples as playbook files, for scripts/test lint-as-user -----------------------------------------------
def playbook_files(examples):
    """[(file name, text)] of the examples that are playbooks, as their reader writes them: a play as it stands, a
    list of tasks indented into a play on localhost; the docs' text, comments and layout kept, so a linter sees them."""
    files = []
    for example in examples:
        if example.plays is None:
            continue
        lines = example.text.lstrip("\n").splitlines(True)
        if example.plays != yaml.safe_load(example.text):  # a list of tasks, run in a play of its own
            lines = ["- name: Example %s\n" % example.label, "  hosts: localhost\n", "  gather_facts: false\n",
                     "  tasks:\n"] + ["    " + line if line.strip() else line for line in lines]
        name = re.sub(r"[^A-Za-z0-9]+", "_", example.label).strip("_") + ".yml"
        files.append((name, "".join(lines) if lines[0].startswith("---") else "---\n" + "".join(lines)))
    return files


def write_playbooks(directory, examples):
    os.makedirs(directory, exist_ok=True)
    files = playbook_files(examples)
    for name, text in files:
        with open(os.path.join(directory, name), "w") as handle:
            handle.write(text)
    print("wrote %d examples as playbooks to %s" % (len(files), directory))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="list the examples, run nothing")
    parser.add_argument("--show-output", action="store_true", help="print ansible-playbook's output of every example")
    parser.add_argument("--readme-commands", action="store_true",
                        help="run the README's shell commands that need no network or account, in this collection's "
                        "directory (after scripts/demo's install step), instead of the examples")
    parser.add_argument("--write-playbooks", metavar="DIR",
                        help="write the examples that are playbooks as playbook files into DIR, run nothing")
    parser.add_argument("labels", nargs="*", help="run only the examples whose label contains one of these")
    args = parser.parse_args(argv)
    if args.readme_commands:
        return run_readme_commands()
    examples = [example for example in all_examples()
                if not args.labels or any(label in example.label for label in args.labels)]
    if args.write_playbooks:
        return write_playbooks(args.write_playbooks, examples)
    if args.list:
        for example in examples:
            print("%-45s %s" % (example.label, "not a playbook" if example.plays is None else
                                "%d ansible-playbook run(s)" % len(runs(example))))
        return 0
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="cf-doc-examples-") as workdir:
        for example in examples:
            if example.plays is None:
                print("skip  %s: not a playbook" % example.label)
                continue
            started = time.monotonic()
            ok, requests, output = run_example(example, workdir, default_collections_path())
            seconds = time.monotonic() - started
            print("%s  %s: %d API requests, %.1f s" % ("ok  " if ok else "FAIL", example.label, requests, seconds), flush=True)
            if ok:
                passed += 1
            else:
                failed += 1
            if args.show_output or not ok:
                print(output, flush=True)
    print("examples: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
