# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Cloudflare's operations, named as its schema names them: each checks the request, acts on the account
model and answers ``(status, body)``. Authentication, the rate limit and faults are the server's (server.py).

ROUTES, at the end of this file, is the one list of them: the operations of the schema excerpts
(../shared/reference/*.openapi.json, paths under /client/v4), each with its method, path template and summary as
the schema has them, and the function that answers it, or NOT_SERVED.
``python tests/support/local_api --help`` lists them. answer() finds a request's route:

- a literal segment of a template wins over a parameter (/zt_risk_scoring/summary is not the user "summary");
- no template matches the path, or only operations not served do: 404, code 7003 (no_route), for any method;
- the account is not the local API's: 403 (unknown_account);
- a path served for other methods: 405 (not_allowed);
- a {user_id} is the account's user (404, code 1003 when it has none), given to the function as ``user``; the other
  parameters are given by their names in the template.

To serve an operation: one entry in ROUTES (or its handler in place of NOT_SERVED) and one function answering it,
beside those of its resource below. An operation of an excerpt not yet in tests/unit/fixtures/schema_operations.json
needs the fixture written again first (tests/unit/repository/test_local_api_routes.py says how): that test checks
every entry against it. Where the local API answers something the schema does not document, a comment beside the
code says so.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from urllib.parse import parse_qs, urlsplit

from .account import Invalid, NotFound, Taken, has_status, read_time
from .envelope import envelope, error, failure

MAX_PER_PAGE = 1000  # the schema's per_page maximum (and its default) for Get users
DEFAULT_PER_PAGE = 1000
SEAT_FIELDS = {"seat_uid": str, "access_seat": bool, "gateway_seat": bool}
# The schema only says "4XX" for a create whose email a user already has: we answer 409 with this code.
EMAIL_TAKEN_CODE = 10409
# List registrations: the schema's query parameters. It gives per_page no default or maximum: ours.
REGISTRATION_FILTERS = ("user.id", "id", "device.id", "status", "search", "per_page", "cursor", "seen_after",
                        "seen_before", "sort_by", "sort_order", "policy.id", "include")
REGISTRATIONS_PER_PAGE = 20
MAX_REGISTRATIONS_PER_PAGE = 1000
REVOKE_FIELDS = {"email": str, "devices": bool, "user_uid": str, "warp_session_reauth": bool}
# The schema names no status or code for an unknown id (it lists 4XX, or for the registrations only 200):
# we answer 404 with this code for every unknown user, seat, registration and authenticator.
UNKNOWN = 1003


class Request:
    """An authenticated API request, as the operations read it."""

    def __init__(self, method, path, raw_path, query, body, credential, page_limit=None, log_device_call=None,
                 page_overlap=0, ingestion_lag=0.0):
        self.method = method
        self.segments = path.strip("/").split("/")  # the path after /client/v4, split at /
        self.raw_path = raw_path  # as sent, with the whole query
        self.query = query  # {name: its last value}
        self.values = parse_qs(urlsplit(raw_path).query, keep_blank_values=True)  # {name: every value, in order}
        self.body = body  # bytes
        self.credential = credential  # ("token", token) or ("key", email, key)
        self.page_limit = page_limit  # at most this many users a page, whatever per_page asks (a fault)
        self.log_device_call = log_device_call or (lambda *call: None)
        self.page_overlap = page_overlap  # each page of a log feed also repeats this many records of the one before
        self.ingestion_lag = ingestion_lag  # log records appended less than this many seconds ago are not listed


NOT_SERVED = None  # the handler of an operation the local API does not serve


class Route:
    """One of the schema's operations: ``method`` on ``template`` (its path under /client/v4), the schema's
    ``operation`` (summary), and ``handler(model, request, users, account_id, **parameters)``, or NOT_SERVED.
    ``logged``: the request goes to the device-call log (the incident-response operations);
    ``tokens_only``: an API token is required (Cloudflare's schema declares the device routes for API tokens only;
    answering the global key with 403 and code 10000 is ours)."""

    def __init__(self, method, template, operation, handler, logged=False, tokens_only=False):
        self.method, self.template, self.operation, self.handler = method, template, operation, handler
        self.logged, self.tokens_only = logged, tokens_only
        self.segments = template.strip("/").split("/")
        # Sorts first the template whose first parameter comes latest: a literal segment wins over a parameter.
        self.specificity = tuple(part.startswith("{") for part in self.segments)
        self.literals = [(at, part) for at, part in enumerate(self.segments) if not part.startswith("{")]
        self.names = [(at, part[1:-1]) for at, part in enumerate(self.segments) if part.startswith("{")]

    def parameters(self, segments):
        """``{name: value}`` of the path parameters when ``segments`` match the template, else None."""
        if len(segments) != len(self.segments) or any(segments[at] != part for at, part in self.literals):
            return None
        return {name: segments[at] for at, name in self.names}


def answer(model, request):
    """``(status, body)`` of an authenticated request under /client/v4: the route's, or the refusals above."""
    candidates = BY_LENGTH.get(len(request.segments), ())
    matched = [(route, found) for route, found in ((route, route.parameters(request.segments)) for route in candidates)
               if found is not None]
    most_specific = min((route.specificity for route, _found in matched), default=None)
    path_routes = [(route, found) for route, found in matched
                   if route.specificity == most_specific and route.handler is not NOT_SERVED]
    if not path_routes:
        return no_route()
    parameters = dict(path_routes[0][1])
    account_id = parameters.pop("account_id")
    users = model.users(account_id)
    if users is None:
        return unknown_account()
    if any(route.logged for route, _found in path_routes):
        request.log_device_call(request.method, "/" + "/".join(request.segments), request.values,
                                _decoded(request.body))
    if any(route.tokens_only for route, _found in path_routes) and request.credential[0] != "token":
        return failure(403, 10000, "Authentication error: this endpoint accepts API tokens only")
    route = next((route for route, _found in path_routes if route.method == request.method), None)
    if route is None:
        return not_allowed()
    if "user_id" in parameters:
        parameters["user"] = model.user(users, parameters.pop("user_id"))
        if parameters["user"] is None:
            return user_not_found()
    return route.handler(model, request, users, account_id, **parameters)


def no_route():
    # The schema's own example of a failure: {"code": 7003, "message": "No route for the URI"}.
    return failure(404, 7003, "No route for the URI")


def unknown_account():
    # The schema only says 4XX: we answer as for a credential that cannot see the account.
    return failure(403, 10000, "Authentication error")


def not_allowed():
    # Not in the schema (a method it does not list): 405, so a client sending one fails loudly.
    return failure(405, 10405, "Method not allowed for this fake")


# --- Zero Trust users ----------------------------------------------------------------------------------------
def user_not_found():
    return failure(404, UNKNOWN, "user not found")


def get_users(model, request, users, account_id):
    """"Get users": the account's users matching ``name``, ``email`` and ``search``, a page of them."""
    return _a_page([user for user in users if user_matches(user, request.query)], len(users), request.query,
                   DEFAULT_PER_PAGE, request.page_limit)


def get_a_user(model, request, users, account_id, user):
    """"Get a user"."""
    return 200, envelope(result=user)


def get_about_user(model, request, users, account_id, user, what):
    """"Get active sessions", "Get failed logins" and "Get last seen identity" (``what``)."""
    return 200, envelope(result=model.sub_resource(account_id, user, what))


def _a_page(selected, total_count, query, default_per_page, page_limit=None):
    """The page ``query`` asks for (page, per_page) of the ``selected`` objects, with result_info."""
    try:
        page = int(query.get("page", 1))
        per_page = int(query.get("per_page", default_per_page))
    except ValueError:
        # The schema types page and per_page as integers; the 400 and its code are ours.
        return failure(400, 10400, "page and per_page must be integers")
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        return failure(400, 10400, "per_page must be between 1 and %d" % MAX_PER_PAGE)
    if page_limit:
        per_page = min(per_page, page_limit)
    start = (page - 1) * per_page
    chunk = selected[start:start + per_page]
    # total_count: "Total results available without any search parameters" (Cloudflare's schema).
    info = {"page": page, "per_page": per_page, "count": len(chunk), "total_count": total_count,
            "total_pages": max(1, -(-len(selected) // per_page))}
    return 200, envelope(result=chunk, result_info=info)


def user_matches(user, query):
    """Get users' filters: substring, case-insensitive, like a search (the schema calls search a search)."""
    for field in ("name", "email"):
        wanted = query.get(field)
        if wanted and wanted.lower() not in (user.get(field) or "").lower():
            return False
    search = query.get("search")
    if search:
        haystack = " ".join(str(user.get(field) or "") for field in ("name", "email", "id")).lower()
        return search.lower() in haystack
    return True


def create_user(model, request, users, account_id):
    """"Create a user": email required, name optional; 201 with the user."""
    body, problem = _user_body(request.body, required=("email",))
    if problem:
        return 400, problem
    try:
        user = model.create_user(users, body["email"], body.get("name", ""))
    except Taken as refused:
        return 409, envelope(errors=[error(EMAIL_TAKEN_CODE, str(refused))])
    return 201, envelope(result=user)


def update_user(model, request, users, account_id, user):
    """"Update a user": name and email both required, the email the user's current one; 200 with the user."""
    body, problem = _user_body(request.body, required=("name", "email"))
    if problem:
        return 400, problem
    try:
        model.rename_user(user, body["name"], body["email"])
    except Invalid as refused:
        # The schema requires the current email "as confirmation"; the status of another one is ours.
        return failure(400, 10400, str(refused))
    return 200, envelope(result=user)


def delete_user(model, request, users, account_id, user):
    """"Delete a user": 202 with a null result; the user's registrations go with it."""
    model.delete_user(users, user)
    return 202, envelope(result=None)


def _user_body(raw_body, required):
    """``(body, None)`` for a JSON object with the ``required`` string fields, else ``(None, error envelope)``."""
    # The schema says 4XX for a bad body; 400 and code 10400 (for every malformed request) are ours.
    body = _decoded(raw_body or b"null")
    if not isinstance(body, dict):
        return None, envelope(errors=[error(10400, "the request body must be a JSON object")])
    for field in ("email", "name"):
        if field in body and not isinstance(body[field], str) or field in required and not body.get(field):
            return None, envelope(errors=[error(10400, "%s is required and must be a string" % field)])
    if "@" not in body.get("email", "@"):
        return None, envelope(errors=[error(10400, "email must be an email address")])
    return body, None


# --- Zero Trust seats ----------------------------------------------------------------------------------------
def update_user_seat(model, request, users, account_id):
    """"Update a user seat": a JSON array of {seat_uid, access_seat, gateway_seat}, all three required.

    Answers the seats as the schema's ``access_seats`` objects. The schema says only that false frees a
    seat; a seat set to true that the user does not hold is refused with 400 (ours: seats are taken by
    logging in), and the whole body is checked before any seat changes.
    """
    try:
        items = json.loads(request.body or b"null")
    except ValueError:
        return failure(400, 10400, "the request body is not JSON")
    problem = _seat_body_problem(items)
    if problem:
        return failure(400, 10400, problem)
    try:
        seats = model.update_seats(account_id, users, items)
    except NotFound as refused:
        return failure(404, UNKNOWN, str(refused))
    except Invalid as refused:
        return failure(400, 10400, str(refused))
    # The schema allows result_info on this answer without saying what it holds: one page of every seat.
    info = {"page": 1, "per_page": len(seats), "count": len(seats), "total_count": len(seats)}
    return 200, envelope(result=seats, result_info=info)


def _seat_body_problem(items):
    """What is wrong with a seat PATCH body, or None when it is what Cloudflare's schema asks for."""
    if not isinstance(items, list):
        return "the body must be a JSON array of seats"
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            return "seat %d must be an object" % number
        for field, kind in SEAT_FIELDS.items():
            if field not in item:
                return "seat %d: %s is required" % (number, field)
            if not isinstance(item[field], kind):
                return "seat %d: %s must be a %s" % (number, field, "string" if kind is str else "boolean")
    return None


# --- Access groups and reusable policies ---------------------------------------------------------------------------
# The query parameters of the two listings (the schema's), and their default per_page (both at most 1000).
RULES_QUERY = {"groups": ("name", "search", "page", "per_page"), "policies": ("page", "per_page")}
RULES_PER_PAGE = {"groups": 1000, "policies": 100}
DECISIONS = ("allow", "deny", "non_identity", "bypass")
# access_rule's 26 members: {KIND: {...}} with these required fields, each a string but user_risk_score's list.
RULE_FIELDS = {
    "group": ("id",), "any_valid_service_token": (), "auth_context": ("id", "identity_provider_id", "ac_id"),
    "auth_method": ("auth_method",), "azureAD": ("id", "identity_provider_id"), "certificate": (),
    "common_name": ("common_name",), "geo": ("country_code",), "device_posture": ("integration_uid",),
    "email_domain": ("domain",), "email_list": ("id",), "email": ("email",), "everyone": (),
    "external_evaluation": ("evaluate_url", "keys_url"), "github-organization": ("name", "identity_provider_id"),
    "gsuite": ("email", "identity_provider_id"), "login_method": ("id",), "ip_list": ("id",), "ip": ("ip",),
    "okta": ("name", "identity_provider_id"), "saml": ("attribute_name", "attribute_value", "identity_provider_id"),
    "oidc": ("claim_name", "claim_value", "identity_provider_id"), "service_token": ("token_id",),
    "linked_app_token": ("app_uid",), "user_risk_score": ("user_risk_score",), "cloudflare_account_member": (),
}
RISK_LEVELS = ("low", "medium", "high", "unscored")


# The operations of the groups and of the reusable policies are the same but for ``kind`` (groups or policies), and
# the name of the one path parameter after the account (group_id or policy_id: ``ids``). Creating or deleting one is
# not in the excerpt the local API serves.
def list_access_rules(model, request, users, account_id, kind):
    """"List Access groups" (``name``, ``search``) and "List Access reusable policies": a page, with result_info."""
    query = request.query
    # The schema lists these parameters and no others: another one is refused (ours), to catch a client sending a
    # filter the endpoint does not have (a name filter on the policies, say).
    unknown = sorted(set(query) - set(RULES_QUERY[kind]))
    if unknown:
        return failure(400, 10400, "unknown query parameter: %s" % ", ".join(unknown))
    objects = model.rules.listing(account_id, kind)
    # name and search: case-insensitive parts of the name (the schema does not say how they match: ours).
    wanted = [query[name].lower() for name in ("name", "search") if query.get(name)]
    selected = [obj for obj in objects if all(part in obj["name"].lower() for part in wanted)]
    return _a_page(selected, len(objects), query, RULES_PER_PAGE[kind], request.page_limit)


def the_one_id(ids):
    """The group's or the policy's id: the one path parameter of its route ({group_id} or {policy_id})."""
    return next(iter(ids.values()))


def get_access_rule(model, request, users, account_id, kind, **ids):
    """"Get an Access group" and "Get an Access reusable policy"."""
    object_id = the_one_id(ids)
    try:
        return 200, envelope(result=model.rules.get(account_id, kind, object_id))
    except NotFound as refused:
        return failure(404, UNKNOWN, str(refused))


def update_access_rule(model, request, users, account_id, kind, **ids):
    """"Update an Access group" and "Update an Access reusable policy": the whole object replaced by the body
    (name and include required; a policy's decision too); 200 with the object as it is then."""
    object_id = the_one_id(ids)
    try:
        model.rules.get(account_id, kind, object_id)
    except NotFound as refused:
        return failure(404, UNKNOWN, str(refused))
    body, problem = _rules_body(request.body, PUT_FIELDS[kind])
    if problem:
        return failure(400, 10400, problem)
    try:
        return 200, envelope(result=model.rules.replace(account_id, kind, object_id, body))
    except NotFound as refused:  # deleted by someone else meanwhile (a fault)
        return failure(404, UNKNOWN, str(refused))


def _rules_body(raw_body, fields):
    """``(body, None)`` for a PUT body the request schema takes, else ``(None, why not)``."""
    body = _decoded(raw_body)
    if not isinstance(body, dict):
        return None, "the request body must be a JSON object"
    # The schemas allow other properties; refusing them (ours) catches a client that sends back what only answers
    # have (id, created_at, app_count, ...), which a PUT that replaces the whole object must not be sent.
    unknown = sorted(set(body) - set(fields))
    if unknown:
        return None, "unknown field: %s" % ", ".join(unknown)
    for field, (required, check) in fields.items():
        if field not in body:
            if required:
                return None, "%s is required" % field
            continue
        problem = check(body[field])
        if problem:
            return None, "%s %s" % (field, problem)
    return body, None


def _must(kind, what):
    """A check: None when a value is a ``kind``, else "must be ``what``"."""
    return lambda value: None if isinstance(value, kind) else "must be " + what


def _name_problem(value):
    return None if isinstance(value, str) and value.strip() else "must be a string that is not empty"


def _rules_problem(value):
    if not isinstance(value, list):
        return "must be a list of rules"
    for number, rule in enumerate(value, 1):
        problem = _rule_problem(rule)
        if problem:
            return "rule %d: %s" % (number, problem)
    return None


def _include_problem(value):
    # The schema sets no minItems; Cloudflare's documentation says every group and policy needs an include rule
    # (what an empty one answers is not documented: 400, ours).
    return _rules_problem(value) or (None if value else "must have at least one rule")


def _rule_problem(rule):
    if not isinstance(rule, dict) or len(rule) != 1:
        return "a rule must be an object with one key, its kind"
    kind, value = next(iter(rule.items()))
    if kind not in RULE_FIELDS:
        return "unknown rule kind %s" % kind
    if not isinstance(value, dict):
        return "%s must be an object" % kind
    for field in RULE_FIELDS[kind]:
        wanted = list if kind == "user_risk_score" else str
        if not isinstance(value.get(field), wanted) or not value[field]:
            return "%s.%s is required and must be %s" % (kind, field, "a list" if wanted is list else "a string")
    if kind == "email" and "@" not in value["email"]:
        return "email.email must be an email address"
    if kind == "user_risk_score" and not all(level in RISK_LEVELS for level in value["user_risk_score"]):
        return "user_risk_score.user_risk_score must list some of %s" % ", ".join(RISK_LEVELS)
    return None


def _approval_groups_problem(value):
    if not isinstance(value, list):
        return "must be a list of approval groups"
    for number, group in enumerate(value, 1):
        if not isinstance(group, dict) or isinstance(group.get("approvals_needed"), bool) \
                or not isinstance(group.get("approvals_needed"), (int, float)) or group["approvals_needed"] < 0:
            return "%d: approvals_needed is required and must be a number of at least 0" % number
        addresses = group.get("email_addresses", [])
        if not isinstance(addresses, list) or not all(isinstance(address, str) for address in addresses):
            return "%d: email_addresses must be a list of strings" % number
        if not isinstance(group.get("email_list_uuid", ""), str):
            return "%d: email_list_uuid must be a string" % number
    return None


def _session_duration_problem(value):
    return None if value is None or isinstance(value, str) else "must be a string or null"


# Each PUT's request schema: field -> (required, its check: None, or what is wrong with the value).
PUT_FIELDS = {
    "groups": {
        "name": (True, _name_problem),
        "include": (True, _include_problem),
        "exclude": (False, _rules_problem),
        "require": (False, _rules_problem),
        "is_default": (False, _must(bool, "a boolean")),
    },
    "policies": {
        "name": (True, _name_problem),
        "decision": (True, lambda value: None if value in DECISIONS else "must be one of %s" % ", ".join(DECISIONS)),
        "include": (True, _include_problem),
        "exclude": (False, _rules_problem),
        "require": (False, _rules_problem),
        "approval_groups": (False, _approval_groups_problem),
        "approval_required": (False, _must(bool, "a boolean")),
        "connection_rules": (False, _must(dict, "an object")),
        "isolation_required": (False, _must(bool, "a boolean")),
        "mfa_config": (False, _must(dict, "an object")),
        "purpose_justification_prompt": (False, _must(str, "a string")),
        "purpose_justification_required": (False, _must(bool, "a boolean")),
        "session_duration": (False, _session_duration_problem),
    },
}


# --- incident response: registrations, token revocation, MFA -------------------------------------------------
# The registration routes document only their 200 answer. Ours for what they leave open: a parameter the
# schema does not have, a bad value or cursor, no id are 400 (code 10400), to catch a client that sends
# what the schema does not have; a bulk delete or revoke naming an unknown id changes nothing and is 404.
def list_registrations(model, request, users, account_id):
    """"List registrations": filters user.id and id (repeated), device.id, status, search; cursor paging with
    ``result_info {count, cursor, per_page, total_count: null}``, the cursor empty on the last page."""
    query = request.values
    unknown = sorted(set(query) - set(REGISTRATION_FILTERS))
    if unknown:
        return failure(400, 10400, "unknown query parameter: %s" % ", ".join(unknown))
    status = _one(query, "status", "active")
    if status not in ("active", "all", "revoked"):
        return failure(400, 10400, "status must be active, all or revoked")
    try:
        per_page = int(_one(query, "per_page", REGISTRATIONS_PER_PAGE))
    except ValueError:
        per_page = 0
    if not 1 <= per_page <= MAX_REGISTRATIONS_PER_PAGE:
        return failure(400, 10400, "per_page must be between 1 and %d" % MAX_REGISTRATIONS_PER_PAGE)
    fingerprint = _fingerprint(query)
    after = ""
    if _one(query, "cursor", ""):
        after = _read_cursor(_one(query, "cursor", ""), fingerprint)
        if not isinstance(after, str):
            return failure(400, 10400, "invalid cursor")
    user_ids, ids = set(query.get("user.id", [])), set(query.get("id", []))
    device, search = _one(query, "device.id", None), _one(query, "search", "").lower()

    def listed(registration):
        return (has_status(registration, status)
                and (not user_ids or registration["user"]["id"] in user_ids)
                and (not ids or registration["id"] in ids)
                and (device is None or registration["device"]["id"] == device)
                and (not search or search in (registration["device"]["name"] + " " + registration["user"]["email"]).lower())
                and registration["id"] > after)

    page, more = model.devices.page(account_id, listed, per_page)
    cursor = _cursor(page[-1]["id"], fingerprint) if more else ""
    info = {"count": len(page), "cursor": cursor, "per_page": per_page, "total_count": None}
    return 200, envelope(result=page, result_info=info)


def change_listed_registrations(model, request, users, account_id, action):
    """"Delete registrations" and "Revoke registrations" (``action``): those of the query's ``id``s."""
    return change_registrations(model, account_id, request.values.get("id"), action)


def delete_registration(model, request, users, account_id, registration_id):
    """"Delete registration"."""
    return change_registrations(model, account_id, [registration_id], "delete")


def change_registrations(model, account_id, ids, action):
    """Delete or revoke the registrations ``ids``: all of them, or none when one is unknown (404).

    A revoked registration keeps its virtual IPs and drops out of ``status=active``. The schema answers a
    delete with a null result and an optional result_info: we send none.
    """
    if not ids:
        return failure(400, 10400, "id is required: the registrations to %s" % action)
    return _null_once_done(model.devices.change, account_id, ids, action)


def revoke_devices(model, request, users, account_id):
    """"Revoke devices (deprecated)": a JSON array of registration ids."""
    ids = _decoded(request.body)
    if not isinstance(ids, list) or not all(isinstance(item, str) for item in ids):
        return failure(400, 10400, "the body must be a JSON array of registration ids")
    return change_registrations(model, account_id, ids, "revoke")


def revoke_user_tokens(model, request, users, account_id):
    """"Revoke all Access tokens for a user": ``{"email", "warp_session_reauth"?, "devices"?, "user_uid"?}``;
    afterwards the user's active_sessions are empty (and with ``devices``, its registrations revoked)."""
    query = request.values
    body = _decoded(request.body)
    if not isinstance(body, dict) or not isinstance(body.get("email"), str) or not body["email"]:
        return failure(400, 10400, "email is required and must be a string")
    for field, value in body.items():
        if field not in REVOKE_FIELDS or not isinstance(value, REVOKE_FIELDS[field]):
            return failure(400, 10400, "unexpected field or type: %s" % field)
    if set(query) - {"devices"}:
        return failure(400, 10400, "unknown query parameter")
    with_devices = bool(body.get("devices") or _one(query, "devices", "false") == "true")
    matched = model.devices.revoke_tokens(account_id, users, body, with_devices)
    # The schema's access_empty_response: no errors, no messages. Its result may be true or false; for an
    # email of no user we answer false (ours: the schema does not say).
    return 200, {"result": matched, "success": True}


def delete_authenticator(model, request, users, account_id, user, authenticator_id):
    """"Delete a user's MFA device" and its alias "Delete a user's passkey": 200 with a null result."""
    return _null_once_done(model.devices.delete_authenticator, account_id, user, authenticator_id)


# --- event feeds: authentication logs, audit logs, risk scores -------------------------------------------------
# What the schema leaves open, ours: a bad value of a parameter it types (a time, a number, an enum) is 400 with
# code 10400; since is inclusive, until and before exclusive; page sizes are at most 1,000.
MAX_LOG_PAGE = 1000
ACCESS_LOG_DIRECTIONS = ("asc", "desc")
# The audit log's product categories (the product_category filter) and the resource products each expands to.
PRODUCT_CATEGORIES = {"zerotrust": ("access", "gateway", "devices", "dlp", "zero_trust", "risk_scoring"),
                      "dns": ("dns_records", "dns_settings")}


def get_access_requests(model, request, users, account_id):
    """"Get Access authentication logs": since, until, direction (default desc), limit and per_page (default 25
    each: a page holds the smaller), page, and the email filter (substring, or exact with email_exact=true or
    emailOp=eq). The schema's answer has no result_info: a page shorter than asked is the last."""
    query = request.values
    try:
        since, until = _time_param(query, "since"), _time_param(query, "until")
        direction = _choice_param(query, "direction", ACCESS_LOG_DIRECTIONS, "desc")
        size = min(_size_param(query, "limit", 25), _size_param(query, "per_page", 25))
        page = _size_param(query, "page", 1, most=None)
    except ValueError as refused:
        return failure(400, 10400, str(refused))
    email = _one(query, "email", None)
    exact = _one(query, "email_exact", "false") == "true" or _one(query, "emailOp", None) == "eq"

    def keep(record):
        return email is None or (record["user_email"].lower() == email.lower() if exact else email in record["user_email"])

    records = model.feeds.access_requests.listing(since, until, direction, keep, request.ingestion_lag)
    start = max(0, (page - 1) * size - request.page_overlap)
    return 200, envelope(result=records[start:start + size])


def get_audit_logs(model, request, users, account_id):
    """"Get account audit logs" (v2): since and before required (a date or an RFC 3339 time), direction (default
    desc), limit (default 100), cursor; filters product_category, action_type and actor_email (each repeatable).
    ``result_info`` holds count (a string, as the schema types it) and the cursor of the next page, empty on the last."""
    query = request.values
    try:
        if "since" not in query or "before" not in query:
            raise ValueError("since and before are required")
        since, before = _time_param(query, "since"), _time_param(query, "before")
        direction = _choice_param(query, "direction", ACCESS_LOG_DIRECTIONS, "desc")
        limit = _size_param(query, "limit", 100)
        products = _products(query.get("product_category", []))
    except ValueError as refused:
        return failure(400, 10400, str(refused))
    action_types, actors = set(query.get("action_type", [])), {email.lower() for email in query.get("actor_email", [])}

    def keep(record):
        return ((products is None or record["resource"]["product"] in products)
                and (not action_types or record["action"]["type"] in action_types)
                and (not actors or record["actor"]["email"].lower() in actors))

    fingerprint = _fingerprint({name: values for name, values in query.items() if name != "limit"})
    start = 0
    if _one(query, "cursor", ""):
        start = _read_cursor(_one(query, "cursor", ""), fingerprint)
        if not isinstance(start, int) or isinstance(start, bool):
            return failure(400, 10400, "invalid cursor")
        start = max(0, start - request.page_overlap)
    records = model.feeds.audit_logs.listing(since, before, direction, keep, request.ingestion_lag)
    chunk = records[start:start + limit]
    more = start + limit < len(records)
    info = {"count": str(len(chunk)), "cursor": _cursor(start + limit, fingerprint) if more else ""}
    return 200, envelope(result=chunk, result_info=info)


def get_risk_summary(model, request, users, account_id):
    """"Get risk score info for all users in the account"."""
    return 200, envelope(result={"users": model.feeds.summary(users)})


def get_user_risk(model, request, users, account_id, user):
    """"Get risk event/score information for a specific user"."""
    return 200, envelope(result=model.feeds.risk_of(user))


def reset_user_risk(model, request, users, account_id, user):
    """"Clear the risk score for a particular user": 200 with a null result."""
    model.feeds.reset_risk(user["id"])
    return 200, envelope(result=None)


def _time_param(query, name):
    value = _one(query, name, None)
    if value is None:
        return None
    try:
        return read_time(value)
    except ValueError:
        raise ValueError("%s must be an RFC 3339 time or a date, got %r" % (name, value)) from None


def _choice_param(query, name, choices, default):
    value = _one(query, name, default)
    if value not in choices:
        raise ValueError("%s must be one of %s" % (name, ", ".join(choices)))
    return value


def _size_param(query, name, default, most=MAX_LOG_PAGE):
    try:
        value = int(_one(query, name, default))
    except ValueError:
        value = 0
    if value < 1 or (most is not None and value > most):
        raise ValueError("%s must be an integer from 1%s" % (name, " to %d" % most if most else ""))
    return value


def _products(categories):
    """The resource products of the product categories asked for, or None for every product; unknown is refused."""
    if not categories:
        return None
    unknown = [category for category in categories if category.lower() not in PRODUCT_CATEGORIES]
    if unknown:
        raise ValueError("unknown product category: %s" % ", ".join(unknown))
    return {product for category in categories for product in PRODUCT_CATEGORIES[category.lower()]}


# --- helpers -------------------------------------------------------------------------------------------------
def _null_once_done(change, *args):
    """200 with a null result once ``change(*args)`` is done; 404 for what it did not find (nothing changed)."""
    try:
        change(*args)
    except NotFound as refused:
        return failure(404, UNKNOWN, str(refused))
    return 200, envelope(result=None)


def _one(query, name, default):
    values = query.get(name)
    return values[-1] if values else default


def _fingerprint(query):
    filters = sorted((name, sorted(values)) for name, values in query.items() if name not in ("cursor", "per_page"))
    return hashlib.sha256(json.dumps(filters).encode()).hexdigest()[:12]


def _cursor(position, fingerprint):
    """A cursor for ``position``: the last id of a page (registrations) or the offset of the next (audit logs)."""
    return base64.urlsafe_b64encode(json.dumps([position, fingerprint]).encode()).decode().rstrip("=")


def _read_cursor(cursor, fingerprint):
    """The position a cursor stands for, or None when it is not one of ours or belongs to other filters."""
    try:
        position, made_for = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        return None
    usable = isinstance(position, str) or (isinstance(position, int) and not isinstance(position, bool))
    return position if made_for == fingerprint and usable else None


def _decoded(raw_body):
    try:
        return json.loads(raw_body) if raw_body else None
    except ValueError:
        return None


# --- the operations ------------------------------------------------------------------------------------------------
ACCOUNT = "/accounts/{account_id}"
USER = ACCOUNT + "/access/users/{user_id}"
REGISTRATIONS = ACCOUNT + "/devices/registrations"
RISK = ACCOUNT + "/zt_risk_scoring"
# The incident-response operations: every request to their paths goes to the device-call log.
incident_response = functools.partial(Route, logged=True)
devices = functools.partial(Route, logged=True, tokens_only=True)

ROUTES = (
    # cloudflare-access-users.openapi.json
    Route("GET", ACCOUNT + "/access/users", "Get users", get_users),
    Route("POST", ACCOUNT + "/access/users", "Create a user", create_user),
    Route("GET", USER, "Get a user", get_a_user),
    Route("PUT", USER, "Update a user", update_user),
    Route("DELETE", USER, "Delete a user", delete_user),
    Route("GET", USER + "/active_sessions", "Get active sessions",
          functools.partial(get_about_user, what="active_sessions")),
    Route("GET", USER + "/active_sessions/{nonce}", "Get single active session", NOT_SERVED),
    Route("GET", USER + "/failed_logins", "Get failed logins", functools.partial(get_about_user, what="failed_logins")),
    Route("GET", USER + "/last_seen_identity", "Get last seen identity",
          functools.partial(get_about_user, what="last_seen_identity")),
    Route("PATCH", ACCOUNT + "/access/seats", "Update a user seat", update_user_seat),
    # cloudflare-incident-response.openapi.json
    incident_response("POST", ACCOUNT + "/access/organizations/revoke_user", "Revoke all Access tokens for a user",
                      revoke_user_tokens),
    incident_response("DELETE", USER + "/mfa_authenticators/{authenticator_id}", "Delete a user's MFA device",
                      delete_authenticator),
    incident_response("DELETE", USER + "/passkeys/{authenticator_id}", "Delete a user's passkey", delete_authenticator),
    devices("GET", ACCOUNT + "/devices", "List devices (deprecated)", NOT_SERVED),
    devices("GET", ACCOUNT + "/devices/physical-devices", "List devices", NOT_SERVED),
    devices("DELETE", ACCOUNT + "/devices/physical-devices/{device_id}", "Delete device", NOT_SERVED),
    devices("POST", ACCOUNT + "/devices/physical-devices/{device_id}/revoke", "Revoke device registrations", NOT_SERVED),
    devices("GET", REGISTRATIONS, "List registrations", list_registrations),
    devices("DELETE", REGISTRATIONS, "Delete registrations",
            functools.partial(change_listed_registrations, action="delete")),
    devices("POST", REGISTRATIONS + "/revoke", "Revoke registrations",
            functools.partial(change_listed_registrations, action="revoke")),
    devices("DELETE", REGISTRATIONS + "/{registration_id}", "Delete registration", delete_registration),
    # The deprecated one takes the global key too.
    incident_response("POST", ACCOUNT + "/devices/revoke", "Revoke devices (deprecated)", revoke_devices),
    # cloudflare-events.openapi.json
    Route("GET", ACCOUNT + "/access/logs/access_requests", "Get Access authentication logs", get_access_requests),
    Route("GET", ACCOUNT + "/access/logs/scim/updates", "List Access SCIM update logs", NOT_SERVED),
    Route("GET", ACCOUNT + "/audit_logs", "Get account audit logs", NOT_SERVED),
    Route("GET", ACCOUNT + "/logpush/datasets/{dataset_id}/fields", "List fields", NOT_SERVED),
    Route("GET", ACCOUNT + "/logpush/jobs", "List Logpush jobs", NOT_SERVED),
    Route("POST", ACCOUNT + "/logpush/jobs", "Create Logpush job", NOT_SERVED),
    Route("GET", ACCOUNT + "/logs/audit", "Get account audit logs (Version 2)", get_audit_logs),
    Route("GET", ACCOUNT + "/logs/audit/product_categories", "List account audit log product categories (Version 2)",
          NOT_SERVED),
    Route("GET", RISK + "/behaviors", "Get all behaviors and associated configuration", NOT_SERVED),
    Route("GET", RISK + "/summary", "Get risk score info for all users in the account", get_risk_summary),
    Route("GET", RISK + "/{user_id}", "Get risk event/score information for a specific user", get_user_risk),
    Route("POST", RISK + "/{user_id}/reset", "Clear the risk score for a particular user", reset_user_risk),
    # cloudflare-access-groups.openapi.json (the application-scoped policies are deprecated)
    Route("GET", ACCOUNT + "/access/apps/{app_id}/policies", "List Access application policies", NOT_SERVED),
    Route("GET", ACCOUNT + "/access/apps/{app_id}/policies/{policy_id}", "Get an Access application policy", NOT_SERVED),
    Route("PUT", ACCOUNT + "/access/apps/{app_id}/policies/{policy_id}", "Update an Access application policy",
          NOT_SERVED),
    Route("GET", ACCOUNT + "/access/groups", "List Access groups", functools.partial(list_access_rules, kind="groups")),
    Route("GET", ACCOUNT + "/access/groups/{group_id}", "Get an Access group",
          functools.partial(get_access_rule, kind="groups")),
    Route("PUT", ACCOUNT + "/access/groups/{group_id}", "Update an Access group",
          functools.partial(update_access_rule, kind="groups")),
    Route("GET", ACCOUNT + "/access/policies", "List Access reusable policies",
          functools.partial(list_access_rules, kind="policies")),
    Route("GET", ACCOUNT + "/access/policies/{policy_id}", "Get an Access reusable policy",
          functools.partial(get_access_rule, kind="policies")),
    Route("PUT", ACCOUNT + "/access/policies/{policy_id}", "Update an Access reusable policy",
          functools.partial(update_access_rule, kind="policies")),
)
# The routes by their number of path segments: a request is matched against those of its own length only.
BY_LENGTH = {length: [route for route in ROUTES if len(route.segments) == length]
             for length in {len(route.segments) for route in ROUTES}}
