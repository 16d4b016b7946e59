# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source access_events, loaded as ansible-rulebook loads it (runpy, the file alone) and run with a queue
against the local API: every feed, each record once across pages, faults and restarts, pacing, a refused token."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareInputError,
)
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[".."] * 6, "extensions", "eda", "plugins",
                      "event_source", "access_events.py")
JDOE = seeded.EXAMPLE_USER
ADA = "ada.diffie8@example.com"


class ListQueue:
    """ansible-rulebook's queue, as a list."""

    def __init__(self):
        self.events = []

    async def put(self, event):
        self.events.append(event)


@pytest.fixture
def source():
    """The source's main(), from the file alone, as ansible-rulebook runs it with runpy.run_path: the file's code
    in a namespace of its own with ``__file__`` set. (runpy itself would hand the path to ansible-test's collection
    path hook, which claims every file under ansible_collections/.)"""
    path = os.path.normpath(SOURCE)
    with open(path) as handle:
        code = compile(handle.read(), path, "exec")
    namespace = {"__name__": "<run_path>", "__file__": path}
    exec(code, namespace)  # pylint: disable=exec-used
    return namespace["main"]


@pytest.fixture
def args(fake_api, no_cloudflare_environment):
    return dict(api_url=fake_api.api_url, api_token=local_api.API_TOKEN, account_id=local_api.ACCOUNT_ID, delay=0.2,
                feeds=["risk", "access_requests", "audit"], product_category=[], retries=0)


def run(source, args, until, steps=(), deadline=15.0):
    """Run the source until ``until(events)`` holds after ``steps`` (callables run once the source has polled);
    return its events. Fails when ``deadline`` passes first."""
    queue = ListQueue()

    async def drive():
        task = asyncio.ensure_future(source(queue, args))
        try:
            await asyncio.sleep(0.5)  # the first poll of every feed: the risk levels as they are
            for step in steps:
                step()
                await asyncio.sleep(0.3)
            started = time.monotonic()
            while not until(queue.events):
                assert not task.done(), "the source ended: %r" % (task.exception(),)
                assert time.monotonic() - started < deadline, "not within %s s: %s events" % (deadline, len(queue.events))
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.6)  # a few more polls: nothing must come twice
        finally:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        return queue.events

    return asyncio.run(drive())


def of_type(events, kind):
    return [event for event in events if event["type"] == kind]


def keys(events):
    return [event["record"].get("ray_id") or event["record"].get("id") for event in events]


def test_every_feed_puts_each_new_record_on_the_queue_once(source, args, fake_api):
    made = {}
    steps = [lambda: made.update(risk=fake_api.raise_risk(email=JDOE["email"], risk_level="high")),
             lambda: made.update(access=fake_api.add_access_requests(email=ADA, count=3)),
             lambda: made.update(allowed=fake_api.add_access_requests(email=ADA, allowed=True)),
             lambda: made.update(audit=fake_api.add_audit_logs(email=ADA, count=2))]
    events = run(source, args, lambda events: len(events) >= 6, steps)
    assert [(event["user"]["email"], event["risk"]) for event in of_type(events, "risk_level_raised")] == [
        (JDOE["email"], {"level": "high", "previous_level": "low"})]
    assert keys(of_type(events, "access_request")) == keys([{"record": record} for record in made["access"]])
    assert keys(of_type(events, "audit_log")) == keys([{"record": record} for record in made["audit"]])
    assert len(events) == 6  # nothing twice, the allowed login not at all


def test_a_restart_with_the_state_file_neither_repeats_nor_skips(source, args, fake_api, tmp_path):
    args = dict(args, state_file=str(tmp_path / "state.json"))
    first = run(source, args, lambda events: len(events) >= 2,
                [lambda: fake_api.add_access_requests(email=ADA, count=2)])
    fake_api.add_access_requests(email=ADA, count=3)  # while the source is stopped
    fake_api.raise_risk(email=JDOE["email"], risk_level="high")
    second = run(source, args, lambda events: len(events) >= 4)
    assert len(first) == 2 and len(second) == 4
    assert set(keys(first)).isdisjoint(keys(second))
    assert [event["user"]["email"] for event in of_type(second, "risk_level_raised")] == [JDOE["email"]]


def test_without_a_state_file_a_start_begins_at_that_moment(source, args, fake_api):
    fake_api.add_access_requests(email=ADA, count=2)
    fake_api.raise_risk(email=JDOE["email"], risk_level="high")
    assert run(source, args, lambda events: True) == []


def test_duplicate_and_late_records_429_and_5xx_lose_nothing_and_repeat_nothing(source, args, fake_api):
    fake_api.add_fault("duplicate_records", times=-1)
    fake_api.add_fault("late_records", times=-1, lag=0.7)
    made = []

    def burst(count, age=0.0):
        def step():
            made.extend(fake_api.add_access_requests(email=ADA, count=count, age=age))
        return step

    def fault(kind, **options):
        return lambda: fake_api.add_fault(kind, path="/access_requests", **options)

    # A burst with an age lands behind records already read (late), yet after the source's start.
    steps = [burst(1200), fault("status", status=429, retry_after="0.5"), burst(800, age=0.4),
             fault("status", status=502, times=2), burst(1100), fault("status", status=500), burst(5, age=0.5)]
    events = run(source, dict(args, feeds=["access_requests"]), lambda events: len(events) >= len(made), steps,
                 deadline=30)
    assert sorted(keys(events)) == sorted(record["ray_id"] for record in made)
    assert len(events) == len(made) == 3105


def test_a_failing_feed_is_tried_again_later_while_the_others_go_on(source, args, fake_api):
    fake_api.add_fault("status", status=503, times=-1, path="/logs/audit")
    events = run(source, args, lambda events: len(events) >= 1,
                 [lambda: fake_api.add_access_requests(email=ADA)])
    audit_polls = [request for request in fake_api.api_requests() if request["path"].endswith("/logs/audit")]
    risk_polls = [request for request in fake_api.api_requests() if request["path"].endswith("/summary")]
    assert keys(events) and len(risk_polls) > len(audit_polls) + 2  # 0.2, 0.4, 0.8 s... between audit polls


def test_a_refused_token_stops_the_source_with_one_line_naming_the_permission(source, args):
    with pytest.raises(CloudflareAPIError) as refused:
        asyncio.run(source(ListQueue(), dict(args, api_token=local_api.NO_ACCESS_TOKEN)))
    message = str(refused.value)
    assert "\n" not in message and "HTTP 403" in message and "the permission 'Zero Trust: PII Read'" in message
    assert local_api.NO_ACCESS_TOKEN not in message


def test_bad_options_stop_the_source_before_any_request(source, args, fake_api):
    with pytest.raises(CloudflareInputError, match="feeds must name"):
        asyncio.run(source(ListQueue(), dict(args, feeds=["gateway"])))
    assert fake_api.api_requests() == []


def test_the_source_keeps_within_max_requests(source, args, fake_api):
    started = time.monotonic()
    run(source, dict(args, max_requests=4, delay=0.1), lambda events: time.monotonic() - started > 1.5)
    assert len(fake_api.api_requests()) == 4  # three feeds polled once, the risk feed once more; then it waits
