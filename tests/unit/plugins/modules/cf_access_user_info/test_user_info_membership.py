# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_user_info's include: [membership]: per user, the groups and reusable policies naming them and how, from
one listing of the groups and one of the policies for the whole task."""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_user_info
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

JDOE = seeded.EXAMPLE_USER
LOOKALIKE = seeded.LOOKALIKE_USER
GROUPS = "/client/v4/accounts/%s/access/groups" % local_api.ACCOUNT_ID
POLICIES = "/client/v4/accounts/%s/access/policies" % local_api.ACCOUNT_ID


def places(user):
    return [(item["kind"], item["name"], item["section"], item["rule"]) for item in user["membership"]]


def test_each_user_gets_the_groups_and_policies_naming_them_and_how(run_module, token_args, fake_api):
    result = run_module(cf_access_user_info, dict(token_args, email=[JDOE["email"], LOOKALIKE["email"].upper()],
                                                  include=["membership"]))
    jdoe, lookalike = result["users"]
    assert places(jdoe) == [
        ("group", "Engineering", "include", "email"), ("group", "Contractors", "include", "email"),
        ("group", "On-call", "include", "email"), ("group", "Domain, one person required", "include", "email_domain"),
        ("group", "Domain, one person required", "require", "email"),
        ("group", "Lists and identity providers", "require", "saml"),
        ("policy", "Admins, approved", "include", "email"), ("policy", "Jane's bypass", "include", "email"),
        ("policy", "Partners", "require", "oidc"), ("policy", "Partners", "exclude", "email")]
    assert jdoe["membership"][1] == dict(kind="group", id="6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a02", name="Contractors",
                                         section="include", rule="email", value="JDoe@Example.COM")
    assert ("group", "Contractors", "exclude", "email") in places(lookalike)
    assert ("policy", "Admins, approved", "approval_groups", "email_addresses") in places(lookalike)
    assert result["membership_unreadable"] == [] and result["changed"] is False
    paths = [request["path"] for request in fake_api.api_requests()]
    assert paths.count(GROUPS) == paths.count(POLICIES) == 1  # one listing each, not one per user
    assert all(request["method"] == "GET" for request in fake_api.api_requests())


def test_a_whole_account_is_read_with_one_listing_of_each(run_module, token_args, fake_api):
    result = run_module(cf_access_user_info, dict(token_args, include=["membership"]))
    assert len(result["users"]) == 25 and all("membership" in user for user in result["users"])
    assert [request["path"] for request in fake_api.api_requests()].count(GROUPS) == 1
    nobody = [user for user in result["users"] if user["email"] not in (JDOE["email"], LOOKALIKE["email"])]
    # the seeded rules name only the two sample users by email; the others only by the domain example.com
    assert {(item["name"], item["rule"]) for user in nobody for item in user["membership"]} == {
        ("Domain, one person required", "email_domain")}


def test_an_object_of_a_shape_it_cannot_read_is_reported_not_taken_for_no_membership(run_module, token_args, fake_api):
    fake_api.rules.accounts[local_api.ACCOUNT_ID]["groups"][0]["include"] = "jdoe@example.com"
    result = run_module(cf_access_user_info, dict(token_args, email=JDOE["email"], include=["membership"]))
    assert [entry["name"] for entry in result["membership_unreadable"]] == ["Engineering"]
    assert result["membership_unreadable"][0]["issues"][0]["issue"] == "wrong_shape"
    assert "Engineering" not in [item["name"] for item in result["user"]["membership"]]
