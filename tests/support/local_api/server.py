# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP server: authentication, the rate limit, the request logs, the faults applied, the control endpoints.

An API request goes: request log, fault taken (one that answers instead ends it here), authentication and
rate limit, an answer of the fault's instead, the operation (routes.py, on the account model of account.py), the fault's changes to the
answer, the answer with a cf-ray. For tests of the transport it serves HTTPS with a self-signed
certificate (``tls=True``) and counts the most requests it ever answered at once (``max_in_flight``).
"""

from __future__ import annotations

import json
import math
import os
import socket
import ssl
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import ACCOUNT_ID, API_EMAIL, API_KEY, API_TOKEN, NO_ACCESS_TOKEN, faults, routes, seeded
from .account import AccountModel, Refused
from .envelope import cf_ray, error, failure

API_PREFIX = "/client/v4"
CONTROL_PREFIX = "/__fake__"
# Cloudflare: 1,200 requests per 5 minutes per user or token; over it, every call is refused with 429 for the next
# 5 minutes (developers.cloudflare.com/fundamentals/api/reference/limits). Every answer carries
# `Ratelimit: "default";r=REMAINING;t=SECONDS` ("the time next window resets") and
# `Ratelimit-Policy: "default";q=QUOTA;w=WINDOW`; a refused one `Retry-After: SECONDS` until more capacity is
# available. Ours: per credential, a window starts with the first request after the last one ended; over its quota,
# the credential is blocked for a whole window. Tests and benchmarks may shorten the window (rate_window); the
# policy header says so.
RATE_LIMIT = 1200
RATE_WINDOW = 300
# A self-signed certificate for 127.0.0.1 and localhost (tests only): no client trusts it unless told to.
TLS_CERT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tls_cert.pem")
TLS_KEY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tls_key.pem")
NO_FAULT = faults.Fault()  # the API as it is: every hook of a fault left as it is
# The credential headers: their values are kept apart (auth_headers_seen), never in the request log.
AUTH_HEADERS = ("Authorization", "X-Auth-Email", "X-Auth-Key")


class LocalAPI:
    """The local API: the account model, the faults switched on, the logs. A context manager, or
    ``start()`` / ``stop()``; ``reset()`` puts it back as it started."""

    def __init__(self, users=25, latency=0.0, host="127.0.0.1", port=0, rate_limit=RATE_LIMIT, seed=seeded.SEED,
                 tls=False, groups=None, policies=None, rate_window=RATE_WINDOW):
        self.model = AccountModel(users, seed, groups, policies)
        self._started_with = {"latency": latency, "rate_limit": rate_limit, "rate_window": rate_window}
        self.lock = threading.Lock()
        self.in_flight = 0  # API requests being answered right now
        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.server.api = self
        self.tls = tls
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(TLS_CERT, TLS_KEY)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = None
        self.reset()

    def reset(self):
        """Put the server back as it started, for the next test. Restores:

        - the account: the seeded users (seeded.py) with their seats, and no other account; every seeded
          registration active, no Access token revoked, no MFA authenticator deleted (so the sessions and
          passkeys read as seeded); the seeded Access groups and reusable policies; an empty seat PATCH log
          and log of token revocations; the event feeds as seeded (authentication and audit logs, risk events)
          and no risk reset;
        - the server: no fault, empty request logs (API and device calls, the auth headers seen), fresh
          rate-limit counters and no block, the most requests in flight counted from now; the latency, rate
          limit and window, tokens and key pairs it was created with.
        """
        # Cheap when little changed (AccountModel.reset): an unchanged account is compared, not rebuilt, and
        # the registrations are made again (on first use) only when one was deleted or revoked.
        self.model.reset()
        with self.lock:
            self.latency = self._started_with["latency"]
            self.rate_limit = self._started_with["rate_limit"]
            self.rate_window = self._started_with["rate_window"]  # seconds (a whole number: the policy header's w)
            self.tokens = {API_TOKEN: True, NO_ACCESS_TOKEN: False}
            self.key_pairs = {(API_EMAIL, API_KEY): True}
        self.clear()

    def clear(self):
        """Remove every fault; forget the request logs, rate-limit counters and blocks, and the most requests in flight."""
        with self.lock:
            self.faults = []
            # {method, path, query, target, auth, headers, header_values, body} of each API request (record)
            self.requests = []
            self.auth_headers_seen = []  # raw auth header values, in memory only: never served over HTTP
            self.rate_hits = {}  # credential -> (monotonic start of its window, requests in it)
            self.rate_blocked = {}  # credential -> monotonic time its block ends
            self.rate_refused = 0  # requests refused by the rate limit since
            self.max_in_flight = self.in_flight  # the most answered at once since
        self.forget_device_calls()

    def forget_device_calls(self):
        with self.lock:
            self.device_calls = []  # {method, path, query (every value), body} of each incident-response call

    # --- the account, where tests read it -----------------------------------------------------------------
    @property
    def accounts(self):
        """Account id -> its users (the live lists)."""
        return self.model.accounts

    @property
    def seat_patches(self):
        """The bodies of the accepted seat PATCHes, oldest first."""
        return self.model.seat_patches

    @property
    def devices(self):
        """Registrations, revoked tokens and deleted authenticators (account.Devices)."""
        return self.model.devices

    @property
    def rules(self):
        """The Access groups and reusable policies (account.AccessRules)."""
        return self.model.rules

    def give_seats(self, items, account_id=ACCOUNT_ID):
        """Set seats as logins would (see AccountModel.give_seats)."""
        self.model.give_seats(items, account_id)

    # --- the event feeds, as an incident fills them ---------------------------------------------------------
    @property
    def feeds(self):
        """The Access authentication logs, the audit logs and the risk events (account.Feeds)."""
        return self.model.feeds

    def user_named(self, email=None, user_id=None, account_id=ACCOUNT_ID):
        """The account's user with this email (any letter case) or id; KeyError naming it when there is none."""
        for user in self.model.users(account_id):
            if (email is not None and user["email"].lower() == email.lower()) or user["id"] == user_id:
                return user
        raise KeyError("no user %s" % (email or user_id))

    def add_access_requests(self, email=None, user_id=None, count=1, allowed=False, app_uid=None, app_domain=None,
                            age=0.0):
        """Append ``count`` authentication records (denied unless ``allowed``) of a user, ``age`` seconds old."""
        return self.feeds.add_access_requests(self.user_named(email, user_id), int(count), allowed, app_uid,
                                              app_domain, float(age))

    def add_audit_logs(self, email=None, user_id=None, count=1, action_type="update", product="access", age=0.0):
        """Append ``count`` audit log records of a user changing a resource of ``product``, ``age`` seconds old."""
        return self.feeds.add_audit_logs(self.user_named(email, user_id), int(count), action_type, product, float(age))

    def raise_risk(self, email=None, user_id=None, risk_level="high", behavior="impossible_travel"):
        """Add a risk event of ``risk_level`` to a user (its max_risk_level rises to it when it was lower)."""
        return self.feeds.raise_risk(self.user_named(email, user_id), risk_level, behavior)

    # --- serving --------------------------------------------------------------------------------------------
    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return "%s://%s:%d" % ("https" if self.tls else "http", host, port)

    @property
    def api_url(self):
        return self.url + API_PREFIX

    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, name="local-cloudflare-api", daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # --- faults and logs --------------------------------------------------------------------------------------
    def add_fault(self, kind, **options):
        """Switch a fault on: a kind of faults.KINDS with its options (faults.py)."""
        fault = faults.make(kind, **options)
        with self.lock:
            self.faults.append(fault)

    def take_fault(self, path, method=None):
        """The first fault for this request whose ``after`` has run out (counted down), or NO_FAULT."""
        with self.lock:
            for fault in self.faults:
                if fault.matches(path, method):
                    if fault.after > 0:
                        fault.after -= 1
                        continue
                    if fault.times > 0:
                        fault.times -= 1
                    return fault
        return NO_FAULT

    def api_requests(self):
        """The API requests received so far (not the control ones), oldest first."""
        with self.lock:
            return list(self.requests)

    def record(self, request, auth_values):
        """Log an API request: ``request`` as :func:`logged` makes it, and its credential headers' values apart."""
        with self.lock:
            self.requests.append(request)
            self.auth_headers_seen.append(auth_values)

    def log_device_call(self, method, path, query, body):
        with self.lock:
            self.device_calls.append({"method": method, "path": path, "query": query, "body": body})

    def entered(self, change):
        """Count an API request in (``change`` 1) or out (-1) of the server."""
        with self.lock:
            self.in_flight += change
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    # --- authentication and the rate limit --------------------------------------------------------------------
    def authorize(self, credential):
        """None when the credential may call the API, else ``(status, envelope)``.

        The schema declares the credentials (an API token, or the email with the global API key) but no answer
        for a refused one: these are ours, with the codes Cloudflare's API is known to send.
        """
        if credential is None:
            return failure(400, 10001, "Unable to authenticate request")
        if credential[0] == "token":
            if credential[1] is None:
                return failure(400, 6003, "Invalid request headers",
                               error_chain=[error(6111, "Invalid format for Authorization header")])
            allowed = self.tokens.get(credential[1])
        else:
            allowed = self.key_pairs.get(credential[1:])
        if not allowed:
            return failure(403, 10000, "Authentication error")
        return None

    def rate_limited(self, credential):
        """``(refusal or None, headers)``: count one request of ``credential`` against the rate limit.

        Over the quota of its window, the credential is blocked for a whole window: every request, this one
        included, is refused with 429 and Retry-After until the block ends; then a new window starts. The headers
        are those of every answer (Ratelimit, Ratelimit-Policy) and, refused, Retry-After.
        """
        now = time.monotonic()
        with self.lock:
            limit, window = self.rate_limit, self.rate_window
            blocked = self.rate_blocked.get(credential)
            if blocked is not None and now >= blocked:  # the block is over: a new window
                del self.rate_blocked[credential]
                blocked = None
            if blocked is None:
                start, count = self.rate_hits.get(credential, (None, 0))
                if start is None or now >= start + window:
                    start, count = now, 0
                count += 1
                self.rate_hits[credential] = (start, count)
                if count > limit:
                    blocked = self.rate_blocked[credential] = now + window
            if blocked is not None:
                self.rate_refused += 1
                wait = math.ceil(round(blocked - now, 3))
                headers = rate_headers(limit, window, 0, wait)
                headers["Retry-After"] = str(wait)
                return failure(429, 10429, "Rate limited. Please wait and consider throttling your request speed"), headers
            return None, rate_headers(limit, window, limit - count, math.ceil(round(start + window - now, 3)))


def rate_headers(limit, window, remaining, reset):
    """Cloudflare's rate limit headers: what is left of the quota and when more comes, and the policy."""
    return {"Ratelimit": '"default";r=%d;t=%d' % (max(remaining, 0), max(reset, 0)),
            "Ratelimit-Policy": '"default";q=%d;w=%d' % (limit, window)}


def logged(method, target, query, auth_kind, headers, body):
    """What the request log keeps of an API request: its method, path, query (read and as sent: ``target``),
    the kind of credential, the header names, the values of every header but the credentials, and the body
    (text; invalid UTF-8 replaced)."""
    return {"method": method, "path": urlsplit(target).path, "query": query, "target": target, "auth": auth_kind,
            "headers": sorted(headers.keys()),
            "header_values": {name: value for name, value in headers.items() if name not in AUTH_HEADERS},
            "body": body.decode("utf-8", "replace")}


def credential_of(headers):
    """``(credential, auth kind)``: ``("token", token or None)`` for an Authorization header (None when it is
    not a bearer token), ``("key", email, key)`` for the legacy headers, or None."""
    authorization = headers.get("Authorization")
    if authorization is not None:
        return ("token", authorization[len("Bearer "):] if authorization.startswith("Bearer ") else None), "token"
    email, key = headers.get("X-Auth-Email"), headers.get("X-Auth-Key")
    if email is not None or key is not None:
        return ("key", email, key), "key"
    return None, "none"


# --- the control endpoints, beside the API under /__fake__ ------------------------------------------------------
# Each answers (status, a dict sent as JSON, a text, or None for no body).
def _done(action, body):
    """204 once ``action`` is done with the JSON ``body``; 400 saying why when the body does not fit it."""
    try:
        action(json.loads(body))
    except (ValueError, KeyError, TypeError) as exc:
        return 400, str(exc)
    return 204, None


def _switch_fault_on(api, body):
    return _done(lambda options: api.add_fault(options.pop("kind"), **options), body or b"{}")


def _switch_faults_off(api, body):
    with api.lock:
        api.faults = []
    return 204, None


def _forget_device_calls(api, body):
    api.forget_device_calls()
    return 204, None


def _give_seats(api, body):
    return _done(api.give_seats, body or b"[]")


def _reset(api, body):
    api.reset()
    return 204, None


def _reset_by_its_older_name(api, body):
    try:
        asked = json.loads(body) if body else None
    except ValueError:
        asked = None
    if (asked or {}).get("reset", True) is True:
        return _reset(api, body)
    return DEVICES_USAGE


def _cleared(api, body):
    api.clear()
    return 204, None


def _appended(add):
    """A control endpoint that calls ``add(**body)`` and answers what it made, or 400 saying why it could not."""
    def handle(api, body):
        try:
            made = add(api, **json.loads(body or b"{}"))
        except (ValueError, KeyError, TypeError, Refused) as exc:
            return 400, str(exc)
        return 200, {"made": made if isinstance(made, list) else [made]}
    return handle


DEVICES_USAGE = (400, {"error": "GET the call log, DELETE it, or POST {\"reset\": true}"})
# (method, path under /__fake__, what it does, the LocalAPI member that does it from Python, its handler).
# --help lists this table.
CONTROL_ENDPOINTS = (
    ("POST", "/faults", "switch a fault on: {\"kind\": KIND, OPTION: VALUE, ...}", "add_fault", _switch_fault_on),
    ("DELETE", "/faults", "switch every fault off", "", _switch_faults_off),
    ("GET", "/requests", "the API requests so far: method, path, query, target (as sent), auth kind, header names, "
     "header values but the credentials', body; and how many the rate limit refused", "api_requests",
     lambda api, body: (200, {"requests": api.api_requests(), "rate_refused": api.rate_refused})),
    ("DELETE", "/requests", "forget them, and the faults, rate-limit counters and most in flight", "clear", _cleared),
    ("POST", "/reset", "everything as it started: the seeded account, no fault, empty logs (below)", "reset", _reset),
    ("POST", "/seats", "give seats back: [{\"seat_uid\": ..., \"access_seat\": true}, ...]", "give_seats", _give_seats),
    ("GET", "/health", "{\"ok\": true, \"api_url\": ...}", "", lambda api, body: (200, {"ok": True, "api_url": api.api_url})),
    ("GET", "/devices", "the incident-response calls so far: method, path, whole query, body", "device_calls",
     lambda api, body: (200, {"calls": list(api.device_calls)})),
    ("DELETE", "/devices", "forget them", "", _forget_device_calls),
    ("POST", "/access_requests", "append authentication records: {\"email\" or \"user_id\", \"count\": 1, \"allowed\": "
     "false, \"app_uid\", \"app_domain\", \"age\": seconds old}", "add_access_requests",
     _appended(LocalAPI.add_access_requests)),
    ("POST", "/audit_logs", "append audit log records: {\"email\" or \"user_id\", \"count\": 1, \"action_type\", "
     "\"product\": \"access\", \"age\"}", "add_audit_logs", _appended(LocalAPI.add_audit_logs)),
    ("POST", "/risk", "raise a user's risk: {\"email\" or \"user_id\", \"risk_level\": \"high\", \"behavior\"}",
     "raise_risk", _appended(LocalAPI.raise_risk)),
    ("POST", "/devices", "with {\"reset\": true}: the same as POST /__fake__/reset (its older name)", "reset",
     _reset_by_its_older_name),
)
_CONTROL = {(method, path): handler for method, path, _does, _member, handler in CONTROL_ENDPOINTS}
# What a control path answers to a method it does not serve (any other path: 404).
_OTHER_METHODS = {"/devices": DEVICES_USAGE, "/seats": (405, "POST a JSON array of {seat_uid, access_seat, gateway_seat}")}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "cloudflare"

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass  # quiet: tests read the request log instead

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_PATCH(self):
        self._dispatch("PATCH")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def _dispatch(self, method):
        api = self.server.api
        parts = urlsplit(self.path)
        self.rate_headers = {}  # the rate limit's headers, on every answer to an authenticated API request
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if parts.path.startswith(CONTROL_PREFIX + "/"):
            self._control(api, method, parts.path[len(CONTROL_PREFIX):], body)
            return
        query = {name: values[-1] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
        credential, auth_kind = credential_of(self.headers)
        auth_values = {name: self.headers[name] for name in AUTH_HEADERS if name in self.headers}
        api.record(logged(method, self.path, query, auth_kind, self.headers, body), auth_values)
        api.entered(1)
        try:
            self._answer(api, method, parts.path, query, credential, body)
        finally:
            api.entered(-1)

    def _answer(self, api, method, full_path, query, credential, body):
        if api.latency:
            time.sleep(api.latency)
        if not full_path.startswith(API_PREFIX + "/"):
            self.send(*routes.no_route())
            return
        path = full_path[len(API_PREFIX):]
        fault = api.take_fault(path, method)
        if not fault.processes:
            fault.instead(self)
            return
        query = fault.query(query)
        exchange = faults.Exchange(api.model, method, path, self.path, query, body=body, before=fault.before(api.model))
        refusal = api.authorize(credential)
        if refusal is None:
            refusal, self.rate_headers = api.rate_limited(credential)
        status, answer = refusal or fault.intercept(exchange) or routes.answer(api.model, routes.Request(
            method, path, self.path, query, body, credential, fault.page_limit, api.log_device_call,
            fault.page_overlap, fault.ingestion_lag))
        fault.deliver(self, status, fault.reshape(status, answer, exchange), exchange)

    def _control(self, api, method, path, body):
        handler = _CONTROL.get((method, path))
        if handler is not None:
            status, answer = handler(api, body)
        else:
            status, answer = _OTHER_METHODS.get(path, (404, "unknown control endpoint"))
        if isinstance(answer, dict):
            self.send(status, answer)
        else:
            self.send_raw(status, (answer or "").encode(), "text/plain")

    # --- answering: used by the faults too ----------------------------------------------------------------------
    def send(self, status, body, headers=None):
        self.send_raw(status, json.dumps(body).encode(), "application/json", headers)

    def send_raw(self, status, payload, content_type, headers=None, reason=None):
        """Send ``payload`` with ``status`` and ``reason`` (default: the standard phrase), its Content-Type,
        Content-Length and a cf-ray, the rate limit's headers, then ``headers``: one named as one of those replaces
        it, and a header given None is not sent."""
        headers = dict(getattr(self, "rate_headers", {}), **(headers or {}))
        extra = {name.lower(): (name, value) for name, value in headers.items()}
        self.send_response(status, reason)
        for name, value in (("Content-Type", content_type), ("Content-Length", str(len(payload))), ("cf-ray", cf_ray())):
            value = extra.pop(name.lower(), (name, value))[1]
            if value is not None:
                self.send_header(name, value)
        for name, value in extra.values():
            if value is not None:
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def abort(self):
        """Abort the connection with a TCP reset (no answer, or what was sent so far)."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
