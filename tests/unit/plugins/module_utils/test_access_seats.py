# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_access_seats.py, through cf_access_seat's real main(): what a seat PATCH really did. An answer that is lost,
an error, garbled, contradicting or about other seats is settled by reading the users again; what that read
cannot settle is reported unknown, and running the task again is safe."""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_seat
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.api_state import patches, user_with_email
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import warning_texts

JDOE = seeded.EXAMPLE_USER
FREE_BOTH = dict(access_seat=False, gateway_seat=False)
FREED_JDOE = dict(JDOE, access_seat=False, gateway_seat=False)


@pytest.mark.parametrize("answer", ["lose", "status", "garble"])
def test_a_patch_done_but_not_answered_is_settled_by_reading_the_users_again(run_module, token_args, fake_api, answer):
    # The local API frees the seats, then loses the answer, answers 500 or a body that is not JSON.
    fake_api.add_fault("after_processing", answer=answer, method="PATCH", times=-1)
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", retries=0, **FREE_BOTH))
    assert "failed" not in result
    assert result["changed"] is True and result["changed_users"] == result["users"] == [FREED_JDOE]
    [warning] = [text for text in warning_texts(result) if "PATCH" in text]
    assert warning.startswith("PATCH /accounts/%s/access/seats failed: " % local_api.ACCOUNT_ID)
    assert warning.endswith("reading the 1 user again shows the seats freed")
    assert [r["method"] for r in fake_api.api_requests()] == ["GET", "PATCH", "GET"]


def test_a_patch_not_done_and_not_answered_says_which_seats_are_still_held(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=502, retry_after="0", times=-1, path="/access/seats")
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", retries=0, **FREE_BOTH))
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("PATCH /accounts/%s/access/seats failed: HTTP 502: [10502] Bad gateway"
                                    % local_api.ACCOUNT_ID)
    assert result["msg"].endswith("reading the 1 user again shows 0 freed, these not: jdoe@example.com; "
                                  "0 of 1 seats were freed; running the task again is safe, it frees the seats still "
                                  "held")
    assert result["changed_users"] == [] and result["users"] == [JDOE]


@pytest.mark.parametrize("budget, reading_fails", [(500, "GET"), (2, None)])
def test_a_patch_whose_outcome_cannot_be_learned_says_it_is_unknown_and_safe_to_run_again(
        run_module, token_args, fake_api, budget, reading_fails):
    fake_api.add_fault("after_processing", answer="lose", method="PATCH", times=-1)
    if reading_fails:  # the read that would settle it fails too (the selection's read before it succeeds)
        fake_api.add_fault("status", status=503, method="GET", times=-1, after=1)
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", retries=0, request_budget=budget,
                                             **FREE_BOTH))
    assert result["failed"] is True and result["changed"] is False
    assert "; the outcome of this batch of 1 seat (jdoe@example.com) is unknown: reading its users again failed too (" \
        in result["msg"]
    assert ("HTTP 503" if reading_fails else "not sent: the task has sent its request_budget of 2") in result["msg"]
    assert result["msg"].endswith("running the task again is safe, it frees the seats still held")
    assert len(result["msg"].splitlines()) == 1 and result["msg"].count("PATCH /accounts") == 1
    assert user_with_email(fake_api, "jdoe@example.com")["access_seat"] is False  # it was done: "unknown" was the truth


def test_an_answer_that_shows_a_seat_still_held_is_not_reported_as_freed(run_module, token_args, fake_api):
    # The second PATCH is answered success with its seat still held, and was not done: the read says so too.
    holders = [u for u in fake_api.accounts[local_api.ACCOUNT_ID] if u["access_seat"] or u["gateway_seat"]][:3]
    held = holders[1]
    fake_api.add_fault("canned", status=200, method="PATCH", after=1, body=json.dumps({
        "success": True, "errors": [], "messages": [],
        "result": [{"seat_uid": held["seat_uid"], "access_seat": True, "gateway_seat": True}]}))
    emails = [u["email"] for u in holders]
    result = run_module(cf_access_seat, dict(token_args, email=emails, batch_size=1, **FREE_BOTH))
    assert result["failed"] is True
    assert result["msg"] == ("PATCH /accounts/%s/access/seats failed: HTTP 200: the API answered success, but its "
                             "answer shows 1 seat still held; reading the 1 user again shows 0 freed, these not: %s; "
                             "1 of 3 seats were freed; running the task again is safe, it frees the seats still held"
                             % (local_api.ACCOUNT_ID, emails[1]))
    assert [u["email"] for u in result["changed_users"]] == [emails[0]] and result["changed"] is True
    assert len(patches(fake_api)) == 2  # the batch after it is not sent


def test_an_answer_that_contradicts_what_was_done_is_settled_by_reading_again(run_module, token_args, fake_api):
    fake_api.add_fault("after_processing", answer="contradict", method="PATCH")
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", **FREE_BOTH))
    assert "failed" not in result and result["changed_users"] == [FREED_JDOE]
    assert ("the API answered success, but its answer shows 1 seat still held; reading the 1 user again shows the "
            "seats freed") in " ".join(warning_texts(result))


def test_a_patch_answered_about_other_seats_is_settled_by_reading_the_users_again(run_module, token_args, fake_api):
    fake_api.add_fault("after_processing", answer="other_user", method="PATCH")
    result = run_module(cf_access_seat, dict(token_args, email="jdoe@example.com", **FREE_BOTH))
    assert "failed" not in result and result["changed_users"] == [FREED_JDOE]
    assert any("its answer is about other seats" in text for text in warning_texts(result))
