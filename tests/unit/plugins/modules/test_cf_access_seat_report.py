# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_seat_report's real main(), against the local Cloudflare-like API."""

from __future__ import annotations

import csv
import datetime
import json
import os

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_seat_report
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.file_size import file_size_limit


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def inactive_by_rule(users, days=90):
    """The seat holders last active more than ``days`` ago, by an independent reading of the API's Z times."""
    cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
    picked = []
    for user in users:
        seen = user["last_successful_login"] or user["created_at"]
        when = datetime.datetime.strptime(seen[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
        if (user["access_seat"] or user["gateway_seat"]) and when < cutoff:
            picked.append(user["email"])
    return sorted(picked)


def test_writes_the_report_and_returns_only_counts_and_examples(run_module, token_args, fake_api, tmp_path):
    result = run_module(cf_access_seat_report, dict(token_args, report_dir=str(tmp_path / "audit"), sample_size=2))
    users = fake_api.accounts[local_api.ACCOUNT_ID]
    assert result["changed"] is True
    assert result["csv_path"] == str(tmp_path / "audit" / "seat_report.csv")
    assert result["html_path"] == str(tmp_path / "audit" / "seat_report.html")
    assert result["summary"]["users"] == 25
    assert result["flagged"]["inactive"]["count"] == len(inactive_by_rule(users))
    assert [len(flag["users"]) for flag in result["flagged"].values()] == [
        min(2, flag["count"]) for flag in result["flagged"].values()]
    assert result["missing"] == [] and result["changed_users"] == []
    assert "users" not in result
    assert len(json.dumps(result)) < 8000  # the result does not grow with the account
    assert [request["method"] for request in fake_api.api_requests()] == ["GET"]


def test_the_csv_file_matches_the_users_on_the_api(run_module, token_args, fake_api, tmp_path):
    result = run_module(cf_access_seat_report, dict(token_args, report_dir=str(tmp_path)))
    rows = read_csv(result["csv_path"])
    api_users = fake_api.accounts[local_api.ACCOUNT_ID]
    assert [row["email"] for row in rows] == sorted(user["email"] for user in api_users)
    expected = {user["id"]: [user["email"], user["name"], "yes" if user["access_seat"] else "no",
                             "yes" if user["gateway_seat"] else "no", str(user["active_device_count"]),
                             user["last_successful_login"] or "", user["created_at"]] for user in api_users}
    assert {row["id"]: [row[column] for column in list(row)[:7]] for row in rows} == expected
    assert sorted(row["email"] for row in rows if "inactive" in row["flags"].split()) == inactive_by_rule(api_users)


def test_check_mode_reads_and_counts_but_writes_no_file(run_module, token_args, tmp_path):
    result = run_module(cf_access_seat_report, dict(token_args, report_dir=str(tmp_path / "r")), check_mode=True)
    assert result["changed"] is False
    assert result["summary"]["users"] == 25
    assert not os.path.exists(str(tmp_path / "r"))


def test_a_large_account_is_listed_once_and_reported_whole(run_module, big_args, big_api, tmp_path):
    result = run_module(cf_access_seat_report, dict(big_args, report_dir=str(tmp_path)))
    assert len(read_csv(result["csv_path"])) == 2500
    assert sorted(int(request["query"]["page"]) for request in big_api.api_requests()) == [1, 2, 3]
    assert sum(entry["users"] for entry in result["last_login_age"]) == 2500


@pytest.mark.parametrize("option, value, says", [
    ("inactive_days", 0, "inactive_days must be a whole number of days from 1 to 36500"),
    ("inactive_days", 500000, "inactive_days must be a whole number of days from 1 to 36500"),
    ("inactive_days", -3, "inactive_days must be a whole number of days from 1 to 36500"),
    ("sample_size", 101, "sample_size must be a whole number from 0 to 100"),
    ("report_dir", "", "report_dir must name a directory"),
])
def test_bad_options_fail_before_any_request(run_module, token_args, fake_api, tmp_path, option, value, says):
    args = dict(token_args, report_dir=str(tmp_path))
    args[option] = value
    result = run_module(cf_access_seat_report, args)
    assert result["failed"] is True and result["msg"].startswith(says)
    assert fake_api.api_requests() == []


def test_a_report_dir_under_a_file_fails_before_any_request(run_module, token_args, fake_api, tmp_path):
    (tmp_path / "plain").write_text("not a directory")
    result = run_module(cf_access_seat_report, dict(token_args, report_dir=str(tmp_path / "plain" / "reports")))
    assert result["failed"] is True
    assert result["msg"] == "report_dir: cannot write to %s (%s is not a directory)" % (
        tmp_path / "plain" / "reports", tmp_path / "plain")
    assert fake_api.api_requests() == []


def test_a_listing_failure_is_one_line_and_writes_nothing(run_module, token_args, fake_api, tmp_path):
    fake_api.add_fault("status", status=403, times=-1)
    result = run_module(cf_access_seat_report, dict(token_args, report_dir=str(tmp_path / "r")))
    assert result["failed"] is True
    assert result["msg"].startswith("GET /accounts/%s/access/users?page=1&per_page=1000 failed: HTTP 403" % local_api.ACCOUNT_ID)
    assert "\n" not in result["msg"]
    assert not os.path.exists(str(tmp_path / "r"))


def test_a_user_listed_twice_in_one_page_is_not_counted_twice_the_listing_is_refused(
        run_module, token_args, fake_api, tmp_path):
    users = fake_api.accounts[local_api.ACCOUNT_ID]
    users.append(dict(users[0], access_seat=not users[0]["access_seat"]))  # two readings of one user
    result = run_module(cf_access_seat_report, dict(token_args, report_dir=str(tmp_path / "r")))
    assert result["failed"] is True
    assert result["msg"] == ("GET /accounts/%s/access/users?page=1&per_page=1000 failed: HTTP 200: items 1 and 26 of "
                             "page 1 have the same id %s: the page names one object twice"
                             % (local_api.ACCOUNT_ID, users[0]["id"]))
    assert not os.path.exists(str(tmp_path / "r"))


def test_a_token_the_server_echoes_in_a_users_fields_is_written_to_neither_file(
        run_module, token_args, fake_api, tmp_path):
    user = fake_api.accounts[local_api.ACCOUNT_ID][0]
    user["name"] = "Ada %s" % local_api.API_TOKEN
    user["last_successful_login"] = local_api.API_TOKEN
    result = run_module(cf_access_seat_report, dict(token_args, report_dir=str(tmp_path), sample_size=100))
    assert local_api.API_TOKEN not in json.dumps(result)  # on screen, Ansible masks the no_log api_token's value
    for path in (result["csv_path"], result["html_path"]):
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
        assert local_api.API_TOKEN not in text and "Ada ********" in text, path


def test_a_report_that_cannot_be_written_whole_leaves_the_earlier_one_and_names_the_file(run_module, token_args, tmp_path):
    args = dict(token_args, report_dir=str(tmp_path))
    earlier = run_module(cf_access_seat_report, args)
    before = {name: (tmp_path / name).read_bytes() for name in os.listdir(str(tmp_path))}
    assert sorted(before) == ["seat_report.csv", "seat_report.html"]
    assert len(before["seat_report.csv"]) < 8000 < len(before["seat_report.html"])
    with file_size_limit(8000):  # the CSV file fits, the page does not: as a disk that fills up on the way
        result = run_module(cf_access_seat_report, args)
    assert result["failed"] is True
    assert result["msg"] == "the users were read, but the report was not written: cannot write %s: File too large" % (
        earlier["html_path"])
    assert {name: (tmp_path / name).read_bytes() for name in os.listdir(str(tmp_path))} == before
