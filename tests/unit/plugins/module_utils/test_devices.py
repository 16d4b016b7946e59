# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_devices.py: the WARP registrations of users, read in one listing per fifty users within the request budget;
a registration that is not of a user asked for is refused before any write."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _devices
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareError
from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_revoke
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.api_state import sessions_revoked, users_where, writes

JDOE = seeded.EXAMPLE_USER
ACCOUNT = local_api.ACCOUNT_ID


def test_one_listing_per_fifty_users_and_only_their_registrations(make_client, big_api):
    users = users_where(big_api, lambda user: user["gateway_seat"], 120)
    found = _devices.registrations_of(make_client(big_api).account(local_api.ACCOUNT_ID), users)
    assert set(found) == {user["id"] for user in users}
    assert all(item["user"]["id"] == user_id for user_id, items in found.items() for item in items)
    firsts = [call for call in big_api.device_calls if "cursor" not in call["query"]]
    assert sorted(len(call["query"]["user.id"]) for call in firsts) == [20, 50, 50]


def test_the_registration_listings_count_against_the_budget_first(make_client, big_api):
    client = make_client(big_api, request_budget=2)
    with pytest.raises(CloudflareError, match="listing the WARP registrations of 120 users takes 3 more API requests"):
        _devices.registrations_of(client.account(local_api.ACCOUNT_ID), users_where(big_api, lambda user: user["gateway_seat"], 120))
    assert big_api.api_requests() == []


@pytest.mark.parametrize("kind, says", [
    ("foreign_registration", "belongs to user"),
    ("wrong_email_registration", "with the email someone.else@example.com, not jdoe@example.com"),
    ("bad_registration", "a registration's id is None, not an identifier"),
])
def test_registrations_naming_another_user_are_refused_before_any_write(run_module, token_args, fake_api, kind, says):
    fake_api.add_fault(kind, times=-1, path="/devices/registrations")
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com"))
    assert result["failed"] is True and result.get("changed") is not True
    assert result["msg"].startswith("GET /accounts/%s/devices/registrations?user.id=%s&status=active&per_page=100 "
                                    "failed: HTTP 200: item " % (ACCOUNT, JDOE["id"]))
    assert says in result["msg"]
    assert writes(fake_api) == [] and not sessions_revoked(fake_api, JDOE)


def test_a_registration_two_listings_name_under_two_users_is_refused(make_client, fake_api, monkeypatch):
    monkeypatch.setattr(_devices, "USERS_PER_LISTING", 2)
    holders = [user for user in fake_api.accounts[ACCOUNT] if user["gateway_seat"]]
    fake_api.add_fault("twin_registration", across=True, path="/devices/registrations")
    with pytest.raises(CloudflareError, match=r"two listings name registration \S+, under user \S+ and under user "):
        _devices.registrations_of(make_client(fake_api).account(ACCOUNT), holders)


def test_what_is_still_active_is_read_again_by_user_and_a_revoked_registration_is_not(make_client, fake_api):
    ids = [item["id"] for item in fake_api.devices.of_user(ACCOUNT, JDOE["id"])]
    fake_api.devices.change(ACCOUNT, ids[:1], "revoke")
    fake_api.add_fault("lists_revoked", path="/devices/registrations")  # the revoked one listed all the same
    assert _devices.still_active(make_client(fake_api).account(ACCOUNT), [JDOE], ids) == set(ids[1:])
    assert [call["query"]["user.id"] for call in fake_api.device_calls] == [[JDOE["id"]]]
