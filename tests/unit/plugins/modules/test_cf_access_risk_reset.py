# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_risk_reset's real main(), against the local Cloudflare-like API (which keeps the users' risk events):
resetting, a second run, check mode and diff, unclear answers, a failure part-way, answers about another user."""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_risk_reset
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.api_state import writes
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import leaks

JDOE = seeded.EXAMPLE_USER
LOOKALIKE = seeded.LOOKALIKE_USER
RISK = "/client/v4/accounts/%s/zt_risk_scoring" % local_api.ACCOUNT_ID
NO_RISK = "ada.diffie8@example.com"  # no risk events


def reset_path(user):
    return RISK + "/%s/reset" % user["id"]


def test_resets_the_users_with_risk_events_and_leaves_the_others(run_module, token_args, fake_api):
    fake_api.raise_risk(email=JDOE["email"], risk_level="high")
    result = run_module(cf_access_risk_reset, dict(token_args, email=[JDOE["email"], NO_RISK, "JOHN.jdoe@example.com"]))
    assert result["changed"] is True and result["missing"] == []
    assert [user["email"] for user in result["users"]] == [JDOE["email"], NO_RISK, LOOKALIKE["email"]]
    assert [user["email"] for user in result["changed_users"]] == [JDOE["email"], LOOKALIKE["email"]]
    jdoe = result["users"][0]["risk"]
    assert jdoe["risk_level"] == "high" and jdoe["event_count"] == 2 and jdoe["reset"] is True
    assert jdoe["last_reset_time"] is None and jdoe["last_event"] > "2026-11-30T05:00:00Z"
    assert result["users"][1]["risk"] == dict(risk_level=None, event_count=0, last_event=None, last_reset_time=None,
                                              reset=False)
    assert writes(fake_api) == [("POST", reset_path(JDOE)), ("POST", reset_path(LOOKALIKE))]
    assert fake_api.feeds.summary(fake_api.accounts[local_api.ACCOUNT_ID]) == []


def test_a_second_run_is_unchanged_and_sends_no_write(run_module, token_args, fake_api):
    assert run_module(cf_access_risk_reset, dict(token_args, user_id=JDOE["id"]))["changed"] is True
    fake_api.clear()
    again = run_module(cf_access_risk_reset, dict(token_args, user_id=JDOE["id"]))
    assert again["changed"] is False and again["changed_users"] == [] and writes(fake_api) == []
    assert again["user"]["risk"]["event_count"] == 0 and again["user"]["risk"]["last_reset_time"]


def test_check_mode_and_diff_predict_the_reset_and_send_no_write(run_module, token_args, fake_api):
    result = run_module(cf_access_risk_reset, dict(token_args, email=JDOE["email"], _ansible_diff=True), check_mode=True)
    assert result["changed"] is True and result["user"]["risk"]["reset"] is True
    assert result["diff"] == {"before": {JDOE["email"]: {"risk_level": "low", "event_count": 1}},
                              "after": {JDOE["email"]: {"risk_level": None, "event_count": 0}}}
    assert writes(fake_api) == [] and fake_api.feeds.resets == []


def test_a_reset_whose_answer_is_lost_is_settled_by_reading_again(run_module, token_args, fake_api):
    fake_api.add_fault("after_processing", answer="status", status=502, method="POST", path="/reset")
    result = run_module(cf_access_risk_reset, dict(token_args, email=JDOE["email"], retries=0))
    assert "failed" not in result and result["changed"] is True and result["user"]["risk"]["reset"] is True
    assert fake_api.feeds.resets == [JDOE["id"]]


def test_a_refused_reset_stops_the_task_and_says_which_were_reset_before_it(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=400, after=1, method="POST", path="/reset")
    result = run_module(cf_access_risk_reset, dict(token_args, email=[JDOE["email"], LOOKALIKE["email"]]))
    assert result["failed"] is True and result["status"] == 400
    assert [user["email"] for user in result["changed_users"]] == [JDOE["email"]]
    assert "reset before it: jdoe@example.com; running the task again is safe" in result["msg"]
    assert "\n" not in result["msg"]


def test_an_answer_about_another_user_is_refused_before_any_reset(run_module, token_args, fake_api):
    fake_api.add_fault("identity_of_other_user", times=-1, path="/zt_risk_scoring/")
    result = run_module(cf_access_risk_reset, dict(token_args, email=JDOE["email"]))
    assert result["failed"] is True and "its answer is about another user" in result["msg"]
    assert writes(fake_api) == []


def test_a_403_names_the_permission_and_never_the_token(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=403, path="/zt_risk_scoring/")
    result = run_module(cf_access_risk_reset, dict(token_args, email=JDOE["email"]))
    assert result["failed"] is True and "'Zero Trust: PII Read'" in result["msg"]
    assert not leaks(local_api.API_TOKEN, result)
