# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_membership's real main(), against the local Cloudflare-like API (which keeps its groups and reusable
policies and replaces them on a PUT): offboarding from every group and policy, a second run, check mode and diff,
one PUT per object whatever the number of users, onboarding into named groups, someone else's edit between the read
and the write, unclear and refused answers, the request budget and bad input. (The plans: test_access_membership.py.)"""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_membership
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.api_state import writes
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import warning_texts

ACCOUNT = local_api.ACCOUNT_ID
JDOE = seeded.EXAMPLE_USER
LOOKALIKE = seeded.LOOKALIKE_USER
ENGINEERING = seeded.ENGINEERING
CONTRACTORS = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a02"
ON_CALL = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a03"
DOMAIN_REQUIRED = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a04"
ADMINS = "0c5b4a39-2817-4f6e-9d5c-4b3a29180702"
GROUPS = "/client/v4/accounts/%s/access/groups" % ACCOUNT
POLICIES = "/client/v4/accounts/%s/access/policies" % ACCOUNT


def email(address):
    return {"email": {"email": address}}


def rules(api, kind, object_id):
    return api.rules.get(ACCOUNT, kind, object_id)


def requests_of(api):
    return [(request["method"], request["path"]) for request in api.api_requests()]


def attention(result):
    """{name: [issue codes]} of needs_attention."""
    return {entry["name"]: [item["issue"] for item in entry["issues"]] for entry in result["needs_attention"]}


@pytest.fixture
def api(fake_api):
    return fake_api


def test_offboarding_takes_the_email_include_rules_out_of_every_group_and_policy_and_reports_the_rest(
        run_module, token_args, api):
    before = {object_id: rules(api, "groups", object_id) for object_id in (ENGINEERING, CONTRACTORS)}
    result = run_module(cf_access_membership, dict(token_args, email="JDoe@example.com"))
    assert result["changed"] is True and result["missing"] == []
    assert result["user"] == JDOE and result["changed_users"] == [JDOE]
    assert result["groups"] == [
        dict(id=ENGINEERING, name="Engineering", removed=[email(JDOE["email"])], added=[]),
        dict(id=CONTRACTORS, name="Contractors", removed=[email("JDoe@Example.COM")], added=[])]  # any letter case
    assert result["policies"] == [dict(id=ADMINS, name="Admins, approved", removed=[email(JDOE["email"])], added=[])]
    assert attention(result) == {
        "On-call": ["include_would_be_empty"],
        "Domain, one person required": ["not_an_email_rule", "in_require"],
        "Lists and identity providers": ["not_an_email_rule", "email_list_not_read"],
        "Jane's bypass": ["include_would_be_empty"],
        "Partners": ["not_an_email_rule", "in_exclude"]}
    # the account as it is now: only the email include rules are gone, the lookalike's stays
    assert rules(api, "groups", ENGINEERING)["include"] == [email(LOOKALIKE["email"]), email(seeded.FORMER_EMPLOYEE)]
    assert rules(api, "groups", CONTRACTORS)["include"] == [{"email_domain": {"domain": "partner.example"}}]
    assert rules(api, "groups", CONTRACTORS)["exclude"] == before[CONTRACTORS]["exclude"]
    assert rules(api, "groups", ON_CALL)["include"] == [email(JDOE["email"])]  # never include: []
    assert rules(api, "groups", DOMAIN_REQUIRED)["require"] == [email(JDOE["email"])]  # kept: removing it widens
    admins = rules(api, "policies", ADMINS)
    assert admins["include"] == [email(seeded.ADMIN)] and admins["session_duration"] == "8h"
    assert admins["mfa_config"] == {"allowed_authenticators": ["totp", "security_key"], "session_duration": "12h"}
    # reads first (the look-up, one listing of each), then per object a read again and one PUT
    sent = requests_of(api)
    assert sent[:3] == [("GET", "/client/v4/accounts/%s/access/users" % ACCOUNT), ("GET", GROUPS), ("GET", POLICIES)]
    assert sorted(sent[3:]) == sorted([("GET", GROUPS + "/" + ENGINEERING), ("PUT", GROUPS + "/" + ENGINEERING),
                                       ("GET", GROUPS + "/" + CONTRACTORS), ("PUT", GROUPS + "/" + CONTRACTORS),
                                       ("GET", POLICIES + "/" + ADMINS), ("PUT", POLICIES + "/" + ADMINS)])
    assert result["api_pacing"]["requests"] == 9
    bodies = [json.loads(request["body"]) for request in api.api_requests() if request["method"] == "PUT"]
    for body in bodies:  # only what the PUT request schemas take
        assert not set(body) & {"id", "created_at", "updated_at", "account_id", "app_count", "reusable"}


def test_a_second_run_changes_nothing_and_sends_no_put(run_module, token_args, api):
    args = dict(token_args, email=[JDOE["email"], LOOKALIKE["email"]])
    assert run_module(cf_access_membership, args)["changed"] is True
    api.clear()
    again = run_module(cf_access_membership, args)
    assert again["changed"] is False and again["changed_users"] == [] and "failed" not in again
    assert again["groups"] == again["policies"] == [] and writes(api) == []
    assert len(api.api_requests()) == 3  # the look-ups of two emails by the listing, the two listings


def test_several_users_in_one_object_cost_one_put(run_module, token_args, api):
    result = run_module(cf_access_membership, dict(token_args, email=[JDOE["email"], LOOKALIKE["email"]]))
    engineering = next(group for group in result["groups"] if group["id"] == ENGINEERING)
    assert engineering["removed"] == [email(JDOE["email"]), email(LOOKALIKE["email"])]
    assert writes(api).count(("PUT", GROUPS + "/" + ENGINEERING)) == 1
    assert rules(api, "groups", ENGINEERING)["include"] == [email(seeded.FORMER_EMPLOYEE)]
    assert [user["email"] for user in result["changed_users"]] == [JDOE["email"], LOOKALIKE["email"]]
    puts = [path for method, path in writes(api) if method == "PUT"]
    assert len(puts) == len(set(puts)) == len(result["groups"]) + len(result["policies"])


def test_check_mode_and_diff_report_the_rules_before_and_after_and_send_no_write(run_module, token_args, api):
    args = dict(token_args, email=JDOE["email"], _ansible_diff=True)
    checked = run_module(cf_access_membership, args, check_mode=True)
    assert writes(api) == [] and len(api.api_requests()) == 3  # no read again either
    assert rules(api, "groups", ENGINEERING)["include"][0] == email(JDOE["email"])
    api.clear()
    real = run_module(cf_access_membership, args)
    for key in ("changed", "users", "changed_users", "missing", "groups", "policies", "needs_attention", "diff"):
        assert checked[key] == real[key]
    label = "group Engineering (%s)" % ENGINEERING
    assert checked["diff"]["before"][label] == {"include": [email(JDOE["email"]), email(LOOKALIKE["email"]),
                                                            email(seeded.FORMER_EMPLOYEE)]}
    assert checked["diff"]["after"][label] == {"include": [email(LOOKALIKE["email"]), email(seeded.FORMER_EMPLOYEE)]}
    assert len(checked["diff"]["before"]) == 3


def test_groups_narrow_the_task_to_those_groups_and_leave_the_policies(run_module, token_args, api):
    result = run_module(cf_access_membership, dict(token_args, user_id=JDOE["id"], groups=[CONTRACTORS.upper()]))
    assert [group["name"] for group in result["groups"]] == ["Contractors"] and result["policies"] == []
    assert writes(api) == [("PUT", GROUPS + "/" + CONTRACTORS)]
    assert ("GET", POLICIES) not in requests_of(api)
    assert rules(api, "groups", ENGINEERING)["include"][0] == email(JDOE["email"])
    with_policies = run_module(cf_access_membership, dict(token_args, email=JDOE["email"], groups=["Engineering"],
                                                          policies=True))
    assert [policy["name"] for policy in with_policies["policies"]] == ["Admins, approved"]


def test_onboarding_adds_an_email_include_rule_to_each_named_group_that_lacks_it(run_module, token_args, api):
    args = dict(token_args, email=[LOOKALIKE["email"], JDOE["email"]], groups=["On-call", "Engineering"],
                state="present")
    result = run_module(cf_access_membership, args)
    assert result["changed"] is True and result["policies"] == []
    assert result["groups"] == [dict(id=ON_CALL, name="On-call", removed=[], added=[email(LOOKALIKE["email"])])]
    assert rules(api, "groups", ON_CALL)["include"] == [email(JDOE["email"]), email(LOOKALIKE["email"])]
    assert [user["email"] for user in result["changed_users"]] == [LOOKALIKE["email"]]
    assert writes(api) == [("PUT", GROUPS + "/" + ON_CALL)]
    api.clear()
    assert run_module(cf_access_membership, args)["changed"] is False and writes(api) == []
    excluded = run_module(cf_access_membership, dict(args, groups=["Contractors"]))
    assert attention(excluded) == {"Contractors": ["excluded"]} and excluded["needs_attention"][0]["changed"] is True


def test_someone_elses_edit_between_the_read_and_the_write_is_reported_never_overwritten(run_module, token_args, api):
    api.add_fault("someone_else_edits", path="/access/groups", method="GET", object_id=ENGINEERING)
    result = run_module(cf_access_membership, dict(token_args, email=JDOE["email"]))
    assert "failed" not in result and result["changed"] is True
    assert [group["name"] for group in result["groups"]] == ["Contractors"]
    assert ("PUT", GROUPS + "/" + ENGINEERING) not in writes(api)
    conflict = next(entry for entry in result["needs_attention"] if entry["id"] == ENGINEERING)
    assert [item["issue"] for item in conflict["issues"]] == ["changed_since_read"]
    assert conflict["issues"][0]["why"].startswith("someone changed it since it was read: include")
    assert rules(api, "groups", ENGINEERING)["include"][-1] == email(local_api.account.AccessRules.SOMEONE_ELSE)
    assert rules(api, "groups", ENGINEERING)["include"][0] == email(JDOE["email"])  # their edit and ours both wait
    assert any("changed since it was read" in text for text in warning_texts(result))
    api.clear()
    again = run_module(cf_access_membership, dict(token_args, email=JDOE["email"]))
    assert [group["name"] for group in again["groups"]] == ["Engineering"]
    assert email(local_api.account.AccessRules.SOMEONE_ELSE) in rules(api, "groups", ENGINEERING)["include"]


@pytest.mark.parametrize("fault, options", [("drop_after_processing", {}), ("status_after_processing", {"status": 502}),
                                            ("after_processing", {"answer": "contradict"})])
def test_an_unclear_answer_is_settled_by_reading_again(run_module, token_args, api, fault, options):
    api.add_fault(fault, path="/access/groups/" + ENGINEERING, method="PUT", **options)
    result = run_module(cf_access_membership, dict(token_args, email=JDOE["email"]))
    assert "failed" not in result and ENGINEERING in [group["id"] for group in result["groups"]]
    assert writes(api).count(("PUT", GROUPS + "/" + ENGINEERING)) == 1  # never sent twice
    assert any("read again, it shows the change done" in text for text in warning_texts(result))


def test_an_unclear_answer_of_a_put_not_done_fails_saying_what_was_done(run_module, token_args, api):
    api.add_fault("status", path="/access/groups/" + ENGINEERING, method="PUT", status=502)
    result = run_module(cf_access_membership, dict(token_args, email=JDOE["email"]))
    assert result["failed"] is True and result["status"] == 502
    assert ENGINEERING not in [group["id"] for group in result["groups"]]
    assert "changed 2 of 3 objects" in result["msg"] and result["msg"].endswith("only what is left")
    assert rules(api, "groups", ENGINEERING)["include"][0] == email(JDOE["email"])


def test_a_refused_put_does_not_stop_the_others(run_module, token_args, api):
    api.add_fault("status", path="/access/policies/" + ADMINS, method="PUT", status=400)
    result = run_module(cf_access_membership, dict(token_args, email=JDOE["email"]))
    assert result["failed"] is True
    assert [group["name"] for group in result["groups"]] == ["Engineering", "Contractors"] and result["policies"] == []
    assert "refused: policy Admins, approved (%s) (HTTP 400" % ADMINS in result["msg"]
    assert "refused" in attention(result)["Admins, approved"]


def test_the_writes_are_counted_against_the_budget_before_the_first(run_module, token_args, api):
    result = run_module(cf_access_membership, dict(token_args, email=JDOE["email"], request_budget=5))
    assert result["failed"] is True and "takes 6 more API requests" in result["msg"]
    assert writes(api) == []


@pytest.mark.parametrize("args, message", [
    (dict(state="present"), "state: present needs groups"),
    (dict(state="present", groups=["On-call"], policies=True), "state: present puts users in groups only"),
    (dict(groups=[]), "groups must name at least one group"),
])
def test_bad_input_fails_before_any_request(run_module, token_args, api, args, message):
    result = run_module(cf_access_membership, dict(token_args, email=JDOE["email"], **args))
    assert result["failed"] is True and message in result["msg"] and api.api_requests() == []


def test_a_group_that_does_not_exist_fails_before_any_write(run_module, token_args, api):
    result = run_module(cf_access_membership, dict(token_args, email=JDOE["email"], groups=["Engineering", "Nope"]))
    assert result["failed"] is True and result["msg"] == "no Access group has the name or id Nope; nothing was changed"
    assert writes(api) == []


def test_a_run_that_changes_keeps_a_record_per_user_and_object_and_check_mode_writes_none(
        run_module, token_args, api, tmp_path):
    args = dict(token_args, email=[JDOE["email"], LOOKALIKE["email"]], report_dir=str(tmp_path / "records"),
                report_name="offboard-membership")
    checked = run_module(cf_access_membership, args, check_mode=True)
    assert checked["report_csv"] is None and not (tmp_path / "records").exists()
    result = run_module(cf_access_membership, args)
    path = result["report_csv"]
    assert path.startswith(str(tmp_path / "records" / "offboard-membership-")) and path.endswith("Z.csv")
    with open(path, encoding="utf-8-sig") as handle:
        rows = [line.rstrip("\r\n") for line in handle]
    assert rows[0] == "email,kind,name,id,rules removed,rules added,outcome"
    assert "jdoe@example.com,group,Engineering,%s,email:jdoe@example.com,,changed" % ENGINEERING in rows
    assert "john.jdoe@example.com,group,Engineering,%s,email:john.jdoe@example.com,,changed" % ENGINEERING in rows
    assert "jdoe@example.com,group,On-call,%s,,,left for a person: include_would_be_empty" % ON_CALL in rows
    api.clear()
    again = run_module(cf_access_membership, args)
    assert again["changed"] is False and again["report_csv"] is None  # nothing sent, nothing written
    assert len(list((tmp_path / "records").iterdir())) == 1


def test_no_user_found_reads_no_group_or_policy(run_module, token_args, api):
    result = run_module(cf_access_membership, dict(token_args, email="nobody@example.com", groups=["Engineering"]))
    assert result["changed"] is False and result["missing"] == ["nobody@example.com"] and result["user"] == {}
    assert [path for _method, path in requests_of(api)] == ["/client/v4/accounts/%s/access/users" % ACCOUNT]
