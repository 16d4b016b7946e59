# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Transport behaviours no other test pinned down (issue 13): TLS verification, redirects, loopback names,
a write after a read timeout, the backoff cap, a retry budget that fails in seconds.

Through the public interfaces (client_from_params, request, get) against the local API, so the tests hold
whatever the transport looks like inside.
"""

from __future__ import annotations

import re
import time

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _client, _errors, _options
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake

USER_PATH = "/accounts/%s/access/users/%s" % (fake.ACCOUNT_ID, fake.EXAMPLE_USER["id"])


def params(api_url, **options):
    settings = dict(account_id=fake.ACCOUNT_ID, api_url=api_url, api_token=fake.API_TOKEN, timeout=5,
                    validate_certs=True, retries=0, retry_timeout=5, request_budget=10)
    settings.update(options)
    return settings


def key_params(api_url, **options):
    settings = params(api_url, **options)
    del settings["api_token"]
    settings.update(api_email=fake.API_EMAIL, api_key=fake.API_KEY)
    return settings


@pytest.fixture(scope="module")
def tls_server():
    """The local API over HTTPS, with a self-signed certificate no client trusts by default."""
    with fake.FakeCloudflare(users=3, tls=True) as server:
        yield server


@pytest.fixture
def tls_api(tls_server):
    tls_server.clear()
    yield tls_server
    tls_server.clear()


@pytest.fixture(scope="module")
def other_server():
    """A second local API, where a redirect of the first one points."""
    with fake.FakeCloudflare(users=3) as server:
        yield server


# --- TLS: validate_certs reaches the HTTP layer -------------------------------------------------------------

def test_validate_certs_true_refuses_an_untrusted_certificate(tls_api):
    cf = _options.client_from_params(params(tls_api.api_url, retries=3))
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get(USER_PATH)
    assert str(info.value).startswith("GET %s failed: TLS error talking to %s: " % (USER_PATH, tls_api.api_url))
    assert "CERTIFICATE_VERIFY_FAILED" in str(info.value)
    assert info.value.status is None
    # Nothing was answered, nothing was tried again, and the token never left the handshake.
    assert tls_api.api_requests() == []
    assert cf.retry_log == []
    assert cf.requests_sent == 1


def test_validate_certs_false_talks_to_the_same_server(tls_api):
    cf = _options.client_from_params(params(tls_api.api_url, validate_certs=False))
    assert cf.get(USER_PATH) == fake.EXAMPLE_USER
    assert [request["path"] for request in tls_api.api_requests()] == ["/client/v4" + USER_PATH]


def test_validate_certs_is_on_when_the_option_is_left_out(tls_api):
    settings = params(tls_api.api_url)
    del settings["validate_certs"]
    with pytest.raises(_errors.CloudflareAPIError, match="CERTIFICATE_VERIFY_FAILED"):
        _options.client_from_params(settings).get(USER_PATH)
    assert tls_api.api_requests() == []


# --- Redirects are never followed ---------------------------------------------------------------------------

@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_to_another_host_is_not_followed_with_the_legacy_key(fake_api, other_server, status):
    # requests drops only Authorization on a redirect to another host: X-Auth-Email/X-Auth-Key would travel on.
    other_server.clear()
    target = other_server.url.replace("127.0.0.1", "localhost") + "/client/v4" + USER_PATH
    fake_api.add_fault(fake.REDIRECT, status=status, location=target)
    cf = _options.client_from_params(key_params(fake_api.api_url, retries=3))
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get(USER_PATH)
    assert info.value.status == status
    assert str(info.value).startswith("GET %s failed: HTTP %d: " % (USER_PATH, status))
    assert other_server.api_requests() == []
    assert other_server.auth_headers_seen == []
    assert len(fake_api.api_requests()) == 1


def test_a_redirect_on_the_same_host_is_not_followed_either(fake_api):
    fake_api.add_fault(fake.REDIRECT, status=302, location=fake_api.api_url + USER_PATH + "/active_sessions")
    with pytest.raises(_errors.CloudflareAPIError) as info:
        _options.client_from_params(params(fake_api.api_url)).get(USER_PATH)
    assert info.value.status == 302
    assert [request["path"] for request in fake_api.api_requests()] == ["/client/v4" + USER_PATH]


# --- Plain http only to a real loopback address -------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://localhost.attacker.example/client/v4",
    "http://localhost.attacker.example:8080/client/v4",
    "http://127.0.0.1.attacker.example/client/v4",
    "http://localhostx/client/v4",
    "http://xlocalhost/client/v4",
    "http://my-localhost/client/v4",
    "http://127.0.0.1.nip.io/client/v4",
])
def test_names_that_only_look_like_loopback_get_no_plain_http(url):
    with pytest.raises(_errors.CloudflareInputError, match="^api_url uses plain http to .*: credentials are only sent over https"):
        _options.client_from_params(params(url))


@pytest.mark.parametrize("url", ["http://LOCALHOST:8080/client/v4", "http://127.0.0.2/client/v4", "http://[::1]:1/client/v4"])
def test_real_loopback_names_may_use_plain_http(url):
    assert _options.client_from_params(params(url)).base_url == url


# --- A write is not sent twice after a read timeout ---------------------------------------------------------

def test_a_write_that_timed_out_is_not_sent_again(fake_api):
    fake_api.add_fault("hang", delay=2, times=1)
    cf = _options.client_from_params(params(fake_api.api_url, timeout=0.3, retries=3))
    started = time.monotonic()
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.request("POST", USER_PATH, body={"name": "x"})
    assert time.monotonic() - started < 1.5
    assert str(info.value) == ("POST %s failed: no response from %s within 0.3 seconds (set timeout to wait longer)"
                               % (USER_PATH, fake_api.api_url))
    assert [request["method"] for request in fake_api.api_requests()] == ["POST"]
    assert cf.retry_log == []


def test_an_idempotent_write_that_timed_out_is_sent_again(fake_api):
    fake_api.add_fault("hang", delay=2, times=1)
    cf = _client.CloudflareClient(fake_api.api_url, {"Authorization": "Bearer " + fake.API_TOKEN}, timeout=0.3,
                                  retries=3, retry_timeout=5, backoff_first=0.01)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.request("PUT", USER_PATH, body={"name": "x"}, idempotent=True)
    assert info.value.status == 400  # the body lacks the email the API asks for: what matters is the second try
    assert [request["method"] for request in fake_api.api_requests()] == ["PUT", "PUT"]
    assert len(cf.retry_log) == 1
    assert cf.retry_log[0].startswith("PUT %s: no response from %s within 0.3 seconds" % (USER_PATH, fake_api.api_url))


# --- Backoff: capped, and a broken budget fails in seconds --------------------------------------------------

def next_wait(message):
    return float(re.search(r"; gave up after 0\.0 s of waiting: the next wait of ([0-9.]+) s, more than ", message).group(1))


def test_backoff_waits_are_capped_at_backoff_max(fake_api):
    fake_api.add_fault("status", status=503, times=-1)
    # Uncapped, the first wait of a 100 s backoff would be 50 to 100 s; capped at 30 s it is 15 to 30 s.
    cf = _client.CloudflareClient(fake_api.api_url, {"Authorization": "Bearer " + fake.API_TOKEN}, timeout=5,
                                  retries=3, retry_timeout=1, backoff_first=100)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get(USER_PATH)
    wait = next_wait(str(info.value))
    assert _client.BACKOFF_MAX / 2 <= wait <= _client.BACKOFF_MAX
    assert "more than the 1.0 s left of retry_timeout" in str(info.value)
    assert len(fake_api.api_requests()) == 1


@pytest.mark.timeout(5)
def test_a_retry_after_beyond_the_budget_fails_in_seconds_not_minutes(fake_api):
    # With a broken budget this would sleep 600 s; the timeout marker makes that a failure after 5 s.
    fake_api.add_fault("status", status=429, retry_after="600", times=-1)
    cf = _options.client_from_params(params(fake_api.api_url, retries=5, retry_timeout=2))
    with pytest.raises(_errors.CloudflareAPIError, match=r"Cloudflare asked to wait 600\.0 s \(Retry-After\), more than the 2\.0 s left"):
        cf.get(USER_PATH)
    assert len(fake_api.api_requests()) == 1
    assert cf.retry_log == []


# --- How transport failures read, and which are tried again ---------------------------------------------------

def test_a_bare_client_has_the_modules_documented_defaults(tls_api):
    cf = _client.CloudflareClient(tls_api.api_url, {"Authorization": "Bearer " + fake.API_TOKEN})
    defaults = {name: spec["default"] for name, spec in _options.COMMON_ARGSPEC.items() if "default" in spec}
    assert (cf.timeout, cf.retries, cf.retry_timeout) == (defaults["timeout"], defaults["retries"], defaults["retry_timeout"])
    assert cf.request_budget is None and cf.requests_sent == 0
    with pytest.raises(_errors.CloudflareAPIError, match="CERTIFICATE_VERIFY_FAILED"):
        cf.get(USER_PATH)


def test_a_url_requests_cannot_parse_fails_at_once():
    base = "http://127.0.0.1:99999/client/v4"
    cf = _client.CloudflareClient(base, {"Authorization": "Bearer " + fake.API_TOKEN}, timeout=5, retries=3,
                                  retry_timeout=5, backoff_first=0.01)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get(USER_PATH)
    assert str(info.value).startswith("GET %s failed: request to %s failed: Failed to parse: " % (USER_PATH, base))
    assert cf.retry_log == []


def test_a_connection_broken_mid_answer_is_named_as_such(fake_api):
    fake_api.add_fault("reset", times=-1)
    cf = _options.client_from_params(params(fake_api.api_url, retries=0))
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get(USER_PATH)
    assert str(info.value).startswith(
        "GET %s failed: HTTP 200: the connection to %s broke while reading the response: " % (USER_PATH, fake_api.api_url))


def test_a_write_whose_connection_closed_without_an_answer_is_not_sent_again(fake_api):
    # The request went out; the server closed the connection without a word. It may have been carried out.
    fake_api.add_fault("hang", delay=0.1, times=1)
    cf = _options.client_from_params(params(fake_api.api_url, retries=3))
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.request("POST", USER_PATH, body={"name": "x"})
    assert str(info.value).startswith("POST %s failed: could not connect to %s: " % (USER_PATH, fake_api.api_url))
    assert [request["method"] for request in fake_api.api_requests()] == ["POST"]
    assert cf.retry_log == []
