# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source's feeds (_event_feeds.py): its options, what is new in a page, the watermark, the state file,
the pacing and the waits after failures; the feeds against the local API, through the collection's client."""

from __future__ import annotations

import datetime
import json
import os
import stat

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareInputError,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.plugin_utils import _event_feeds as feeds
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

JDOE = seeded.EXAMPLE_USER
UTC = datetime.timezone.utc


@pytest.fixture
def params(fake_api, no_cloudflare_environment):
    """The source's options for the local API, as source_params makes them."""
    return feeds.source_params(dict(api_url=fake_api.api_url, api_token=local_api.API_TOKEN, account_id=local_api.ACCOUNT_ID,
                                    feeds=list(feeds.FEEDS), product_category=[]))


def at(seconds):
    return datetime.datetime(2026, 12, 7, 3, 0, tzinfo=UTC) + datetime.timedelta(seconds=seconds)


def record(ray, seconds, allowed=False, app_uid="app-1"):
    return {"ray_id": ray, "created_at": at(seconds).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "allowed": allowed,
            "app_uid": app_uid, "app_domain": "app.example.com", "user_email": JDOE["email"], "user_id": JDOE["id"]}


def deliver(feed, client):
    """Every event of one poll, each page committed as the source does once its events are on the queue."""
    events = []
    for page in feed.pages(client):
        events += page.events
        page.commit()
    return events


# --- options --------------------------------------------------------------------------------------------------------
def test_options_come_from_the_modules_environment_variables_and_defaults(fake_api, monkeypatch, no_cloudflare_environment):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", local_api.API_TOKEN)
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", local_api.ACCOUNT_ID)
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", fake_api.api_url)
    params = feeds.source_params({"delay": "5", "api_token": ""})  # "" as a rulebook template gives for "not set"
    assert params["api_token"] == local_api.API_TOKEN and params["api_url"] == fake_api.api_url
    assert params["delay"] == 5.0 and params["feeds"] == ["risk"] and params["risk_levels"] == ["high"]
    assert params["max_requests"] == 300 and params["denied_only"] is True and "request_budget" not in params


@pytest.mark.parametrize("args, message", [
    ({"feeds": ["risk", "gateway"]}, "feeds must name one or more of risk, access_requests, audit"),
    ({"feeds": []}, "feeds must name one or more"),
    ({"risk_levels": ["critical"]}, "risk_levels must name one or more of low, medium, high"),
    ({"delay": 0}, "delay must be from 0.1"),
    ({"max_requests": 5000}, "max_requests must be from 1 to 1200"),
    ({"dely": 5}, "dely"),
    ({"account_id": "not an account"}, "account_id must be a Cloudflare account identifier"),
])
def test_bad_options_fail_in_one_line_before_any_request(fake_api, no_cloudflare_environment, args, message):
    base = dict(api_url=fake_api.api_url, api_token=local_api.API_TOKEN, account_id=local_api.ACCOUNT_ID)
    with pytest.raises(CloudflareInputError, match=message) as failure:
        feeds.source_params(dict(base, **args))
    assert "\n" not in str(failure.value)
    assert fake_api.api_requests() == []


# --- what is new --------------------------------------------------------------------------------------------------------
def test_a_page_delivers_each_record_once_and_the_watermark_keeps_the_overlap(params):
    feed = feeds.AccessRequestsFeed(dict(params, overlap=10), feeds.Watermark(at(0)))
    first = feed.page([record("a", 1), record("b", 2)])
    first.commit()
    again = feed.page([record("a", 1), record("b", 2), record("c", 3), record("late", 2.5)])
    assert [event["record"]["ray_id"] for event in first.events] == ["a", "b"]
    assert [event["record"]["ray_id"] for event in again.events] == ["c", "late"]
    again.commit()
    assert feed.watermark.time == at(3)
    feed.page([record("d", 30)]).commit()
    assert sorted(feed.watermark.seen) == [feeds.AccessRequestsFeed.key_of(record("d", 30))]  # older than 10 s: forgotten


def test_a_page_whose_events_were_not_delivered_changes_nothing(params):
    feed = feeds.AccessRequestsFeed(params, feeds.Watermark(at(0)))
    feed.page([record("a", 1)])  # its events never reached the queue: no commit
    assert [event["record"]["ray_id"] for event in feed.page([record("a", 1)]).events] == ["a"]
    assert feed.watermark.time == at(0)


def test_records_before_the_first_start_are_not_events(params):
    feed = feeds.AccessRequestsFeed(params, feeds.Watermark(at(10)))
    assert [event["record"]["ray_id"] for event in feed.page([record("old", 5), record("new", 10)]).events] == ["new"]


@pytest.mark.parametrize("options, expected", [
    ({}, ["denied"]),
    ({"denied_only": False}, ["allowed", "denied", "unknown"]),
    ({"denied_only": False, "apps": ["APP-2"]}, ["denied"]),
])
def test_access_requests_are_filtered_by_denial_and_application(params, options, expected):
    unknown = dict(record("unknown", 3), allowed="no")  # not a boolean: not taken for a denial
    feed = feeds.AccessRequestsFeed(dict(params, **options), feeds.Watermark(at(0)))
    page = feed.page([record("allowed", 1, allowed=True), record("denied", 2, app_uid="app-2"), unknown])
    assert [event["record"]["ray_id"] for event in page.events] == expected


def test_an_event_has_the_same_keys_for_every_feed_and_no_secret(params, fake_api, make_client):
    make_client(fake_api)  # as each poll does: the client registers the secrets it sends
    risk = feeds.RiskFeed(params, {})
    risk_event = risk.page([{"user_id": JDOE["id"], "email": JDOE["email"], "max_risk_level": "high",
                             "event_count": 1, "last_event": "2026-12-07T03:00:00Z"}]).events[0]
    access_event = feeds.AccessRequestsFeed(params, feeds.Watermark(at(0))).page([record("a", 1)]).events[0]
    leaked = dict(record("b", 1), note="token %s" % local_api.API_TOKEN)
    masked = feeds.AccessRequestsFeed(params, feeds.Watermark(at(0))).page([leaked]).events[0]
    for event in (risk_event, access_event):
        assert set(event) >= {"type", "feed", "account_id", "user", "occurred_at", "record"}
        assert event["user"] == {"id": JDOE["id"], "email": JDOE["email"]}
    assert risk_event["type"] == "risk_level_raised" and risk_event["risk"] == {"level": "high", "previous_level": None}
    assert access_event["type"] == "access_request" and access_event["occurred_at"] == record("a", 1)["created_at"]
    assert local_api.API_TOKEN not in json.dumps(masked)


@pytest.mark.parametrize("before, after, event", [
    (None, "high", True), ("low", "high", True), ("medium", "high", True), ("high", "high", False),
    ("high", "medium", False), ("critical", "high", False), ("low", "critical", False)])
def test_a_risk_event_is_a_level_rising_into_the_levels_asked_for(params, before, after, event):
    levels = {} if before is None else {JDOE["id"]: before}
    feed = feeds.RiskFeed(dict(params, risk_levels=["medium", "high"]), levels)
    page = feed.page([{"user_id": JDOE["id"], "email": JDOE["email"], "max_risk_level": after}])
    assert bool(page.events) is event


def test_the_first_risk_poll_without_a_state_takes_the_levels_as_they_are(params):
    feed = feeds.RiskFeed(params)
    first = feed.page([{"user_id": JDOE["id"], "email": JDOE["email"], "max_risk_level": "high"}])
    assert first.events == []
    first.commit()
    reset = feed.page([])  # the score was reset: the user is left out of the summary
    reset.commit()
    again = feed.page([{"user_id": JDOE["id"], "email": JDOE["email"], "max_risk_level": "high"}])
    assert [event["risk"]["previous_level"] for event in again.events] == [None]


# --- the feeds against the local API -----------------------------------------------------------------------------------
def test_each_log_feed_reads_from_the_watermark_less_the_overlap_to_now_oldest_first(params, fake_api, make_client):
    client = make_client(fake_api)
    fake_api.add_access_requests(email=JDOE["email"], age=300)  # before the watermark less the overlap
    made = fake_api.add_access_requests(email=JDOE["email"], count=2, age=30)
    audit = fake_api.add_audit_logs(email=JDOE["email"], count=2, age=30)
    watermark = datetime.datetime.now(UTC) - datetime.timedelta(seconds=60)
    access = feeds.AccessRequestsFeed(params, feeds.Watermark(watermark - datetime.timedelta(seconds=600)))
    access.watermark.time = watermark
    assert [event["record"] for event in deliver(access, client)] == made
    audit_feed = feeds.AuditFeed(params, feeds.Watermark(watermark, floor=watermark - datetime.timedelta(seconds=600)))
    assert [event["record"] for event in deliver(audit_feed, client)] == audit
    sent = [request["query"] for request in fake_api.api_requests()]
    assert sent[0]["direction"] == "asc" and sent[0]["limit"] == sent[0]["per_page"] == "1000"
    assert sent[1]["direction"] == "asc" and sent[1]["limit"] == "1000" and "per_page" not in sent[1]
    assert deliver(access, client) == [] and deliver(audit_feed, client) == []  # the overlap read again, nothing new


def test_a_log_feed_reads_past_a_full_page_and_repeated_records_are_delivered_once(params, fake_api, make_client):
    fake_api.add_fault("duplicate_records", times=-1)
    made = fake_api.add_access_requests(email=JDOE["email"], count=2500)
    feed = feeds.AccessRequestsFeed(params, feeds.Watermark(feeds.parse_time(made[0]["created_at"])))
    events = deliver(feed, make_client(fake_api))
    assert [event["record"]["ray_id"] for event in events] == [record_["ray_id"] for record_ in made]
    assert [request["query"]["page"] for request in fake_api.api_requests()] == ["1", "2", "3"]


def test_a_failed_page_keeps_the_pages_before_it_and_the_next_poll_goes_on_from_there(params, fake_api, make_client):
    made = fake_api.add_access_requests(email=JDOE["email"], count=1500)
    fake_api.add_fault("status", status=503, after=1, path="/access_requests")
    feed = feeds.AccessRequestsFeed(params, feeds.Watermark(feeds.parse_time(made[0]["created_at"])))
    delivered = []
    with pytest.raises(CloudflareAPIError, match="HTTP 503"):
        for page in feed.pages(make_client(fake_api)):
            delivered += page.events
            page.commit()
    assert len(delivered) == 1000 and feed.watermark.time == feeds.parse_time(made[999]["created_at"])
    delivered += deliver(feed, make_client(fake_api))
    assert [event["record"]["ray_id"] for event in delivered] == [record_["ray_id"] for record_ in made]


def test_the_risk_feed_reads_the_summary_and_a_403_names_the_permission(params, fake_api, make_client):
    feed = feeds.RiskFeed(params, {})
    assert deliver(feed, make_client(fake_api)) == []  # the seeded users are low and medium, not high
    fake_api.raise_risk(email=JDOE["email"], risk_level="high")
    assert [event["user"]["id"] for event in deliver(feed, make_client(fake_api))] == [JDOE["id"]]
    with pytest.raises(CloudflareAPIError) as refused:
        deliver(feed, make_client(fake_api, api_token=local_api.NO_ACCESS_TOKEN))
    assert feeds.is_refused(refused.value) and "Zero Trust: PII Read" in str(refused.value)


# --- state, pacing, waits ---------------------------------------------------------------------------------------------
def test_the_state_file_keeps_every_feed_and_a_restart_reads_it_back(params, tmp_path):
    path = str(tmp_path / "state.json")
    params = dict(params, state_file=path)
    made = feeds.make_feeds(params, {})
    made[0].levels = {JDOE["id"]: "high"}
    made[1].page([record("a", 1)]).commit()
    feeds.write_state(path, feeds.state_of(params, made))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = feeds.make_feeds(params, feeds.read_state(params))
    assert again[0].levels == {JDOE["id"]: "high"}
    assert again[1].watermark.time == made[1].watermark.time and again[1].watermark.seen == made[1].watermark.seen
    assert again[2].watermark.time == made[2].watermark.time
    assert [path_.name for path_ in tmp_path.iterdir()] == ["state.json"]  # no temporary file left


@pytest.mark.parametrize("content, message", [
    ("{not json", "cannot be used"),
    (json.dumps({"version": 1, "account_id": "0" * 32, "feeds": {}}), "holds the state of account '000"),
    (json.dumps({"version": 1, "account_id": local_api.ACCOUNT_ID, "feeds": {"audit": {"time": "soon"}}}),
     "a watermark time is not a time"),
])
def test_a_state_file_that_cannot_be_used_fails_in_one_line(params, tmp_path, content, message):
    path = tmp_path / "state.json"
    path.write_text(content)
    with pytest.raises(CloudflareInputError, match=message) as failure:
        feeds.read_state(dict(params, state_file=str(path)))
    assert "\n" not in str(failure.value)


def test_the_pacer_keeps_within_its_share_of_the_window():
    now = [0.0]
    pacer = feeds.Pacer(3, window=300, clock=lambda: now[0])
    pacer.record(2)
    assert pacer.wait() == 0
    now[0] = 100.0
    pacer.record(1)
    assert pacer.wait() == 200.0  # the first two leave the window at 300 s
    now[0] = 300.0
    assert pacer.wait() == 0


def test_a_failed_poll_waits_longer_each_time_and_as_long_as_a_429_asks():
    error = CloudflareAPIError("GET", "/x", "Too Many Requests", status=500)
    assert [feeds.failure_wait(error, failures, 5) for failures in (1, 2, 3, 10)] == [5, 10, 20, 300]
    limited = CloudflareAPIError("GET", "/x", "Too Many Requests", status=429, retry_after=120.0)
    assert feeds.failure_wait(limited, 1, 5) == 120.0
