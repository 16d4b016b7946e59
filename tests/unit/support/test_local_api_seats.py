# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local API's "Update a user seat" behaves as Cloudflare's schema documents it, so tests of it mean something."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

JDOE = seeded.EXAMPLE_USER
LOOKALIKE = seeded.LOOKALIKE_USER  # holds a Gateway seat only


def patch(server, body, token=local_api.API_TOKEN, raw=None):
    return requests.patch(server.api_url + "/accounts/%s/access/seats" % local_api.ACCOUNT_ID,
                          json=body if raw is None else None, data=raw,
                          headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"}, timeout=10)


def seats_of(server, seat_uid):
    found = next(u for u in server.accounts[local_api.ACCOUNT_ID] if u["seat_uid"] == seat_uid)
    return found["access_seat"], found["gateway_seat"]


def test_false_frees_and_true_keeps_a_held_seat(fake_api):
    answer = patch(fake_api, [{"seat_uid": JDOE["seat_uid"], "access_seat": True, "gateway_seat": False}])
    assert answer.status_code == 200
    body = answer.json()
    assert body["success"] is True
    assert [{k: v for k, v in seat.items() if k != "updated_at"} for seat in body["result"]] == [
        {"seat_uid": JDOE["seat_uid"], "access_seat": True, "gateway_seat": False, "created_at": JDOE["created_at"]}]
    assert seats_of(fake_api, JDOE["seat_uid"]) == (True, False)


@pytest.mark.parametrize("body, message", [
    ({"seat_uid": JDOE["seat_uid"], "access_seat": False, "gateway_seat": False}, "must be a JSON array"),
    ([{"seat_uid": JDOE["seat_uid"], "access_seat": False}], "seat 0: gateway_seat is required"),
    ([{"seat_uid": JDOE["seat_uid"], "gateway_seat": False}], "seat 0: access_seat is required"),
    ([{"access_seat": False, "gateway_seat": False}], "seat 0: seat_uid is required"),
    ([{"seat_uid": JDOE["seat_uid"], "access_seat": "false", "gateway_seat": False}], "access_seat must be a boolean"),
    ([{"seat_uid": 7, "access_seat": False, "gateway_seat": False}], "seat_uid must be a string"),
    ([{"seat_uid": JDOE["seat_uid"], "access_seat": False, "gateway_seat": False}, "x"], "seat 1 must be an object"),
    ([{"seat_uid": LOOKALIKE["seat_uid"], "access_seat": True, "gateway_seat": False}],
     "access_seat of seat %s cannot be set to true" % LOOKALIKE["seat_uid"]),
])
def test_bad_bodies_get_a_400_envelope_and_change_nothing(fake_api, body, message):
    answer = patch(fake_api, body)
    assert answer.status_code == 400
    envelope = answer.json()
    assert envelope["success"] is False and envelope["result"] is None
    assert message in envelope["errors"][0]["message"]
    assert seats_of(fake_api, JDOE["seat_uid"]) == (True, True)
    assert seats_of(fake_api, LOOKALIKE["seat_uid"]) == (False, True)


def test_a_body_that_is_not_json_is_a_400(fake_api):
    answer = patch(fake_api, None, raw=b"[{")
    assert answer.status_code == 400 and answer.json()["errors"][0]["code"] == 10400


def test_an_unknown_seat_is_a_404_and_the_batch_changes_nothing(fake_api):
    answer = patch(fake_api, [{"seat_uid": JDOE["seat_uid"], "access_seat": False, "gateway_seat": False},
                              {"seat_uid": "unknown", "access_seat": False, "gateway_seat": False}])
    assert answer.status_code == 404
    assert seats_of(fake_api, JDOE["seat_uid"]) == (True, True)


def test_other_methods_are_refused(fake_api):
    answer = requests.get(fake_api.api_url + "/accounts/%s/access/seats" % local_api.ACCOUNT_ID,
                          headers={"Authorization": "Bearer " + local_api.API_TOKEN}, timeout=10)
    assert answer.status_code == 405


def test_seats_can_be_given_back_over_the_control_endpoint(fake_api):
    patch(fake_api, [{"seat_uid": JDOE["seat_uid"], "access_seat": False, "gateway_seat": False}])
    given = requests.post(fake_api.url + "/__fake__/seats",
                          json=[{"seat_uid": JDOE["seat_uid"], "access_seat": True, "gateway_seat": True}], timeout=10)
    assert given.status_code == 204
    assert seats_of(fake_api, JDOE["seat_uid"]) == (True, True)
    assert [r["method"] for r in fake_api.api_requests()] == ["PATCH"]  # control requests are not API requests
