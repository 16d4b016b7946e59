# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection's version is stated once, in galaxy.yml; every copy of it must follow (docs/releasing.md)."""

from __future__ import annotations

import pathlib

import yaml

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _client

ROOT = pathlib.Path(__file__).resolve().parents[2]


def galaxy_version():
    return yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]


def test_the_user_agent_names_the_version_of_galaxy_yml():
    assert _client.COLLECTION_VERSION == galaxy_version()
    assert _client.USER_AGENT.endswith("/" + galaxy_version())


def test_the_execution_environment_installs_the_tarball_of_this_version():
    definition = yaml.safe_load((ROOT / "tests" / "ee" / "execution-environment.yml").read_text())
    tarball = "cloudflare_community-zero_trust-%s.tar.gz" % galaxy_version()
    assert [item["name"] for item in definition["dependencies"]["galaxy"]["collections"]] == [tarball]
    assert [item["src"] for item in definition["additional_build_files"]] == [tarball]


def test_the_changelog_has_a_section_for_the_version():
    releases = yaml.safe_load((ROOT / "changelogs" / "changelog.yaml").read_text())["releases"]
    assert galaxy_version() in releases
