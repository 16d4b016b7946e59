# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection's version is stated once, in galaxy.yml; every copy of it must follow (docs/releasing.md)."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest
import yaml

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _client

ROOT = pathlib.Path(__file__).resolve().parents[3]
# Plugin directories whose files are plugins with a DOCUMENTATION block (not helpers).
NOT_PLUGIN_DIRS = ("module_utils", "plugin_utils", "doc_fragments")
# Where the docs name a version of this collection (the AWX page's requirement and image tag, the README's
# install command); each must name galaxy.yml's version.
PINNED_VERSION_PATTERNS = (
    re.compile(r"- name: cloudflare_community\.zero_trust\s+version: \"?>=(?P<version>[0-9.]+)"),
    re.compile(r"cloudflare-ee:(?P<version>[0-9.]+)"),
    re.compile(r"ansible-zero-trust\.git,(?P<version>[0-9.]+)"),
    re.compile(r"cloudflare_community\.zero_trust:(?P<version>[0-9.]+)"),
)
DOCS = [ROOT / "README.md"] + sorted((ROOT / "docs" / "docsite" / "rst").glob("*.rst"))


def galaxy_version():
    return yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]


def version_key(version):
    return tuple(int(part) for part in str(version).split("."))


def next_release():
    """The release the work since galaxy.yml's (the last one) goes into: its next minor version. An option added
    since documents it as its version_added."""
    major, minor = version_key(galaxy_version())[:2]
    return "%d.%d.0" % (major, minor + 1)


def changelog_releases():
    return yaml.safe_load((ROOT / "changelogs" / "changelog.yaml").read_text())["releases"]


def plugin_files():
    return sorted(path for path in (ROOT / "plugins").glob("*/*.py")
                  if path.parent.name not in NOT_PLUGIN_DIRS and path.name != "__init__.py")


def documentation(path):
    """The DOCUMENTATION block of a plugin file, read without importing it."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "DOCUMENTATION" for target in node.targets):
            return yaml.safe_load(node.value.value)
    raise AssertionError("%s has no DOCUMENTATION" % path)


def doc_fragment_options():
    """Every option of every doc fragment, with its documentation."""
    options = {}
    for path in sorted((ROOT / "plugins" / "doc_fragments").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                fragment = yaml.safe_load(node.value.value) or {}
                for name, spec in (fragment.get("options") or {}).items():
                    options["%s %s: %s" % (path.name, node.targets[0].id, name)] = spec
    return options


def versions_added(name, spec):
    """(where, version_added) for an option and its sub-options."""
    if not isinstance(spec, dict):
        return
    if "version_added" in spec:
        yield name, spec["version_added"]
    for sub_name, sub_spec in (spec.get("suboptions") or {}).items():
        yield from versions_added("%s.%s" % (name, sub_name), sub_spec)


def test_the_user_agent_names_the_version_of_galaxy_yml():
    assert _client.COLLECTION_VERSION == galaxy_version()
    assert _client.USER_AGENT.endswith("/" + galaxy_version())


def test_the_execution_environment_installs_the_tarball_of_this_version():
    definition = yaml.safe_load((ROOT / "tests" / "ee" / "execution-environment.yml").read_text())
    tarball = "cloudflare_community-zero_trust-%s.tar.gz" % galaxy_version()
    assert [item["name"] for item in definition["dependencies"]["galaxy"]["collections"]] == [tarball]
    assert [item["src"] for item in definition["additional_build_files"]] == [tarball]


def test_the_newest_changelog_release_is_the_version_of_galaxy_yml():
    assert max(changelog_releases(), key=version_key) == galaxy_version()


@pytest.mark.parametrize("path", plugin_files(), ids=lambda path: "%s/%s" % (path.parent.name, path.stem))
def test_no_plugin_or_option_is_newer_than_the_next_release(path):
    doc = documentation(path)
    added = [("the plugin", doc["version_added"])]
    for name, spec in (doc.get("options") or {}).items():
        added.extend(versions_added(name, spec))
    newer = [(where, version) for where, version in added if version_key(version) > version_key(next_release())]
    assert not newer, "version_added newer than the release after galaxy.yml's %s: %s" % (galaxy_version(), newer)


def test_no_doc_fragment_option_is_newer_than_the_next_release():
    added = [item for name, spec in doc_fragment_options().items() for item in versions_added(name, spec)]
    assert added, "the doc fragments document when use_proxy and request_budget were added"
    assert [item for item in added if version_key(item[1]) > version_key(next_release())] == []


def test_the_changelog_lists_each_plugin_in_the_release_that_added_it():
    """A plugin whose version_added names a release appears among that release's new plugins, and only there."""
    listed = {}
    for version, release in changelog_releases().items():
        for module in release.get("modules") or []:
            listed.setdefault(("modules", module["name"]), []).append(version)
        for plugin_type, plugins in (release.get("plugins") or {}).items():
            for plugin in plugins:
                listed.setdefault((plugin_type, plugin["name"]), []).append(version)
    expected = {(path.parent.name, path.stem): [str(documentation(path)["version_added"])] for path in plugin_files()}
    assert listed == expected, (
        "run `antsibull-changelog release --version %s --update-existing --reload-plugins --refresh-plugins` "
        "(docs/releasing.md)" % galaxy_version())


def test_the_docs_pin_the_version_of_galaxy_yml():
    pins = [(path.name, match.group(0)) for path in DOCS for pattern in PINNED_VERSION_PATTERNS
            for match in pattern.finditer(path.read_text()) if match.group("version") != galaxy_version()]
    assert pins == []


def test_the_docs_pin_a_version_at_all():
    """The pin test above is not vacuous: the AWX page and the README name the collection's version."""
    found = {path.name for path in DOCS for pattern in PINNED_VERSION_PATTERNS if pattern.search(path.read_text())}
    assert {"README.md", "awx.rst"} <= found


def test_the_docs_state_the_requires_ansible_of_meta_runtime():
    requires = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())["requires_ansible"]
    oldest = re.fullmatch(r">=(\d+\.\d+)\.0", requires).group(1)
    awx = (ROOT / "docs" / "docsite" / "rst" / "awx.rst").read_text()
    assert "``requires_ansible: %s``" % requires in awx
    for path in DOCS:
        for stated in re.findall(r"ansible-core (\d+\.\d+) (?:and|or) newer", path.read_text()):
            assert stated == oldest, "%s says ansible-core %s and newer; meta/runtime.yml: %s" % (path.name, stated, requires)
