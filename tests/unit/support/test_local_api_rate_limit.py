# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local API's rate limit, as Cloudflare documents its own: a quota per window, said in the Ratelimit headers of
every answer (with the time the window resets); over it, every request is refused with 429 for a whole window,
Retry-After saying how long."""

from __future__ import annotations

import time

import pytest
import requests

from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api.server import LocalAPI

TOKEN = {"Authorization": "Bearer " + local_api.API_TOKEN}
USERS = "/accounts/%s/access/users" % local_api.ACCOUNT_ID


@pytest.fixture(scope="module")
def limited_server():
    with LocalAPI(users=3, rate_limit=3, rate_window=2) as server:
        yield server


@pytest.fixture
def limited(limited_server):
    limited_server.reset()
    yield limited_server
    limited_server.reset()


def get(server, headers=None):
    return requests.get(server.api_url + USERS, headers=headers or TOKEN, timeout=10)


def test_every_answer_says_what_is_left_of_the_window_and_the_policy(fake_api):
    first, second = get(fake_api), get(fake_api)
    assert first.headers["Ratelimit"] == '"default";r=1199;t=300'
    assert second.headers["Ratelimit"] in ('"default";r=1198;t=300', '"default";r=1198;t=299')
    assert first.headers["Ratelimit-Policy"] == '"default";q=1200;w=300'
    assert "Retry-After" not in first.headers


def test_over_the_quota_every_request_is_refused_for_a_whole_window(limited):
    answers = [get(limited) for _request in range(5)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429, 429]
    refused = answers[3]
    assert refused.json()["errors"][0]["code"] == 10429
    assert refused.headers["Retry-After"] == "2" and refused.headers["Ratelimit"] == '"default";r=0;t=2'
    assert refused.headers["Ratelimit-Policy"] == '"default";q=3;w=2'
    time.sleep(1.2)
    assert get(limited).status_code == 429  # the oldest request left the window, but the block holds
    time.sleep(1.0)
    assert [get(limited).status_code for _request in range(3)] == [200, 200, 200]  # a fresh window after the block
    assert limited.rate_refused == 3
    assert requests.get(limited.url + "/__fake__/requests", timeout=10).json()["rate_refused"] == 3


def test_a_window_resets_whole_when_its_time_is_up(limited):
    assert [get(limited).status_code for _request in range(2)] == [200, 200]
    time.sleep(2.1)
    answers = [get(limited) for _request in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert answers[-1].headers["Ratelimit"] == '"default";r=0;t=2'


def test_each_credential_has_its_own_quota_and_reset_forgets_them(limited):
    key = {"X-Auth-Email": local_api.API_EMAIL, "X-Auth-Key": local_api.API_KEY}
    assert [get(limited).status_code for _request in range(4)][-1] == 429
    assert get(limited, key).status_code == 200
    limited.reset()
    assert get(limited).status_code == 200 and limited.rate_window == 2


def test_a_refused_credential_and_the_control_endpoints_carry_no_rate_limit_headers(fake_api):
    refused = get(fake_api, {"Authorization": "Bearer wrong-token"})
    assert refused.status_code == 403 and "Ratelimit" not in refused.headers
    assert "Ratelimit" not in requests.get(fake_api.url + "/__fake__/health", timeout=10).headers
