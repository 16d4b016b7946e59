# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_access_revoke.py, through cf_access_revoke's real main(): a cut that fails part-way says what was cut and
what is unknown, an unclear answer of a write is settled by reading again (never guessed), and an answer about
another user is refused before any write."""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_revoke
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.api_state import has_session, registrations_of, users_where, writes
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
        "permission 'Zero Trust Write' on the account; cut before the failure: Access tokens of 3 users; running the "
        "task again is safe: it reads first and cuts only what is left" % (
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
    assert "HTTP 500" in result["msg"] and "cut before the failure: %d registrations; unknown: whether" % len(cut) \
        in result["msg"]
    assert result["msg"].endswith("running the task again is safe: it reads first and cuts only what is left")


# --- An unclear answer is settled by reading again -----------------------------------------------------------------

def test_a_delete_whose_answer_is_lost_is_read_again_not_guessed(run_module, token_args, fake_api):
    fake_api.add_fault("drop_after_processing", path="/devices/registrations", method="DELETE")
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com", retries=0))
    assert "failed" not in result and result["changed"] is True
    assert len(result["user"]["cut"]["registrations"]) == 2
    reread = [call for call in fake_api.device_calls if call["method"] == "GET" and "id" in call["query"]]
    assert len(reread) == 1 and sorted(reread[0]["query"]["id"]) == sorted(
        item["id"] for item in result["user"]["cut"]["registrations"])


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
    assert ("nothing was cut before the failure; unknown: whether the Access tokens of %s were revoked (no session "
            "was listed to check)" % idle["email"]) in result["msg"]


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
