# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_paging.py: a listing is read to its end or fails. Pages after the first are fetched a few at a time, what
result_info announces is checked against what came, a page that repeats or lies is refused, and a cursor listing
is followed once to its end.

Against the local API; most listings are of its account of 2,500 users (pages of 1,000, 1,000 and 500).
"""

from __future__ import annotations

import json
import re

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _devices, _errors, _paging, _threads
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import list_users, users_path
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import routes, seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.api_state import users_where
from ansible_collections.cloudflare_community.zero_trust.tests.support.client_calls import api_error, canned, listing

LIST_PATH = users_path(local_api.ACCOUNT_ID)
CF_RAY = r"\(cf-ray [0-9a-f]{16}-SJC\)"


def pages_asked(server):
    """The pages asked for, sorted: pages after the first are fetched a few at a time, in any order."""
    return sorted((int(r["query"]["page"]), int(r["query"]["per_page"])) for r in server.api_requests())


# --- Page by page to the end ---------------------------------------------------------------------------------------

def test_three_pages_with_a_partial_last_page_each_asked_once(make_client, big_api):
    users = list_users(make_client(big_api).account(local_api.ACCOUNT_ID))
    assert [user["id"] for user in users] == [user["id"] for user in big_api.accounts[local_api.ACCOUNT_ID]]
    assert pages_asked(big_api) == [(1, 1000), (2, 1000), (3, 1000)]


def test_pages_yield_the_api_result_info(make_client, big_api):
    pages = list(_paging.read_listing(make_client(big_api), users_path(local_api.ACCOUNT_ID)))
    assert [len(items) for items, _info in pages] == [1000, 1000, 500]
    assert [info["page"] for _items, info in pages] == [1, 2, 3]
    assert pages[-1][1] == {"page": 3, "per_page": 1000, "count": 500, "total_count": 2500, "total_pages": 3}


def test_a_partial_page_ends_the_listing_even_if_totals_promise_more(make_client, big_api):
    big_api.accounts["2" * 32] = big_api.accounts[local_api.ACCOUNT_ID][:1500]
    assert len(list_users(make_client(big_api).account("2" * 32))) == 1500
    assert pages_asked(big_api) == [(1, 1000), (2, 1000)]


@pytest.mark.parametrize("per_page, expected_pages", [(1000, 3), (999, 3), (500, 5), (250, 10)])
def test_page_size_is_honoured(make_client, big_api, per_page, expected_pages):
    client = make_client(big_api)
    items = [user for page, _info in _paging.read_listing(client, users_path(local_api.ACCOUNT_ID), per_page=per_page) for user in page]
    assert len(items) == 2500
    assert pages_asked(big_api) == [(page, per_page) for page in range(1, expected_pages + 1)]


def test_without_result_info_paging_stops_on_the_partial_page(make_client, big_api):
    big_api.add_fault("no_result_info", times=-1)
    assert len(list_users(make_client(big_api).account(local_api.ACCOUNT_ID))) == 2500
    assert pages_asked(big_api) == [(1, 1000), (2, 1000), (3, 1000)]


def test_an_empty_page_ends_the_listing(make_client, fake_api):
    fake_api.accounts["1" * 32] = []
    assert list_users(make_client(fake_api).account("1" * 32)) == []
    assert pages_asked(fake_api) == [(1, 1000)]


def test_a_page_size_over_the_limit_is_refused_by_the_api(make_client, big_api):
    with pytest.raises(_errors.CloudflareAPIError, match=r"HTTP 400: \[10400\] per_page must be between 1 and 1000"):
        list(_paging.read_listing(make_client(big_api), users_path(local_api.ACCOUNT_ID), per_page=1001))


def test_a_server_with_smaller_pages_and_no_total_pages_still_yields_everyone(make_client, big_api):
    big_api.add_fault("small_pages", times=-1)
    users = list_users(make_client(big_api).account(local_api.ACCOUNT_ID))
    assert len(users) == 2500 and len({user["id"] for user in users}) == 2500
    assert pages_asked(big_api) == [(page, 1000) for page in range(1, 26)]


def test_a_filtered_listing_does_not_fetch_ahead_on_the_unfiltered_total_count(make_client, big_api):
    # Pages of 100 without total_pages: only total_count (2,500, every user: unfiltered) is announced.
    big_api.add_fault("small_pages", times=-1)
    matching = [user for user in big_api.accounts[local_api.ACCOUNT_ID] if routes.user_matches(user, {"search": "son"})]
    assert 100 < len(matching) < 2400 and len(matching) % 100  # several pages, the last one short
    users = list_users(make_client(big_api).account(local_api.ACCOUNT_ID), search="son")
    assert [user["id"] for user in users] == [user["id"] for user in matching]
    # Read page by page up to the short page: not the 25 pages 2,500 users would fill.
    assert pages_asked(big_api) == [(page, 1000) for page in range(1, len(matching) // 100 + 2)]


# --- What result_info announces, and when to read on ---------------------------------------------------------------

@pytest.mark.parametrize("result_info, filtered, pages", [
    ({"total_pages": 3, "total_count": 2500, "per_page": 1000}, False, 3),
    ({"total_count": 2500, "per_page": 1000}, False, 3),
    ({"total_count": 2500, "per_page": 100}, False, 25),
    ({"total_count": 2000, "per_page": 1000}, False, 2),
    ({"total_count": 0, "per_page": 1000}, False, 1),
    ({"total_count": 2500, "per_page": 1000}, True, None),  # total_count ignores search parameters
    ({"total_pages": 1, "total_count": 2500, "per_page": 1000}, True, 1),
    ({"total_count": 2500}, False, None),
    ({"total_pages": True}, False, None),
    ({"total_pages": 2.5}, False, None),
    ({}, False, None),
])
def test_announced_pages(result_info, filtered, pages):
    assert _paging.announced_pages(result_info, filtered=filtered) == pages


@pytest.mark.parametrize("value, number", [(3, 3), (3.0, 3), (0, 0), (-1, None), (-2.0, None), (2.5, None),
                                           (float("inf"), None), (True, None), ("3", None), (None, None)])
def test_only_whole_non_negative_numbers_count_as_totals(value, number):
    assert _paging.announced_pages({"total_pages": value}) == (None if number is None else max(1, number))


@pytest.mark.parametrize("count, pages", [(1, 1), (999, 1), (1000, 1), (1001, 2), (2000, 2), (2001, 3)])
def test_total_count_rounds_up_to_whole_pages(count, pages):
    assert _paging.announced_pages({"total_count": count, "per_page": 1000}) == pages


@pytest.mark.parametrize("page, count, rows, info, more", [
    (1, 100, 100, {"per_page": 1000, "total_count": 2500}, True),  # short page, but rows are missing
    (1, 100, 100, {"per_page": 1000, "total_pages": 3}, True),
    (3, 500, 2500, {"per_page": 1000, "total_pages": 3, "total_count": 2500}, False),
    (1, 1000, 1000, {"per_page": 1000}, True),  # no totals: a full page may have a successor
    (1, 999, 999, {"per_page": 1000}, False),
    (1, 0, 0, {"per_page": 1000, "total_count": 2500}, False),  # an empty page ends it (then listing_problem says why)
    (1, 100, 100, {"per_page": 100}, True),  # the API's page size, not the one asked for, tells a full page
    (1, 100, 100, {}, False),
])
def test_when_to_read_the_next_page(page, count, rows, info, more):
    assert _paging.more_pages(page, count, rows, info, 1000) is more


@pytest.mark.parametrize("info, rows, pages, problem", [
    ({"total_count": 2500, "per_page": 1000, "total_pages": 3}, 2500, 3, None),
    ({"total_count": 2500, "per_page": 1000}, 1000, 2, "the API announced 2500 rows (total_count), 1000 rows came in 2 pages"),
    ({"total_pages": 3, "per_page": 1000}, 2001, 3, None),
    ({"total_pages": 3, "per_page": 1000}, 300, 3,
     "the API announced 3 pages of 1000 rows (total_pages, per_page), 300 rows came in 3 pages"),
    ({"total_pages": 1, "total_count": 2500, "per_page": 1000}, 2500, 3,
     "the API announced 1 pages (total_pages), 2500 rows came in 3 pages"),
    ({"total_pages": 1, "per_page": 1000}, 0, 1, None),
    ({}, 7, 1, None),
    # The edges: one page read; more pages read than announced; exactly (pages - 1) full pages of rows.
    ({"total_count": 2500, "per_page": 1000}, 1000, 1, "the API announced 2500 rows (total_count), 1000 rows came in 1 page"),
    ({"total_pages": 1, "per_page": 1000}, 1000, 2, "the API announced 1 pages (total_pages), 1000 rows came in 2 pages"),
    ({"total_pages": 2, "per_page": 1000}, 2000, 3, "the API announced 2 pages (total_pages), 2000 rows came in 3 pages"),
    ({"total_pages": 2, "per_page": 1000}, 1000, 2,
     "the API announced 2 pages of 1000 rows (total_pages, per_page), 1000 rows came in 2 pages"),
    ({"total_pages": 3, "per_page": 1000}, 2000, 3,
     "the API announced 3 pages of 1000 rows (total_pages, per_page), 2000 rows came in 3 pages"),
    ({"total_pages": 2, "per_page": 1000}, 1001, 2, None),
])
def test_a_finished_listing_is_checked_against_the_announced_totals(info, rows, pages, problem):
    assert _paging.listing_problem(info, rows, pages) == problem


@pytest.mark.parametrize("info, message", [
    ("3 pages", "result_info is a string, not an object"),
    ([3], "result_info is a list, not an object"),
    (True, "result_info is a boolean, not an object"),
    (3, "result_info is a number, not an object"),
])
def test_a_result_info_that_is_not_an_object_is_refused(info, message):
    error = api_error(lambda: _paging.page_info({"result_info": info}, LIST_PATH))
    assert (error.method, error.status, str(error)) == ("GET", 200, "GET %s failed: HTTP 200: %s" % (LIST_PATH, message))


# --- A listing is complete or it fails -----------------------------------------------------------------------------

def test_a_server_answering_the_wrong_page_is_an_error_not_a_loop(make_client, big_api):
    big_api.add_fault("ignore_page", times=-1)
    with pytest.raises(_errors.CloudflareAPIError, match=r"^GET %s\?page=2&per_page=1000 failed: HTTP 200: asked for page 2, "
                                                         r"the API answered page 1$" % users_path(local_api.ACCOUNT_ID)) as raised:
        list_users(make_client(big_api).account(local_api.ACCOUNT_ID))
    assert (raised.value.method, raised.value.status) == ("GET", 200)
    # Page 1 announced 3 pages: page 3 may have been fetched alongside page 2, never anything more.
    assert pages_asked(big_api) in ([(1, 1000), (2, 1000)], [(1, 1000), (2, 1000), (3, 1000)])


def test_a_server_repeating_a_page_silently_is_an_error_not_a_loop(make_client, big_api):
    big_api.add_fault("ignore_page_silently", times=-1)
    with pytest.raises(_errors.CloudflareAPIError, match="page 2 repeats objects of an earlier page"):
        list_users(make_client(big_api).account(local_api.ACCOUNT_ID))
    assert pages_asked(big_api) == [(1, 1000), (2, 1000)]


def test_a_server_echoing_per_page_with_smaller_pages_is_read_to_its_total_count(make_client, big_api):
    big_api.add_fault("lying_per_page", times=-1)
    users = list_users(make_client(big_api).account(local_api.ACCOUNT_ID))
    assert [user["id"] for user in users] == [user["id"] for user in big_api.accounts[local_api.ACCOUNT_ID]]
    assert pages_asked(big_api) == [(page, 1000) for page in range(1, 26)]  # 2 and 3, announced by page 1, in parallel


def test_total_pages_that_contradict_the_rows_fail_with_what_was_announced_and_what_came(make_client, big_api):
    big_api.add_fault("wrong_total_pages", times=-1)
    error = api_error(list_users, make_client(big_api).account(local_api.ACCOUNT_ID))
    assert str(error) == ("GET %s?page=3&per_page=1000 failed: HTTP 200: the listing is incomplete or inconsistent: the API "
                          "announced 3 pages of 1000 rows (total_pages, per_page), 300 rows came in 3 pages" % LIST_PATH)


def test_items_without_ids_that_never_end_stop_after_a_page_that_brings_nothing_new(make_client, fake_api):
    canned(fake_api, listing([{"name": "a"}, {"name": "b"}], per_page=2))
    client = make_client(fake_api)
    error = api_error(lambda: list(_paging.read_listing(client, LIST_PATH, per_page=2)))
    assert str(error).endswith("page 2 repeats objects of an earlier page")
    assert len(fake_api.api_requests()) == 2


def test_a_listing_result_that_is_not_a_list_is_refused(make_client, fake_api):
    canned(fake_api, {"success": True, "errors": [], "messages": [], "result": {"id": "x"}})
    error = api_error(lambda: list(_paging.read_listing(make_client(fake_api), LIST_PATH)))
    assert (error.method, error.status) == ("GET", 200)
    assert re.match(r"GET %s\?page=1&per_page=1000 failed: HTTP 200: the API answered success but its result is an "
                    r"object, not a list %s$" % (LIST_PATH, CF_RAY), str(error))


def test_a_page_repeating_one_id_of_an_earlier_page_is_refused_even_with_new_objects(make_client, fake_api):
    for page, items in ((1, [{"id": "a"}, {"id": "b"}]), (2, [{"id": "c"}, {"id": "a"}])):
        fake_api.add_fault("canned", status=200, body=json.dumps(listing(items, page=page, per_page=2, total_pages=2)))
    error = api_error(lambda: list(_paging.read_listing(make_client(fake_api), LIST_PATH, per_page=2)))
    assert (error.method, error.status) == ("GET", 200)
    assert str(error) == "GET %s?page=2&per_page=2 failed: HTTP 200: page 2 repeats objects of an earlier page" % LIST_PATH


def test_an_unusable_item_is_named_by_its_place(make_client, fake_api):
    canned(fake_api, listing([{"id": "a"}, {"id": "b"}], per_page=2))
    error = api_error(lambda: list(_paging.read_listing(make_client(fake_api), LIST_PATH, per_page=2,
                                                        item_problem=lambda item: "no" if item["id"] == "b" else None)))
    assert (error.method, str(error)) == ("GET", "GET %s?page=1&per_page=2 failed: HTTP 200: item 2 of page 1: no"
                                          % LIST_PATH)


def test_a_listing_that_never_ends_stops_at_the_page_limit(make_client, big_api, monkeypatch):
    monkeypatch.setattr(_paging, "MAX_PAGES", 3)
    big_api.add_fault("small_pages", times=-1)  # 100 users a page and no total_pages: 25 pages, beyond the limit
    error = api_error(lambda: list(_paging.read_listing(make_client(big_api), LIST_PATH, per_page=100)))
    assert (error.method, str(error)) == ("GET", "GET %s failed: more than 3 pages; stopped" % LIST_PATH)
    assert sorted(int(r["query"]["page"]) for r in big_api.api_requests()) == [1, 2, 3]


# --- Pages fetched ahead, a few at a time --------------------------------------------------------------------------

@pytest.fixture
def slow_pages(big_api):
    """The 2,500-user account served in 25 pages of 100, each answer taking 50 ms."""
    big_api.latency = 0.05
    yield big_api
    big_api.latency = 0.0


def test_announced_pages_are_fetched_at_most_four_at_a_time_each_once_and_yielded_in_order(make_client, slow_pages):
    pages = list(_paging.read_listing(make_client(slow_pages), users_path(local_api.ACCOUNT_ID), per_page=100))
    assert [info["page"] for _items, info in pages] == list(range(1, 26))
    assert [user["id"] for items, _info in pages for user in items] == \
        [user["id"] for user in slow_pages.accounts[local_api.ACCOUNT_ID]]
    assert pages_asked(slow_pages) == [(page, 100) for page in range(1, 26)]  # each page exactly once
    assert 2 <= slow_pages.max_in_flight <= _threads.MAX_PARALLEL_REQUESTS
    assert slow_pages.api_requests()[0]["query"]["page"] == "1"  # page 1 alone first: it announces the rest


def test_without_announced_totals_pages_are_read_one_by_one(make_client, slow_pages):
    slow_pages.add_fault("no_result_info", times=-1)
    users = list_users(make_client(slow_pages).account(local_api.ACCOUNT_ID))
    assert len(users) == 2500
    assert [int(r["query"]["page"]) for r in slow_pages.api_requests()] == [1, 2, 3]
    assert slow_pages.max_in_flight == 1


def test_a_listing_closed_after_page_one_fetches_nothing_ahead(make_client, big_api):
    pages = _paging.read_listing(make_client(big_api), users_path(local_api.ACCOUNT_ID), per_page=100)
    next(pages)
    pages.close()
    assert pages_asked(big_api) == [(1, 100)]


def test_pages_ahead_must_fit_the_request_budget_before_any_is_sent(make_client, big_api):
    client = make_client(big_api, request_budget=10)
    with pytest.raises(_errors.CloudflareBudgetError, match="^reading the 24 remaining pages of %s takes 24 more API "
                                                            r"requests \(1 sent so far\)" % users_path(local_api.ACCOUNT_ID)):
        list(_paging.read_listing(client, users_path(local_api.ACCOUNT_ID), per_page=100))
    assert pages_asked(big_api) == [(1, 100)]


def test_a_failing_page_ahead_fails_the_listing_and_cancels_the_pages_not_started(make_client, slow_pages):
    pages = _paging.read_listing(make_client(slow_pages), users_path(local_api.ACCOUNT_ID), per_page=100)
    next(pages)  # page 1 answers and announces 25 pages; every page after it is refused
    slow_pages.add_fault("status", status=403, times=-1)
    with pytest.raises(_errors.CloudflareAPIError, match=r"page=2&per_page=100 failed: HTTP 403"):
        list(pages)
    # Besides page 1, only pages already in flight (or started as others ended) were sent: not all 24.
    assert len(slow_pages.api_requests()) <= 1 + 2 * _threads.MAX_PARALLEL_REQUESTS


# --- Cursor listings (the WARP registrations) ----------------------------------------------------------------------

def cursor_pages(client, path, query=None, **options):
    """The items of each page of a cursor listing, page by page."""
    return [items for items, _info in _paging.read_listing(client, path, query, _paging.CURSOR, **options)]


def registrations_query(users):
    return [("user.id", user["id"]) for user in users] + [("status", "active")]


def test_cursor_paging_follows_every_cursor_once_until_it_is_empty(make_client, fake_api):
    users = users_where(fake_api, lambda user: user["gateway_seat"], 8)
    expected = sorted(item["id"] for user in users for item in fake_api.devices.of_user(local_api.ACCOUNT_ID, user["id"]))
    pages = list(cursor_pages(make_client(fake_api), _devices.registrations_path(local_api.ACCOUNT_ID),
                              registrations_query(users), per_page=3))
    assert [item["id"] for page in pages for item in page] == expected
    assert len(pages) == -(-len(expected) // 3) >= 4
    cursors = [call["query"].get("cursor") for call in fake_api.device_calls]
    assert cursors[0] is None and len({cursor[0] for cursor in cursors[1:]}) == len(cursors) - 1


def test_an_empty_page_ends_a_cursor_listing(make_client, fake_api):
    pages = list(cursor_pages(make_client(fake_api), _devices.registrations_path(local_api.ACCOUNT_ID),
                              [("user.id", "00000000-0000-4000-8000-000000000000")]))
    assert pages == [[]]


@pytest.mark.parametrize("result_info, reason", [
    (None, "result_info has no cursor: the listing cannot be followed to its end"),
    ({"count": 0, "per_page": 100}, "result_info has no cursor"),
    ({"count": 0, "per_page": 100, "cursor": 7}, "a cursor that is a number, not a string"),
    ({"count": 0, "per_page": 100, "cursor": {"next": "x"}}, "a cursor that is an object, not a string"),
    ({"count": 3, "per_page": 100, "cursor": ""}, "result_info.count says 3 rows, the page has 0"),
])
def test_a_cursor_listing_without_a_usable_cursor_is_refused(make_client, fake_api, result_info, reason):
    body = {"success": True, "errors": [], "messages": [], "result": []}
    if result_info is not None:
        body["result_info"] = result_info
    fake_api.add_fault("canned", status=200, body=json.dumps(body), path="/devices/registrations")
    with pytest.raises(_errors.CloudflareAPIError, match=reason):
        list(cursor_pages(make_client(fake_api), _devices.registrations_path(local_api.ACCOUNT_ID)))


def test_a_cursor_answered_again_is_a_loop_refused(make_client, fake_api):
    fake_api.add_fault("repeat_cursor", times=-1, path="/devices/registrations")
    with pytest.raises(_errors.CloudflareAPIError, match="the API answered a cursor it had already answered"):
        list(cursor_pages(make_client(fake_api), _devices.registrations_path(local_api.ACCOUNT_ID),
                          registrations_query([seeded.EXAMPLE_USER]), per_page=1))
    assert len(fake_api.device_calls) == 2


def test_a_page_naming_one_object_twice_is_refused(make_client, fake_api):
    canned(fake_api, listing([{"id": "a"}, {"id": "b"}, {"id": "a"}], per_page=3))
    error = api_error(lambda: list(_paging.read_listing(make_client(fake_api), LIST_PATH, per_page=3)))
    assert str(error) == ("GET %s?page=1&per_page=3 failed: HTTP 200: items 1 and 3 of page 1 have the same id a: the "
                          "page names one object twice" % LIST_PATH)


def test_a_cursor_page_naming_one_registration_under_two_users_is_refused(make_client, fake_api):
    users = users_where(fake_api, lambda user: user["gateway_seat"], 2)
    fake_api.add_fault("twin_registration", path="/devices/registrations")
    with pytest.raises(_errors.CloudflareAPIError, match="the page names one object twice"):
        list(cursor_pages(make_client(fake_api), _devices.registrations_path(local_api.ACCOUNT_ID),
                          registrations_query(users)))


def test_a_cursor_listing_that_never_ends_stops_at_the_pages_planned(make_client, fake_api):
    fake_api.add_fault("endless_cursor", times=-1, path="/devices/registrations")
    with pytest.raises(_errors.CloudflareAPIError) as info:
        list(cursor_pages(make_client(fake_api), _devices.registrations_path(local_api.ACCOUNT_ID),
                          registrations_query([seeded.EXAMPLE_USER]), planned=(3, "more than planned")))
    assert str(info.value).endswith("failed: HTTP 200: the listing goes on after 3 pages, more than planned: stopped")
    assert len(fake_api.api_requests()) == 3


@pytest.mark.parametrize("total_count, pages", [(0, 1), (2, 1), (3, 2), (5, 3)])
def test_a_cursor_listing_takes_no_more_pages_than_its_total_count_announces(make_client, fake_api, total_count, pages):
    for number in range(1, 6):
        canned_page = listing([{"id": "r%d" % number}], count=1, cursor="c%d" % number, per_page=2,
                              total_count=total_count)
        fake_api.add_fault("canned", status=200, body=json.dumps(canned_page), path="/devices/registrations")
    with pytest.raises(_errors.CloudflareAPIError, match="more than the API announced .total_count %d: %d page"
                       % (total_count, pages)):
        list(cursor_pages(make_client(fake_api), _devices.registrations_path(local_api.ACCOUNT_ID),
                          per_page=2))
    assert len(fake_api.api_requests()) == pages


# --- One interface over both pagings ----------------------------------------------------------------------------------

def test_both_pagings_yield_each_pages_items_and_result_info(make_client, fake_api):
    client = make_client(fake_api)
    path = _devices.registrations_path(local_api.ACCOUNT_ID)
    for items, info in _paging.read_listing(client, path, dict(status="active"), _paging.CURSOR, per_page=2):
        assert isinstance(items, list) and "cursor" in info
    for items, info in _paging.read_listing(client, users_path(local_api.ACCOUNT_ID)):
        assert isinstance(items, list) and info["page"] == 1


@pytest.mark.parametrize("options, message", [
    (dict(paging="offset"), "paging is PAGES or CURSOR, not 'offset'"),
    (dict(size_param="limit"), "size_param and planned are options of CURSOR paging"),
    (dict(planned=(3, "planned")), "size_param and planned are options of CURSOR paging"),
])
def test_an_option_of_another_paging_is_refused_before_any_request(make_client, fake_api, options, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        _paging.read_listing(make_client(fake_api), LIST_PATH, **options)
    assert fake_api.api_requests() == []
