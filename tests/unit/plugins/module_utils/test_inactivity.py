# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_inactivity.py: API times read as times, the inactive_days bounds, and who counts as inactive."""

from __future__ import annotations

import datetime
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _inactivity
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareError, CloudflareInputError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._inactivity import (
    UTC,
    cutoff_for,
    inactive_seat_holders,
    iso_utc,
    last_active,
    parse_time,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import MAX_INACTIVE_DAYS

NOW = datetime.datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC)


def utc(*fields):
    return datetime.datetime(*fields, tzinfo=UTC)


def holder(name, login=None, created="2020-01-01T00:00:00Z", **seats):
    seats = seats or dict(access_seat=True, gateway_seat=True)
    return dict(dict(access_seat=False, gateway_seat=False), email=name + "@example.com", id=name,
                last_successful_login=login, created_at=created, **seats)


@pytest.mark.parametrize("text, instant", [
    ("2026-07-01T05:20:00Z", utc(2026, 7, 1, 5, 20)),
    ("2014-01-01T05:20:00.12345Z", utc(2014, 1, 1, 5, 20, 0, 123450)),
    ("2026-06-30T17:20:00-12:00", utc(2026, 7, 1, 5, 20)),
    ("2026-07-01T19:20:00+14:00", utc(2026, 7, 1, 5, 20)),
    ("2026-07-01T10:50:00+0530", utc(2026, 7, 1, 5, 20)),
    ("2026-07-01t05:20:00.999999999z", utc(2026, 7, 1, 5, 20, 0, 999999)),
    ("2026-07-01 05:20", utc(2026, 7, 1, 5, 20)),
    ("2026-07-01T05:20:00", utc(2026, 7, 1, 5, 20)),  # no offset: UTC, as Cloudflare writes its times
    ("2016-12-31T23:59:60Z", utc(2016, 12, 31, 23, 59, 59)),  # a leap second
])
def test_an_api_time_is_read_as_the_instant_it_names(text, instant):
    assert parse_time(text) == instant
    assert parse_time(text).utcoffset() == datetime.timedelta(0)


@pytest.mark.parametrize("value", [
    None, "", "never", "2026-07-01", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-07-01T24:00:00Z",
    "2026-07-01T05:20:00+24:00", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
    "２０２６-07-01T05:20:00Z", "2026-07-01T05:20:00Z trailing", 1782883200, 1.5, True, ["2026-07-01T05:20:00Z"],
])
def test_what_is_not_an_api_time_is_no_time(value):
    assert parse_time(value) is None


def test_an_offset_time_compares_as_a_time_not_as_text():
    # As text, "2026-06-01T00:00:00-12:00" sorts before "2026-06-01T11:00:00Z"; as times it is an hour later.
    late_by_text_early_in_fact = holder("a", login="2026-06-01T00:00:00-12:00")
    early = holder("b", login="2026-06-01T11:00:00Z")
    _cutoff, inactive = inactive_seat_holders([late_by_text_early_in_fact, early], 1,
                                              now=utc(2026, 6, 2, 11, 30))
    assert inactive == [early]


@given(st.datetimes(min_value=datetime.datetime(1900, 1, 2), max_value=datetime.datetime(9998, 12, 30)),
       st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59))
def test_any_instant_written_with_any_offset_reads_back_the_same(naive, offset_minutes):
    instant = naive.replace(tzinfo=UTC)
    zone = datetime.timezone(datetime.timedelta(minutes=offset_minutes))
    assert parse_time(instant.astimezone(zone).isoformat()) == instant


def test_the_largest_inactive_days_gives_a_real_date_in_the_past():
    # The playbook's old text cutoff wrapped around for huge values and picked everybody.
    assert cutoff_for(MAX_INACTIVE_DAYS, NOW) == NOW - datetime.timedelta(days=36500)
    assert cutoff_for(MAX_INACTIVE_DAYS, NOW).year == 1926


def test_a_huge_inactive_days_picks_nobody_instead_of_everybody():
    users = [holder("yesterday", login="2026-12-02T12:00:00Z"), holder("old", login="2001-01-01T00:00:00Z")]
    assert inactive_seat_holders(users, 36500, now=NOW)[1] == []
    with pytest.raises(CloudflareInputError):
        inactive_seat_holders(users, 500000, now=NOW)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Los_Angeles", "Pacific/Pago_Pago", "Asia/Kolkata", "UTC"])
def test_now_and_the_cutoff_do_not_depend_on_the_time_zone(monkeypatch, zone):
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        before = datetime.datetime.now(datetime.timezone.utc)
        cutoff = cutoff_for(90)
        after = datetime.datetime.now(datetime.timezone.utc)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert before - datetime.timedelta(days=90) <= cutoff <= after - datetime.timedelta(days=90)


def test_the_days_are_more_than_n_days_ago_to_the_second():
    users = [holder("exactly", login="2026-09-04T12:00:00Z"), holder("a_second_more", login="2026-09-04T11:59:59Z")]
    cutoff, inactive = inactive_seat_holders(users, 90, now=NOW)
    assert iso_utc(cutoff) == "2026-09-04T12:00:00Z"
    assert [user["id"] for user in inactive] == ["a_second_more"]


def test_a_user_who_never_logged_in_is_judged_by_creation():
    users = [holder("new", created="2026-12-01T00:00:00Z"), holder("old", created="2025-01-01T00:00:00+01:00"),
             holder("empty_login", login="", created="2025-01-01T00:00:00Z")]
    assert [user["id"] for user in inactive_seat_holders(users, 30, now=NOW)[1]] == ["old", "empty_login"]
    assert last_active(users[0]) == (utc(2026, 12, 1), "created_at")


def test_only_holders_of_the_seats_asked_for_are_picked():
    users = [holder("access", login="2020-01-01T00:00:00Z", access_seat=True),
             holder("gateway", login="2020-01-01T00:00:00Z", gateway_seat=True),
             holder("none", login="2020-01-01T00:00:00Z", access_seat=False),
             holder("truthy", login="2020-01-01T00:00:00Z", access_seat="yes", gateway_seat=1)]
    assert [user["id"] for user in inactive_seat_holders(users, 30, ("gateway_seat",), now=NOW)[1]] == ["gateway"]
    assert [user["id"] for user in inactive_seat_holders(users, 30, now=NOW)[1]] == ["access", "gateway"]


@pytest.mark.parametrize("login, created, field", [
    ("last week", "2020-01-01T00:00:00Z", "last_successful_login"),  # not replaced by the creation time
    (None, None, "created_at"),
    (None, 1577836800, "created_at"),
])
def test_a_seat_holder_without_a_readable_time_fails_the_whole_pick(login, created, field):
    users = [holder("fine", login="2020-01-01T00:00:00Z"), holder("odd\nname", login=login, created=created)]
    with pytest.raises(CloudflareError, match=r"^cannot tell when 1 seat holder was last active .*'odd\\nname@example.com' "
                                              r"has %s .*, which is not a time; no seat was freed$" % field):
        inactive_seat_holders(users, 30, now=NOW)


def test_an_unreadable_time_of_a_user_without_a_seat_does_not_matter():
    users = [holder("seatless", login="garbage", access_seat=False), holder("old", login="2020-01-01T00:00:00Z")]
    assert [user["id"] for user in inactive_seat_holders(users, 30, now=NOW)[1]] == ["old"]


def test_now_is_utc(monkeypatch):
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        assert _inactivity.utc_now().utcoffset() == datetime.timedelta(0)
    finally:
        monkeypatch.undo()
        time.tzset()
