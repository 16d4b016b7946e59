# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""The threads of the collection: a call bounded by a deadline, and requests sent a few at a time.

Every parallel request goes through the client's one ``requests.Session`` (its connection pool is
thread-safe); at most MAX_PARALLEL_REQUESTS are in flight at once.
"""

from __future__ import annotations

import threading
import time

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareError

# Few enough parallel requests to stay polite to an API limited to 1,200 requests per 5 minutes.
MAX_PARALLEL_REQUESTS = 4
NOT_STARTED = "not started"  # in_parallel_until_failure's mark of an item left out after a failure


class DeadlinePassed(Exception):
    """The deadline passed before the work was done."""


def run_before(deadline, function, *args, **kwargs):
    """``function(*args, **kwargs)`` (a streamed request: it returns once the headers are in) before ``deadline``.

    requests' timeout bounds each socket read, so a server that drips its headers a byte at a time
    would never trip it. The call runs in a helper thread instead; past the deadline (time.monotonic())
    it is abandoned, raising DeadlinePassed, and its response, should one still come, closed.
    """
    outcome = {}
    lock = threading.Lock()

    def run():
        try:
            response = function(*args, **kwargs)
        except Exception as exc:  # pylint: disable=broad-exception-caught  # re-raised in the caller's thread
            outcome["error"] = exc
            return
        with lock:
            if outcome.get("abandoned"):
                response.close()
            else:
                outcome["response"] = response

    worker = threading.Thread(target=run, name="cloudflare-request", daemon=True)
    worker.start()
    worker.join(max(deadline - time.monotonic(), 0))
    with lock:
        if "response" not in outcome and "error" not in outcome:
            outcome["abandoned"] = True
            raise DeadlinePassed()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["response"]


def in_parallel(function, items):
    """``[function(item) for item in items]``, at most MAX_PARALLEL_REQUESTS at a time."""
    if len(items) <= 1:
        return [function(item) for item in items]
    with _thread_pool(len(items)) as pool:
        return list(pool.map(function, items))


def in_order_ahead(function, items):
    """Yield ``function(item)`` for each item in order, computed up to MAX_PARALLEL_REQUESTS at a time.

    Nothing starts before the first value is asked for; closing the generator (or an error) cancels
    what has not started yet and waits for what has.
    """
    pool = _thread_pool(len(items))
    try:
        futures = [pool.submit(function, item) for item in items]
        for future in futures:
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def in_parallel_until_failure(function, items, stops=None):
    """``function(item)`` for each item, at most MAX_PARALLEL_REQUESTS at a time, stopping at the first failure.

    Returns one ``(value, error)`` pair per item, in order: ``(value, None)`` when it ran, ``(None, error)``
    when it raised a CloudflareError, and ``(None, NOT_STARTED)`` for the items not started once one had
    failed. Items already running finish, so the caller knows exactly which writes were sent. With ``stops``
    (a predicate of the error), only a failure it holds true for stops the rest: the others are the item's own.
    """
    failed = threading.Event()

    def guarded(item):
        if failed.is_set():
            return None, NOT_STARTED
        try:
            return function(item), None
        except CloudflareError as exc:
            if stops is None or stops(exc):
                failed.set()
            return None, exc

    if len(items) <= 1:
        return [guarded(item) for item in items]
    with _thread_pool(len(items)) as pool:
        return list(pool.map(guarded, items))


def _thread_pool(jobs):
    from concurrent.futures import ThreadPoolExecutor  # pylint: disable=import-outside-toplevel  # only batches pay for it

    return ThreadPoolExecutor(max_workers=max(1, min(MAX_PARALLEL_REQUESTS, jobs)), thread_name_prefix="cloudflare")
