# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which failures the client tries again, how long it waits, and when it gives up (local API, real sleeps)."""

from __future__ import annotations

import re
import socket
import time
from email.utils import format_datetime
from datetime import datetime, timezone

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _access_users, _client, _errors
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake

USER_PATH = "/accounts/%s/access/users/%s" % (fake.ACCOUNT_ID, fake.EXAMPLE_USER["id"])


def client(server, api_url=None, **options):
    settings = dict(retries=3, retry_timeout=10, timeout=5, backoff_first=0.02)
    settings.update(options)
    return _client.CloudflareClient(api_url or server.api_url, {"Authorization": "Bearer " + fake.API_TOKEN}, **settings)


def waits(retry_log):
    return [float(re.search(r"retried after ([0-9.]+) s", line).group(1)) for line in retry_log]


def test_429_with_retry_after_waits_as_asked_then_succeeds(fake_api):
    fake_api.add_fault("status", status=429, retry_after="0.3", times=2)
    cf = client(fake_api)
    started = time.monotonic()
    assert cf.get(USER_PATH) == fake.EXAMPLE_USER
    assert time.monotonic() - started >= 0.6
    assert len(fake_api.api_requests()) == 3
    assert cf.retry_log == ["GET %s: HTTP 429; retried after 0.3 s (Retry-After)" % USER_PATH] * 2
    assert 0.6 <= cf.waited() < 1.5


def test_429_without_retry_after_backs_off_exponentially_with_jitter(fake_api):
    fake_api.add_fault("status", status=429, times=3)
    cf = client(fake_api, backoff_first=0.1)
    assert cf.get(USER_PATH)["id"] == fake.EXAMPLE_USER["id"]
    first, second, third = waits(cf.retry_log)
    assert 0.05 <= first <= 0.1 and 0.1 <= second <= 0.2 and 0.2 <= third <= 0.4
    assert "(Retry-After)" not in " ".join(cf.retry_log)


def test_a_429_that_never_ends_fails_after_the_retries_and_says_what_to_set(fake_api):
    fake_api.add_fault("status", status=429, retry_after="0.1", times=-1)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        client(fake_api, retries=2).get(USER_PATH)
    message = str(info.value)
    assert message.startswith("GET %s failed: HTTP 429: [10429] Rate limited." % USER_PATH)
    assert re.search(r"; gave up after 2 retries and 0\.[2-9] s of waiting; rate limited: Cloudflare blocks for up to 5 minutes",
                     message)
    assert message.endswith("set retry_timeout (up to 300) and retries to wait it out, or run again later")
    assert len(fake_api.api_requests()) == 3


def test_a_wait_beyond_the_budget_fails_at_once(fake_api):
    fake_api.add_fault("status", status=429, retry_after="120", times=-1)
    started = time.monotonic()
    with pytest.raises(_errors.CloudflareAPIError) as info:
        client(fake_api, retry_timeout=5).get(USER_PATH)
    assert time.monotonic() - started < 2
    assert ("; gave up after 0.0 s of waiting: Cloudflare asked to wait 120.0 s (Retry-After), "
            "more than the 5.0 s left of retry_timeout; rate limited:") in str(info.value)
    assert len(fake_api.api_requests()) == 1


def test_the_budget_is_shared_by_all_requests_of_the_client(fake_api):
    fake_api.add_fault("status", status=503, retry_after="0.4", times=1)
    cf = client(fake_api, retry_timeout=0.6)
    cf.get(USER_PATH)  # waits 0.4 of 0.6
    fake_api.add_fault("status", status=503, retry_after="0.4", times=1)
    with pytest.raises(_errors.CloudflareAPIError, match=r"more than the 0\.[0-2] s left of retry_timeout"):
        cf.get(USER_PATH)


def test_parallel_retries_share_the_budget_as_wall_clock_time(fake_api):
    """Four related reads rate limited at once wait 0.5 s side by side, within a budget of 1 s."""
    users = [dict(user) for user in fake_api.accounts[fake.ACCOUNT_ID][:4]]
    fake_api.add_fault("status", status=429, retry_after="0.5", times=4, path="/last_seen_identity")
    cf = client(fake_api, retry_timeout=1)
    started = time.monotonic()
    _access_users.add_related(cf, fake.ACCOUNT_ID, users, ["last_seen_identity"])
    assert [user["last_seen_identity"]["email"] for user in users] == [user["email"] for user in users]
    assert len(cf.retry_log) == 4
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_of_reads_are_retried(fake_api, status):
    fake_api.add_fault("status", status=status, times=1)
    cf = client(fake_api)
    assert cf.get(USER_PATH) == fake.EXAMPLE_USER
    assert cf.retry_log[0].startswith("GET %s: HTTP %d; retried after" % (USER_PATH, status))


def test_502_html_page_from_the_edge_is_retried(fake_api):
    fake_api.add_fault("status", status=502, body="html", times=1)
    assert client(fake_api).get(USER_PATH) == fake.EXAMPLE_USER
    assert len(fake_api.api_requests()) == 2


def test_500_is_not_retried_for_a_write(fake_api):
    fake_api.add_fault("status", status=500, times=1)
    with pytest.raises(_errors.CloudflareAPIError, match="HTTP 500"):
        client(fake_api).request("POST", USER_PATH, body={"name": "x"})
    assert len(fake_api.api_requests()) == 1


def test_a_write_whose_connection_broke_is_not_sent_again(fake_api):
    fake_api.add_fault("reset", times=1)
    cf = client(fake_api)
    with pytest.raises(_errors.CloudflareAPIError, match="broke while reading the response"):
        cf.request("POST", USER_PATH, body={"name": "x"})
    assert len(fake_api.api_requests()) == 1 and cf.retry_log == []


def test_a_write_to_a_refused_connection_is_retried(fake_api):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cf = client(fake_api, api_url="http://127.0.0.1:%d/client/v4" % port, retries=1)
    with pytest.raises(_errors.CloudflareAPIError, match="Connection refused; gave up after 1 retry"):
        cf.request("POST", USER_PATH, body={"name": "x"})


def test_503_is_retried_for_a_write(fake_api):
    fake_api.add_fault("status", status=503, times=1)
    with pytest.raises(_errors.CloudflareAPIError, match="HTTP 405"):  # the fake serves reads only
        client(fake_api).request("POST", USER_PATH, body={"name": "x"})
    assert len(fake_api.api_requests()) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_never_retried(fake_api, status):
    fake_api.add_fault("status", status=status, retry_after="0", times=1)
    cf = client(fake_api)
    with pytest.raises(_errors.CloudflareAPIError):
        cf.get(USER_PATH)
    assert len(fake_api.api_requests()) == 1 and cf.retry_log == []


@pytest.mark.parametrize("kind", ["success_false", "result_null", "truncated_json", "not_json"])
def test_bad_answers_with_status_200_are_not_retried(fake_api, kind):
    fake_api.add_fault(kind, times=-1)
    with pytest.raises(_errors.CloudflareAPIError, match="HTTP 200"):
        client(fake_api).get(USER_PATH, expect=dict)
    assert len(fake_api.api_requests()) == 1


def test_a_connection_reset_mid_response_is_retried(fake_api):
    fake_api.add_fault("reset", times=1)
    cf = client(fake_api)
    assert cf.get(USER_PATH) == fake.EXAMPLE_USER
    assert "broke while reading the response" in cf.retry_log[0]


def test_a_read_timeout_is_retried_and_bounded(fake_api):
    fake_api.add_fault("hang", delay=3, times=1)
    cf = client(fake_api, timeout=0.3)
    started = time.monotonic()
    assert cf.get(USER_PATH) == fake.EXAMPLE_USER
    assert time.monotonic() - started < 2
    assert "no response from %s within 0.3 seconds" % fake_api.api_url in cf.retry_log[0]


def test_a_refused_connection_is_retried_then_reported(fake_api):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cf = client(fake_api, api_url="http://127.0.0.1:%d/client/v4" % port, retries=2)
    with pytest.raises(_errors.CloudflareAPIError) as info:
        cf.get(USER_PATH)
    assert len(cf.retry_log) == 2
    assert str(info.value).startswith("GET %s failed: could not connect to http://127.0.0.1:%d/client/v4: "
                                      "[Errno 111] Connection refused; gave up after 2 retries and " % (USER_PATH, port))


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
    assert _client.retry_after_seconds(header) == expected


def test_retry_after_as_an_http_date():
    now = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc).timestamp()
    later = format_datetime(datetime(2026, 11, 26, 12, 0, 42, tzinfo=timezone.utc), usegmt=True)
    assert later == "Thu, 26 Nov 2026 12:00:42 GMT"
    assert _client.retry_after_seconds(later, now=now) == 42.0
    assert _client.retry_after_seconds("Thu, 26 Nov 2026 11:00:00 GMT", now=now) == 0.0
