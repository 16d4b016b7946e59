# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_access_user_writes.py: creating, renaming and deleting users. A create is never sent twice, a taken email
ends in a second look-up, and an unclear answer to any write is settled by reading again, never guessed (the
last ones through cf_access_user's real main())."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _access_user_writes as writes
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareAPIError
from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_user
from ansible_collections.cloudflare_community.zero_trust.tests.support import api_state
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

JDOE = seeded.EXAMPLE_USER
ADA = "ada@example.com"
USERS = "/accounts/%s/access/users" % local_api.ACCOUNT_ID


@pytest.fixture
def client(make_client, fake_api):
    return make_client(fake_api)


# --- Create, rename, delete ----------------------------------------------------------------------------------------

def test_a_create_refused_as_taken_returns_the_existing_user_unchanged(client, fake_api):
    # The race a look-up cannot see: the user appeared after it. The API's 409 ends in a second look-up.
    user, created = writes.create_user(client.account(local_api.ACCOUNT_ID), "JDoe@example.com", "Someone")
    assert (user, created) == (JDOE, False)
    assert [(r["method"], r["query"].get("email")) for r in fake_api.api_requests()] == [
        ("POST", None), ("GET", "jdoe@example.com")]


def test_a_create_refused_for_another_reason_is_raised_as_it_came(client, fake_api):
    fake_api.add_fault("status", status=400, method="POST")
    with pytest.raises(CloudflareAPIError) as info:
        writes.create_user(client.account(local_api.ACCOUNT_ID), "new@example.com")
    assert str(info.value).startswith("POST %s failed: HTTP 400: [10400] Bad request (cf-ray " % USERS)
    assert str(info.value).endswith("-SJC)")


def test_a_5xx_on_a_create_is_not_sent_again_and_the_look_up_decides(client, fake_api):
    fake_api.add_fault("status", status=500, method="POST")
    with pytest.raises(CloudflareAPIError) as info:
        writes.create_user(client.account(local_api.ACCOUNT_ID), "new@example.com")
    assert "the outcome is unknown" in str(info.value)
    assert [r["method"] for r in fake_api.api_requests()] == ["POST", "GET"]


def test_when_the_look_up_after_a_lost_answer_fails_too_the_outcome_is_unknown(client, fake_api):
    fake_api.add_fault("reset", method="POST")
    fake_api.add_fault("status", status=503, method="GET")
    with pytest.raises(CloudflareAPIError) as info:
        writes.create_user(client.account(local_api.ACCOUNT_ID), "new@example.com")
    message = str(info.value)
    assert message.startswith("POST %s failed: HTTP 200: the connection to " % USERS)  # the body broke off
    assert "the outcome is unknown: looking the email up again failed too (GET %s?" % USERS in message
    assert len(message.splitlines()) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_create_is_never_sent_again_after_a_5xx_and_a_create_that_took_effect_counts(make_client, fake_api, status):
    # Behind any 5xx the create may have been processed: the client does not send it again, and the
    # look-up that follows finds the user it made.
    fake_api.add_fault("status_after_processing", status=status, method="POST")
    retrying = make_client(fake_api, retries=3, backoff_first=0.01)
    user, created = writes.create_user(retrying.account(local_api.ACCOUNT_ID), "new@example.com", "New")
    assert created is True and user["email"] == "new@example.com"
    assert [r["method"] for r in fake_api.api_requests()] == ["POST", "GET"]
    assert retrying.retry_log == []
    assert [u["email"] for u in fake_api.accounts[local_api.ACCOUNT_ID]].count("new@example.com") == 1


def test_a_create_refused_by_the_rate_limit_is_sent_again(make_client, fake_api):
    # Cloudflare answers 429 before processing: the only status after which a create is sent again.
    fake_api.add_fault("status", status=429, retry_after=0, method="POST")
    retrying = make_client(fake_api, retries=1, backoff_first=0.01)
    user, created = writes.create_user(retrying.account(local_api.ACCOUNT_ID), "new@example.com", "New")
    assert created is True and user["email"] == "new@example.com"
    assert [r["method"] for r in fake_api.api_requests()] == ["POST", "POST"]


def test_a_create_refused_as_taken_after_it_was_sent_twice_counts_as_created(make_client, fake_api):
    # The client reports that the POST was retried: the user the look-up finds may be its first try's.
    fake_api.add_fault("status", status=429, retry_after=0, method="POST")
    retrying = make_client(fake_api, retries=1, backoff_first=0.01)
    user, created = writes.create_user(retrying.account(local_api.ACCOUNT_ID), "JDoe@example.com")
    assert (user, created) == (JDOE, True)
    assert [r["method"] for r in fake_api.api_requests()] == ["POST", "POST", "GET"]


def test_a_retried_look_up_after_a_create_refused_as_taken_does_not_make_it_created(make_client, fake_api):
    # Only the POST's own tries count, not those of the look-up that follows it.
    fake_api.add_fault("status", status=503, method="GET")
    retrying = make_client(fake_api, retries=1, backoff_first=0.01)
    user, created = writes.create_user(retrying.account(local_api.ACCOUNT_ID), "JDoe@example.com")
    assert (user, created) == (JDOE, False)
    assert [r["method"] for r in fake_api.api_requests()] == ["POST", "GET", "GET"]


def test_rename_sends_the_current_email_as_confirmation(client, fake_api):
    renamed = writes.rename_user(client.account(local_api.ACCOUNT_ID), JDOE, "Jane Q. Doe")
    assert renamed == dict(JDOE, name="Jane Q. Doe", updated_at=renamed["updated_at"])


def test_delete_twice_is_quietly_done(client, fake_api):
    writes.delete_users(client.account(local_api.ACCOUNT_ID), [JDOE["id"]])
    writes.delete_users(client.account(local_api.ACCOUNT_ID), [JDOE["id"]])
    assert [r["method"] for r in fake_api.api_requests()] == ["DELETE", "DELETE"]
    assert JDOE["id"] not in [user["id"] for user in fake_api.accounts[local_api.ACCOUNT_ID]]


# --- An unclear answer to a write is settled by reading again, never guessed (cf_access_user) ----------------------

@pytest.mark.parametrize("answer", ["garble", "contradict", "other_user"])
def test_a_create_whose_2xx_answer_does_not_confirm_it_looks_the_email_up_again(run_module, token_args, fake_api, answer):
    fake_api.add_fault("after_processing", answer=answer, method="POST")
    result = run_module(cf_access_user, dict(token_args, email=ADA, name="Ada Lovelace"))
    assert "failed" not in result and result["changed"] is True
    assert result["user"] == api_state.users_with(fake_api, ADA)[0] and result["user"]["name"] == "Ada Lovelace"
    assert [r["method"] for r in fake_api.api_requests()] == ["GET", "POST", "GET"]


def test_a_create_that_loses_a_race_applies_the_name_asked_for(run_module, token_args, fake_api):
    # The read finds no user; by the time of the POST someone else has created the email with another name.
    fake_api.accounts[local_api.ACCOUNT_ID].append(dict(JDOE, id="22222222-2222-4222-8222-222222222222", email=ADA, name="Ada"))
    fake_api.add_fault("canned", status=200, method="GET", body='{"success": true, "errors": [], "messages": [], '
                       '"result": [], "result_info": {"page": 1, "per_page": 1000, "count": 0, "total_pages": 1}}')
    result = run_module(cf_access_user, dict(token_args, email=ADA, name="Ada Lovelace"))
    assert result["changed"] is True
    assert result["user"]["name"] == "Ada Lovelace" == api_state.users_with(fake_api, ADA)[0]["name"]
    assert [method for method, _path in api_state.writes(fake_api)] == ["POST", "PUT"]
    assert len(api_state.users_with(fake_api, ADA)) == 1


@pytest.mark.parametrize("answer", ["lose", "status", "garble", "contradict", "other_user"])
def test_a_rename_whose_answer_does_not_confirm_it_reads_the_user_again(run_module, token_args, fake_api, answer):
    fake_api.add_fault("after_processing", answer=answer, method="PUT", times=-1)
    result = run_module(cf_access_user, dict(token_args, user_id=JDOE["id"], name="Jane Q. Doe", retries=0))
    assert "failed" not in result and result["changed"] is True
    assert result["user"] == api_state.users_with(fake_api, JDOE["email"])[0] and result["user"]["name"] == "Jane Q. Doe"
    assert [r["method"] for r in fake_api.api_requests()] == ["GET", "PUT", "GET"]


def test_a_rename_that_was_not_done_says_so_after_reading_again(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=502, method="PUT", times=-1)
    result = run_module(cf_access_user, dict(token_args, user_id=JDOE["id"], name="Jane Q. Doe", retries=0))
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].endswith("reading the user again shows the name 'Jane Doe': not renamed; running the task "
                                  "again is safe, as it reads the users before writing")
    assert result["users"] == [JDOE] and result["changed_users"] == []


@pytest.mark.parametrize("answer", ["lose", "status", "garble", "contradict", "other_user"])
def test_a_delete_whose_answer_does_not_confirm_it_reads_the_user_again(run_module, token_args, fake_api, answer):
    fake_api.add_fault("after_processing", answer=answer, method="DELETE", times=-1)
    result = run_module(cf_access_user, dict(token_args, user_id=JDOE["id"], state="absent", retries=0))
    assert "failed" not in result and result["changed"] is True and result["changed_users"] == [JDOE]
    assert api_state.users_with(fake_api, JDOE["email"]) == []
