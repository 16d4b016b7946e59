# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""The write engine: every write of the collection is planned, counted, sent and settled here.

A module plans its writes first (what to send, for whom), then:

1. counts them against the request budget and the pacing before the first is sent (:func:`reserve_writes`),
   so that work too large fails before any write, in check mode too;
2. sends them: one after another, stopping at the first failure (:func:`in_turn`), or every one, a few at
   a time, whatever became of the others (:func:`all_sent`);
3. settles every write whose outcome is unclear (:func:`outcome_unclear`: no whole answer, a 5xx, a 2xx
   that does not confirm it) by reading the state again (:func:`settled`): only what that read shows is
   reported as done, and when the read fails too, the error says the outcome is unknown.

User writes (``_access_user_writes.py``), seat PATCHes (``_access_seats.py``), risk resets (``_risk_scores.py``),
revocations and deletes (``_access_revoke.py``) are its callers. The membership writes (``_membership_writes.py``)
share its test of "unclear" and are to move onto it: a PUT of an Access group or policy is one ``settled`` write
whose ``read_again`` reads the object back.
"""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareError,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._threads import in_parallel


def outcome_unclear(error, gone=False):
    """Whether the write that raised ``error`` may have been done all the same: the one test of "unclear".

    No whole answer came, a 5xx came (behind it the API may have processed the request), or a 2xx that did
    not confirm it (a body that is not Cloudflare's envelope, ``success`` not true, a result of the wrong
    shape). A 4xx is a refusal: nothing was done; but with ``gone``, Cloudflare's own 404 is unclear too: a
    write of several objects (a batch of registrations) whose ids may have been deleted since they were read.
    An error that is not an API error (the request budget: the request was never sent) is never unclear.
    """
    if not isinstance(error, CloudflareAPIError):
        return False
    if gone and error.status == 404 and error.from_cloudflare:
        return True
    return error.outcome_unknown or error.status is None or error.status >= 500 or 200 <= error.status < 300


def reserve_writes(client, count, purpose):
    """Count ``count`` writes (and the reads that settle them) against the request budget and the pacing
    before the first is sent; nothing to count, nothing to check."""
    if count:
        client.reserve(count, purpose)


def settled(send, read_again, check=None, read_on=()):
    """Send one write; return its answer when it confirms the write, else what reading again shows.

    ``send()`` sends the request and returns its answer. ``check(answer)`` is None when the answer confirms the
    write, or the CloudflareAPIError saying why it does not (an answer about another object, a state not
    changed). When the outcome is unclear (:func:`outcome_unclear`), unconfirmed, or a refusal whose status is
    in ``read_on`` (a create refused as taken: by whom?), ``read_again(failure)`` decides: it returns what the
    caller returns for a write done, or raises ``failure`` with a hint saying what the read showed, or that
    the read failed too. Any other failure is raised as it is.
    """
    try:
        answer = send()
    except CloudflareAPIError as exc:
        if not outcome_unclear(exc) and exc.status not in read_on:
            raise
        failure = exc
    else:
        failure = check(answer) if check is not None else None
        if failure is None:
            return answer
    # Outside the except block: a failure of the read is its own, not chained to the write's.
    return read_again(failure)


def in_turn(jobs, send, stops=CloudflareError):
    """Send the write of each job (``send(job)``) one after another, stopping at the first that fails.

    ``(done, error)``: ``[(job, value)]`` of the writes done, in order, and the error (an instance of ``stops``)
    that stopped the rest, or None. The jobs after it are not sent."""
    done = []
    for job in jobs:
        try:
            done.append((job, send(job)))
        except stops as exc:
            return done, exc
    return done, None


def all_sent(jobs, send):
    """Send the write of every job (``send(job)``), a few at a time, also when one fails: the CloudflareError of
    each job, in order (None for each one done), so the caller can say exactly what was done."""
    def one(job):
        try:
            send(job)
        except CloudflareError as exc:
            return exc
        return None

    return in_parallel(one, list(jobs))
