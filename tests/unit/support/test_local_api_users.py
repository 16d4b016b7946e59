# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local API's user writes (POST, PUT, DELETE) behave as Cloudflare's schema documents them, and its fault
after_processing does the write before its answer goes wrong: the write tests rely on both."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareAPIError
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import routes, seeded

JDOE = seeded.EXAMPLE_USER
USERS = "/accounts/%s/access/users" % local_api.ACCOUNT_ID


@pytest.fixture
def client(make_client, fake_api):
    return make_client(fake_api)


# --- The writes, as the schema documents them ----------------------------------------------------------------------

def test_local_api_create_answers_201_and_refuses_a_taken_email_with_409(client, fake_api):
    envelope = client.request("POST", USERS, body={"email": "new@example.com"})
    assert envelope["result"]["email"] == "new@example.com" and envelope["result"]["access_seat"] is False
    with pytest.raises(CloudflareAPIError) as info:
        client.request("POST", USERS, body={"email": "NEW@example.com", "name": "Other"})
    assert info.value.status == 409 and info.value.errors[0]["code"] == routes.EMAIL_TAKEN_CODE


@pytest.mark.parametrize("method, path, body", [
    ("POST", USERS, {"name": "No Email"}),
    ("POST", USERS, {"email": 42}),
    ("PUT", USERS + "/" + JDOE["id"], {"email": JDOE["email"]}),
    ("PUT", USERS + "/" + JDOE["id"], {"name": "Jane"}),
    ("PUT", USERS + "/" + JDOE["id"], {"name": "Jane", "email": "other@example.com"}),
])
def test_local_api_refuses_bodies_the_schema_refuses(client, fake_api, method, path, body):
    with pytest.raises(CloudflareAPIError) as info:
        client.request(method, path, body=body)
    assert info.value.status == 400
    assert [user for user in fake_api.accounts[local_api.ACCOUNT_ID] if user["id"] == JDOE["id"]] == [JDOE]


def test_local_api_delete_answers_202_then_404(client, fake_api):
    path = USERS + "/" + JDOE["id"]
    assert client.request("DELETE", path)["result"] is None
    with pytest.raises(CloudflareAPIError) as info:
        client.request("DELETE", path)
    assert info.value.status == 404


# --- after_processing: the write is done, then its answer goes wrong -----------------------------------------------

@pytest.mark.parametrize("answer, status, check", [
    ("status", 500, lambda exc: exc.errors[0]["code"] == 10500),
    ("garble", 201, lambda exc: "not a Cloudflare API envelope" in exc.reason),
    ("contradict", 200, lambda exc: exc.errors[0]["code"] == 10002),
])
def test_local_api_does_the_create_then_answers_as_the_fault_says(client, fake_api, answer, status, check):
    fake_api.add_fault("after_processing", answer=answer, method="POST")
    with pytest.raises(CloudflareAPIError) as info:
        client.request("POST", USERS, body={"email": "new@example.com"})
    assert info.value.status == status and check(info.value)
    assert [u["email"] for u in fake_api.accounts[local_api.ACCOUNT_ID]].count("new@example.com") == 1


def test_local_api_lose_resets_the_connection_after_the_create(client, fake_api):
    fake_api.add_fault("after_processing", answer="lose", method="POST")
    with pytest.raises(CloudflareAPIError) as info:
        client.request("POST", USERS, body={"email": "new@example.com"})
    assert info.value.status is None and info.value.outcome_unknown
    assert [u["email"] for u in fake_api.accounts[local_api.ACCOUNT_ID]].count("new@example.com") == 1


def test_local_api_other_user_answers_about_someone_else(client, fake_api):
    fake_api.add_fault("after_processing", answer="other_user", method="POST")
    created = client.request("POST", USERS, body={"email": "new@example.com"})["result"]
    assert created["email"] != "new@example.com" and created["id"] in [u["id"] for u in fake_api.accounts[local_api.ACCOUNT_ID]]
    assert [u["email"] for u in fake_api.accounts[local_api.ACCOUNT_ID]].count("new@example.com") == 1


def test_local_api_contradict_shows_a_renamed_user_as_before(client, fake_api):
    fake_api.add_fault("after_processing", answer="contradict", method="PUT")
    answer = client.request("PUT", USERS + "/" + JDOE["id"], body={"name": "Jane Q. Doe", "email": JDOE["email"]})
    assert answer["result"]["name"] == "Jane Doe"
    assert [u["name"] for u in fake_api.accounts[local_api.ACCOUNT_ID] if u["id"] == JDOE["id"]] == ["Jane Q. Doe"]


def test_local_api_refuses_after_processing_without_an_answer_kind(fake_api):
    with pytest.raises(ValueError, match="fault after_processing needs answer, one of lose, status, garble"):
        fake_api.add_fault("after_processing", method="POST")
