# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_user_info where no other test looked (issue 13): emails Cloudflare stores in mixed case, results in
the order asked when that order is not sorted, repeated keys, a sub-resource that answers 404, and secrets that
``repr`` would hide (control characters), checked on the decoded output instead.
"""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareInputError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import client_from_params
from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_user_info
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import decoded_texts

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def account(server):
    return server.accounts[fake.ACCOUNT_ID]


@pytest.fixture
def mixed_case(fake_api):
    """Two users whose emails Cloudflare holds in mixed case, as the identity provider spelled them."""
    saved = [dict(user) for user in account(fake_api)[5:7]]
    account(fake_api)[5] = dict(saved[0], email="JDoe.Leaver@Example.com")
    account(fake_api)[6] = dict(saved[1], email="ADA.Lovelace@EXAMPLE.COM")
    yield account(fake_api)[5:7]
    account(fake_api)[5:7] = saved


# --- Mixed-case emails at Cloudflare ------------------------------------------------------------------------

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


# --- Order and mapping with unsorted input ------------------------------------------------------------------

def test_a_batch_of_ids_in_no_particular_order_returns_each_users_own_object(run_module, token_args, fake_api):
    users = account(fake_api)
    asked = [users[19]["id"], users[2]["id"], UNKNOWN_ID, users[23]["id"].upper(), users[8]["id"]]
    result = run_module(cf_access_user_info, dict(token_args, user_id=asked))
    assert result["users"] == [users[19], users[2], users[23], users[8]]
    assert [user["id"] for user in result["users"]] == [users[19]["id"], users[2]["id"], users[23]["id"], users[8]["id"]]
    assert result["missing"] == [UNKNOWN_ID]
    assert "user" not in result


def test_a_batch_beyond_the_first_page_returns_each_users_own_object(run_module, big_args, big_api):
    big_api.add_fault("small_pages", times=1)
    users = account(big_api)
    asked = [users[2400]["email"], users[1300]["email"].upper(), "nobody@example.com", users[150]["email"], users[42]["email"]]
    result = run_module(cf_access_user_info, dict(big_args, email=asked))
    assert result["users"] == [users[2400], users[1300], users[150], users[42]]
    assert result["missing"] == ["nobody@example.com"]


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


# --- Repeated keys ------------------------------------------------------------------------------------------

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


# --- include when a sub-resource answers 404 ----------------------------------------------------------------

def test_include_with_a_404_sub_resource_is_null_for_that_user(run_module, token_args, fake_api):
    users = account(fake_api)
    fake_api.add_fault("status", status=404, path="/%s/last_seen_identity" % users[12]["id"])
    result = run_module(cf_access_user_info, dict(token_args, user_id=[users[12]["id"], users[1]["id"]],
                                                  include=["last_seen_identity"]))
    assert "failed" not in result
    assert [user["id"] for user in result["users"]] == [users[12]["id"], users[1]["id"]]
    assert result["users"][0]["last_seen_identity"] is None
    assert result["users"][1]["last_seen_identity"] == fake.sub_resources(users[1])["last_seen_identity"]


# --- Secrets, checked on the decoded text -------------------------------------------------------------------

def test_decoded_texts_finds_what_repr_escapes():
    secret = "tok\r\nen\t\x00"
    result = {"msg": "leaked: " + secret}
    assert secret not in repr(result)
    assert any(secret in text for text in decoded_texts(result))


@pytest.mark.parametrize("secret", ["abc\r\ndef-token", "abc\ndef", "abc\tdef", "abc\x00def", "abc\rdef"])
@pytest.mark.parametrize("option", ["api_token", "api_key"])
def test_a_credential_with_control_characters_is_refused_without_echoing_it(run_module, fake_api, secret, option):
    args = dict(account_id=fake.ACCOUNT_ID, api_url=fake_api.api_url, user_id=fake.EXAMPLE_USER["id"])
    if option == "api_token":
        args["api_token"] = secret
    else:
        args.update(api_email=fake.API_EMAIL, api_key=secret)
    result = run_module(cf_access_user_info, args)
    assert result["failed"] is True
    assert result["msg"] == ("%s contains spaces, control characters or non-ASCII characters; it cannot be sent in "
                             "an HTTP header" % option)
    for text in decoded_texts(result):
        if text != "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER":
            assert secret not in text
    assert fake_api.api_requests() == []


@pytest.mark.parametrize("secret", ["abc\r\ndef-token", "abc\ndef", "abc\tdef", "abc\x00def", "abc\rdef"])
@pytest.mark.parametrize("option", ["api_token", "api_key", "api_email"])
def test_the_settings_error_for_a_credential_with_control_characters_does_not_contain_it(secret, option):
    # Below the module, where Ansible's no_log masking does not help: the message itself must not hold the value.
    params = dict(account_id=fake.ACCOUNT_ID, api_url="https://api.cloudflare.com/client/v4", timeout=5)
    if option == "api_token":
        params["api_token"] = secret
    elif option == "api_key":
        params.update(api_email=fake.API_EMAIL, api_key=secret)
    else:
        params.update(api_email="a" + secret + "@example.com", api_key=fake.API_KEY)
    with pytest.raises(CloudflareInputError) as info:
        client_from_params(params)
    for text in decoded_texts(info.value.to_result()):
        assert secret not in text
        assert fake.API_KEY not in text
