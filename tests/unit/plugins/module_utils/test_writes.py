# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_writes.py: the one write engine. What "unclear" means, once; a write is settled by reading again only when its
outcome is unclear or unconfirmed; writes in turn stop at the first failure, and all_sent sends every one.
(Each caller's settling, at the HTTP boundary: test_access_user_writes.py, test_access_seats.py, the modules.)"""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareBudgetError,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._writes import (
    all_sent,
    in_turn,
    outcome_unclear,
    reserve_writes,
    settled,
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
