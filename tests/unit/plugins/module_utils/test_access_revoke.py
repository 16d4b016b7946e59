# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_access_revoke.py, through cf_access_revoke's real main(): a cut that fails part-way says what was cut, what was
refused and for whom, and what is unknown; a write is settled by reading again (never guessed, nor taken on the
answer's word); an answer about another user, and a revocation by email that would reach another user, are refused
before any write."""

from __future__ import annotations

import json
import re

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _devices
from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_revoke
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.api_state import has_session, registrations_of, users_where, writes
from ansible_collections.cloudflare_community.zero_trust.tests.support.client_calls import canned
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import warning_texts

JDOE = seeded.EXAMPLE_USER
ACCOUNT = local_api.ACCOUNT_ID
REGISTRATIONS = "/client/v4/accounts/%s/devices/registrations" % ACCOUNT


# --- A failure part-way says what was cut, and a second run cuts the rest ------------------------------------------

def test_a_failure_part_way_says_what_was_cut_and_a_second_run_cuts_the_rest(run_module, token_args, fake_api):
    users = users_where(fake_api, lambda u: u["gateway_seat"] and has_session(u), 3)
    fake_api.add_fault("status", status=403, path="/devices/registrations", method="DELETE")
    args = dict(token_args, email=[u["email"] for u in users])
    result = run_module(cf_access_revoke, args)
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == (
        "DELETE %s?%s failed: HTTP 403: [10403] Authentication error (cf-ray %s); this call needs the API token "
        "permission 'Zero Trust Write' on the account; cut: Access tokens of 3 users; running the task again is safe: "
        "it reads first and cuts only what is left" % (
            REGISTRATIONS[len("/client/v4"):], "&".join("id=" + item["id"] for user in users
                                                        for item in registrations_of(fake_api, user)), result["cf_ray"]))
    assert [user["email"] for user in result["changed_users"]] == [u["email"] for u in users]
    assert all(user["cut"]["registrations"] == [] for user in result["users"])
    assert (result["method"], result["status"]) == ("DELETE", 403)
    fake_api.clear()
    again = run_module(cf_access_revoke, args)
    assert again["changed"] is True
    assert [user["cut"]["access_tokens_revoked"] for user in again["users"]] == [False] * 3
    assert all(user["cut"]["registrations"] for user in again["users"])
    assert all(registrations_of(fake_api, user) == [] for user in users)


def test_a_failed_batch_stops_the_rest_and_the_batches_before_it_count(run_module, big_args, big_api):
    users = users_where(big_api, lambda u: u["gateway_seat"], 60)
    big_api.add_fault("status", status=500, times=-1, path="/devices/registrations", method="DELETE", after=1)
    result = run_module(cf_access_revoke, dict(big_args, user_id=[u["id"] for u in users], sessions=False, retries=0))
    assert result["failed"] is True and result["changed"] is True
    cut = [item for user in result["users"] for item in user["cut"]["registrations"]]
    total = sum(len(registrations_of(big_api, user)) for user in users) + len(cut)
    # The batches go a few at a time: the one the local API answered first is cut, the others fail (and stay).
    assert len(cut) in (50, total % 50 or 50)
    assert result["msg"].startswith("DELETE /accounts/%s/devices/registrations?id=" % ACCOUNT)
    assert "HTTP 500" in result["msg"] and "cut: %d registrations; unknown: whether" % len(cut) in result["msg"]
    assert result["msg"].endswith("running the task again is safe: it reads first and cuts only what is left")


# --- An unclear answer is settled by reading again -----------------------------------------------------------------

def test_a_delete_whose_answer_is_lost_is_read_again_not_guessed(run_module, token_args, fake_api):
    fake_api.add_fault("drop_after_processing", path="/devices/registrations", method="DELETE")
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com", retries=0))
    assert "failed" not in result and result["changed"] is True
    assert len(result["user"]["cut"]["registrations"]) == 2
    listings = [call["query"] for call in fake_api.device_calls if call["method"] == "GET"]
    assert listings == [{"user.id": [JDOE["id"]], "status": ["active"], "per_page": ["100"]}] * 2  # read, read again


def test_a_revocation_whose_answer_is_a_502_is_confirmed_by_the_sessions(run_module, token_args, fake_api):
    fake_api.add_fault("status_after_processing", status=502, path="/revoke_user")
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com", devices="keep", retries=0))
    assert "failed" not in result and result["user"]["cut"]["access_tokens_revoked"] is True
    assert [r["path"].rsplit("/", 1)[-1] for r in fake_api.api_requests()].count("active_sessions") == 2


def test_a_forced_revocation_whose_answer_is_lost_is_reported_unknown(run_module, token_args, fake_api):
    idle = users_where(fake_api, lambda u: not has_session(u) and not u["gateway_seat"], 1)[0]
    fake_api.add_fault("drop_after_processing", path="/revoke_user")
    result = run_module(cf_access_revoke, dict(token_args, email=idle["email"], force=True, retries=0))
    assert result["failed"] is True and result["changed"] is False
    assert ("nothing was cut; unknown: whether the Access tokens of %s were revoked (force revokes without reading "
            "the sessions, so none can show it)" % idle["email"]) in result["msg"]


def test_a_false_result_of_the_revocation_is_a_warning_not_a_revocation(run_module, token_args, fake_api):
    fake_api.add_fault("revoke_result_false", path="/revoke_user")
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com", devices="keep"))
    assert result["changed"] is False and result["user"]["cut"]["access_tokens_revoked"] is False
    assert warning_texts(result) == [
        "the API answered result: false to revoking the Access tokens of jdoe@example.com (Cloudflare does not "
        "document what false means): not reported as revoked"]


# --- An answer about another user is refused before any write ------------------------------------------------------

def test_an_identity_of_another_user_is_refused_before_any_write(run_module, token_args, fake_api):
    fake_api.add_fault("identity_of_other_user", path="/last_seen_identity")
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com", passkeys=True))
    assert result["failed"] is True and "the API answered success, but the identity is of user" in result["msg"]
    assert writes(fake_api) == []


@pytest.mark.parametrize("passkey_id", ["../passkey-f174e90a", "passkey/f174e90a", "%2e%2e", "..", ""])
def test_a_passkey_id_not_of_the_documented_format_is_refused_before_any_write(run_module, token_args, fake_api,
                                                                               passkey_id):
    identity = {"user_uuid": JDOE["id"], "email": JDOE["email"], "passkeys": [{"id": passkey_id, "name": "key"}]}
    fake_api.add_fault("canned", status=200, path="/last_seen_identity", body=json.dumps(
        {"success": True, "errors": [], "messages": [], "result": identity}))
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com", passkeys=True))
    assert result["failed"] is True and "its passkeys are not a list of objects with an id" in result["msg"]
    assert writes(fake_api) == []


# --- Never act beyond what was asked ---------------------------------------------------------------------------------

@pytest.fixture
def jdoe_twin(fake_api):
    """Another user of the account with JDoe's email in other letter case (Cloudflare's create refuses it; an IdP's
    SCIM may not)."""
    twin = dict(JDOE, id="3f0b7c1e-9d2a-4c5b-8e6f-0a1b2c3d4e5f", email="JDOE@Example.com", seat_uid=None, uid=None)
    fake_api.accounts[ACCOUNT].append(twin)
    return twin


def test_a_user_named_by_id_whose_email_another_user_has_is_refused_before_any_write(
        run_module, token_args, fake_api, jdoe_twin):
    result = run_module(cf_access_revoke, dict(token_args, user_id=[JDOE["id"]]))
    assert result["failed"] is True
    assert result["msg"] == (
        "2 users have the email jdoe@example.com (in different letter case): %s, %s; Cloudflare revokes Access tokens "
        "by email, so revoking this user's would revoke the other's too: refused before any write; sessions: false "
        "cuts only the devices and passkeys, which go by id" % tuple(sorted([JDOE["id"], jdoe_twin["id"]])))
    assert writes(fake_api) == [] and fake_api.devices.revocations == []


def test_without_the_revocation_a_user_named_by_id_is_cut_off_whatever_others_emails(
        run_module, token_args, fake_api, jdoe_twin):
    result = run_module(cf_access_revoke, dict(token_args, user_id=[JDOE["id"]], sessions=False))
    assert result["changed"] is True and writes(fake_api) == [("DELETE", REGISTRATIONS)]


def test_the_email_check_of_users_named_by_id_costs_no_request_once_the_listing_is_read(run_module, token_args, fake_api):
    users = users_where(fake_api, lambda u: True, 3)
    result = run_module(cf_access_revoke, dict(token_args, user_id=[u["id"] for u in users], devices="keep",
                                               _ansible_check_mode=True))
    assert "failed" not in result
    lookups = [r for r in fake_api.api_requests() if r["path"].endswith("/access/users")]
    assert [r["query"] for r in lookups] == [{"page": "1", "per_page": "1000"}]  # one page: ids and emails


def test_one_page_naming_a_registration_under_two_users_is_refused_before_any_write(run_module, token_args, fake_api):
    users = users_where(fake_api, lambda u: u["gateway_seat"], 2)
    fake_api.add_fault("twin_registration", path="/devices/registrations")
    result = run_module(cf_access_revoke, dict(token_args, email=[u["email"] for u in users]))
    assert result["failed"] is True and "the page names one object twice" in result["msg"]
    assert writes(fake_api) == []


def test_two_listings_naming_a_registration_under_two_users_are_refused_before_any_write(
        run_module, token_args, fake_api, monkeypatch):
    monkeypatch.setattr(_devices, "USERS_PER_LISTING", 2)
    holders = [user for user in fake_api.accounts[ACCOUNT] if user["gateway_seat"]]
    fake_api.add_fault("twin_registration", across=True, path="/devices/registrations")
    result = run_module(cf_access_revoke, dict(token_args, user_id=[u["id"] for u in holders], sessions=False))
    assert result["failed"] is True and re.search(r"two listings name registration \S+, under user \S+ and under user "
                                                  r"\S+: refused$", result["msg"])
    assert writes(fake_api) == []


def test_a_delete_answered_success_is_read_again_and_not_taken_for_done(run_module, token_args, fake_api):
    ids = sorted(item["id"] for item in registrations_of(fake_api, JDOE))
    canned(fake_api, {"success": True, "errors": [], "messages": [], "result": None}, path="/devices/registrations",
           method="DELETE")
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com", sessions=False))
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == ("nothing was cut; unknown: whether 2 registrations were deleted: the API answered success, "
                             "but still lists them active: %s, %s; running the task again is safe: it reads first and "
                             "cuts only what is left" % tuple(ids))
    assert result["user"]["cut"]["registrations"] == []


def test_registrations_already_revoked_are_not_revoked_again(run_module, token_args, fake_api):
    args = dict(token_args, email="jdoe@example.com", sessions=False, devices="revoke")
    assert run_module(cf_access_revoke, args)["changed"] is True
    fake_api.clear()
    fake_api.add_fault("lists_revoked", times=-1, path="/devices/registrations")  # whatever the status asked
    again = run_module(cf_access_revoke, args)
    assert again["changed"] is False and again["user"]["cut"]["registrations"] == []
    assert writes(fake_api) == []


def test_a_revoked_at_that_is_not_a_time_is_refused_before_any_write(run_module, token_args, fake_api):
    page = {"success": True, "errors": [], "messages": [], "result": [dict(
        registrations_of(fake_api, JDOE)[0], revoked_at=1)], "result_info": {"count": 1, "cursor": "", "per_page": 100}}
    canned(fake_api, page, path="/devices/registrations")
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com", sessions=False))
    assert result["failed"] is True and "has a revoked_at that is a number, not a time or null" in result["msg"]
    assert writes(fake_api) == []


def test_refused_revocations_name_the_users_and_the_rest_is_cut(run_module, token_args, fake_api):
    users = users_where(fake_api, lambda u: u["gateway_seat"] and has_session(u), 3)
    fake_api.add_fault("refuse_revocation", emails=users[1]["email"], times=-1, path="/revoke_user")
    result = run_module(cf_access_revoke, dict(token_args, email=[u["email"] for u in users]))
    assert result["failed"] is True and result["changed"] is True
    assert ("refused for 1 user: %s (Access tokens: HTTP 400: [10400] access tokens of %s cannot be revoked)"
            % (users[1]["email"], users[1]["email"])) in result["msg"]
    assert [user["cut"]["access_tokens_revoked"] for user in result["users"]] == [True, False, True]
    assert all(registrations_of(fake_api, user) == [] for user in users)  # every registration, the refused user's too
    assert sorted(body["email"] for body in fake_api.devices.revocations) == sorted([users[0]["email"], users[2]["email"]])


def test_a_listing_that_never_ends_stops_at_the_pages_planned_for_its_users(run_module, token_args, fake_api):
    fake_api.add_fault("endless_cursor", times=-1, path="/devices/registrations")
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com"))
    assert result["failed"] is True
    assert result["msg"].endswith("failed: HTTP 200: the listing goes on after 2 pages, more than the 100 "
                                  "registrations a user this collection plans for (1 user asked for): stopped")
    assert len([r for r in fake_api.api_requests() if r["path"].endswith("/devices/registrations")]) == 2
    assert writes(fake_api) == []


def test_a_rate_limit_that_outlasts_the_retries_stops_every_step_and_says_what_was_not_sent(
        run_module, token_args, fake_api):
    users = users_where(fake_api, lambda u: u["gateway_seat"] and has_session(u), 3)
    fake_api.add_fault("status", status=429, times=-1, path="/revoke_user")
    result = run_module(cf_access_revoke, dict(token_args, email=[u["email"] for u in users], retries=0))
    assert result["failed"] is True and result["changed"] is False
    assert "HTTP 429" in result["msg"] and "not sent after the failure: " in result["msg"]
    assert "1 request of %d registrations" % sum(len(registrations_of(fake_api, user)) for user in users) in result["msg"]
    assert [method for method, _path in writes(fake_api)].count("DELETE") == 0
