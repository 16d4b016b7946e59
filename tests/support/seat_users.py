# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Users as the API gives them, for the tests of the seat report and of the seat record (which show the same cells)."""

from __future__ import annotations

import datetime

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._inactivity import UTC

NOW = datetime.datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC)


def user(key, login="2026-12-01T00:00:00Z", devices=1, created="2020-01-01T00:00:00Z", **fields):
    base = dict(id=key, email=key + "@example.com", name=key.title(), access_seat=True, gateway_seat=True,
                active_device_count=devices, last_successful_login=login, created_at=created)
    base.update(fields)
    return base
