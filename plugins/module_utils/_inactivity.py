# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""When a user was last active, and which seat holders have been inactive for more than N days.

Times are parsed into timezone-aware UTC datetimes and compared as times, never as text: the API's
``2026-07-01T05:20:00Z`` and ``2026-06-30T17:20:00-12:00`` are the same instant. "Now" is taken in UTC,
so the controller's time zone (``TZ``) changes nothing.
"""

from __future__ import annotations

import datetime
import re

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import SEATS, seat_value
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareError,
    short_repr,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import require_inactive_days

UTC = datetime.timezone.utc
# RFC 3339 / ISO 8601 date and time, as the API writes them; a fraction of any length; Z, +hh:mm or -hh:mm.
_TIME_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?\Z",
    re.ASCII)  # ASCII digits only: int() would read other scripts' digits too


def parse_time(value):
    """The aware UTC datetime ``value`` (an API timestamp) names, or None when it is not one.

    A time without an offset is taken as UTC, as Cloudflare writes its times. A leap second (``:60``)
    counts as the second before it. Nothing that is not a string parses (a number is not a time here).
    """
    if not isinstance(value, str):
        return None
    match = _TIME_RE.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zulu, sign, off_hours, off_minutes = match.groups()
    try:
        offset = datetime.timedelta(0)
        if sign:
            offset = datetime.timedelta(hours=int(off_hours), minutes=int(off_minutes))
            offset = -offset if sign == "-" else offset
        zone = datetime.timezone(offset)
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        local = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute),
                                  min(int(second or 0), 59), micro, tzinfo=zone)
        return local.astimezone(UTC)
    except (ValueError, OverflowError):  # a day 31 in June, hour 25, an offset of a day, year 1 minus an offset
        return None


def utc_now():
    """Now, as an aware UTC datetime (never the local time of the controller)."""
    return datetime.datetime.now(UTC)


def cutoff_for(days, now=None):
    """The instant before which a user counts as inactive for more than ``days`` days."""
    return (now or utc_now()) - datetime.timedelta(days=days)


def last_active(user):
    """``(when, field)``: when ``user`` was last active and the field that says so.

    That is their last successful login or, for a user who never logged in, when they were created.
    ``when`` is None when that field is not a readable time (a login that is present but unreadable
    is not replaced by the creation time: the user did log in, we cannot tell when).
    """
    field = "created_at" if never_logged_in(user) else "last_successful_login"
    return parse_time(user.get(field)), field


def never_logged_in(user):
    """Whether the API says ``user`` never logged in (no ``last_successful_login``: null or empty)."""
    return user.get("last_successful_login") in (None, "")


def holds_seat(user, seats=SEATS):
    """Whether ``user`` holds one of ``seats`` (a seat is held only when the API says ``true``: :func:`seat_value`)."""
    return any(seat_value(user, seat) is True for seat in seats)


def inactive_seat_holders(users, days, seats=SEATS, now=None):
    """``(cutoff, inactive)``: the users holding one of ``seats`` last active before ``days`` days ago.

    In the order of ``users``. A seat holder whose last activity is not a readable time fails the
    whole selection, naming them, rather than be freed or kept on a guess.
    """
    cutoff = cutoff_for(require_inactive_days("inactive_days", days), now)
    inactive, unreadable = [], []
    for user in users:
        if not holds_seat(user, seats):
            continue
        when, field = last_active(user)
        if when is None:
            unreadable.append((user, field))
        elif when < cutoff:
            inactive.append(user)
    if unreadable:
        user, field = unreadable[0]
        raise CloudflareError(
            "cannot tell when %d seat %s last active (the API's answer): %s has %s %s, which is not a time; "
            "no seat was freed" % (len(unreadable), "holder was" if len(unreadable) == 1 else "holders were",
                                   short_repr(_label(user)), field, short_repr(user.get(field))))
    return cutoff, inactive


def days_since(when, now):
    """Whole days from ``when`` to ``now`` (negative for a time in the future), or None for no time."""
    return None if when is None else (now - when).days


def iso_utc(when):
    """``2026-09-04T11:00:00Z``: an aware datetime as the API writes UTC times (to the second)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _label(user):
    return str(user.get("email") or user.get("id"))
