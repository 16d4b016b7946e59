# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 8: the client trusts only what Cloudflare said, bounds every wait and fails in one line on strange answers.

Each section is one class of the issue; every test runs the real client against the local API.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _access_users, _errors, _options, _paging
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake

USER_ID = fake.EXAMPLE_USER["id"]
USER_PATH = "/accounts/%s/access/users/%s" % (fake.ACCOUNT_ID, USER_ID)
LIST_PATH = "/accounts/%s/access/users" % fake.ACCOUNT_ID
CF_RAY = r"\(cf-ray [0-9a-f]{16}-SJC\)"


def make_client(server, **overrides):
    params = dict(api_url=server.api_url, api_token=fake.API_TOKEN, timeout=5, retries=0)
    params.update(overrides)
    return _options.client_from_params(params)


def api_error(function, *args):
    with pytest.raises(_errors.CloudflareAPIError) as info:
        function(*args)
    assert "\n" not in str(info.value)
    return info.value


def canned(server, body, status=200, **options):
    server.add_fault("canned", status=status, body=body if isinstance(body, str) else json.dumps(body), times=-1,
                     **options)


def listing(items, **result_info):
    return {"success": True, "errors": [], "messages": [], "result": items, "result_info": result_info}


# --- 1. only Cloudflare's own answer means "not found" ------------------------------------------------------

@pytest.mark.parametrize("body, content_type", [("html", "text/html"), ("other_json", "application/json")])
def test_a_404_that_is_not_cloudflares_envelope_is_not_a_missing_user(fake_api, body, content_type):
    fake_api.add_fault("status", status=404, body=body, times=-1)
    error = api_error(_access_users.get_user, make_client(fake_api), fake.ACCOUNT_ID, USER_ID)
    assert re.match(r"GET %s failed: HTTP 404: response is not a Cloudflare API envelope \(%s\): .* %s; the answer did "
                    r"not come from Cloudflare's API: check api_url \(it ends in /client/v4\)" % (USER_PATH, content_type, CF_RAY),
                    str(error))


def test_a_404_envelope_without_errors_is_not_a_missing_user(fake_api):
    canned(fake_api, {"success": False, "errors": [], "result": None}, status=404)
    error = api_error(_access_users.get_user, make_client(fake_api), fake.ACCOUNT_ID, USER_ID)
    assert "check api_url" in str(error)


def test_cloudflares_own_404_is_still_a_missing_user(fake_api):
    assert _access_users.get_user(make_client(fake_api), fake.ACCOUNT_ID, "00000000-0000-4000-8000-000000000000") is None


def test_a_404_from_a_proxy_for_a_sub_resource_fails_include(fake_api):
    fake_api.add_fault("status", status=404, body="html", times=-1, path="/active_sessions")
    users = [dict(fake.EXAMPLE_USER)]
    error = api_error(_access_users.add_related, make_client(fake_api), fake.ACCOUNT_ID, users, ["active_sessions"])
    assert error.path == USER_PATH + "/active_sessions"
    assert "active_sessions" not in users[0]


# --- 2. the environment does not change where credentials go -----------------------------------------------

class Recorder:
    """A TCP server on 127.0.0.1 that notes the first line of each connection and answers 502 (a proxy that refuses)."""

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


def test_netrc_never_replaces_the_token(fake_api, tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password netrc-password\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert make_client(fake_api).get(USER_PATH)["id"] == USER_ID
    assert fake_api.auth_headers_seen == [{"Authorization": "Bearer " + fake.API_TOKEN}]


def test_a_loopback_api_url_never_goes_through_a_proxy(fake_api, proxy):
    assert make_client(fake_api).get(USER_PATH)["id"] == USER_ID
    assert proxy.lines == [] and len(fake_api.api_requests()) == 1


def test_https_goes_through_the_proxy_of_the_environment(proxy):
    client = _options.client_from_params(dict(api_url="https://api.example.test/client/v4", api_token=fake.API_TOKEN,
                                              timeout=5, retries=0))
    error = api_error(client.get, USER_PATH)
    assert [line.rsplit(" ", 1)[0] for line in proxy.lines] == ["CONNECT api.example.test:443"]  # the token stays inside TLS
    assert str(error).startswith("GET %s failed: could not connect to https://api.example.test/client/v4: " % USER_PATH)


def test_use_proxy_false_ignores_the_proxy_of_the_environment(proxy):
    client = _options.client_from_params(dict(api_url="https://api.example.test/client/v4", api_token=fake.API_TOKEN,
                                              timeout=5, use_proxy=False))
    assert client.session.proxies == {} and client.session.trust_env is False


def test_no_proxy_is_honoured(proxy, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "example.test")
    client = _options.client_from_params(dict(api_url="https://api.example.test/client/v4", api_token=fake.API_TOKEN,
                                              timeout=5))
    assert client.session.proxies == {}


def test_a_ca_bundle_that_does_not_exist_fails_before_any_request(fake_api, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca.pem")
    expected = r"^REQUESTS_CA_BUNDLE names the CA bundle '/nonexistent/ca\.pem', which does not exist; "
    with pytest.raises(_errors.CloudflareInputError, match=expected):
        make_client(fake_api)
    assert fake_api.api_requests() == []


def test_a_ca_bundle_of_the_environment_is_honoured(fake_api, tmp_path, monkeypatch):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "")  # empty: unset, so the next variable applies
    monkeypatch.setenv("CURL_CA_BUNDLE", str(bundle))
    assert make_client(fake_api).validate_certs == str(bundle)
    assert make_client(fake_api, validate_certs=False).validate_certs is False
    assert _options.tls_verification(True, environ={}) is True


# --- 3. a listing is complete or it fails ------------------------------------------------------------------

def pages_asked(server):
    return [int(request["query"]["page"]) for request in server.api_requests()]


def test_a_server_echoing_per_page_with_smaller_pages_is_read_to_its_total_count(big_api):
    big_api.add_fault("lying_per_page", times=-1)
    users = _access_users.list_users(make_client(big_api), fake.ACCOUNT_ID)
    assert [user["id"] for user in users] == [user["id"] for user in big_api.accounts[fake.ACCOUNT_ID]]
    assert sorted(pages_asked(big_api)) == list(range(1, 26))  # 2 and 3, announced by page 1, in parallel


def test_total_pages_that_contradict_the_rows_fail_with_what_was_announced_and_what_came(big_api):
    big_api.add_fault("wrong_total_pages", times=-1)
    error = api_error(_access_users.list_users, make_client(big_api), fake.ACCOUNT_ID)
    assert str(error) == ("GET %s?page=3&per_page=1000 failed: HTTP 200: the listing is incomplete or inconsistent: the API "
                          "announced 3 pages of 1000 rows (total_pages, per_page), 300 rows came in 3 pages" % LIST_PATH)


def test_items_without_ids_that_never_end_stop_after_a_page_that_brings_nothing_new(fake_api):
    canned(fake_api, listing([{"name": "a"}, {"name": "b"}], per_page=2))
    client = make_client(fake_api)
    error = api_error(lambda: list(_paging.iter_pages(client, LIST_PATH, per_page=2)))
    assert str(error).endswith("page 2 repeats objects of an earlier page")
    assert len(fake_api.api_requests()) == 2


@pytest.mark.parametrize("info, rows, pages, problem", [
    ({"total_count": 2500, "per_page": 1000, "total_pages": 3}, 2500, 3, None),
    ({"total_count": 2500, "per_page": 1000}, 1000, 2, "the API announced 2500 rows (total_count), 1000 rows came in 2 pages"),
    ({"total_pages": 3, "per_page": 1000}, 2001, 3, None),
    ({"total_pages": 3, "per_page": 1000}, 300, 3,
     "the API announced 3 pages of 1000 rows (total_pages, per_page), 300 rows came in 3 pages"),
    ({"total_pages": 1, "total_count": 2500, "per_page": 1000}, 2500, 3,
     "the API announced 1 pages (total_pages), 2500 rows came in 3 pages"),
    ({"total_pages": 1, "per_page": 1000}, 0, 1, None),
    ({}, 7, 1, None),
    # The edges: one page read; more pages read than announced; exactly (pages - 1) full pages of rows.
    ({"total_count": 2500, "per_page": 1000}, 1000, 1, "the API announced 2500 rows (total_count), 1000 rows came in 1 page"),
    ({"total_pages": 1, "per_page": 1000}, 1000, 2, "the API announced 1 pages (total_pages), 1000 rows came in 2 pages"),
    ({"total_pages": 2, "per_page": 1000}, 2000, 3, "the API announced 2 pages (total_pages), 2000 rows came in 3 pages"),
    ({"total_pages": 2, "per_page": 1000}, 1000, 2,
     "the API announced 2 pages of 1000 rows (total_pages, per_page), 1000 rows came in 2 pages"),
    ({"total_pages": 3, "per_page": 1000}, 2000, 3,
     "the API announced 3 pages of 1000 rows (total_pages, per_page), 2000 rows came in 3 pages"),
    ({"total_pages": 2, "per_page": 1000}, 1001, 2, None),
])
def test_a_finished_listing_is_checked_against_the_announced_totals(info, rows, pages, problem):
    assert _paging.listing_problem(info, rows, pages) == problem


@pytest.mark.parametrize("page, count, rows, info, more", [
    (1, 100, 100, {"per_page": 1000, "total_count": 2500}, True),  # short page, but rows are missing
    (1, 100, 100, {"per_page": 1000, "total_pages": 3}, True),
    (3, 500, 2500, {"per_page": 1000, "total_pages": 3, "total_count": 2500}, False),
    (1, 1000, 1000, {"per_page": 1000}, True),  # no totals: a full page may have a successor
    (1, 999, 999, {"per_page": 1000}, False),
    (1, 0, 0, {"per_page": 1000, "total_count": 2500}, False),  # an empty page ends it (then listing_problem says why)
    (1, 100, 100, {"per_page": 100}, True),  # the API's page size, not the one asked for, tells a full page
    (1, 100, 100, {}, False),
])
def test_when_to_read_the_next_page(page, count, rows, info, more):
    assert _paging.more_pages(page, count, rows, info, 1000) is more


@pytest.mark.parametrize("info, message", [
    ("3 pages", "result_info is a string, not an object"),
    ([3], "result_info is a list, not an object"),
    (True, "result_info is a boolean, not an object"),
    (3, "result_info is a number, not an object"),
])
def test_a_result_info_that_is_not_an_object_is_refused(info, message):
    error = api_error(lambda: _paging.page_info({"result_info": info}, LIST_PATH))
    assert (error.method, error.status, str(error)) == ("GET", 200, "GET %s failed: HTTP 200: %s" % (LIST_PATH, message))


@pytest.mark.parametrize("value, number", [(3, 3), (3.0, 3), (0, 0), (-1, None), (-2.0, None), (2.5, None),
                                           (float("inf"), None), (True, None), ("3", None), (None, None)])
def test_only_whole_non_negative_numbers_count_as_totals(value, number):
    assert _paging.announced_pages({"total_pages": value}) == (None if number is None else max(1, number))


@pytest.mark.parametrize("count, pages", [(1, 1), (999, 1), (1000, 1), (1001, 2), (2000, 2), (2001, 3)])
def test_total_count_rounds_up_to_whole_pages(count, pages):
    assert _paging.announced_pages({"total_count": count, "per_page": 1000}) == pages


def test_a_listing_result_that_is_not_a_list_is_refused(fake_api):
    canned(fake_api, {"success": True, "errors": [], "messages": [], "result": {"id": "x"}})
    error = api_error(lambda: list(_paging.iter_pages(make_client(fake_api), LIST_PATH)))
    assert (error.method, error.status) == ("GET", 200)
    assert re.match(r"GET %s\?page=1&per_page=1000 failed: HTTP 200: the API answered success but its result is an "
                    r"object, not a list %s$" % (LIST_PATH, CF_RAY), str(error))


def test_a_page_repeating_one_id_of_an_earlier_page_is_refused_even_with_new_objects(fake_api):
    for page, items in ((1, [{"id": "a"}, {"id": "b"}]), (2, [{"id": "c"}, {"id": "a"}])):
        fake_api.add_fault("canned", status=200, body=json.dumps(listing(items, page=page, per_page=2, total_pages=2)))
    error = api_error(lambda: list(_paging.iter_pages(make_client(fake_api), LIST_PATH, per_page=2)))
    assert (error.method, error.status) == ("GET", 200)
    assert str(error) == "GET %s?page=2&per_page=2 failed: HTTP 200: page 2 repeats objects of an earlier page" % LIST_PATH


def test_an_unusable_item_is_named_by_its_place(fake_api):
    canned(fake_api, listing([{"id": "a"}, {"id": "b"}], per_page=2))
    error = api_error(lambda: list(_paging.iter_pages(make_client(fake_api), LIST_PATH, per_page=2,
                                                      item_problem=lambda item: "no" if item["id"] == "b" else None)))
    assert (error.method, str(error)) == ("GET", "GET %s?page=1&per_page=2 failed: HTTP 200: item 2 of page 1: no"
                                          % LIST_PATH)


def test_a_listing_that_never_ends_stops_at_the_page_limit(big_api, monkeypatch):
    monkeypatch.setattr(_paging, "MAX_PAGES", 3)
    big_api.add_fault("small_pages", times=-1)  # 100 users a page and no total_pages: 25 pages, beyond the limit
    error = api_error(lambda: list(_paging.iter_pages(make_client(big_api), LIST_PATH, per_page=100)))
    assert (error.method, str(error)) == ("GET", "GET %s failed: more than 3 pages; stopped" % LIST_PATH)
    assert sorted(int(r["query"]["page"]) for r in big_api.api_requests()) == [1, 2, 3]


# --- 4. every wait is bounded by the options that promise it --------------------------------------------------

def test_timeout_bounds_a_body_dripped_byte_by_byte(fake_api):
    fake_api.add_fault("drip", delay=0.1, times=-1)
    started = time.monotonic()
    error = api_error(make_client(fake_api, timeout=1).get, USER_PATH)
    assert time.monotonic() - started < 2.5
    assert re.match(r"GET %s failed: HTTP 200: the answer of %s did not arrive within the timeout of 1(\.0)? seconds "
                    r"\(set timeout to wait longer\) %s; not tried again" % (USER_PATH, re.escape(fake_api.api_url), CF_RAY),
                    str(error))


def test_timeout_bounds_headers_dripped_byte_by_byte(fake_api):
    fake_api.add_fault("drip_headers", delay=0.1, times=-1)
    started = time.monotonic()
    error = api_error(make_client(fake_api, timeout=1).get, USER_PATH)
    assert time.monotonic() - started < 2.5
    assert str(error).startswith("GET %s failed: no response from %s within 1 seconds (set timeout to wait longer); "
                                 "not tried again" % (USER_PATH, fake_api.api_url))


def test_a_timed_out_read_is_tried_again_within_the_deadline_of_each_try(fake_api):
    fake_api.add_fault("drip_headers", delay=0.1, times=1)
    client = make_client(fake_api, timeout=1, retries=1, retry_timeout=5)
    client.backoff_first = 0.01
    assert client.get(USER_PATH)["id"] == USER_ID
    assert "no response from %s within 1 seconds" % fake_api.api_url in client.retry_log[0]


def test_retry_timeout_counts_the_waits_not_the_time_requests_take(fake_api, monkeypatch):
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


# --- 5. a strange answer is one clean line or data made safe --------------------------------------------------

@pytest.mark.parametrize("body, message", [
    (listing(["jdoe@example.com"], per_page=1000), "item 1 of page 1: a user is a string, not an object"),
    (listing([dict(fake.EXAMPLE_USER, id=["x"])], per_page=1000), "item 1 of page 1: a user's id is a list, not an identifier"),
    (listing([dict(fake.EXAMPLE_USER, id={"a": 1})], per_page=1000), "a user's id is an object, not an identifier"),
    (listing([dict(fake.EXAMPLE_USER, id="..")], per_page=1000), "a user's id is '..', not an identifier"),
    (dict(listing([fake.EXAMPLE_USER]), result_info="page 1 of 3"), "result_info is a string, not an object"),
    ('{"success": true, "result": [], "x": ' + "[" * 100000 + "]" * 100000 + "}", "response nests JSON deeper than 64 levels"),
    ('{"success": true, "result": [], "x": ' + "[" * 100 + "]" * 100 + "}", "response nests JSON deeper than 64 levels"),
    ('{"success": true, "result": [], "result_info": {"total_count": NaN}}', "response is not valid JSON: it contains NaN"),
    ('{"success": true, "result": [], "result_info": {"total_count": 1e999}}', "it contains a number too large for JSON"),
    ('{"success": true, "result": [], "result_info": {"total_count": -Infinity}}', "it contains -Infinity"),
])
def test_strange_listings_fail_in_one_line_naming_the_request(fake_api, body, message):
    canned(fake_api, body)
    error = api_error(_access_users.list_users, make_client(fake_api), fake.ACCOUNT_ID)
    assert str(error).startswith("GET %s?page=1&per_page=1000 failed: HTTP 200: " % LIST_PATH)
    assert message in str(error)


def test_strange_users_fail_in_one_line_naming_the_request(fake_api):
    canned(fake_api, {"success": True, "errors": [], "result": dict(fake.EXAMPLE_USER, id=[1])})
    error = api_error(_access_users.get_user, make_client(fake_api), fake.ACCOUNT_ID, USER_ID)
    assert str(error) == "GET %s failed: HTTP 200: the API answered success, but a user's id is a list, not an identifier" % USER_PATH


def test_lone_surrogates_and_invalid_utf8_are_made_safe(fake_api):
    body = ('{"success": true, "errors": [], "result": {"id": "%s", "name": "Jane \\ud800 Doe", "\\udfff": 1}}' % USER_ID)
    canned(fake_api, body)
    user = make_client(fake_api).get(USER_PATH)
    assert user == {"id": USER_ID, "name": "Jane \ufffd Doe", "\ufffd": 1}
    json.dumps(user, ensure_ascii=False).encode("utf-8")  # what the controller reads: no crash
    fake_api.clear()  # below: a lone surrogate sent as raw bytes (ED B3 BF), which is not UTF-8
    canned(fake_api, '{"success": true, "result": {"id": "%s", "name": "\udcff"}}' % USER_ID)
    assert set(make_client(fake_api).get(USER_PATH)["name"]) == {"\ufffd"}


def test_a_body_cut_short_keeps_the_status_and_cf_ray(fake_api):
    fake_api.add_fault("cut_short", status=200, times=-1)
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert re.match(r"GET %s failed: HTTP 200: the connection to .* broke while reading the response: .* %s; not tried again"
                    % (USER_PATH, CF_RAY), str(error))
    assert error.status == 200 and error.cf_ray


def test_a_cloudflare_message_with_newlines_is_one_line_and_kept_whole_in_errors(fake_api):
    errors = [{"code": 10000, "message": "Authentication error\nline two\r\n\tline three"}]
    canned(fake_api, {"success": False, "errors": errors, "result": None}, status=403)
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert str(error).startswith("GET %s failed: HTTP 403: [10000] Authentication error line two line three (cf-ray " % USER_PATH)
    assert error.to_result()["errors"] == errors


def test_a_huge_cloudflare_message_is_shortened_in_msg_only(fake_api):
    errors = [{"code": 1, "message": "x" * 5000}]
    canned(fake_api, {"success": False, "errors": errors, "result": None}, status=400)
    error = api_error(make_client(fake_api).get, USER_PATH)
    assert len(str(error)) < 500 and error.errors == errors


# --- 6. the request budget ---------------------------------------------------------------------------------

def test_include_that_would_exceed_the_budget_fails_before_its_first_request(big_api):
    client = make_client(big_api)
    users = _access_users.list_users(client, fake.ACCOUNT_ID)
    with pytest.raises(_errors.CloudflareBudgetError) as info:
        _access_users.add_related(client, fake.ACCOUNT_ID, users, ["active_sessions", "failed_logins"])
    assert str(info.value).startswith("include for 2500 users takes 5000 more API requests (3 sent so far), more than "
                                      "request_budget allows (500); narrow the selection or raise request_budget")
    assert len(big_api.api_requests()) == 3


def test_the_transport_never_sends_past_the_budget(fake_api):
    client = make_client(fake_api, request_budget=2)
    client.get(USER_PATH)
    client.get(USER_PATH)
    with pytest.raises(_errors.CloudflareBudgetError, match="not sent: the task has sent its request_budget of 2"):
        client.get(USER_PATH)
    assert len(fake_api.api_requests()) == 2


def test_retries_count_against_the_budget(fake_api):
    fake_api.add_fault("status", status=503, retry_after="0", times=-1)
    with pytest.raises(_errors.CloudflareBudgetError):
        make_client(fake_api, request_budget=3, retries=10, retry_timeout=5).get(USER_PATH)
    assert len(fake_api.api_requests()) == 3


def test_duplicate_include_items_are_fetched_once(fake_api):
    users = [dict(fake.EXAMPLE_USER)]
    _access_users.add_related(make_client(fake_api), fake.ACCOUNT_ID, users, ["last_seen_identity"] * 3)
    assert [request["path"].rsplit("/", 1)[-1] for request in fake_api.api_requests()] == ["last_seen_identity"]
