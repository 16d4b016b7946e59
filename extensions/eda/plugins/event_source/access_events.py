# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ansible-rulebook event source: Cloudflare Zero Trust risk scores, Access authentication logs and audit logs."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from typing import Any

DOCUMENTATION = r"""
---
short_description: Events from Cloudflare Zero Trust, for containing risky users
description:
  - An ansible-rulebook event source that polls Cloudflare's API and puts an event on the queue for each user whose
    Zero Trust risk level rises, each Access login (denied ones only, by default) and each audit log record.
  - "Each event is a dict with the same keys for every feed: C(type) (C(risk_level_raised), C(access_request) or
    C(audit_log)), C(feed), C(account_id), C(user) (C(id) and C(email); C(id) may be null where the record does not
    name it), C(occurred_at) (the record's time), C(record) (the API's record as it came) and, for risk events,
    C(risk) (C(level) and C(previous_level), null when the user had no risk events). It never holds a credential."
  - Logs are read oldest first from a watermark, the time of the newest record delivered, asking again for the last
    O(overlap) seconds so that a record that reaches the API late is still found; the records delivered within the
    overlap are remembered, so none is delivered twice. The watermark moves after each page whose events are on the
    queue, never past a page that failed. With O(state_file), a restart goes on from where the source stopped.
  - Risk scores are state, not a log. The first poll without a saved state takes the levels as they are; from then on
    a user whose C(max_risk_level) rises into O(risk_levels) is an event. A reset score (for example with
    M(cloudflare_community.zero_trust.cf_access_risk_reset)) that rises again is a new event.
  - Uses the collection's client, options and environment variables, as the modules do. The collection must be
    installed where ansible-rulebook runs, with ansible-core and the Python library C(requests) in its Python (a
    decision environment has them).
  - Keeps within O(max_requests) requests in any 5 minutes, its share of Cloudflare's limit of 1,200 (all API use of
    the user is blocked for 5 minutes past it), so that the playbooks it triggers have the rest. A failed poll of a feed
    is tried again after O(delay) doubled for each failure in a row (at most 5 minutes, or as long as a HTTP 429 asks).
    A HTTP 401 or 403 stops the source with one line that names the permission the feed needs.
options:
  feeds:
    description:
      - The feeds to poll. V(risk) (user risk scores, C(GET .../zt_risk_scoring/summary)), V(access_requests)
        (Access authentication logs, C(GET .../access/logs/access_requests)), V(audit) (audit logs v2,
        C(GET .../logs/audit)).
      - "API token permissions: V(risk) C(Zero Trust: PII Read), V(access_requests) C(Access: Audit Logs Read),
        V(audit) C(Account Settings Read)."
    type: list
    elements: str
    choices: [risk, access_requests, audit]
    default: [risk]
  delay:
    description:
      - Seconds between two polls of a feed (from 0.1). Each poll of a feed with nothing new is one request.
    type: float
    default: 30
  risk_levels:
    description:
      - The risk levels whose reaching is an event (V(risk) feed).
    type: list
    elements: str
    choices: [low, medium, high]
    default: [high]
  denied_only:
    description:
      - Only denied logins are events (V(access_requests) feed). A record whose C(allowed) is missing or not a
        boolean is not taken for a denial.
    type: bool
    default: true
  apps:
    description:
      - Only logins to these Access applications are events (V(access_requests) feed), named by C(app_uid) or
        C(app_domain) (exact, case-insensitive). Empty for every application.
    type: list
    elements: str
    default: []
  product_category:
    description:
      - Only audit log records of these product categories (V(audit) feed), as Cloudflare's C(product_category)
        filter takes them. Empty for every product.
    type: list
    elements: str
    default: [zerotrust]
  overlap:
    description:
      - Seconds before the watermark that each poll of a log asks for again, to find records that reach the API late.
        A record later than this is missed: Cloudflare does not document how late records can be.
    type: float
    default: 60
  state_file:
    description:
      - A file where the source keeps its watermarks and the risk levels it saw last, written after each page, so that a
        restart neither repeats nor skips events. Without it, each start begins at that moment.
      - One state file per account and source. It holds record keys and times, no credential.
    type: path
  max_requests:
    description:
      - The most requests the source sends in any 5 minutes, all feeds and retries together (1 to 1,200).
    type: int
    default: 300
  account_id:
    description:
      - The Cloudflare account identifier (required). Read from E(CLOUDFLARE_ACCOUNT_ID) when not set.
    type: str
  api_token:
    description:
      - A Cloudflare API token. Read from E(CLOUDFLARE_API_TOKEN) (or E(CLOUDFLARE_TOKEN)) when not set.
      - Exactly one of O(api_token) and the pair O(api_email) with O(api_key) is required.
    type: str
  api_email:
    description:
      - The email of the user of a legacy global API key, with O(api_key). Read from E(CLOUDFLARE_EMAIL) when not set.
    type: str
  api_key:
    description:
      - A legacy global API key, with O(api_email). Read from E(CLOUDFLARE_API_KEY) when not set.
    type: str
  api_url:
    description:
      - The base URL of Cloudflare's API. Read from E(CLOUDFLARE_BASE_URL) when not set. Plain http only to a
        loopback address.
    type: str
    default: https://api.cloudflare.com/client/v4
  timeout:
    description:
      - Seconds for each request, end to end.
    type: float
    default: 30
  validate_certs:
    description:
      - Whether to check the API's TLS certificate.
    type: bool
    default: true
  use_proxy:
    description:
      - Whether to use the https proxy of the environment (E(HTTPS_PROXY), E(NO_PROXY)).
    type: bool
    default: true
  retries:
    description:
      - How many times one request is sent again after a transient failure (HTTP 429, 5xx, a lost connection),
        before the poll fails.
    type: int
    default: 3
  retry_timeout:
    description:
      - The most seconds one poll waits between tries.
    type: float
    default: 60
"""

EXAMPLES = r"""
- name: Contain risky users
  hosts: localhost
  sources:
    - cloudflare_community.zero_trust.access_events:
        feeds: [risk, access_requests]
        risk_levels: [high]
        delay: 30
        state_file: /var/lib/eda/cloudflare_access_events.json
  rules:
    - name: Risk became high
      condition: event.type == "risk_level_raised"
      action:
        run_playbook:
          name: cloudflare_community.zero_trust.contain_user
          extra_vars:
            dry_run: true
"""

LOGGER = logging.getLogger("cloudflare_community.zero_trust.access_events")


def _collection_imports():
    """The collection's feed code. ansible-rulebook runs this file alone (runpy.run_path), from the collection's
    installed tree: the directory that holds its ``ansible_collections`` goes first on sys.path, so that the feed
    code comes from the same copy of the collection as this file."""
    here = os.path.abspath(__file__)
    parts = here.split(os.sep)
    if len(parts) > 8 and parts[-8] == "ansible_collections":
        root = os.sep.join(parts[:-8]) or os.sep
        if root not in sys.path:
            sys.path.insert(0, root)
    try:
        from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _client, _errors, _options
        from ansible_collections.cloudflare_community.zero_trust.plugins.plugin_utils import _event_feeds
    except ImportError as exc:
        raise ImportError("the access_events source needs ansible-core in ansible-rulebook's Python and the collection "
                          "installed in full: %s" % exc) from None
    if not _client.HAS_REQUESTS:
        raise ImportError("the access_events source needs the Python library requests in ansible-rulebook's Python")
    return _event_feeds, _errors, _options


class _Feed:
    """A feed with when it is due next and how many polls of it failed in a row."""

    def __init__(self, feed):
        self.feed, self.due, self.failures = feed, 0.0, 0


async def main(queue: asyncio.Queue, args: dict[str, Any]) -> None:
    """Poll the feeds for ever; put their events on ``queue``."""
    feeds_code, errors, options = _collection_imports()
    params = feeds_code.source_params(args)
    feeds = feeds_code.make_feeds(params, feeds_code.read_state(params))
    pacer = feeds_code.Pacer(params["max_requests"])
    scheduled = [_Feed(feed) for feed in feeds]
    LOGGER.info("polling %s of account %s every %g s", ", ".join(params["feeds"]), params["account_id"], params["delay"])
    while True:
        for each in scheduled:
            if time.monotonic() < each.due:
                continue
            try:
                await _poll(each.feed, params, feeds, pacer, queue, feeds_code, options)
            except errors.CloudflareError as exc:
                if feeds_code.is_refused(exc):
                    raise exc.with_traceback(None) from None  # one line: ansible-rulebook logs it and stops
                each.failures += 1
                wait = feeds_code.failure_wait(exc, each.failures, params["delay"])
                LOGGER.warning("%s feed: %s; polling it again in %.0f s (failure %d in a row)", each.feed.name, exc, wait,
                               each.failures)
                each.due = time.monotonic() + wait
            else:
                each.failures = 0
                each.due = time.monotonic() + params["delay"]
        await asyncio.sleep(max(0.0, min(each.due for each in scheduled) - time.monotonic()))


async def _poll(feed, params, feeds, pacer, queue, feeds_code, options):
    """One poll of ``feed``: each page's request in a thread, paced; its events on the queue, then its commit."""
    client = options.client_from_params(dict(params, request_budget=params["max_requests"]))
    pages = feed.pages(client)
    try:
        while True:
            await asyncio.sleep(pacer.wait())
            sent = client.requests_sent
            try:
                page = await asyncio.to_thread(next, pages, None)
            finally:
                pacer.record(client.requests_sent - sent)
            if page is None:
                return
            for event in page.events:
                await queue.put(event)
            page.commit()
            if params["state_file"]:
                feeds_code.write_state(params["state_file"], feeds_code.state_of(params, feeds))
    finally:
        try:
            pages.close()
        except ValueError:
            pass  # cancelled while its thread still runs the request: that thread ends it
        client.session.close()


if __name__ == "__main__":
    # Run alone, with the collection's environment variables (CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID), to
    # print the events of the risk and access_requests feeds.

    class MockQueue(asyncio.Queue):
        async def put(self, item):
            print(item)  # noqa: T201

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(MockQueue(), {"feeds": ["risk", "access_requests"], "delay": 10}))
