# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How the client words answers that are not what it expects (found by mutation testing, issue 13).

A canned HTTP server on 127.0.0.1 answers each request with exactly the status, headers and body a test
sets, so the messages users read for odd answers are pinned down through client_from_params and get.
"""

from __future__ import annotations

import json
import random
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _client, _errors, _options
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    READ_PERMISSION,
    add_related,
    get_user,
    list_users,
    users_by_key,
)
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake

PATH = "/accounts/%s/access/users/%s" % (fake.ACCOUNT_ID, fake.EXAMPLE_USER["id"])


class _Canned(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.seen.append((self.command, self.path, self.rfile.read(length) if length else b""))
        self.server.headers_seen.append(dict(self.headers))
        status, headers, body = self.server.answer
        self.send_response(status, getattr(self.server, "reason", None))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass


@pytest.fixture(scope="module")
def canned_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Canned)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def answer(canned_server):
    """Set the next answers: ``answer(status, body, **headers)``; returns the client's base URL."""

    def set_answer(status, body, headers=None, reason=None):
        canned_server.answer = (status, headers or {}, body if isinstance(body, bytes) else body.encode())
        canned_server.reason = reason
        canned_server.seen = []
        canned_server.headers_seen = []
        return "http://127.0.0.1:%d/client/v4" % canned_server.server_address[1]

    return set_answer


def client(api_url, **options):
    settings = dict(account_id=fake.ACCOUNT_ID, api_url=api_url, api_token=fake.API_TOKEN, timeout=5, retries=0,
                    retry_timeout=1)
    settings.update(options)
    return _options.client_from_params(settings)


def failure(api_url, expect=None):
    with pytest.raises(_errors.CloudflareAPIError) as info:
        client(api_url).get(PATH, expect=expect)
    return info.value


def envelope(result):
    return json.dumps({"success": True, "errors": [], "messages": [], "result": result})


# --- Results of the wrong type --------------------------------------------------------------------------------

@pytest.mark.parametrize("result, expect, words", [
    ([], dict, "a list, not an object"),
    ({}, list, "an object, not a list"),
    ("x", dict, "a string, not an object"),
    (True, dict, "a boolean, not an object"),
    (None, dict, "null, not an object"),
    (3, dict, "a number, not an object"),
    (2.5, list, "a number, not a list"),
])
def test_a_result_of_the_wrong_type_names_both_types(answer, result, expect, words):
    exc = failure(answer(200, envelope(result), {"Content-Type": "application/json"}), expect=expect)
    assert str(exc) == "GET %s failed: HTTP 200: the API answered success but its result is %s" % (PATH, words)


# --- Answers that are not an envelope -------------------------------------------------------------------------

@pytest.mark.parametrize("headers, body, reason", [
    ({"Content-Type": "text/html; charset=UTF-8"}, "<HTML><HEAD><TITLE>502:\n  Bad   gateway</TITLE></HEAD>x</HTML>",
     "response is not a Cloudflare API envelope (text/html): '502: Bad gateway'"),
    ({"Content-Type": "text/plain"}, "  many   words\n\tof text  ",
     "response is not a Cloudflare API envelope (text/plain): 'many words of text'"),
    ({"Content-Type": "text/plain"}, "y" * 300,
     "response is not a Cloudflare API envelope (text/plain): '%s'" % ("y" * _client.BODY_EXCERPT_CHARS)),
    ({"Content-Type": "text/plain;charset=utf-8"}, "", "empty response body (text/plain)"),
    ({}, "", "empty response body (no content type)"),
    ({"Content-Type": "application/json"}, json.dumps({"result": {"id": "x"}}),
     "response is not a Cloudflare API envelope (application/json): '{\"result\": {\"id\": \"x\"}}'"),
    ({"Content-Type": "application/json"}, "[1, 2]", "response is not a Cloudflare API envelope (application/json): '[1, 2]'"),
])
def test_an_answer_that_is_not_an_envelope_is_described_briefly(answer, headers, body, reason):
    exc = failure(answer(200, body, headers))
    assert str(exc) == "GET %s failed: HTTP 200: %s" % (PATH, reason)
    assert exc.status == 200


def test_a_400_without_an_envelope_uses_the_http_reason(answer):
    exc = failure(answer(400, "", {"Content-Type": "text/plain"}))
    assert str(exc) == "GET %s failed: HTTP 400: empty response body (text/plain)" % PATH
    assert exc.errors == []


def test_an_error_envelope_without_an_errors_list_uses_the_http_reason(answer):
    body = json.dumps({"success": False, "errors": "oops", "result": None})
    exc = failure(answer(409, body, {"Content-Type": "application/json", "cf-ray": "0123456789abcdef-SJC"}))
    assert str(exc) == "GET %s failed: HTTP 409: Conflict (cf-ray 0123456789abcdef-SJC)" % PATH
    assert exc.errors == [] and exc.cf_ray == "0123456789abcdef-SJC"


def test_a_200_whose_success_is_not_true_is_a_failure(answer):
    body = json.dumps({"success": "yes", "errors": [], "result": fake.EXAMPLE_USER})
    exc = failure(answer(200, body, {"Content-Type": "application/json"}))
    assert str(exc) == "GET %s failed: HTTP 200: the API answered success: yes" % PATH


def test_a_300_with_an_envelope_claiming_success_is_not_a_success(answer):
    body = envelope(fake.EXAMPLE_USER)
    exc = failure(answer(300, body, {"Content-Type": "application/json"}))
    assert str(exc) == "GET %s failed: HTTP 300: Multiple Choices" % PATH


def test_an_error_without_a_reason_phrase_says_error(answer):
    body = json.dumps({"success": False, "errors": [], "result": None})
    exc = failure(answer(418, body, {"Content-Type": "application/json"}, reason=""))
    assert str(exc) == "GET %s failed: HTTP 418: error" % PATH


def test_an_html_503_with_retry_after_waits_as_asked(answer, canned_server):
    api_url = answer(503, "<html><title>busy</title></html>", {"Content-Type": "text/html", "Retry-After": "0"})
    cf = _client.CloudflareClient(api_url, {"Authorization": "Bearer " + fake.API_TOKEN}, timeout=5, retries=1,
                                  retry_timeout=5, backoff_first=10)
    with pytest.raises(_errors.CloudflareAPIError):
        cf.get(PATH)
    assert cf.retry_log == ["GET %s: HTTP 503; retried after 0.0 s (Retry-After)" % PATH]
    assert len(canned_server.seen) == 2


# --- What is sent ---------------------------------------------------------------------------------------------

def test_a_write_sends_its_body_as_json(answer, canned_server):
    cf = client(answer(200, envelope({"id": "x"}), {"Content-Type": "application/json"}))
    assert cf.request("POST", PATH, body={"email": "a@example.com"})["result"] == {"id": "x"}
    assert canned_server.seen == [("POST", "/client/v4" + PATH, b'{"email": "a@example.com"}')]


def test_every_request_asks_for_json_and_names_the_collection(answer, canned_server):
    client(answer(200, envelope(fake.EXAMPLE_USER), {"Content-Type": "application/json"})).get(PATH)
    [headers] = canned_server.headers_seen
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == _client.USER_AGENT
    assert headers["Authorization"] == "Bearer " + fake.API_TOKEN


def test_get_sends_its_query_and_a_failure_names_it(answer, canned_server):
    cf = client(answer(200, envelope([]), {"Content-Type": "application/json"}))
    assert cf.get("/accounts/%s/access/users" % fake.ACCOUNT_ID, query={"email": "a@example.com"}, expect=list) == []
    assert canned_server.seen[0][1] == "/client/v4/accounts/%s/access/users?email=a%%40example.com" % fake.ACCOUNT_ID
    answer(404, json.dumps({"success": False, "errors": [{"code": 1003, "message": "nope"}], "result": None}),
           {"Content-Type": "application/json"})
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get("/accounts/%s/access/users" % fake.ACCOUNT_ID, query={"email": "a@example.com"})
    assert str(info.value) == ("GET /accounts/%s/access/users?email=a%%40example.com failed: HTTP 404: [1003] nope"
                               % fake.ACCOUNT_ID)


# --- The request budget of the transport ----------------------------------------------------------------------

def test_the_request_past_the_budget_is_not_sent(answer, canned_server):
    cf = client(answer(200, envelope(fake.EXAMPLE_USER), {"Content-Type": "application/json"}), request_budget=2)
    cf.get(PATH)
    assert cf.requests_sent == 1
    cf.get(PATH)
    assert cf.requests_sent == 2
    with pytest.raises(_errors.CloudflareBudgetError) as info:
        cf.get(PATH)
    assert str(info.value) == ("GET %s not sent: the task has sent its request_budget of 2 API requests; raise "
                               "request_budget or narrow the selection" % PATH)
    assert cf.requests_sent == 2
    assert len(canned_server.seen) == 2


def test_reserve_counts_what_was_sent(answer):
    cf = client(answer(200, envelope(fake.EXAMPLE_USER), {"Content-Type": "application/json"}), request_budget=3)
    cf.reserve(3, "three reads")
    cf.get(PATH)
    cf.reserve(2, "two more")
    with pytest.raises(_errors.CloudflareBudgetError) as info:
        cf.reserve(3, "three more")
    assert str(info.value) == (
        "three more takes 3 more API requests (1 sent so far), more than request_budget allows (3); narrow the "
        "selection or raise request_budget: Cloudflare blocks all API use of the user for 5 minutes once 1,200 "
        "requests in 5 minutes are reached")


# --- Jitter spreads the waits over the upper half of each backoff step --------------------------------------------

def test_backoff_jitter_spans_the_upper_half_of_the_step(answer):
    api_url = answer(503, "", {"Content-Type": "text/plain"})
    state = random.getstate()
    random.seed(20261127)
    waits = []
    try:
        for _attempt in range(30):
            cf = _client.CloudflareClient(api_url, {"Authorization": "Bearer " + fake.API_TOKEN}, timeout=5, retries=1,
                                          retry_timeout=0.5, backoff_first=10)
            with pytest.raises(_errors.CloudflareAPIError) as info:
                cf.get(PATH)
            waits.append(float(re.search(r"the next wait of ([0-9.]+) s", str(info.value)).group(1)))
    finally:
        random.setstate(state)
    assert all(5.0 <= wait <= 10.0 for wait in waits)
    assert min(waits) < 5.5 and max(waits) > 9.5


# --- Which permission a 403 names (and that the token or account_id may be wrong) -----------------------------------------------------------------------------

FORBIDDEN_HINT = "; the API token lacks the permission '%s' on the account, or the token or account_id is wrong" % (
    READ_PERMISSION)


def forbidden(answer):
    body = json.dumps({"success": False, "errors": [{"code": 10000, "message": "Authentication error"}], "result": None})
    return answer(403, body, {"Content-Type": "application/json"})


def test_a_403_of_one_user_names_the_permission(answer):
    with pytest.raises(_errors.CloudflareAPIError) as info:
        get_user(client(forbidden(answer)), fake.ACCOUNT_ID, fake.EXAMPLE_USER["id"])
    assert str(info.value).endswith(FORBIDDEN_HINT)


def test_a_403_of_a_batch_listing_names_the_permission(answer):
    with pytest.raises(_errors.CloudflareAPIError) as info:
        users_by_key(client(forbidden(answer)), fake.ACCOUNT_ID, ["a@example.com", "b@example.com"], "email")
    assert str(info.value).endswith(FORBIDDEN_HINT)


def test_a_403_of_an_email_search_names_the_permission(answer):
    with pytest.raises(_errors.CloudflareAPIError) as info:
        list_users(client(forbidden(answer)), fake.ACCOUNT_ID, email="a@example.com")
    assert str(info.value).endswith(FORBIDDEN_HINT)


def test_a_403_of_include_names_the_permission(answer):
    with pytest.raises(_errors.CloudflareAPIError) as info:
        add_related(client(forbidden(answer)), fake.ACCOUNT_ID, [dict(fake.EXAMPLE_USER)], ["active_sessions"])
    assert str(info.value).endswith(FORBIDDEN_HINT)


# --- Connections that never opened ----------------------------------------------------------------------------

def test_a_write_to_a_host_that_does_not_resolve_is_tried_again():
    # Nothing was sent when the name did not resolve, so even a write may be sent again.
    cf = _client.CloudflareClient("https://cf-test.invalid/client/v4", {"Authorization": "Bearer " + fake.API_TOKEN},
                                  timeout=5, retries=1, retry_timeout=5, backoff_first=0.01)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.request("POST", PATH, body={})
    assert len(cf.retry_log) == 1
    assert cf.retry_log[0].startswith("POST %s: could not connect to https://cf-test.invalid/client/v4: [Errno " % PATH)
    assert str(info.value).startswith("POST %s failed: could not connect to https://cf-test.invalid/client/v4: [Errno " % PATH)
    assert "object at 0x" not in str(info.value)
    assert "; gave up after 1 retry and " in str(info.value)


def test_nothing_waited_before_the_first_retry():
    cf = client("https://api.cloudflare.com/client/v4")
    assert cf.waited() == 0.0


# --- Retry-After as the API sends it --------------------------------------------------------------------------

def unavailable(answer, retry_after):
    body = json.dumps({"success": False, "errors": [{"code": 10503, "message": "busy"}], "result": None})
    return answer(503, body, {"Content-Type": "application/json", "Retry-After": retry_after})


def retried_once(api_url):
    cf = _client.CloudflareClient(api_url, {"Authorization": "Bearer " + fake.API_TOKEN}, timeout=5, retries=1,
                                  retry_timeout=5, backoff_first=0.02)
    with pytest.raises(_errors.CloudflareAPIError):
        cf.get(PATH)
    assert len(cf.retry_log) == 1
    return cf.retry_log[0]


def test_a_retry_after_date_in_the_past_means_now(answer):
    line = retried_once(unavailable(answer, "Wed, 21 Oct 2015 07:28:00 GMT"))
    assert line == "GET %s: HTTP 503; retried after 0.0 s (Retry-After)" % PATH


def test_a_retry_after_date_without_a_time_zone_is_ignored(answer):
    line = retried_once(unavailable(answer, "Wed, 21 Oct 2015 07:28:00 -0000"))
    assert line == "GET %s: HTTP 503; retried after 0.0 s" % PATH


def test_an_unreadable_retry_after_falls_back_to_backoff(answer):
    line = retried_once(unavailable(answer, "soon"))
    assert line == "GET %s: HTTP 503; retried after 0.0 s" % PATH
