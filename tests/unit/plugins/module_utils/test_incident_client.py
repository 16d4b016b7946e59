# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The client's parts for the device API: the bare {result, success} answer, cursor paging, writes until a failure."""

from __future__ import annotations

import json
import threading

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _devices, _options, _paging, _threads
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareAPIError, CloudflareError
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake

REVOKE_PATH = "/accounts/%s/access/organizations/revoke_user" % fake.ACCOUNT_ID
JDOE = fake.EXAMPLE_USER


def client_for(server, **options):
    return _options.client_from_params(dict(dict(api_url=server.api_url, api_token=fake.API_TOKEN, timeout=10, retries=0,
                                                 retry_timeout=1), **options))


@pytest.fixture
def api(fake_api):
    fake_api.devices.reset()
    yield fake_api
    fake_api.devices.reset()


def canned(server, body):
    server.add_fault("canned", status=200, body=json.dumps(body), path="/revoke_user")


def test_the_bare_answer_of_a_token_revocation_is_its_result(api):
    assert client_for(api).request_bare_result("POST", REVOKE_PATH, body={"email": "jdoe@example.com"}) is True
    canned(api, {"result": False, "success": True, "errors": [], "messages": []})
    assert client_for(api).request_bare_result("POST", REVOKE_PATH, body={"email": "jdoe@example.com"}) is False


@pytest.mark.parametrize("body, reason", [
    ({"result": "yes", "success": True}, "the API answered success but its result is a string, not a boolean"),
    ({"success": True}, "the API answered success but its result is null, not a boolean"),
    ({"result": True, "success": True, "result_info": {}}, "not the bare {result, success} this call answers"),
    ({"result": True, "success": True, "errors": [{"code": 1}]}, 'errors [{"code": 1}]'),
    ({"result": True, "success": "true"}, "the API answered success: true"),
])
def test_anything_but_the_bare_shape_is_refused(api, body, reason):
    canned(api, body)
    with pytest.raises(CloudflareAPIError, match=r"^POST %s failed: HTTP 200: " % REVOKE_PATH) as raised:
        client_for(api).request_bare_result("POST", REVOKE_PATH, body={"email": "jdoe@example.com"})
    assert reason in str(raised.value)


def test_the_bare_shape_is_not_accepted_where_a_list_is_expected(api):
    api.add_fault("canned", status=200, body=json.dumps({"result": True, "success": True}), path="/access/users")
    with pytest.raises(CloudflareAPIError, match="its result is a boolean, not a list"):
        client_for(api).request("GET", "/accounts/%s/access/users" % fake.ACCOUNT_ID, expect=list)


def registrations_query(users):
    return [("user.id", user["id"]) for user in users] + [("status", "active")]


def holders(server, count):
    return [user for user in server.accounts[fake.ACCOUNT_ID] if user["gateway_seat"]][:count]


def test_cursor_paging_follows_every_cursor_once_until_it_is_empty(api):
    users = holders(api, 8)
    expected = sorted(item["id"] for user in users for item in api.devices.of_user(fake.ACCOUNT_ID, user["id"]))
    pages = list(_paging.iter_cursor_pages(client_for(api), _devices.registrations_path(fake.ACCOUNT_ID),
                                           registrations_query(users), per_page=3))
    assert [item["id"] for page in pages for item in page] == expected
    assert len(pages) == -(-len(expected) // 3) >= 4
    cursors = [call["query"].get("cursor") for call in api.devices.calls]
    assert cursors[0] is None and len({cursor[0] for cursor in cursors[1:]}) == len(cursors) - 1


def test_an_empty_page_ends_a_cursor_listing(api):
    pages = list(_paging.iter_cursor_pages(client_for(api), _devices.registrations_path(fake.ACCOUNT_ID),
                                           [("user.id", "00000000-0000-4000-8000-000000000000")]))
    assert pages == [[]]


@pytest.mark.parametrize("result_info, reason", [
    (None, "result_info has no cursor: the listing cannot be followed to its end"),
    ({"count": 0, "per_page": 100}, "result_info has no cursor"),
    ({"count": 0, "per_page": 100, "cursor": 7}, "a cursor that is a number, not a string"),
    ({"count": 0, "per_page": 100, "cursor": {"next": "x"}}, "a cursor that is an object, not a string"),
    ({"count": 3, "per_page": 100, "cursor": ""}, "result_info.count says 3 rows, the page has 0"),
])
def test_a_cursor_listing_without_a_usable_cursor_is_refused(api, result_info, reason):
    body = {"success": True, "errors": [], "messages": [], "result": []}
    if result_info is not None:
        body["result_info"] = result_info
    api.add_fault("canned", status=200, body=json.dumps(body), path="/devices/registrations")
    with pytest.raises(CloudflareAPIError, match=reason):
        list(_paging.iter_cursor_pages(client_for(api), _devices.registrations_path(fake.ACCOUNT_ID)))


def test_a_cursor_answered_again_is_a_loop_refused(api):
    api.add_fault("repeat_cursor", times=-1, path="/devices/registrations")
    with pytest.raises(CloudflareAPIError, match="the API answered a cursor it had already answered"):
        list(_paging.iter_cursor_pages(client_for(api), _devices.registrations_path(fake.ACCOUNT_ID),
                                       registrations_query([JDOE]), per_page=1))
    assert len(api.devices.calls) == 2


def test_one_listing_per_fifty_users_and_only_their_registrations(api, big_api):
    big_api.devices.reset()
    users = holders(big_api, 120)
    found = _devices.registrations_of(client_for(big_api), fake.ACCOUNT_ID, users)
    assert set(found) == {user["id"] for user in users}
    assert all(item["user"]["id"] == user_id for user_id, items in found.items() for item in items)
    firsts = [call for call in big_api.devices.calls if "cursor" not in call["query"]]
    assert sorted(len(call["query"]["user.id"]) for call in firsts) == [20, 50, 50]


def test_the_registration_listings_count_against_the_budget_first(big_api):
    big_api.devices.reset()
    client = client_for(big_api, request_budget=2)
    with pytest.raises(CloudflareError, match="listing the WARP registrations of 120 users takes 3 more API requests"):
        _devices.registrations_of(client, fake.ACCOUNT_ID, holders(big_api, 120))
    assert big_api.api_requests() == []


def test_writes_stop_starting_after_the_first_failure_and_report_each_one():
    started, lock = [], threading.Lock()

    def write(item):
        with lock:
            started.append(item)
        if item == 2:
            raise CloudflareError("refused")
        return item * 10

    outcomes = _threads.in_parallel_until_failure(write, list(range(40)))
    assert len(outcomes) == 40
    assert outcomes[2][1].args == ("refused",)
    ran = [index for index, (_value, error) in enumerate(outcomes) if error is not _threads.NOT_STARTED]
    assert sorted(started) == ran and len(ran) < 40
    assert all(outcomes[index] == (index * 10, None) for index in ran if index != 2)
    assert all(outcomes[index] == (None, _threads.NOT_STARTED) for index in range(40) if index not in ran)
