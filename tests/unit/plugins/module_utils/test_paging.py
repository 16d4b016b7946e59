# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Paging through result_info, against a local account of 2,500 users (pages of 1,000, 1,000 and 500)."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _client, _errors, _options, _paging
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    list_users,
    users_by_key,
    users_path,
    users_with_email,
)
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake


def client_for(server):
    return _options.client_from_params(dict(api_url=server.api_url, api_token=fake.API_TOKEN, timeout=10))


def pages_asked(server):
    """The pages asked for, sorted: pages after the first are fetched a few at a time, in any order."""
    return sorted((int(r["query"]["page"]), int(r["query"]["per_page"])) for r in server.api_requests())


def test_three_pages_with_a_partial_last_page_each_asked_once(big_api):
    users = list_users(client_for(big_api), fake.ACCOUNT_ID)
    assert [user["id"] for user in users] == [user["id"] for user in big_api.accounts[fake.ACCOUNT_ID]]
    assert pages_asked(big_api) == [(1, 1000), (2, 1000), (3, 1000)]


def test_pages_yield_the_api_result_info(big_api):
    pages = list(_paging.iter_pages(client_for(big_api), users_path(fake.ACCOUNT_ID)))
    assert [len(items) for items, _info in pages] == [1000, 1000, 500]
    assert [info["page"] for _items, info in pages] == [1, 2, 3]
    assert pages[-1][1] == {"page": 3, "per_page": 1000, "count": 500, "total_count": 2500, "total_pages": 3}


def test_a_partial_page_ends_the_listing_even_if_totals_promise_more(big_api):
    big_api.accounts["2" * 32] = big_api.accounts[fake.ACCOUNT_ID][:1500]
    assert len(list_users(client_for(big_api), "2" * 32)) == 1500
    assert pages_asked(big_api) == [(1, 1000), (2, 1000)]


@pytest.mark.parametrize("per_page, expected_pages", [(1000, 3), (999, 3), (500, 5), (250, 10)])
def test_page_size_is_honoured(big_api, per_page, expected_pages):
    client = client_for(big_api)
    items = [user for page, _info in _paging.iter_pages(client, users_path(fake.ACCOUNT_ID), per_page=per_page) for user in page]
    assert len(items) == 2500
    assert pages_asked(big_api) == [(page, per_page) for page in range(1, expected_pages + 1)]


def test_without_result_info_paging_stops_on_the_partial_page(big_api):
    big_api.add_fault("no_result_info", times=-1)
    assert len(list_users(client_for(big_api), fake.ACCOUNT_ID)) == 2500
    assert pages_asked(big_api) == [(1, 1000), (2, 1000), (3, 1000)]


def test_an_empty_page_ends_the_listing(fake_api):
    fake_api.accounts["1" * 32] = []
    assert list_users(client_for(fake_api), "1" * 32) == []
    assert pages_asked(fake_api) == [(1, 1000)]


def test_a_server_answering_the_wrong_page_is_an_error_not_a_loop(big_api):
    big_api.add_fault("ignore_page", times=-1)
    with pytest.raises(_errors.CloudflareAPIError, match=r"^GET %s\?page=2&per_page=1000 failed: HTTP 200: asked for page 2, "
                                                         r"the API answered page 1$" % users_path(fake.ACCOUNT_ID)) as raised:
        list_users(client_for(big_api), fake.ACCOUNT_ID)
    assert (raised.value.method, raised.value.status) == ("GET", 200)
    # Page 1 announced 3 pages: page 3 may have been fetched alongside page 2, never anything more.
    assert pages_asked(big_api) in ([(1, 1000), (2, 1000)], [(1, 1000), (2, 1000), (3, 1000)])


def test_a_server_repeating_a_page_silently_is_an_error_not_a_loop(big_api):
    big_api.add_fault("ignore_page_silently", times=-1)
    with pytest.raises(_errors.CloudflareAPIError, match="page 2 repeats objects of an earlier page"):
        list_users(client_for(big_api), fake.ACCOUNT_ID)
    assert pages_asked(big_api) == [(1, 1000), (2, 1000)]


def test_a_page_size_over_the_limit_is_refused_by_the_api(big_api):
    with pytest.raises(_errors.CloudflareAPIError, match=r"HTTP 400: \[10400\] per_page must be between 1 and 1000"):
        list(_paging.iter_pages(client_for(big_api), users_path(fake.ACCOUNT_ID), per_page=1001))


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


def test_a_server_with_smaller_pages_and_no_total_pages_still_yields_everyone(big_api):
    big_api.add_fault("small_pages", times=-1)
    users = list_users(client_for(big_api), fake.ACCOUNT_ID)
    assert len(users) == 2500 and len({user["id"] for user in users}) == 2500
    assert pages_asked(big_api) == [(page, 1000) for page in range(1, 26)]


def test_a_filtered_listing_does_not_fetch_ahead_on_the_unfiltered_total_count(big_api):
    # Pages of 100 without total_pages: only total_count (2,500, every user: unfiltered) is announced.
    big_api.add_fault("small_pages", times=-1)
    matching = [user for user in big_api.accounts[fake.ACCOUNT_ID] if fake._matches(user, {"search": "son"})]
    assert 100 < len(matching) < 2400 and len(matching) % 100  # several pages, the last one short
    users = list_users(client_for(big_api), fake.ACCOUNT_ID, search="son")
    assert [user["id"] for user in users] == [user["id"] for user in matching]
    # Read page by page up to the short page: not the 25 pages 2,500 users would fill.
    assert pages_asked(big_api) == [(page, 1000) for page in range(1, len(matching) // 100 + 2)]


def test_lookups_on_a_server_with_smaller_pages_find_users_beyond_its_first_page(big_api):
    big_api.add_fault("small_pages", times=-1)
    ids = [account_user["id"] for account_user in big_api.accounts[fake.ACCOUNT_ID][500:2500:500]]
    found = users_by_key(client_for(big_api), fake.ACCOUNT_ID, ids, "id")
    assert all(len(found[user_id]) == 1 for user_id in ids)
    assert len(big_api.api_requests()) <= min(len(ids), 25) + 1


def test_an_email_search_reads_only_its_own_pages(big_api):
    """total_count counts the whole account; the search's one page must not look like 3."""
    users = users_with_email(client_for(big_api), fake.ACCOUNT_ID, "jdoe@example.com")
    assert [user["email"] for user in users] == ["jdoe@example.com"]
    assert pages_asked(big_api) == [(1, 1000)]


def test_lookups_on_the_first_page_cost_one_request(big_api):
    ids = [user["id"] for user in big_api.accounts[fake.ACCOUNT_ID][:900:100]]
    found = users_by_key(client_for(big_api), fake.ACCOUNT_ID, ids, "id")
    assert all(len(found[user_id]) == 1 for user_id in ids)
    assert len(big_api.api_requests()) == 1


def test_as_many_missing_keys_as_remaining_pages_read_the_pages(big_api):
    ids = [big_api.accounts[fake.ACCOUNT_ID][1500]["id"], "00000000-0000-4000-8000-000000000000"] + [
        big_api.accounts[fake.ACCOUNT_ID][5]["id"]]
    found = users_by_key(client_for(big_api), fake.ACCOUNT_ID, ids, "id")
    assert [len(found[user_id]) for user_id in ids] == [1, 0, 1]
    # Page 1 holds one of them; two ids and two pages remain: reading pages 2 and 3 costs the same.
    assert pages_asked(big_api) == [(1, 1000), (2, 1000), (3, 1000)]


def test_one_missing_key_beyond_the_first_page_costs_one_more_request(big_api):
    ids = [big_api.accounts[fake.ACCOUNT_ID][2400]["id"], big_api.accounts[fake.ACCOUNT_ID][7]["id"]]
    found = users_by_key(client_for(big_api), fake.ACCOUNT_ID, ids, "id")
    assert [len(found[user_id]) for user_id in ids] == [1, 1]
    requests_sent = big_api.api_requests()
    assert len(requests_sent) == 2
    assert requests_sent[1]["path"].endswith("/users/" + ids[0])


# --- Pages fetched ahead, a few at a time (issue 12) --------------------------------------------------------------
@pytest.fixture
def slow_pages(big_api):
    """The 2,500-user account served in 25 pages of 100, each answer taking 50 ms."""
    big_api.latency = 0.05
    yield big_api
    big_api.latency = 0.0


def test_announced_pages_are_fetched_at_most_four_at_a_time_each_once_and_yielded_in_order(slow_pages):
    pages = list(_paging.iter_pages(client_for(slow_pages), users_path(fake.ACCOUNT_ID), per_page=100))
    assert [info["page"] for _items, info in pages] == list(range(1, 26))
    assert [user["id"] for items, _info in pages for user in items] == \
        [user["id"] for user in slow_pages.accounts[fake.ACCOUNT_ID]]
    assert pages_asked(slow_pages) == [(page, 100) for page in range(1, 26)]  # each page exactly once
    assert 2 <= slow_pages.max_in_flight <= _client.MAX_PARALLEL_REQUESTS
    assert slow_pages.api_requests()[0]["query"]["page"] == "1"  # page 1 alone first: it announces the rest


def test_without_announced_totals_pages_are_read_one_by_one(slow_pages):
    slow_pages.add_fault("no_result_info", times=-1)
    users = list_users(client_for(slow_pages), fake.ACCOUNT_ID)
    assert len(users) == 2500
    assert [int(r["query"]["page"]) for r in slow_pages.api_requests()] == [1, 2, 3]
    assert slow_pages.max_in_flight == 1


def test_a_listing_closed_after_page_one_fetches_nothing_ahead(big_api):
    pages = _paging.iter_pages(client_for(big_api), users_path(fake.ACCOUNT_ID), per_page=100)
    next(pages)
    pages.close()
    assert pages_asked(big_api) == [(1, 100)]


def test_pages_ahead_must_fit_the_request_budget_before_any_is_sent(big_api):
    client = _options.client_from_params(dict(api_url=big_api.api_url, api_token=fake.API_TOKEN, timeout=10,
                                              request_budget=10))
    with pytest.raises(_errors.CloudflareBudgetError, match="^reading the 24 remaining pages of %s takes 24 more API "
                                                            r"requests \(1 sent so far\)" % users_path(fake.ACCOUNT_ID)):
        list(_paging.iter_pages(client, users_path(fake.ACCOUNT_ID), per_page=100))
    assert pages_asked(big_api) == [(1, 100)]


def test_a_failing_page_ahead_fails_the_listing_and_cancels_the_pages_not_started(slow_pages):
    pages = _paging.iter_pages(client_for(slow_pages), users_path(fake.ACCOUNT_ID), per_page=100)
    next(pages)  # page 1 answers and announces 25 pages; every page after it is refused
    slow_pages.add_fault("status", status=403, times=-1)
    with pytest.raises(_errors.CloudflareAPIError, match=r"page=2&per_page=100 failed: HTTP 403"):
        list(pages)
    # Besides page 1, only pages already in flight (or started as others ended) were sent: not all 24.
    assert len(slow_pages.api_requests()) <= 1 + 2 * _client.MAX_PARALLEL_REQUESTS
