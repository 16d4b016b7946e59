# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The incident-response side of the local Cloudflare-like API: WARP registrations, token revocation, MFA.

Hooked into ``fake_cloudflare.py`` (which routes these paths here and keeps a :class:`DeviceState` as
``FakeCloudflare.devices``). Standard library only. As Cloudflare's schema excerpt
``cloudflare-incident-response.openapi.json`` documents them:

* ``GET /accounts/{a}/devices/registrations``: filters ``user.id`` and ``id`` (repeated), ``device.id``,
  ``status`` (active, the default; all; revoked), ``search``; paged by an opaque ``cursor`` with
  ``result_info {count, cursor, per_page, total_count: null}``, the cursor empty on the last page;
* ``DELETE /accounts/{a}/devices/registrations?id=R1&id=R2`` and ``DELETE .../registrations/{id}``;
* ``POST /accounts/{a}/devices/registrations/revoke?id=...`` and the older ``POST /accounts/{a}/devices/revoke``
  (a JSON array of registration ids), both deprecated: a revoked registration keeps its virtual IPs and
  drops out of ``status=active``;
* ``POST /accounts/{a}/access/organizations/revoke_user`` with ``{"email", "warp_session_reauth"?, "devices"?,
  "user_uid"?}``, answered with the bare ``{"result": true, "success": true}`` (no ``errors``/``messages``);
  afterwards the user's ``active_sessions`` are empty;
* ``DELETE /accounts/{a}/access/users/{u}/mfa_authenticators/{id}`` and its alias ``.../passkeys/{id}``;
  passkeys are listed in ``last_seen_identity.passkeys``;
* the device routes (``/devices/registrations...``) take an API token only, as the schema declares;
  with the email and global key they answer 403;
* registrations are deleted when the user's seat is freed or the user deleted (``forget_user``).

Where the schema says nothing, this API decides, and says so here: a bulk delete or revoke naming an
unknown id changes nothing and answers 404 (code 1003); ``revoke_user`` for an email of no user answers
``result: false``; an unknown query parameter or request field is refused with 400, to catch a client
that sends what the schema does not have.

Seeded: about 2.5 registrations (1 to 4; the example user 2) for each user who held a Gateway seat,
a passkey for about a third of the users (the example user 1), and a TOTP authenticator beside each
passkey (not listed by any read, as on Cloudflare).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import random
import threading
import time
import uuid
from urllib.parse import parse_qs, urlsplit

# Fault kinds of this part (see fake_cloudflare.Fault): the answer, once processed, is distorted by distort().
FAULT_KINDS = (
    "repeat_cursor",  # a registrations page answers the cursor it was asked with: a listing that would loop
    "foreign_registration",  # a registrations page also holds a registration of a user not asked for
    "wrong_email_registration",  # a registration names the user asked for by id, but another user's email
    "bad_registration",  # a registrations page holds an item without an id
    "identity_of_other_user",  # last_seen_identity answers another user's identity
    "revoke_result_false",  # revoke_user revokes, then answers {"result": false, "success": true}
)
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 1000
REGISTRATION_FILTERS = ("user.id", "id", "device.id", "status", "search", "per_page", "cursor", "seen_after",
                        "seen_before", "sort_by", "sort_order", "policy.id", "include")
REVOKE_FIELDS = {"email": str, "devices": bool, "user_uid": str, "warp_session_reauth": bool}
DEVICE_MODELS = ("MacBook Pro", "ThinkPad X1", "iPhone 15", "Pixel 8", "Surface Laptop", "iPad Air")
UNKNOWN = 1003  # the code the local API answers for an unknown id


def envelope(result=None, errors=None, result_info=None):
    body = {"success": not errors, "errors": errors or [], "messages": [], "result": result}
    if result_info is not None:
        body["result_info"] = result_info
    return body


def failure(status, code, message):
    return status, envelope(errors=[{"code": code, "message": message}])


def seeded_passkeys(user):
    """The passkeys ``last_seen_identity`` lists for ``user`` as seeded (before any is deleted)."""
    rng = random.Random("passkeys:" + user["id"])
    if user["email"] != "jdoe@example.com" and rng.random() >= 0.33:
        return []
    return [{"id": "passkey-%s" % user["id"][:8], "name": "%s's security key" % (user.get("name") or "User").split()[0],
             "created_at": "2025-06-01T09:00:00Z", "last_used_at": "2026-10-30T08:12:00Z"}]


def seeded_authenticators(user):
    """Every MFA authenticator id of ``user`` as seeded: the passkeys and, beside each, a TOTP app (never listed)."""
    passkeys = [passkey["id"] for passkey in seeded_passkeys(user)]
    return passkeys + ["totp-%s" % user["id"][:8] for _passkey in passkeys]


def seeded_registrations(user):
    """The registrations of a Gateway seat holder as seeded: 1 to 4 (the example user 2), all active."""
    rng = random.Random("registrations:" + user["id"])
    count = 2 if user["email"] == "jdoe@example.com" else rng.randint(1, 4)
    first = (user.get("name") or "User").split()[0]
    registrations = []
    for number in range(count):
        host = rng.randint(1, 250)
        seen = "2026-%02d-%02dT%02d:%02d:00Z" % (rng.randint(9, 11), rng.randint(1, 28), rng.randint(0, 23),
                                                 rng.randint(0, 59))
        registrations.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "key": base64.b64encode(rng.getrandbits(256).to_bytes(32, "big")).decode(),
            "key_type": "secp256r1",
            "tunnel_type": "masque",
            "device": {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                       "name": "%s's %s" % (first, DEVICE_MODELS[(number + host) % len(DEVICE_MODELS)]),
                       "client_version": "2025.9.558.0"},
            "user": {"id": user["id"], "email": user["email"], "name": user.get("name") or ""},
            "created_at": "2025-%02d-%02dT09:00:00Z" % (rng.randint(1, 12), rng.randint(1, 28)),
            "updated_at": seen,
            "last_seen_at": seen,
            "revoked_at": None,
            "deleted_at": None,
            "virtual_ipv4": "100.96.%d.%d" % (rng.randint(0, 255), host),
            "virtual_ipv6": "2606:4700:0cf1:1000::%x" % rng.getrandbits(16),
        })
    return registrations


class DeviceState:
    """Registrations, revoked tokens and deleted authenticators of every account, and a log of the calls here.

    Registrations are made on first use from the users who held a Gateway seat when the server started,
    so a large account costs nothing until a test reads its devices; :meth:`reset` puts the seeded
    state back.
    """

    def __init__(self, accounts):
        self.lock = threading.Lock()
        # Who held a Gateway seat at the start: the seed of each account's registrations.
        self._holders = {account: [dict(user) for user in users if user.get("gateway_seat")]
                         for account, users in accounts.items()}
        self.calls = []  # {"method", "path", "query": {name: [values]}, "body"} of each call answered here
        self.reset()

    def reset(self):
        """The seeded state: every seeded registration active, no token revoked, no authenticator deleted."""
        with self.lock:
            self._registrations = {}  # account -> {registration id: registration}, made on first use
            self.revoked_users = set()  # (account, user id) whose Access tokens were revoked
            self.deleted_authenticators = set()  # (account, user id, authenticator id)
            self.revocations = []  # the revoke_user bodies accepted, oldest first

    def clear_log(self):
        with self.lock:
            self.calls = []

    def registrations(self, account):
        """The account's registrations by id (made from the seed on first use). Call with the lock held."""
        if account not in self._registrations:
            self._registrations[account] = {registration["id"]: registration
                                            for user in self._holders.get(account, [])
                                            for registration in seeded_registrations(user)}
        return self._registrations[account]

    def of_user(self, account, user_id, status="active"):
        """The registrations of one user (copies), as a listing with ``status`` shows them, in its order."""
        with self.lock:
            return sorted((copy.deepcopy(registration) for registration in self.registrations(account).values()
                           if registration["user"]["id"] == user_id and _has_status(registration, status)),
                          key=lambda registration: registration["id"])

    def forget_user(self, account, user_id):
        """Delete every registration of the user (in ``account``, or in every account for None): Cloudflare
        does so when the user's seat is freed or the user deleted."""
        with self.lock:
            for each in [account] if account else list(self._holders):
                registrations = self.registrations(each)
                for registration_id in [key for key, value in registrations.items() if value["user"]["id"] == user_id]:
                    del registrations[registration_id]

    def sub_resource(self, account, user, what, seeded):
        """A user's ``active_sessions`` or ``last_seen_identity`` as they are now (``seeded`` as generated)."""
        with self.lock:
            if what == "active_sessions" and (account, user["id"]) in self.revoked_users:
                return []
            if what == "last_seen_identity" and isinstance(seeded, dict) and "passkeys" in seeded:
                return dict(seeded, passkeys=[passkey for passkey in seeded["passkeys"]
                                              if (account, user["id"], passkey["id"]) not in self.deleted_authenticators])
        return seeded

    def log(self, method, path, query, body):
        with self.lock:
            self.calls.append({"method": method, "path": path, "query": query, "body": body})


def serves(segments):
    """Whether a path (split at /, after /client/v4) is one of the routes of this file."""
    if len(segments) < 3 or segments[0] != "accounts":
        return False
    return (segments[2] == "devices" or segments[2:] == ["access", "organizations", "revoke_user"]
            or (len(segments) == 7 and segments[2:4] == ["access", "users"]
                and segments[5] in ("mfa_authenticators", "passkeys")))


def answer(fake, method, segments, raw_path, raw_body, credential):
    """``(status, body)`` for a request to a route of this file, or None when the path is not one of them."""
    if not serves(segments):
        return None
    account = segments[1]
    users = fake.accounts.get(account)
    if users is None:
        return failure(403, 10000, "Authentication error")
    query = parse_qs(urlsplit(raw_path).query, keep_blank_values=True)
    state = fake.devices
    state.log(method, "/" + "/".join(segments), query, _decoded(raw_body))
    if segments[2] == "devices":
        return _devices(state, account, users, method, segments[3:], query, raw_body, credential)
    if segments[2] == "access" and segments[3] == "organizations":
        return _revoke_user(state, account, users, method, query, raw_body)
    return _delete_authenticator(state, account, users, method, segments[4], segments[6])


def distort(fake, fault, raw_path, body):
    """The answer ``body`` as a fault of FAULT_KINDS changes it, after the request was processed."""
    result = body.get("result") if isinstance(body, dict) else None
    if fault.kind == "revoke_result_false" and "result" in body:
        return dict(body, result=False)
    if fault.kind == "identity_of_other_user" and isinstance(result, dict):
        return dict(body, result=dict(result, user_uuid=str(uuid.uuid4()), email="someone.else@example.com"))
    if not isinstance(result, list) or "result_info" not in body:
        return body
    if fault.kind == "repeat_cursor":
        asked = parse_qs(urlsplit(raw_path).query).get("cursor")
        if asked:
            return dict(body, result_info=dict(body["result_info"], cursor=asked[-1]))
    elif fault.kind == "foreign_registration":
        stranger = seeded_registrations({"id": str(uuid.uuid4()), "email": "stranger@example.com", "name": "Stranger"})
        return dict(body, result=result + stranger[:1], result_info=dict(body["result_info"], count=len(result) + 1))
    elif fault.kind == "wrong_email_registration" and result:
        first = dict(result[0], user=dict(result[0]["user"], email="someone.else@example.com"))
        return dict(body, result=[first] + result[1:])
    elif fault.kind == "bad_registration" and result:
        first = {key: value for key, value in result[0].items() if key != "id"}
        return dict(body, result=[first] + result[1:])
    return body


# --- /devices ----------------------------------------------------------------------------------------------
def _devices(state, account, users, method, rest, query, raw_body, credential):
    token_only = rest[:1] != ["revoke"]  # the deprecated POST /devices/revoke also takes the global key
    if token_only and credential[0] != "token":
        return failure(403, 10000, "Authentication error: this endpoint accepts API tokens only")
    if rest == ["registrations"] and method == "GET":
        return _list_registrations(state, account, query)
    if rest == ["registrations"] and method == "DELETE":
        return _change_registrations(state, account, query.get("id"), "delete")
    if rest == ["registrations", "revoke"] and method == "POST":
        return _change_registrations(state, account, query.get("id"), "revoke")
    if len(rest) == 2 and rest[0] == "registrations" and rest[1] != "revoke" and method == "DELETE":
        return _change_registrations(state, account, [rest[1]], "delete")
    if rest == ["revoke"] and method == "POST":
        ids = _decoded(raw_body)
        if not isinstance(ids, list) or not all(isinstance(item, str) for item in ids):
            return failure(400, 10400, "the body must be a JSON array of registration ids")
        return _change_registrations(state, account, ids, "revoke")
    return failure(404, 7003, "No route for the URI")


def _list_registrations(state, account, query):
    unknown = sorted(set(query) - set(REGISTRATION_FILTERS))
    if unknown:
        return failure(400, 10400, "unknown query parameter: %s" % ", ".join(unknown))
    status = _one(query, "status", "active")
    if status not in ("active", "all", "revoked"):
        return failure(400, 10400, "status must be active, all or revoked")
    try:
        per_page = int(_one(query, "per_page", DEFAULT_PER_PAGE))
    except ValueError:
        per_page = 0
    if not 1 <= per_page <= MAX_PER_PAGE:
        return failure(400, 10400, "per_page must be between 1 and %d" % MAX_PER_PAGE)
    fingerprint = _fingerprint(query)
    after = ""
    if _one(query, "cursor", ""):
        after = _read_cursor(_one(query, "cursor", ""), fingerprint)
        if after is None:
            return failure(400, 10400, "invalid cursor")
    users, ids = set(query.get("user.id", [])), set(query.get("id", []))
    device, search = _one(query, "device.id", None), _one(query, "search", "").lower()
    with state.lock:
        rows = sorted((registration for registration in state.registrations(account).values()
                       if _has_status(registration, status)
                       and (not users or registration["user"]["id"] in users)
                       and (not ids or registration["id"] in ids)
                       and (device is None or registration["device"]["id"] == device)
                       and (not search or search in (registration["device"]["name"] + " " + registration["user"]["email"]).lower())
                       and registration["id"] > after), key=lambda registration: registration["id"])
        page = copy.deepcopy(rows[:per_page])
    cursor = _cursor(page[-1]["id"], fingerprint) if len(rows) > per_page else ""
    info = {"count": len(page), "cursor": cursor, "per_page": per_page, "total_count": None}
    return 200, envelope(result=page, result_info=info)


def _change_registrations(state, account, ids, action):
    """Delete or revoke the registrations ``ids``: all of them, or none when one is unknown (404)."""
    if not ids:
        return failure(400, 10400, "id is required: the registrations to %s" % action)
    with state.lock:
        registrations = state.registrations(account)
        unknown = [registration_id for registration_id in ids if registration_id not in registrations]
        if unknown:
            return failure(404, UNKNOWN, "registration not found: %s" % unknown[0])
        for registration_id in ids:
            if action == "delete":
                del registrations[registration_id]
            elif registrations[registration_id]["revoked_at"] is None:
                registrations[registration_id]["revoked_at"] = _now()
    return 200, envelope(result=None)


# --- revoke_user and MFA authenticators ----------------------------------------------------------------------
def _revoke_user(state, account, users, method, query, raw_body):
    if method != "POST":
        return failure(405, 10405, "Method not allowed")
    body = _decoded(raw_body)
    if not isinstance(body, dict) or not isinstance(body.get("email"), str) or not body["email"]:
        return failure(400, 10400, "email is required and must be a string")
    for field, value in body.items():
        if field not in REVOKE_FIELDS or not isinstance(value, REVOKE_FIELDS[field]):
            return failure(400, 10400, "unexpected field or type: %s" % field)
    if set(query) - {"devices"}:
        return failure(400, 10400, "unknown query parameter")
    matched = [user for user in users if user["email"].lower() == body["email"].lower()]
    with state.lock:
        state.revocations.append(body)
        for user in matched:
            state.revoked_users.add((account, user["id"]))
    if body.get("devices") or _one(query, "devices", "false") == "true":
        for user in matched:
            ids = [registration["id"] for registration in state.of_user(account, user["id"])]
            if ids:
                _change_registrations(state, account, ids, "revoke")
    # The schema's access_empty_response: no errors, no messages. An unknown email: false (our choice).
    return 200, {"result": bool(matched), "success": True}


def _delete_authenticator(state, account, users, method, user_id, authenticator_id):
    if method != "DELETE":
        return failure(405, 10405, "Method not allowed")
    user = next((candidate for candidate in users if candidate["id"] == user_id), None)
    if user is None:
        return failure(404, UNKNOWN, "user not found")
    key = (account, user_id, authenticator_id)
    with state.lock:
        if authenticator_id not in seeded_authenticators(user) or key in state.deleted_authenticators:
            return failure(404, UNKNOWN, "authenticator not found")
        state.deleted_authenticators.add(key)
    return 200, envelope(result=None)


def control(state, method, body):
    """``/__fake__/devices``: GET the call log, DELETE it, POST (``{"reset": true}``) for the seeded state."""
    if method == "GET":
        with state.lock:
            return 200, {"calls": list(state.calls)}
    if method == "DELETE":
        state.clear_log()
        return 204, None
    if method == "POST" and (_decoded(body) or {}).get("reset", True) is True:
        state.reset()
        return 204, None
    return 400, {"error": "GET the call log, DELETE it, or POST {\"reset\": true}"}


# --- helpers -------------------------------------------------------------------------------------------------
def _has_status(registration, status):
    revoked = registration["revoked_at"] is not None
    return status == "all" or (status == "revoked") == revoked


def _one(query, name, default):
    values = query.get(name)
    return values[-1] if values else default


def _fingerprint(query):
    filters = sorted((name, sorted(values)) for name, values in query.items() if name not in ("cursor", "per_page"))
    return hashlib.sha256(json.dumps(filters).encode()).hexdigest()[:12]


def _cursor(last_id, fingerprint):
    return base64.urlsafe_b64encode(json.dumps([last_id, fingerprint]).encode()).decode().rstrip("=")


def _read_cursor(cursor, fingerprint):
    """The last id a cursor stands for, or None when it is not one of ours or belongs to other filters."""
    try:
        last_id, made_for = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        return None
    return last_id if made_for == fingerprint and isinstance(last_id, str) else None


def _decoded(raw_body):
    try:
        return json.loads(raw_body) if raw_body else None
    except ValueError:
        return None


def _now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
