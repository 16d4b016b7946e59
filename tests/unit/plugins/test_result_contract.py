# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one result contract (docs/docsite/rst/user_guide.rst, "What every module returns"): every module's real
main() and the lookup's real run(), against the local API, select and answer the same way, and do what on_missing
says of a value that matches no user. The modules are those of the action group in meta/runtime.yml."""

from __future__ import annotations

import re

import pytest

from ansible.errors import AnsibleLookupError

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import ON_MISSING
from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_revoke, cf_access_user
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.action_group import ACTION_GROUP
from ansible_collections.cloudflare_community.zero_trust.tests.support.action_group import MODULES as EVERY_MODULE
from ansible_collections.cloudflare_community.zero_trust.tests.support.api_state import writes
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import warning_texts

# The modules that select users by user_id or email: every one of them has on_missing.
SELECTING = sorted(name for name, module in EVERY_MODULE.items() if "email" in module.ARGUMENT_SPEC)
# What a selecting module needs besides its selector to run, when it needs anything.
TASK_OPTIONS = dict(cf_access_seat=dict(access_seat=False, gateway_seat=False), cf_access_user=dict(state="absent"))

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

# The modules that return users as the API gives them: the user as after the task, whether the task changes it.
# (cf_access_revoke adds what it cut to each user: its own tests below.)
MODULES = {
    "cf_access_user_info": (JDOE, False),
    "cf_access_seat": (FREED, True),
    "cf_access_user": (JDOE, True),  # a deleted user as it was
    "cf_access_risk_reset": (RISK_RESET, True),
    "cf_access_membership": (JDOE, True),  # jdoe's email rules taken out of groups and policies
}


def task(name, **args):
    """The module ``name`` and its arguments: ``args`` with the options the module needs besides a selector."""
    return EVERY_MODULE[name], dict(args, **TASK_OPTIONS.get(name, {}))


@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check_mode"])
@pytest.mark.parametrize("selector, values, missing", [BY_EMAIL, BY_ID], ids=["email", "user_id"])
@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_returns_each_user_once_in_order_and_the_missing_values_as_given(
        run_module, token_args, fake_api, name, selector, values, missing, check_mode):
    after, changes = MODULES[name]
    result = run_module(*task(name, **token_args, **{selector: values}), check_mode=check_mode)
    assert "failed" not in result
    assert result["users"] == [after]
    assert result["missing"] == [missing]
    assert result["changed_users"] == ([after] if changes else [])
    assert result["changed"] is changes
    assert "user" not in result  # four values, not one
    assert result["api_retries"] == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_gives_user_for_one_value_or_an_empty_dict_when_it_matches_none(run_module, token_args, fake_api, name):
    after, _changes = MODULES[name]
    one = run_module(*task(name, **token_args, email=JDOE["email"].upper()))
    assert one["user"] == one["users"][0] == after and one["missing"] == []
    none = run_module(*task(name, **token_args, email=NOBODY))
    assert none["user"] == {} and none["users"] == [] and none["missing"] == [NOBODY]
    assert none["changed"] is False and none["changed_users"] == []


@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check_mode"])
@pytest.mark.parametrize("selector, values, missing", [BY_EMAIL, BY_ID], ids=["email", "user_id"])
def test_cf_access_revoke_returns_each_user_once_in_order_with_what_was_cut_and_the_missing_values(
        run_module, token_args, fake_api, selector, values, missing, check_mode):
    result = run_module(cf_access_revoke, dict(token_args, **{selector: values}), check_mode=check_mode)
    assert "failed" not in result and "user" not in result
    assert [{key: value for key, value in user.items() if key != "cut"} for user in result["users"]] == [JDOE]
    assert result["missing"] == [missing]
    assert result["changed_users"] == result["users"] and result["changed"] is True  # jdoe has sessions to revoke
    one = run_module(cf_access_revoke, dict(token_args, email=NOBODY), check_mode=check_mode)
    assert one["user"] == {} and one["users"] == one["changed_users"] == [] and one["missing"] == [NOBODY]


def test_cf_access_user_present_creates_the_missing_value_and_returns_it_among_users(run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, email=[JDOE["email"], NOBODY, JDOE["email"].upper()]))
    created = [user for user in fake_api.accounts[local_api.ACCOUNT_ID] if user["email"] == NOBODY]
    assert result["users"] == [JDOE] + created and result["changed_users"] == created and result["missing"] == []


@pytest.mark.parametrize("on_missing", ["warn", "skip"])
@pytest.mark.parametrize("selector, values, missing", [BY_EMAIL, BY_ID], ids=["email", "user_id"])
def test_the_lookup_gives_one_item_per_term_and_a_stand_in_for_a_missing_one(access_user, token_args, selector, values,
                                                                             missing, on_missing):
    items = access_user.run(values, on_missing=on_missing, **token_args)
    stand_in = {"missing": True, "email" if selector == "email" else "id": missing, "access_seat": False,
                "gateway_seat": False, "active_device_count": 0}
    assert items == [JDOE, stand_in, JDOE, JDOE]
    with pytest.raises(AnsibleLookupError, match=r"^no Access user for 1 of 4 terms: %s \(on_missing=error; " % missing):
        access_user.run(values, **token_args)


def test_every_plugin_refuses_an_email_of_several_users_naming_their_ids(run_module, token_args, fake_api, access_user):
    twin = dict(JDOE, id="11111111-1111-4111-8111-111111111111", email="JDoe@example.com",
                seat_uid="11111111-2222-4111-8111-111111111111")
    fake_api.accounts[local_api.ACCOUNT_ID].append(twin)
    message = ("2 users have the email jdoe@example.com (in different letter case): %s, %s; name the one meant with "
               "user_id" % (twin["id"], JDOE["id"]))
    for name in SELECTING:
        assert run_module(*task(name, **token_args, email=JDOE["email"]))["msg"] == message
    with pytest.raises(AnsibleLookupError) as failure:
        access_user.run([JDOE["email"]], **token_args)
    assert str(failure.value) == message
    assert [request["method"] for request in fake_api.api_requests()] == ["GET"] * (len(SELECTING) + 1)  # no write


# --- on_missing: one option, the same words, for every module that selects users and the lookup ---------------------

MISSING_ONE_OF_FOUR = "no Access user for 1 of 4 values of %s: %s"
MODULES_GO_ON = "the task goes on with the users found and lists the others in missing"


def on_missing_default(name):
    """The documented defaults: skip for the info module (found and missing are its answer), warn for the writers."""
    return "skip" if name.endswith("_info") else "warn"


def test_the_modules_that_select_users_are_those_of_the_action_group_but_the_seat_report():
    assert SELECTING == sorted(set(ACTION_GROUP) - {"cf_access_seat_report"})
    assert set(TASK_OPTIONS) <= set(SELECTING)
    assert sorted(set(MODULES) | {"cf_access_revoke"}) == SELECTING  # each has its tests of the contract above


@pytest.mark.parametrize("name", SELECTING)
def test_every_module_that_selects_users_takes_on_missing_with_the_same_words(name, access_user):
    expected = dict(type="str", choices=list(ON_MISSING), default=on_missing_default(name))
    assert EVERY_MODULE[name].ARGUMENT_SPEC["on_missing"] == expected
    assert ON_MISSING == ("error", "warn", "skip")
    lookup = access_user.option_definitions["on_missing"]
    assert (lookup["choices"], lookup["default"]) == (list(ON_MISSING), "error")


@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check_mode"])
@pytest.mark.parametrize("selector, values, missing", [BY_EMAIL, BY_ID], ids=["email", "user_id"])
@pytest.mark.parametrize("name", SELECTING)
def test_on_missing_error_fails_before_any_change_naming_the_values_and_on_missing(
        run_module, token_args, fake_api, name, selector, values, missing, check_mode):
    result = run_module(*task(name, **token_args, on_missing="error", **{selector: values}), check_mode=check_mode)
    assert result["failed"] is True and result["missing"] == [missing]
    assert result["msg"] == (MISSING_ONE_OF_FOUR + "; nothing was changed (on_missing=error; with warn or skip %s)") % (
        selector, missing, MODULES_GO_ON)
    # Only the selection's reads were sent: nothing after them, no write.
    assert writes(fake_api) == []
    assert [request["path"] for request in fake_api.api_requests()
            if not re.search(r"/access/users(/[0-9a-fA-F-]{36})?$", request["path"])] == []


@pytest.mark.parametrize("selector, values, missing", [BY_EMAIL, BY_ID], ids=["email", "user_id"])
@pytest.mark.parametrize("name", SELECTING)
def test_on_missing_warn_goes_on_with_the_users_found_and_names_the_values(
        run_module, token_args, fake_api, name, selector, values, missing):
    by_default = {} if on_missing_default(name) == "warn" else dict(on_missing="warn")  # the writers' default
    result = run_module(*task(name, **token_args, **by_default, **{selector: values}))
    assert "failed" not in result and result["missing"] == [missing] and len(result["users"]) == 1
    assert result["changed"] is (name != "cf_access_user_info")  # the user found is changed all the same
    assert (MISSING_ONE_OF_FOUR + "; %s (on_missing=warn)") % (selector, missing, MODULES_GO_ON) in warning_texts(result)


@pytest.mark.parametrize("name", SELECTING)
def test_on_missing_skip_goes_on_silently(run_module, token_args, fake_api, name):
    by_default = {} if on_missing_default(name) == "skip" else dict(on_missing="skip")  # cf_access_user_info's default
    result = run_module(*task(name, **token_args, **by_default, email=[JDOE["email"], NOBODY]))
    assert "failed" not in result and result["missing"] == [NOBODY] and len(result["users"]) == 1
    assert not [text for text in warning_texts(result) if "no Access user" in text]


def test_on_missing_does_not_apply_to_cf_access_user_present_which_creates_the_users_it_does_not_find(
        run_module, token_args, fake_api):
    result = run_module(cf_access_user, dict(token_args, email=[JDOE["email"], NOBODY], on_missing="error"))
    assert "failed" not in result and result["missing"] == [] and result["changed"] is True
    assert [user["email"] for user in result["changed_users"]] == [NOBODY]
    assert warning_texts(result) == []
