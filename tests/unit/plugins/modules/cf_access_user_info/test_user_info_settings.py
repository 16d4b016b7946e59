# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_user_info's real main() with the connection settings: the legacy global API key and community.general's
aliases, credentials from the environment, exactly one way to authenticate, and bad settings refused before any
request without echoing a secret. (What all modules share is in tests/unit/plugins/test_shared_settings.py.)"""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_user_info
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import decoded_texts, leaks

USER_ID = seeded.EXAMPLE_USER["id"]


# --- Authentication: a token, or the global API key by its names or community.general's ----------------------------

def test_legacy_email_and_key(run_module, fake_api):
    args = dict(account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url, api_email=local_api.API_EMAIL,
                api_key=local_api.API_KEY, user_id=USER_ID)
    assert run_module(cf_access_user_info, args)["user"] == seeded.EXAMPLE_USER
    assert [r["auth"] for r in fake_api.api_requests()] == ["key"]


def test_aliases_of_community_general(run_module, fake_api):
    args = dict(account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url, account_email=local_api.API_EMAIL,
                account_api_key=local_api.API_KEY, user_id=USER_ID)
    assert run_module(cf_access_user_info, args)["found"] is True


@pytest.mark.parametrize("args, message", [
    (dict(api_token="secret-token", api_email="a@example.com", api_key="secret-key"),
     "use either api_token or api_email with api_key, not both; got api_token, api_email and api_key"),
    (dict(api_email="a@example.com"), "api_email is set but api_key is not"),
])
def test_exactly_one_auth_method(run_module, fake_api, args, message):
    args = dict(args, account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url, user_id=USER_ID)
    result = run_module(cf_access_user_info, args)
    assert result["failed"] is True
    assert message in result["msg"]
    assert fake_api.api_requests() == []


# --- The environment: an empty variable counts as unset ------------------------------------------------------------

def test_an_empty_token_variable_does_not_clash_with_a_global_api_key(run_module, fake_api, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "")
    args = dict(account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url, user_id=USER_ID,
                api_email=local_api.API_EMAIL, api_key=local_api.API_KEY)
    assert run_module(cf_access_user_info, args)["found"] is True


def test_an_empty_account_variable_is_a_missing_option(run_module, token_args, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", "")
    args = {key: value for key, value in token_args.items() if key != "account_id"}
    result = run_module(cf_access_user_info, dict(args, user_id=USER_ID))
    assert result["failed"] and result["msg"].startswith("account_id is not set: set account_id (or the environment "
                                                         "variable CLOUDFLARE_ACCOUNT_ID) ")


# --- Bad settings fail before any request, and no secret reaches the result ----------------------------------------

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


@pytest.mark.parametrize("secret", ["abc\r\ndef-token", "abc\ndef", "abc\tdef", "abc\x00def", "abc\rdef"])
@pytest.mark.parametrize("option", ["api_token", "api_key"])
def test_a_credential_with_control_characters_is_refused_without_echoing_it(run_module, fake_api, secret, option):
    args = dict(account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url, user_id=seeded.EXAMPLE_USER["id"])
    if option == "api_token":
        args["api_token"] = secret
    else:
        args.update(api_email=local_api.API_EMAIL, api_key=secret)
    result = run_module(cf_access_user_info, args)
    assert result["failed"] is True
    assert result["msg"] == ("%s contains spaces, control characters or non-ASCII characters; it cannot be sent in "
                             "an HTTP header" % option)
    for text in decoded_texts(result):
        if text != "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER":
            assert secret not in text
    assert fake_api.api_requests() == []


def test_secrets_never_reach_the_result(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=401)
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    assert not leaks(local_api.API_TOKEN, result)
    if "invocation" in result:  # ansible-core 2.21 leaves the arguments out of results
        assert result["invocation"]["module_args"]["api_token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
