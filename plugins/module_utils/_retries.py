# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""The retry policy of the client: which failures are worth another try, how long to wait, what to say."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

# Failures worth another try, and why; everything else (400, 401, 403, 404, ...) fails at once. Cloudflare's
# schema documents none of these statuses (its failures are "4XX"): the 429 and its Retry-After header are what
# Cloudflare's documentation of its rate limits describes; that a 429 comes before the request is processed (so
# that even a create may be sent again after one) is what this client assumes.
RETRY_STATUSES = {
    429: "Cloudflare's rate limit: 1,200 requests per 5 minutes per user, refused before it is processed; "
         "Retry-After says when to come back",
}
# Retried only for requests that may be sent twice (reads, idempotent writes): behind each of these a
# create may have been processed, so a request that is not idempotent is never sent again after one.
RETRY_STATUSES_FOR_REPEATABLE = {
    500: "an internal error",
    502: "Cloudflare's edge could not reach the API; usually gone within seconds",
    503: "the API is briefly overloaded or in maintenance",
    504: "the API did not answer Cloudflare's edge in time",
}
READ_METHODS = ("GET", "HEAD")
BACKOFF_FIRST = 1.0  # seconds before the first retry when the API sends no Retry-After
BACKOFF_MAX = 30.0
RETRIES_SHOWN = 3  # retry lines quoted in the warning; api_retries lists them all


def retry_warning(retry_log):
    """One short warning for the retries of a task, however many there were (``api_retries`` has them all)."""
    shown = "; ".join(retry_log[:RETRIES_SHOWN])
    more = len(retry_log) - RETRIES_SHOWN
    return "%s retried after transient failures (see api_retries): %s%s" % (
        "1 API request was" if len(retry_log) == 1 else "%d API requests were" % len(retry_log), shown,
        "; and %d more" % more if more > 0 else "")


def raise_hint(exc):
    """What to do about ``exc`` when the client gives up retrying it: the end of its message."""
    if exc.status == 429:
        return ("rate limited: Cloudflare blocks for up to 5 minutes once 1,200 requests in 5 minutes are reached; "
                "set retry_timeout (up to 300) and retries to wait it out, or run again later")
    return "set retries and retry_timeout to try longer"


def retry_after_seconds(value, now=None):
    """Seconds from a Retry-After header (seconds or an HTTP date), or None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
