# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the local API was sent and what its account holds, as the unit tests check it after a plugin ran."""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api


def writes(server):
    """(method, path) of every request but the reads, in the order sent."""
    return [(request["method"], request["path"]) for request in server.api_requests() if request["method"] != "GET"]


def patches(server):
    """The PATCH requests (the seat writes), in the order sent."""
    return [request for request in server.api_requests() if request["method"] == "PATCH"]


def users_with(server, email):
    """The account's users with ``email``, in any letter case."""
    return [user for user in server.accounts[local_api.ACCOUNT_ID] if user["email"].lower() == email.lower()]


def user_with_email(server, email):
    """The account's user with exactly this ``email``."""
    return next(user for user in server.accounts[local_api.ACCOUNT_ID] if user["email"] == email)


def users_where(server, condition, count):
    """The first ``count`` users of the account for whom ``condition(user)`` holds (there must be as many)."""
    found = [user for user in server.accounts[local_api.ACCOUNT_ID] if condition(user)][:count]
    assert len(found) == count
    return found


def has_session(user):
    """Whether the local API lists an Access session for ``user`` (it logged in and has a device)."""
    return bool(user["last_successful_login"] and user["active_device_count"])


def registrations_of(server, user):
    """The active WARP registrations of ``user``."""
    return server.devices.of_user(local_api.ACCOUNT_ID, user["id"])


def sessions_revoked(server, user):
    """Whether the Access tokens of ``user`` were revoked."""
    return (local_api.ACCOUNT_ID, user["id"]) in server.devices.revoked_users
