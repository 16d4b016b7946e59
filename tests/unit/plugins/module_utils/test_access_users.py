# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_access_users.py: reading users (one by id, a listing, the planner's batches by key) and their related reads
(include), against the local API. Only Cloudflare's own 404 means a missing user; a strange answer fails in one
line naming the request; the planner maps each key to its own user at the fewest requests, a few in parallel.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _access_users, _errors
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    READ_PERMISSION,
    add_related,
    get_user,
    list_users,
    seat_summary,
    users_by_key,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._threads import MAX_PARALLEL_REQUESTS
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api.server import LocalAPI
from ansible_collections.cloudflare_community.zero_trust.tests.support.client_calls import api_error, canned, listing

USER_ID = seeded.EXAMPLE_USER["id"]
USER_PATH = "/accounts/%s/access/users/%s" % (local_api.ACCOUNT_ID, USER_ID)
LIST_PATH = "/accounts/%s/access/users" % local_api.ACCOUNT_ID
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
USERS_PATH = "/client/v4/accounts/%s/access/users" % local_api.ACCOUNT_ID
CF_RAY = r"\(cf-ray [0-9a-f]{16}-SJC\)"


def users_of(server):
    return server.accounts[local_api.ACCOUNT_ID]


def asked(server):
    """(path relative to the users endpoint, query) of each request, in the order sent."""
    return [(request["path"][len(USERS_PATH):], request["query"]) for request in server.api_requests()]


@pytest.fixture(scope="module")
def quiet_api():
    """An account of 2,500 users on a server of its own: no request of another test is ever in flight there."""
    with LocalAPI(users=2500) as server:
        yield server


@pytest.fixture
def quiet(quiet_api):
    quiet_api.clear()
    yield quiet_api
    quiet_api.latency = 0.0
    quiet_api.clear()


# --- One user by id: only Cloudflare's own 404 means a missing user ------------------------------------------------

def test_unknown_user_is_a_404_error_that_get_user_turns_into_none(make_client, fake_api):
    client = make_client(fake_api)
    missing = "/accounts/%s/access/users/%s" % (local_api.ACCOUNT_ID, "00000000-0000-4000-8000-000000000000")
    assert api_error(client.get, missing).status == 404
    assert get_user(client.account(local_api.ACCOUNT_ID), "00000000-0000-4000-8000-000000000000") is None


def test_a_wrong_api_url_is_an_error_not_an_unknown_user(make_client, fake_api):
    client = make_client(fake_api, api_url=fake_api.url)  # without /client/v4
    with pytest.raises(_errors.CloudflareAPIError) as info:
        get_user(client.account(local_api.ACCOUNT_ID), USER_ID)
    assert str(info.value).endswith(
        "HTTP 404: [7003] No route for the URI (cf-ray %s); Cloudflare serves no such path: check api_url "
        "(it ends in /client/v4)" % info.value.cf_ray)


@pytest.mark.parametrize("body, content_type", [("html", "text/html"), ("other_json", "application/json")])
def test_a_404_that_is_not_cloudflares_envelope_is_not_a_missing_user(make_client, fake_api, body, content_type):
    fake_api.add_fault("status", status=404, body=body, times=-1)
    error = api_error(get_user, make_client(fake_api).account(local_api.ACCOUNT_ID), USER_ID)
    assert re.match(r"GET %s failed: HTTP 404: response is not a Cloudflare API envelope \(%s\): .* %s; the answer did "
                    r"not come from Cloudflare's API: check api_url \(it ends in /client/v4\)" % (USER_PATH, content_type, CF_RAY),
                    str(error))


def test_a_404_envelope_without_errors_is_not_a_missing_user(make_client, fake_api):
    canned(fake_api, {"success": False, "errors": [], "result": None}, status=404)
    error = api_error(get_user, make_client(fake_api).account(local_api.ACCOUNT_ID), USER_ID)
    assert "check api_url" in str(error)


def test_null_result_is_not_a_user(make_client, fake_api):
    fake_api.add_fault("result_null")
    with pytest.raises(_errors.CloudflareAPIError) as info:
        get_user(make_client(fake_api).account(local_api.ACCOUNT_ID), USER_ID)
    assert str(info.value).startswith(
        "GET %s failed: HTTP 200: the API answered success but its result is null, not an object (cf-ray " % USER_PATH)


def test_strange_users_fail_in_one_line_naming_the_request(make_client, fake_api):
    canned(fake_api, {"success": True, "errors": [], "result": dict(seeded.EXAMPLE_USER, id=[1])})
    error = api_error(get_user, make_client(fake_api).account(local_api.ACCOUNT_ID), USER_ID)
    assert str(error) == "GET %s failed: HTTP 200: the API answered success, but a user's id is a list, not an identifier" % USER_PATH


# --- Listings: a strange one fails in one line naming the request --------------------------------------------------

@pytest.mark.parametrize("body, message", [
    (listing(["jdoe@example.com"], per_page=1000), "item 1 of page 1: a user is a string, not an object"),
    (listing([dict(seeded.EXAMPLE_USER, id=["x"])], per_page=1000), "item 1 of page 1: a user's id is a list, not an identifier"),
    (listing([dict(seeded.EXAMPLE_USER, id={"a": 1})], per_page=1000), "a user's id is an object, not an identifier"),
    (listing([dict(seeded.EXAMPLE_USER, id="..")], per_page=1000), "a user's id is '..', not an identifier"),
    (dict(listing([seeded.EXAMPLE_USER]), result_info="page 1 of 3"), "result_info is a string, not an object"),
    ('{"success": true, "result": [], "x": ' + "[" * 100000 + "]" * 100000 + "}", "response nests JSON deeper than 64 levels"),
    ('{"success": true, "result": [], "x": ' + "[" * 100 + "]" * 100 + "}", "response nests JSON deeper than 64 levels"),
    ('{"success": true, "result": [], "result_info": {"total_count": NaN}}', "response is not valid JSON: it contains NaN"),
    ('{"success": true, "result": [], "result_info": {"total_count": 1e999}}', "it contains a number too large for JSON"),
    ('{"success": true, "result": [], "result_info": {"total_count": -Infinity}}', "it contains -Infinity"),
])
def test_strange_listings_fail_in_one_line_naming_the_request(make_client, fake_api, body, message):
    canned(fake_api, body)
    error = api_error(list_users, make_client(fake_api).account(local_api.ACCOUNT_ID))
    assert str(error).startswith("GET %s?page=1&per_page=1000 failed: HTTP 200: " % LIST_PATH)
    assert message in str(error)


# --- The planner: which user under which key, at which cost --------------------------------------------------------

def test_ids_from_the_first_page_map_each_key_to_its_own_user(make_client, fake_api):
    users = users_of(fake_api)
    keys = [users[17]["id"], UNKNOWN_ID, users[3]["id"], users[11]["id"], users[0]["id"]]
    found = users_by_key(make_client(fake_api).account(local_api.ACCOUNT_ID), keys, "id")
    assert list(found) == keys
    assert found == {keys[0]: [users[17]], UNKNOWN_ID: [], keys[2]: [users[3]], keys[3]: [users[11]], keys[4]: [users[0]]}
    assert asked(fake_api) == [("", {"page": "1", "per_page": "1000"})]


def test_emails_from_the_first_page_map_each_key_to_its_own_user(make_client, fake_api):
    users = users_of(fake_api)
    keys = [users[20]["email"], "nobody@example.com", users[4]["email"], users[9]["email"]]
    found = users_by_key(make_client(fake_api).account(local_api.ACCOUNT_ID), keys, "email")
    assert found == {keys[0]: [users[20]], "nobody@example.com": [], keys[2]: [users[4]], keys[3]: [users[9]]}


def test_ids_fetched_one_by_one_in_parallel_keep_their_own_user(make_client, big_api):
    # Pages of 100 and no total_pages: the first page announces 25 pages, so five missing ids cost five requests.
    big_api.add_fault("small_pages", times=1)
    users = users_of(big_api)
    picks = [2200, 700, 1900, 350]
    keys = [users[picks[0]]["id"], users[picks[1]]["id"], UNKNOWN_ID, users[picks[2]]["id"], users[picks[3]]["id"],
            users[40]["id"]]
    found = users_by_key(make_client(big_api).account(local_api.ACCOUNT_ID), keys, "id")
    assert found == {keys[0]: [users[2200]], keys[1]: [users[700]], UNKNOWN_ID: [], keys[3]: [users[1900]],
                     keys[4]: [users[350]], keys[5]: [users[40]]}
    sent = asked(big_api)
    assert sent[0] == ("", {"page": "1", "per_page": "1000"})
    assert sorted(path for path, _query in sent[1:]) == sorted("/" + key for key in keys[:5])
    assert all(query == {} for _path, query in sent[1:])


def test_emails_fetched_one_by_one_in_parallel_keep_their_own_users(make_client, big_api):
    big_api.add_fault("small_pages", times=1)
    users = users_of(big_api)
    keys = [users[1800]["email"], "nobody@example.com", users[600]["email"], users[2450]["email"]]
    found = users_by_key(make_client(big_api).account(local_api.ACCOUNT_ID), keys, "email")
    assert found == {keys[0]: [users[1800]], "nobody@example.com": [], keys[2]: [users[600]], keys[3]: [users[2450]]}
    searches = sorted(query["email"] for _path, query in asked(big_api)[1:])
    assert searches == sorted(keys)


def test_missing_keys_read_the_remaining_pages_when_that_is_cheaper(make_client, big_api):
    users = users_of(big_api)
    keys = [users[2100]["id"], users[1200]["id"], users[30]["id"]]
    found = users_by_key(make_client(big_api).account(local_api.ACCOUNT_ID), keys, "id")
    assert found == {keys[0]: [users[2100]], keys[1]: [users[1200]], keys[2]: [users[30]]}
    assert sorted(query["page"] for _path, query in asked(big_api)) == ["1", "2", "3"]  # 2 and 3 in parallel


def test_one_key_is_one_filtered_request(make_client, big_api):
    user = users_of(big_api)[2300]
    found = users_by_key(make_client(big_api).account(local_api.ACCOUNT_ID), [user["email"]], "email")
    assert found == {user["email"]: [user]}
    assert asked(big_api) == [("", {"email": user["email"], "page": "1", "per_page": "1000"})]


def test_lookups_on_the_first_page_cost_one_request(make_client, big_api):
    ids = [user["id"] for user in big_api.accounts[local_api.ACCOUNT_ID][:900:100]]
    found = users_by_key(make_client(big_api).account(local_api.ACCOUNT_ID), ids, "id")
    assert all(len(found[user_id]) == 1 for user_id in ids)
    assert len(big_api.api_requests()) == 1


def test_as_many_missing_keys_as_remaining_pages_read_the_pages(make_client, big_api):
    ids = [big_api.accounts[local_api.ACCOUNT_ID][1500]["id"], "00000000-0000-4000-8000-000000000000"] + [
        big_api.accounts[local_api.ACCOUNT_ID][5]["id"]]
    found = users_by_key(make_client(big_api).account(local_api.ACCOUNT_ID), ids, "id")
    assert [len(found[user_id]) for user_id in ids] == [1, 0, 1]
    # Page 1 holds one of them; two ids and two pages remain: reading pages 2 and 3 costs the same.
    assert sorted((query["page"], query["per_page"]) for _path, query in asked(big_api)) == [
        ("1", "1000"), ("2", "1000"), ("3", "1000")]


def test_one_missing_key_beyond_the_first_page_costs_one_more_request(make_client, big_api):
    ids = [big_api.accounts[local_api.ACCOUNT_ID][2400]["id"], big_api.accounts[local_api.ACCOUNT_ID][7]["id"]]
    found = users_by_key(make_client(big_api).account(local_api.ACCOUNT_ID), ids, "id")
    assert [len(found[user_id]) for user_id in ids] == [1, 1]
    requests_sent = big_api.api_requests()
    assert len(requests_sent) == 2
    assert requests_sent[1]["path"].endswith("/users/" + ids[0])


# --- Repeated keys -------------------------------------------------------------------------------------------------

def test_a_repeated_id_is_one_key_and_one_request(make_client, fake_api):
    user = users_of(fake_api)[6]
    found = users_by_key(make_client(fake_api).account(local_api.ACCOUNT_ID), [user["id"], user["id"], user["id"]], "id")
    assert found == {user["id"]: [user]}
    assert asked(fake_api) == [("/" + user["id"], {})]


def test_repeated_keys_among_others_are_looked_up_once(make_client, big_api):
    big_api.add_fault("small_pages", times=1)
    users = users_of(big_api)
    first, second = users[1500]["id"], users[2000]["id"]
    found = users_by_key(make_client(big_api).account(local_api.ACCOUNT_ID), [first, second, first, second], "id")
    assert found == {first: [users[1500]], second: [users[2000]]}
    assert sorted(path for path, _query in asked(big_api)[1:]) == sorted(["/" + first, "/" + second])


def test_a_repeated_include_is_read_once_per_user(make_client, fake_api):
    user = dict(users_of(fake_api)[0])
    add_related(make_client(fake_api).account(local_api.ACCOUNT_ID), [user], ["failed_logins", "failed_logins"])
    assert asked(fake_api) == [("/%s/failed_logins" % user["id"], {})]
    assert user["failed_logins"] == seeded.sub_resources(user)["failed_logins"]


# --- include: a 404 of one sub-resource, the budget, the bound on parallel requests --------------------------------

def test_a_sub_resource_that_answers_404_is_null_for_that_user_only(make_client, fake_api):
    users = [dict(user) for user in users_of(fake_api)[:3]]
    fake_api.add_fault("status", status=404, path="/%s/last_seen_identity" % users[1]["id"])
    add_related(make_client(fake_api).account(local_api.ACCOUNT_ID), users, ["last_seen_identity", "active_sessions"])
    assert [user["active_sessions"] for user in users] == [seeded.sub_resources(user)["active_sessions"] for user in users]
    assert users[0]["last_seen_identity"] == seeded.sub_resources(users[0])["last_seen_identity"]
    assert users[1]["last_seen_identity"] is None
    assert users[2]["last_seen_identity"] == seeded.sub_resources(users[2])["last_seen_identity"]
    assert len(fake_api.api_requests()) == 6


def test_a_sub_resource_on_an_unknown_route_is_an_error_not_null(make_client, fake_api):
    users = [dict(users_of(fake_api)[0])]
    cf = make_client(api_url=fake_api.url + "/wrong/v4")
    with pytest.raises(_errors.CloudflareAPIError) as info:
        add_related(cf.account(local_api.ACCOUNT_ID), users, ["active_sessions"])
    assert info.value.status == 404
    assert "[7003] No route for the URI" in str(info.value)
    assert str(info.value).endswith("; Cloudflare serves no such path: check api_url (it ends in /client/v4)")
    assert "active_sessions" not in users[0]


def test_a_404_from_a_proxy_for_a_sub_resource_fails_include(make_client, fake_api):
    fake_api.add_fault("status", status=404, body="html", times=-1, path="/active_sessions")
    users = [dict(seeded.EXAMPLE_USER)]
    error = api_error(add_related, make_client(fake_api).account(local_api.ACCOUNT_ID), users, ["active_sessions"])
    assert error.path == USER_PATH + "/active_sessions"
    assert "active_sessions" not in users[0]


def test_include_beyond_the_request_budget_fails_before_any_request(make_client, fake_api):
    users = [dict(user) for user in users_of(fake_api)[:4]]
    cf = make_client(fake_api, request_budget=7)
    with pytest.raises(_errors.CloudflareBudgetError) as info:
        add_related(cf.account(local_api.ACCOUNT_ID), users, ["active_sessions", "failed_logins"])
    assert str(info.value) == (
        "include for 4 users takes 8 more API requests (0 sent so far), more than request_budget allows (7); narrow "
        "the selection or raise request_budget")
    assert fake_api.api_requests() == []


def test_include_sends_at_most_max_parallel_requests_at_once(make_client, quiet):
    users = [dict(user) for user in users_of(quiet)[:12]]
    quiet.latency = 0.15
    add_related(make_client(quiet).account(local_api.ACCOUNT_ID), users, ["active_sessions"])
    assert MAX_PARALLEL_REQUESTS == 4
    assert quiet.max_in_flight == MAX_PARALLEL_REQUESTS
    assert [user["active_sessions"] for user in users] == [
        seeded.sub_resources(user)["active_sessions"] for user in users_of(quiet)[:12]]


def test_lookups_send_at_most_max_parallel_requests_at_once(make_client, quiet):
    quiet.add_fault("small_pages", times=1)
    users = users_of(quiet)
    keys = [users[index]["id"] for index in range(1000, 2000, 100)]
    quiet.latency = 0.1
    found = users_by_key(make_client(quiet).account(local_api.ACCOUNT_ID), keys, "id")
    assert found == {key: [users[index]] for key, index in zip(keys, range(1000, 2000, 100))}
    assert quiet.max_in_flight == MAX_PARALLEL_REQUESTS


def test_two_reads_already_go_in_parallel(make_client, quiet):
    users = [dict(user) for user in users_of(quiet)[:2]]
    quiet.latency = 0.2
    add_related(make_client(quiet).account(local_api.ACCOUNT_ID), users, ["failed_logins"])
    assert quiet.max_in_flight == 2


# --- Which permission a 403 names (and that the token or account_id may be wrong) ----------------------------------

FORBIDDEN_HINT = "; the API token lacks the permission '%s' on the account, or the token or account_id is wrong" % (
    READ_PERMISSION)


@pytest.fixture
def refused(make_client, fake_api):
    """A client whose token the local API refuses on every call: HTTP 403, [10000] Authentication error."""
    return make_client(fake_api, api_token=local_api.NO_ACCESS_TOKEN)


def test_a_403_of_one_user_names_the_permission(refused):
    with pytest.raises(_errors.CloudflareAPIError) as info:
        get_user(refused.account(local_api.ACCOUNT_ID), seeded.EXAMPLE_USER["id"])
    assert str(info.value).endswith(FORBIDDEN_HINT)


def test_a_403_of_a_batch_listing_names_the_permission(refused):
    with pytest.raises(_errors.CloudflareAPIError) as info:
        users_by_key(refused.account(local_api.ACCOUNT_ID), ["a@example.com", "b@example.com"], "email")
    assert str(info.value).endswith(FORBIDDEN_HINT)


def test_a_403_of_an_email_search_names_the_permission(refused):
    with pytest.raises(_errors.CloudflareAPIError) as info:
        list_users(refused.account(local_api.ACCOUNT_ID), email="a@example.com")
    assert str(info.value).endswith(FORBIDDEN_HINT)


def test_a_403_of_include_names_the_permission(refused):
    with pytest.raises(_errors.CloudflareAPIError) as info:
        add_related(refused.account(local_api.ACCOUNT_ID), [dict(seeded.EXAMPLE_USER)], ["active_sessions"])
    assert str(info.value).endswith(FORBIDDEN_HINT)


# --- The seat summary counts each category -------------------------------------------------------------------------

def test_seat_summary_counts_every_combination():
    users = [
        dict(access_seat=True, gateway_seat=True, last_successful_login="2026-01-01T00:00:00Z"),
        dict(access_seat=True, gateway_seat=False, last_successful_login=None),
        dict(access_seat=False, gateway_seat=True, last_successful_login="2026-01-02T00:00:00Z"),
        dict(access_seat=False, gateway_seat=False),
        dict(access_seat=True, gateway_seat=False, last_successful_login="2026-01-03T00:00:00Z"),
    ]
    assert seat_summary(users) == dict(users=5, access_seat=3, gateway_seat=2, both_seats=1, no_seat=1, unknown_seat=0,
                                       never_logged_in=2)
    assert seat_summary([]) == dict(users=0, access_seat=0, gateway_seat=0, both_seats=0, no_seat=0, unknown_seat=0,
                                    never_logged_in=0)


# --- Any server response gives data or a typed one-line error ------------------------------------------------------

RESPONSES = 150  # modest: CI has 2 cores


ODD_TEXT = ["", "\ud800", "a\udfffb", "line\nbreak", "x" * 300, "<html>", "null", seeded.EXAMPLE_USER["id"], ".."]


scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False),
                    st.text(max_size=12), st.sampled_from(ODD_TEXT))


any_json = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)), max_leaves=12)


numbers = st.one_of(st.integers(-3, 3000), st.floats(allow_nan=False), st.text(max_size=4), st.none(), st.booleans())


user = st.fixed_dictionaries({"id": st.one_of(st.sampled_from([seeded.EXAMPLE_USER["id"], "u1", "u2"]), any_json)},
                             optional={"email": any_json, "name": any_json, "access_seat": any_json,
                                       "gateway_seat": any_json, "last_successful_login": any_json})


items = st.one_of(st.lists(user, max_size=5), st.lists(any_json, max_size=4), any_json)


result_info = st.one_of(st.none(), any_json, st.fixed_dictionaries({}, optional={
    "page": numbers, "per_page": numbers, "count": numbers, "total_count": numbers, "total_pages": numbers}))


envelope = st.fixed_dictionaries({"success": st.one_of(st.booleans(), any_json)}, optional={
    "errors": st.one_of(st.lists(st.fixed_dictionaries({"code": scalars, "message": scalars}), max_size=2), any_json),
    "result": st.one_of(items, user), "result_info": result_info, "messages": any_json})


@st.composite
def responses(draw):
    """(status, body text) as a server, a proxy or a broken middlebox might send them."""
    status = draw(st.sampled_from([200, 200, 200, 404, 400, 403, 500, 502]))
    body = json.dumps(draw(st.one_of(envelope, any_json)))
    mangle = draw(st.sampled_from(["none", "none", "cut", "nan", "deep", "html"]))
    if mangle == "cut":
        body = body[:draw(st.integers(0, len(body)))]
    elif mangle == "nan":
        body = body.replace("0", "NaN", 1).replace("1", "-Infinity", 1)
    elif mangle == "deep":
        body = '{"success": true, "result": ' + "[" * 200 + "]" * 200 + "}"
    elif mangle == "html":
        body = "<html><title>%d</title></html>" % status
    return status, body


CALLS = {
    "list_users": lambda client: _access_users.list_users(client.account(local_api.ACCOUNT_ID)),
    "get_user": lambda client: _access_users.get_user(client.account(local_api.ACCOUNT_ID), seeded.EXAMPLE_USER["id"]),
    "users_by_key": lambda client: _access_users.users_by_key(
        client.account(local_api.ACCOUNT_ID), [seeded.EXAMPLE_USER["id"], "00000000-0000-4000-8000-000000000000"], "id"),
    "add_related": lambda client: _access_users.add_related(
        client.account(local_api.ACCOUNT_ID), [dict(seeded.EXAMPLE_USER)], ["active_sessions", "last_seen_identity"]),
}


@settings(max_examples=RESPONSES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(response=responses(), call=st.sampled_from(sorted(CALLS)))
def test_any_server_response_gives_data_or_a_typed_one_line_error(make_client, fake_server, response, call):
    fake_server.clear()
    status, body = response
    fake_server.add_fault("canned", status=status, body=body, times=-1)
    client = make_client(fake_server, request_budget=20)
    try:
        data = CALLS[call](client)
    except _errors.CloudflareError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    # What a module would return: strict JSON in valid UTF-8 (no NaN, no lone surrogates).
    json.dumps(data, allow_nan=False, ensure_ascii=False).encode("utf-8")
