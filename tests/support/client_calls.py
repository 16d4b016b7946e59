# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the unit tests that call the client and the planner directly: the local API's canned answers, and
the one-line error a call raises. The client itself comes from the ``make_client`` fixture (tests/unit/conftest.py).
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareAPIError


def api_error(function, *args):
    """The CloudflareAPIError that ``function(*args)`` raises; its message is one line."""
    with pytest.raises(CloudflareAPIError) as info:
        function(*args)
    assert "\n" not in str(info.value)
    return info.value


def canned(server, body, status=200, **options):
    """The local API ``server`` answers every request (or those the fault ``options`` select) with ``status`` and
    ``body``, sent as it is (text) or as JSON (anything else)."""
    server.add_fault("canned", status=status, body=body if isinstance(body, str) else json.dumps(body), times=-1,
                     **options)


def listing(items, **result_info):
    """A listing's envelope: ``items`` with this ``result_info``."""
    return {"success": True, "errors": [], "messages": [], "result": items, "result_info": result_info}
