# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local API's registrations, token revocation and MFA deletes behave as Cloudflare's schema documents them."""

from __future__ import annotations


import pytest
import requests

from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

JDOE = seeded.EXAMPLE_USER
TOKEN = {"Authorization": "Bearer " + local_api.API_TOKEN}
KEY = {"X-Auth-Email": local_api.API_EMAIL, "X-Auth-Key": local_api.API_KEY}
REGISTRATIONS = "/accounts/%s/devices/registrations" % local_api.ACCOUNT_ID


def call(server, method, path, headers=None, **options):
    answer = requests.request(method, server.api_url + path, headers=headers or TOKEN, timeout=10, **options)
    return answer.status_code, answer.json()


def holders(server):
    return [user for user in server.accounts[local_api.ACCOUNT_ID] if user["gateway_seat"]]


def test_every_gateway_seat_holder_has_about_two_and_a_half_registrations(fake_api):
    counts = [len(fake_api.devices.of_user(local_api.ACCOUNT_ID, user["id"])) for user in holders(fake_api)]
    assert len(fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"])) == 2
    assert all(1 <= count <= 4 for count in counts) and 2 <= sum(counts) / len(counts) <= 3
    seatless = [user for user in fake_api.accounts[local_api.ACCOUNT_ID] if not user["gateway_seat"]]
    assert all(fake_api.devices.of_user(local_api.ACCOUNT_ID, user["id"]) == [] for user in seatless)


def test_the_listing_pages_by_cursor_until_the_cursor_is_empty(fake_api):
    users = holders(fake_api)[:6]
    expected = sorted(item["id"] for user in users for item in fake_api.devices.of_user(local_api.ACCOUNT_ID, user["id"]))
    query = [("user.id", user["id"]) for user in users] + [("per_page", 4)]
    seen, cursor, pages = [], None, 0
    while True:
        status, body = call(fake_api, "GET", REGISTRATIONS, params=query + ([("cursor", cursor)] if cursor else []))
        assert status == 200 and body["success"] is True
        assert body["result_info"]["count"] == len(body["result"]) <= 4 and body["result_info"]["total_count"] is None
        seen += [item["id"] for item in body["result"]]
        pages += 1
        cursor = body["result_info"]["cursor"]
        if not cursor:
            break
    assert seen == expected and pages == -(-len(expected) // 4)


@pytest.mark.parametrize("query, message", [
    ([("status", "gone")], "status must be active, all or revoked"),
    ([("per_page", "0")], "per_page must be between 1 and 1000"),
    ([("cursor", "not-a-cursor")], "invalid cursor"),
    ([("email", "jdoe@example.com")], "unknown query parameter: email"),
])
def test_bad_listing_queries_get_a_400(fake_api, query, message):
    status, body = call(fake_api, "GET", REGISTRATIONS, params=query)
    assert status == 400 and body["errors"][0]["message"] == message


def test_device_routes_take_a_token_only(fake_api):
    status, body = call(fake_api, "GET", REGISTRATIONS, headers=KEY)
    assert status == 403 and "API tokens only" in body["errors"][0]["message"]
    status, _body = call(fake_api, "DELETE", REGISTRATIONS, headers=KEY, params=[("id", "x")])
    assert status == 403
    assert len(fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"])) == 2


def test_a_bulk_delete_deletes_all_or_nothing(fake_api):
    ids = [item["id"] for item in fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"])]
    status, body = call(fake_api, "DELETE", REGISTRATIONS, params=[("id", ids[0]), ("id", "unknown")])
    assert (status, body["errors"][0]["code"]) == (404, 1003)
    assert len(fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"])) == 2
    status, body = call(fake_api, "DELETE", REGISTRATIONS, params=[("id", value) for value in ids])
    assert (status, body) == (200, {"success": True, "errors": [], "messages": [], "result": None})
    assert fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"], status="all") == []


def test_the_deprecated_revoke_keeps_the_registration_out_of_the_active_listing(fake_api):
    ids = [item["id"] for item in fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"])]
    assert call(fake_api, "POST", REGISTRATIONS + "/revoke", params=[("id", ids[0])])[0] == 200
    assert call(fake_api, "POST", "/accounts/%s/devices/revoke" % local_api.ACCOUNT_ID, headers=KEY, json=ids[1:])[0] == 200
    assert fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"]) == []
    revoked = fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"], status="revoked")
    assert sorted(item["id"] for item in revoked) == sorted(ids)
    assert all(item["revoked_at"] and item["virtual_ipv4"] for item in revoked)


def test_revoke_user_answers_the_bare_result_and_ends_the_sessions(fake_api):
    path = "/accounts/%s/access/users/%s/active_sessions" % (local_api.ACCOUNT_ID, JDOE["id"])
    assert call(fake_api, "GET", path)[1]["result"] != []
    status, body = call(fake_api, "POST", "/accounts/%s/access/organizations/revoke_user" % local_api.ACCOUNT_ID,
                        headers=KEY, json={"email": "JDoe@example.com", "warp_session_reauth": True})
    assert (status, body) == (200, {"result": True, "success": True})
    assert call(fake_api, "GET", path)[1]["result"] == []
    status, body = call(fake_api, "POST", "/accounts/%s/access/organizations/revoke_user" % local_api.ACCOUNT_ID,
                        json={"email": "nobody@example.com"})
    assert (status, body) == (200, {"result": False, "success": True})


@pytest.mark.parametrize("body", [{}, {"email": 7}, {"email": "jdoe@example.com", "devices": "yes"},
                                  {"email": "jdoe@example.com", "reason": "x"}])
def test_revoke_user_refuses_bodies_the_schema_does_not_have(fake_api, body):
    status, answer = call(fake_api, "POST", "/accounts/%s/access/organizations/revoke_user" % local_api.ACCOUNT_ID, json=body)
    assert status == 400 and answer["success"] is False
    assert fake_api.devices.revoked_users == set()


def test_passkeys_are_listed_and_deleted_by_either_route(fake_api):
    identity = "/accounts/%s/access/users/%s/last_seen_identity" % (local_api.ACCOUNT_ID, JDOE["id"])
    passkey = call(fake_api, "GET", identity)[1]["result"]["passkeys"][0]["id"]
    base = "/accounts/%s/access/users/%s/" % (local_api.ACCOUNT_ID, JDOE["id"])
    assert call(fake_api, "DELETE", base + "passkeys/" + passkey)[0] == 200
    assert call(fake_api, "GET", identity)[1]["result"]["passkeys"] == []
    assert call(fake_api, "DELETE", base + "mfa_authenticators/" + passkey)[0] == 404
    assert call(fake_api, "DELETE", base + "mfa_authenticators/totp-" + JDOE["id"][:8])[0] == 200


def test_freeing_a_seat_or_deleting_the_user_deletes_the_registrations(fake_api):
    requests.patch(fake_api.api_url + "/accounts/%s/access/seats" % local_api.ACCOUNT_ID, headers=TOKEN, timeout=10,
                   json=[{"seat_uid": JDOE["seat_uid"], "access_seat": True, "gateway_seat": False}])
    assert fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"], status="all") == []
    other = holders(fake_api)[0]
    assert fake_api.devices.of_user(local_api.ACCOUNT_ID, other["id"]) != []
    assert call(fake_api, "DELETE", "/accounts/%s/access/users/%s" % (local_api.ACCOUNT_ID, other["id"]))[0] == 202
    assert fake_api.devices.of_user(local_api.ACCOUNT_ID, other["id"], status="all") == []


def test_the_control_endpoint_serves_the_call_log_and_resets_the_server(fake_api):
    ids = [item["id"] for item in fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"])]
    call(fake_api, "DELETE", REGISTRATIONS, params=[("id", value) for value in ids])
    log = requests.get(fake_api.url + "/__fake__/devices", timeout=10).json()["calls"]
    assert log[-1]["query"] == {"id": ids} and log[-1]["method"] == "DELETE"
    assert requests.post(fake_api.url + "/__fake__/devices", json={"reset": True}, timeout=10).status_code == 204
    assert len(fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"])) == 2
    assert requests.get(fake_api.url + "/__fake__/devices", timeout=10).json()["calls"] == []


# --- the incident-response faults ----------------------------------------------------------------------------------

def test_twin_registration_names_a_registration_again_under_another_user_asked_for(fake_api):
    first, second = holders(fake_api)[:2]
    fake_api.add_fault("twin_registration", path="/devices/registrations")
    status, body = call(fake_api, "GET", REGISTRATIONS, params=[("user.id", first["id"]), ("user.id", second["id"])])
    ids = [item["id"] for item in body["result"]]
    twin = body["result"][-1]
    assert status == 200 and ids.count(twin["id"]) == 2 and body["result_info"]["count"] == len(ids)
    assert {item["user"]["id"] for item in body["result"] if item["id"] == twin["id"]} == {first["id"], second["id"]}


def test_twin_registration_across_lists_another_listings_registration_under_this_ones_user(fake_api):
    first = holders(fake_api)[0]
    fake_api.add_fault("twin_registration", across=True, path="/devices/registrations")
    body = call(fake_api, "GET", REGISTRATIONS, params=[("user.id", first["id"])])[1]
    twin = body["result"][-1]
    assert twin["user"]["id"] == first["id"]
    assert twin["id"] not in [item["id"] for item in fake_api.devices.of_user(local_api.ACCOUNT_ID, first["id"])]


def test_lists_revoked_shows_revoked_registrations_in_the_active_listing(fake_api):
    ids = [item["id"] for item in fake_api.devices.of_user(local_api.ACCOUNT_ID, JDOE["id"])]
    call(fake_api, "POST", REGISTRATIONS + "/revoke", params=[("id", ids[0])])
    fake_api.add_fault("lists_revoked", path="/devices/registrations")
    body = call(fake_api, "GET", REGISTRATIONS, params=[("user.id", JDOE["id"]), ("status", "active")])[1]
    assert sorted(item["id"] for item in body["result"]) == sorted(ids)
    assert [item["id"] for item in body["result"] if item["revoked_at"]] == [ids[0]]


def test_endless_cursor_never_ends_a_listing(fake_api):
    fake_api.add_fault("endless_cursor", times=-1, path="/devices/registrations")
    cursor, seen = None, set()
    for _page in range(5):
        body = call(fake_api, "GET", REGISTRATIONS, params=[("user.id", JDOE["id"])] + (
            [("cursor", cursor)] if cursor else []))[1]
        assert len(body["result"]) == 1 and body["result"][0]["user"]["id"] == JDOE["id"]
        seen.add(body["result"][0]["id"])
        assert body["result_info"]["cursor"] not in (None, "", cursor)
        cursor = body["result_info"]["cursor"]
    assert len(seen) == 5


def test_refuse_revocation_refuses_the_users_named_and_revokes_the_others(fake_api):
    path = "/accounts/%s/access/organizations/revoke_user" % local_api.ACCOUNT_ID
    fake_api.add_fault("refuse_revocation", emails="JDOE@example.com, x@example.com", times=-1, path="/revoke_user")
    status, body = call(fake_api, "POST", path, json={"email": "jdoe@example.com"})
    assert status == 400 and body["success"] is False and body["errors"][0]["code"] == 10400
    other = next(user for user in holders(fake_api) if user["email"] != JDOE["email"])
    assert call(fake_api, "POST", path, json={"email": other["email"]}) == (200, {"result": True, "success": True})
    assert fake_api.devices.revoked_users == {(local_api.ACCOUNT_ID, other["id"])}
