# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_records.py: the record of a seat task, the outcome of each seat and what each row says."""

from __future__ import annotations

import csv

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareBudgetError,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._files import write_record
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._records import (
    seat_changes_file,
    seat_outcomes,
)
from ansible_collections.cloudflare_community.zero_trust.tests.support.seat_users import NOW, user


def _api_error(status, outcome_unknown=False):
    return CloudflareAPIError("PATCH", "/accounts/x/access/seats", "failed", status=status, outcome_unknown=outcome_unknown)


@pytest.mark.parametrize("error, failed_batch", [
    (_api_error(None), "unknown"), (_api_error(502), "unknown"), (_api_error(200), "unknown"),
    (_api_error(400, outcome_unknown=True), "unknown"), (_api_error(400), "refused"), (_api_error(403), "refused"),
    (CloudflareBudgetError("request_budget"), "not sent"),
])
def test_the_outcome_of_each_seat_after_a_failed_patch(error, failed_batch):
    changes = [({"id": "u%d" % number}, {"seat_uid": "s%d" % number}) for number in range(6)]
    outcomes = seat_outcomes(changes, {"u0", "u1"}, {"u2"}, False, error, batch_size=2)
    assert outcomes == ["freed", "freed", "still held", failed_batch, "not sent", "not sent"]


def test_the_outcome_of_each_seat_without_a_failure():
    changes = [({"id": "u%d" % number}, {"seat_uid": "s%d" % number}) for number in range(3)]
    assert seat_outcomes(changes, set(), set(), True, None, 2) == ["would free"] * 3
    assert seat_outcomes(changes, {"u0", "u1", "u2"}, set(), False, None, 2) == ["freed"] * 3
    assert seat_outcomes(changes, {"u0"}, {"u1", "u2"}, False, None, 2) == ["freed", "still held", "still held"]


def _changes_rows(tmp_path, changes, outcomes, after):
    path = write_record(seat_changes_file(str(tmp_path / "out" / "freed.csv"), changes, outcomes, after, NOW))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [(row["email"], row["days inactive"], row["seats to free"], row["seats freed"], row["outcome"])
                for row in csv.DictReader(handle)]


def test_the_changes_file_lists_each_user_with_the_seats_to_free_those_freed_and_the_outcome(tmp_path):
    changes = [(user("a", login="2026-09-03T12:00:00Z"), dict(seat_uid="s1", access_seat=False, gateway_seat=False)),
               (user("b", gateway_seat=False, login=None, created="2026-11-03T12:00:00-12:00"),
                dict(seat_uid="s2", access_seat=False, gateway_seat=False)),
               (user("=c", gateway_seat=True), dict(seat_uid="s3", access_seat=True, gateway_seat=False))]
    after = {"a": dict(changes[0][0], access_seat=False, gateway_seat=False)}
    assert _changes_rows(tmp_path, changes, ["freed", "unknown", "not sent"], after) == [
        ("a@example.com", "91", "access gateway", "access gateway", "freed"),
        ("b@example.com", "29", "access", "", "unknown"),
        ("'=c@example.com", "2", "gateway", "", "not sent")]


def test_no_row_of_the_changes_file_says_freed_for_a_seat_still_held(tmp_path):
    both = dict(access_seat=False, gateway_seat=False)
    changes = [(user("half"), dict(both, seat_uid="s1")), (user("held"), dict(both, seat_uid="s2")),
               (user("odd"), dict(both, seat_uid="s3"))]
    after = {"half": dict(changes[0][0], access_seat=False, gateway_seat=True),  # the API freed one seat of two
             "held": dict(changes[1][0]),
             "odd": dict(changes[2][0], access_seat=False, gateway_seat="no")}  # not a boolean: not known freed
    assert _changes_rows(tmp_path, changes, ["still held", "still held", "still held"], after) == [
        ("half@example.com", "2", "access gateway", "access", "still held"),
        ("held@example.com", "2", "access gateway", "", "still held"),
        ("odd@example.com", "2", "access gateway", "access", "still held")]
