# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_pacing.py: a client never sends more than its share of Cloudflare's rate limit in any window, waits for the next
window instead (within pacing_timeout), follows what the API's Ratelimit headers say, and knows before the first
write how long a batch of requests will wait. The rules on a clock of the test's; the client against the local API
with a window of a few seconds."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _pacing
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareBudgetError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._pacing import Pacer, duration, progress_to
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api.server import LocalAPI

USERS = "/accounts/%s/access/users" % local_api.ACCOUNT_ID


class Clock:
    """time.monotonic and time.sleep for a pacer: sleeping moves the clock on, nothing waits."""

    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return Clock()


def pacer(clock, timeout=900.0, policies=None):
    return Pacer(timeout, policies, clock=clock, sleep=clock.sleep)


def send(paced, clock, count, spacing=0.0):
    """Admit ``count`` requests, ``spacing`` seconds apart; the times they went."""
    times = []
    for _request in range(count):
        paced.admit("GET /x")
        times.append(clock.now)
        clock.now += spacing
    return times


def most_in_any_window(times, window):
    return max(sum(1 for other in times if moment <= other < moment + window) for moment in times)


# --- the share of a window -----------------------------------------------------------------------------------------

def test_without_the_apis_word_a_client_sends_a_safe_share_then_waits_for_the_next_window(clock):
    paced = pacer(clock)
    times = send(paced, clock, 2500, spacing=0.01)
    assert most_in_any_window(times, 300) == 1000  # 200 of each window left to the dashboard and other tools
    assert len(clock.slept) == 2 and paced.waited == pytest.approx(sum(clock.slept))
    assert times[-1] - times[0] == pytest.approx(600 + 499 * 0.01, abs=0.5)


def test_once_the_api_says_what_is_left_the_share_is_all_but_the_headroom(clock):
    paced = pacer(clock)
    paced.observe({"Ratelimit": '"default";r=1199;t=300', "Ratelimit-Policy": '"default";q=1200;w=300'})
    times = send(paced, clock, 1181)
    assert most_in_any_window(times, 300) == 1180 and clock.slept == [300]


def test_an_answer_saying_little_is_left_holds_every_request_until_the_window_resets(clock):
    paced = pacer(clock)
    paced.observe({"Ratelimit": '"default";r=15;t=42'})  # others used the window: the dashboard counts
    send(paced, clock, 1)
    assert clock.slept == [42]
    paced.observe({"Ratelimit": '"default";r=900;t=200'})
    send(paced, clock, 3)
    assert clock.slept == [42]


def test_the_quota_and_window_the_api_announces_replace_the_documented_ones(clock):
    paced = pacer(clock)
    paced.observe({"Ratelimit-Policy": '"default";q=60;w=10, "burst";q=10;w=1', "Ratelimit": '"default";r=59;t=10'})
    assert paced.policies == [(60, 10.0), (10, 1.0)]
    times = send(paced, clock, 120)
    assert most_in_any_window(times, 10) <= 54 and most_in_any_window(times, 1) <= 9


@pytest.mark.parametrize("headers", [
    {"Ratelimit-Policy": '"default";q=0;w=300'},
    {"Ratelimit-Policy": '"default";q=1200;w=-5'},
    {"Ratelimit-Policy": '"default";q=12.5;w=300'},
    {"Ratelimit-Policy": "garbage"},
    {"Ratelimit": '"default";r=nan;t=30'},
    {"Ratelimit": '"default";r=1;t=99999999'},
    {"Ratelimit-Policy": "x" * 2000},
])
def test_headers_that_cannot_be_read_are_ignored(clock, headers):
    paced = pacer(clock)
    paced.observe(headers)
    assert paced.policies == [(1200, 300.0)] and paced.told is False
    send(paced, clock, 5)
    assert clock.slept == []


# --- the estimate and the bound -------------------------------------------------------------------------------------

def test_the_estimate_is_what_the_requests_then_wait(clock):
    paced = pacer(clock)
    send(paced, clock, 400)
    estimate = paced.estimate(1700)
    assert estimate == pytest.approx(600)  # 600 now, 1,000 in the next window, 100 in the one after
    start = clock.now
    send(paced, clock, 1700)
    assert clock.now - start == pytest.approx(estimate)
    assert paced.estimate(0) == 0


def test_a_wait_beyond_pacing_timeout_fails_before_the_request(clock):
    paced = pacer(clock, timeout=100)
    send(paced, clock, 1000)
    with pytest.raises(CloudflareBudgetError) as info:
        paced.admit("GET /accounts/x/access/users")
    assert str(info.value) == (
        "GET /accounts/x/access/users not sent: Cloudflare's rate limit leaves nothing more for 5 min, and the task "
        "has waited 0 s of its pacing_timeout of 1 min 40 s; raise pacing_timeout, or narrow the selection")
    assert clock.slept == []


def test_a_plan_that_paces_says_so_in_the_modules_log(clock):
    logged = []
    with progress_to(logged.append) as notes:
        paced = pacer(clock)
        paced.plan(2100, "cutting off 2000 users", paced.estimate(2100))
        send(paced, clock, 1001)
    assert logged[0] == ("cutting off 2000 users takes 2100 more API requests, more than Cloudflare's rate limit "
                         "(1,200 requests per 5 min; this task's share 1,000) allows in one window: paced over about 3 "
                         "windows, about 10 min of waiting")
    assert logged[1].startswith("paced: 1000 requests sent in the last 5 min, as much as Cloudflare's rate limit")
    assert notes.waited == pytest.approx(300) and "waited 5 min in all for Cloudflare's rate limit: the task's requests" in notes.warning()
    assert paced.record() == {"waited": 300.0, "waits": [logged[1]], "plans": [logged[0]]}


def test_nothing_is_said_outside_a_modules_work(clock):
    paced = pacer(clock)
    paced.plan(2100, "work", paced.estimate(2100))
    with progress_to() as notes:
        pass
    assert notes.lines == [] and notes.warning() is None


@pytest.mark.parametrize("seconds, text", [(0.4, "0 s"), (59, "59 s"), (60, "1 min"), (302, "5 min 2 s"),
                                           (3600, "1 h"), (7500, "2 h 5 min")])
def test_durations_read_as_a_person_says_them(seconds, text):
    assert duration(seconds) == text


# --- the client against the local API, with a window of a few seconds ----------------------------------------------

@pytest.fixture(scope="module")
def small_window():
    with LocalAPI(users=3, rate_limit=20, rate_window=1) as server:
        yield server


def test_a_client_keeps_within_the_local_apis_window_and_is_never_refused(make_client, small_window):
    small_window.reset()
    client = make_client(small_window, request_budget=100)
    for _request in range(50):
        client.get(USERS, expect=list)
    assert client.pacer.policies == [(20, 1.0)] and client.pacer.told is True
    assert len(client.pacer.waits) >= 2 and client.retry_log == []
    assert [request["method"] for request in small_window.api_requests()] == ["GET"] * 50


def test_reserve_refuses_before_any_request_work_that_would_wait_beyond_pacing_timeout(make_client, fake_api):
    client = make_client(fake_api, pacing_timeout=250, request_budget=5000)
    client.reserve(1000, "a thousand reads")
    with pytest.raises(CloudflareBudgetError) as info:
        client.reserve(1001, "reading 1001 users")
    assert str(info.value) == (
        "reading 1001 users takes 1001 more API requests, about 5 min of waiting for Cloudflare's rate limit (1,200 "
        "requests per 5 min; this task's share 1,000), more than the 4 min 10 s left of pacing_timeout (4 min 10 s); "
        "raise pacing_timeout to at least 300, or narrow the selection")
    assert fake_api.api_requests() == []


def test_the_advised_pacing_timeout_is_whole_seconds_whatever_the_monotonic_clock_reads(make_client, fake_api, clock):
    # At 212.714285... s, (now + 300) - now is 300.00000000000006: the advice once said "at least 301" at such moments.
    clock.now = 212.71428571428572
    client = make_client(fake_api, pacing_timeout=250, request_budget=5000)
    client.pacer = pacer(clock, timeout=250)
    with pytest.raises(CloudflareBudgetError) as info:
        client.reserve(1001, "reading 1001 users")
    assert str(info.value).endswith("raise pacing_timeout to at least 300, or narrow the selection")
    assert fake_api.api_requests() == []


def test_the_documented_limit_is_cloudflares(monkeypatch):
    assert (_pacing.RATE_LIMIT, _pacing.RATE_WINDOW) == (1200, 300.0)
    assert Pacer().share(1200) == 1000
