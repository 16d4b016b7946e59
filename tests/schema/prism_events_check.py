# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every kind of request of the event source access_events, through a Prism proxy that serves Cloudflare's events
excerpt in front of the local API (scripts/check schema): the risk summary, the authentication logs' first and next
pages, the audit logs' first page and the page after a cursor, with product_category.

    python tests/schema/prism_events_check.py --api-url PRISM_PROXY_URL --control-url LOCAL_API_CONTROL_URL

It appends 1,001 records to each log feed (two pages of 1,000), runs the source (loaded as ansible-rulebook loads
it) until it has put every record and a raised risk on its queue, and fails when one is missing or came twice.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import runpy
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, "extensions", "eda", "plugins", "event_source", "access_events.py")
ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353"
TOKEN = "fake-cf-token-0123456789abcdefghijklmnopqr"  # the local API's, not a secret
RECORDS = 1001
DEADLINE = 120


def control(url, path, body):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())["made"]


class ListQueue:
    def __init__(self):
        self.events = []

    async def put(self, event):
        self.events.append(event)


async def run_source(args, control_url):
    queue = ListQueue()
    task = asyncio.ensure_future(runpy.run_path(SOURCE)["main"](queue, dict(
        args, account_id=ACCOUNT_ID, api_token=TOKEN, feeds=["risk", "access_requests", "audit"], delay=1,
        product_category=["zerotrust"], retries=0)))
    try:
        await asyncio.sleep(3)  # the first poll of each feed
        made = control(control_url, "/access_requests", {"email": "jdoe@example.com", "count": RECORDS})
        made += control(control_url, "/audit_logs", {"email": "jdoe@example.com", "count": RECORDS, "product": "access"})
        made += control(control_url, "/risk", {"email": "jdoe@example.com", "risk_level": "high"})
        started = time.monotonic()
        while len(queue.events) < len(made) and time.monotonic() - started < DEADLINE:
            assert not task.done(), "the source ended: %r" % (task.exception(),)
            await asyncio.sleep(0.5)
        await asyncio.sleep(2)  # one more poll of each feed: nothing may come twice
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
    return made, queue.events


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api-url", required=True, help="the Prism proxy's URL (it stands for .../client/v4)")
    parser.add_argument("--control-url", required=True, help="the local API's control URL (.../__fake__)")
    args = parser.parse_args(argv)
    made, events = asyncio.run(run_source({"api_url": args.api_url}, args.control_url))
    logs = [record for record in made if "ray_id" in record or "actor" in record]
    wanted = sorted(record.get("ray_id") or record["id"] for record in logs)
    got = sorted(event["record"].get("ray_id") or event["record"]["id"] for event in events if event["feed"] != "risk")
    risk = [event["user"]["email"] for event in events if event["feed"] == "risk"]
    ok = got == wanted and risk == ["jdoe@example.com"]
    print("access_events through Prism: %d events for %d log records (%d of each log) and 1 raised risk%s"
          % (len(events), len(logs), RECORDS, "" if ok else ": some missing or repeated"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
