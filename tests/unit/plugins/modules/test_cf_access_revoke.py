# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_revoke's real main(), against the local Cloudflare-like API (which keeps what it revokes and deletes):
cutting users off, a second run, check mode, key authentication, many users, force, the deprecated revoke, MFA
authenticators, the budget, incident size (the plan, the fewest requests, pacing across windows) and bad input.
(Failures part-way and unclear answers: test_access_revoke.py; the registrations refused: test_devices.py.)"""

from __future__ import annotations

import math
import re

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _devices
from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_revoke
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api.server import LocalAPI
from ansible_collections.cloudflare_community.zero_trust.tests.support.api_state import has_session, registrations_of, sessions_revoked, users_where, writes
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import leaks, token_args_for, warning_texts

JDOE = seeded.EXAMPLE_USER
ACCOUNT = local_api.ACCOUNT_ID
REGISTRATIONS = "/client/v4/accounts/%s/devices/registrations" % ACCOUNT
REVOKE_USER = "/client/v4/accounts/%s/access/organizations/revoke_user" % ACCOUNT
REVOKE_PERMISSION = "Access: Organizations, Identity Providers, and Groups Write"


def test_cuts_one_user_off_and_keeps_the_account(run_module, token_args, fake_api):
    registrations = registrations_of(fake_api, JDOE)
    result = run_module(cf_access_revoke, dict(token_args, email="JDoe@example.com", passkeys=True))
    assert result["changed"] is True and result["missing"] == []
    assert result["user"] == result["users"][0] == result["changed_users"][0]
    assert {key: value for key, value in result["user"].items() if key != "cut"} == JDOE
    assert result["user"]["cut"] == {
        "access_tokens_revoked": True, "sessions": 1, "session_apps": ["Example App"],
        "registrations": [_devices.registration_summary(item) for item in registrations],
        "passkeys": [{"id": "passkey-f174e90a", "name": "Jane's security key"}], "mfa_authenticators": []}
    assert writes(fake_api) == [("POST", REVOKE_USER), ("DELETE", REGISTRATIONS),
                                ("DELETE", "/client/v4/accounts/%s/access/users/%s/mfa_authenticators/passkey-f174e90a"
                                % (ACCOUNT, JDOE["id"]))]
    assert fake_api.devices.revocations == [{"email": "jdoe@example.com", "warp_session_reauth": True}]
    assert sessions_revoked(fake_api, JDOE) and registrations_of(fake_api, JDOE) == []
    assert JDOE in fake_api.accounts[ACCOUNT]  # the user and its seats stay


def test_a_second_run_finds_nothing_to_cut_and_sends_no_write(run_module, token_args, fake_api):
    args = dict(token_args, email=["jdoe@example.com", "john.jdoe@example.com"], passkeys=True)
    assert run_module(cf_access_revoke, args)["changed"] is True
    fake_api.clear()
    again = run_module(cf_access_revoke, args)
    assert again["changed"] is False and again["changed_users"] == [] and "failed" not in again
    assert writes(fake_api) == []
    assert [user["cut"] for user in again["users"]] == [{
        "access_tokens_revoked": False, "sessions": 0, "session_apps": [], "registrations": [], "passkeys": [],
        "mfa_authenticators": []}] * 2


def test_a_user_with_nothing_to_cut_is_unchanged_without_a_write(run_module, token_args, fake_api):
    idle = users_where(fake_api, lambda u: not u["gateway_seat"] and not has_session(u) and not seeded.passkeys(u), 1)[0]
    result = run_module(cf_access_revoke, dict(token_args, email=idle["email"], passkeys=True))
    assert result["changed"] is False and result["changed_users"] == []
    assert result["user"]["cut"]["access_tokens_revoked"] is False
    assert writes(fake_api) == [] and not sessions_revoked(fake_api, idle)


def test_check_mode_reports_what_would_be_cut_and_sends_no_write(run_module, token_args, fake_api):
    args = dict(token_args, email=["jdoe@example.com", "john.jdoe@example.com"], passkeys=True, _ansible_diff=True)
    checked = run_module(cf_access_revoke, args, check_mode=True)
    assert writes(fake_api) == [] and fake_api.devices.revocations == []
    assert len(registrations_of(fake_api, JDOE)) == 2
    fake_api.clear()
    real = run_module(cf_access_revoke, args)
    for key in ("changed", "users", "changed_users", "missing", "diff"):
        assert checked[key] == real[key]
    assert checked["diff"]["before"]["jdoe@example.com"] == {
        "access_tokens_revoked": False, "sessions": 1, "session_apps": ["Example App"],
        "registrations": real["users"][0]["cut"]["registrations"],  # the result's shape
        "passkeys": ["passkey-f174e90a"], "mfa_authenticators": []}
    assert checked["diff"]["after"]["jdoe@example.com"] == {
        "access_tokens_revoked": True, "sessions": 0, "session_apps": [], "registrations": [], "passkeys": [],
        "mfa_authenticators": []}


def test_key_authentication_is_refused_before_any_request_when_devices_are_cut(run_module, fake_api):
    args = dict(account_id=ACCOUNT, api_url=fake_api.api_url, api_email=local_api.API_EMAIL, api_key=local_api.API_KEY,
                email="jdoe@example.com")
    result = run_module(cf_access_revoke, args)
    assert result["failed"] is True
    assert result["msg"] == ("devices: delete: Cloudflare's device API (WARP registrations) takes an API token only, "
                             "not api_email with api_key: set api_token")
    assert fake_api.api_requests() == []
    kept = run_module(cf_access_revoke, dict(args, devices="keep"))
    assert kept["changed"] is True and writes(fake_api) == [("POST", REVOKE_USER)]
    assert kept["user"]["cut"]["registrations"] == [] and len(registrations_of(fake_api, JDOE)) == 2


def test_many_users_cost_one_listing_per_fifty_followed_over_several_pages(run_module, big_args, big_api, monkeypatch):
    monkeypatch.setattr(_devices, "REGISTRATIONS_PER_PAGE", 7)  # several pages per listing
    users = users_where(big_api, lambda u: u["gateway_seat"], 120)
    expected = {user["id"]: registrations_of(big_api, user) for user in users}
    total = sum(len(items) for items in expected.values())
    result = run_module(cf_access_revoke, dict(big_args, user_id=[u["id"] for u in users], sessions=False))
    assert result["changed"] is True and len(result["changed_users"]) == 120
    assert [len(user["cut"]["registrations"]) for user in result["users"]] == [len(expected[u["id"]]) for u in users]
    calls = [call for call in big_api.device_calls if call["path"].endswith("/devices/registrations")]
    listings = [call for call in calls if call["method"] == "GET"]
    firsts = [call for call in listings if "cursor" not in call["query"]]
    # read a few at a time, then read again after the deletes
    assert sorted(len(call["query"]["user.id"]) for call in firsts) == [20, 20, 50, 50, 50, 50]
    assert len(listings) == sum(math.ceil(len([i for u in chunk for i in expected[u["id"]]]) / 7.0)
                                for chunk in (users[:50], users[50:100], users[100:])) + 3  # read again: none left
    deletes = [call for call in calls if call["method"] == "DELETE"]
    assert sorted((len(call["query"]["id"]) for call in deletes), reverse=True) == [50] * (total // 50) + (
        [total % 50] if total % 50 else [])
    assert all(registrations_of(big_api, user) == [] for user in users)


def test_force_revokes_users_with_no_listed_session_without_reading_the_sessions(run_module, token_args, fake_api):
    idle = users_where(fake_api, lambda u: not has_session(u), 1)[0]
    result = run_module(cf_access_revoke, dict(token_args, email=idle["email"], force=True, devices="keep"))
    assert result["changed"] is True and result["user"]["cut"]["access_tokens_revoked"] is True
    assert (result["user"]["cut"]["sessions"], result["user"]["cut"]["session_apps"]) == (None, None)  # not read
    assert writes(fake_api) == [("POST", REVOKE_USER)]
    assert not [request for request in fake_api.api_requests() if request["path"].endswith("/active_sessions")]


def test_a_listing_that_repeats_its_cursor_is_refused(run_module, token_args, fake_api, monkeypatch):
    monkeypatch.setattr(_devices, "REGISTRATIONS_PER_PAGE", 1)
    fake_api.add_fault("repeat_cursor", times=-1, path="/devices/registrations")
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com"))
    assert result["failed"] is True
    assert result["msg"].endswith("failed: HTTP 200: the API answered a cursor it had already answered: the listing "
                                  "would loop")
    assert writes(fake_api) == []


def test_a_403_on_the_revocation_names_its_permission_and_the_registrations_are_cut_all_the_same(
        run_module, token_args, fake_api):
    fake_api.add_fault("status", status=403, path="/revoke_user")
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com"))
    assert result["failed"] is True and result["changed"] is True
    assert ("this call needs the API token permission '%s' on the account; cut: 2 registrations; running the task "
            "again is safe" % REVOKE_PERMISSION) in result["msg"]
    # Another permission: the registrations are deleted, what can be done is done.
    assert writes(fake_api) == [("POST", REVOKE_USER), ("DELETE", REGISTRATIONS)]
    assert result["user"]["cut"]["access_tokens_revoked"] is False and len(result["user"]["cut"]["registrations"]) == 2


def test_devices_revoke_uses_the_deprecated_call_and_warns(run_module, token_args, fake_api):
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com", sessions=False, devices="revoke"))
    assert result["changed"] is True and len(result["user"]["cut"]["registrations"]) == 2
    assert writes(fake_api) == [("POST", REGISTRATIONS + "/revoke")]
    assert "deprecated" in warning_texts(result)[0]
    assert registrations_of(fake_api, JDOE) == [] and len(fake_api.devices.of_user(ACCOUNT, JDOE["id"], "revoked")) == 2


def test_mfa_authenticators_are_deleted_and_a_gone_one_is_no_change(run_module, token_args, fake_api):
    args = dict(token_args, email="jdoe@example.com", sessions=False, devices="keep",
                mfa_authenticator_id=["totp-f174e90a"])
    assert run_module(cf_access_revoke, args)["user"]["cut"]["mfa_authenticators"] == ["totp-f174e90a"]
    again = run_module(cf_access_revoke, args)
    assert again["changed"] is False and again["user"]["cut"]["mfa_authenticators"] == []


def test_the_writes_are_counted_against_the_budget_before_the_first(run_module, big_args, big_api):
    users = users_where(big_api, lambda u: u["gateway_seat"] and has_session(u), 40)
    result = run_module(cf_access_revoke, dict(big_args, user_id=[u["id"] for u in users], request_budget=45))
    assert result["failed"] is True and "cutting off 40 users (the writes, and reading them again) takes" in result["msg"]
    assert writes(big_api) == []


@pytest.mark.parametrize("overrides, message", [
    (dict(sessions=False, devices="keep"), "nothing to cut: sessions is false, devices is keep"),
    (dict(sessions=False, force=True), "force sends the token revocation even when no session is listed"),
    (dict(mfa_authenticator_id=["totp 1"]), "mfa_authenticator_id must be an MFA authenticator id"),
    (dict(mfa_authenticator_id=["../totp-f174e90a"]), "mfa_authenticator_id must be an MFA authenticator id"),
    (dict(mfa_authenticator_id=["%2e%2e"]), "mfa_authenticator_id must be an MFA authenticator id"),
    (dict(mfa_authenticator_id=["totp.f174e90a"]), "mfa_authenticator_id must be an MFA authenticator id"),
    (dict(mfa_authenticator_id=["totp-1"], email=["a@example.com", "b@example.com"]),
     "mfa_authenticator_id names authenticators of one user, but the selector names 2 values"),
    (dict(email=None, user_id=["f174e90a"]), "user_id must be a UUID"),
    (dict(email=[]), "email must name at least one user"),
    (dict(devices="wipe"), "value of devices must be one of: delete, revoke, keep"),
])
def test_bad_input_fails_before_any_request(run_module, token_args, fake_api, overrides, message):
    args = dict(token_args, email=["jdoe@example.com"])
    args.update(overrides)
    result = run_module(cf_access_revoke, {key: value for key, value in args.items() if value is not None})
    assert result["failed"] is True and message in result["msg"]
    assert fake_api.api_requests() == []


def test_the_token_never_reaches_the_result(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=403, path="/devices/registrations")
    result = run_module(cf_access_revoke, dict(token_args, email="jdoe@example.com"))
    assert result["failed"] is True and not leaks(local_api.API_TOKEN, result)
    assert "'Zero Trust Read'" in result["msg"]


# --- Incident size: the plan before the first write, the fewest requests, pacing across windows ----------------------

@pytest.fixture(scope="module")
def paced_server():
    """2,500 users behind a rate limit of 40 requests a second: an incident's pacing in seconds, not minutes (the
    local API answers about 60 requests a second here, so that the windows, not the answers, set the pace)."""
    with LocalAPI(users=2500, rate_limit=40, rate_window=1) as server:
        yield server


@pytest.fixture
def paced(paced_server):
    paced_server.reset()
    yield paced_server
    paced_server.reset()


def paced_args(server, users, **options):
    return token_args_for(server, email=[user["email"] for user in users], **options)


def fewest_requests(server, users):
    """What cutting ``users`` off with force takes at the least: the look-ups (the whole listing), a listing per 50
    users (one page per 100 registrations), a revocation per user, a delete per 50 registrations, and the listings
    that read the registrations again (a page each: none is left)."""
    found = [registrations_of(server, user) for user in users]
    batches = [found[start:start + 50] for start in range(0, len(found), 50)]
    holders = [items for items in found if items]
    return dict(lookups=math.ceil(len(server.accounts[ACCOUNT]) / 1000.0),
                listings=sum(max(1, math.ceil(sum(len(items) for items in batch) / 100.0)) for batch in batches),
                revocations=len(users), deletes=math.ceil(sum(len(items) for items in found) / 50.0),
                read_again=math.ceil(len(holders) / 50.0))


def kinds(requests_sent):
    counted = {}
    for request in requests_sent:
        path = request["path"]
        kind = ("revocations" if path.endswith("/revoke_user") else "deletes" if request["method"] == "DELETE"
                else "listings" if path.endswith("/devices/registrations") else "lookups")
        counted[kind] = counted.get(kind, 0) + 1
    return counted


@pytest.mark.timeout(60)
def test_users_are_cut_off_in_one_task_paced_across_windows_with_the_fewest_requests(run_module, paced):
    users = users_where(paced, lambda u: True, 150)
    fewest = fewest_requests(paced, users)
    result = run_module(cf_access_revoke, paced_args(paced, users, force=True))
    assert "failed" not in result and len(result["changed_users"]) == 150
    assert len(paced.devices.revocations) == 150 and all(registrations_of(paced, user) == [] for user in users)
    sent = kinds(paced.api_requests())
    fewest["listings"] += fewest.pop("read_again")
    assert sent == fewest and sum(sent.values()) == result["api_pacing"]["requests"]
    assert result["api_retries"] == []  # never refused by the rate limit
    assert len(result["api_pacing"]["waits"]) >= 3 and result["api_pacing"]["waited"] > 0
    assert result["api_pacing"]["plans"][0].startswith(
        "cutting off 150 users (the reads, and the least the writes take) takes %d more API requests, more than Cloudflare's rate limit (40 requests per 1 s; "
        "this task's share 36) allows in one window: paced over about" % (sent["revocations"] + len(users) // 50))
    assert any("for Cloudflare's rate limit: the task's requests were paced over several windows (each wait is in "
               "the module's log)" in warning for warning in warning_texts(result))


def test_work_that_would_wait_beyond_pacing_timeout_fails_before_any_per_user_request(run_module, paced):
    users = users_where(paced, lambda u: True, 600)
    result = run_module(cf_access_revoke, paced_args(paced, users, force=True, request_budget=1000, pacing_timeout=1))
    assert result["failed"] is True
    assert re.match(r"cutting off 600 users \(the reads, and the least the writes take\) takes 612 more API requests, "
                    r"about 1\d s of waiting for Cloudflare's rate limit \(40 requests per 1 s; this task's share 36\), "
                    r"more than the 1 s left of pacing_timeout \(1 s\); raise pacing_timeout to at least 1\d, or narrow "
                    r"the selection$", result["msg"])
    assert set(kinds(paced.api_requests())) == {"lookups"}


def test_work_beyond_the_request_budget_fails_before_any_per_user_request(run_module, paced):
    users = users_where(paced, lambda u: True, 600)
    result = run_module(cf_access_revoke, paced_args(paced, users, request_budget=500))
    assert result["failed"] is True
    assert result["msg"] == ("cutting off 600 users (the reads, and the least the writes take) takes 612 more API "
                             "requests (3 sent so far), more than "
                             "request_budget allows (500); narrow the selection or raise request_budget")
    assert set(kinds(paced.api_requests())) == {"lookups"}
