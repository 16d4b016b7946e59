# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every module's real main() with the settings they share: first-contact messages, before any request."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._secrets import MASK
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.action_group import MODULES, task_on_example_user
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import leaks

EVERY_MODULE = pytest.mark.parametrize("module, selection", [
    (module, task_on_example_user(name)) for name, module in MODULES.items()], ids=list(MODULES))
pytestmark = pytest.mark.usefixtures("no_cloudflare_environment")


def fails_before_any_request(run_module, module, args, server):
    result = run_module(module, args)
    assert result["failed"] is True
    assert server.api_requests() == []
    return result["msg"]


@EVERY_MODULE
def test_no_account_id_says_where_to_set_it(run_module, token_args, fake_api, module, selection):
    args = dict({key: value for key, value in token_args.items() if key != "account_id"}, **selection)
    assert fails_before_any_request(run_module, module, args, fake_api) == (
        "account_id is not set: set account_id (or the environment variable CLOUDFLARE_ACCOUNT_ID) to the account's "
        "identifier (in the dashboard's URL); module_defaults for group/cloudflare_community.zero_trust.cloudflare "
        "sets it for every module")


@EVERY_MODULE
@pytest.mark.parametrize("empty", ["", "  "], ids=["empty", "blank"])
def test_an_empty_account_id_is_not_set_as_an_empty_token_is(run_module, token_args, fake_api, module, selection, empty):
    # account_id: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_ACCOUNT_ID') }}" with the variable unset
    args = dict(token_args, account_id=empty, **selection)
    assert fails_before_any_request(run_module, module, args, fake_api).startswith("account_id is not set: set account_id")


@EVERY_MODULE
def test_no_credentials_names_the_options_and_environment_variables(run_module, fake_api, module, selection):
    args = dict(selection, account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url)
    assert fails_before_any_request(run_module, module, args, fake_api) == (
        "no credentials: set api_token (or the environment variables CLOUDFLARE_API_TOKEN or CLOUDFLARE_TOKEN), or "
        "api_email with api_key (or the environment variables CLOUDFLARE_EMAIL with CLOUDFLARE_API_KEY)")


@EVERY_MODULE
def test_a_token_in_the_environment_beside_a_key_in_the_task_names_the_variable(
        run_module, fake_api, monkeypatch, module, selection):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", local_api.API_TOKEN)
    args = dict(selection, account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url, api_email=local_api.API_EMAIL,
                api_key=local_api.API_KEY)
    assert fails_before_any_request(run_module, module, args, fake_api) == (
        "use either api_token or api_email with api_key, not both; got api_token (from the environment variable "
        "CLOUDFLARE_API_TOKEN), api_email and api_key")


@EVERY_MODULE
def test_account_and_credentials_from_the_environment_alone(run_module, fake_api, monkeypatch, module, selection):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "")
    monkeypatch.setenv("CLOUDFLARE_TOKEN", local_api.API_TOKEN)
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", local_api.ACCOUNT_ID)
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", fake_api.api_url)
    result = run_module(module, dict(selection), check_mode=True)
    assert "failed" not in result
    assert fake_api.auth_headers_seen[0]["Authorization"] == "Bearer " + local_api.API_TOKEN


@EVERY_MODULE
def test_validate_certs_that_is_not_a_boolean_is_refused(run_module, token_args, fake_api, module, selection):
    args = dict(token_args, validate_certs="/etc/ssl/certs/ca-certificates.crt", **selection)
    assert fails_before_any_request(run_module, module, args, fake_api).startswith(
        "argument 'validate_certs' is of type")


@EVERY_MODULE
@pytest.mark.parametrize("credentials, secret", [
    (dict(api_token=local_api.API_TOKEN), local_api.API_TOKEN),
    (dict(api_email=local_api.API_EMAIL, api_key=local_api.API_KEY), local_api.API_KEY),
])
def test_a_secret_the_server_echoes_is_masked(run_module, fake_api, module, selection, credentials, secret):
    fake_api.add_fault("echo_auth", status=400)
    result = run_module(module, dict(selection, account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url, **credentials))
    assert result["failed"] is True and result["status"] == 400
    assert not leaks(secret, result)
    assert MASK in result["msg"]
