# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local API's Access groups and reusable policies behave as Cloudflare's schema documents them (listings paged
with result_info, one object, a PUT that replaces the whole object and refuses what the schema refuses), are seeded
to name the sample users in every way a rule can, and the fault someone_else_edits changes one between a read and a
write. The collection's own plan (_access_membership.py) is accepted by them and leaves nothing to do a second time."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_membership import (
    DONE,
    GROUP,
    NOT_DONE,
    POLICY,
    changed_since_read,
    membership,
    plan_absent,
    plan_present,
    read_problem,
    write_outcome,
    write_problem,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import api_path
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareAPIError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._paging import read_listing
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import cli, seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api.server import LocalAPI

ACCOUNT = local_api.ACCOUNT_ID
GROUPS = "/accounts/%s/access/groups" % ACCOUNT
POLICIES = "/accounts/%s/access/policies" % ACCOUNT
JDOE, LOOKALIKE = seeded.EXAMPLE_USER["email"], seeded.LOOKALIKE_USER["email"]
ENGINEERING = seeded.ENGINEERING
ADMINS = "0c5b4a39-2817-4f6e-9d5c-4b3a29180702"
SOMEONE_ELSE = {"email": {"email": "someone.else@example.com"}}


@pytest.fixture
def client(make_client, fake_api):
    return make_client(fake_api)


def listing(client, path, **query):
    return client.request("GET", path, query=query or None)


def everything(client):
    """Every group and reusable policy, read as the collection reads a listing."""
    return [[item for items, _info in read_listing(client, path) for item in items] for path in (GROUPS, POLICIES)]


def refused(client, method, path, body=None, query=None):
    with pytest.raises(CloudflareAPIError) as info:
        client.request(method, path, body=body, query=query)
    return info.value


# --- the listings ----------------------------------------------------------------------------------------------------

def test_the_groups_listing_answers_the_seeded_groups_in_one_page_of_up_to_1000(client):
    envelope = listing(client, GROUPS)
    assert [group["name"] for group in envelope["result"]] == [group["name"] for group in seeded.ACCESS_GROUPS]
    assert envelope["result_info"] == {"page": 1, "per_page": 1000, "count": 6, "total_count": 6, "total_pages": 1}
    first = envelope["result"][0]
    assert sorted(first) == ["created_at", "exclude", "id", "include", "name", "require", "updated_at"]


def test_the_policies_listing_pages_by_100_unless_asked_and_as_asked(client):
    assert listing(client, POLICIES)["result_info"]["per_page"] == 100
    pages = [listing(client, POLICIES, page=page, per_page=2) for page in (1, 2, 3)]
    assert [len(page["result"]) for page in pages] == [2, 2, 1]
    assert pages[2]["result_info"] == {"page": 3, "per_page": 2, "count": 1, "total_count": 5, "total_pages": 3}
    read = [item for items, _info in read_listing(client, POLICIES, per_page=2) for item in items]
    assert [policy["name"] for policy in read] == [policy["name"] for policy in seeded.REUSABLE_POLICIES]
    assert read[1]["account_id"] == ACCOUNT and read[1]["reusable"] is True and read[1]["app_count"] == 1


def test_the_groups_listing_filters_by_name_and_search_but_counts_every_group(client):
    envelope = listing(client, GROUPS, name="engineering")
    assert [group["id"] for group in envelope["result"]] == [ENGINEERING]
    assert envelope["result_info"]["total_count"] == 6 and envelope["result_info"]["total_pages"] == 1
    assert [group["name"] for group in listing(client, GROUPS, search="ON")["result"]] == [
        "Contractors", "On-call", "Domain, one person required", "Everyone but former staff"]


@pytest.mark.parametrize("path, query, message", [
    (GROUPS, {"per_page": 1001}, "per_page must be between 1 and 1000"),
    (POLICIES, {"per_page": 0}, "per_page must be between 1 and 1000"),
    (GROUPS, {"page": "two"}, "page and per_page must be integers"),
    (POLICIES, {"name": "Admins"}, "unknown query parameter: name"),
    (GROUPS, {"email": JDOE}, "unknown query parameter: email"),
])
def test_the_listings_refuse_what_their_parameters_do_not_allow(client, path, query, message):
    error = refused(client, "GET", path, query=query)
    assert error.status == 400 and error.errors == [{"code": 10400, "message": message}]


def test_the_generated_groups_and_policies_fill_an_account_to_the_numbers_asked():
    with LocalAPI(users=40, groups=300, policies=500) as server:
        groups, policies = server.rules.listing(ACCOUNT, "groups"), server.rules.listing(ACCOUNT, "policies")
    assert len(groups) == 300 and len(policies) == 500
    assert groups[:6] == seeded.access_groups(seeded.users(40)) and groups[6]["name"] == "Team 6"
    emails = {user["email"] for user in seeded.users(40)[2:]}
    assert all(1 <= len(obj["include"]) <= 5 and {rule["email"]["email"] for rule in obj["include"]} <= emails
               for obj in groups[6:] + policies[5:])
    assert all(read_problem(GROUP, group) is None for group in groups)
    assert all(read_problem(POLICY, policy, ACCOUNT) is None for policy in policies)


# --- one object ------------------------------------------------------------------------------------------------------

def test_one_group_or_policy_is_answered_as_the_listing_shows_it(client):
    assert client.request("GET", GROUPS + "/" + ENGINEERING)["result"] == listing(client, GROUPS)["result"][0]
    assert client.request("GET", POLICIES + "/" + ADMINS)["result"] == listing(client, POLICIES)["result"][1]


@pytest.mark.parametrize("method, path, status, code", [
    ("GET", GROUPS + "/00000000-0000-4000-8000-000000000000", 404, 1003),
    ("PUT", POLICIES + "/00000000-0000-4000-8000-000000000000", 404, 1003),
    ("GET", "/accounts/%s/access/apps/%s/policies" % (ACCOUNT, ENGINEERING), 404, 7003),
    ("GET", GROUPS + "/" + ENGINEERING + "/members", 404, 7003),
    ("POST", GROUPS, 405, 10405),
    ("DELETE", POLICIES + "/" + ADMINS, 405, 10405),
    ("GET", "/accounts/%s/access/groups" % ("1" * 32), 403, 10000),
])
def test_what_the_excerpt_does_not_serve_is_refused(client, method, path, status, code):
    error = refused(client, method, path, body={"name": "x", "include": [{"everyone": {}}], "decision": "allow"})
    assert error.status == status and error.errors[0]["code"] == code


# --- the PUT: the whole object replaced ------------------------------------------------------------------------------

def test_a_group_put_replaces_the_whole_group_and_keeps_only_its_id_and_creation_time(client, fake_api):
    before = client.request("GET", GROUPS + "/6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a02")["result"]
    body = {"name": "Contractors", "include": [{"everyone": {}}], "is_default": False}
    after = client.request("PUT", GROUPS + "/" + before["id"], body=body)["result"]
    assert after["exclude"] == [] and after["require"] == [] and after["include"] == [{"everyone": {}}]
    assert after["is_default"] is False and after["created_at"] == before["created_at"]
    assert after["updated_at"] != before["updated_at"] and after["id"] == before["id"]
    assert client.request("GET", GROUPS + "/" + before["id"])["result"] == after


def test_a_policy_put_keeps_the_fields_only_answers_have_and_drops_those_not_sent(client):
    body = {"name": "Admins", "decision": "deny", "include": [{"email": {"email": "admin@example.com"}}],
            "session_duration": None}
    after = client.request("PUT", POLICIES + "/" + ADMINS, body=body)["result"]
    assert {key: after[key] for key in ("account_id", "app_count", "reusable", "decision", "session_duration")} == {
        "account_id": ACCOUNT, "app_count": 1, "reusable": True, "decision": "deny", "session_duration": None}
    assert "approval_groups" not in after and "mfa_config" not in after


EVERYONE = [{"everyone": {}}]
BAD_GROUP_BODIES = {
    "not an object": (["name"], "the request body must be a JSON object"),
    "no name": ({"include": EVERYONE}, "name is required"),
    "an empty name": ({"name": " ", "include": EVERYONE}, "name must be a string that is not empty"),
    "no include": ({"name": "G"}, "include is required"),
    "an empty include": ({"name": "G", "include": []}, "include must have at least one rule"),
    "an include that is an object": ({"name": "G", "include": {"everyone": {}}}, "include must be a list of rules"),
    "a rule of an unknown kind": ({"name": "G", "include": [{"everybody": {}}]}, "include rule 1: unknown rule kind everybody"),
    "a rule of two kinds": ({"name": "G", "include": [{"everyone": {}, "certificate": {}}]},
                            "include rule 1: a rule must be an object with one key, its kind"),
    "an email rule without an address": ({"name": "G", "include": [{"email": {"email": "jdoe"}}]},
                                         "include rule 1: email.email must be an email address"),
    "a saml rule without its provider": ({"name": "G", "include": EVERYONE, "require": [
        {"saml": {"attribute_name": "email", "attribute_value": JDOE}}]},
        "require rule 1: saml.identity_provider_id is required and must be a string"),
    "an empty risk score": ({"name": "G", "include": EVERYONE, "exclude": [{"user_risk_score": {"user_risk_score": []}}]},
                            "exclude rule 1: user_risk_score.user_risk_score is required and must be a list"),
    "an unknown risk level": ({"name": "G", "include": [{"user_risk_score": {"user_risk_score": ["extreme"]}}]},
                              "include rule 1: user_risk_score.user_risk_score must list some of low, medium, high, "
                              "unscored"),
    "is_default as text": ({"name": "G", "include": EVERYONE, "is_default": "yes"}, "is_default must be a boolean"),
    "its id sent back": ({"id": ENGINEERING, "name": "G", "include": EVERYONE}, "unknown field: id"),
    "its times sent back": ({"name": "G", "include": EVERYONE, "created_at": "x", "updated_at": "y"},
                            "unknown field: created_at, updated_at"),
}


@pytest.mark.parametrize("body, message", list(BAD_GROUP_BODIES.values()), ids=list(BAD_GROUP_BODIES))
def test_a_group_put_refuses_what_the_schema_refuses_and_changes_nothing(client, body, message):
    before = client.request("GET", GROUPS + "/" + ENGINEERING)["result"]
    error = refused(client, "PUT", GROUPS + "/" + ENGINEERING, body=body)
    assert error.status == 400 and error.errors == [{"code": 10400, "message": message}]
    assert client.request("GET", GROUPS + "/" + ENGINEERING)["result"] == before


BAD_POLICY_BODIES = {
    "no decision": ({"name": "P", "include": EVERYONE}, "decision is required"),
    "an unknown decision": ({"name": "P", "decision": "maybe", "include": EVERYONE},
                            "decision must be one of allow, deny, non_identity, bypass"),
    "an approval group without approvals_needed": (
        {"name": "P", "decision": "allow", "include": EVERYONE, "approval_groups": [{"email_addresses": [JDOE]}]},
        "approval_groups 1: approvals_needed is required and must be a number of at least 0"),
    "approvers as text": (
        {"name": "P", "decision": "allow", "include": EVERYONE, "approval_groups": [{"approvals_needed": 1,
                                                                                    "email_addresses": JDOE}]},
        "approval_groups 1: email_addresses must be a list of strings"),
    "a numeric session duration": ({"name": "P", "decision": "allow", "include": EVERYONE, "session_duration": 8},
                                   "session_duration must be a string or null"),
    "a null mfa_config": ({"name": "P", "decision": "allow", "include": EVERYONE, "mfa_config": None},
                          "mfa_config must be an object"),
    "its app count sent back": ({"name": "P", "decision": "allow", "include": EVERYONE, "app_count": 1,
                                 "reusable": True}, "unknown field: app_count, reusable"),
}


@pytest.mark.parametrize("body, message", list(BAD_POLICY_BODIES.values()), ids=list(BAD_POLICY_BODIES))
def test_a_policy_put_refuses_what_the_schema_refuses_and_changes_nothing(client, body, message):
    before = client.request("GET", POLICIES + "/" + ADMINS)["result"]
    error = refused(client, "PUT", POLICIES + "/" + ADMINS, body=body)
    assert error.status == 400 and error.errors == [{"code": 10400, "message": message}]
    assert client.request("GET", POLICIES + "/" + ADMINS)["result"] == before


# --- the seeded account and the collection's plans ----------------------------------------------------------------------

def test_the_seeded_objects_name_the_example_user_in_every_way_a_rule_can(client):
    groups, policies = everything(client)
    named, unreadable = membership(groups, policies, [JDOE, LOOKALIKE])
    assert unreadable == []
    ways = {(entry["kind"], entry["section"], entry["rule"]) for entry in named[JDOE]}
    assert ways >= {("group", "include", "email"), ("group", "require", "email"), ("group", "include", "email_domain"),
                    ("group", "require", "saml"), ("policy", "include", "email"), ("policy", "exclude", "email"),
                    ("policy", "require", "oidc")}
    assert {(entry["section"], entry["rule"]) for entry in named[LOOKALIKE]} >= {
        ("include", "email"), ("exclude", "email"), ("exclude", "common_name"), ("approval_groups", "email_addresses")}
    assert all(write_problem(GROUP, group) is None for group in groups)
    assert all(write_problem(POLICY, policy) is None for policy in policies)


def put_all(client, plan):
    for change in plan.changes:
        kind_path = GROUPS if change.kind is GROUP else POLICIES
        client.request("PUT", kind_path + "/" + change.object["id"], body=change.body)


def test_the_collections_plan_to_take_a_user_out_is_accepted_and_leaves_nothing_to_do(client):
    groups, policies = everything(client)
    plan = plan_absent(groups, policies, [JDOE.upper()], account_id=ACCOUNT)
    assert [(change.kind.name, change.object["name"]) for change in plan.changes] == [
        ("group", "Engineering"), ("group", "Contractors"), ("policy", "Admins, approved")]
    assert {entry["name"]: [issue["issue"] for issue in entry["issues"]] for entry in plan.needs_attention} == {
        "On-call": ["include_would_be_empty"],
        "Domain, one person required": ["not_an_email_rule", "in_require"],
        "Lists and identity providers": ["not_an_email_rule", "email_list_not_read"],
        "Jane's bypass": ["include_would_be_empty"],
        "Partners": ["not_an_email_rule", "in_exclude"],
    }
    put_all(client, plan)
    groups_after, policies_after = everything(client)
    assert groups_after[0]["include"] == [{"email": {"email": LOOKALIKE}}, {"email": {"email": seeded.FORMER_EMPLOYEE}}]
    assert groups_after[1]["exclude"] == [{"email": {"email": LOOKALIKE}}]  # the rest as it was
    assert policies_after[1]["approval_groups"] == policies[1]["approval_groups"]
    assert plan_absent(groups_after, policies_after, [JDOE], account_id=ACCOUNT).changes == []


def test_the_collections_plan_to_put_a_user_in_is_accepted_and_leaves_nothing_to_do(client):
    groups, _policies = everything(client)
    plan = plan_present(groups[:2], ["new.hire@example.com", JDOE])
    assert [change.added for change in plan.changes] == [[{"email": {"email": "new.hire@example.com"}}]] * 2
    put_all(client, plan)
    groups_after, _policies = everything(client)
    assert plan_present(groups_after[:2], ["new.hire@example.com", JDOE]).changes == []


# --- someone else's edit between a read and a write -------------------------------------------------------------------

def test_someone_else_edits_the_first_group_of_a_listing_after_answering_it(client, fake_api):
    fake_api.add_fault("someone_else_edits", path="/access/groups", method="GET")
    groups, _policies = everything(client)
    assert groups[0]["include"] == seeded.ACCESS_GROUPS[0]["include"]  # the answer as it was read
    now = client.request("GET", GROUPS + "/" + ENGINEERING)["result"]
    assert now["include"] == groups[0]["include"] + [SOMEONE_ELSE]
    assert changed_since_read(GROUP, groups[0], now) == "someone changed it since it was read: include"


@pytest.mark.parametrize("edit, path, why", [
    ("rename", POLICIES + "/" + ADMINS, "someone changed it since it was read: name"),
    ("delete", POLICIES + "/" + ADMINS, "it was deleted since it was read"),
    ("add_include", POLICIES, "someone changed it since it was read: include"),
])
def test_someone_else_edits_the_object_named_or_read(client, fake_api, edit, path, why):
    fake_api.add_fault("someone_else_edits", edit=edit, object_id=ADMINS if path == POLICIES else None)
    read = client.request("GET", path)["result"]
    planned_from = read[1] if isinstance(read, list) else read
    try:
        now = client.request("GET", POLICIES + "/" + ADMINS)["result"]
    except CloudflareAPIError as exc:
        assert exc.status == 404
        now = None
    assert changed_since_read(POLICY, planned_from, now, ACCOUNT) == why


def test_an_edit_after_the_read_just_before_a_put_is_overwritten_as_no_etag_can_prevent(client, fake_api):
    # The limit of read-modify-write without an ETag: the fault edits right after the second read (the check).
    fake_api.add_fault("someone_else_edits", path=ENGINEERING, method="GET", after=1)
    planned_from = client.request("GET", GROUPS + "/" + ENGINEERING)["result"]
    [change] = plan_absent([planned_from], [], [JDOE]).changes
    assert changed_since_read(GROUP, planned_from, client.request("GET", GROUPS + "/" + ENGINEERING)["result"]) is None
    client.request("PUT", GROUPS + "/" + ENGINEERING, body=change.body)
    assert SOMEONE_ELSE not in client.request("GET", GROUPS + "/" + ENGINEERING)["result"]["include"]


def test_someone_else_edits_refuses_an_unknown_edit_and_leaves_other_answers_alone(client, fake_api):
    with pytest.raises(ValueError, match="fault someone_else_edits: edit must be one of add_include, rename, delete"):
        fake_api.add_fault("someone_else_edits", edit="recolour")
    fake_api.add_fault("someone_else_edits", times=-1)
    client.request("GET", "/accounts/%s/access/users" % ACCOUNT)
    refused(client, "GET", GROUPS + "/00000000-0000-4000-8000-000000000000")
    refused(client, "PUT", GROUPS + "/" + ENGINEERING, body={"name": "G", "include": []})
    assert fake_api.rules.snapshot() == {ACCOUNT: {"groups": seeded.access_groups(seeded.users(25)),
                                                   "policies": seeded.reusable_policies(seeded.users(25))}}


# --- after_processing on a PUT of a group or policy -------------------------------------------------------------------

def test_after_processing_contradict_answers_a_put_with_the_object_as_it_was(client, fake_api):
    fake_api.add_fault("after_processing", answer="contradict", method="PUT")
    [change] = plan_absent([client.request("GET", GROUPS + "/" + ENGINEERING)["result"]], [], [JDOE]).changes
    answer = client.request("PUT", GROUPS + "/" + ENGINEERING, body=change.body)["result"]
    assert write_outcome(change, answer) == NOT_DONE
    assert write_outcome(change, client.request("GET", GROUPS + "/" + ENGINEERING)["result"]) == DONE


def test_after_processing_other_user_answers_a_put_about_another_policy(client, fake_api):
    fake_api.add_fault("after_processing", answer="other_user", method="PUT")
    body = {"name": "Renamed", "decision": "allow", "include": EVERYONE}
    answer = client.request("PUT", POLICIES + "/" + ADMINS, body=body)["result"]
    assert answer["id"] != ADMINS and answer["name"] != "Renamed"
    assert client.request("GET", POLICIES + "/" + ADMINS)["result"]["name"] == "Renamed"


def test_paths_of_groups_and_policies_encode_their_ids_whole(client):
    assert refused(client, "GET", api_path("accounts", ACCOUNT, "access", "groups", ENGINEERING + "/x")).status == 404


def test_help_lists_the_seeded_groups_and_policies_and_how_to_have_more():
    text = cli.help_epilog()
    for obj in seeded.ACCESS_GROUPS + seeded.REUSABLE_POLICIES:
        assert obj["name"] in text and obj["id"] in text
    assert "--groups and --policies add generated ones" in text
