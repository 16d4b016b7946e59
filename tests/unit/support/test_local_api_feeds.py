# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local API's event feeds (Access authentication logs, audit logs v2, risk scores) behave as Cloudflare's events
excerpt documents them, and its control endpoints and feed faults do what --help says."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest
import requests

from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

JDOE = seeded.EXAMPLE_USER
TOKEN = {"Authorization": "Bearer " + local_api.API_TOKEN}
ACCOUNT = "/accounts/%s" % local_api.ACCOUNT_ID
ACCESS_LOGS = ACCOUNT + "/access/logs/access_requests"
AUDIT_LOGS = ACCOUNT + "/logs/audit"
RISK = ACCOUNT + "/zt_risk_scoring"
SEEDED_DAY = {"since": "2026-11-30T00:00:00Z", "until": "2026-12-01T00:00:00Z"}


def get(server, path, **params):
    answer = requests.get(server.api_url + path, headers=TOKEN, params=params, timeout=10)
    return answer.status_code, answer.json()


def control(server, path, body):
    request = urllib.request.Request(server.url + "/__fake__" + path, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def test_authentication_logs_are_seeded_newest_first_by_default_and_oldest_first_when_asked(fake_api):
    _status, newest_first = get(fake_api, ACCESS_LOGS, **SEEDED_DAY)
    _status, oldest_first = get(fake_api, ACCESS_LOGS, direction="asc", **SEEDED_DAY)
    assert [record["ray_id"] for record in oldest_first["result"]] == [
        "187d944c61940c75", "187d944c61940c76", "187d944c61940c77"]
    assert newest_first["result"] == oldest_first["result"][::-1]
    assert [record["allowed"] for record in oldest_first["result"]] == [True, False, True]
    assert "result_info" not in oldest_first  # the schema's answer has none


def test_authentication_logs_take_since_inclusive_until_exclusive_and_page_by_the_smaller_of_limit_and_per_page(fake_api):
    first = "2026-11-30T05:20:00.12345Z"
    _status, window = get(fake_api, ACCESS_LOGS, since=first, until="2026-11-30T07:20:00.12345Z", direction="asc")
    assert [record["created_at"] for record in window["result"]] == [first, "2026-11-30T06:20:00.12345Z"]
    pages = [get(fake_api, ACCESS_LOGS, direction="asc", limit=2, per_page=1000, page=page, **SEEDED_DAY)[1]["result"]
             for page in (1, 2, 3)]
    assert [len(page) for page in pages] == [2, 1, 0]
    status, refused = get(fake_api, ACCESS_LOGS, since="yesterday")
    assert status == 400 and refused["errors"][0]["code"] == 10400


def test_appended_authentication_records_are_listed_with_their_email_filter(fake_api):
    made = control(fake_api, "/access_requests", {"email": "JDOE@example.com", "count": 3})["made"]
    assert len(made) == 3 and all(record["allowed"] is False and record["user_id"] == JDOE["id"] for record in made)
    since = made[0]["created_at"]
    _status, exact = get(fake_api, ACCESS_LOGS, since=since, email=JDOE["email"], email_exact="true", direction="asc")
    _status, lookalike = get(fake_api, ACCESS_LOGS, since=since, email="john." + JDOE["email"], emailOp="eq")
    assert exact["result"] == made and lookalike["result"] == []


def test_audit_logs_need_since_and_before_and_page_by_cursor(fake_api):
    assert get(fake_api, AUDIT_LOGS, since="2026-11-30")[0] == 400
    made = fake_api.add_audit_logs(email=JDOE["email"], count=5)
    since, before = made[0]["action"]["time"], "2100-01-01"
    listed, cursor, pages = [], None, 0
    while True:
        params = dict(since=since, before=before, direction="asc", limit=2, **({"cursor": cursor} if cursor else {}))
        status, page = get(fake_api, AUDIT_LOGS, **params)
        assert status == 200 and page["result_info"]["count"] == str(len(page["result"]))
        listed += page["result"]
        pages += 1
        cursor = page["result_info"]["cursor"]
        if not cursor:
            break
    assert listed == made and pages == 3
    status, refused = get(fake_api, AUDIT_LOGS, since=since, before=before, cursor="bm90IG91cnM")
    assert status == 400


def test_audit_logs_filter_by_product_category_and_refuse_an_unknown_one(fake_api):
    window = dict(since="2026-11-30", before="2026-12-01", direction="asc")
    _status, every = get(fake_api, AUDIT_LOGS, **window)
    _status, zero_trust = get(fake_api, AUDIT_LOGS, product_category="zerotrust", **window)
    assert [record["resource"]["product"] for record in every["result"]] == ["access", "dns_records"]
    assert [record["resource"]["product"] for record in zero_trust["result"]] == ["access"]
    assert get(fake_api, AUDIT_LOGS, product_category="nothing", **window)[0] == 400


def test_raising_a_risk_shows_in_the_summary_and_a_reset_leaves_the_user_out(fake_api):
    _status, seeded_summary = get(fake_api, RISK + "/summary")
    assert {(user["email"], user["max_risk_level"]) for user in seeded_summary["result"]["users"]} == {
        ("jdoe@example.com", "low"), ("john.jdoe@example.com", "medium")}
    control(fake_api, "/risk", {"email": JDOE["email"], "risk_level": "high"})
    _status, raised = get(fake_api, RISK + "/summary")
    jdoe = next(user for user in raised["result"]["users"] if user["user_id"] == JDOE["id"])
    assert jdoe["max_risk_level"] == "high" and jdoe["event_count"] == 2
    _status, events = get(fake_api, RISK + "/" + JDOE["id"])
    assert events["result"]["risk_level"] == "high" and len(events["result"]["events"]) == 2
    answer = requests.post(fake_api.api_url + RISK + "/" + JDOE["id"] + "/reset", headers=TOKEN, timeout=10)
    assert answer.status_code == 200 and answer.json()["result"] is None
    _status, after = get(fake_api, RISK + "/summary")
    assert JDOE["id"] not in [user["user_id"] for user in after["result"]["users"]]
    _status, cleared = get(fake_api, RISK + "/" + JDOE["id"])
    assert cleared["result"]["events"] == [] and cleared["result"]["last_reset_time"]
    assert fake_api.feeds.resets == [JDOE["id"]]
    assert get(fake_api, RISK + "/00000000-0000-4000-8000-000000000000")[0] == 404


def test_duplicate_records_repeat_the_last_record_of_the_page_before(fake_api):
    fake_api.add_fault("duplicate_records", times=-1)
    pages = [get(fake_api, ACCESS_LOGS, direction="asc", limit=2, page=page, **SEEDED_DAY)[1]["result"] for page in (1, 2)]
    assert pages[1][0] == pages[0][-1] and len(pages[1]) == 2


def test_late_records_are_listed_only_once_their_lag_has_passed(fake_api):
    fake_api.add_fault("late_records", times=-1, lag=0.5)
    made = fake_api.add_access_requests(email=JDOE["email"])
    window = dict(since=made[0]["created_at"], direction="asc")
    assert get(fake_api, ACCESS_LOGS, **window)[1]["result"] == []
    time.sleep(0.6)
    assert get(fake_api, ACCESS_LOGS, **window)[1]["result"] == made


def test_a_record_appended_with_an_older_time_lands_before_newer_ones(fake_api):
    newer = fake_api.add_access_requests(email=JDOE["email"])
    older = fake_api.add_access_requests(email=JDOE["email"], age=30)
    _status, listed = get(fake_api, ACCESS_LOGS, since=older[0]["created_at"], direction="asc")
    assert listed["result"] == older + newer


@pytest.mark.parametrize("path, body", [("/risk", {"email": "nobody@example.com"}),
                                        ("/risk", {"email": JDOE["email"], "risk_level": "severe"}),
                                        ("/access_requests", {"email": JDOE["email"], "color": "red"})])
def test_control_endpoints_refuse_what_they_cannot_do_with_400(fake_api, path, body):
    with pytest.raises(urllib.error.HTTPError, match="400"):
        control(fake_api, path, body)
