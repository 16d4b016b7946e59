# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_user_info's include: [registrations]: each user's WARP registrations, read in batched listings."""

from __future__ import annotations

import math

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _options
from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_user_info
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

JDOE = seeded.EXAMPLE_USER


def test_each_user_gets_its_registrations_with_device_last_seen_and_virtual_ips(run_module, token_args, fake_api):
    fake_api.reset()
    result = run_module(cf_access_user_info, dict(token_args, email="jdoe@example.com", include=["registrations"]))
    expected = fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"])
    assert result["user"]["registrations"] == [
        {"id": item["id"], "device": {"id": item["device"]["id"], "name": item["device"]["name"]},
         "last_seen_at": item["last_seen_at"], "virtual_ipv4": item["virtual_ipv4"],
         "virtual_ipv6": item["virtual_ipv6"]} for item in expected]
    assert len(expected) == 2


def test_a_whole_account_costs_one_listing_per_fifty_users_not_one_request_per_user(run_module, big_args, big_api):
    big_api.reset()
    result = run_module(cf_access_user_info, dict(big_args, search="example", include=["registrations"]))
    users = result["users"]
    listings = [call for call in big_api.device_calls if "cursor" not in call["query"]]
    assert len(listings) == math.ceil(len(users) / 50.0) == 50
    holders = [user for user in users if user["gateway_seat"]]
    assert all(user["registrations"] for user in holders)
    assert all(user["registrations"] == [] for user in users if not user["gateway_seat"])
    assert len(big_api.api_requests()) < len(users) / 10


def test_registrations_with_the_global_key_are_refused_before_any_request(run_module, fake_api):
    args = dict(account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url, api_email=local_api.API_EMAIL, api_key=local_api.API_KEY,
                email="jdoe@example.com", include=["registrations"])
    result = run_module(cf_access_user_info, args)
    assert result["failed"] is True and result["msg"] == "include: registrations: " + _options.TOKEN_ONLY
    assert fake_api.api_requests() == []


def test_a_registration_of_a_user_not_read_fails_the_task(run_module, token_args, fake_api):
    fake_api.add_fault("foreign_registration", path="/devices/registrations")
    result = run_module(cf_access_user_info, dict(token_args, email="jdoe@example.com", include=["registrations"]))
    assert result["failed"] is True and "belongs to user" in result["msg"] and "who was not asked for" in result["msg"]
