# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one result contract (docs/docsite/rst/user_guide.rst, "What every module returns"): every module's real
main() and the lookup's real run(), against the local API, select and answer the same way."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleLookupError

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_seat, cf_access_user
from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_revoke, cf_access_user_info
from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_risk_reset
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

JDOE = seeded.EXAMPLE_USER
NOBODY = "Nobody@example.com"
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
# One existing user, one missing, the existing one again and in another letter case.
BY_EMAIL = ("email", [JDOE["email"], NOBODY, JDOE["email"], JDOE["email"].upper()], NOBODY)
BY_ID = ("user_id", [JDOE["id"], UNKNOWN_ID, JDOE["id"], JDOE["id"].upper()], UNKNOWN_ID)
FREED = dict(JDOE, access_seat=False, gateway_seat=False)
# jdoe's seeded risk: one low event; cf_access_risk_reset resets it.
RISK_RESET = dict(JDOE, risk=dict(risk_level="low", event_count=1, last_event="2026-11-30T05:00:00Z", last_reset_time=None,
                                  reset=True))

# module, extra options, the user as after the task, whether the task changes it
MODULES = {
    "cf_access_user_info": (cf_access_user_info, {}, JDOE, False),
    "cf_access_seat": (cf_access_seat, dict(access_seat=False, gateway_seat=False), FREED, True),
    "cf_access_user": (cf_access_user, dict(state="absent"), JDOE, True),  # a deleted user as it was
    "cf_access_risk_reset": (cf_access_risk_reset, {}, RISK_RESET, True),
}


@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check_mode"])
@pytest.mark.parametrize("selector, values, missing", [BY_EMAIL, BY_ID], ids=["email", "user_id"])
@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_returns_each_user_once_in_order_and_the_missing_values_as_given(
        run_module, writable_args, fake_api, name, selector, values, missing, check_mode):
    module, options, after, changes = MODULES[name]
    result = run_module(module, dict(writable_args, **{selector: values}, **options), check_mode=check_mode)
    assert "failed" not in result
    assert result["users"] == [after]
    assert result["missing"] == [missing]
    assert result["changed_users"] == ([after] if changes else [])
    assert result["changed"] is changes
    assert "user" not in result  # four values, not one
    assert result["api_retries"] == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_gives_user_for_one_value_or_an_empty_dict_when_it_matches_none(run_module, writable_args, fake_api, name):
    module, options, after, _changes = MODULES[name]
    one = run_module(module, dict(writable_args, email=JDOE["email"].upper(), **options))
    assert one["user"] == one["users"][0] == after and one["missing"] == []
    none = run_module(module, dict(writable_args, email=NOBODY, **options))
    assert none["user"] == {} and none["users"] == [] and none["missing"] == [NOBODY]
    assert none["changed"] is False and none["changed_users"] == []


@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check_mode"])
@pytest.mark.parametrize("selector, values, missing", [BY_EMAIL, BY_ID], ids=["email", "user_id"])
def test_cf_access_revoke_returns_each_user_once_in_order_with_what_was_cut_and_the_missing_values(
        run_module, writable_args, fake_api, selector, values, missing, check_mode):
    result = run_module(cf_access_revoke, dict(writable_args, **{selector: values}), check_mode=check_mode)
    assert "failed" not in result and "user" not in result
    assert [{key: value for key, value in user.items() if key != "cut"} for user in result["users"]] == [JDOE]
    assert result["missing"] == [missing]
    assert result["changed_users"] == result["users"] and result["changed"] is True  # jdoe has sessions to revoke
    one = run_module(cf_access_revoke, dict(writable_args, email=NOBODY), check_mode=check_mode)
    assert one["user"] == {} and one["users"] == one["changed_users"] == [] and one["missing"] == [NOBODY]


def test_cf_access_user_present_creates_the_missing_value_and_returns_it_among_users(run_module, writable_args, fake_api):
    result = run_module(cf_access_user, dict(writable_args, email=[JDOE["email"], NOBODY, JDOE["email"].upper()]))
    created = [user for user in fake_api.accounts[local_api.ACCOUNT_ID] if user["email"] == NOBODY]
    assert result["users"] == [JDOE] + created and result["changed_users"] == created and result["missing"] == []


@pytest.mark.parametrize("on_missing", ["warn", "skip"])
@pytest.mark.parametrize("selector, values, missing", [BY_EMAIL, BY_ID], ids=["email", "user_id"])
def test_the_lookup_gives_one_item_per_term_and_a_stand_in_for_a_missing_one(access_user, writable_args, selector, values,
                                                                             missing, on_missing):
    items = access_user.run(values, on_missing=on_missing, **writable_args)
    stand_in = {"missing": True, "email" if selector == "email" else "id": missing, "access_seat": False,
                "gateway_seat": False, "active_device_count": 0}
    assert items == [JDOE, stand_in, JDOE, JDOE]
    with pytest.raises(AnsibleLookupError, match="^no Access user for 1 of 4 terms: %s$" % missing):
        access_user.run(values, **writable_args)


def test_every_plugin_refuses_an_email_of_several_users_naming_their_ids(run_module, writable_args, fake_api, access_user):
    twin = dict(JDOE, id="11111111-1111-4111-8111-111111111111", email="JDoe@example.com",
                seat_uid="11111111-2222-4111-8111-111111111111")
    fake_api.accounts[local_api.ACCOUNT_ID].append(twin)
    message = ("2 users have the email jdoe@example.com (in different letter case): %s, %s; name the one meant with "
               "user_id" % (twin["id"], JDOE["id"]))
    for module, options, _after, _changes in list(MODULES.values()) + [(cf_access_revoke, {}, None, True)]:
        assert run_module(module, dict(writable_args, email=JDOE["email"], **options))["msg"] == message
    with pytest.raises(AnsibleLookupError) as failure:
        access_user.run([JDOE["email"]], **writable_args)
    assert str(failure.value) == message
    assert [request["method"] for request in fake_api.api_requests()] == ["GET"] * (len(MODULES) + 2)  # no write
