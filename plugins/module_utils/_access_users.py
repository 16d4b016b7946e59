# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Zero Trust Access users: the API calls, on top of the client in ``_api.py``."""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._api import (
    CloudflareAPIError,
    api_path,
)

# The fields of Cloudflare's user object (schema ``access_users``); the API may add more.
USER_FIELDS = (
    "id", "access_seat", "active_device_count", "created_at", "email", "gateway_seat",
    "last_successful_login", "name", "seat_uid", "uid", "updated_at",
)


def users_path(account_id, *rest):
    return api_path("accounts", account_id, "access", "users", *rest)


def get_user(client, account_id, user_id):
    """The user object, or None when the API answers 404 for that id."""
    try:
        return client.get(users_path(account_id, user_id), expect=dict)
    except CloudflareAPIError as exc:
        if exc.status == 404:
            return None
        raise
