# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_seat's record of what a run freed (report_dir, report_csv), against the local Cloudflare-like API.

Each run that sends a PATCH keeps its own record, named with the run's UTC time; a run that frees nothing or runs
in check mode writes none; no record is ever replaced or emptied; the record says what became of every seat, also
when a PATCH failed, and never says freed for a seat still held.
"""

from __future__ import annotations

import copy
import csv
import datetime
import json
import os
import re
import uuid

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_seat
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import token_args_for
from ansible_collections.cloudflare_community.zero_trust.tests.support.client_calls import listing
from ansible_collections.cloudflare_community.zero_trust.tests.support.file_size import file_size_limit

FREE_BOTH = dict(access_seat=False, gateway_seat=False)
UTC = datetime.timezone.utc
RECORD_NAME = re.compile(r"^reclaim_seats-(\d{8}T\d{6}Z)(-\d+)?\.csv$")


def ago(days):
    return (datetime.datetime.now(UTC) - datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def account_user(number, login):
    return {"id": str(uuid.UUID(int=number + 1, version=4)), "access_seat": True, "active_device_count": 1,
            "created_at": "2020-01-01T00:00:00Z", "email": "user%d@example.com" % number, "gateway_seat": True,
            "last_successful_login": login, "name": "User %d" % number,
            "seat_uid": str(uuid.UUID(int=10 ** 9 + number, version=4)),
            "uid": str(uuid.UUID(int=2 * 10 ** 9 + number, version=4)), "updated_at": "2020-01-01T00:00:00Z"}


# Three seat holders last active 200 days ago, one yesterday.
USERS = [account_user(0, ago(200)), account_user(1, ago(1)), account_user(2, ago(200)), account_user(3, ago(200))]
INACTIVE = ["user0@example.com", "user2@example.com", "user3@example.com"]


@pytest.fixture
def record_api(fake_api):
    fake_api.accounts[local_api.ACCOUNT_ID] = copy.deepcopy(USERS)
    return fake_api


@pytest.fixture
def record_args(record_api):
    return token_args_for(record_api, inactive_days=90, **FREE_BOTH)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def files_in(directory):
    """Every file under ``directory``, with its content: what a run left there."""
    found = {}
    for root, _dirs, names in os.walk(str(directory)):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, str(directory))] = handle.read()
    return found


def test_each_run_that_frees_seats_keeps_its_own_record_named_with_its_utc_time(
        run_module, record_args, record_api, tmp_path):
    directory = tmp_path / "audit"
    args = dict(record_args, report_dir=str(directory), report_name="reclaim_seats", batch_size=2)
    before = datetime.datetime.now(UTC).replace(microsecond=0)
    result = run_module(cf_access_seat, args)
    after = datetime.datetime.now(UTC)
    path = result["report_csv"]
    assert os.path.dirname(path) == str(directory) and os.listdir(str(directory)) == [os.path.basename(path)]
    taken = datetime.datetime.strptime(RECORD_NAME.match(os.path.basename(path)).group(1), "%Y%m%dT%H%M%SZ")
    assert before <= taken.replace(tzinfo=UTC) <= after  # the run's own time, in UTC, whatever the date
    rows = read_csv(path)
    assert [(row["email"], row["seats to free"], row["seats freed"], row["outcome"]) for row in rows] == [
        (email, "access gateway", "access gateway", "freed") for email in INACTIVE]
    assert [row["access seat"] for row in rows] == ["yes"] * 3  # as read, before the task
    assert [int(row["days inactive"]) for row in rows] == [200] * 3

    # Seats taken again by logging in: a later run frees them again and keeps a record of its own.
    record_api.accounts[local_api.ACCOUNT_ID] = copy.deepcopy(USERS)
    later = run_module(cf_access_seat, args)
    assert later["report_csv"] != path and RECORD_NAME.match(os.path.basename(later["report_csv"]))
    assert sorted(os.listdir(str(directory))) == sorted([os.path.basename(path), os.path.basename(later["report_csv"])])
    assert read_csv(path) == rows  # the first run's record is as it was


def test_a_run_that_frees_nothing_writes_no_record_and_keeps_the_earlier_one(run_module, record_args, tmp_path):
    args = dict(record_args, report_dir=str(tmp_path), report_name="reclaim_seats")
    first = run_module(cf_access_seat, args)
    kept = files_in(tmp_path)
    again = run_module(cf_access_seat, args)
    assert again["changed"] is False and again["report_csv"] is None
    assert again["inactivity"]["inactive"] == 0
    assert files_in(tmp_path) == kept and len(read_csv(first["report_csv"])) == 3


@pytest.mark.parametrize("option", ["report_dir", "report_csv"])
def test_check_mode_writes_no_file_and_says_so(run_module, record_args, record_api, tmp_path, option):
    target = tmp_path / "audit" / ("seats.csv" if option == "report_csv" else "")
    preview = run_module(cf_access_seat, dict(record_args, **{option: str(target)}), check_mode=True)
    assert preview["changed"] is True and preview["report_csv"] is None
    assert [user["email"] for user in preview["changed_users"]] == INACTIVE  # what it would free
    assert preview["inactivity"]["outcomes"]["would_free"] == 3
    assert not os.path.exists(str(tmp_path / "audit"))  # not even the directory
    assert [request["method"] for request in record_api.api_requests()] == ["GET"]


def test_report_csv_naming_an_existing_file_fails_before_any_request_and_keeps_it(
        run_module, record_args, record_api, tmp_path):
    path = tmp_path / "seats.csv"
    path.write_text("the record of an earlier run")
    result = run_module(cf_access_seat, dict(record_args, report_csv=str(path)))
    assert result["failed"] is True
    assert result["msg"] == ("report_csv: %s exists, and the record of an earlier run is never replaced; name a new "
                             "file, or set report_dir to keep one file per run" % path)
    assert record_api.api_requests() == []
    assert path.read_text() == "the record of an earlier run"


def test_report_csv_is_written_once_by_a_run_that_frees_seats(run_module, record_args, tmp_path):
    path = tmp_path / "reclaim" / "seats.csv"
    result = run_module(cf_access_seat, dict(record_args, report_csv=str(path)))
    assert result["report_csv"] == str(path)
    assert [(row["email"], row["outcome"]) for row in read_csv(str(path))] == [(email, "freed") for email in INACTIVE]


def test_report_csv_that_cannot_be_written_fails_before_any_request(run_module, record_args, record_api, tmp_path):
    result = run_module(cf_access_seat, dict(record_args, report_csv=str(tmp_path)))
    assert result["failed"] is True
    assert result["msg"] == "report_csv: %s is a directory; name a file in it" % tmp_path
    assert record_api.api_requests() == []


@pytest.mark.parametrize("options, says", [
    (dict(report_dir="audit", report_csv="audit.csv"), "parameters are mutually exclusive: report_dir|report_csv"),
    (dict(report_dir="audit", report_name="../up"), "report_name must be up to 100 letters, digits, '.', '_' or '-'"),
])
def test_bad_record_options_fail_before_any_request(
        run_module, record_args, record_api, tmp_path, monkeypatch, options, says):
    monkeypatch.chdir(str(tmp_path))
    result = run_module(cf_access_seat, dict(record_args, **options))
    assert result["failed"] is True and says in result["msg"]
    assert record_api.api_requests() == [] and os.listdir(str(tmp_path)) == []


def test_the_record_works_with_every_selector(run_module, record_args, tmp_path):
    args = dict(record_args, email=["user1@example.com", "nobody@example.com"], report_dir=str(tmp_path),
                gateway_seat=False)
    del args["inactive_days"], args["access_seat"]
    result = run_module(cf_access_seat, args)
    assert os.path.basename(result["report_csv"]).startswith("freed_seats-")  # report_name's default
    assert [(row["email"], row["seats to free"], row["seats freed"], row["outcome"])
            for row in read_csv(result["report_csv"])] == [("user1@example.com", "gateway", "gateway", "freed")]


def test_the_record_says_which_seats_are_unknown_after_a_lost_answer(run_module, record_args, record_api, tmp_path):
    # The first PATCH is processed, then its answer lost every time, and reading the users again (after the one
    # page of the listing) fails too: its outcome is unknown. The second PATCH is never sent.
    record_api.add_fault("drop_after_processing", method="PATCH", times=-1)
    record_api.add_fault("status", status=503, method="GET", times=-1, after=1)
    result = run_module(cf_access_seat, dict(record_args, report_dir=str(tmp_path), batch_size=2, retries=0))
    assert result["failed"] is True
    assert [(row["email"], row["seats freed"], row["outcome"]) for row in read_csv(result["report_csv"])] == [
        ("user0@example.com", "", "unknown"), ("user2@example.com", "", "unknown"), ("user3@example.com", "", "not sent")]
    assert result["inactivity"]["outcomes"] == dict(would_free=0, freed=0, still_held=0, unknown=2, refused=0, not_sent=1)
    assert result["inactivity"]["seats_after"] == result["inactivity"]["seats_before"]  # unknown counts as held


def test_no_row_of_the_record_says_freed_for_a_seat_still_held(run_module, record_args, record_api, tmp_path):
    # The API answers success to the PATCH but frees nothing, and shows the seats still held; reading the users
    # again shows them held too.
    held = [dict(seat_uid=user["seat_uid"], access_seat=True, gateway_seat=True) for user in USERS if user["email"] in INACTIVE]
    record_api.add_fault("canned", status=200, method="PATCH", times=-1, body=json.dumps(listing(held)))
    result = run_module(cf_access_seat, dict(record_args, report_dir=str(tmp_path)))
    assert result["failed"] is True and result["changed_users"] == []
    assert [(row["email"], row["seats to free"], row["seats freed"], row["outcome"])
            for row in read_csv(result["report_csv"])] == [(email, "access gateway", "", "still held") for email in INACTIVE]


def test_a_record_that_cannot_be_written_fails_naming_it_and_leaves_no_half_file(
        run_module, record_args, record_api, tmp_path):
    with file_size_limit(300):  # the record's header fits, its rows do not: as a disk that fills up on the way
        result = run_module(cf_access_seat, dict(record_args, report_dir=str(tmp_path), report_name="reclaim_seats"))
    assert result["failed"] is True and result["report_csv"] is None
    assert re.fullmatch(r"report_dir: cannot write %s/reclaim_seats-\d{8}T\d{6}Z\.csv: File too large"
                        % re.escape(str(tmp_path)), result["msg"])
    assert [user["email"] for user in result["changed_users"]] == INACTIVE  # the seats were freed all the same
    assert result["changed"] is True
    assert os.listdir(str(tmp_path)) == []
