# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_user's real main(), against a fresh local Cloudflare-like API for each test (it writes): create,
rename and delete, batches, check and diff mode, bad input, failures of each write, and a task that fails part-way.
(How an unclear answer of a write is settled: test_access_user_writes.py.)"""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_user
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api.server import LocalAPI
from ansible_collections.cloudflare_community.zero_trust.tests.support.api_state import users_with, writes
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import leaks, token_args_for, warning_texts

USERS_PATH = "/client/v4/accounts/%s/access/users" % local_api.ACCOUNT_ID
JDOE = seeded.EXAMPLE_USER
ADA = "ada@example.com"


def reads(server):
    return [request for request in server.api_requests() if request["method"] == "GET"]


def add_users(server, emails):
    for number, email in enumerate(emails):
        server.accounts[local_api.ACCOUNT_ID].append(dict(JDOE, id="00000000-0000-4000-8000-%012d" % number, email=email,
                                                          name="Leaver %d" % number))


def test_creates_a_missing_user_with_one_look_up_and_one_post(run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, email=ADA, name="Ada Lovelace"))
    assert result["changed"] is True
    [created] = users_with(fake_api, ADA)
    assert result["user"] == created and result["users"] == [created]
    assert created["name"] == "Ada Lovelace"
    assert [(r["method"], r["query"].get("email")) for r in fake_api.api_requests()] == [("GET", ADA), ("POST", None)]


@pytest.mark.parametrize("spelling", [ADA, "ADA@Example.COM"])
def test_running_again_changes_nothing_and_writes_nothing(run_module, token_args, fake_api, spelling):
    run_module(cf_access_user, dict(token_args, email=ADA, name="Ada Lovelace"))
    fake_api.clear()
    result = run_module(cf_access_user, dict(token_args, email=spelling, name="Ada Lovelace"))
    assert result["changed"] is False
    assert result["user"] == users_with(fake_api, ADA)[0]
    assert writes(fake_api) == [] and len(reads(fake_api)) == 1


def test_without_a_name_an_existing_user_keeps_its_own(run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, email=JDOE["email"]))
    assert result["changed"] is False and result["user"] == JDOE
    assert writes(fake_api) == []


def test_a_new_name_renames_with_the_current_email(run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, email="JDOE@example.com", name="Jane Q. Doe"))
    assert result["changed"] is True
    assert result["user"]["name"] == "Jane Q. Doe" and result["user"]["id"] == JDOE["id"]
    assert writes(fake_api) == [("PUT", "%s/%s" % (USERS_PATH, JDOE["id"]))]
    assert users_with(fake_api, JDOE["email"])[0]["name"] == "Jane Q. Doe"  # the API took the current email


def test_renames_by_user_id(run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, user_id=JDOE["id"].upper(), name="Jane Q. Doe"))
    assert result["changed"] is True and result["user"]["email"] == JDOE["email"]
    assert [r["method"] for r in fake_api.api_requests()] == ["GET", "PUT"]


def test_user_id_with_the_users_own_email_in_other_case_is_accepted(run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, user_id=JDOE["id"], email="JDoe@Example.com"))
    assert result["changed"] is False and result["user"] == JDOE


def test_an_email_change_is_refused_before_any_write(run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, user_id=JDOE["id"], email="new@example.com", name="X"))
    assert result["failed"] is True
    assert result["msg"] == ("email cannot be changed: user %s has the email jdoe@example.com, not new@example.com "
                             "(Cloudflare does not allow changing a user's email)" % JDOE["id"])
    assert writes(fake_api) == []


def test_deletes_then_deleting_again_changes_nothing(run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, email=JDOE["email"], state="absent"))
    assert result["changed"] is True
    assert result["user"] == JDOE and result["users"] == result["changed_users"] == [JDOE]  # as it was
    assert result["missing"] == [] and "deleted" not in result
    assert writes(fake_api) == [("DELETE", "%s/%s" % (USERS_PATH, JDOE["id"]))]
    assert users_with(fake_api, JDOE["email"]) == []
    fake_api.clear()
    again = run_module(cf_access_user, dict(token_args, email=JDOE["email"], state="absent"))
    assert again["changed"] is False and again["changed_users"] == again["users"] == [] and again["user"] == {}
    assert again["missing"] == [JDOE["email"]]
    assert writes(fake_api) == []


def test_deletes_by_user_id(run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, user_id=JDOE["id"], state="absent"))
    assert result["changed"] is True and result["changed_users"] == [JDOE]


def test_twenty_leavers_in_one_task_with_the_planners_reads(run_module):
    with LocalAPI(users=2500) as big:
        leavers = ["leaver%02d@example.com" % number for number in range(20)]
        add_users(big, leavers)
        big_args = token_args_for(big)
        result = run_module(cf_access_user, dict(big_args, email=leavers + ["gone@example.com"], state="absent"))
        assert result["changed"] is True
        assert [user["email"] for user in result["changed_users"]] == leavers
        assert result["users"] == result["changed_users"] and "user" not in result
        assert result["missing"] == ["gone@example.com"]
        assert len(reads(big)) <= min(21, 3) + 1  # the planner's bound for 2,520 users
        assert len(writes(big)) == 20
        assert not any(user["email"].startswith("leaver") for user in big.accounts[local_api.ACCOUNT_ID])
        big.clear()
        again = run_module(cf_access_user, dict(big_args, email=leavers, state="absent"))
        assert again["changed"] is False and writes(big) == []


def test_the_deletes_are_counted_before_the_first_one(run_module, token_args, fake_api):
    leavers = ["leaver%02d@example.com" % number for number in range(20)]
    add_users(fake_api, leavers)
    result = run_module(cf_access_user, dict(token_args, email=leavers, state="absent", request_budget=10))
    assert result["failed"] is True
    assert result["msg"].startswith("changing 20 users takes 20 more API requests (1 sent so far), more than "
                                    "request_budget allows (10)")
    assert writes(fake_api) == []


def test_a_batch_of_new_hires(run_module, token_args, fake_api):
    hires = ["grace@example.com", "alan@example.com", JDOE["email"]]
    result = run_module(cf_access_user, dict(token_args, email=hires))
    assert result["changed"] is True
    assert [user["email"] for user in result["users"]] == hires
    assert [method for method, _path in writes(fake_api)] == ["POST", "POST"]


@pytest.mark.parametrize("state, options", [
    ("present", dict(email=ADA, name="Ada Lovelace")),
    ("present", dict(email=JDOE["email"], name="Jane Q. Doe")),
    ("absent", dict(email=JDOE["email"])),
])
def test_check_mode_reads_reports_and_writes_nothing(run_module, token_args, fake_api, state, options):
    before = [dict(user) for user in fake_api.accounts[local_api.ACCOUNT_ID]]
    result = run_module(cf_access_user, dict(token_args, state=state, _ansible_diff=True, **options), check_mode=True)
    assert result["changed"] is True
    assert writes(fake_api) == [] and len(reads(fake_api)) == 1
    assert fake_api.accounts[local_api.ACCOUNT_ID] == before
    diff = result["diff"]
    assert diff["before_header"] == diff["after_header"] == options["email"]
    if state == "absent":
        assert diff == dict(diff, before=JDOE, after={}) and result["changed_users"] == [JDOE]
        assert result["user"] == JDOE  # as it was: the user that would be deleted
        return
    elif options["email"] == ADA:
        assert diff == dict(diff, before={}, after={"email": ADA, "name": "Ada Lovelace"})
    else:
        assert diff == dict(diff, before=JDOE, after=dict(JDOE, name="Jane Q. Doe"))
    assert result["user"] == diff["after"]


def test_diff_mode_shows_each_user_of_a_batch(run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, email=[JDOE["email"], ADA], state="absent", _ansible_diff=True))
    assert [(diff["before"], diff["after"]) for diff in result["diff"]] == [(JDOE, {}), ({}, {})]


def test_several_users_with_the_email_fail_naming_their_ids(run_module, token_args, fake_api):
    twin = dict(JDOE, id="11111111-1111-4111-8111-111111111111", email="JDoe@example.com")
    fake_api.accounts[local_api.ACCOUNT_ID].append(twin)
    for state in ("present", "absent"):
        result = run_module(cf_access_user, dict(token_args, email=JDOE["email"], state=state))
        assert result["failed"] is True
        assert result["msg"] == ("2 users have the email jdoe@example.com (in different letter case): %s, %s; name the "
                                 "one meant with user_id" % (twin["id"], JDOE["id"]))
    assert writes(fake_api) == []


def test_an_unknown_user_id_cannot_be_created(run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, user_id="00000000-0000-4000-8000-000000000000"))
    assert result["failed"] is True
    assert result["msg"].startswith("user_id 00000000-0000-4000-8000-000000000000 names no user;")
    assert writes(fake_api) == []


@pytest.mark.parametrize("options, message", [
    (dict(email="not-an-address"), "email must be an email address such as jdoe@example.com, got 'not-an-address'"),
    (dict(email="ada@example.com\r\nX: y"), "email must be an email address"),
    (dict(email=[]), "email must name at least one user"),
    (dict(user_id="../../../../etc/passwd", state="absent"), "user_id must be a UUID"),
    (dict(email=ADA, name=" "), "name must not be empty"),
    (dict(email=[ADA, "grace@example.com"], name="Ada"), "name sets the name of one user, but email names 2"),
    (dict(email=ADA, name="Ada", state="absent"), "name is only used with state=present"),
    (dict(user_id=[JDOE["id"]], email=[ADA, JDOE["email"]]), "user_id and email together name one user"),
    (dict(name="Ada"), "one of the following is required: email, user_id"),
    (dict(email=ADA, state="gone"), "value of state must be one of: present, absent"),
])
def test_bad_input_fails_before_any_request(run_module, token_args, fake_api, options, message):
    result = run_module(cf_access_user, dict(token_args, **options))
    assert result["failed"] is True
    assert message in result["msg"]
    assert fake_api.api_requests() == []


def test_a_post_whose_answer_is_lost_is_not_sent_again_and_the_created_user_is_reported(run_module, token_args, fake_api):
    fake_api.add_fault("drop_after_processing", method="POST")
    result = run_module(cf_access_user, dict(token_args, email=ADA, name="Ada Lovelace"))
    assert result["changed"] is True
    assert result["user"] == users_with(fake_api, ADA)[0]
    assert [r["method"] for r in fake_api.api_requests()] == ["GET", "POST", "GET"]


def test_a_post_that_broke_before_it_took_effect_fails_saying_the_outcome_is_unknown(run_module, token_args, fake_api):
    fake_api.add_fault("reset", method="POST")
    result = run_module(cf_access_user, dict(token_args, email=ADA))
    assert result["failed"] is True
    assert result["msg"].startswith("POST /accounts/%s/access/users failed: HTTP 200: the connection to " % local_api.ACCOUNT_ID)
    assert result["msg"].endswith("the outcome is unknown; running the task again is safe, as it looks the email up "
                                  "before creating")
    assert result["status"] == 200 and len(result["msg"].splitlines()) == 1  # headers came, the body broke off
    assert [r["method"] for r in fake_api.api_requests()] == ["GET", "POST", "GET"]
    assert run_module(cf_access_user, dict(token_args, email=ADA))["changed"] is True  # the re-run the message promises
    assert len(users_with(fake_api, ADA)) == 1


WRITE_CASES = {
    "POST": dict(email=ADA, name="Ada Lovelace"),
    "PUT": dict(email=JDOE["email"], name="Jane Q. Doe"),
    "DELETE": dict(email=JDOE["email"], state="absent"),
}


@pytest.mark.parametrize("method", sorted(WRITE_CASES))
def test_a_403_on_a_write_names_the_permission_or_says_the_schema_names_none(run_module, token_args, fake_api, method):
    fake_api.add_fault("status", status=403, method=method)
    result = run_module(cf_access_user, dict(token_args, **WRITE_CASES[method]))
    assert result["failed"] is True and result["status"] == 403 and result["method"] == method
    assert "HTTP 403: [10403] Authentication error (cf-ray " in result["msg"]
    if method == "PUT":
        assert result["msg"].endswith("this call needs the API token permission 'Zero Trust: Seats Write' on the account")
    else:
        assert "Cloudflare's API schema names no API token permission for this call" in result["msg"]
    assert len([r for r in fake_api.api_requests() if r["method"] == method]) == 1


@pytest.mark.parametrize("method", sorted(WRITE_CASES))
def test_a_429_on_a_write_is_waited_out(run_module, token_args, fake_api, method):
    fake_api.add_fault("status", status=429, retry_after=0.1, method=method)
    result = run_module(cf_access_user, dict(token_args, **WRITE_CASES[method]))
    assert result["changed"] is True
    assert [method] * 2 == [r["method"] for r in fake_api.api_requests() if r["method"] == method]
    assert len(result["api_retries"]) == 1
    assert any("retried after transient failures" in text for text in warning_texts(result))


@pytest.mark.parametrize("method", sorted(WRITE_CASES))
def test_a_429_that_lasts_fails_with_one_line(run_module, token_args, fake_api, method):
    fake_api.add_fault("status", status=429, retry_after=0.1, method=method, times=-1)
    result = run_module(cf_access_user, dict(token_args, retries=1, **WRITE_CASES[method]))
    assert result["failed"] is True and result["status"] == 429
    assert "gave up after 1 retry" in result["msg"] and len(result["msg"].splitlines()) == 1


def test_a_404_on_delete_means_the_user_is_gone_already(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=404, method="DELETE")
    result = run_module(cf_access_user, dict(token_args, email=JDOE["email"], state="absent"))
    assert result["changed"] is True and result["user"] == JDOE


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_404_on_create_or_rename_fails_with_one_line(run_module, token_args, fake_api, method):
    fake_api.add_fault("status", status=404, method=method)
    result = run_module(cf_access_user, dict(token_args, **WRITE_CASES[method]))
    assert result["failed"] is True and result["status"] == 404 and result["method"] == method
    assert "HTTP 404: [10404] Not found (cf-ray " in result["msg"]


def test_secrets_never_reach_the_result(run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, email=ADA, name="Ada", _ansible_diff=True))
    assert not leaks(local_api.API_TOKEN, result)


# --- A task that fails part-way says exactly what it did -----------------------------------------------------------

def test_deletes_that_fail_part_way_report_changed_and_exactly_which_users_are_gone(run_module, token_args, fake_api):
    leavers = ["leaver%02d@example.com" % number for number in range(3)]
    add_users(fake_api, leavers)
    refused = users_with(fake_api, leavers[1])[0]
    fake_api.add_fault("status", status=403, method="DELETE", path=refused["id"])
    result = run_module(cf_access_user, dict(token_args, email=leavers, state="absent"))
    assert result["failed"] is True and result["changed"] is True
    assert [user["email"] for user in result["changed_users"]] == [leavers[0], leavers[2]]
    assert [user["email"] for user in result["users"]] == leavers  # the one not deleted is still there
    assert result["msg"].startswith("DELETE /accounts/%s/access/users/%s failed: HTTP 403" % (local_api.ACCOUNT_ID,
                                                                                              refused["id"]))
    assert result["msg"].endswith("; 2 of 3 changes done: deleted %s, deleted %s; running the task again is safe, as "
                                  "it reads the users before writing" % (leavers[0], leavers[2]))
    assert [user["email"] for user in fake_api.accounts[local_api.ACCOUNT_ID] if user["email"] in leavers] == [leavers[1]]


def test_creates_that_fail_part_way_report_what_was_created_and_what_was_not_sent(run_module, token_args, fake_api):
    hires = ["grace@example.com", "alan@example.com", "edsger@example.com"]
    fake_api.add_fault("status", status=403, method="POST", after=1)
    result = run_module(cf_access_user, dict(token_args, email=hires))
    assert result["failed"] is True and result["changed"] is True
    assert result["changed_users"] == result["users"] == users_with(fake_api, hires[0])
    assert result["missing"] == hires[1:]
    assert result["msg"].endswith("; 1 of 3 changes done: created grace@example.com; not sent: edsger@example.com; "
                                  "running the task again is safe, as it reads the users before writing")
    assert [method for method, _path in writes(fake_api)] == ["POST", "POST"]


# --- A user answered as another is never deleted or renamed --------------------------------------------------------

def test_a_user_id_answered_with_another_user_is_never_deleted_or_renamed(run_module, token_args, fake_api):
    for options in (dict(state="absent"), dict(name="Jane Q. Doe")):
        fake_api.clear()
        fake_api.add_fault("after_processing", answer="other_user", method="GET", path=JDOE["id"])
        result = run_module(cf_access_user, dict(token_args, user_id=JDOE["id"], **options))
        assert result["failed"] is True
        assert "its answer is about another user (id " in result["msg"] and result["msg"].endswith(
            "not %s: refused" % JDOE["id"])
        assert writes(fake_api) == []
    assert len(fake_api.accounts[local_api.ACCOUNT_ID]) == 25
