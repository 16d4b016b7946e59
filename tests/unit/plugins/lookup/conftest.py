# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for lookup tests: the real plugin, loaded by Ansible's plugin loader with a real templar."""

from __future__ import annotations

import pytest

from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar

CF_ENV = ("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_TOKEN", "CLOUDFLARE_EMAIL", "CLOUDFLARE_API_KEY",
          "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_BASE_URL")


@pytest.fixture
def load_lookup(monkeypatch):
    """``load_lookup(name)``: a fresh instance of the collection's lookup ``name``, as Ansible loads it.

    The collection loader is installed by ansible-test units or, under plain pytest, by tests/unit/conftest.py.
    No Cloudflare variable of the environment reaches the tests.
    """
    for name in CF_ENV:
        monkeypatch.delenv(name, raising=False)

    def load(name):
        loader = DataLoader()
        plugin = lookup_loader.get("cloudflare_community.zero_trust.%s" % name, loader=loader, templar=Templar(loader=loader))
        assert plugin is not None, "the plugin loader found no lookup %s" % name
        return plugin

    return load
