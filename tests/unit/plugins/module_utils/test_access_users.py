# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The look-up planner and include, where no other test pinned them down (issue 13): which user lands under
which key (inputs neither sorted nor with the missing key first), repeated keys, the bound on parallel
requests, sub-resources that answer 404, and the exact requests each plan sends.
"""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _errors, _options
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    add_related,
    users_by_key,
    seat_summary,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import MAX_PARALLEL_REQUESTS
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
USERS_PATH = "/client/v4/accounts/%s/access/users" % fake.ACCOUNT_ID


def client_for(server, **options):
    settings = dict(account_id=fake.ACCOUNT_ID, api_url=server.api_url, api_token=fake.API_TOKEN, timeout=10,
                    retries=0, retry_timeout=5, request_budget=100)
    settings.update(options)
    return _options.client_from_params(settings)


def users_of(server):
    return server.accounts[fake.ACCOUNT_ID]


def asked(server):
    """(path relative to the users endpoint, query) of each request, in the order sent."""
    return [(request["path"][len(USERS_PATH):], request["query"]) for request in server.api_requests()]


@pytest.fixture(scope="module")
def quiet_api():
    """An account of 2,500 users on a server of its own: no request of another test is ever in flight there."""
    with fake.FakeCloudflare(users=2500) as server:
        yield server


@pytest.fixture
def quiet(quiet_api):
    quiet_api.clear()
    yield quiet_api
    quiet_api.latency = 0.0
    quiet_api.clear()


# --- Which user under which key -----------------------------------------------------------------------------

def test_ids_from_the_first_page_map_each_key_to_its_own_user(fake_api):
    users = users_of(fake_api)
    keys = [users[17]["id"], UNKNOWN_ID, users[3]["id"], users[11]["id"], users[0]["id"]]
    found = users_by_key(client_for(fake_api), fake.ACCOUNT_ID, keys, "id")
    assert list(found) == keys
    assert found == {keys[0]: [users[17]], UNKNOWN_ID: [], keys[2]: [users[3]], keys[3]: [users[11]], keys[4]: [users[0]]}
    assert asked(fake_api) == [("", {"page": "1", "per_page": "1000"})]


def test_emails_from_the_first_page_map_each_key_to_its_own_user(fake_api):
    users = users_of(fake_api)
    keys = [users[20]["email"], "nobody@example.com", users[4]["email"], users[9]["email"]]
    found = users_by_key(client_for(fake_api), fake.ACCOUNT_ID, keys, "email")
    assert found == {keys[0]: [users[20]], "nobody@example.com": [], keys[2]: [users[4]], keys[3]: [users[9]]}


def test_ids_fetched_one_by_one_in_parallel_keep_their_own_user(big_api):
    # Pages of 100 and no total_pages: the first page announces 25 pages, so five missing ids cost five requests.
    big_api.add_fault("small_pages", times=1)
    users = users_of(big_api)
    picks = [2200, 700, 1900, 350]
    keys = [users[picks[0]]["id"], users[picks[1]]["id"], UNKNOWN_ID, users[picks[2]]["id"], users[picks[3]]["id"],
            users[40]["id"]]
    found = users_by_key(client_for(big_api), fake.ACCOUNT_ID, keys, "id")
    assert found == {keys[0]: [users[2200]], keys[1]: [users[700]], UNKNOWN_ID: [], keys[3]: [users[1900]],
                     keys[4]: [users[350]], keys[5]: [users[40]]}
    sent = asked(big_api)
    assert sent[0] == ("", {"page": "1", "per_page": "1000"})
    assert sorted(path for path, _query in sent[1:]) == sorted("/" + key for key in keys[:5])
    assert all(query == {} for _path, query in sent[1:])


def test_emails_fetched_one_by_one_in_parallel_keep_their_own_users(big_api):
    big_api.add_fault("small_pages", times=1)
    users = users_of(big_api)
    keys = [users[1800]["email"], "nobody@example.com", users[600]["email"], users[2450]["email"]]
    found = users_by_key(client_for(big_api), fake.ACCOUNT_ID, keys, "email")
    assert found == {keys[0]: [users[1800]], "nobody@example.com": [], keys[2]: [users[600]], keys[3]: [users[2450]]}
    searches = sorted(query["email"] for _path, query in asked(big_api)[1:])
    assert searches == sorted(keys)


def test_missing_keys_read_the_remaining_pages_when_that_is_cheaper(big_api):
    users = users_of(big_api)
    keys = [users[2100]["id"], users[1200]["id"], users[30]["id"]]
    found = users_by_key(client_for(big_api), fake.ACCOUNT_ID, keys, "id")
    assert found == {keys[0]: [users[2100]], keys[1]: [users[1200]], keys[2]: [users[30]]}
    assert sorted(query["page"] for _path, query in asked(big_api)) == ["1", "2", "3"]  # 2 and 3 in parallel


def test_one_key_is_one_filtered_request(big_api):
    user = users_of(big_api)[2300]
    found = users_by_key(client_for(big_api), fake.ACCOUNT_ID, [user["email"]], "email")
    assert found == {user["email"]: [user]}
    assert asked(big_api) == [("", {"email": user["email"], "page": "1", "per_page": "1000"})]


# --- Repeated keys ------------------------------------------------------------------------------------------

def test_a_repeated_id_is_one_key_and_one_request(fake_api):
    user = users_of(fake_api)[6]
    found = users_by_key(client_for(fake_api), fake.ACCOUNT_ID, [user["id"], user["id"], user["id"]], "id")
    assert found == {user["id"]: [user]}
    assert asked(fake_api) == [("/" + user["id"], {})]


def test_repeated_keys_among_others_are_looked_up_once(big_api):
    big_api.add_fault("small_pages", times=1)
    users = users_of(big_api)
    first, second = users[1500]["id"], users[2000]["id"]
    found = users_by_key(client_for(big_api), fake.ACCOUNT_ID, [first, second, first, second], "id")
    assert found == {first: [users[1500]], second: [users[2000]]}
    assert sorted(path for path, _query in asked(big_api)[1:]) == sorted(["/" + first, "/" + second])


def test_a_repeated_include_is_read_once_per_user(fake_api):
    user = dict(users_of(fake_api)[0])
    add_related(client_for(fake_api), fake.ACCOUNT_ID, [user], ["failed_logins", "failed_logins"])
    assert asked(fake_api) == [("/%s/failed_logins" % user["id"], {})]
    assert user["failed_logins"] == fake.sub_resources(user)["failed_logins"]


# --- include: 404 of one sub-resource, the budget, the bound on parallel requests ---------------------------

def test_a_sub_resource_that_answers_404_is_null_for_that_user_only(fake_api):
    users = [dict(user) for user in users_of(fake_api)[:3]]
    fake_api.add_fault("status", status=404, path="/%s/last_seen_identity" % users[1]["id"])
    add_related(client_for(fake_api), fake.ACCOUNT_ID, users, ["last_seen_identity", "active_sessions"])
    assert [user["active_sessions"] for user in users] == [fake.sub_resources(user)["active_sessions"] for user in users]
    assert users[0]["last_seen_identity"] == fake.sub_resources(users[0])["last_seen_identity"]
    assert users[1]["last_seen_identity"] is None
    assert users[2]["last_seen_identity"] == fake.sub_resources(users[2])["last_seen_identity"]
    assert len(fake_api.api_requests()) == 6


def test_a_sub_resource_on_an_unknown_route_is_an_error_not_null(fake_api):
    users = [dict(users_of(fake_api)[0])]
    cf = _options.client_from_params(dict(account_id=fake.ACCOUNT_ID, api_url=fake_api.url + "/wrong/v4",
                                          api_token=fake.API_TOKEN, timeout=5, retries=0, retry_timeout=1))
    with pytest.raises(_errors.CloudflareAPIError) as info:
        add_related(cf, fake.ACCOUNT_ID, users, ["active_sessions"])
    assert info.value.status == 404
    assert "[7003] No route for the URI" in str(info.value)
    assert str(info.value).endswith("; Cloudflare serves no such path: check api_url (it ends in /client/v4)")
    assert "active_sessions" not in users[0]


def test_include_beyond_the_request_budget_fails_before_any_request(fake_api):
    users = [dict(user) for user in users_of(fake_api)[:4]]
    cf = client_for(fake_api, request_budget=7)
    with pytest.raises(_errors.CloudflareBudgetError) as info:
        add_related(cf, fake.ACCOUNT_ID, users, ["active_sessions", "failed_logins"])
    assert str(info.value) == (
        "include for 4 users takes 8 more API requests (0 sent so far), more than request_budget allows (7); narrow "
        "the selection or raise request_budget: Cloudflare blocks all API use of the user for 5 minutes once 1,200 "
        "requests in 5 minutes are reached")
    assert fake_api.api_requests() == []


def test_include_sends_at_most_max_parallel_requests_at_once(quiet):
    users = [dict(user) for user in users_of(quiet)[:12]]
    quiet.latency = 0.15
    add_related(client_for(quiet), fake.ACCOUNT_ID, users, ["active_sessions"])
    assert MAX_PARALLEL_REQUESTS == 4
    assert quiet.max_in_flight == MAX_PARALLEL_REQUESTS
    assert [user["active_sessions"] for user in users] == [
        fake.sub_resources(user)["active_sessions"] for user in users_of(quiet)[:12]]


def test_lookups_send_at_most_max_parallel_requests_at_once(quiet):
    quiet.add_fault("small_pages", times=1)
    users = users_of(quiet)
    keys = [users[index]["id"] for index in range(1000, 2000, 100)]
    quiet.latency = 0.1
    found = users_by_key(client_for(quiet), fake.ACCOUNT_ID, keys, "id")
    assert found == {key: [users[index]] for key, index in zip(keys, range(1000, 2000, 100))}
    assert quiet.max_in_flight == MAX_PARALLEL_REQUESTS


def test_two_reads_already_go_in_parallel(quiet):
    users = [dict(user) for user in users_of(quiet)[:2]]
    quiet.latency = 0.2
    add_related(client_for(quiet), fake.ACCOUNT_ID, users, ["failed_logins"])
    assert quiet.max_in_flight == 2


# --- The seat summary counts each category --------------------------------------------------------------------

def test_seat_summary_counts_every_combination():
    users = [
        dict(access_seat=True, gateway_seat=True, last_successful_login="2026-01-01T00:00:00Z"),
        dict(access_seat=True, gateway_seat=False, last_successful_login=None),
        dict(access_seat=False, gateway_seat=True, last_successful_login="2026-01-02T00:00:00Z"),
        dict(access_seat=False, gateway_seat=False),
        dict(access_seat=True, gateway_seat=False, last_successful_login="2026-01-03T00:00:00Z"),
    ]
    assert seat_summary(users) == dict(users=5, access_seat=3, gateway_seat=2, both_seats=1, no_seat=1, never_logged_in=2)
    assert seat_summary([]) == dict(users=0, access_seat=0, gateway_seat=0, both_seats=0, no_seat=0, never_logged_in=0)
