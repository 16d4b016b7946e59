# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_plugin_options.py, through the access_user lookup's real run(): a lookup's options come from its keywords, then
Ansible variables (templated), then the environment, and go through the modules' own argspec: the same chain,
the same checks and the same messages as the modules, naming the variables too."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleError, AnsibleLookupError

try:  # ansible-core 2.19+ templates only strings marked as trusted, as those from playbooks are
    from ansible.template import trust_as_template
except ImportError:  # older releases template every string
    def trust_as_template(value):
        return value

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import DEFAULT_API_URL
from ansible_collections.cloudflare_community.zero_trust.plugins.plugin_utils._plugin_options import checked_options
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

USER_ID = seeded.EXAMPLE_USER["id"]
EMAIL = seeded.EXAMPLE_USER["email"]


def bearer_tokens(server):
    return [seen.get("Authorization") for seen in server.auth_headers_seen]


# --- Keywords, variables, the environment: which wins --------------------------------------------------------------

def test_legacy_key_as_keywords(access_user, fake_api):
    result = access_user.run([USER_ID], account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url,
                             api_email=local_api.API_EMAIL, api_key=local_api.API_KEY)
    assert result == [seeded.EXAMPLE_USER]
    assert [request["auth"] for request in fake_api.api_requests()] == ["key"]


def test_legacy_key_through_the_modules_aliases(access_user, fake_api):
    result = access_user.run([USER_ID], account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url,
                             account_email=local_api.API_EMAIL, account_api_key=local_api.API_KEY)
    assert result == [seeded.EXAMPLE_USER]


def test_legacy_key_as_variables(access_user, fake_api):
    variables = dict(cloudflare_api_email=local_api.API_EMAIL, cloudflare_api_key=local_api.API_KEY,
                     cloudflare_account_id=local_api.ACCOUNT_ID, cloudflare_api_url=fake_api.api_url)
    assert access_user.run([USER_ID], variables=variables) == [seeded.EXAMPLE_USER]
    assert [request["auth"] for request in fake_api.api_requests()] == ["key"]


def test_token_from_the_environment(access_user, fake_api, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", local_api.API_TOKEN)
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", local_api.ACCOUNT_ID)
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", fake_api.api_url)
    assert access_user.run([EMAIL]) == [seeded.EXAMPLE_USER]


def test_cloudflare_api_token_wins_over_cloudflare_token_as_in_the_modules(access_user, fake_api, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_TOKEN", local_api.NO_ACCESS_TOKEN)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", local_api.API_TOKEN)
    assert access_user.run([EMAIL], account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url) == [seeded.EXAMPLE_USER]
    assert bearer_tokens(fake_api) == ["Bearer " + local_api.API_TOKEN]


def test_get_option_gives_the_values_the_lookup_used(access_user, fake_api, monkeypatch):
    # Ansible's own reading takes the last environment variable set (CLOUDFLARE_TOKEN); the lookup used the first.
    monkeypatch.setenv("CLOUDFLARE_TOKEN", local_api.NO_ACCESS_TOKEN)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", local_api.API_TOKEN)
    assert access_user.run([EMAIL], account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url) == [seeded.EXAMPLE_USER]
    assert access_user.get_option("api_token") == local_api.API_TOKEN
    assert access_user.get_option("validate_certs") is True


def test_community_general_token_variable_alone(access_user, fake_api, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_TOKEN", local_api.API_TOKEN)
    assert access_user.run([EMAIL], account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url) == [seeded.EXAMPLE_USER]


def test_keyword_wins_over_variable_wins_over_environment(access_user, fake_api, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "env-token-that-is-wrong")
    variables = dict(cloudflare_api_token="variable-token-that-is-wrong", cloudflare_account_id=local_api.ACCOUNT_ID,
                     cloudflare_api_url=fake_api.api_url)
    assert access_user.run([EMAIL], variables=variables, api_token=local_api.API_TOKEN) == [seeded.EXAMPLE_USER]
    assert bearer_tokens(fake_api) == ["Bearer " + local_api.API_TOKEN]
    with pytest.raises(AnsibleLookupError, match="HTTP 403"):
        access_user.run([EMAIL], variables=variables)
    assert bearer_tokens(fake_api)[-1] == "Bearer variable-token-that-is-wrong"


def test_variables_are_templated(access_user, fake_api):
    variables = dict(vault_token=local_api.API_TOKEN, cloudflare_api_token=trust_as_template("{{ vault_token }}"),
                     cloudflare_account_id=local_api.ACCOUNT_ID, cloudflare_api_url=fake_api.api_url,
                     cloudflare_retries=trust_as_template("{{ 1 + 1 }}"), omit="__omit_place_holder__test",
                     cloudflare_api_key=trust_as_template("{{ omit }}"))
    assert access_user.run([EMAIL], variables=variables) == [seeded.EXAMPLE_USER]
    assert access_user.get_option("retries") == 2
    assert bearer_tokens(fake_api) == ["Bearer " + local_api.API_TOKEN]


def test_an_empty_environment_variable_counts_as_unset(access_user, fake_api, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "")
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", "")
    result = access_user.run([EMAIL], account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url,
                             api_email=local_api.API_EMAIL, api_key=local_api.API_KEY)
    assert result == [seeded.EXAMPLE_USER]
    # With nothing but the empty variable, api_url is the default, not an empty string.
    direct = dict(account_id=local_api.ACCOUNT_ID, api_email=local_api.API_EMAIL, api_key=local_api.API_KEY)
    access_user.set_options(direct=direct)
    assert checked_options(access_user, direct, {})["api_url"] == DEFAULT_API_URL


def test_an_empty_cloudflare_api_token_lets_cloudflare_token_apply(access_user, fake_api, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "")
    monkeypatch.setenv("CLOUDFLARE_TOKEN", local_api.API_TOKEN)
    assert access_user.run([EMAIL], account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url) == [seeded.EXAMPLE_USER]
    assert bearer_tokens(fake_api) == ["Bearer " + local_api.API_TOKEN]


# --- What is missing or conflicting names the keyword, the variable and the environment variable -------------------

ACCOUNT_NOT_SET = ("account_id is not set: set account_id (or the variable cloudflare_account_id, or the environment "
                   "variable CLOUDFLARE_ACCOUNT_ID) to the account's identifier (in the dashboard's URL)")


def test_empty_account_id_in_the_environment_is_missing(access_user, fake_api, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", "")
    with pytest.raises(AnsibleLookupError) as failure:
        access_user.run([EMAIL], api_token=local_api.API_TOKEN, api_url=fake_api.api_url)
    assert str(failure.value) == ACCOUNT_NOT_SET
    assert fake_api.api_requests() == []


@pytest.mark.parametrize("given", [dict(account_id=""), dict(variables=dict(cloudflare_account_id=" "))],
                         ids=["keyword", "variable"])
def test_an_empty_account_id_is_not_set(access_user, fake_api, given):
    with pytest.raises(AnsibleLookupError) as failure:
        access_user.run([EMAIL], api_token=local_api.API_TOKEN, api_url=fake_api.api_url, **given)
    assert str(failure.value) == ACCOUNT_NOT_SET
    assert fake_api.api_requests() == []


def test_no_account_id_anywhere_names_the_keyword_the_variable_and_the_environment(access_user, fake_api):
    with pytest.raises(AnsibleError) as failure:
        access_user.run([EMAIL], api_token=local_api.API_TOKEN, api_url=fake_api.api_url)
    assert str(failure.value) == ACCOUNT_NOT_SET
    assert fake_api.api_requests() == []


def test_no_credentials_names_the_options_variables_and_environment(access_user, fake_api):
    with pytest.raises(AnsibleLookupError) as failure:
        access_user.run([EMAIL], account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url)
    assert str(failure.value) == (
        "no credentials: set api_token (or the variable cloudflare_api_token, or the environment variables "
        "CLOUDFLARE_API_TOKEN or CLOUDFLARE_TOKEN), or api_email with api_key (or the variables cloudflare_api_email "
        "with cloudflare_api_key, or the environment variables CLOUDFLARE_EMAIL with CLOUDFLARE_API_KEY)")
    assert fake_api.api_requests() == []


def test_a_credential_conflict_from_the_environment_names_the_variable(access_user, fake_api, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_TOKEN", local_api.API_TOKEN)
    with pytest.raises(AnsibleLookupError) as failure:
        access_user.run([EMAIL], account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url, api_email=local_api.API_EMAIL,
                        api_key=local_api.API_KEY)
    assert str(failure.value) == ("use either api_token or api_email with api_key, not both; got api_token (from the "
                                  "environment variable CLOUDFLARE_TOKEN), api_email and api_key")
    assert fake_api.api_requests() == []


# --- Values checked as the modules check them ----------------------------------------------------------------------

@pytest.mark.parametrize("value", ["/etc/ssl/certs/ca-certificates.crt", "flase", "", 2])
def test_validate_certs_that_is_not_a_boolean_is_refused_as_the_modules_refuse_it(access_user, token_vars, fake_api,
                                                                                  value):
    for call in (dict(variables=token_vars, validate_certs=value),
                 dict(variables=dict(token_vars, cloudflare_validate_certs=value))):
        with pytest.raises(AnsibleLookupError, match=r"^argument 'validate_certs' is of type .* and we were unable "
                                                     r"to convert to bool"):
            access_user.run([EMAIL], **call)
    assert fake_api.api_requests() == []


@pytest.mark.parametrize("value, verified", [("yes", True), ("false", False), ("off", False), (True, True)])
def test_validate_certs_takes_what_the_modules_take_as_a_boolean(access_user, token_vars, value, verified, display_warnings):
    assert access_user.run([EMAIL], variables=dict(token_vars, cloudflare_validate_certs=value)) == [seeded.EXAMPLE_USER]
    assert ("validate_certs is false" in display_warnings()) is not verified


def test_use_proxy_comes_from_a_variable_like_every_other_option(access_user, token_vars):
    assert access_user.run([EMAIL], variables=dict(token_vars, cloudflare_use_proxy=False)) == [seeded.EXAMPLE_USER]
    assert access_user.get_option("use_proxy") is False


def test_retries_from_a_variable_give_up_as_told(access_user, token_vars, fake_api):
    fake_api.add_fault("status", status=503, retry_after=0, times=5)
    with pytest.raises(AnsibleLookupError, match="HTTP 503.*not tried again, as retries is 0"):
        access_user.run([EMAIL], variables=dict(token_vars, cloudflare_retries=0))
    assert len(fake_api.api_requests()) == 1
