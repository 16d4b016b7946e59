# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The account model: what Cloudflare holds and what its API does to it, as plain data and operations (no HTTP).

Every account's users (their seats are fields of the user) and the log of seat PATCHes; per account, in
:class:`Devices`, the WARP registrations, the users whose Access tokens were revoked and the deleted MFA
authenticators; in :class:`Feeds`, the event feeds: the Access authentication logs, the audit logs (v2) and
the users' risk events; in :class:`AccessRules`, the Access groups and reusable policies. A user's sessions,
failed logins and identity are made from the user (seeded.sub_resources), less what a revocation or a delete took
away. An operation Cloudflare refuses raises :class:`NotFound`, :class:`Taken` or :class:`Invalid`, whose message
is the one the API answers; routes.py answers them.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import random
import re
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

from . import ACCOUNT_ID, seeded


class Refused(Exception):
    """An operation Cloudflare refuses; the message says why."""


class NotFound(Refused):
    """No such user, seat, registration or authenticator."""


class Taken(Refused):
    """Another user has this email."""


class Invalid(Refused):
    """A change Cloudflare does not allow (a seat set to true, an email changed)."""


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class AccountModel:
    """The users of every account, the seat PATCH log and the devices; :meth:`reset` puts back the seeded state."""

    def __init__(self, users=25, seed=seeded.SEED, groups=None, policies=None):
        self.lock = threading.Lock()
        self._seeded = {ACCOUNT_ID: seeded.users(users, seed)}
        self.accounts = {}  # account id -> its users (the live list the API reads and changes)
        self.seat_patches = []  # the bodies of accepted seat PATCHes, oldest first
        self.devices = Devices(self._seeded)
        self.feeds = Feeds()
        self.rules = AccessRules({ACCOUNT_ID: {
            "groups": seeded.access_groups(self._seeded[ACCOUNT_ID], groups, seed),
            "policies": seeded.reusable_policies(self._seeded[ACCOUNT_ID], policies, seed),
        }})
        self.reset()

    def reset(self):
        """The seeded users (and no other account), an empty seat PATCH log, the seeded devices, groups and
        reusable policies."""
        with self.lock:
            # Compared first: equal lists of flat dicts compare in C, so an account nobody changed costs
            # about a millisecond for 2,500 users instead of a rebuild.
            if self.accounts != self._seeded:
                self.accounts.clear()
                self.accounts.update({account: [dict(user) for user in users] for account, users in self._seeded.items()})
            self.seat_patches = []
        self.devices.reset()
        self.feeds.reset()
        self.rules.reset()

    def snapshot(self):
        """A copy of every account as it is now."""
        with self.lock:
            return copy.deepcopy(self.accounts)

    # --- users -----------------------------------------------------------------------------------------
    def users(self, account_id):
        """The account's users (the live list), or None for an account the API does not know."""
        return self.accounts.get(account_id)

    def user(self, users, user_id):
        with self.lock:
            return next((candidate for candidate in users if candidate["id"] == user_id), None)

    def create_user(self, users, email, name):
        """The new user, seatless and never logged in; :class:`Taken` when a user has the email (any case)."""
        with self.lock:
            if any(user["email"].lower() == email.lower() for user in users):
                raise Taken("a user with this email already exists")
            created = now()
            user = {"id": str(uuid.uuid4()), "access_seat": False, "active_device_count": 0, "created_at": created,
                    "email": email, "gateway_seat": False, "last_successful_login": None,
                    "name": name, "seat_uid": None, "uid": str(uuid.uuid4()), "updated_at": created}
            users.append(user)
        return user

    def rename_user(self, user, name, email):
        """Rename ``user``; ``email`` must be its current one (Cloudflare's confirmation: it cannot change)."""
        if email != user["email"]:
            raise Invalid("email must be the user's current email (it cannot be changed)")
        with self.lock:
            user.update(name=name, updated_at=now())
        return user

    def delete_user(self, users, user):
        """Delete ``user`` and its registrations."""
        with self.lock:
            users.remove(user)
        self.devices.forget_user(None, user["id"])

    def sub_resource(self, account_id, user, what):
        """The user's ``active_sessions``, ``failed_logins`` or ``last_seen_identity`` as they are now."""
        return self.devices.sub_resource(account_id, user, what, seeded.sub_resources(user)[what])

    # --- seats ------------------------------------------------------------------------------------------
    def update_seats(self, account_id, users, items):
        """Set the seats ``items`` ({seat_uid, access_seat, gateway_seat}) ask for; the seats as they are then.

        Seats are taken by logging in, so a seat set to true must be held already (:class:`Invalid`); every
        item is checked before any seat changes. A changed seat deletes the user's registrations.
        """
        with self.lock:
            by_seat = {user.get("seat_uid"): user for user in users}
            for item in items:
                user = by_seat.get(item["seat_uid"])
                if user is None:
                    raise NotFound("seat not found: %s" % item["seat_uid"])
                for seat in ("access_seat", "gateway_seat"):
                    if item[seat] and not user.get(seat):
                        raise Invalid("%s of seat %s cannot be set to true: a user takes a seat by authenticating"
                                      % (seat, item["seat_uid"]))
            changed = now()
            seats = []
            for item in items:
                user = by_seat[item["seat_uid"]]
                # .get: a test may leave a seat out of a user, as the schema allows
                if (user.get("access_seat"), user.get("gateway_seat")) != (item["access_seat"], item["gateway_seat"]):
                    self.devices.forget_user(account_id, user["id"])
                user["access_seat"], user["gateway_seat"] = item["access_seat"], item["gateway_seat"]
                seats.append({"seat_uid": item["seat_uid"], "access_seat": user["access_seat"],
                              "gateway_seat": user["gateway_seat"], "created_at": user.get("created_at"),
                              "updated_at": changed})
            self.seat_patches.append(items)
        return seats

    def give_seats(self, items, account_id=ACCOUNT_ID):
        """Set seats as logins would (true included): how tests put back the seats they freed.

        ``items`` are ``{seat_uid, access_seat, gateway_seat}``; a seat left out stays as it is.
        """
        with self.lock:
            by_seat = {user.get("seat_uid"): user for user in self.accounts[account_id]}
            for item in items:
                user = by_seat[item["seat_uid"]]
                for seat in ("access_seat", "gateway_seat"):
                    if seat in item:
                        user[seat] = bool(item[seat])


def has_status(registration, status):
    """Whether a listing with ``status`` (active, revoked or all) shows the registration."""
    revoked = registration["revoked_at"] is not None
    return status == "all" or (status == "revoked") == revoked


class Devices:
    """Registrations, revoked tokens and deleted authenticators of every account.

    Registrations are made on first use from the users who held a Gateway seat at the start, so a large
    account costs nothing until something reads its devices.
    """

    def __init__(self, seeded_accounts):
        self.lock = threading.Lock()
        # Who held a Gateway seat at the start: the seed of each account's registrations.
        self._holders = {account: [dict(user) for user in users if user.get("gateway_seat")]
                         for account, users in seeded_accounts.items()}
        self._registrations = {}  # account -> {registration id: registration}, made on first use
        self._changed = False  # whether a registration was deleted or revoked since they were made
        self.reset()

    def reset(self):
        """The seeded state: every seeded registration active, no token revoked, no authenticator deleted."""
        with self.lock:
            if self._changed:
                self._registrations = {}
                self._changed = False
            self.revoked_users = set()  # (account, user id) whose Access tokens were revoked
            self.deleted_authenticators = set()  # (account, user id, authenticator id)
            self.revocations = []  # the revoke_user bodies accepted, oldest first

    def _of_account(self, account):
        """The account's registrations by id (made from the seed on first use). Call with the lock held."""
        if account not in self._registrations:
            self._registrations[account] = {registration["id"]: registration
                                            for user in self._holders.get(account, [])
                                            for registration in seeded.registrations(user)}
        return self._registrations[account]

    def of_user(self, account, user_id, status="active"):
        """The registrations of one user (copies), as a listing with ``status`` shows them, in its order."""
        return self.page(account, lambda registration: registration["user"]["id"] == user_id
                         and has_status(registration, status))[0]

    def page(self, account, keep, limit=None):
        """``(the first limit registrations kept, in id order (copies), whether more were kept)``."""
        with self.lock:
            kept = sorted((registration for registration in self._of_account(account).values() if keep(registration)),
                          key=lambda registration: registration["id"])
            return copy.deepcopy(kept[:limit]), limit is not None and len(kept) > limit

    def change(self, account, ids, action):
        """Delete or revoke (``action``) the registrations ``ids``: all of them, or none when one is unknown."""
        with self.lock:
            registrations = self._of_account(account)
            unknown = [registration_id for registration_id in ids if registration_id not in registrations]
            if unknown:
                raise NotFound("registration not found: %s" % unknown[0])
            self._changed = True
            for registration_id in ids:
                if action == "delete":
                    del registrations[registration_id]
                elif registrations[registration_id]["revoked_at"] is None:
                    registrations[registration_id]["revoked_at"] = now()

    def forget_user(self, account, user_id):
        """Delete every registration of the user (in ``account``, or in every account for None): Cloudflare
        does so when the user's seat is freed or the user deleted."""
        with self.lock:
            self._changed = True
            for each in [account] if account else list(self._holders):
                registrations = self._of_account(each)
                for registration_id in [key for key, value in registrations.items() if value["user"]["id"] == user_id]:
                    del registrations[registration_id]

    def revoke_tokens(self, account, users, body, with_devices):
        """Revoke the Access tokens of the users with the email of ``body`` (and their registrations, when
        ``with_devices``); whether a user had that email. ``body`` joins the log of revocations."""
        matched = [user for user in users if user["email"].lower() == body["email"].lower()]
        with self.lock:
            self.revocations.append(body)
            for user in matched:
                self.revoked_users.add((account, user["id"]))
        if with_devices:
            for user in matched:
                ids = [registration["id"] for registration in self.of_user(account, user["id"])]
                if ids:
                    self.change(account, ids, "revoke")
        return bool(matched)

    def delete_authenticator(self, account, user, authenticator_id):
        """Delete one of the user's MFA authenticators (a passkey or a TOTP app)."""
        key = (account, user["id"], authenticator_id)
        with self.lock:
            if authenticator_id not in seeded.authenticators(user) or key in self.deleted_authenticators:
                raise NotFound("authenticator not found")
            self.deleted_authenticators.add(key)

    def sub_resource(self, account, user, what, seeded_value):
        """A user's ``active_sessions`` or ``last_seen_identity`` as they are now (``seeded_value`` as made)."""
        with self.lock:
            if what == "active_sessions" and (account, user["id"]) in self.revoked_users:
                return []
            if what == "last_seen_identity" and isinstance(seeded_value, dict) and "passkeys" in seeded_value:
                return dict(seeded_value, passkeys=[passkey for passkey in seeded_value["passkeys"]
                                                    if (account, user["id"], passkey["id"]) not in self.deleted_authenticators])
        return seeded_value


# --- the event feeds -----------------------------------------------------------------------------------------
RISK_LEVELS = ("low", "medium", "high")


def iso_time(moment):
    """An aware datetime as the feeds write times: RFC 3339 in UTC with microseconds, ``...T05:20:00.123450Z``."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


TIME_RE = re.compile(r"(\d{4}-\d\d-\d\d)(?:[Tt ](\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?([Zz]|[+-]\d\d:\d\d))?\Z")


def read_time(text):
    """An RFC 3339 time (``Z`` or an offset, any fraction) or a date (midnight UTC) as an aware datetime; ValueError."""
    match = TIME_RE.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError("not an RFC 3339 time or a date: %r" % (text,))
    day, clock, fraction, offset = match.groups()
    if clock is None:
        return datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    moment = datetime.strptime("%sT%s" % (day, clock), "%Y-%m-%dT%H:%M:%S")
    moment += timedelta(microseconds=int((fraction or "0")[:6].ljust(6, "0")))
    if offset in ("Z", "z"):
        return moment.replace(tzinfo=timezone.utc)
    sign = 1 if offset[0] == "+" else -1
    return moment.replace(tzinfo=timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:]))))


class Log:
    """One log feed: its records in the order of their time (``time_field``), each with when it was appended.

    A record appended with an older time lands before newer ones, as a late record does on Cloudflare: a
    listing paged by offset at that moment shows a record of the page before again.
    """

    def __init__(self, time_field):
        self.time_field = time_field
        self.entries = []  # (time, sequence, record, monotonic time it was appended), sorted
        self._sequence = itertools.count()

    def append(self, record):
        moment = read_time(self._time_of(record))
        bisect.insort(self.entries, (moment, next(self._sequence), record, time.monotonic()))

    def _time_of(self, record):
        value = record
        for key in self.time_field.split("."):
            value = value[key]
        return value

    def listing(self, since=None, until=None, direction="asc", keep=None, ingestion_lag=0.0):
        """Copies of the records from ``since`` (inclusive) to ``until`` (exclusive), oldest first for ``asc``;
        ``keep(record)`` filters; records appended less than ``ingestion_lag`` seconds ago are not there yet."""
        visible_from = time.monotonic() - ingestion_lag
        chosen = [copy.deepcopy(record) for moment, _number, record, appended in self.entries
                  if (since is None or moment >= since) and (until is None or moment < until)
                  and (not ingestion_lag or appended <= visible_from) and (keep is None or keep(record))]
        return chosen if direction == "asc" else chosen[::-1]


class Feeds:
    """The event feeds of the account: Access authentication logs, audit logs (v2) and the users' risk events.

    Seeded with a few records of 2026-11-30, the same on every start; the control endpoints append records
    and raise a user's risk as an incident would.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.access_requests = Log("created_at")
            self.audit_logs = Log("action.time")
            self.risk = {}  # user id -> {"events": [...], "last_reset_time": time or None}
            self.resets = []  # the user ids whose risk was reset, oldest first
            for record in seeded.access_requests():
                self.access_requests.append(record)
            for record in seeded.audit_logs():
                self.audit_logs.append(record)
            for user_id, events in seeded.risk_events().items():
                self.risk[user_id] = {"events": events, "last_reset_time": None}

    def add_access_requests(self, user, count=1, allowed=False, app_uid=None, app_domain=None, age=0.0):
        """Append ``count`` authentication records of ``user`` (a user dict), ``age`` seconds old; returns them."""
        made = []
        with self.lock:
            for _number in range(count):
                record = {"action": "login", "allowed": bool(allowed), "app_domain": app_domain or "app.example.com",
                          "app_uid": app_uid or "df7e2w5f-02b7-4d9d-af26-8d1988fca630", "connection": "saml",
                          "created_at": iso_time(datetime.now(timezone.utc) - _seconds(age)),
                          "ip_address": "198.41.129.166", "ray_id": "%016x" % random.getrandbits(64),
                          "user_email": user["email"], "user_id": user["id"],
                          "country": "US", "app_name": "Example App", "app_type": "self_hosted"}
                self.access_requests.append(record)
                made.append(record)
        return copy.deepcopy(made)

    def add_audit_logs(self, actor, count=1, action_type="update", product="access", age=0.0):
        """Append ``count`` audit records of ``actor`` (a user dict) changing a ``product`` resource; returns them."""
        made = []
        with self.lock:
            for _number in range(count):
                record = {"id": uuid.uuid4().hex,
                          "account": {"id": ACCOUNT_ID, "name": "Example Account"},
                          "action": {"description": "Update application", "result": "success",
                                     "time": iso_time(datetime.now(timezone.utc) - _seconds(age)), "type": action_type},
                          "actor": {"context": "dash", "email": actor["email"], "id": actor["id"],
                                    "ip_address": "198.41.129.166", "type": "user"},
                          "raw": {"cf_ray_id": "%016x" % random.getrandbits(64), "method": "PUT", "status_code": 200,
                                  "uri": "/accounts/%s/access/apps" % ACCOUNT_ID, "user_agent": "Mozilla/5.0"},
                          "resource": {"id": str(uuid.uuid4()), "product": product, "scope": {}, "type": "application"},
                          "zone": {}}
                self.audit_logs.append(record)
                made.append(record)
        return copy.deepcopy(made)

    def raise_risk(self, user, level, behavior="impossible_travel"):
        """Add a risk event of ``level`` to ``user``: the summary's max_risk_level rises to it when it was lower."""
        if level not in RISK_LEVELS:
            raise Invalid("risk_level must be one of %s" % ", ".join(RISK_LEVELS))
        with self.lock:
            scores = self.risk.setdefault(user["id"], {"events": [], "last_reset_time": None})
            event = {"id": uuid.uuid4().hex, "name": behavior, "risk_level": level,
                     "timestamp": iso_time(datetime.now(timezone.utc)), "event_details": {}}
            scores["events"].append(event)
        return dict(event)

    def reset_risk(self, user_id):
        """Wipe the user's risk events (Cloudflare: "wipes risk-scoring history"); the summary leaves them out."""
        with self.lock:
            scores = self.risk.setdefault(user_id, {"events": [], "last_reset_time": None})
            scores["events"] = []
            scores["last_reset_time"] = iso_time(datetime.now(timezone.utc))
            self.resets.append(user_id)

    def risk_of(self, user):
        """The user's risk as "Get risk event/score information for a specific user" answers it."""
        with self.lock:
            scores = copy.deepcopy(self.risk.get(user["id"], {"events": [], "last_reset_time": None}))
        answer = {"name": user.get("name") or "", "email": user["email"], "events": scores["events"],
                  "last_reset_time": scores["last_reset_time"]}
        if scores["events"]:
            answer["risk_level"] = max_level(scores["events"])
        return answer

    def summary(self, users):
        """"Get risk score info for all users in the account": the users with risk events."""
        listed = []
        for user in users:
            scores = self.risk_of(user)
            if scores["events"]:
                listed.append({"user_id": user["id"], "name": scores["name"], "email": user["email"],
                               "max_risk_level": scores["risk_level"], "event_count": len(scores["events"]),
                               "last_event": max(event["timestamp"] for event in scores["events"])})
        return listed


def max_level(events):
    return max((event["risk_level"] for event in events), key=RISK_LEVELS.index)


def _seconds(age):
    return timedelta(seconds=float(age or 0))


class AccessRules:
    """The Access groups and reusable policies of every account (``groups`` and ``policies``, as their answers
    show them): read, replaced whole by a PUT, or changed by someone else (the fault someone_else_edits).

    Objects leave the model as copies, so an answer never changes after it was made.
    """

    KINDS = ("groups", "policies")
    # What a PUT keeps of the object: the fields only answers have (the PUT request schemas do not take them).
    KEPT = {"groups": ("id", "created_at"), "policies": ("id", "created_at", "account_id", "app_count", "reusable")}
    SOMEONE_ELSE = "someone.else@example.com"  # whom another administrator's edit adds

    def __init__(self, seeded_accounts):
        self.lock = threading.Lock()
        self._seeded = seeded_accounts  # account -> {"groups": [...], "policies": [...]}
        self.accounts = {}
        self.reset()

    def reset(self):
        """The seeded groups and policies, and no other account's."""
        with self.lock:
            if self.accounts != self._seeded:  # compared first: unchanged, nothing is copied
                self.accounts = copy.deepcopy(self._seeded)

    def snapshot(self):
        with self.lock:
            return copy.deepcopy(self.accounts)

    def listing(self, account, kind):
        """Copies of the account's groups or policies, in the order they were made ([] for an account without)."""
        with self.lock:
            return copy.deepcopy(self.accounts.get(account, {}).get(kind, []))

    def get(self, account, kind, object_id):
        """A copy of one group or policy; :class:`NotFound` for an id the account does not have."""
        with self.lock:
            return copy.deepcopy(self._find(account, kind, object_id))

    def replace(self, account, kind, object_id, fields):
        """A PUT: the object becomes ``fields`` (checked by routes.py) with the fields only answers have; a rule
        list left out becomes [] (the schema's default), any other field left out is gone. Returns a copy."""
        with self.lock:
            current = self._find(account, kind, object_id)
            replaced = {field: current[field] for field in self.KEPT[kind] if field in current}
            replaced.update(require=[], exclude=[])
            replaced.update(copy.deepcopy(fields))
            replaced["updated_at"] = now()
            current.clear()
            current.update(replaced)
            return copy.deepcopy(current)

    def edit(self, account, kind, object_id, edit):
        """Another administrator's edit of one object: ``add_include`` (an email rule for SOMEONE_ELSE),
        ``rename`` or ``delete``."""
        with self.lock:
            current = self._find(account, kind, object_id)
            if edit == "delete":
                self.accounts[account][kind].remove(current)
                return
            if edit == "add_include":
                current["include"] = list(current.get("include") or []) + [{"email": {"email": self.SOMEONE_ELSE}}]
            else:
                current["name"] = "%s (renamed)" % current.get("name")
            current["updated_at"] = now()

    def _find(self, account, kind, object_id):
        """The live object (call with the lock held)."""
        for candidate in self.accounts.get(account, {}).get(kind, []):
            if candidate["id"] == object_id:
                return candidate
        raise NotFound("%s not found" % ("access group" if kind == "groups" else "reusable policy"))
