# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Event-driven containment: how fast, how many requests, and no duplicate or missed event under faults.

Three measurements on the local Cloudflare-like API (25 users):

* ``latency``: the real ansible-rulebook runs the shipped rulebook (contain_risky_users, dry_run false) from the
  installed tarball, with ``cloudflare_poll_delay`` --delay (default 5); the time from a user's risk becoming high
  (or a user's 5th denied login) appearing in the API to that user's tokens revoked and registrations deleted,
  for --trials users of each kind. The goal: at most delay + 15 s.
* ``requests``: the source polling every feed with nothing new for --idle seconds at --delay: requests per hour
  per feed.
* ``faults``: the source (run with a queue, as ansible-rulebook runs it) while --records authentication records
  are appended in bursts, some late (an older time than records already read), with the faults
  duplicate_records and late_records on throughout and HTTP 429, 502 and 500 switched on between bursts: every
  record must be delivered exactly once.

    scripts/benchmark eda [--delay 5] [--trials 3] [--idle 60] [--records 10000] [--only latency|requests|faults]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import runpy
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
sys.path.insert(0, os.path.join(ROOT, "tests", "eda"))
import local_api  # noqa: E402  pylint: disable=wrong-import-position
import rulebook_check  # noqa: E402  pylint: disable=wrong-import-position
from local_api.server import LocalAPI  # noqa: E402  pylint: disable=wrong-import-position

SOURCE_IN_COLLECTION = os.path.join("extensions", "eda", "plugins", "event_source", "access_events.py")
FEED_PATHS = {"risk": "/zt_risk_scoring/summary", "access_requests": "/access/logs/access_requests",
              "audit": "/logs/audit"}


# --- latency through ansible-rulebook ------------------------------------------------------------------------------
def latency(delay, trials):
    venv, java = rulebook_check.ensure_venv(), rulebook_check.java_home()
    workdir = tempfile.mkdtemp(prefix="cf-eda-benchmark.")
    try:
        collections = rulebook_check.install_collection(venv, workdir)
        with LocalAPI(users=25) as api:
            users = rulebook_check.with_sessions_and_devices(api, 2 * trials)
            log_path = os.path.join(workdir, "latency.log")
            variables = dict(dry_run=False, cloudflare_poll_delay=delay)
            risk, denied = [], []
            with rulebook_check.rulebook(venv, java, collections, api, workdir, "latency", variables) as process:
                rulebook_check.wait_for("the first polls", lambda: rulebook_check.polls_of_risk(api) >= 2, process, log_path)
                for number, user in enumerate(users):
                    time.sleep(delay * (number % 3) / 3)  # changes at different points of the poll cycle
                    if number % 2 == 0:
                        api.raise_risk(email=user["email"], risk_level="high")
                        kind = risk
                    else:
                        api.add_access_requests(email=user["email"], count=5, allowed=False)
                        kind = denied
                    seconds = rulebook_check.wait_for("%s cut off" % user["email"],
                                                      lambda user=user: rulebook_check.cut_off(api, user), process, log_path)
                    kind.append(seconds)
                    cause = "risk high" if kind is risk else "5 denied"
                    print("  %-32s %s: cut off after %.1f s" % (user["email"], cause, seconds), flush=True)
        return {"delay": delay, "risk_to_cut_s": summary(risk), "denied_to_cut_s": summary(denied),
                "goal_s": delay + 15, "met": max(risk + denied) <= delay + 15}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def summary(values):
    return {"median": round(statistics.median(values), 1), "max": round(max(values), 1), "n": len(values)}


# --- the source alone, with a queue --------------------------------------------------------------------------------
def installed_source():
    """The source file of the collection scripts/benchmark installed (ANSIBLE_COLLECTIONS_PATH), as ansible-rulebook
    finds it; this tree's own when it is itself under ansible_collections/."""
    for entry in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep) + [os.path.join(ROOT, "..", "..", "..")]:
        path = os.path.join(entry, "ansible_collections", "cloudflare_community", "zero_trust", SOURCE_IN_COLLECTION)
        if entry and os.path.exists(path):
            return os.path.normpath(path)
    raise SystemExit("the collection is not installed: run scripts/benchmark eda (it installs it first)")


class ListQueue:
    def __init__(self):
        self.events = []

    async def put(self, event):
        self.events.append(event)


async def run_source(api, args, work, seconds=None, until=None):
    """Run the source with ``args`` while ``work(api)`` (a coroutine function) runs, then until ``until(events)``
    or for ``seconds``; returns the events."""
    queue = ListQueue()
    task = asyncio.ensure_future(runpy.run_path(installed_source())["main"](queue, dict(
        args, api_url=api.api_url, api_token=local_api.API_TOKEN, account_id=local_api.ACCOUNT_ID)))
    try:
        await asyncio.sleep(1)
        await work(api)
        started = time.monotonic()
        while (until is None or not until(queue.events)) and (seconds is None or time.monotonic() - started < seconds):
            assert not task.done(), "the source ended: %r" % (task.exception(),)
            await asyncio.sleep(0.2)
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
    return queue.events


def requests_per_hour(delay, idle):
    async def nothing(api):
        api.clear()

    with LocalAPI(users=25) as api:
        asyncio.run(run_source(api, dict(feeds=list(FEED_PATHS), delay=delay, product_category=[]), nothing, seconds=idle))
        sent = api.api_requests()
    per_feed = {feed: sum(1 for request in sent if request["path"].endswith(path)) for feed, path in FEED_PATHS.items()}
    return {"delay": delay, "seconds": idle, "requests": per_feed,
            "per_hour": {feed: round(count * 3600 / idle) for feed, count in per_feed.items()},
            "per_5_minutes_all_feeds": round(sum(per_feed.values()) * 300 / idle)}


def faults(records):
    bursts = 20
    made = []

    async def append(api):
        api.add_fault("duplicate_records", times=-1)
        api.add_fault("late_records", times=-1, lag=1.5)
        switched = [dict(kind="status", status=429, retry_after="2"), dict(kind="status", status=502, times=2),
                    dict(kind="status", status=500), dict(kind="hang", delay=3)]
        for number in range(bursts):
            # Every third burst is late: its records are older than records the source has already read.
            made.extend(api.add_access_requests(email="ada.diffie8@example.com", count=records // bursts,
                                                age=1.0 if number % 3 == 2 else 0.0))
            if number % 4 == 1:
                fault = dict(switched[(number // 4) % len(switched)])
                api.add_fault(fault.pop("kind"), path="/access_requests", **fault)
            await asyncio.sleep(0.5)

    started = time.monotonic()
    with LocalAPI(users=25) as api:
        events = asyncio.run(run_source(api, dict(feeds=["access_requests"], delay=1, retries=1, retry_timeout=5,
                                                  timeout=2), append,
                                        seconds=120, until=lambda events: len(events) >= len(made) > 0))
        sent = len(api.api_requests())
    keys = [event["record"]["ray_id"] for event in events]
    wanted = {record["ray_id"] for record in made}
    return {"records": len(made), "events": len(events), "duplicates": len(keys) - len(set(keys)),
            "missed": len(wanted - set(keys)), "unexpected": len(set(keys) - wanted), "requests": sent,
            "seconds": round(time.monotonic() - started, 1)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--delay", type=float, default=5)
    parser.add_argument("--trials", type=int, default=3, help="users of each kind in the latency run")
    parser.add_argument("--idle", type=float, default=60, help="seconds of idle polling counted")
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--only", choices=["latency", "requests", "faults"])
    args = parser.parse_args(argv)
    results = {}
    if args.only in (None, "faults"):
        results["faults"] = faults(args.records)
        print("faults:", json.dumps(results["faults"]), flush=True)
    if args.only in (None, "requests"):
        results["requests"] = requests_per_hour(args.delay, args.idle)
        print("requests:", json.dumps(results["requests"]), flush=True)
    if args.only in (None, "latency"):
        results["latency"] = latency(args.delay, args.trials)
        print("latency:", json.dumps(results["latency"]), flush=True)
    ok = (results.get("faults", {}).get("duplicates", 0) == 0 and results.get("faults", {}).get("missed", 0) == 0
          and results.get("latency", {}).get("met", True))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
