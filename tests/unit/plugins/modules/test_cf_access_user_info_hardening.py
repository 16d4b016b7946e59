# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 8 through cf_access_user_info's real main(): environment, failure results, warnings and the budget."""

from __future__ import annotations

import pytest

try:  # ansible-core 2.19+
    from ansible.module_utils._internal import _traceback
except ImportError:  # older releases add a traceback to a failure from verbosity 3 on
    _traceback = None

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_user_info
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import warning_texts

USER_ID = fake.EXAMPLE_USER["id"]


def test_an_empty_token_variable_counts_as_unset(run_module, fake_api, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "")
    monkeypatch.setenv("CLOUDFLARE_TOKEN", fake.API_TOKEN)
    args = dict(account_id=fake.ACCOUNT_ID, api_url=fake_api.api_url, user_id=USER_ID)
    assert run_module(cf_access_user_info, args)["found"] is True


def test_an_empty_token_variable_does_not_clash_with_a_global_api_key(run_module, fake_api, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "")
    args = dict(account_id=fake.ACCOUNT_ID, api_url=fake_api.api_url, user_id=USER_ID,
                api_email=fake.API_EMAIL, api_key=fake.API_KEY)
    assert run_module(cf_access_user_info, args)["found"] is True


def test_an_empty_account_variable_is_a_missing_option(run_module, token_args, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", "")
    args = {key: value for key, value in token_args.items() if key != "account_id"}
    result = run_module(cf_access_user_info, dict(args, user_id=USER_ID))
    assert result["failed"] and result["msg"].startswith("account_id is not set: set account_id (or the environment "
                                                         "variable CLOUDFLARE_ACCOUNT_ID) ")


def test_a_failure_carries_no_traceback_even_when_tracebacks_are_on(run_module, token_args, fake_api, monkeypatch):
    args = dict(token_args, user_id=USER_ID)
    if _traceback is not None:
        monkeypatch.setattr(_traceback, "_is_traceback_enabled", lambda event: True)
    else:
        args["_ansible_verbosity"] = 4
    fake_api.add_fault("status", status=400, times=-1)
    result = run_module(cf_access_user_info, args)
    assert result["failed"] and not result.get("exception")  # absent, or empty on ansible-core before 2.19
    assert result["msg"].startswith("GET /accounts/")


def test_a_404_page_from_a_proxy_fails_instead_of_reporting_the_user_gone(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=404, body="html", times=-1)
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    assert result["failed"] and "found" not in result
    assert result["msg"].endswith("the answer did not come from Cloudflare's API: check api_url (it ends in /client/v4) "
                                  "and any proxy or load balancer in between")


def test_the_retry_warning_stays_short_however_many_retries(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=503, retry_after="0", times=12)
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID, retries=20))
    assert len(result["api_retries"]) == 12
    [warning] = warning_texts(result)
    assert warning.startswith("12 API requests were retried after transient failures (see api_retries): ")
    assert warning.endswith("; and 9 more") and warning.count("retried after 0.0 s") == 3


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
