# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_seat's real main(): freeing the seats of the users selected by id, email or seat uid, against the local
Cloudflare-like API (which keeps the seats it frees). Batches, check and diff mode, the request budget, bad input,
and failures that say what was freed. (How an unclear PATCH is settled: test_access_seats.py.)"""

from __future__ import annotations

import math

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_seat
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.api_state import patches, user_with_email
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import leaks, warning_texts

JDOE = seeded.EXAMPLE_USER
FREE_BOTH = dict(access_seat=False, gateway_seat=False)


def test_frees_both_seats_of_one_user(run_module, token_args, fake_api):
    result = run_module(cf_access_seat, dict(token_args, email="JDoe@example.com", **FREE_BOTH))
    assert result["changed"] is True
    assert result["users"] == result["changed_users"] == [dict(JDOE, access_seat=False, gateway_seat=False)]
    assert result["user"] == result["users"][0]
    assert result["missing"] == []
    assert "diff" not in result
    assert fake_api.seat_patches == [[{"seat_uid": JDOE["seat_uid"], "access_seat": False, "gateway_seat": False}]]
    assert [r["method"] for r in fake_api.api_requests()] == ["GET", "PATCH"]
    assert (user_with_email(fake_api, "jdoe@example.com")["access_seat"], user_with_email(fake_api, "jdoe@example.com")["gateway_seat"]) \
        == (False, False)


def test_frees_one_seat_and_sends_the_other_as_it_is(run_module, token_args, fake_api):
    result = run_module(cf_access_seat, dict(token_args, user_id=JDOE["id"], gateway_seat=False))
    assert result["changed"] is True
    assert result["users"] == [dict(JDOE, gateway_seat=False)]
    assert fake_api.seat_patches == [[{"seat_uid": JDOE["seat_uid"], "access_seat": True, "gateway_seat": False}]]
    assert user_with_email(fake_api, "jdoe@example.com")["access_seat"] is True


def test_a_user_without_the_seat_is_left_alone(run_module, token_args, fake_api):
    # tim.jones2 holds an Access seat only: freeing Gateway seats has nothing to do for him.
    result = run_module(cf_access_seat, dict(token_args, email="tim.jones2@example.com", gateway_seat=False))
    tim = user_with_email(fake_api, "tim.jones2@example.com")
    assert result == dict(result, changed=False, users=[tim], user=tim, changed_users=[], missing=[])
    assert patches(fake_api) == []


def test_second_run_is_unchanged_and_sends_no_patch(run_module, token_args, fake_api):
    args = dict(token_args, email=["jdoe@example.com", "john.jdoe@example.com"], **FREE_BOTH)
    assert run_module(cf_access_seat, args)["changed"] is True
    fake_api.clear()
    again = run_module(cf_access_seat, args)
    assert again["changed"] is False and again["changed_users"] == []
    assert [(u["email"], u["access_seat"], u["gateway_seat"]) for u in again["users"]] == [
        ("jdoe@example.com", False, False), ("john.jdoe@example.com", False, False)]
    assert patches(fake_api) == []
    assert [r["method"] for r in fake_api.api_requests()] == ["GET"]  # one page holds all 25 users


def test_check_mode_predicts_and_sends_no_patch(run_module, token_args, fake_api):
    args = dict(token_args, email=["jdoe@example.com", "john.jdoe@example.com"], **FREE_BOTH)
    checked = run_module(cf_access_seat, args, check_mode=True)
    assert patches(fake_api) == [] and fake_api.seat_patches == []
    assert user_with_email(fake_api, "jdoe@example.com") == JDOE
    fake_api.clear()
    real = run_module(cf_access_seat, args)
    assert checked["changed"] is True
    for key in ("users", "changed_users", "missing"):
        assert checked[key] == real[key]


def test_diff_shows_the_seats_before_and_after(run_module, token_args, fake_api):
    args = dict(token_args, email=["jdoe@example.com", "tim.jones2@example.com"], access_seat=False,
                _ansible_diff=True)
    checked = run_module(cf_access_seat, args, check_mode=True)
    assert patches(fake_api) == []
    assert checked["diff"] == {
        "before": {"jdoe@example.com": {"access_seat": True, "gateway_seat": True},
                   "tim.jones2@example.com": {"access_seat": True, "gateway_seat": False}},
        "after": {"jdoe@example.com": {"access_seat": False, "gateway_seat": True},
                  "tim.jones2@example.com": {"access_seat": False, "gateway_seat": False}},
    }
    assert run_module(cf_access_seat, args)["diff"] == checked["diff"]
    assert run_module(cf_access_seat, args)["diff"] == {"before": {}, "after": {}}


def test_by_seat_uid_case_insensitive(run_module, token_args, fake_api):
    unknown = "00000000-0000-4000-8000-000000000000"
    result = run_module(cf_access_seat, dict(token_args, seat_uid=[JDOE["seat_uid"].upper(), unknown], **FREE_BOTH))
    assert [u["email"] for u in result["changed_users"]] == ["jdoe@example.com"]
    assert result["missing"] == [unknown]
    assert fake_api.seat_patches[0][0]["seat_uid"] == JDOE["seat_uid"]  # as the API gave it


def test_a_thousand_users_by_email_in_batches(run_module, big_args, big_api):
    users = big_api.accounts[local_api.ACCOUNT_ID][::2][:1000]
    holders = [u for u in users if u["access_seat"] or u["gateway_seat"]]
    result = run_module(cf_access_seat, dict(big_args, email=[u["email"] for u in users], **FREE_BOTH))
    assert [u["email"] for u in result["changed_users"]] == [u["email"] for u in holders]
    assert [u["email"] for u in result["users"]] == [u["email"] for u in users]
    reads = [r for r in big_api.api_requests() if r["method"] == "GET"]
    assert len(reads) <= 4
    assert len(patches(big_api)) == math.ceil(len(holders) / 50)
    assert [len(body) for body in big_api.seat_patches] == [50] * (len(holders) // 50) + (
        [len(holders) % 50] if len(holders) % 50 else [])
    assert not any(u["access_seat"] or u["gateway_seat"] for u in users)
    big_api.clear()
    again = run_module(cf_access_seat, dict(big_args, email=[u["email"] for u in users], **FREE_BOTH))
    assert again["changed"] is False and patches(big_api) == []


def test_batch_size_sets_the_patch_size(run_module, big_args, big_api):
    emails = [u["email"] for u in big_api.accounts[local_api.ACCOUNT_ID][:1000]]
    result = run_module(cf_access_seat, dict(big_args, email=emails, batch_size=1000, **FREE_BOTH))
    assert len(patches(big_api)) == 1
    assert len(big_api.seat_patches[0]) == len(result["changed_users"])


def test_the_request_budget_counts_the_patches_before_sending_any(run_module, big_args, big_api):
    emails = [u["email"] for u in big_api.accounts[local_api.ACCOUNT_ID][:1000]]
    result = run_module(cf_access_seat, dict(big_args, email=emails, request_budget=10, **FREE_BOTH))
    assert result["failed"] is True
    assert "more than request_budget allows (10)" in result["msg"]
    assert patches(big_api) == []


@pytest.mark.parametrize("overrides, message", [
    (dict(access_seat=True), "value of access_seat must be one of: False, got: True"),
    (dict(gateway_seat=True, access_seat=False), "value of gateway_seat must be one of: False, got: True"),
    (dict(access_seat=None, gateway_seat=None), "one of the following is required: access_seat, gateway_seat"),
    (dict(email=[]), "email must name at least one user"),
    (dict(email=None), "one of the following is required: user_id, email, seat_uid"),
    (dict(user_id=["../seats"], email=None), "user_id must be a UUID"),
    (dict(seat_uid=["a" * 37], email=None), "seat_uid must be a Zero Trust seat identifier"),
    (dict(seat_uid=[JDOE["seat_uid"]]), "parameters are mutually exclusive: user_id|email|seat_uid"),
    (dict(batch_size=0), "batch_size must be between 1 and 1000"),
    (dict(batch_size=1001), "batch_size must be between 1 and 1000"),
])
def test_bad_input_fails_before_any_request(run_module, token_args, fake_api, overrides, message):
    args = dict(token_args, email=["jdoe@example.com"], **FREE_BOTH)
    args.update(overrides)
    result = run_module(cf_access_seat, {key: value for key, value in args.items() if value is not None})
    assert result["failed"] is True
    assert message in result["msg"]
    assert fake_api.api_requests() == []


def test_403_on_the_patch_names_the_permission(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=403, path="/access/seats")
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", **FREE_BOTH))
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == (
        "PATCH /accounts/%s/access/seats failed: HTTP 403: [10403] Authentication error (cf-ray %s); this call needs "
        "the API token permission 'Zero Trust: Seats Write' on the account; 0 of 1 seats were freed; running the task "
        "again is safe, it frees the seats still held" % (local_api.ACCOUNT_ID, result["cf_ray"]))
    assert (result["method"], result["status"], result["changed_users"]) == ("PATCH", 403, [])
    assert result["users"] == [JDOE] and result["missing"] == []
    assert not result.get("exception")  # no traceback: absent, or empty on ansible-core before 2.19
    assert len(patches(fake_api)) == 1 and user_with_email(fake_api, "jdoe@example.com") == JDOE


def test_a_patch_failing_after_others_says_what_was_freed(run_module, token_args, fake_api):
    holders = [u for u in fake_api.accounts[local_api.ACCOUNT_ID] if u["access_seat"] or u["gateway_seat"]][:3]
    assert len(holders) == 3
    fake_api.add_fault("status", status=403, path="/access/seats", method="PATCH", after=1)
    emails = [u["email"] for u in holders]
    result = run_module(cf_access_seat, dict(token_args, email=emails, batch_size=1, **FREE_BOTH))
    assert result["failed"] is True
    assert result["msg"].endswith("; 1 of 3 seats were freed; running the task again is safe, it frees the seats "
                                  "still held")
    assert (result["changed"], [u["email"] for u in result["changed_users"]]) == (True, emails[:1])
    assert [(u["email"], u["access_seat"], u["gateway_seat"]) for u in result["users"]] == [(emails[0], False, False)] + [
        (u["email"], u["access_seat"], u["gateway_seat"]) for u in holders[1:]]
    assert len(patches(fake_api)) == 2  # the third batch is never sent
    assert [(user_with_email(fake_api, e)["access_seat"], user_with_email(fake_api, e)["gateway_seat"]) for e in emails[1:]] == [
        (u["access_seat"], u["gateway_seat"]) for u in holders[1:]]
    fake_api.clear()
    again = run_module(cf_access_seat, dict(token_args, email=emails, batch_size=1, **FREE_BOTH))
    assert [u["email"] for u in again["changed_users"]] == emails[1:]  # the next run frees the rest


def test_429_on_the_patch_waits_and_sends_it_again(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=429, retry_after="0", path="/access/seats")
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", **FREE_BOTH))
    assert result["changed"] is True
    assert result["api_retries"] == ["PATCH /accounts/%s/access/seats: HTTP 429; retried after 0.0 s (Retry-After)"
                                     % local_api.ACCOUNT_ID]
    assert warning_texts(result)[0].startswith("1 API request was retried")
    assert len(patches(fake_api)) == 2 and len(fake_api.seat_patches) == 1


def test_502_and_a_lost_connection_on_the_patch_are_retried(run_module, token_args, fake_api):
    # Freeing a seat is idempotent: a PATCH that may have arrived is sent again, unlike a create.
    fake_api.add_fault("status", status=502, retry_after="0", body="html", path="/access/seats")
    fake_api.add_fault("reset", path="/access/seats")
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", **FREE_BOTH))
    assert result["changed"] is True
    assert len(result["api_retries"]) == 2 and "HTTP 502" in result["api_retries"][0]
    assert len(patches(fake_api)) == 3


def test_502_that_persists_fails_after_the_retries(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=502, retry_after="0", times=-1, path="/access/seats")
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", retries=2, **FREE_BOTH))
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("PATCH /accounts/%s/access/seats failed: HTTP 502: [10502] Bad gateway"
                                    % local_api.ACCOUNT_ID)
    assert "gave up after 2 retries" in result["msg"]
    assert len(patches(fake_api)) == 3


def test_the_token_never_reaches_the_result(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=403, path="/access/seats")
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", **FREE_BOTH))
    assert not leaks(local_api.API_TOKEN, result)


# --- A user answered as another, or an email of several users, is refused before any PATCH -------------------------

def test_a_user_id_answered_with_another_user_is_refused_before_any_patch(run_module, token_args, fake_api):
    fake_api.add_fault("after_processing", answer="other_user", method="GET", path=JDOE["id"])
    result = run_module(cf_access_seat, dict(token_args, user_id=JDOE["id"], **FREE_BOTH))
    assert result["failed"] is True
    assert result["msg"].startswith("GET /accounts/%s/access/users/%s failed: HTTP 200: the API answered success, "
                                    "but its answer is about another user (id " % (local_api.ACCOUNT_ID, JDOE["id"]))
    assert patches(fake_api) == [] and fake_api.seat_patches == []


def test_an_email_of_several_users_is_refused_also_when_the_other_is_on_a_later_page(
        run_module, big_args, big_api):
    # Both emails asked are on the first page; the twin of one is on the last: the look-up must still see it.
    users = big_api.accounts[local_api.ACCOUNT_ID]
    twin = dict(JDOE, id="11111111-1111-4111-8111-111111111111", email="JDoe@example.com",
                seat_uid="11111111-2222-4111-8111-111111111111")
    users.append(twin)
    result = run_module(cf_access_seat, dict(big_args, email=["jdoe@example.com", users[5]["email"]], **FREE_BOTH))
    assert result["failed"] is True
    assert result["msg"].startswith("2 users have the email jdoe@example.com (in different letter case): ")
    assert [r["method"] for r in big_api.api_requests()] == ["GET"] * 3  # within min(2, 3) + 1


# --- A seat the API leaves out or gives in another type is unknown, never taken for true or false ------------------

LEFT_OUT = object()  # the field is not in the user object at all (the schema makes both seats optional)
NOT_BOOLEANS = pytest.mark.parametrize("value", [LEFT_OUT, None, "no", "false", 1, 0],
                                       ids=["left_out", "null", "no", "false_text", "one", "zero"])


def give_jdoe(server, seat, value):
    """Make the local API answer ``seat`` of the example user as ``value`` (or leave it out)."""
    jdoe = user_with_email(server, "jdoe@example.com")
    if value is LEFT_OUT:
        del jdoe[seat]
    else:
        jdoe[seat] = value
    return jdoe


@NOT_BOOLEANS
@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check_mode"])
def test_freeing_one_seat_never_sends_the_other_as_a_guess(run_module, token_args, fake_api, value, check_mode):
    # Freeing the Access seat sends the Gateway seat as it is: unknown, it is neither sent as false (which frees
    # it too, and --diff would not show) nor as true; the task is refused before any PATCH, in check mode too.
    give_jdoe(fake_api, "gateway_seat", value)
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", access_seat=False,
                                             _ansible_diff=True), check_mode=check_mode)
    assert result["failed"] is True and "diff" not in result
    assert result["msg"].startswith("cannot keep the Gateway seat of jdoe@example.com as it is: the API ")
    assert result["msg"].endswith("no seat was freed; free both seats (add gateway_seat: false), or leave the user out")
    assert ("leaves it out" if value is LEFT_OUT else "not true or false") in result["msg"]
    assert patches(fake_api) == []


def test_the_refusal_counts_every_user_whose_other_seat_is_unknown(run_module, token_args, fake_api):
    give_jdoe(fake_api, "access_seat", "yes")
    other = next(user for user in fake_api.accounts[local_api.ACCOUNT_ID]
                 if user["gateway_seat"] is True and user["email"] != "jdoe@example.com")
    del other["access_seat"]
    result = run_module(cf_access_seat, dict(token_args, email=["jdoe@example.com", other["email"]], gateway_seat=False))
    assert result["msg"].startswith("cannot keep the Access seat of jdoe@example.com (and 1 more user) as it is: the "
                                    "API gives it as 'yes', not true or false")
    assert patches(fake_api) == []


@NOT_BOOLEANS
def test_a_seat_to_free_that_is_unknown_is_freed_as_asked_and_shown_unknown_before(run_module, token_args, fake_api,
                                                                                   value):
    give_jdoe(fake_api, "access_seat", value)
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", _ansible_diff=True, **FREE_BOTH))
    assert fake_api.seat_patches == [[{"seat_uid": JDOE["seat_uid"], "access_seat": False, "gateway_seat": False}]]
    assert result["diff"] == {"before": {"jdoe@example.com": {"access_seat": None, "gateway_seat": True}},
                              "after": {"jdoe@example.com": {"access_seat": False, "gateway_seat": False}}}


def test_a_user_whose_seats_to_free_are_false_is_left_alone_whatever_the_other_seat(run_module, token_args, fake_api):
    give_jdoe(fake_api, "gateway_seat", False)
    give_jdoe(fake_api, "access_seat", "no")
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", gateway_seat=False))
    assert result["changed"] is False and patches(fake_api) == []
