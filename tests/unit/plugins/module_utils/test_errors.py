# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_errors.py: an error is one line that says what Cloudflare said, and never holds a configured secret, whatever
the server echoed and wherever the error was built.

No ``no_log`` is involved here: these are the errors as the client raises them, before any module or lookup.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _errors, _secrets
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import get_user, users_by_key
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

USER_ID = seeded.EXAMPLE_USER["id"]
USER_PATH = "/accounts/%s/access/users/%s" % (local_api.ACCOUNT_ID, USER_ID)
TOKEN_PARAMS = dict(api_token=local_api.API_TOKEN)
KEY_PARAMS = dict(api_token=None, api_email=local_api.API_EMAIL, api_key=local_api.API_KEY)


def everything_shown(error):
    """The message and every field a module or the lookup shows of ``error``, as one text."""
    return str(error) + json.dumps(error.to_result())


# --- The message: Cloudflare's codes and messages, on one line -----------------------------------------------------

def test_error_chain_is_part_of_the_message():
    text = _errors.format_api_errors([{"code": 6003, "message": "Invalid request headers",
                                       "error_chain": [{"code": 6111, "message": "Invalid format for Authorization header"}]}])
    assert text == "[6003] Invalid request headers ([6111] Invalid format for Authorization header)"


def cloudflare_failure(make_client, server, status, errors):
    """The error of a GET that the API answers with ``status`` and these Cloudflare ``errors``."""
    server.add_fault("canned", status=status, body=json.dumps({"success": False, "errors": errors, "result": None}))
    with pytest.raises(_errors.CloudflareAPIError) as info:
        make_client(server).get(USER_PATH)
    assert "\n" not in str(info.value)
    return info.value


def test_a_cloudflare_message_with_newlines_is_one_line_and_kept_whole_in_errors(make_client, fake_api):
    errors = [{"code": 10000, "message": "Authentication error\nline two\r\n\tline three"}]
    error = cloudflare_failure(make_client, fake_api, 403, errors)
    assert str(error).startswith("GET %s failed: HTTP 403: [10000] Authentication error line two line three (cf-ray " % USER_PATH)
    assert error.to_result()["errors"] == errors


def test_a_huge_cloudflare_message_is_shortened_in_msg_only(make_client, fake_api):
    errors = [{"code": 1, "message": "x" * 5000}]
    error = cloudflare_failure(make_client, fake_api, 400, errors)
    assert len(str(error)) < 500 and error.errors == errors


# --- Secrets are masked --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("credentials, secret", [(TOKEN_PARAMS, local_api.API_TOKEN), (KEY_PARAMS, local_api.API_KEY)])
@pytest.mark.parametrize("body", ["json", "html"])
def test_a_secret_the_server_echoes_is_masked_in_the_message_and_every_field(make_client, fake_api, credentials, secret, body):
    fake_api.add_fault("echo_auth", status=400, body=body)
    with pytest.raises(_errors.CloudflareAPIError) as failure:
        get_user(make_client(fake_api, **credentials).account(local_api.ACCOUNT_ID), USER_ID)
    shown = everything_shown(failure.value)
    assert secret not in shown and secret not in failure.value.reason
    assert _secrets.MASK in shown
    assert failure.value.status == 400 and failure.value.method == "GET"


def test_the_echo_is_really_in_the_answer_the_client_masks(make_client, fake_api):
    """The fault quotes the header as sent: without the mask, the message would hold the token."""
    fake_api.add_fault("echo_auth", status=400)
    with pytest.raises(_errors.CloudflareAPIError) as failure:
        get_user(make_client(fake_api, **TOKEN_PARAMS).account(local_api.ACCOUNT_ID), USER_ID)
    assert "Invalid request headers: Authorization: Bearer %s" % _secrets.MASK in str(failure.value)
    assert failure.value.errors[0]["error_chain"][0]["message"] == "Got Authorization: Bearer %s" % _secrets.MASK


def test_an_echo_on_a_later_request_of_a_batch_is_masked(make_client, big_api):
    """An echo on a later request of a planned batch, sent beside others."""
    emails = [user["email"] for user in big_api.accounts[local_api.ACCOUNT_ID][-3:]]
    big_api.add_fault("echo_auth", status=400, path="/access/users", after=1)
    with pytest.raises(_errors.CloudflareAPIError) as failure:
        users_by_key(make_client(big_api, **TOKEN_PARAMS).account(local_api.ACCOUNT_ID), emails, "email")
    assert local_api.API_TOKEN not in everything_shown(failure.value)


def test_an_echo_on_a_retried_answer_is_masked_after_the_retries(make_client, fake_api):
    fake_api.add_fault("echo_auth", status=503, times=3)
    api = make_client(fake_api, retries=2, backoff_first=0.01, **TOKEN_PARAMS)
    with pytest.raises(_errors.CloudflareAPIError) as failure:
        get_user(api.account(local_api.ACCOUNT_ID), USER_ID)
    assert "gave up after 2 retries" in str(failure.value)
    assert local_api.API_TOKEN not in everything_shown(failure.value) + " ".join(api.retry_log)


def test_errors_built_anywhere_mask_every_registered_secret():
    _secrets.register_secret("s3cret-one")
    _secrets.register_secret("s3cret-one-longer")
    error = _errors.CloudflareAPIError(
        "GET", "/x?page=s3cret-one", "the proxy said s3cret-one-longer", status=502, cf_ray="s3cret-one",
        errors=[{"code": 1, "message": "s3cret-one", "error_chain": [{"code": 2, "message": "x s3cret-one"}]}, "s3cret-one"],
        hint="a hint quoting s3cret-one")
    assert "s3cret" not in everything_shown(error)
    assert error.reason == "the proxy said ********"  # the longer secret is masked whole, not as its prefix
    assert error.errors[0]["error_chain"][0]["message"] == "x ********"
    assert "s3cret" not in str(_errors.CloudflareInputError("bad value s3cret-one"))
