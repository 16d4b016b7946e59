# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Appended by scripts/docsite to the conf.py that antsibull-docs generates.
# pylint: disable=undefined-variable,invalid-name

import re

# --- offline: the inventories of docs.ansible.com and docs.python.org cannot be fetched from a machine without
# internet access, so references into them stay plain text; every other missing reference still fails the build.
intersphinx_mapping = {}  # noqa: F811
EXTERNAL_LABELS = (
    "ansible_collections.ansible.",
    "ansible_collections.community.",
    "common_return_values",
    "ansible_configuration_settings",
)


def leave_external_references(app, env, node, contnode):
    if node.get("reftarget", "").startswith(EXTERNAL_LABELS):
        return contnode
    return None


# --- the sidebar: it shows each page's title, and a plugin page's title starts with the collection's name
# ("cloudflare_community.zero_trust.cf_access_seat module - ..."), which the sidebar cuts at the same place for
# every plugin. The index's toctree entries give each plugin page a short title instead: "cf_access_seat module".
PLUGIN_PAGE_RE = re.compile(r"^(    )([a-z0-9_]+)_(module|lookup|filter|test|inventory|callback|connection|become|cache|"
                            r"cliconf|httpapi|netconf|shell|strategy|vars)$", re.M)


def short_plugin_titles(app, docname, source):
    if docname == "index":
        source[0] = PLUGIN_PAGE_RE.sub(r"\1\2 \3 <\2_\3>", source[0])


def setup(app):
    app.connect("missing-reference", leave_external_references)
    app.connect("source-read", short_plugin_titles)
