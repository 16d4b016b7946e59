# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_user_info's real main(): which users it reads and returns. One user by id or email, batches in the
order asked with each user once, emails in any letter case, the whole account with its seat summary, the API's
filters, include, and the request budget; selectors are checked before any request."""

from __future__ import annotations

import math

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_user_info
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

USER_ID = seeded.EXAMPLE_USER["id"]
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def account(server):
    return server.accounts[local_api.ACCOUNT_ID]


@pytest.fixture
def lookalikes(fake_api):
    """Users whose emails contain each other, as the API's email search would mix them up."""
    extra = [dict(seeded.EXAMPLE_USER, id="aaaaaaaa-0000-4000-8000-00000000000%d" % n, email=email, name="Look Alike")
             for n, email in enumerate(["a@x.com", "aa@x.com", "ba@x.com"])]
    account(fake_api).extend(extra)
    yield extra
    del account(fake_api)[-len(extra):]


@pytest.fixture
def mixed_case(fake_api):
    """Two users whose emails Cloudflare holds in mixed case, as the identity provider spelled them."""
    saved = [dict(user) for user in account(fake_api)[5:7]]
    account(fake_api)[5] = dict(saved[0], email="JDoe.Leaver@Example.com")
    account(fake_api)[6] = dict(saved[1], email="ADA.Lovelace@EXAMPLE.COM")
    yield account(fake_api)[5:7]
    account(fake_api)[5:7] = saved


# --- One user ------------------------------------------------------------------------------------------------------

def test_returns_exactly_the_api_user(run_module, token_args):
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    assert result["changed"] is False
    assert result["found"] is True
    assert result["user"] == seeded.EXAMPLE_USER
    assert result["users"] == [seeded.EXAMPLE_USER]
    assert "ansible_facts" not in result


def test_fields_added_by_the_api_pass_through(run_module, token_args, fake_api):
    fake_api.accounts[local_api.ACCOUNT_ID][0] = dict(seeded.EXAMPLE_USER, mfa_enrolled=True)
    try:
        result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    finally:
        fake_api.accounts[local_api.ACCOUNT_ID][0] = dict(seeded.EXAMPLE_USER)
    assert result["user"]["mfa_enrolled"] is True


def test_unknown_user_is_data_not_a_failure(run_module, token_args):
    result = run_module(cf_access_user_info, dict(token_args, user_id=UNKNOWN_ID))
    assert result == dict(result, changed=False, found=False, user={}, users=[])
    assert "failed" not in result


def test_a_404_page_from_a_proxy_fails_instead_of_reporting_the_user_gone(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=404, body="html", times=-1)
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    assert result["failed"] and "found" not in result
    assert result["msg"].endswith("the answer did not come from Cloudflare's API: check api_url (it ends in /client/v4) "
                                  "and any proxy or load balancer in between")


def test_check_mode_reads_too(run_module, token_args, fake_api):
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID), check_mode=True)
    assert result["found"] is True and result["changed"] is False
    assert len(fake_api.api_requests()) == 1


def test_one_id_is_one_request_whatever_the_account_size(run_module, big_args, big_api):
    result = run_module(cf_access_user_info, dict(big_args, user_id=account(big_api)[2499]["id"]))
    assert result["found"] is True
    assert len(big_api.api_requests()) == 1


# --- By email: exact, in any letter case ---------------------------------------------------------------------------

def test_email_matches_exactly_never_a_longer_address(run_module, token_args, lookalikes, fake_api):
    result = run_module(cf_access_user_info, dict(token_args, email="a@x.com"))
    assert result["users"] == [lookalikes[0]]
    assert result["user"] == lookalikes[0]
    assert result["found"] is True and result["missing"] == []
    [request] = fake_api.api_requests()
    assert request["query"] == {"email": "a@x.com", "page": "1", "per_page": "1000"}


def test_the_seeded_lookalike_is_found_by_the_api_search_but_not_returned(run_module, token_args, fake_api):
    result = run_module(cf_access_user_info, dict(token_args, email="jdoe@example.com"))
    assert result["users"] == [seeded.EXAMPLE_USER]
    assert run_module(cf_access_user_info, dict(token_args, search="jdoe@example.com"))["summary"]["users"] == 2


def test_email_matching_ignores_case_and_missing_keeps_the_spelling_asked(run_module, token_args):
    result = run_module(cf_access_user_info, dict(token_args, email=["JDoe@Example.com", "Nobody@Example.com"]))
    assert [user["email"] for user in result["users"]] == ["jdoe@example.com"]
    assert result["found"] is False
    assert result["missing"] == ["Nobody@Example.com"]
    assert "user" not in result


@pytest.mark.parametrize("asked", ["jdoe.leaver@example.com", "JDoe.Leaver@Example.com", "JDOE.LEAVER@EXAMPLE.COM"])
def test_one_email_finds_a_user_stored_in_mixed_case(run_module, token_args, mixed_case, asked):
    result = run_module(cf_access_user_info, dict(token_args, email=asked))
    assert result["found"] is True and result["missing"] == []
    assert result["users"] == [mixed_case[0]]
    assert result["user"]["email"] == "JDoe.Leaver@Example.com"


def test_a_batch_of_emails_finds_users_stored_in_mixed_case(run_module, token_args, mixed_case, fake_api):
    asked = ["ada.lovelace@example.com", "nobody@example.com", "jdoe.leaver@EXAMPLE.com"]
    result = run_module(cf_access_user_info, dict(token_args, email=asked))
    assert result["users"] == [mixed_case[1], mixed_case[0]]
    assert result["missing"] == ["nobody@example.com"]
    assert result["found"] is False
    assert len(fake_api.api_requests()) == 1


# --- Batches: in the order asked, each user once -------------------------------------------------------------------

def test_a_batch_of_ids_keeps_the_order_asked_and_names_the_missing(run_module, token_args, fake_api):
    ids = [account(fake_api)[3]["id"], UNKNOWN_ID, account(fake_api)[1]["id"], account(fake_api)[3]["id"].upper()]
    result = run_module(cf_access_user_info, dict(token_args, user_id=ids))
    assert result["users"] == [account(fake_api)[3], account(fake_api)[1]]  # each user's own object
    assert result["found"] is False
    assert result["missing"] == [UNKNOWN_ID]
    assert "user" not in result and "summary" not in result
    assert len(fake_api.api_requests()) == 1  # 25 users: one page answers every id


def test_a_batch_beyond_the_first_page_returns_each_users_own_object(run_module, big_args, big_api):
    big_api.add_fault("small_pages", times=1)
    users = account(big_api)
    asked = [users[2400]["email"], users[1300]["email"].upper(), "nobody@example.com", users[150]["email"], users[42]["email"]]
    result = run_module(cf_access_user_info, dict(big_args, email=asked))
    assert result["users"] == [users[2400], users[1300], users[150], users[42]]
    assert result["missing"] == ["nobody@example.com"]


def test_one_thousand_emails_in_an_account_of_2500_users(run_module, big_args, big_api):
    users = account(big_api)[::2][:1000]
    emails = [user["email"].upper() if n % 3 == 0 else user["email"] for n, user in enumerate(users)]
    result = run_module(cf_access_user_info, dict(big_args, email=emails + ["nobody@example.com"]))
    assert [user["id"] for user in result["users"]] == [user["id"] for user in users]
    assert result["missing"] == ["nobody@example.com"]
    bound = min(len(emails) + 1, math.ceil(2500 / 1000)) + 1
    assert len(big_api.api_requests()) == 3 <= bound


def test_the_same_user_asked_twice_is_returned_once(run_module, token_args, fake_api):
    user = account(fake_api)[4]
    result = run_module(cf_access_user_info, dict(token_args, email=[user["email"], user["email"].upper()]))
    assert result["users"] == [user]
    assert result["missing"] == [] and result["found"] is True
    assert [request["query"].get("email") for request in fake_api.api_requests()] == [user["email"]]


def test_an_unknown_user_asked_twice_is_missing_once(run_module, token_args):
    result = run_module(cf_access_user_info, dict(token_args, user_id=[UNKNOWN_ID, UNKNOWN_ID]))
    assert result["missing"] == [UNKNOWN_ID]
    assert result["users"] == [] and result["found"] is False


# --- The whole account, and the API's filters ----------------------------------------------------------------------

def test_every_user_of_the_account_with_a_seat_summary(run_module, token_args, fake_api):
    result = run_module(cf_access_user_info, token_args)
    users = account(fake_api)
    assert result["users"] == sorted(users, key=lambda user: user["email"])
    assert result["found"] is True and result["missing"] == []
    assert "user" not in result
    assert result["summary"] == {
        "users": 25,
        "access_seat": sum(1 for u in users if u["access_seat"]),
        "gateway_seat": sum(1 for u in users if u["gateway_seat"]),
        "both_seats": sum(1 for u in users if u["access_seat"] and u["gateway_seat"]),
        "no_seat": sum(1 for u in users if not u["access_seat"] and not u["gateway_seat"]),
        "unknown_seat": 0,
        "never_logged_in": sum(1 for u in users if u["last_successful_login"] is None),
    }
    # The seeded account has some of each, so every count is really exercised (unknown seats: the test below).
    assert all(0 < count < 25 for key, count in result["summary"].items() if key not in ("users", "unknown_seat"))


def test_the_seat_summary_counts_a_seat_given_as_no_boolean_as_unknown(run_module, token_args, fake_api):
    # The schema makes both seats optional; a value that is not a boolean is not one either: "no" and 1 are not
    # held seats, a seat left out or null is not a free one.
    holders = [u for u in account(fake_api) if u["access_seat"] is True and u["gateway_seat"] is True]
    free = [u for u in account(fake_api) if u["access_seat"] is False and u["gateway_seat"] is False]
    before = run_module(cf_access_user_info, token_args)["summary"]
    holders[0]["access_seat"] = "no"
    holders[1]["gateway_seat"] = 1
    del free[0]["access_seat"]
    free[1]["gateway_seat"] = None
    after = run_module(cf_access_user_info, token_args)["summary"]
    assert after == dict(before, access_seat=before["access_seat"] - 1, gateway_seat=before["gateway_seat"] - 1,
                         both_seats=before["both_seats"] - 2, no_seat=before["no_seat"] - 2, unknown_seat=4)


def test_the_whole_account_comes_sorted_by_email_then_id(run_module, token_args, fake_api):
    saved = list(account(fake_api))
    twin = dict(saved[3], id="00000000-0000-4000-8000-0000000000aa", email=saved[3]["email"].upper())
    account(fake_api)[:] = list(reversed(saved)) + [twin]
    try:
        result = run_module(cf_access_user_info, token_args)
    finally:
        account(fake_api)[:] = saved
    expected = sorted(saved + [twin], key=lambda user: (user["email"].lower(), user["id"]))
    assert result["users"] == expected
    assert result["summary"]["users"] == 26


@pytest.mark.parametrize("filters", [dict(name="Jane Doe"), dict(search="Jane D"), dict(name="Jane", search="jdoe@")])
def test_name_and_search_are_passed_to_the_api(run_module, token_args, fake_api, filters):
    result = run_module(cf_access_user_info, dict(token_args, **filters))
    assert [user["id"] for user in result["users"]] == [seeded.EXAMPLE_USER["id"]]
    assert result["summary"]["users"] == 1
    [request] = fake_api.api_requests()
    assert request["query"] == dict(filters, page="1", per_page="1000")


def test_a_listing_that_finds_nobody(run_module, token_args):
    result = run_module(cf_access_user_info, dict(token_args, search="no-such-user"))
    assert result["users"] == [] and result["found"] is False
    assert result["summary"]["users"] == 0


# --- include, and the request budget -------------------------------------------------------------------------------

def test_include_adds_the_related_reads_to_each_user(run_module, token_args, fake_api):
    never = next(user for user in account(fake_api) if user["last_successful_login"] is None)
    ids = [seeded.EXAMPLE_USER["id"], never["id"]]
    include = ["active_sessions", "failed_logins", "last_seen_identity"]
    result = run_module(cf_access_user_info, dict(token_args, user_id=ids, include=include))
    jane, stranger = result["users"]
    assert jane["active_sessions"] == seeded.sub_resources(seeded.EXAMPLE_USER)["active_sessions"] != []
    assert jane["failed_logins"] == []
    assert jane["last_seen_identity"]["email"] == "jdoe@example.com"
    assert stranger["failed_logins"][0]["metadata"]["user_email"] == never["email"]
    paths = sorted(r["path"].rsplit("/", 2)[-2:][1] for r in fake_api.api_requests()[1:])
    assert paths == sorted(include * 2)


def test_include_is_off_by_default(run_module, token_args, fake_api):
    result = run_module(cf_access_user_info, dict(token_args, user_id=seeded.EXAMPLE_USER["id"]))
    assert set(result["user"]) == set(seeded.EXAMPLE_USER)
    assert len(fake_api.api_requests()) == 1


def test_include_with_a_404_sub_resource_is_null_for_that_user(run_module, token_args, fake_api):
    users = account(fake_api)
    fake_api.add_fault("status", status=404, path="/%s/last_seen_identity" % users[12]["id"])
    result = run_module(cf_access_user_info, dict(token_args, user_id=[users[12]["id"], users[1]["id"]],
                                                  include=["last_seen_identity"]))
    assert "failed" not in result
    assert [user["id"] for user in result["users"]] == [users[12]["id"], users[1]["id"]]
    assert result["users"][0]["last_seen_identity"] is None
    assert result["users"][1]["last_seen_identity"] == seeded.sub_resources(users[1])["last_seen_identity"]


def test_include_on_a_whole_account_fails_before_its_first_sub_request(run_module, big_args, big_api):
    result = run_module(cf_access_user_info, dict(big_args, include=["active_sessions", "active_sessions"]))
    assert result["failed"] and not result.get("exception")
    assert result["msg"].startswith("include for 2500 users takes 2500 more API requests (3 sent so far), more than "
                                    "request_budget allows (500); narrow the selection or raise request_budget")
    assert len(big_api.api_requests()) == 3


@pytest.mark.parametrize("budget, failed", [(3, True), (4, False)])
def test_the_budget_is_an_option(run_module, token_args, fake_api, budget, failed):
    """One user by id (1 request) with three include items (3 requests)."""
    args = dict(token_args, user_id=USER_ID, include=list(cf_access_user_info.RELATED), request_budget=budget)
    assert run_module(cf_access_user_info, args).get("failed", False) is failed
    assert len(fake_api.api_requests()) == (1 if failed else 4)


# --- Selectors are checked before any request ----------------------------------------------------------------------

@pytest.mark.parametrize("selectors", [
    dict(user_id=[seeded.EXAMPLE_USER["id"]], email=["jdoe@example.com"]),
    dict(user_id=[seeded.EXAMPLE_USER["id"]], name="Jane"),
    dict(email=["jdoe@example.com"], search="jdoe"),
])
def test_selectors_do_not_mix(run_module, token_args, fake_api, selectors):
    result = run_module(cf_access_user_info, dict(token_args, **selectors))
    assert result["failed"] is True and "mutually exclusive" in result["msg"]
    assert fake_api.api_requests() == []


@pytest.mark.parametrize("selectors, message", [
    (dict(user_id=[]), "user_id must name at least one user"),
    (dict(email=[]), "email must name at least one user"),
    (dict(email=["jdoe@example.com", "not-an-address"]), "email must be an email address"),
    (dict(email=["jdoe@example.com\r\nX: y"]), "email must be an email address"),
    (dict(user_id=[seeded.EXAMPLE_USER["id"], "42"]), "user_id must be a UUID"),
    (dict(include=["everything"]), "value of include must be one or more of"),
    (dict(name=""), "name must not be empty"),
    (dict(search="  "), "search must not be empty"),
])
def test_bad_selectors_fail_before_any_request(run_module, token_args, fake_api, selectors, message):
    result = run_module(cf_access_user_info, dict(token_args, **selectors))
    assert result["failed"] is True and message in result["msg"]
    assert fake_api.api_requests() == []
