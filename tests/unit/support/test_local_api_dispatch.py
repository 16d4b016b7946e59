# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local API finds a request's operation in its route table (routes.py, ROUTES) as routes.py says: a literal
segment before a parameter, 404 for what it does not serve, 403 for another account, 405 for another method, 404
for an unknown {user_id}; the path parameters reach the operation by name."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import routes, seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api.account import AccountModel

JDOE = seeded.EXAMPLE_USER
TOKEN = ("token", local_api.API_TOKEN)
KEY = ("key", local_api.API_EMAIL, local_api.API_KEY)
UNKNOWN_USER = "00000000-0000-4000-8000-000000000000"


def call(method, template, credential=TOKEN, body=b"", **parameters):
    """``(status, body, device calls logged)`` of ``method`` on ``template`` filled with ``parameters``."""
    path = template.format(**dict(dict(account_id=local_api.ACCOUNT_ID), **parameters))
    logged = []
    request = routes.Request(method, path, "/client/v4" + path, {}, body, credential,
                             log_device_call=lambda *entry: logged.append(entry))
    status, answer = routes.answer(AccountModel(users=3), request)
    return status, answer, logged


def code(answer):
    return answer["errors"][0]["code"]


def test_a_literal_segment_wins_over_a_parameter():
    status, answer, _logged = call("GET", routes.RISK + "/summary")
    assert status == 200 and "users" in answer["result"]  # the summary, not a user named "summary"
    status, answer, _logged = call("GET", routes.RISK + "/behaviors")  # an operation not served
    assert (status, code(answer)) == (404, 7003)


@pytest.mark.parametrize("route", [route for route in routes.ROUTES if route.handler is routes.NOT_SERVED],
                         ids=lambda route: "%s %s" % (route.method, route.template))
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_an_operation_not_served_is_no_route_whatever_the_method(route, method):
    names = ("user_id", "nonce", "device_id", "dataset_id", "app_id", "policy_id")
    status, answer, logged = call(method, route.template, **{name: "x1" for name in names})
    assert (status, code(answer)) == (404, 7003) and answer["success"] is False
    assert logged == []


@pytest.mark.parametrize("path", ["/nowhere", "/accounts", "/accounts/%s" % local_api.ACCOUNT_ID,
                                  "/accounts/%s/access/users/%s/foo" % (local_api.ACCOUNT_ID, JDOE["id"]),
                                  "/accounts/%s/zt_risk_scoring/%s/reset/now" % (local_api.ACCOUNT_ID, JDOE["id"])])
def test_a_path_of_no_template_is_no_route(path):
    request = routes.Request("GET", path, "/client/v4" + path, {}, b"", TOKEN)
    status, answer = routes.answer(AccountModel(users=3), request)
    assert (status, code(answer)) == (404, 7003)


@pytest.mark.parametrize("route", [route for route in routes.ROUTES if route.handler is not routes.NOT_SERVED],
                         ids=lambda route: "%s %s" % (route.method, route.template))
def test_every_operation_refuses_another_account_and_another_method(route):
    ids = dict(user_id=JDOE["id"], authenticator_id="a1", registration_id="r1", group_id="g1", policy_id="p1")
    status, answer, _logged = call(route.method, route.template.replace("{account_id}", "1" * 32), **ids)
    assert (status, code(answer)) == (403, 10000)
    served = {other.method for other in routes.ROUTES if other.template == route.template}
    for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} - served):
        status, answer, _logged = call(method, route.template, **ids)
        assert (status, code(answer)) == (405, 10405), method


@pytest.mark.parametrize("route", [route for route in routes.ROUTES
                                   if route.handler is not routes.NOT_SERVED and "{user_id}" in route.template],
                         ids=lambda route: "%s %s" % (route.method, route.template))
def test_every_operation_on_a_user_answers_an_unknown_one_404(route):
    status, answer, _logged = call(route.method, route.template, user_id=UNKNOWN_USER, authenticator_id="a1")
    assert (status, code(answer)) == (404, routes.UNKNOWN)
    assert answer["errors"][0]["message"] == "user not found"


def test_the_path_parameters_reach_the_operation_by_name():
    status, answer, _logged = call("GET", routes.USER + "/last_seen_identity", user_id=JDOE["id"])
    assert status == 200 and answer["result"]["email"] == JDOE["email"]
    group = AccountModel(users=3).rules.listing(local_api.ACCOUNT_ID, "groups")[0]
    status, answer, _logged = call("GET", routes.ACCOUNT + "/access/groups/{group_id}", group_id=group["id"])
    assert status == 200 and answer["result"] == group


def test_the_incident_response_paths_are_logged_and_the_device_paths_take_a_token_only_whatever_the_method():
    for method in ("GET", "PUT"):
        status, answer, logged = call(method, routes.REGISTRATIONS, credential=KEY)
        assert (status, code(answer)) == (403, 10000) and "API tokens only" in answer["errors"][0]["message"]
        assert [entry[0] for entry in logged] == [method]
    status, _answer, logged = call("POST", routes.ACCOUNT + "/devices/revoke", credential=KEY, body=b"[]")
    assert status == 400 and len(logged) == 1  # the deprecated revoke takes the global key: its body is refused
    status, _answer, logged = call("GET", routes.USER, user_id=JDOE["id"])
    assert status == 200 and logged == []
