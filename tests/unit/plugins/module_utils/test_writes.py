# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_writes.py: the one write engine. What "unclear" and "refused" mean, once; a write is settled by reading again only
when its outcome is unclear or unconfirmed, and a read that cannot tell leaves it unknown for its object while the
others go on; writes in turn stop at the first failure, all_sent sends every one, and write_outcomes gives one
WriteOutcome each. (Each caller's settling, at the HTTP boundary: test_access_user_writes.py, test_access_seats.py,
test_access_revoke.py, test_access_membership.py, the modules.)"""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareBudgetError,
    CloudflareError,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._writes import (
    DONE,
    FAILED,
    NOT_SENT,
    REFUSED,
    UNKNOWN,
    NotSendable,
    WriteOutcome,
    all_sent,
    done_with_warning,
    first_failure,
    halts_everything,
    in_turn,
    is_refusal,
    outcome_unclear,
    reserve_writes,
    settled,
    settled_by_reading,
    stopped,
    unknown,
    write_outcomes,
)


def api_error(status, **fields):
    return CloudflareAPIError("POST", "/x", "reason", status=status, **fields)


@pytest.mark.parametrize("error, unclear", [
    (api_error(None), True),  # no answer at all
    (api_error(400, outcome_unknown=True), True),  # the connection broke after sending
    (api_error(500), True),
    (api_error(503), True),
    (api_error(200), True),  # a 2xx that does not confirm the write
    (api_error(299), True),
    (api_error(400), False),
    (api_error(403), False),
    (api_error(404, from_cloudflare=True), False),
    (api_error(429), False),
    (CloudflareBudgetError("the budget"), False),  # never sent
])
def test_what_unclear_means(error, unclear):
    assert outcome_unclear(error) is unclear


def test_a_cloudflare_404_is_unclear_only_for_a_write_of_objects_that_may_be_gone():
    assert outcome_unclear(api_error(404, from_cloudflare=True), gone=True) is True
    assert outcome_unclear(api_error(404), gone=True) is False  # not Cloudflare's answer about the object
    assert outcome_unclear(api_error(403, from_cloudflare=True), gone=True) is False


def test_a_confirmed_write_is_not_read_again():
    reads = []
    assert settled(lambda: "answer", reads.append, check=lambda answer: None) == "answer"
    assert reads == []


def test_an_unclear_write_is_settled_by_reading_again():
    failure = api_error(502)

    def send():
        raise failure

    assert settled(send, lambda error: ("read", error)) == ("read", failure)


def test_an_unconfirmed_answer_is_settled_by_reading_again_with_the_check_saying_why():
    why = api_error(200)
    assert settled(lambda: "other", lambda error: error, check=lambda answer: why) is why


def test_a_refusal_is_raised_as_it_is_unless_the_caller_reads_on_its_status():
    refusal = api_error(409)

    def send():
        raise refusal

    with pytest.raises(CloudflareAPIError) as caught:
        settled(send, lambda error: "read")
    assert caught.value is refusal
    assert settled(send, lambda error: "read", read_on=(409,)) == "read"


def recording(sent, failing, failure):
    """A write that records each job it is sent for in ``sent``, fails for the job ``failing`` with ``failure``, and
    gives ten times the job for the others."""
    def send(job):
        sent.append(job)
        if job == failing:
            raise failure
        return job * 10

    return send


def test_writes_in_turn_stop_at_the_first_failure():
    failure = api_error(400)
    sent = []
    send = recording(sent, 2, failure)
    assert in_turn([1, 2, 3], send) == ([(1, 10)], failure)
    assert sent == [1, 2]
    assert in_turn([1, 3], send) == ([(1, 10), (3, 30)], None)


def test_writes_in_turn_let_other_errors_through_when_asked():
    def send(_job):
        raise CloudflareBudgetError("the budget")

    with pytest.raises(CloudflareBudgetError):
        in_turn([1], send, stops=CloudflareAPIError)


def test_all_sent_sends_every_write_and_gives_the_error_of_each():
    failure = api_error(400)
    sent = []
    assert all_sent([1, 2, 3], recording(sent, 2, failure)) == [None, failure, None]
    assert sorted(sent) == [1, 2, 3]


class Counting:
    def __init__(self):
        self.reserved = []

    def reserve(self, count, purpose):
        self.reserved.append((count, purpose))


def test_writes_are_counted_before_the_first_and_nothing_is_counted_for_none():
    client = Counting()
    reserve_writes(client, 0, "nothing")
    reserve_writes(client, 3, "three writes")
    assert client.reserved == [(3, "three writes")]


@pytest.mark.parametrize("error, refusal", [
    (api_error(400, from_cloudflare=True), True),
    (api_error(409, from_cloudflare=True), True),
    (api_error(400), False),  # not Cloudflare's envelope: not an answer about the object
    (api_error(401, from_cloudflare=True), False),  # the credentials: every request meets it
    (api_error(403, from_cloudflare=True), False),  # a permission every request of the kind needs
    (api_error(404, from_cloudflare=True), False),  # settled by reading (gone=True)
    (api_error(429, from_cloudflare=True), False),  # the rate limit
    (api_error(500, from_cloudflare=True), False),
    (NotSendable("no email to revoke by"), True),
    (CloudflareBudgetError("the budget"), False),
])
def test_what_a_refusal_of_one_object_means(error, refusal):
    assert is_refusal(error) is refusal


@pytest.mark.parametrize("error, halts", [
    (CloudflareBudgetError("the budget"), True),
    (api_error(401), True),
    (api_error(429), True),
    (api_error(None), True),  # no connection at all
    (api_error(None, outcome_unknown=True), False),  # the connection broke after sending: it was there
    (api_error(403), False),
    (api_error(500), False),
    (CloudflareError("other"), False),
    (None, False),
])
def test_what_stops_every_request_after_it(error, halts):
    assert halts_everything(error) is halts


def test_a_read_that_can_neither_confirm_nor_refute_leaves_the_write_unknown_instead_of_raising():
    def send():
        raise api_error(502)

    outcome = settled(send, lambda failure: unknown("read again, it is unchanged"))
    assert outcome == WriteOutcome(None, UNKNOWN, why="read again, it is unchanged")


def test_each_write_gets_one_outcome_and_a_refusal_lets_the_others_go_on():
    refusal, warning = api_error(400, from_cloudflare=True), done_with_warning("a read showed it done")

    def send(job):
        if job == 2:
            raise refusal
        return {3: warning, 4: unknown("not known")}.get(job, job * 10)

    outcomes = write_outcomes([1, 2, 3, 4], send)
    assert outcomes == [WriteOutcome(1, DONE, value=10), WriteOutcome(2, REFUSED, error=refusal),
                        WriteOutcome(3, DONE, why="a read showed it done"), WriteOutcome(4, UNKNOWN, why="not known")]
    assert first_failure(outcomes) is refusal and stopped(outcomes)


def test_a_failure_that_is_not_the_objects_own_leaves_the_writes_after_it_not_sent():
    failure = api_error(403, from_cloudflare=True)
    sent = []
    outcomes = write_outcomes([1, 2], recording(sent, 1, failure))
    assert outcomes == [WriteOutcome(1, FAILED, error=failure), WriteOutcome(2, NOT_SENT)] and sent == [1]


def test_a_failure_the_caller_lets_go_on_is_failed_for_its_object_only():
    failure = api_error(409)  # not Cloudflare's: not a refusal, but the caller's own kind of failure
    outcomes = write_outcomes([1, 2], recording([], 1, failure), goes_on=lambda exc: exc is failure)
    assert [outcome.state for outcome in outcomes] == [FAILED, DONE]
    assert first_failure(outcomes, lambda exc: exc is not failure) is None and not stopped(
        outcomes, lambda exc: exc is not failure)


def test_unclear_writes_are_left_unknown_for_a_read_after_the_step():
    failure = api_error(502)
    outcomes = write_outcomes([1, 2], recording([], 1, failure), unclear=outcome_unclear)
    assert outcomes[0] == WriteOutcome(1, UNKNOWN, error=failure)


class Reading(Counting):
    def __init__(self, fails=None):
        super().__init__()
        self.fails = fails

    def reserve(self, count, purpose):
        if self.fails:
            raise self.fails
        super().reserve(count, purpose)


def test_unclear_writes_are_settled_together_by_reading_again():
    first, second = api_error(502), api_error(None)
    client = Reading()
    outcomes = [WriteOutcome(0, DONE, value=True), WriteOutcome(1, UNKNOWN, error=first),
                WriteOutcome(2, UNKNOWN, error=second)]
    settled_now = settled_by_reading(client, outcomes, lambda job: True if job == 1 else "still there", str)
    assert settled_now == [outcomes[0], WriteOutcome(1, DONE, value=True),
                           WriteOutcome(2, UNKNOWN, error=second, why="still there")]
    assert client.reserved == [(2, "reading again after 2 unclear answers")]
    assert first_failure(settled_now) is second


def test_when_the_reads_cannot_go_every_unclear_write_stays_unknown_saying_so():
    failure = api_error(502)
    outcomes = settled_by_reading(Reading(CloudflareBudgetError("the budget")),
                                  [WriteOutcome(1, UNKNOWN, error=failure)], lambda job: True,
                                  lambda job: "whether %d was done" % job)
    assert outcomes == [WriteOutcome(1, UNKNOWN, error=failure,
                                     why="whether 1 was done, and reading again failed: the budget")]


def test_nothing_unclear_is_not_read():
    client = Reading()
    assert settled_by_reading(client, [WriteOutcome(1, DONE)], lambda job: True, str) == [WriteOutcome(1, DONE)]
    assert client.reserved == []
