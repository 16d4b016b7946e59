# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A pytest plugin that moves the wall clock for a whole test run: ``-p <this module> --clock 2028-02-29T23:59:30Z``.

The wall clock (``time.time``, ``datetime.now``, ``time.gmtime``) starts at the given moment and keeps ticking;
monotonic time is left alone, so timeouts, retry waits and deadlines keep their pace. time-machine does this in
Python (libfaketime cannot: it makes ``time.sleep(0)`` fail). The runner's ``units-clock`` check runs the unit tests
once per moment of :data:`MOMENTS`: every test must hold on any date.
"""

from __future__ import annotations

import datetime

import pytest

# A year ahead of any day the suite was written on, a leap day just before midnight, and the last seconds of a
# year rolling over into New Year's Day (cutoffs and age buckets cross a day, a month and a year while tests run).
MOMENTS = ("2028-12-07T12:00:00Z", "2028-02-29T23:59:30Z", "2027-12-31T23:59:50Z")

_TRAVEL = []


def pytest_addoption(parser):
    parser.addoption("--clock", metavar="MOMENT", help="start the wall clock at MOMENT (ISO 8601, e.g. 2028-02-29T23:59:30Z) "
                     "and let it tick; monotonic time is not moved")


def pytest_configure(config):
    moment = config.getoption("--clock")
    if not moment:
        return
    import time_machine  # only the clock check installs it

    start = datetime.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if start.tzinfo is None:
        raise pytest.UsageError("--clock %s: give the moment with its time zone (Z for UTC)" % moment)
    travel = time_machine.travel(start, tick=True)
    travel.start()
    _TRAVEL.append(travel)


def pytest_unconfigure(config):
    while _TRAVEL:
        _TRAVEL.pop().stop()


def pytest_report_header(config):
    moment = config.getoption("--clock")
    if moment:
        return "wall clock moved to %s (ticking; monotonic time unchanged): now %s" % (
            moment, datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"))
    return None
