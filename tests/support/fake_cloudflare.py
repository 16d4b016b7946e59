# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Temporary: the names tests still import from here, until the import-rewrite commit points them at local_api/."""

from __future__ import annotations

from .local_api import ACCOUNT_ID, API_EMAIL, API_KEY, API_TOKEN, NO_ACCESS_TOKEN  # noqa: F401
from .local_api.routes import EMAIL_TAKEN_CODE, user_matches as _matches  # noqa: F401
from .local_api.seeded import EXAMPLE_USER, LOOKALIKE_USER, sub_resources, users as generate_users  # noqa: F401
from .local_api.server import LocalAPI as FakeCloudflare  # noqa: F401

REDIRECT = "redirect"
