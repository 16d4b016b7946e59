# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_access_membership.py: where users' emails appear in Access groups and reusable policies, the plans that take
them out or put them in (only email rules in include are edited; everything else that names them is reported),
the PUT body of a read-modify-write, the check for someone else's edit, and the request plan. Objects come as an
answer could give them, hostile shapes included: a shape that cannot be read or sent back is refused, never edited."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_membership import (
    DONE,
    GROUP,
    NOT_DONE,
    POLICY,
    RequestPlan,
    changed_emails,
    changed_since_read,
    listing_pages,
    membership,
    path_segments,
    plan_absent,
    plan_diff,
    plan_present,
    plan_result,
    put_body,
    read_problem,
    request_plan,
    select_objects,
    write_outcome,
    write_problem,
)

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
LEAVER = "leaver@example.com"
OTHER = "other@example.com"
LOOKALIKE = "john.leaver@example.com"  # contains LEAVER's address: never taken for it
G1, G2, G3 = ("aa0a4aab-672b-4bdb-bc33-a59f1130a11%d" % number for number in (1, 2, 3))
P1, P2 = ("f174e90a-fafe-4643-bbbc-4a0ed4fc841%d" % number for number in (1, 2))


def email(address):
    return {"email": {"email": address}}


def rule(kind, field, value):
    return {kind: {field: value}}


EVERYONE = {"everyone": {}}
DOMAIN = rule("email_domain", "domain", "example.com")


def group(group_id=G1, name="Engineering", include=(), **fields):
    made = {"id": group_id, "name": name, "include": list(include), "require": [], "exclude": [],
            "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-06-01T00:00:00Z"}
    made.update(fields)
    return made


def policy(policy_id=P1, name="Admins", include=(), **fields):
    made = {"id": policy_id, "name": name, "decision": "allow", "include": list(include), "require": [],
            "exclude": [], "approval_groups": [], "approval_required": False, "isolation_required": False,
            "purpose_justification_required": False, "purpose_justification_prompt": "Why?",
            "session_duration": "24h", "account_id": ACCOUNT, "app_count": 2, "reusable": True,
            "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-06-01T00:00:00Z"}
    made.update(fields)
    return made


def issues_of(plan, object_id):
    [entry] = [entry for entry in plan.needs_attention if entry["id"] == object_id]
    return entry["issues"]


def codes(plan, object_id):
    return [found["issue"] for found in issues_of(plan, object_id)]


def applied(objects, plan):
    """The objects as they are once the plan's PUTs are done."""
    new = {change.object["id"]: change.include for change in plan.changes}
    return [dict(obj, include=new.get(obj["id"], obj["include"])) for obj in objects]


# --- state absent ------------------------------------------------------------------------------------------------------

def test_absent_removes_the_users_email_rules_from_include_and_keeps_every_other_rule():
    engineering = group(include=[email(OTHER), email(LEAVER), DOMAIN, email(LOOKALIKE)])
    plan = plan_absent([engineering], [], [LEAVER])
    [change] = plan.changes
    assert change.removed == [email(LEAVER)] and change.added == []
    assert change.include == [email(OTHER), DOMAIN, email(LOOKALIKE)]
    assert change.emails == [LEAVER]


def test_absent_matches_the_users_emails_in_any_letter_case_and_reports_them_as_asked():
    engineering = group(include=[email("Leaver@Example.COM"), email(OTHER)])
    plan = plan_absent([engineering], [], ["LEAVER@example.com"])
    [change] = plan.changes
    assert change.removed == [email("Leaver@Example.COM")] and change.emails == ["LEAVER@example.com"]
    assert changed_emails(plan) == ["LEAVER@example.com"]


def test_absent_changes_each_object_once_whatever_the_number_of_users():
    leavers = ["leaver%d@example.com" % number for number in range(50)]
    engineering = group(include=[email(address) for address in leavers] + [EVERYONE])
    admins = policy(include=[email(leavers[3]), email(leavers[7]), email(OTHER)])
    plan = plan_absent([engineering], [admins], leavers)
    assert [(change.kind, change.object["id"]) for change in plan.changes] == [(GROUP, G1), (POLICY, P1)]
    assert plan.changes[0].include == [EVERYONE] and plan.changes[1].include == [email(OTHER)]
    assert changed_emails(plan) == leavers


def test_absent_keeps_require_and_exclude_rules_that_name_a_user_and_says_why():
    # Removing either would widen access: here the whole domain would get in once the require rule went.
    domain_but_leaver = group(include=[DOMAIN], require=[email(LEAVER)], exclude=[email("LEAVER@example.com")])
    plan = plan_absent([domain_but_leaver], [], [LEAVER])
    assert plan.changes == []
    [entry] = plan.needs_attention
    assert entry["kind"] == "group" and entry["id"] == G1 and entry["name"] == "Engineering" and entry["changed"] is False
    assert [(found["issue"], found["section"], found["rule"], found["value"], found["emails"]) for found in entry["issues"]] == [
        ("not_an_email_rule", "include", "email_domain", "example.com", [LEAVER]),
        ("in_require", "require", "email", LEAVER, [LEAVER]),
        ("in_exclude", "exclude", "email", "LEAVER@example.com", [LEAVER]),
    ]
    assert "widen access" in entry["issues"][1]["why"] and "widen access" in entry["issues"][2]["why"]


def test_absent_reports_an_object_it_changes_when_other_rules_name_the_user_too():
    engineering = group(include=[email(LEAVER), EVERYONE], exclude=[email(LEAVER)])
    plan = plan_absent([engineering], [], [LEAVER])
    assert [change.include for change in plan.changes] == [[EVERYONE]]
    [entry] = plan.needs_attention
    assert entry["changed"] is True and [found["issue"] for found in entry["issues"]] == ["in_exclude"]


def test_absent_never_leaves_an_include_empty_and_reports_the_object_for_a_person():
    only_them = group(include=[email(LEAVER), email("Other@example.com")])
    plan = plan_absent([only_them], [], [LEAVER, OTHER])
    assert plan.changes == []
    [found] = issues_of(plan, G1)
    assert found["issue"] == "include_would_be_empty" and found["emails"] == [LEAVER, OTHER]
    assert found["rules"] == [email(LEAVER), email("Other@example.com")]
    assert "empty" in found["why"]


@pytest.mark.parametrize("section", ["include", "require", "exclude"])
@pytest.mark.parametrize("kind, field, value", [
    ("email_domain", "domain", "EXAMPLE.com"),
    ("email_domain", "domain", "@example.com"),
    ("saml", "attribute_value", "Leaver@example.com"),
    ("oidc", "claim_value", LEAVER),
    ("gsuite", "email", LEAVER),
    ("common_name", "common_name", LEAVER),
])
def test_absent_reports_rules_that_name_the_users_email_but_are_not_email_rules_and_leaves_them(section, kind, field,
                                                                                                value):
    found_rule = {kind: {field: value, "identity_provider_id": "ea85612a-29c8-46c2-bacb-669d65136971"}}
    obj = group(include=[EVERYONE])
    obj[section] = obj[section] + [found_rule]
    plan = plan_absent([obj], [], [LEAVER])
    assert plan.changes == []
    [found] = issues_of(plan, G1)
    assert (found["issue"], found["section"], found["rule"], found["value"]) == ("not_an_email_rule", section, kind, value)
    assert found["why"].startswith("a %s rule names the user's email" % kind)


def test_absent_does_not_report_a_domain_or_attribute_of_someone_else():
    obj = group(include=[rule("email_domain", "domain", "sub.example.com"), rule("saml", "attribute_value", LOOKALIKE),
                         rule("common_name", "common_name", "leaver@example.co")])
    assert plan_absent([obj], [], [LEAVER]) == ([], [])


def test_absent_reports_the_approvers_of_a_policy_without_editing_them():
    approvals = [{"approvals_needed": 1, "email_addresses": ["a@example.com", "LEAVER@example.com"]},
                 {"approvals_needed": 2, "email_list_uuid": "597147a1-976b-4ef2-9af0-81d5d007fc34"}]
    admins = policy(include=[EVERYONE], approval_groups=approvals)
    plan = plan_absent([], [admins], [LEAVER], list_members={"597147A1-976B-4EF2-9AF0-81D5D007FC34": [LEAVER.upper()]})
    assert plan.changes == []
    assert [(found["issue"], found["rule"], found["value"]) for found in issues_of(plan, P1)] == [
        ("approver", "email_addresses", "LEAVER@example.com"),
        ("approver", "email_list_uuid", "597147a1-976b-4ef2-9af0-81d5d007fc34"),
    ]


def test_absent_reports_include_email_lists_whose_entries_were_not_read_and_names_users_of_those_read():
    read, unread = "aa0a4aab-672b-4bdb-bc33-a59f1130a11f", "bb0a4aab-672b-4bdb-bc33-a59f1130a11f"
    obj = group(include=[rule("email_list", "id", read), rule("email_list", "id", unread), EVERYONE],
                exclude=[rule("email_list", "id", "cc0a4aab-672b-4bdb-bc33-a59f1130a11f")])
    plan = plan_absent([obj], [], [LEAVER], list_members={read: ["someone@example.com", LEAVER]})
    assert [(found["issue"], found["rule"], found["value"]) for found in issues_of(plan, G1)] == [
        ("not_an_email_rule", "email_list", read),
        ("email_list_not_read", "email_list", unread),
    ]
    assert plan_absent([obj], [], [LEAVER], list_members={read: [], unread: []}) == ([], [])


def test_absent_plans_nothing_for_objects_that_do_not_name_the_users():
    objects = [group(include=[email(OTHER), email(LOOKALIKE)], require=[EVERYONE]), group(G2, "Empty include")]
    assert plan_absent(objects, [policy(include=[email(OTHER)])], [LEAVER]) == ([], [])
    assert plan_absent(objects, [], []) == ([], [])


def test_absent_a_second_plan_on_the_objects_as_changed_changes_nothing():
    groups = [group(include=[email(LEAVER), email(OTHER)]), group(G2, "Ops", include=[email("leaver@EXAMPLE.com"), DOMAIN])]
    policies = [policy(include=[email(LEAVER), EVERYONE])]
    first = plan_absent(groups, policies, [LEAVER])
    assert len(first.changes) == 3
    second = plan_absent(applied(groups, first), applied(policies, first), [LEAVER])
    assert second.changes == []


def test_absent_over_groups_and_policies_gives_the_result_keys_split_by_kind():
    plan = plan_absent([group(include=[email(LEAVER), EVERYONE])], [policy(include=[email(LEAVER), DOMAIN])], [LEAVER])
    assert plan_result(plan) == dict(
        groups=[dict(id=G1, name="Engineering", removed=[email(LEAVER)], added=[])],
        policies=[dict(id=P1, name="Admins", removed=[email(LEAVER)], added=[])],
        needs_attention=[dict(kind="policy", id=P1, name="Admins", changed=True, issues=[dict(
            issue="not_an_email_rule", why=issues_of(plan, P1)[0]["why"], section="include", rule="email_domain",
            value="example.com", emails=[LEAVER])])],
    )


def test_the_diff_shows_each_changed_objects_include_before_and_after():
    plan = plan_absent([group(include=[email(LEAVER), EVERYONE])], [], [LEAVER])
    label = "group Engineering (%s)" % G1
    assert plan_diff(plan) == dict(before={label: dict(include=[email(LEAVER), EVERYONE])},
                                   after={label: dict(include=[EVERYONE])})


# --- state present ------------------------------------------------------------------------------------------------------

def test_present_adds_an_email_include_rule_in_the_form_asked_after_the_rules_a_group_has():
    engineering = group(include=[EVERYONE, email(OTHER)])
    plan = plan_present([engineering], ["New.Hire@example.com", "second@example.com"])
    [change] = plan.changes
    assert change.added == [email("New.Hire@example.com"), email("second@example.com")] and change.removed == []
    assert change.include == [EVERYONE, email(OTHER), email("New.Hire@example.com"), email("second@example.com")]
    assert plan_result(plan)["groups"] == [dict(id=G1, name="Engineering", removed=[],
                                                added=[email("New.Hire@example.com"), email("second@example.com")])]


def test_present_leaves_a_group_that_has_the_users_in_any_letter_case_and_adds_only_who_it_lacks():
    groups = [group(include=[email("NEW@example.com")]), group(G2, "Ops", include=[email("new@example.com"), email(OTHER)])]
    plan = plan_present(groups, ["new@example.com", OTHER])
    assert [(change.object["id"], change.added) for change in plan.changes] == [(G1, [email(OTHER)])]
    assert plan_present(applied(groups, plan), ["new@example.com", OTHER]) == ([], [])


def test_present_adds_all_the_same_but_reports_an_exclude_rule_that_names_the_user():
    engineering = group(include=[EVERYONE], exclude=[email("New@example.com")], require=[email("new@example.com")])
    plan = plan_present([engineering], ["new@example.com"])
    assert [change.added for change in plan.changes] == [[email("new@example.com")]]
    [found] = issues_of(plan, G1)
    assert (found["issue"], found["section"], found["emails"]) == ("excluded", "exclude", ["new@example.com"])
    assert "grants nothing" in found["why"]


# --- the PUT body: read-modify-write -------------------------------------------------------------------------------------

def test_a_groups_put_body_is_the_group_as_read_with_only_include_changed_and_no_read_only_field():
    engineering = group(include=[email(LEAVER), EVERYONE], require=[DOMAIN], exclude=[email(OTHER)], is_default=False)
    [change] = plan_absent([engineering], [], [LEAVER]).changes
    assert change.body == {"name": "Engineering", "include": [EVERYONE], "exclude": [email(OTHER)], "require": [DOMAIN],
                           "is_default": False}


def test_a_policys_put_body_carries_every_field_of_the_request_schema_and_leaves_out_the_answers_own():
    admins = policy(include=[email(LEAVER), EVERYONE], approval_groups=[{"approvals_needed": 1, "email_addresses": [OTHER]}],
                    mfa_config={"allowed_authenticators": ["totp"], "session_duration": "24h"},
                    connection_rules={"rdp": {"allowed_clipboard_local_to_remote_formats": ["text"]}})
    [change] = plan_absent([], [admins], [LEAVER]).changes
    assert change.body == {
        "name": "Admins", "decision": "allow", "include": [EVERYONE], "exclude": [], "require": [],
        "approval_groups": [{"approvals_needed": 1, "email_addresses": [OTHER]}], "approval_required": False,
        "connection_rules": {"rdp": {"allowed_clipboard_local_to_remote_formats": ["text"]}}, "isolation_required": False,
        "mfa_config": {"allowed_authenticators": ["totp"], "session_duration": "24h"},
        "purpose_justification_prompt": "Why?", "purpose_justification_required": False, "session_duration": "24h",
    }


def test_a_put_body_leaves_out_null_and_absent_fields_but_keeps_a_null_session_duration_as_the_schema_allows():
    admins = policy(include=[email(LEAVER), EVERYONE], require=None, mfa_config=None, session_duration=None)
    del admins["exclude"], admins["purpose_justification_prompt"]
    [change] = plan_absent([], [admins], [LEAVER]).changes
    body = change.body
    assert "require" not in body and "exclude" not in body and "mfa_config" not in body
    assert "purpose_justification_prompt" not in body and body["session_duration"] is None


def test_a_put_body_shares_nothing_with_the_object_as_read():
    engineering = group(include=[email(LEAVER), EVERYONE], require=[DOMAIN])
    as_read = copy.deepcopy(engineering)
    [change] = plan_absent([engineering], [], [LEAVER]).changes
    body = change.body
    body["include"][0]["everyone"]["x"] = 1
    body["require"][0]["email_domain"]["domain"] = "changed.example"
    assert engineering == as_read and change.body["include"] == [EVERYONE]
    assert put_body(GROUP, engineering, [EVERYONE])["require"] == [DOMAIN]


# --- hostile shapes: refused whole, never edited ----------------------------------------------------------------------

def with_field(field, value):
    obj = group(include=[email(LEAVER), EVERYONE])
    obj[field] = value
    return obj


def without(field):
    obj = group(include=[email(LEAVER), EVERYONE])
    del obj[field]
    return obj


UNREADABLE_GROUPS = {
    "null": None,
    "a list": [group(include=[email(LEAVER), EVERYONE])],
    "a string": LEAVER,
    "no id": without("id"),
    "a numeric id": with_field("id", 42),
    "an empty id": with_field("id", ""),
    "a dot-dot id": with_field("id", ".."),
    "an id with a space": with_field("id", "a b"),
    "an overlong id": with_field("id", "a" * 65),
    "no include": without("include"),
    "a null include": with_field("include", None),
    "an object include": with_field("include", {"email": {"email": LEAVER}}),
    "a text require": with_field("require", LEAVER),
    "an object exclude": with_field("exclude", {}),
    "a rule that is a number": with_field("include", [email(LEAVER), 1]),
    "a rule without kind": with_field("include", [email(LEAVER), {}]),
    "a rule of two kinds": with_field("include", [{"email": {"email": LEAVER}, "everyone": {}}]),
    "a rule whose value is text": with_field("include", [{"email": LEAVER}, EVERYONE]),
    "an email rule without email": with_field("include", [{"email": {}}, email(LEAVER)]),
    "an email rule with a number": with_field("include", [email(LEAVER), email(7)]),
    "a domain rule with null": with_field("require", [rule("email_domain", "domain", None)]),
    "a saml rule with a list": with_field("exclude", [rule("saml", "attribute_value", [LEAVER])]),
    "an unknown rule kind with text": with_field("include", [email(LEAVER), {"future_kind": "x"}]),
}


@pytest.mark.parametrize("obj", list(UNREADABLE_GROUPS.values()), ids=list(UNREADABLE_GROUPS))
def test_an_object_whose_rules_cannot_be_read_is_refused_whole_and_reported(obj):
    plan = plan_absent([obj], [], [LEAVER])
    assert plan.changes == []
    [entry] = plan.needs_attention
    assert entry["kind"] == "group" and entry["changed"] is False
    assert [found["issue"] for found in entry["issues"]] == ["wrong_shape"]
    assert read_problem(GROUP, obj) == entry["issues"][0]["why"]
    named, unreadable = membership([obj], [], [LEAVER])
    assert named == {LEAVER: []} and unreadable == [entry]
    assert plan_present([obj], [OTHER]).needs_attention == [entry]


def test_a_refused_object_is_named_by_its_id_and_name_only_when_they_are_text():
    entry = plan_absent([with_field("include", None), with_field("id", 42), None], [], [LEAVER]).needs_attention
    assert [(found["id"], found["name"]) for found in entry] == [(G1, "Engineering"), (None, "Engineering"), (None, None)]


def test_a_reason_quotes_a_short_value_from_the_answer_on_one_line():
    assert read_problem(GROUP, with_field("id", "a\nb c")) == 'its id is a string "a\\nb c", not an identifier'
    assert read_problem(GROUP, with_field("include", "x" * 500)).endswith('..., not a list of rules')
    assert read_problem(GROUP, with_field("include", [1])) == (
        "rule 1 of its include: a rule is a number, not an object with one key (its kind)")


UNREADABLE_POLICIES = {
    "approval groups as text": dict(approval_groups=OTHER),
    "an approval group that is a list": dict(approval_groups=[[OTHER]]),
    "approvers as text": dict(approval_groups=[{"approvals_needed": 1, "email_addresses": LEAVER}]),
    "an approver that is a number": dict(approval_groups=[{"approvals_needed": 1, "email_addresses": [LEAVER, 3]}]),
    "an approvers list id that is a number": dict(approval_groups=[{"approvals_needed": 1, "email_list_uuid": 3}]),
    "a policy that is not reusable": dict(reusable=False),
    "a policy of another account": dict(account_id="1" * 32),
}


@pytest.mark.parametrize("fields", list(UNREADABLE_POLICIES.values()), ids=list(UNREADABLE_POLICIES))
def test_a_policy_of_the_wrong_shape_or_another_account_or_not_reusable_is_refused(fields):
    obj = policy(include=[email(LEAVER), EVERYONE], **fields)
    plan = plan_absent([], [obj], [LEAVER], account_id=ACCOUNT)
    assert plan.changes == [] and codes(plan, P1) == ["wrong_shape"]
    assert membership([], [obj], [LEAVER], account_id=ACCOUNT) == ({LEAVER: []}, plan.needs_attention)


def test_a_policy_is_taken_for_the_account_in_any_letter_case_and_without_an_account_id():
    leaving = [email(LEAVER), EVERYONE]
    assert len(plan_absent([], [policy(include=leaving, account_id=ACCOUNT.upper())], [LEAVER], account_id=ACCOUNT).changes) == 1
    unbound = policy(include=leaving)
    del unbound["account_id"], unbound["reusable"]
    assert len(plan_absent([], [unbound], [LEAVER], account_id=ACCOUNT).changes) == 1


UNWRITABLE = {
    "no name": (GROUP, dict(name=None)),
    "a numeric name": (GROUP, dict(name=5)),
    "is_default typed as the response schema types it": (GROUP, dict(is_default=[])),
    "a field the PUT does not take": (GROUP, dict(uid="1b2c3d4e")),
    "no decision": (POLICY, dict(decision=None)),
    "an unknown decision": (POLICY, dict(decision="maybe")),
    "approval_required as text": (POLICY, dict(approval_required="yes")),
    "a numeric session_duration": (POLICY, dict(session_duration=5)),
    "mfa_config as a list": (POLICY, dict(mfa_config=[])),
    "a prompt that is not text": (POLICY, dict(purpose_justification_prompt={"text": "Why?"})),
}


@pytest.mark.parametrize("kind, fields", list(UNWRITABLE.values()), ids=list(UNWRITABLE))
def test_an_object_that_cannot_be_sent_back_unchanged_is_left_and_reported_but_its_rules_are_read(kind, fields):
    make = group if kind is GROUP else policy
    obj = make(include=[email(LEAVER), EVERYONE], **fields)
    groups, policies = ([obj], []) if kind is GROUP else ([], [obj])
    plan = plan_absent(groups, policies, [LEAVER])
    assert plan.changes == []
    [found] = issues_of(plan, obj["id"])
    assert found["issue"] == "cannot_write_back" and found["emails"] == [LEAVER]
    assert found["why"] == write_problem(kind, obj)
    named, unreadable = membership(groups, policies, [LEAVER])
    assert [(entry["id"], entry["section"], entry["rule"]) for entry in named[LEAVER]] == [(obj["id"], "include", "email")]
    assert unreadable == []


def test_a_field_the_put_does_not_take_says_why_it_is_not_dropped():
    assert write_problem(GROUP, group(uid="x", precedence=1)) == (
        "it has fields its PUT does not take (precedence, uid): a PUT replaces the whole object, so sending it "
        "without them could reset them")


def test_an_object_with_a_field_the_put_does_not_take_but_nothing_to_change_is_not_reported():
    assert plan_absent([group(include=[email(OTHER)], uid="x")], [], [LEAVER]) == ([], [])


def test_present_refuses_a_group_it_cannot_send_back_and_reports_the_users_it_would_have_added():
    plan = plan_present([group(include=[EVERYONE], name=None)], ["new@example.com"])
    assert plan.changes == []
    [found] = issues_of(plan, G1)
    assert found["issue"] == "cannot_write_back" and found["emails"] == ["new@example.com"]


# --- the reverse view -------------------------------------------------------------------------------------------------

def test_membership_lists_per_user_every_group_and_policy_that_names_them_and_how():
    groups = [group(include=[email("LEAVER@example.com"), DOMAIN], exclude=[email(OTHER)]),
              group(G2, "Ops", include=[EVERYONE], require=[rule("saml", "attribute_value", LEAVER)]),
              group(G3, "Unrelated", include=[email(LOOKALIKE)])]
    policies = [policy(include=[rule("group", "id", G1)], approval_groups=[{"approvals_needed": 1, "email_addresses": [OTHER]}])]
    named, unreadable = membership(groups, policies, [LEAVER, "Other@example.com", "nobody@elsewhere.example"])
    assert unreadable == []
    assert named == {
        LEAVER: [
            dict(kind="group", id=G1, name="Engineering", section="include", rule="email", value="LEAVER@example.com"),
            dict(kind="group", id=G1, name="Engineering", section="include", rule="email_domain", value="example.com"),
            dict(kind="group", id=G2, name="Ops", section="require", rule="saml", value=LEAVER),
        ],
        "Other@example.com": [
            dict(kind="group", id=G1, name="Engineering", section="include", rule="email_domain", value="example.com"),
            dict(kind="group", id=G1, name="Engineering", section="exclude", rule="email", value=OTHER),
            dict(kind="policy", id=P1, name="Admins", section="approval_groups", rule="email_addresses", value=OTHER),
        ],
        "nobody@elsewhere.example": [],
    }


def test_membership_keys_each_address_once_in_the_form_first_given():
    named, _unreadable = membership([group(include=[email(LEAVER)])], [], ["Leaver@Example.com", LEAVER])
    assert list(named) == ["Leaver@Example.com"] and len(named["Leaver@Example.com"]) == 1


# --- someone else's edit between the read and the write --------------------------------------------------------------

def test_an_object_read_again_as_it_was_planned_from_has_not_changed():
    planned_from = group(include=[email(LEAVER), EVERYONE], require=[DOMAIN, email(OTHER)], exclude=None)
    now = dict(planned_from, include=[EVERYONE, email(LEAVER)], require=[email(OTHER), DOMAIN], updated_at="2026-12-01T00:00:00Z")
    del now["exclude"]
    assert changed_since_read(GROUP, planned_from, now) is None


@pytest.mark.parametrize("change, why", [
    (dict(include=[email(LEAVER), EVERYONE, email("added@example.com")]), "someone changed it since it was read: include"),
    (dict(name="Engineering (old)", exclude=[email(OTHER)]), "someone changed it since it was read: name, exclude"),
    (dict(is_default=True), "someone changed it since it was read: is_default"),
    (dict(id=G2), "read again, the answer is about another group (id a string \"%s\")" % G2),
    (dict(include=None), "read again, its include is null, not a list of rules"),
    (dict(uid="x"), "read again, it has fields its PUT does not take (uid): a PUT replaces the whole object, so "
                    "sending it without them could reset them"),
])
def test_an_object_read_again_that_someone_else_changed_says_what_changed(change, why):
    planned_from = group(include=[email(LEAVER), EVERYONE])
    assert changed_since_read(GROUP, planned_from, dict(planned_from, **change)) == why


def test_an_object_deleted_since_it_was_read_or_a_policy_now_of_another_account_is_changed():
    assert changed_since_read(GROUP, group(), None) == "it was deleted since it was read"
    assert changed_since_read(POLICY, policy(), policy(account_id="1" * 32), account_id=ACCOUNT).startswith(
        "read again, it belongs to another account")
    assert changed_since_read(POLICY, policy(), policy(decision="deny")) == "someone changed it since it was read: decision"


def test_the_id_read_again_may_differ_in_letter_case():
    assert changed_since_read(GROUP, group(), group(group_id=G1.upper())) is None


# --- what a PUT did: its answer, or a read after it --------------------------------------------------------------

def test_an_object_whose_include_is_the_one_planned_shows_the_put_done_whatever_the_rules_order():
    engineering = group(include=[email(LEAVER), EVERYONE, DOMAIN])
    [change] = plan_absent([engineering], [], [LEAVER]).changes
    assert write_outcome(change, dict(engineering, include=[DOMAIN, EVERYONE], updated_at="2026-12-01T00:00:00Z")) == DONE
    assert write_outcome(change, dict(engineering, id=G1.upper(), include=[EVERYONE, DOMAIN])) == DONE


def test_an_object_still_as_it_was_read_shows_the_put_not_done():
    engineering = group(include=[email(LEAVER), EVERYONE])
    [change] = plan_absent([engineering], [], [LEAVER]).changes
    assert write_outcome(change, copy.deepcopy(engineering)) == NOT_DONE
    [added] = plan_present([engineering], ["new@example.com"]).changes
    assert write_outcome(added, engineering) == NOT_DONE and write_outcome(added, dict(
        engineering, include=engineering["include"] + [email("new@example.com")])) == DONE


@pytest.mark.parametrize("now, why", [
    (None, "it is gone"),
    ([], "the answer is about another group (id a list)"),
    (group(G2, include=[EVERYONE]), "the answer is about another group (id a string \"%s\")" % G2),
    (dict(group(), id=None), "the answer is about another group (id null)"),
    (dict(group(), include=None), "its include is null, not a list of rules"),
    (group(include=[EVERYONE, email("someone.else@example.com")]),
     "its include is neither the one planned nor the one read: someone else changed it"),
])
def test_an_answer_that_shows_neither_says_why_the_outcome_is_not_known(now, why):
    [change] = plan_absent([group(include=[email(LEAVER), EVERYONE])], [], [LEAVER]).changes
    assert write_outcome(change, now) == why


# --- choosing groups by name or id ----------------------------------------------------------------------------------

def test_groups_are_named_by_id_in_any_letter_case_or_by_exact_name_each_once_in_the_order_named():
    groups = [group(G1, "Engineering"), group(G2, "Ops"), group(G3, "ops"), None, {"id": 4, "name": "Broken"}]
    selected, unknown, ambiguous = select_objects(groups, ["ops", G1.upper(), "Engineering", "Broken", "Nope"])
    assert [obj["id"] for obj in selected] == [G3, G1]
    assert unknown == ["Broken", "Nope"] and ambiguous == {}


def test_a_name_several_groups_have_is_ambiguous_with_their_ids():
    groups = [group(G1, "Ops"), group(G2, "Ops")]
    assert select_objects(groups, ["Ops"]) == ([], [], {"Ops": [G1, G2]})
    assert [obj["id"] for obj in select_objects(groups, [G2])[0]] == [G2]


# --- paths and the request plan ----------------------------------------------------------------------------------------

def test_the_paths_are_the_schemas():
    assert path_segments(GROUP, ACCOUNT) == ("accounts", ACCOUNT, "access", "groups")
    assert path_segments(POLICY, ACCOUNT, P1) == ("accounts", ACCOUNT, "access", "policies", P1)


@pytest.mark.parametrize("count, pages", [(0, 1), (1, 1), (1000, 1), (1001, 2), (2500, 3)])
def test_a_listing_takes_a_page_per_thousand_objects_and_at_least_one(count, pages):
    assert listing_pages(count) == pages


def test_a_task_lists_each_kind_once_and_reads_again_and_puts_each_changed_object_once():
    changes = plan_absent([group(G1, include=[email("u%d@example.com" % number) for number in range(100)] + [EVERYONE])],
                          [policy(include=[email("u7@example.com"), EVERYONE])],
                          ["u%d@example.com" % number for number in range(100)]).changes
    plan = request_plan(300, 500, changes)
    assert plan == RequestPlan(listings=2, rereads=2, puts=2) and plan.total == 6
    assert request_plan(2500, 1500, changes * 60) == RequestPlan(listings=5, rereads=120, puts=120)
    assert request_plan(300, 500, [], policies=False).total == 1
