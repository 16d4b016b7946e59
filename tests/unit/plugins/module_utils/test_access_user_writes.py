# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The user writes of _access_user_writes, and the local API's POST, PUT and DELETE they rely on."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _access_user_writes as writes
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import CloudflareClient
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareAPIError
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake

JDOE = fake.EXAMPLE_USER
USERS = "/accounts/%s/access/users" % fake.ACCOUNT_ID


@pytest.fixture
def api(writable_api):
    return writable_api


@pytest.fixture
def client(api):
    return CloudflareClient(api.api_url, {"Authorization": "Bearer " + fake.API_TOKEN}, retries=0, timeout=5)


def test_a_create_refused_as_taken_returns_the_existing_user_unchanged(client, api):
    # The race a look-up cannot see: the user appeared after it. The API's 409 ends in a second look-up.
    user, created = writes.create_user(client, fake.ACCOUNT_ID, "JDoe@example.com", "Someone")
    assert (user, created) == (JDOE, False)
    assert [(r["method"], r["query"].get("email")) for r in api.api_requests()] == [
        ("POST", None), ("GET", "jdoe@example.com")]


def test_a_create_refused_for_another_reason_is_raised_as_it_came(client, api):
    api.add_fault("status", status=400, method="POST")
    with pytest.raises(CloudflareAPIError) as info:
        writes.create_user(client, fake.ACCOUNT_ID, "new@example.com")
    assert str(info.value).startswith("POST %s failed: HTTP 400: [10400] Bad request (cf-ray " % USERS)
    assert str(info.value).endswith("-SJC)")


def test_a_5xx_on_a_create_is_not_sent_again_and_the_look_up_decides(client, api):
    api.add_fault("status", status=500, method="POST")
    with pytest.raises(CloudflareAPIError) as info:
        writes.create_user(client, fake.ACCOUNT_ID, "new@example.com")
    assert "the outcome is unknown" in str(info.value)
    assert [r["method"] for r in api.api_requests()] == ["POST", "GET"]


def test_when_the_look_up_after_a_lost_answer_fails_too_the_outcome_is_unknown(client, api):
    api.add_fault("reset", method="POST")
    api.add_fault("status", status=503, method="GET")
    with pytest.raises(CloudflareAPIError) as info:
        writes.create_user(client, fake.ACCOUNT_ID, "new@example.com")
    message = str(info.value)
    assert message.startswith("POST %s failed: HTTP 200: the connection to " % USERS)  # the body broke off
    assert "the outcome is unknown: looking the email up again failed too (GET %s?" % USERS in message
    assert len(message.splitlines()) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_create_is_never_sent_again_after_a_5xx_and_a_create_that_took_effect_counts(api, status):
    # Behind any 5xx the create may have been processed: the client does not send it again, and the
    # look-up that follows finds the user it made.
    api.add_fault("status_after_processing", status=status, method="POST")
    retrying = CloudflareClient(api.api_url, {"Authorization": "Bearer " + fake.API_TOKEN}, retries=3, timeout=5,
                                backoff_first=0.01)
    user, created = writes.create_user(retrying, fake.ACCOUNT_ID, "new@example.com", "New")
    assert created is True and user["email"] == "new@example.com"
    assert [r["method"] for r in api.api_requests()] == ["POST", "GET"]
    assert retrying.retry_log == []
    assert [u["email"] for u in api.accounts[fake.ACCOUNT_ID]].count("new@example.com") == 1


def test_a_create_refused_by_the_rate_limit_is_sent_again(api):
    # Cloudflare answers 429 before processing: the only status after which a create is sent again.
    api.add_fault("status", status=429, retry_after=0, method="POST")
    retrying = CloudflareClient(api.api_url, {"Authorization": "Bearer " + fake.API_TOKEN}, retries=1, timeout=5,
                                backoff_first=0.01)
    user, created = writes.create_user(retrying, fake.ACCOUNT_ID, "new@example.com", "New")
    assert created is True and user["email"] == "new@example.com"
    assert [r["method"] for r in api.api_requests()] == ["POST", "POST"]


def test_a_create_refused_as_taken_after_it_was_sent_twice_counts_as_created(api):
    # The client reports that the POST was retried: the user the look-up finds may be its first try's.
    api.add_fault("status", status=429, retry_after=0, method="POST")
    retrying = CloudflareClient(api.api_url, {"Authorization": "Bearer " + fake.API_TOKEN}, retries=1, timeout=5,
                                backoff_first=0.01)
    user, created = writes.create_user(retrying, fake.ACCOUNT_ID, "JDoe@example.com")
    assert (user, created) == (JDOE, True)
    assert [r["method"] for r in api.api_requests()] == ["POST", "POST", "GET"]


def test_a_retried_look_up_after_a_create_refused_as_taken_does_not_make_it_created(api):
    # Only the POST's own tries count, not those of the look-up that follows it.
    api.add_fault("status", status=503, method="GET")
    retrying = CloudflareClient(api.api_url, {"Authorization": "Bearer " + fake.API_TOKEN}, retries=1, timeout=5,
                                backoff_first=0.01)
    user, created = writes.create_user(retrying, fake.ACCOUNT_ID, "JDoe@example.com")
    assert (user, created) == (JDOE, False)
    assert [r["method"] for r in api.api_requests()] == ["POST", "GET", "GET"]


def test_rename_sends_the_current_email_as_confirmation(client, api):
    renamed = writes.rename_user(client, fake.ACCOUNT_ID, JDOE, "Jane Q. Doe")
    assert renamed == dict(JDOE, name="Jane Q. Doe", updated_at=renamed["updated_at"])


def test_delete_twice_is_quietly_done(client, api):
    writes.delete_users(client, fake.ACCOUNT_ID, [JDOE["id"]])
    writes.delete_users(client, fake.ACCOUNT_ID, [JDOE["id"]])
    assert [r["method"] for r in api.api_requests()] == ["DELETE", "DELETE"]
    assert JDOE["id"] not in [user["id"] for user in api.accounts[fake.ACCOUNT_ID]]


# --- the local API's writes, as Cloudflare's schema documents them ---------------------------------------------
def test_local_api_create_answers_201_and_refuses_a_taken_email_with_409(client, api):
    envelope = client.request("POST", USERS, body={"email": "new@example.com"})
    assert envelope["result"]["email"] == "new@example.com" and envelope["result"]["access_seat"] is False
    with pytest.raises(CloudflareAPIError) as info:
        client.request("POST", USERS, body={"email": "NEW@example.com", "name": "Other"})
    assert info.value.status == 409 and info.value.errors[0]["code"] == fake.EMAIL_TAKEN_CODE


@pytest.mark.parametrize("method, path, body", [
    ("POST", USERS, {"name": "No Email"}),
    ("POST", USERS, {"email": 42}),
    ("PUT", USERS + "/" + JDOE["id"], {"email": JDOE["email"]}),
    ("PUT", USERS + "/" + JDOE["id"], {"name": "Jane"}),
    ("PUT", USERS + "/" + JDOE["id"], {"name": "Jane", "email": "other@example.com"}),
])
def test_local_api_refuses_bodies_the_schema_refuses(client, api, method, path, body):
    with pytest.raises(CloudflareAPIError) as info:
        client.request(method, path, body=body)
    assert info.value.status == 400
    assert [user for user in api.accounts[fake.ACCOUNT_ID] if user["id"] == JDOE["id"]] == [JDOE]


def test_local_api_delete_answers_202_then_404(client, api):
    path = USERS + "/" + JDOE["id"]
    assert client.request("DELETE", path)["result"] is None
    with pytest.raises(CloudflareAPIError) as info:
        client.request("DELETE", path)
    assert info.value.status == 404


# --- the local API's fault after_processing: the write is done, then its answer goes wrong ------------------
@pytest.mark.parametrize("answer, status, check", [
    ("status", 500, lambda exc: exc.errors[0]["code"] == 10500),
    ("garble", 201, lambda exc: "not a Cloudflare API envelope" in exc.reason),
    ("contradict", 200, lambda exc: exc.errors[0]["code"] == 10002),
])
def test_local_api_does_the_create_then_answers_as_the_fault_says(client, api, answer, status, check):
    api.add_fault("after_processing", answer=answer, method="POST")
    with pytest.raises(CloudflareAPIError) as info:
        client.request("POST", USERS, body={"email": "new@example.com"})
    assert info.value.status == status and check(info.value)
    assert [u["email"] for u in api.accounts[fake.ACCOUNT_ID]].count("new@example.com") == 1


def test_local_api_lose_resets_the_connection_after_the_create(client, api):
    api.add_fault("after_processing", answer="lose", method="POST")
    with pytest.raises(CloudflareAPIError) as info:
        client.request("POST", USERS, body={"email": "new@example.com"})
    assert info.value.status is None and info.value.outcome_unknown
    assert [u["email"] for u in api.accounts[fake.ACCOUNT_ID]].count("new@example.com") == 1


def test_local_api_other_user_answers_about_someone_else(client, api):
    api.add_fault("after_processing", answer="other_user", method="POST")
    created = client.request("POST", USERS, body={"email": "new@example.com"})["result"]
    assert created["email"] != "new@example.com" and created["id"] in [u["id"] for u in api.accounts[fake.ACCOUNT_ID]]
    assert [u["email"] for u in api.accounts[fake.ACCOUNT_ID]].count("new@example.com") == 1


def test_local_api_contradict_shows_a_renamed_user_as_before(client, api):
    api.add_fault("after_processing", answer="contradict", method="PUT")
    answer = client.request("PUT", USERS + "/" + JDOE["id"], body={"name": "Jane Q. Doe", "email": JDOE["email"]})
    assert answer["result"]["name"] == "Jane Doe"
    assert [u["name"] for u in api.accounts[fake.ACCOUNT_ID] if u["id"] == JDOE["id"]] == ["Jane Q. Doe"]


def test_local_api_refuses_after_processing_without_an_answer_kind(api):
    with pytest.raises(ValueError, match="fault after_processing needs answer, one of lose, status, garble"):
        api.add_fault("after_processing", method="POST")
