# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_client.py: how the client sends requests and reads answers, fails in one line, tries again and waits,
bounds every wait, keeps to the request budget, and never lets the environment redirect the credentials.

Against the local Cloudflare-like API (only HTTP is faked); its ``canned`` fault gives the odd answers (see
``answering``).
"""

from __future__ import annotations

import functools
import json
import random
import re
import socket
import threading
import time
from datetime import datetime, timezone
from email.utils import format_datetime

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _access_users, _client, _envelope, _errors, _options, _retries
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api.server import LocalAPI
from ansible_collections.cloudflare_community.zero_trust.tests.support.client_calls import api_error, canned

USER_ID = seeded.EXAMPLE_USER["id"]
USER_PATH = "/accounts/%s/access/users/%s" % (local_api.ACCOUNT_ID, USER_ID)
REVOKE_PATH = "/accounts/%s/access/organizations/revoke_user" % local_api.ACCOUNT_ID
CF_RAY = r"\(cf-ray [0-9a-f]{16}-SJC\)"


@pytest.fixture
def retrying(make_client):
    """``make_client`` for a client that tries 3 more times within 10 s, its first wait 0.02 s."""
    return functools.partial(make_client, retries=3, retry_timeout=10, backoff_first=0.02)


# --- Building requests: authentication, headers, body and query ----------------------------------------------------

def test_token_auth_reads_the_example_user(make_client, fake_api):
    client = make_client(fake_api)
    assert client.get(USER_PATH) == seeded.EXAMPLE_USER
    [request] = fake_api.api_requests()
    assert request["method"] == "GET"
    assert request["path"] == "/client/v4" + USER_PATH
    assert request["auth"] == "token"


def test_email_and_key_auth_sends_the_legacy_headers(make_client, fake_api):
    client = make_client(fake_api, api_token=None, api_email=local_api.API_EMAIL, api_key=local_api.API_KEY)
    assert client.session.headers["X-Auth-Email"] == local_api.API_EMAIL
    assert client.session.headers["X-Auth-Key"] == local_api.API_KEY
    assert "Authorization" not in client.session.headers
    assert client.get(USER_PATH)["email"] == "jdoe@example.com"
    assert fake_api.api_requests()[0]["auth"] == "key"


def answering(server, status, body, headers=None, reason=None):
    """``server`` answers every request with ``status``, ``reason`` (default: the standard one), ``body`` and,
    besides Content-Length, only the ``headers`` given: no cf-ray or Content-Type unless given."""
    only = dict({"Content-Type": None, "cf-ray": None}, **(headers or {}))
    canned(server, body, status=status, headers=only, reason=reason)


def failure(client, expect=None):
    """The error of a GET of the example user through ``client``."""
    with pytest.raises(_errors.CloudflareAPIError) as info:
        client.get(USER_PATH, expect=expect)
    return info.value


def envelope(result):
    return json.dumps({"success": True, "errors": [], "messages": [], "result": result})


def test_every_request_asks_for_json_and_names_the_collection(make_client, fake_api):
    make_client(fake_api).get(USER_PATH)
    [request] = fake_api.api_requests()
    assert request["header_values"]["Accept"] == "application/json"
    assert request["header_values"]["User-Agent"] == _client.USER_AGENT
    assert fake_api.auth_headers_seen == [{"Authorization": "Bearer " + local_api.API_TOKEN}]


def test_a_write_sends_its_body_as_json(make_client, fake_api):
    answering(fake_api, 200, envelope({"id": "x"}), {"Content-Type": "application/json"})
    cf = make_client(fake_api)
    assert cf.request("POST", USER_PATH, body={"email": "a@example.com"})["result"] == {"id": "x"}
    assert [(request["method"], request["target"], request["body"]) for request in fake_api.api_requests()] == [
        ("POST", "/client/v4" + USER_PATH, '{"email": "a@example.com"}')]


def test_get_sends_its_query_and_a_failure_names_it(make_client, fake_api):
    answering(fake_api, 200, envelope([]), {"Content-Type": "application/json"})
    cf = make_client(fake_api)
    assert cf.get("/accounts/%s/access/users" % local_api.ACCOUNT_ID, query={"email": "a@example.com"}, expect=list) == []
    assert (fake_api.api_requests()[0]["target"]
            == "/client/v4/accounts/%s/access/users?email=a%%40example.com" % local_api.ACCOUNT_ID)
    fake_api.clear()
    answering(fake_api, 404, json.dumps({"success": False, "errors": [{"code": 1003, "message": "nope"}], "result": None}),
              {"Content-Type": "application/json"})
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get("/accounts/%s/access/users" % local_api.ACCOUNT_ID, query={"email": "a@example.com"})
    assert str(info.value) == ("GET /accounts/%s/access/users?email=a%%40example.com failed: HTTP 404: [1003] nope"
                               % local_api.ACCOUNT_ID)


@pytest.fixture(scope="module")
def tls_server():
    """The local API over HTTPS, with a self-signed certificate no client trusts by default."""
    with LocalAPI(users=3, tls=True) as server:
        yield server


@pytest.fixture
def tls_api(tls_server):
    tls_server.clear()
    yield tls_server
    tls_server.clear()


@pytest.fixture(scope="module")
def other_server():
    """A second local API, where a redirect of the first one points."""
    with LocalAPI(users=3) as server:
        yield server


def test_a_bare_client_has_the_modules_documented_defaults(tls_api):
    # The constructor itself, not make_client: its own defaults must be the modules' documented ones.
    cf = _client.CloudflareClient(tls_api.api_url, {"Authorization": "Bearer " + local_api.API_TOKEN})
    defaults = {name: spec["default"] for name, spec in _options.COMMON_ARGSPEC.items() if "default" in spec}
    assert (cf.timeout, cf.retries, cf.retry_timeout) == (defaults["timeout"], defaults["retries"], defaults["retry_timeout"])
    assert cf.request_budget is None and cf.requests_sent == 0
    with pytest.raises(_errors.CloudflareAPIError, match="CERTIFICATE_VERIFY_FAILED"):
        cf.get(USER_PATH)


# --- Reading answers: an error, or anything but the envelope of the type asked, fails in one line ------------------

@pytest.mark.parametrize("status, code, hint", [
    (400, 10400, ""),
    (401, 10401, "; the API token is invalid or expired, or the email and global API key do not match"),
    (403, 10403, ""),  # the permission hint needs to know the call: see the tests below
])
def test_http_errors_carry_status_codes_and_cf_ray(make_client, fake_api, status, code, hint):
    fake_api.add_fault("status", status=status)
    error = api_error(make_client(fake_api, retries=3).get, USER_PATH)
    assert error.status == status
    assert error.errors[0]["code"] == code
    assert re.match(r"[0-9a-f]{16}-SJC$", error.cf_ray)
    assert str(error) == "GET %s failed: HTTP %d: [%d] %s (cf-ray %s)%s" % (
        USER_PATH, status, code, error.errors[0]["message"], error.cf_ray, hint)
    assert error.to_result()["errors"] == error.errors
    assert len(fake_api.api_requests()) == 1  # never retried


def test_403_authentication_error_names_the_permission_and_a_wrong_token_or_account(make_client, fake_api):
    client = make_client(fake_api, api_token=local_api.NO_ACCESS_TOKEN)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        client.request("GET", USER_PATH, permission="Access: Audit Logs Read")
    assert str(info.value).endswith(
        "HTTP 403: [10000] Authentication error (cf-ray %s); the API token lacks the permission "
        "'Access: Audit Logs Read' on the account, or the token or account_id is wrong" % info.value.cf_ray)


def test_403_authentication_error_of_a_global_api_key_blames_the_key_or_account(make_client, fake_api):
    client = make_client(fake_api, api_token=None, api_email=local_api.API_EMAIL, api_key=local_api.API_KEY)
    other_account = "/accounts/%s/access/users/%s" % ("0" * 32, USER_ID)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        client.request("GET", other_account, permission="Access: Audit Logs Read")
    assert str(info.value).endswith("; the user of the global API key has no access to this account, or api_email, "
                                    "api_key or account_id is wrong")


def test_403_with_another_code_names_only_the_permission(make_client, fake_api):
    fake_api.add_fault("status", status=403)  # [10403] Authentication error
    with pytest.raises(_errors.CloudflareAPIError) as info:
        make_client(fake_api).request("GET", USER_PATH, permission="Access: Audit Logs Read")
    assert str(info.value).endswith("; this call needs the API token permission 'Access: Audit Logs Read' on the account")


def test_wrong_token_is_reported_as_cloudflare_says(make_client, fake_api):
    error = api_error(make_client(fake_api, api_token="not-the-token").get, USER_PATH)
    assert error.status == 403
    assert "[10000] Authentication error" in str(error)
    assert "not-the-token" not in str(error)


def test_html_error_page_from_the_edge(make_client, fake_api):
    fake_api.add_fault("status", status=502, body="html")
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert error.status == 502
    assert error.errors == []
    assert "HTTP 502: response is not a Cloudflare API envelope (text/html): '502: Bad gateway' (cf-ray " in str(error)


def test_success_false_on_a_200(make_client, fake_api):
    fake_api.add_fault("success_false")
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert error.status == 200
    assert "HTTP 200: [10002] Unknown error" in str(error)


def test_non_json_200(make_client, fake_api):
    fake_api.add_fault("not_json")
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert error.status == 200
    assert "HTTP 200: response is not a Cloudflare API envelope (text/plain): 'OK'" in str(error)


def test_truncated_json(make_client, fake_api):
    fake_api.add_fault("truncated_json")
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert "response is not a Cloudflare API envelope (application/json)" in str(error)


@pytest.mark.parametrize("result, expect, words", [
    ([], dict, "a list, not an object"),
    ({}, list, "an object, not a list"),
    ("x", dict, "a string, not an object"),
    (True, dict, "a boolean, not an object"),
    (None, dict, "null, not an object"),
    (3, dict, "a number, not an object"),
    (2.5, list, "a number, not a list"),
])
def test_a_result_of_the_wrong_type_names_both_types(make_client, fake_api, result, expect, words):
    answering(fake_api, 200, envelope(result), {"Content-Type": "application/json"})
    exc = failure(make_client(fake_api), expect=expect)
    assert str(exc) == "GET %s failed: HTTP 200: the API answered success but its result is %s" % (USER_PATH, words)


@pytest.mark.parametrize("headers, body, reason", [
    ({"Content-Type": "text/html; charset=UTF-8"}, "<HTML><HEAD><TITLE>502:\n  Bad   gateway</TITLE></HEAD>x</HTML>",
     "response is not a Cloudflare API envelope (text/html): '502: Bad gateway'"),
    ({"Content-Type": "text/plain"}, "  many   words\n\tof text  ",
     "response is not a Cloudflare API envelope (text/plain): 'many words of text'"),
    ({"Content-Type": "text/plain"}, "y" * 300,
     "response is not a Cloudflare API envelope (text/plain): '%s'" % ("y" * _envelope.BODY_EXCERPT_CHARS)),
    ({"Content-Type": "text/plain;charset=utf-8"}, "", "empty response body (text/plain)"),
    ({}, "", "empty response body (no content type)"),
    ({"Content-Type": "application/json"}, json.dumps({"result": {"id": "x"}}),
     "response is not a Cloudflare API envelope (application/json): '{\"result\": {\"id\": \"x\"}}'"),
    ({"Content-Type": "application/json"}, "[1, 2]", "response is not a Cloudflare API envelope (application/json): '[1, 2]'"),
])
def test_an_answer_that_is_not_an_envelope_is_described_briefly(make_client, fake_api, headers, body, reason):
    answering(fake_api, 200, body, headers)
    exc = failure(make_client(fake_api))
    assert str(exc) == "GET %s failed: HTTP 200: %s" % (USER_PATH, reason)
    assert exc.status == 200


def test_a_400_without_an_envelope_uses_the_http_reason(make_client, fake_api):
    answering(fake_api, 400, "", {"Content-Type": "text/plain"})
    exc = failure(make_client(fake_api))
    assert str(exc) == "GET %s failed: HTTP 400: empty response body (text/plain)" % USER_PATH
    assert exc.errors == []


def test_an_error_envelope_without_an_errors_list_uses_the_http_reason(make_client, fake_api):
    body = json.dumps({"success": False, "errors": "oops", "result": None})
    answering(fake_api, 409, body, {"Content-Type": "application/json", "cf-ray": "0123456789abcdef-SJC"})
    exc = failure(make_client(fake_api))
    assert str(exc) == "GET %s failed: HTTP 409: Conflict (cf-ray 0123456789abcdef-SJC)" % USER_PATH
    assert exc.errors == [] and exc.cf_ray == "0123456789abcdef-SJC"


def test_a_200_whose_success_is_not_true_is_a_failure(make_client, fake_api):
    body = json.dumps({"success": "yes", "errors": [], "result": seeded.EXAMPLE_USER})
    answering(fake_api, 200, body, {"Content-Type": "application/json"})
    exc = failure(make_client(fake_api))
    assert str(exc) == "GET %s failed: HTTP 200: the API answered success: yes" % USER_PATH


def test_a_300_with_an_envelope_claiming_success_is_not_a_success(make_client, fake_api):
    answering(fake_api, 300, envelope(seeded.EXAMPLE_USER), {"Content-Type": "application/json"})
    exc = failure(make_client(fake_api))
    assert str(exc) == "GET %s failed: HTTP 300: Multiple Choices" % USER_PATH


def test_an_error_without_a_reason_phrase_says_error(make_client, fake_api):
    body = json.dumps({"success": False, "errors": [], "result": None})
    answering(fake_api, 418, body, {"Content-Type": "application/json"}, reason="")
    exc = failure(make_client(fake_api))
    assert str(exc) == "GET %s failed: HTTP 418: error" % USER_PATH


def test_lone_surrogates_and_invalid_utf8_are_made_safe(make_client, fake_api):
    body = ('{"success": true, "errors": [], "result": {"id": "%s", "name": "Jane \\ud800 Doe", "\\udfff": 1}}' % USER_ID)
    canned(fake_api, body)
    user = make_client(fake_api).get(USER_PATH)
    assert user == {"id": USER_ID, "name": "Jane \ufffd Doe", "\ufffd": 1}
    json.dumps(user, ensure_ascii=False).encode("utf-8")  # what the controller reads: no crash
    fake_api.clear()  # below: a lone surrogate sent as raw bytes (ED B3 BF), which is not UTF-8
    canned(fake_api, '{"success": true, "result": {"id": "%s", "name": "\udcff"}}' % USER_ID)
    assert set(make_client(fake_api).get(USER_PATH)["name"]) == {"\ufffd"}


def test_the_bare_answer_of_a_token_revocation_is_its_result(make_client, fake_api):
    assert make_client(fake_api).request_bare_result("POST", REVOKE_PATH, body={"email": "jdoe@example.com"}) is True
    canned(fake_api, {"result": False, "success": True, "errors": [], "messages": []})
    assert make_client(fake_api).request_bare_result("POST", REVOKE_PATH, body={"email": "jdoe@example.com"}) is False


@pytest.mark.parametrize("body, reason", [
    ({"result": "yes", "success": True}, "the API answered success but its result is a string, not a boolean"),
    ({"success": True}, "the API answered success but its result is null, not a boolean"),
    ({"result": True, "success": True, "result_info": {}}, "not the bare {result, success} this call answers"),
    ({"result": True, "success": True, "errors": [{"code": 1}]}, 'errors [{"code": 1}]'),
    ({"result": True, "success": "true"}, "the API answered success: true"),
])
def test_anything_but_the_bare_shape_is_refused(make_client, fake_api, body, reason):
    canned(fake_api, body)
    with pytest.raises(_errors.CloudflareAPIError, match=r"^POST %s failed: HTTP 200: " % REVOKE_PATH) as raised:
        make_client(fake_api).request_bare_result("POST", REVOKE_PATH, body={"email": "jdoe@example.com"})
    assert reason in str(raised.value)


def test_the_bare_shape_is_not_accepted_where_a_list_is_expected(make_client, fake_api):
    fake_api.add_fault("canned", status=200, body=json.dumps({"result": True, "success": True}), path="/access/users")
    with pytest.raises(_errors.CloudflareAPIError, match="its result is a boolean, not a list"):
        make_client(fake_api).request("GET", "/accounts/%s/access/users" % local_api.ACCOUNT_ID, expect=list)


# --- Connections: refused, broken, cut short, redirected, or not trusted -------------------------------------------

def test_refused_connection(make_client, fake_api):
    with socket.socket() as probe:  # a port that was free a moment ago is almost surely closed now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(fake_api, api_url="http://127.0.0.1:%d/client/v4" % port)
    error = api_error(client.get, USER_PATH)
    assert error.status is None
    assert str(error) == ("GET %s failed: could not connect to http://127.0.0.1:%d/client/v4: "
                          "[Errno 111] Connection refused; not tried again, as retries is 0; "
                          "set retries and retry_timeout to try longer" % (USER_PATH, port))


def test_a_connection_broken_mid_answer_is_named_as_such(make_client, fake_api):
    fake_api.add_fault("reset", times=-1)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        make_client(fake_api).get(USER_PATH)
    assert info.value.status == 200  # the headers had arrived: the message keeps what they said
    assert str(info.value).startswith(
        "GET %s failed: HTTP 200: the connection to %s broke while reading the response: " % (USER_PATH, fake_api.api_url))


def test_a_body_cut_short_keeps_the_status_and_cf_ray(make_client, fake_api):
    fake_api.add_fault("cut_short", status=200, times=-1)
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert re.match(r"GET %s failed: HTTP 200: the connection to .* broke while reading the response: .* %s; not tried again"
                    % (USER_PATH, CF_RAY), str(error))
    assert error.status == 200 and error.cf_ray


def test_a_url_requests_cannot_parse_fails_at_once():
    # client_from_params refuses such a URL before any request; the client itself still fails cleanly.
    base = "http://127.0.0.1:99999/client/v4"
    cf = _client.CloudflareClient(base, {"Authorization": "Bearer " + local_api.API_TOKEN}, timeout=5, retries=3,
                                  retry_timeout=5, backoff_first=0.01)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get(USER_PATH)
    assert str(info.value).startswith("GET %s failed: request to %s failed: Failed to parse: " % (USER_PATH, base))
    assert cf.retry_log == []


def test_validate_certs_true_refuses_an_untrusted_certificate(make_client, tls_api):
    cf = make_client(tls_api, retries=3)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get(USER_PATH)
    assert str(info.value).startswith("GET %s failed: TLS error talking to %s: " % (USER_PATH, tls_api.api_url))
    assert "CERTIFICATE_VERIFY_FAILED" in str(info.value)
    assert info.value.status is None
    # Nothing was answered, nothing was tried again, and the token never left the handshake.
    assert tls_api.api_requests() == []
    assert cf.retry_log == []
    assert cf.requests_sent == 1


def test_validate_certs_false_talks_to_the_same_server(make_client, tls_api):
    cf = make_client(tls_api, validate_certs=False)
    assert cf.get(USER_PATH) == seeded.EXAMPLE_USER
    assert [request["path"] for request in tls_api.api_requests()] == ["/client/v4" + USER_PATH]


def test_validate_certs_is_on_when_the_option_is_left_out(make_client, tls_api):
    with pytest.raises(_errors.CloudflareAPIError, match="CERTIFICATE_VERIFY_FAILED"):
        make_client(tls_api).get(USER_PATH)
    assert tls_api.api_requests() == []


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_to_another_host_is_not_followed_with_the_legacy_key(make_client, fake_api, other_server, status):
    # requests drops only Authorization on a redirect to another host: X-Auth-Email/X-Auth-Key would travel on.
    other_server.clear()
    target = other_server.url.replace("127.0.0.1", "localhost") + "/client/v4" + USER_PATH
    fake_api.add_fault("redirect", status=status, location=target)
    cf = make_client(fake_api, retries=3, api_token=None, api_email=local_api.API_EMAIL, api_key=local_api.API_KEY)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get(USER_PATH)
    assert info.value.status == status
    assert str(info.value).startswith("GET %s failed: HTTP %d: " % (USER_PATH, status))
    assert other_server.api_requests() == []
    assert other_server.auth_headers_seen == []
    assert len(fake_api.api_requests()) == 1


def test_a_redirect_on_the_same_host_is_not_followed_either(make_client, fake_api):
    fake_api.add_fault("redirect", status=302, location=fake_api.api_url + USER_PATH + "/active_sessions")
    with pytest.raises(_errors.CloudflareAPIError) as info:
        make_client(fake_api).get(USER_PATH)
    assert info.value.status == 302
    assert [request["path"] for request in fake_api.api_requests()] == ["/client/v4" + USER_PATH]


# --- The environment (proxies, netrc) does not change where credentials go ----------------------------------------

class Recorder:
    """A TCP server on 127.0.0.1 that notes the first line of each connection and answers 502: a proxy that
    refuses (it sees a CONNECT or a proxied request line), not an API server, so not the local API."""

    def __init__(self):
        self.lines = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                self.lines.append(conn.makefile("rb").readline().decode("latin-1").strip())
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


@pytest.fixture
def proxy(monkeypatch):
    recorder = Recorder()
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, recorder.url)
    yield recorder
    recorder.sock.close()


def test_netrc_never_replaces_the_token(make_client, fake_api, tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password netrc-password\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert make_client(fake_api).get(USER_PATH)["id"] == USER_ID
    assert fake_api.auth_headers_seen == [{"Authorization": "Bearer " + local_api.API_TOKEN}]


def test_a_loopback_api_url_never_goes_through_a_proxy(make_client, fake_api, proxy):
    assert make_client(fake_api).get(USER_PATH)["id"] == USER_ID
    assert proxy.lines == [] and len(fake_api.api_requests()) == 1


def test_https_goes_through_the_proxy_of_the_environment(make_client, proxy):
    client = make_client(api_url="https://api.example.test/client/v4")
    error = api_error(client.get, USER_PATH)
    assert [line.rsplit(" ", 1)[0] for line in proxy.lines] == ["CONNECT api.example.test:443"]  # the token stays inside TLS
    assert str(error).startswith("GET %s failed: could not connect to https://api.example.test/client/v4: " % USER_PATH)


def test_use_proxy_false_ignores_the_proxy_of_the_environment(make_client, proxy):
    client = make_client(api_url="https://api.example.test/client/v4", use_proxy=False)
    assert client.session.proxies == {} and client.session.trust_env is False


def test_no_proxy_is_honoured(make_client, proxy, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "example.test")
    client = make_client(api_url="https://api.example.test/client/v4")
    assert client.session.proxies == {}


# --- Every wait is bounded by the timeout --------------------------------------------------------------------------

def test_timeout_is_bounded_and_reported(make_client, fake_api):
    fake_api.add_fault("hang", delay=5)
    started = time.monotonic()
    error = api_error(make_client(fake_api, timeout=0.5).get, USER_PATH)
    assert time.monotonic() - started < 3
    assert "no response from %s within 0.5 seconds" % fake_api.api_url in str(error)


def test_timeout_bounds_a_body_dripped_byte_by_byte(make_client, fake_api):
    fake_api.add_fault("drip", delay=0.1, times=-1)
    started = time.monotonic()
    error = api_error(make_client(fake_api, timeout=1).get, USER_PATH)
    assert time.monotonic() - started < 2.5
    assert re.match(r"GET %s failed: HTTP 200: the answer of %s did not arrive within the timeout of 1(\.0)? seconds "
                    r"\(set timeout to wait longer\) %s; not tried again" % (USER_PATH, re.escape(fake_api.api_url), CF_RAY),
                    str(error))


def test_timeout_bounds_headers_dripped_byte_by_byte(make_client, fake_api):
    fake_api.add_fault("drip_headers", delay=0.1, times=-1)
    started = time.monotonic()
    error = api_error(make_client(fake_api, timeout=1).get, USER_PATH)
    assert time.monotonic() - started < 2.5
    assert str(error).startswith("GET %s failed: no response from %s within 1 seconds (set timeout to wait longer); "
                                 "not tried again" % (USER_PATH, fake_api.api_url))


def test_a_write_that_timed_out_is_not_sent_again(make_client, fake_api):
    fake_api.add_fault("hang", delay=2, times=1)
    cf = make_client(fake_api, timeout=0.3, retries=3)
    started = time.monotonic()
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.request("POST", USER_PATH, body={"name": "x"})
    assert time.monotonic() - started < 1.5
    assert str(info.value) == ("POST %s failed: no response from %s within 0.3 seconds (set timeout to wait longer)"
                               % (USER_PATH, fake_api.api_url))
    assert [request["method"] for request in fake_api.api_requests()] == ["POST"]
    assert cf.retry_log == []


def test_an_idempotent_write_that_timed_out_is_sent_again(make_client, fake_api):
    fake_api.add_fault("hang", delay=2, times=1)
    cf = make_client(fake_api, timeout=0.3, retries=3, backoff_first=0.01)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.request("PUT", USER_PATH, body={"name": "x"}, idempotent=True)
    assert info.value.status == 400  # the body lacks the email the API asks for: what matters is the second try
    assert [request["method"] for request in fake_api.api_requests()] == ["PUT", "PUT"]
    assert len(cf.retry_log) == 1
    assert cf.retry_log[0].startswith("PUT %s: no response from %s within 0.3 seconds" % (USER_PATH, fake_api.api_url))


# --- Which failures are tried again --------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_errors_without_retries_say_so(make_client, fake_api, status):
    fake_api.add_fault("status", status=status)
    error = api_error(make_client(fake_api, retries=0).get, USER_PATH)
    assert re.search(CF_RAY + "$", str(error).split(";", maxsplit=1)[0])
    assert "; not tried again, as retries is 0; " in str(error)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_of_reads_are_retried(retrying, fake_api, status):
    fake_api.add_fault("status", status=status, times=1)
    cf = retrying(fake_api)
    assert cf.get(USER_PATH) == seeded.EXAMPLE_USER
    assert cf.retry_log[0].startswith("GET %s: HTTP %d; retried after" % (USER_PATH, status))


def test_502_html_page_from_the_edge_is_retried(retrying, fake_api):
    fake_api.add_fault("status", status=502, body="html", times=1)
    assert retrying(fake_api).get(USER_PATH) == seeded.EXAMPLE_USER
    assert len(fake_api.api_requests()) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_is_never_retried_for_a_write_that_is_not_idempotent(retrying, fake_api, status):
    fake_api.add_fault("status", status=status, times=1)
    with pytest.raises(_errors.CloudflareAPIError, match="HTTP %d" % status):
        retrying(fake_api).request("POST", USER_PATH, body={"name": "x"})
    assert len(fake_api.api_requests()) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_is_retried_for_a_write_declared_idempotent(retrying, fake_api, status):
    fake_api.add_fault("status", status=status, times=1)
    with pytest.raises(_errors.CloudflareAPIError, match="HTTP 405"):  # the second try reaches the real answer
        retrying(fake_api).request("POST", USER_PATH, body={"name": "x"}, idempotent=True)
    assert len(fake_api.api_requests()) == 2


def test_a_429_is_retried_for_any_write(retrying, fake_api):
    fake_api.add_fault("status", status=429, retry_after="0", times=1)
    with pytest.raises(_errors.CloudflareAPIError, match="HTTP 405"):
        retrying(fake_api).request("POST", USER_PATH, body={"name": "x"})
    assert len(fake_api.api_requests()) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_never_retried(retrying, fake_api, status):
    fake_api.add_fault("status", status=status, retry_after="0", times=1)
    cf = retrying(fake_api)
    with pytest.raises(_errors.CloudflareAPIError):
        cf.get(USER_PATH)
    assert len(fake_api.api_requests()) == 1 and cf.retry_log == []


@pytest.mark.parametrize("kind", ["success_false", "result_null", "truncated_json", "not_json"])
def test_bad_answers_with_status_200_are_not_retried(retrying, fake_api, kind):
    fake_api.add_fault(kind, times=-1)
    with pytest.raises(_errors.CloudflareAPIError, match="HTTP 200"):
        retrying(fake_api).get(USER_PATH, expect=dict)
    assert len(fake_api.api_requests()) == 1


def test_a_connection_reset_mid_response_is_retried(retrying, fake_api):
    fake_api.add_fault("reset", times=1)
    cf = retrying(fake_api)
    assert cf.get(USER_PATH) == seeded.EXAMPLE_USER
    assert "broke while reading the response" in cf.retry_log[0]


def test_a_write_whose_connection_broke_is_not_sent_again(retrying, fake_api):
    fake_api.add_fault("reset", times=1)
    cf = retrying(fake_api)
    with pytest.raises(_errors.CloudflareAPIError, match="broke while reading the response"):
        cf.request("POST", USER_PATH, body={"name": "x"})
    assert len(fake_api.api_requests()) == 1 and cf.retry_log == []


def test_a_write_whose_connection_closed_without_an_answer_is_not_sent_again(make_client, fake_api):
    # The request went out; the server closed the connection without a word. It may have been carried out.
    fake_api.add_fault("hang", delay=0.1, times=1)
    cf = make_client(fake_api, retries=3)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.request("POST", USER_PATH, body={"name": "x"})
    assert str(info.value).startswith("POST %s failed: could not connect to %s: " % (USER_PATH, fake_api.api_url))
    assert [request["method"] for request in fake_api.api_requests()] == ["POST"]
    assert cf.retry_log == []


def test_a_read_timeout_is_retried_and_bounded(retrying, fake_api):
    fake_api.add_fault("hang", delay=3, times=1)
    cf = retrying(fake_api, timeout=0.3)
    started = time.monotonic()
    assert cf.get(USER_PATH) == seeded.EXAMPLE_USER
    assert time.monotonic() - started < 2
    assert "no response from %s within 0.3 seconds" % fake_api.api_url in cf.retry_log[0]


def test_a_timed_out_read_is_tried_again_within_the_deadline_of_each_try(make_client, fake_api):
    fake_api.add_fault("drip_headers", delay=0.1, times=1)
    client = make_client(fake_api, timeout=1, retries=1, backoff_first=0.01)
    assert client.get(USER_PATH)["id"] == USER_ID
    assert "no response from %s within 1 seconds" % fake_api.api_url in client.retry_log[0]


def test_a_refused_connection_is_retried_then_reported(retrying, fake_api):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cf = retrying(fake_api, api_url="http://127.0.0.1:%d/client/v4" % port, retries=2)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get(USER_PATH)
    assert len(cf.retry_log) == 2
    assert str(info.value).startswith("GET %s failed: could not connect to http://127.0.0.1:%d/client/v4: "
                                      "[Errno 111] Connection refused; gave up after 2 retries and " % (USER_PATH, port))


def test_a_write_to_a_refused_connection_is_retried(retrying, fake_api):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cf = retrying(fake_api, api_url="http://127.0.0.1:%d/client/v4" % port, retries=1)
    with pytest.raises(_errors.CloudflareAPIError, match="Connection refused; gave up after 1 retry"):
        cf.request("POST", USER_PATH, body={"name": "x"})


def test_a_write_to_a_host_that_does_not_resolve_is_tried_again(make_client):
    # Nothing was sent when the name did not resolve, so even a write may be sent again.
    cf = make_client(api_url="https://cf-test.invalid/client/v4", retries=1, backoff_first=0.01)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.request("POST", USER_PATH, body={})
    assert len(cf.retry_log) == 1
    assert cf.retry_log[0].startswith("POST %s: could not connect to https://cf-test.invalid/client/v4: [Errno " % USER_PATH)
    assert str(info.value).startswith("POST %s failed: could not connect to https://cf-test.invalid/client/v4: [Errno " % USER_PATH)
    assert "object at 0x" not in str(info.value)
    assert "; gave up after 1 retry and " in str(info.value)


# --- How long the client waits: Retry-After, backoff, retry_timeout ------------------------------------------------

def waits(retry_log):
    return [float(re.search(r"retried after ([0-9.]+) s", line).group(1)) for line in retry_log]


def test_429_with_retry_after_waits_as_asked_then_succeeds(retrying, fake_api):
    fake_api.add_fault("status", status=429, retry_after="0.3", times=2)
    cf = retrying(fake_api)
    started = time.monotonic()
    assert cf.get(USER_PATH) == seeded.EXAMPLE_USER
    assert time.monotonic() - started >= 0.6
    assert len(fake_api.api_requests()) == 3
    assert cf.retry_log == ["GET %s: HTTP 429; retried after 0.3 s (Retry-After)" % USER_PATH] * 2
    assert 0.6 <= cf.waited() < 1.5


def test_429_without_retry_after_backs_off_exponentially_with_jitter(retrying, fake_api):
    fake_api.add_fault("status", status=429, times=3)
    cf = retrying(fake_api, backoff_first=0.1)
    assert cf.get(USER_PATH)["id"] == seeded.EXAMPLE_USER["id"]
    first, second, third = waits(cf.retry_log)
    assert 0.05 <= first <= 0.1 and 0.1 <= second <= 0.2 and 0.2 <= third <= 0.4
    assert "(Retry-After)" not in " ".join(cf.retry_log)


def test_a_429_that_never_ends_fails_after_the_retries_and_says_what_to_set(retrying, fake_api):
    fake_api.add_fault("status", status=429, retry_after="0.1", times=-1)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        retrying(fake_api, retries=2).get(USER_PATH)
    message = str(info.value)
    assert message.startswith("GET %s failed: HTTP 429: [10429] Rate limited." % USER_PATH)
    assert re.search(r"; gave up after 2 retries and 0\.[2-9] s of waiting; rate limited: Cloudflare blocks for up to 5 minutes",
                     message)
    assert message.endswith("set retry_timeout (up to 300) and retries to wait it out, or run again later")
    assert len(fake_api.api_requests()) == 3


def test_a_wait_beyond_the_budget_fails_at_once(retrying, fake_api):
    fake_api.add_fault("status", status=429, retry_after="120", times=-1)
    started = time.monotonic()
    cf = retrying(fake_api, retry_timeout=5)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get(USER_PATH)
    assert time.monotonic() - started < 2
    assert ("; gave up after 0.0 s of waiting: Cloudflare asked to wait 120.0 s (Retry-After), "
            "more than the 5.0 s left of retry_timeout; rate limited:") in str(info.value)
    assert len(fake_api.api_requests()) == 1 and cf.retry_log == []


def test_the_budget_is_shared_by_all_requests_of_the_client(retrying, fake_api):
    fake_api.add_fault("status", status=503, retry_after="0.4", times=1)
    cf = retrying(fake_api, retry_timeout=0.6)
    cf.get(USER_PATH)  # waits 0.4 of 0.6
    fake_api.add_fault("status", status=503, retry_after="0.4", times=1)
    with pytest.raises(_errors.CloudflareAPIError, match=r"more than the 0\.[0-2] s left of retry_timeout"):
        cf.get(USER_PATH)


def test_parallel_retries_share_the_budget_as_wall_clock_time(retrying, fake_api):
    """Four related reads rate limited at once wait 0.5 s side by side, within a budget of 1 s."""
    users = [dict(user) for user in fake_api.accounts[local_api.ACCOUNT_ID][:4]]
    fake_api.add_fault("status", status=429, retry_after="0.5", times=4, path="/last_seen_identity")
    cf = retrying(fake_api, retry_timeout=1)
    started = time.monotonic()
    _access_users.add_related(cf.account(local_api.ACCOUNT_ID), users, ["last_seen_identity"])
    assert [user["last_seen_identity"]["email"] for user in users] == [user["email"] for user in users]
    assert len(cf.retry_log) == 4
    assert time.monotonic() - started < 1.5


def test_retry_timeout_counts_the_waits_not_the_time_requests_take(make_client, fake_api, monkeypatch):
    client = make_client(fake_api, retries=1, retry_timeout=1.0)
    client.backoff_first = 0.3
    fake_api.add_fault("status", status=503, retry_after="0.3", times=1)
    client.get(USER_PATH)
    monkeypatch.setattr(fake_api, "latency", 1.2)  # a slow request: not waiting between tries
    client.get(USER_PATH)
    monkeypatch.setattr(fake_api, "latency", 0.0)
    fake_api.add_fault("status", status=503, retry_after="0.3", times=1)
    assert client.get(USER_PATH)["id"] == USER_ID
    assert 0.6 <= client.waited() < 0.9


# --- Retry-After as the API sends it -------------------------------------------------------------------------------

def retried_once(make_client, server, retry_after):
    """The one retry line of a GET that the API answers with 503 and this Retry-After, every time."""
    server.add_fault("status", status=503, retry_after=retry_after, times=-1)
    cf = make_client(server, retries=1, backoff_first=0.02)
    with pytest.raises(_errors.CloudflareAPIError):
        cf.get(USER_PATH)
    assert len(cf.retry_log) == 1
    return cf.retry_log[0]


def test_an_html_503_with_retry_after_waits_as_asked(make_client, fake_api):
    fake_api.add_fault("status", status=503, body="html", retry_after="0", times=-1)
    cf = make_client(fake_api, retries=1, backoff_first=10)
    with pytest.raises(_errors.CloudflareAPIError):
        cf.get(USER_PATH)
    assert cf.retry_log == ["GET %s: HTTP 503; retried after 0.0 s (Retry-After)" % USER_PATH]
    assert len(fake_api.api_requests()) == 2


def test_a_retry_after_date_in_the_past_means_now(make_client, fake_api):
    line = retried_once(make_client, fake_api, "Wed, 21 Oct 2015 07:28:00 GMT")
    assert line == "GET %s: HTTP 503; retried after 0.0 s (Retry-After)" % USER_PATH


def test_a_retry_after_date_without_a_time_zone_is_ignored(make_client, fake_api):
    line = retried_once(make_client, fake_api, "Wed, 21 Oct 2015 07:28:00 -0000")
    assert line == "GET %s: HTTP 503; retried after 0.0 s" % USER_PATH


def test_an_unreadable_retry_after_falls_back_to_backoff(make_client, fake_api):
    line = retried_once(make_client, fake_api, "soon")
    assert line == "GET %s: HTTP 503; retried after 0.0 s" % USER_PATH


@pytest.mark.parametrize("header, expected", [
    ("3", 3.0),
    ("0", 0.0),
    ("-5", 0.0),
    ("1.5", 1.5),
    ("", None),
    (None, None),
    ("soon", None),
])
def test_retry_after_in_seconds(header, expected):
    assert _retries.retry_after_seconds(header) == expected


def test_retry_after_as_an_http_date():
    now = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc).timestamp()
    later = format_datetime(datetime(2026, 11, 26, 12, 0, 42, tzinfo=timezone.utc), usegmt=True)
    assert later == "Thu, 26 Nov 2026 12:00:42 GMT"
    assert _retries.retry_after_seconds(later, now=now) == 42.0
    assert _retries.retry_after_seconds("Thu, 26 Nov 2026 11:00:00 GMT", now=now) == 0.0


# --- Backoff: jitter over the upper half of each step, capped ------------------------------------------------------

def test_backoff_jitter_spans_the_upper_half_of_the_step(make_client, fake_api):
    fake_api.add_fault("status", status=503, times=-1)
    state = random.getstate()
    random.seed(20261127)
    waits_asked = []
    try:
        for _attempt in range(30):
            cf = make_client(fake_api, retries=1, retry_timeout=0.5, backoff_first=10)
            with pytest.raises(_errors.CloudflareAPIError) as info:
                cf.get(USER_PATH)
            waits_asked.append(float(re.search(r"the next wait of ([0-9.]+) s", str(info.value)).group(1)))
    finally:
        random.setstate(state)
    assert all(5.0 <= wait <= 10.0 for wait in waits_asked)
    assert min(waits_asked) < 5.5 and max(waits_asked) > 9.5


def next_wait(message):
    return float(re.search(r"; gave up after 0\.0 s of waiting: the next wait of ([0-9.]+) s, more than ", message).group(1))


def test_backoff_waits_are_capped_at_backoff_max(make_client, fake_api):
    fake_api.add_fault("status", status=503, times=-1)
    # Uncapped, the first wait of a 100 s backoff would be 50 to 100 s; capped at 30 s it is 15 to 30 s.
    cf = make_client(fake_api, retries=3, retry_timeout=1, backoff_first=100)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get(USER_PATH)
    wait = next_wait(str(info.value))
    assert _retries.BACKOFF_MAX / 2 <= wait <= _retries.BACKOFF_MAX
    assert "more than the 1.0 s left of retry_timeout" in str(info.value)
    assert len(fake_api.api_requests()) == 1


def test_nothing_waited_before_the_first_retry(make_client):
    cf = make_client(api_url="https://api.cloudflare.com/client/v4")
    assert cf.waited() == 0.0


# --- The request budget: the transport never sends past it ---------------------------------------------------------

def test_the_request_past_the_budget_is_not_sent(make_client, fake_api):
    cf = make_client(fake_api, request_budget=2)
    cf.get(USER_PATH)
    assert cf.requests_sent == 1
    cf.get(USER_PATH)
    assert cf.requests_sent == 2
    with pytest.raises(_errors.CloudflareBudgetError) as info:
        cf.get(USER_PATH)
    assert str(info.value) == ("GET %s not sent: the task has sent its request_budget of 2 API requests; raise "
                               "request_budget or narrow the selection" % USER_PATH)
    assert cf.requests_sent == 2
    assert len(fake_api.api_requests()) == 2


def test_reserve_counts_what_was_sent(make_client, fake_api):
    cf = make_client(fake_api, request_budget=3)
    cf.reserve(3, "three reads")
    cf.get(USER_PATH)
    cf.reserve(2, "two more")
    with pytest.raises(_errors.CloudflareBudgetError) as info:
        cf.reserve(3, "three more")
    assert str(info.value) == (
        "three more takes 3 more API requests (1 sent so far), more than request_budget allows (3); narrow the "
        "selection or raise request_budget")


def test_retries_count_against_the_budget(make_client, fake_api):
    fake_api.add_fault("status", status=503, retry_after="0", times=-1)
    with pytest.raises(_errors.CloudflareBudgetError):
        make_client(fake_api, request_budget=3, retries=10, retry_timeout=5).get(USER_PATH)
    assert len(fake_api.api_requests()) == 3


# --- API paths -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("segments, expected", [
    (("accounts", "abc", "access", "users"), "/accounts/abc/access/users"),
    (("accounts", "a/b"), "/accounts/a%2Fb"),
    (("accounts", "a?b=c#d"), "/accounts/a%3Fb%3Dc%23d"),
    (("accounts", "%2e%2e"), "/accounts/%252e%252e"),
])
def test_api_path_encodes_each_segment_whole(segments, expected):
    assert _client.api_path(*segments) == expected


@pytest.mark.parametrize("segment", ["", ".", "..", None, 7])
def test_api_path_refuses_segments_that_would_move_the_path(segment):
    with pytest.raises(_errors.CloudflareInputError):
        _client.api_path("accounts", segment)
