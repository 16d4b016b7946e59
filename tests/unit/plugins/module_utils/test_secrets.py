# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_secrets.py: the registry of the secrets this process sends, and masking values with it. That errors, files and
events mask them is tested with each (test_errors.py, test_files.py, test_seat_report.py, test_event_feeds.py)."""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _secrets


def test_masking_leaves_other_values_alone():
    _secrets.register_secret("s3cret-two")
    assert _secrets.masked([{"code": 10000, "ok": True, "none": None}]) == [{"code": 10000, "ok": True, "none": None}]
    assert _secrets.masked("nothing secret") == "nothing secret"
    _secrets.register_secret("")  # an unset credential masks nothing
    assert _secrets.masked("nothing secret") == "nothing secret"
