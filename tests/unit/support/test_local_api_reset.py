# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local API's reset() puts back everything a test can change, as a fresh server has it."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api.server import LocalAPI

ACCOUNT = "/accounts/%s" % local_api.ACCOUNT_ID
JDOE = seeded.EXAMPLE_USER
WHAT = ("active_sessions", "failed_logins", "last_seen_identity")


@pytest.fixture(scope="module")
def fresh():
    """A server nobody touches: what every other one must look like after a reset."""
    with LocalAPI(users=25) as server:
        yield server


@pytest.fixture(scope="module")
def server():
    with LocalAPI(users=25) as api:
        yield api


@pytest.fixture
def changed(server):
    """A server of this file's own, changed every way a test can change one."""
    users = server.accounts[local_api.ACCOUNT_ID]
    holder = [user for user in users[2:] if user["gateway_seat"]][0]
    sent = [
        ("POST", "/access/users", {"email": "new@example.com", "name": "New"}),
        ("PUT", "/access/users/" + JDOE["id"], {"email": JDOE["email"], "name": "Renamed"}),
        ("DELETE", "/access/users/" + seeded.LOOKALIKE_USER["id"], None),
        ("PATCH", "/access/seats", [{"seat_uid": holder["seat_uid"], "access_seat": False, "gateway_seat": False}]),
        ("POST", "/access/organizations/revoke_user", {"email": JDOE["email"], "devices": True}),
        ("DELETE", "/access/users/%s/passkeys/passkey-%s" % (JDOE["id"], JDOE["id"][:8]), None),
        ("PUT", "/access/groups/" + seeded.ENGINEERING, {"name": "Renamed", "include": [{"everyone": {}}]}),
        ("PUT", "/access/policies/" + seeded.REUSABLE_POLICIES[0]["id"],
         {"name": "Renamed", "decision": "deny", "include": [{"everyone": {}}]}),
    ]
    for method, path, body in sent:
        answer = requests.request(method, server.api_url + ACCOUNT + path, json=body, timeout=10,
                                  headers={"Authorization": "Bearer " + local_api.API_TOKEN})
        assert answer.status_code < 300, (method, path, answer.text)
    users[5]["name"] = "Changed by a test"
    server.rules.edit(local_api.ACCOUNT_ID, "groups", seeded.ACCESS_GROUPS[-1]["id"], "delete")
    server.accounts["1" * 32] = []
    server.add_fault("status", times=-1)
    server.latency, server.rate_limit, server.rate_window = 0.5, 3, 7
    yield server
    server.reset()


def state(server):
    """Everything reset() puts back, as plain data."""
    users = server.accounts[local_api.ACCOUNT_ID]
    return {
        "accounts": server.accounts,
        "sub-resources": [server.model.sub_resource(local_api.ACCOUNT_ID, user, what) for user in users for what in WHAT],
        "registrations": [server.devices.of_user(local_api.ACCOUNT_ID, user["id"], "all") for user in users],
        "groups and policies": server.rules.snapshot(),
        "logs": (server.seat_patches, server.devices.revocations, server.api_requests(), server.device_calls,
                 server.auth_headers_seen),
        "faults": server.faults,
        "settings": (server.latency, server.rate_limit, server.rate_window, server.tokens, server.key_pairs),
    }


def test_reset_puts_back_the_seeded_account_and_the_server_as_it_started(changed, fresh):
    assert state(changed) != state(fresh)
    changed.reset()
    assert state(changed) == state(fresh)


def test_the_control_endpoint_resets_as_reset_does(changed, fresh):
    assert requests.post(changed.url + "/__fake__/reset", timeout=10).status_code == 204
    assert state(changed) == state(fresh)


def test_the_older_control_endpoint_of_the_devices_resets_the_same(changed, fresh):
    assert requests.post(changed.url + "/__fake__/devices", json={"reset": True}, timeout=10).status_code == 204
    assert state(changed) == state(fresh)


def test_reset_keeps_an_unchanged_account_instead_of_building_it_again(big_api):
    users = big_api.accounts[local_api.ACCOUNT_ID]
    big_api.reset()
    assert big_api.accounts[local_api.ACCOUNT_ID] is users
