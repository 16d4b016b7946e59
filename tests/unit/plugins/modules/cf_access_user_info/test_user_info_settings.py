# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_user_info's real main(), against the local Cloudflare-like API."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _module
from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_seat, cf_access_user, cf_access_user_info
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import leaks, warning_texts

USER_ID = fake.EXAMPLE_USER["id"]
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def test_returns_exactly_the_api_user(run_module, token_args):
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    assert result["changed"] is False
    assert result["found"] is True
    assert result["user"] == fake.EXAMPLE_USER
    assert result["users"] == [fake.EXAMPLE_USER]
    assert "ansible_facts" not in result


def test_fields_added_by_the_api_pass_through(run_module, token_args, fake_api):
    fake_api.accounts[fake.ACCOUNT_ID][0] = dict(fake.EXAMPLE_USER, mfa_enrolled=True)
    try:
        result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    finally:
        fake_api.accounts[fake.ACCOUNT_ID][0] = dict(fake.EXAMPLE_USER)
    assert result["user"]["mfa_enrolled"] is True


def test_unknown_user_is_data_not_a_failure(run_module, token_args):
    result = run_module(cf_access_user_info, dict(token_args, user_id=UNKNOWN_ID))
    assert result == dict(result, changed=False, found=False, user={}, users=[])
    assert "failed" not in result


def test_legacy_email_and_key(run_module, fake_api):
    args = dict(account_id=fake.ACCOUNT_ID, api_url=fake_api.api_url, api_email=fake.API_EMAIL,
                api_key=fake.API_KEY, user_id=USER_ID)
    assert run_module(cf_access_user_info, args)["user"] == fake.EXAMPLE_USER
    assert [r["auth"] for r in fake_api.api_requests()] == ["key"]


def test_aliases_of_community_general(run_module, fake_api):
    args = dict(account_id=fake.ACCOUNT_ID, api_url=fake_api.api_url, account_email=fake.API_EMAIL,
                account_api_key=fake.API_KEY, user_id=USER_ID)
    assert run_module(cf_access_user_info, args)["found"] is True


def test_environment_supplies_credentials_and_url(run_module, fake_api, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_TOKEN", fake.API_TOKEN)
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", fake.ACCOUNT_ID)
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", fake_api.api_url)
    assert run_module(cf_access_user_info, dict(user_id=USER_ID))["found"] is True


def test_check_mode_reads_too(run_module, token_args, fake_api):
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID), check_mode=True)
    assert result["found"] is True and result["changed"] is False
    assert len(fake_api.api_requests()) == 1


def test_api_failure_is_one_message_with_structured_keys(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=400)
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    assert result["failed"] is True
    path = "/accounts/%s/access/users/%s" % (fake.ACCOUNT_ID, USER_ID)
    assert result["msg"] == "GET %s failed: HTTP 400: [10400] Bad request (cf-ray %s)" % (path, result["cf_ray"])
    assert result["status"] == 400
    assert result["errors"] == [{"code": 10400, "message": "Bad request"}]
    assert (result["method"], result["path"]) == ("GET", path)
    assert not result.get("exception")  # no traceback: absent, or empty on ansible-core before 2.19


def test_secrets_never_reach_the_result(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=401)
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    assert not leaks(fake.API_TOKEN, result)
    if "invocation" in result:  # ansible-core 2.21 leaves the arguments out of results
        assert result["invocation"]["module_args"]["api_token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


@pytest.mark.parametrize("overrides, message", [
    (dict(user_id="../../../../etc/passwd"), "user_id must be a UUID"),
    (dict(user_id=USER_ID + "/active_sessions"), "user_id must be a UUID"),
    (dict(account_id="023e105f4ecef8ad9ca31a8372d0c353/../x"), "account_id must be"),
    (dict(api_url="http://api.example.com/client/v4"), "plain http"),
    (dict(api_token="a\r\nb"), "api_token contains"),
    (dict(timeout=0), "timeout must be"),
])
def test_bad_input_fails_before_any_request(run_module, token_args, fake_api, overrides, message):
    args = dict(token_args, user_id=USER_ID)
    args.update(overrides)
    result = run_module(cf_access_user_info, args)
    assert result["failed"] is True
    assert message in result["msg"]
    assert fake_api.api_requests() == []


@pytest.mark.parametrize("args, message", [
    (dict(api_token="secret-token", api_email="a@example.com", api_key="secret-key"),
     "use either api_token or api_email with api_key, not both; got api_token, api_email and api_key"),
    (dict(api_email="a@example.com"), "api_email is set but api_key is not"),
    (dict(), "no credentials: set api_token (or the environment variables CLOUDFLARE_API_TOKEN or CLOUDFLARE_TOKEN), "
             "or api_email with api_key (or the environment variables CLOUDFLARE_EMAIL with CLOUDFLARE_API_KEY)"),
])
def test_exactly_one_auth_method(run_module, fake_api, args, message):
    args = dict(args, account_id=fake.ACCOUNT_ID, api_url=fake_api.api_url, user_id=USER_ID)
    result = run_module(cf_access_user_info, args)
    assert result["failed"] is True
    assert message in result["msg"]
    assert fake_api.api_requests() == []


@pytest.mark.parametrize("module, selection", [
    (cf_access_user_info, dict(user_id=USER_ID)),
    (cf_access_seat, dict(user_id=USER_ID, access_seat=False)),
    (cf_access_user, dict(user_id=USER_ID)),
])
def test_missing_requests_library_is_a_clear_failure(run_module, token_args, fake_api, monkeypatch, module, selection):
    monkeypatch.setattr(_module, "HAS_REQUESTS", False)
    result = run_module(module, dict(token_args, **selection))
    assert fake_api.api_requests() == []
    assert result["failed"] is True
    assert "Failed to import the required Python library (requests)" in result["msg"]


def test_turning_tls_verification_off_warns(run_module, token_args):
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID, validate_certs=False))
    assert result["found"] is True
    assert [w for w in warning_texts(result) if w.startswith("validate_certs is false: the API's TLS certificate")]


def test_tls_verification_is_on_by_default_and_silent(run_module, token_args):
    assert cf_access_user_info.ARGUMENT_SPEC["validate_certs"]["default"] is True
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    assert warning_texts(result) == []


def test_retries_are_visible_in_the_result_and_as_a_warning(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=503, retry_after="0", times=2)
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    assert result["found"] is True
    path = "/accounts/%s/access/users/%s" % (fake.ACCOUNT_ID, USER_ID)
    assert result["api_retries"] == ["GET %s: HTTP 503; retried after 0.0 s (Retry-After)" % path] * 2
    expected = "2 API requests were retried after transient failures (see api_retries): " + "; ".join(result["api_retries"])
    assert warning_texts(result) == [expected]
