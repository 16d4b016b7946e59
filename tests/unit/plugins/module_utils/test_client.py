# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared client, against the local Cloudflare-like API (only HTTP is faked)."""

from __future__ import annotations

import re
import socket
import time

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _client, _errors, _options
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import get_user
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake

USER_ID = fake.EXAMPLE_USER["id"]
USER_PATH = "/accounts/%s/access/users/%s" % (fake.ACCOUNT_ID, USER_ID)
CF_RAY = re.compile(r"\(cf-ray [0-9a-f]{16}-SJC\)$")


def make_client(fake_api, **overrides):
    params = dict(api_url=fake_api.api_url, api_token=fake.API_TOKEN, timeout=5, validate_certs=True, retries=0)
    params.update(overrides)
    return _options.client_from_params(params)


def api_error(callable_, *args):
    with pytest.raises(_errors.CloudflareAPIError) as info:
        callable_(*args)
    return info.value


# --- building requests ------------------------------------------------------------------------

def test_token_auth_reads_the_example_user(fake_api):
    client = make_client(fake_api)
    assert client.get(USER_PATH) == fake.EXAMPLE_USER
    [request] = fake_api.api_requests()
    assert request["method"] == "GET"
    assert request["path"] == "/client/v4" + USER_PATH
    assert request["auth"] == "token"


def test_email_and_key_auth_sends_the_legacy_headers(fake_api):
    client = make_client(fake_api, api_token=None, api_email=fake.API_EMAIL, api_key=fake.API_KEY)
    assert client.session.headers["X-Auth-Email"] == fake.API_EMAIL
    assert client.session.headers["X-Auth-Key"] == fake.API_KEY
    assert "Authorization" not in client.session.headers
    assert client.get(USER_PATH)["email"] == "jdoe@example.com"
    assert fake_api.api_requests()[0]["auth"] == "key"


def test_user_agent_names_the_collection_and_its_version(fake_api):
    assert make_client(fake_api).session.headers["User-Agent"].endswith("zero_trust/%s" % _client.COLLECTION_VERSION)


@pytest.mark.parametrize("segments, expected", [
    (("accounts", "abc", "access", "users"), "/accounts/abc/access/users"),
    (("accounts", "a/b"), "/accounts/a%2Fb"),
    (("accounts", "a?b=c#d"), "/accounts/a%3Fb%3Dc%23d"),
    (("accounts", "%2e%2e"), "/accounts/%252e%252e"),
])
def test_api_path_encodes_each_segment_whole(segments, expected):
    assert _options.api_path(*segments) == expected


@pytest.mark.parametrize("segment", ["", ".", "..", None, 7])
def test_api_path_refuses_segments_that_would_move_the_path(segment):
    with pytest.raises(_errors.CloudflareInputError):
        _options.api_path("accounts", segment)


@pytest.mark.parametrize("value", ["023e105f4ecef8ad9ca31a8372d0c353", "ABCDEF", "0"])
def test_account_id_accepts_hex_up_to_32(value):
    assert _options.require_account_id(value) == value


@pytest.mark.parametrize("value", ["", "023e105f4ecef8ad9ca31a8372d0c3530", "../x", "g", "abc\n", " abc", 12])
def test_account_id_refuses_anything_else(value):
    with pytest.raises(_errors.CloudflareInputError, match="account_id must be"):
        _options.require_account_id(value)


def test_uuid_is_normalised_to_lower_case():
    assert _options.require_uuid("user_id", USER_ID.upper()) == USER_ID


@pytest.mark.parametrize("value", ["", "f174e90a-fafe-4643-bbbc-4a0ed4fc841", "f174e90a/fafe-4643-bbbc-4a0ed4fc8415",
                                   "f174e90a-fafe-4643-bbbc-4a0ed4fc8415\n", "../../../../etc", None])
def test_uuid_refuses_anything_else(value):
    with pytest.raises(_errors.CloudflareInputError, match="user_id must be a UUID"):
        _options.require_uuid("user_id", value)


@pytest.mark.parametrize("url, expected", [
    ("https://api.cloudflare.com/client/v4/", "https://api.cloudflare.com/client/v4"),
    ("http://127.0.0.1:8080/client/v4", "http://127.0.0.1:8080/client/v4"),
    ("http://localhost:1/x", "http://localhost:1/x"),
    ("http://[::1]:8080", "http://[::1]:8080"),
])
def test_api_url_accepts_https_and_loopback_http(url, expected):
    assert _options.require_api_url(url) == expected


@pytest.mark.parametrize("url, message", [
    ("http://api.cloudflare.com/client/v4", "plain http"),
    ("http://10.0.0.1/client/v4", "plain http"),
    ("ftp://api.cloudflare.com", "must be an http"),
    ("api.cloudflare.com/client/v4", "must be an http"),
    ("https://api.cloudflare.com/client/v4?x=1", "must be an http"),
    ("https://user:pw@api.cloudflare.com", "must not contain credentials"),
    ("https://user:pw@api.cloudflare.com:99999/?x", "must not contain credentials"),
    ("https://api.cloudflare.com:99999", "must be an http"),
])
def test_api_url_refuses_unsafe_or_malformed_urls(url, message):
    with pytest.raises(_errors.CloudflareInputError, match=message) as info:
        _options.require_api_url(url)
    assert "pw" not in str(info.value)


@pytest.mark.parametrize("params, message", [
    (dict(api_token="t0ken\r\nX-Evil: 1"), "api_token contains"),
    (dict(api_token="t0ken with space"), "api_token contains"),
    (dict(api_email="a@example.com", api_key="k3y\nX-Evil: 1"), "api_key contains"),
    (dict(api_email="a@example.com\r\nX-Evil: 1", api_key="k3y"), "api_email must be"),
    (dict(api_email="j\u2603@example.com", api_key="k3y"), "api_email must be"),  # not Latin-1: no header
    (dict(api_token="t0ken", api_key="k3y", api_email="a@example.com"), "not both"),
    (dict(), "no credentials"),
    (dict(api_email="a@example.com"), "api_email is set but api_key is not"),
    (dict(api_key="k3y"), "api_key is set but api_email is not"),
])
def test_auth_headers_refuse_bad_credentials_without_echoing_them(params, message):
    with pytest.raises(_errors.CloudflareInputError, match=message) as info:
        _options.auth_headers(params)
    for secret in ("t0ken", "k3y", "X-Evil"):
        assert secret not in str(info.value)


@pytest.mark.parametrize("timeout", [0, -1, None, float("inf"), float("nan"), 1e300, 86401])
def test_timeout_must_be_a_sane_positive_number(fake_api, timeout):
    with pytest.raises(_errors.CloudflareInputError, match="timeout must be a number of seconds above 0 and at most 86400"):
        make_client(fake_api, timeout=timeout)


@pytest.mark.parametrize("options, message", [
    (dict(retries=-1), "retries must be between 0 and 100"),
    (dict(retries=101), "retries must be between 0 and 100"),
    (dict(retry_timeout=-0.5), "retry_timeout must be a number of seconds from 0 and at most 86400"),
    (dict(retry_timeout=float("inf")), "retry_timeout must be"),
])
def test_retry_settings_must_be_sane(fake_api, options, message):
    with pytest.raises(_errors.CloudflareInputError, match=message):
        make_client(fake_api, **options)


# --- failing cleanly --------------------------------------------------------------------------

@pytest.mark.parametrize("status, code, hint", [
    (400, 10400, ""),
    (401, 10401, "; the API token is invalid or expired, or the email and global API key do not match"),
    (403, 10403, ""),  # the permission hint needs to know the call: see test_403_names_the_permission
])
def test_http_errors_carry_status_codes_and_cf_ray(fake_api, status, code, hint):
    fake_api.add_fault("status", status=status)
    error = api_error(make_client(fake_api, retries=3).get, USER_PATH)
    assert error.status == status
    assert error.errors[0]["code"] == code
    assert re.match(r"[0-9a-f]{16}-SJC$", error.cf_ray)
    assert str(error) == "GET %s failed: HTTP %d: [%d] %s (cf-ray %s)%s" % (
        USER_PATH, status, code, error.errors[0]["message"], error.cf_ray, hint)
    assert error.to_result()["errors"] == error.errors
    assert len(fake_api.api_requests()) == 1  # never retried


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_errors_without_retries_say_so(fake_api, status):
    fake_api.add_fault("status", status=status)
    error = api_error(make_client(fake_api, retries=0).get, USER_PATH)
    assert CF_RAY.search(str(error).split(";", maxsplit=1)[0])
    assert "; not tried again, as retries is 0; " in str(error)


def test_403_authentication_error_names_the_permission_and_a_wrong_token_or_account(fake_api):
    client = make_client(fake_api, api_token=fake.NO_ACCESS_TOKEN)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        client.request("GET", USER_PATH, permission="Access: Audit Logs Read")
    assert str(info.value).endswith(
        "HTTP 403: [10000] Authentication error (cf-ray %s); the API token lacks the permission "
        "'Access: Audit Logs Read' on the account, or the token or account_id is wrong" % info.value.cf_ray)


def test_403_authentication_error_of_a_global_api_key_blames_the_key_or_account(fake_api):
    client = make_client(fake_api, api_token=None, api_email=fake.API_EMAIL, api_key=fake.API_KEY)
    other_account = "/accounts/%s/access/users/%s" % ("0" * 32, USER_ID)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        client.request("GET", other_account, permission="Access: Audit Logs Read")
    assert str(info.value).endswith("; the user of the global API key has no access to this account, or api_email, "
                                    "api_key or account_id is wrong")


def test_403_with_another_code_names_only_the_permission(fake_api):
    fake_api.add_fault("status", status=403)  # [10403] Authentication error
    with pytest.raises(_errors.CloudflareAPIError) as info:
        make_client(fake_api).request("GET", USER_PATH, permission="Access: Audit Logs Read")
    assert str(info.value).endswith("; this call needs the API token permission 'Access: Audit Logs Read' on the account")


def test_unknown_user_is_a_404_error_that_get_user_turns_into_none(fake_api):
    client = make_client(fake_api)
    missing = "/accounts/%s/access/users/%s" % (fake.ACCOUNT_ID, "00000000-0000-4000-8000-000000000000")
    assert api_error(client.get, missing).status == 404
    assert get_user(client, fake.ACCOUNT_ID, "00000000-0000-4000-8000-000000000000") is None


def test_a_wrong_api_url_is_an_error_not_an_unknown_user(fake_api):
    client = make_client(fake_api, api_url=fake_api.url)  # without /client/v4
    with pytest.raises(_errors.CloudflareAPIError) as info:
        get_user(client, fake.ACCOUNT_ID, USER_ID)
    assert str(info.value).endswith(
        "HTTP 404: [7003] No route for the URI (cf-ray %s); Cloudflare serves no such path: check api_url "
        "(it ends in /client/v4)" % info.value.cf_ray)


def test_wrong_token_is_reported_as_cloudflare_says(fake_api):
    error = api_error(make_client(fake_api, api_token="not-the-token").get, USER_PATH)
    assert error.status == 403
    assert "[10000] Authentication error" in str(error)
    assert "not-the-token" not in str(error)


def test_error_chain_is_part_of_the_message():
    text = _errors.format_api_errors([{"code": 6003, "message": "Invalid request headers",
                                       "error_chain": [{"code": 6111, "message": "Invalid format for Authorization header"}]}])
    assert text == "[6003] Invalid request headers ([6111] Invalid format for Authorization header)"


def test_html_error_page_from_the_edge(fake_api):
    fake_api.add_fault("status", status=502, body="html")
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert error.status == 502
    assert error.errors == []
    assert "HTTP 502: response is not a Cloudflare API envelope (text/html): '502: Bad gateway' (cf-ray " in str(error)


def test_success_false_on_a_200(fake_api):
    fake_api.add_fault("success_false")
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert error.status == 200
    assert "HTTP 200: [10002] Unknown error" in str(error)


def test_non_json_200(fake_api):
    fake_api.add_fault("not_json")
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert error.status == 200
    assert "HTTP 200: response is not a Cloudflare API envelope (text/plain): 'OK'" in str(error)


def test_null_result_is_not_a_user(fake_api):
    fake_api.add_fault("result_null")
    with pytest.raises(_errors.CloudflareAPIError) as info:
        get_user(make_client(fake_api), fake.ACCOUNT_ID, USER_ID)
    assert str(info.value).startswith(
        "GET %s failed: HTTP 200: the API answered success but its result is null, not an object (cf-ray " % USER_PATH)


def test_truncated_json(fake_api):
    fake_api.add_fault("truncated_json")
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert "response is not a Cloudflare API envelope (application/json)" in str(error)


def test_refused_connection(fake_api):
    with socket.socket() as probe:  # a port that was free a moment ago is almost surely closed now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(fake_api, api_url="http://127.0.0.1:%d/client/v4" % port)
    error = api_error(client.get, USER_PATH)
    assert error.status is None
    assert str(error) == ("GET %s failed: could not connect to http://127.0.0.1:%d/client/v4: "
                          "[Errno 111] Connection refused; not tried again, as retries is 0; "
                          "set retries and retry_timeout to try longer" % (USER_PATH, port))


def test_timeout_is_bounded_and_reported(fake_api):
    fake_api.add_fault("hang", delay=5)
    started = time.monotonic()
    error = api_error(make_client(fake_api, timeout=0.5).get, USER_PATH)
    assert time.monotonic() - started < 3
    assert "no response from %s within 0.5 seconds" % fake_api.api_url in str(error)


def test_reset_connection(fake_api):
    fake_api.add_fault("reset")
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert error.status == 200  # the headers had arrived: the message keeps what they said
    assert "HTTP 200: the connection to %s broke while reading the response: " % fake_api.api_url in str(error)
