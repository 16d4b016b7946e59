# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local API's ``canned`` fault sends the status line and headers asked, and its request log keeps what each
API request carried (body, header values) but never a credential's value."""

from __future__ import annotations

import http.client
import json
import re
from urllib.parse import urlsplit

import pytest
import requests

from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api

USERS = "/accounts/%s/access/users" % local_api.ACCOUNT_ID
RAY = re.compile(r"[0-9a-f]{16}-SJC$")


def raw_answer(server, method="GET", body=None, headers=None):
    """``(status, reason, [(header, value), ...] in the order sent, body)`` of one API request to ``server``."""
    connection = http.client.HTTPConnection(urlsplit(server.url).netloc, timeout=10)
    try:
        connection.request(method, "/client/v4" + USERS, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.reason, answer.getheaders(), answer.read()
    finally:
        connection.close()


def names(headers):
    return [name for name, _value in headers if name not in ("Server", "Date")]


def test_canned_without_its_new_options_sends_content_type_length_and_a_cf_ray(fake_api):
    fake_api.add_fault("canned", status=200, body="{}")
    status, reason, headers, body = raw_answer(fake_api)
    assert (status, reason, body) == (200, "OK", b"{}")
    assert names(headers) == ["Content-Type", "Content-Length", "cf-ray"]
    assert dict(headers)["Content-Type"] == "application/json" and RAY.match(dict(headers)["cf-ray"])


@pytest.mark.parametrize("reason", ["Not What You Think", ""])
def test_canned_reason_replaces_the_reason_phrase(fake_api, reason):
    fake_api.add_fault("canned", status=418, body="{}", reason=reason)
    assert raw_answer(fake_api)[:2] == (418, reason)


def test_canned_headers_are_added_after_the_standard_ones(fake_api):
    fake_api.add_fault("canned", status=200, body="{}", headers={"X-Extra": "yes", "Retry-After": "3"})
    headers = raw_answer(fake_api)[2]
    assert names(headers) == ["Content-Type", "Content-Length", "cf-ray", "X-Extra", "Retry-After"]
    assert dict(headers)["X-Extra"] == "yes"


def test_canned_headers_replace_a_standard_header_of_the_same_name_in_any_case(fake_api):
    replaced = {"CF-Ray": "0123456789abcdef-SJC", "content-type": "text/plain"}
    fake_api.add_fault("canned", status=409, body="{}", headers=replaced)
    headers = raw_answer(fake_api)[2]
    assert names(headers) == ["Content-Type", "Content-Length", "cf-ray"]
    assert dict(headers)["cf-ray"] == "0123456789abcdef-SJC" and dict(headers)["Content-Type"] == "text/plain"


@pytest.mark.parametrize("left_out", [["cf-ray"], ["Content-Type"], ["cf-ray", "Content-Type"]])
def test_canned_header_given_null_is_left_out(fake_api, left_out):
    fake_api.add_fault("canned", status=200, body="", headers={name: None for name in left_out})
    headers = raw_answer(fake_api)[2]
    assert names(headers) == [name for name in ("Content-Type", "Content-Length", "cf-ray") if name not in left_out]


def test_canned_headers_and_reason_can_be_switched_on_over_http_as_json_text(fake_api):
    # ansible-core before 2.19 may template a mapping into its JSON text: the fault reads either.
    fault = {"kind": "canned", "status": 300, "body": "{}", "reason": "", "headers": json.dumps({"cf-ray": None})}
    assert requests.post(fake_api.url + "/__fake__/faults", json=fault, timeout=10).status_code == 204
    status, reason, headers, _body = raw_answer(fake_api)
    assert (status, reason) == (300, "")
    assert "cf-ray" not in names(headers)


def test_canned_headers_that_are_not_a_mapping_are_refused(fake_api):
    with pytest.raises(ValueError, match="headers must be an object"):
        fake_api.add_fault("canned", headers=["cf-ray"])


def test_the_request_log_keeps_the_body_the_target_and_header_values_but_not_credentials(fake_api):
    raw_answer(fake_api, "POST", body=b'{"email": "a@example.com"}',
               headers={"Authorization": "Bearer " + local_api.API_TOKEN, "X-Auth-Key": local_api.API_KEY,
                        "X-Auth-Email": local_api.API_EMAIL, "Accept": "application/json",
                        "Content-Type": "application/json", "User-Agent": "tester/1"})
    [request] = fake_api.api_requests()
    assert request["body"] == '{"email": "a@example.com"}'
    assert request["target"] == "/client/v4" + USERS and request["path"] == "/client/v4" + USERS
    assert {name: request["header_values"][name] for name in ("Accept", "Content-Type", "User-Agent")} == {
        "Accept": "application/json", "Content-Type": "application/json", "User-Agent": "tester/1"}
    assert {"Authorization", "X-Auth-Key", "X-Auth-Email"} <= set(request["headers"])
    assert not {"Authorization", "X-Auth-Key", "X-Auth-Email"} & set(request["header_values"])
    served = requests.get(fake_api.url + "/__fake__/requests", timeout=10).text
    assert local_api.API_TOKEN not in served and local_api.API_KEY not in served


def test_the_request_log_keeps_the_query_as_sent_and_a_body_that_is_not_utf8_made_safe(fake_api):
    connection = http.client.HTTPConnection(urlsplit(fake_api.url).netloc, timeout=10)
    try:
        connection.request("POST", "/client/v4%s?email=a%%40example.com" % USERS, body=b"\xff{}")
        connection.getresponse().read()
    finally:
        connection.close()
    [request] = fake_api.api_requests()
    assert request["target"] == "/client/v4%s?email=a%%40example.com" % USERS
    assert request["query"] == {"email": "a@example.com"}
    assert request["body"] == "\ufffd{}"
    assert request["header_values"]["Content-Length"] == "3"
