# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_seat's inactive_days selector, against the local Cloudflare-like API.

What the seat reclamation rests on: the cutoff is a time, the same in every time zone; times with an offset
compare as times; a nonsense number of days is refused before any request; and 25,000 seat holders are freed
within Cloudflare's quota. (The record of what a run freed: test_seat_records.py.)
"""

from __future__ import annotations

import copy
import csv
import datetime
import time
import uuid

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_seat
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import token_args_for
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api.server import LocalAPI

FREE_BOTH = dict(access_seat=False, gateway_seat=False)
UTC = datetime.timezone.utc


def ago(days=0, hours=0, offset_hours=0):
    """An API time ``days`` and ``hours`` before now, written with a UTC offset of ``offset_hours``."""
    zone = datetime.timezone(datetime.timedelta(hours=offset_hours))
    return (datetime.datetime.now(UTC) - datetime.timedelta(days=days, hours=hours)).astimezone(zone).isoformat()


def account_user(number, login, created=None, access_seat=True, gateway_seat=True):
    return {"id": str(uuid.UUID(int=number + 1, version=4)), "access_seat": access_seat, "active_device_count": 1,
            "created_at": created or "2020-01-01T00:00:00Z", "email": "user%d@example.com" % number,
            "gateway_seat": gateway_seat, "last_successful_login": login, "name": "User %d" % number,
            "seat_uid": str(uuid.UUID(int=10 ** 9 + number, version=4)), "uid": str(uuid.UUID(int=2 * 10 ** 9 + number, version=4)),
            "updated_at": "2020-01-01T00:00:00Z"}


# Around the cutoff of 90 days, with offsets that make text comparison wrong, both ways.
EDGE_USERS = [
    account_user(0, ago(days=90, hours=2, offset_hours=-12)),  # inactive; as text, a later day
    account_user(1, ago(days=89, hours=22, offset_hours=14)),  # active; as text, an earlier day
    account_user(2, ago(days=90, hours=2, offset_hours=14)),  # inactive
    account_user(3, ago(days=89, hours=22, offset_hours=-12)),  # active
    account_user(4, None, created=ago(days=91, offset_hours=-5)),  # never logged in, created long ago: inactive
    account_user(5, None, created=ago(days=3)),  # never logged in, created lately: active
    account_user(6, ago(days=400), access_seat=False, gateway_seat=False),  # inactive, but holds no seat
    account_user(7, ago(days=1)),
]
EDGE_INACTIVE = ["user0@example.com", "user2@example.com", "user4@example.com"]


@pytest.fixture
def edge_api(fake_api):
    fake_api.accounts[local_api.ACCOUNT_ID] = copy.deepcopy(EDGE_USERS)
    return fake_api


@pytest.fixture
def edge_args(edge_api):
    return token_args_for(edge_api)


def emails(users):
    return [user["email"] for user in users]


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_frees_the_seat_holders_inactive_for_more_than_the_days(run_module, edge_args, edge_api):
    result = run_module(cf_access_seat, dict(edge_args, inactive_days=90, **FREE_BOTH))
    assert result["changed"] is True
    assert emails(result["users"]) == EDGE_INACTIVE
    assert result["missing"] == []
    assert [(user["access_seat"], user["gateway_seat"]) for user in edge_api.accounts[local_api.ACCOUNT_ID]] == [
        (False, False), (True, True), (False, False), (True, True), (False, False), (True, True), (False, False),
        (True, True)]
    assert [request["method"] for request in edge_api.api_requests()] == ["GET", "PATCH"]
    inactivity = result["inactivity"]
    assert inactivity["users"] == 8 and inactivity["inactive"] == 3 and inactivity["days"] == 90
    assert inactivity["seats_before"] == dict(access_seat=7, gateway_seat=7)
    assert inactivity["seats_after"] == dict(access_seat=4, gateway_seat=4)
    assert inactivity["outcomes"] == dict(would_free=0, freed=3, still_held=0, unknown=0, refused=0, not_sent=0)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Los_Angeles", "Pacific/Pago_Pago", "Asia/Kathmandu"])
def test_the_same_users_are_picked_in_every_time_zone(run_module, edge_args, edge_api, monkeypatch, zone):
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        result = run_module(cf_access_seat, dict(edge_args, inactive_days=90, **FREE_BOTH), check_mode=True)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert emails(result["users"]) == EDGE_INACTIVE
    cutoff = datetime.datetime.strptime(result["inactivity"]["cutoff"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    expected = datetime.datetime.now(UTC) - datetime.timedelta(days=90)
    assert abs((cutoff - expected).total_seconds()) < 60  # a local-time reading would be hours off


@pytest.mark.parametrize("days", [0, -1, 36501, 500000, 10 ** 15])
def test_nonsense_inactive_days_are_refused_before_any_request(run_module, edge_args, edge_api, days):
    result = run_module(cf_access_seat, dict(edge_args, inactive_days=days, **FREE_BOTH))
    assert result["failed"] is True
    assert result["msg"] == "inactive_days must be a whole number of days from 1 to 36500 (100 years), got %r" % days
    assert edge_api.api_requests() == []


@pytest.mark.parametrize("days", ["90.5", "1e9", "ninety", [90]])
def test_inactive_days_that_are_not_whole_numbers_are_refused_before_any_request(run_module, edge_args, edge_api, days):
    result = run_module(cf_access_seat, dict(edge_args, inactive_days=days, **FREE_BOTH))
    assert result["failed"] is True and "inactive_days" in result["msg"]
    assert edge_api.api_requests() == []


def test_the_largest_inactive_days_picks_only_users_older_than_a_century(run_module, edge_args, edge_api):
    before = datetime.datetime.now(UTC).replace(microsecond=0)
    result = run_module(cf_access_seat, dict(edge_args, inactive_days=36500, **FREE_BOTH))
    after = datetime.datetime.now(UTC)
    assert result["changed"] is False and result["users"] == []
    # A century before the run, on the clock the module read: computed from the same clock, so it holds on any day.
    cutoff = datetime.datetime.strptime(result["inactivity"]["cutoff"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    century = datetime.timedelta(days=36500)
    assert before - century <= cutoff <= after - century


def test_inactive_days_is_one_selector_among_the_others(run_module, edge_args, edge_api):
    result = run_module(cf_access_seat, dict(edge_args, inactive_days=90, email="user0@example.com", **FREE_BOTH))
    assert result["failed"] is True
    assert "mutually exclusive" in result["msg"] and "inactive_days" in result["msg"]
    assert edge_api.api_requests() == []


def test_only_the_holders_of_the_seat_freed_are_picked(run_module, edge_args, edge_api):
    edge_api.accounts[local_api.ACCOUNT_ID][0]["gateway_seat"] = False
    result = run_module(cf_access_seat, dict(edge_args, inactive_days=90, gateway_seat=False))
    assert emails(result["users"]) == EDGE_INACTIVE[1:]
    assert edge_api.seat_patches[-1] == [dict(seat_uid=EDGE_USERS[n]["seat_uid"], access_seat=True, gateway_seat=False)
                                         for n in (2, 4)]


def test_a_seat_holder_with_an_unreadable_time_stops_the_task_before_any_patch(run_module, edge_args, edge_api):
    edge_api.accounts[local_api.ACCOUNT_ID][7]["last_successful_login"] = "07/01/2026"
    result = run_module(cf_access_seat, dict(edge_args, inactive_days=90, **FREE_BOTH))
    assert result["failed"] is True
    assert result["msg"] == ("cannot tell when 1 seat holder was last active (the API's answer): 'user7@example.com' "
                             "has last_successful_login '07/01/2026', which is not a time; no seat was freed")
    assert [request["method"] for request in edge_api.api_requests()] == ["GET"]


# --- 25,000 inactive seat holders, within Cloudflare's quota of 1,200 requests per 5 minutes ---------------------
@pytest.fixture(scope="module")
def crowded_server():
    with LocalAPI(users=0) as server:
        yield server


@pytest.fixture
def crowded_api(crowded_server):
    """26,000 users, 25,000 of them seat holders who last logged in 200 days ago."""
    crowded_server.clear()
    crowded_server.accounts[local_api.ACCOUNT_ID] = [
        account_user(number, ago(days=200) if number < 25000 else ago(days=1)) for number in range(26000)]
    return crowded_server


@pytest.mark.timeout(120)
def test_25000_inactive_seat_holders_are_freed_within_the_request_budget(run_module, crowded_api):
    args = token_args_for(crowded_api, inactive_days=90, batch_size=1000, **FREE_BOTH)
    result = run_module(cf_access_seat, args)
    assert result["inactivity"]["inactive"] == 25000
    assert result["inactivity"]["outcomes"]["freed"] == 25000
    methods = [request["method"] for request in crowded_api.api_requests()]
    assert (methods.count("GET"), methods.count("PATCH")) == (26, 25)  # 51 requests, within the default budget of 500
    assert sum(1 for user in crowded_api.accounts[local_api.ACCOUNT_ID] if user["access_seat"] or user["gateway_seat"]) == 1000


@pytest.mark.timeout(120)
def test_25000_holders_in_small_batches_fail_before_any_patch_and_say_how_to_fit(run_module, crowded_api):
    args = token_args_for(crowded_api, inactive_days=90, **FREE_BOTH)
    result = run_module(cf_access_seat, args)
    assert result["failed"] is True
    assert result["msg"].startswith("freeing 25000 seats in batches of 50 (batch_size, up to 1000) takes 500 more API "
                                    "requests (26 sent so far), more than request_budget allows (500)")
    assert [request["method"] for request in crowded_api.api_requests()] == ["GET"] * 26
