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
2. sends them: one after another, stopping at the first failure (:func:`in_turn`), every one, a few at a time,
   whatever became of the others (:func:`all_sent`), or a few at a time where a refusal of one object's own lets
   the others go on, one :class:`WriteOutcome` each (:func:`write_outcomes`);
3. settles every write whose outcome is unclear (:func:`outcome_unclear`: no whole answer, a 5xx, a 2xx that
   does not confirm it) by reading the state again: one write at a time (:func:`settled`), or every unclear
   write of a step after it (:func:`settled_by_reading`). Only what that read shows is reported as done; what
   the read can neither confirm nor refute is unknown for that object (:func:`unknown`), or, for a write whose
   failure stops the task, raised saying so.

User writes (``_access_user_writes.py``), seat PATCHes (``_access_seats.py``), risk resets (``_risk_scores.py``),
revocations and deletes (``_access_revoke.py``) and the membership PUTs (``_membership_writes.py``) are its callers.
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareBudgetError,
    CloudflareError,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._threads import (
    NOT_STARTED,
    in_parallel,
    in_parallel_until_failure,
)

# How a write ended: the states of a WriteOutcome.
DONE = "done"  # the answer, or a read after an unclear one, shows it done
REFUSED = "refused"  # refused for its own object (is_refusal): the others went on
FAILED = "failed"  # a failure that stops the writes not sent yet
UNKNOWN = "unknown"  # unclear, and no read could say whether it was done
NOT_SENT = "not sent"  # left out after a failure that stops the rest


class WriteOutcome(namedtuple("WriteOutcome", "sent state value error why")):
    """How one write (or one step's writes) ended: what was sent (the caller's job), its state (DONE, REFUSED,
    FAILED, UNKNOWN, NOT_SENT), the value of a write done, the error of one not done (for UNKNOWN, the failure the
    task reports, if any), and ``why``: what is known of an UNKNOWN write, the warning of a DONE one (an unclear
    answer a read settled), what was left out for a NOT_SENT one."""

    __slots__ = ()

    def __new__(cls, sent, state, value=None, error=None, why=None):
        return super().__new__(cls, sent, state, value, error, why)


class NotSendable(CloudflareError):
    """A write for one object that cannot be sent (say, no email to revoke by): refused for that object, before any
    request."""


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


def is_refusal(error):
    """Whether the write that raised ``error`` was refused for its own object, so that the writes for other objects
    may still go: a write that cannot be sent (:class:`NotSendable`), or a 4xx of Cloudflare's API in its envelope,
    but not 401 (the credentials), 403 (a permission every request of the kind needs) or 429 (the rate limit), nor
    a 404 that ``outcome_unclear(error, gone=True)`` settles by reading."""
    if isinstance(error, NotSendable):
        return True
    return (isinstance(error, CloudflareAPIError) and error.from_cloudflare and error.status is not None
            and 400 <= error.status < 500 and error.status not in (401, 403, 404, 429))


def halts_everything(error):
    """Whether no request can go after ``error``: the budget or pacing_timeout spent, the rate limit, the
    credentials refused, or no connection to the API at all. The writes of the next steps are then not started."""
    if isinstance(error, CloudflareBudgetError):
        return True
    if not isinstance(error, CloudflareAPIError):
        return False
    return error.status in (401, 429) or (error.status is None and not error.outcome_unknown)


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
    the read failed too. A write among others (:func:`write_outcomes`) may also end unknown for its object while
    the others go on: ``read_again`` then returns :func:`unknown` (or :func:`done_with_warning`: done, and a
    warning saying a read had to show it).
    Any other failure is raised as it is.
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


def done_with_warning(warning):
    """What ``read_again`` returns for a write a read showed done after an unclear answer: DONE, the warning saying
    so."""
    return WriteOutcome(None, DONE, why=warning)


def unknown(why, error=None):
    """What ``read_again`` returns for a write whose outcome the read can neither confirm nor refute: UNKNOWN for
    its object, saying ``why``, while the writes for other objects go on."""
    return WriteOutcome(None, UNKNOWN, error=error, why=why)


def settled_by_reading(client, outcomes, confirm, what):
    """Settle the unclear writes of one step after it, by reading the state again: the ``outcomes`` with the
    UNKNOWN ones (of :func:`write_outcomes`) replaced.

    The reads are counted against the request budget together, then sent a few at a time; ``confirm(job)`` is True
    when the read shows the write done, else what is known. When the reads cannot go or one fails, each is unknown:
    ``what(job)``, and that reading again failed. An UNKNOWN write keeps its error: the failure the task reports."""
    unclear = [outcome for outcome in outcomes if outcome.state == UNKNOWN]
    if not unclear:
        return outcomes
    try:
        client.reserve(len(unclear), "reading again after %d unclear answers" % len(unclear))
        reads = in_parallel(confirm, [outcome.sent for outcome in unclear])
    except CloudflareError as exc:
        reads = [("%s, and reading again failed: %s" % (what(outcome.sent), exc)) for outcome in unclear]
    read = {id(outcome): result for outcome, result in zip(unclear, reads)}
    return [outcome if id(outcome) not in read else
            WriteOutcome(outcome.sent, DONE, value=True) if read[id(outcome)] is True else
            outcome._replace(why=read[id(outcome)]) for outcome in outcomes]


def write_outcomes(jobs, send, goes_on=is_refusal, unclear=None):
    """Send the write of each job (``send(job)``), a few at a time: one WriteOutcome each, in order.

    A write done is DONE with the value ``send`` returned, or is what it returned through :func:`settled`'s
    ``read_again`` (:func:`done_with_warning`, :func:`unknown`). A failure for which ``goes_on(error)`` holds is
    the job's own (REFUSED when :func:`is_refusal`, else FAILED) and the others go on; any other failure is FAILED
    and the jobs not started yet are NOT_SENT. With ``unclear`` (a test of the error, such as
    :func:`outcome_unclear`), an unclear failure is UNKNOWN with its error, for :func:`settled_by_reading` to
    settle after the step."""
    outcomes = []
    for job, (value, error) in zip(jobs, in_parallel_until_failure(send, jobs, stops=lambda exc: not goes_on(exc))):
        if error is NOT_STARTED:
            outcomes.append(WriteOutcome(job, NOT_SENT))
        elif error is None and isinstance(value, WriteOutcome):
            outcomes.append(value._replace(sent=job))
        elif error is None:
            outcomes.append(WriteOutcome(job, DONE, value=value))
        elif unclear is not None and unclear(error):
            outcomes.append(WriteOutcome(job, UNKNOWN, error=error))
        else:
            outcomes.append(WriteOutcome(job, REFUSED if is_refusal(error) else FAILED, error=error))
    return outcomes


def in_state(outcomes, *states):
    """The outcomes in one of ``states``, in order."""
    return [outcome for outcome in outcomes if outcome.state in states]


def first_failure(outcomes, counts=None):
    """The error the task reports: that of the first outcome REFUSED, FAILED or UNKNOWN (that has one) for which
    ``counts(error)`` holds, or None."""
    for outcome in in_state(outcomes, REFUSED, FAILED, UNKNOWN):
        if outcome.error is not None and (counts is None or counts(outcome.error)):
            return outcome.error
    return None


def stopped(outcomes, counts=None):
    """Whether the writes failed or one's outcome is unknown: the task fails, saying what was done."""
    return first_failure(outcomes, counts) is not None or bool(in_state(outcomes, UNKNOWN))


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
