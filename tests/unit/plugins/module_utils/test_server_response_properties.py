# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generated *server responses* against the real client: it returns data or raises its typed error, nothing else.

The local API answers every request with one generated response: an envelope (or not), a result_info,
items of any JSON shape, odd numbers, lone surrogates, NaN, bodies cut short. Whatever comes, the
Access users calls return data that the controller can read (strict JSON, valid UTF-8), or raise a
CloudflareError whose message is one line.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _access_users, _errors, _options
from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake

RESPONSES = 150  # modest: CI has 2 cores

ODD_TEXT = ["", "\ud800", "a\udfffb", "line\nbreak", "x" * 300, "<html>", "null", fake.EXAMPLE_USER["id"], ".."]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False),
                    st.text(max_size=12), st.sampled_from(ODD_TEXT))
any_json = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)), max_leaves=12)
numbers = st.one_of(st.integers(-3, 3000), st.floats(allow_nan=False), st.text(max_size=4), st.none(), st.booleans())
user = st.fixed_dictionaries({"id": st.one_of(st.sampled_from([fake.EXAMPLE_USER["id"], "u1", "u2"]), any_json)},
                             optional={"email": any_json, "name": any_json, "access_seat": any_json,
                                       "gateway_seat": any_json, "last_successful_login": any_json})
items = st.one_of(st.lists(user, max_size=5), st.lists(any_json, max_size=4), any_json)
result_info = st.one_of(st.none(), any_json, st.fixed_dictionaries({}, optional={
    "page": numbers, "per_page": numbers, "count": numbers, "total_count": numbers, "total_pages": numbers}))
envelope = st.fixed_dictionaries({"success": st.one_of(st.booleans(), any_json)}, optional={
    "errors": st.one_of(st.lists(st.fixed_dictionaries({"code": scalars, "message": scalars}), max_size=2), any_json),
    "result": st.one_of(items, user), "result_info": result_info, "messages": any_json})


@st.composite
def responses(draw):
    """(status, body text) as a server, a proxy or a broken middlebox might send them."""
    status = draw(st.sampled_from([200, 200, 200, 404, 400, 403, 500, 502]))
    body = json.dumps(draw(st.one_of(envelope, any_json)))
    mangle = draw(st.sampled_from(["none", "none", "cut", "nan", "deep", "html"]))
    if mangle == "cut":
        body = body[:draw(st.integers(0, len(body)))]
    elif mangle == "nan":
        body = body.replace("0", "NaN", 1).replace("1", "-Infinity", 1)
    elif mangle == "deep":
        body = '{"success": true, "result": ' + "[" * 200 + "]" * 200 + "}"
    elif mangle == "html":
        body = "<html><title>%d</title></html>" % status
    return status, body


CALLS = {
    "list_users": lambda client: _access_users.list_users(client, fake.ACCOUNT_ID),
    "get_user": lambda client: _access_users.get_user(client, fake.ACCOUNT_ID, fake.EXAMPLE_USER["id"]),
    "users_by_key": lambda client: _access_users.users_by_key(
        client, fake.ACCOUNT_ID, [fake.EXAMPLE_USER["id"], "00000000-0000-4000-8000-000000000000"], "id"),
    "add_related": lambda client: _access_users.add_related(
        client, fake.ACCOUNT_ID, [dict(fake.EXAMPLE_USER)], ["active_sessions", "last_seen_identity"]),
}


@settings(max_examples=RESPONSES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(response=responses(), call=st.sampled_from(sorted(CALLS)))
def test_any_server_response_gives_data_or_a_typed_one_line_error(fake_server, response, call):
    fake_server.clear()
    status, body = response
    fake_server.add_fault("canned", status=status, body=body, times=-1)
    client = _options.client_from_params(dict(api_url=fake_server.api_url, api_token=fake.API_TOKEN, timeout=5,
                                              retries=0, request_budget=20))
    try:
        data = CALLS[call](client)
    except _errors.CloudflareError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    # What a module would return: strict JSON in valid UTF-8 (no NaN, no lone surrogates).
    json.dumps(data, allow_nan=False, ensure_ascii=False).encode("utf-8")
