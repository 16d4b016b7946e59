# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A local HTTP server that behaves like Cloudflare's v4 API for Zero Trust Access users.

Test and demo tooling only (kept out of the built collection). Standard library only, so it runs
under any Python. It listens on 127.0.0.1, serves the API under ``/client/v4`` and offers:

* seeded accounts and users (the documentation's example user among them, plus generated ones);
* token (``Authorization: Bearer``) and legacy ``X-Auth-Email`` + ``X-Auth-Key`` authentication;
* Cloudflare's envelope, ``result_info`` pagination, error shapes and a ``cf-ray`` on every answer;
* a per-credential rate limit (Cloudflare: 1,200 requests per 5 minutes) answered with 429;
* switchable faults and a request log, driven from Python or over HTTP under ``/__fake__/``;
* the user writes (create, rename, delete) as Cloudflare's schema documents them (see the block
  "user writes" below);
* WARP registrations (cursor paging), token revocation and MFA deletes, in ``fake_devices.py``;
* for tests of the transport: HTTPS with a self-signed certificate (``tls=True``), a redirecting answer
  (fault ``redirect``) and the most requests it ever served at once (``max_in_flight``);
* for tests of what a write really did: the fault ``after_processing`` does the request, then loses,
  garbles or contradicts its answer, as its option ``answer`` says: ``lose`` (a TCP reset instead of the
  answer), ``status`` (the fault's 5xx instead), ``garble`` (the request's own 2xx with half a body),
  ``contradict`` (HTTP 200 saying the opposite of what was done: a seat PATCH or a rename answered with
  the objects as they were before, a create or delete answered ``success: false``) or ``other_user`` (a
  success about another user, or other seats). E.g. ``{"kind": "after_processing", "answer": "garble",
  "method": "PATCH"}`` over ``POST /__fake__/faults``.

Run it standalone (the demo, integration tests and molecule do)::

    python tests/support/fake_cloudflare.py --url-file /tmp/cf_url

Control endpoints, beside the API (JSON bodies; from Python, the FakeCloudflare methods named)::

    POST   /__fake__/faults    switch a fault on: {"kind": KIND, OPTION: VALUE, ...}        (add_fault)
    DELETE /__fake__/faults    switch every fault off
    GET    /__fake__/requests  the API requests so far: method, path, query, auth kind, header names
    DELETE /__fake__/requests  forget them, and the faults, rate-limit counters and most in flight  (clear)
    POST   /__fake__/seats     give seats back: [{"seat_uid": ..., "access_seat": true}, ...]   (give_seats)
    GET    /__fake__/health    {"ok": true, "api_url": ...}
    GET    /__fake__/devices   the device calls so far (fake_devices.py): method, path, whole query, body
    DELETE /__fake__/devices   forget them
    POST   /__fake__/devices   the seeded registrations, sessions and passkeys again: {"reset": true}
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import signal
import socket
import ssl
import struct
import textwrap
import threading
import time
import tokenize
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

try:  # registrations, token revocation and MFA: tests/support/fake_devices.py
    from . import fake_devices
except ImportError:  # run as a script, or imported with tests/support on sys.path (the benchmarks)
    import fake_devices

API_PREFIX = "/client/v4"
CONTROL_PREFIX = "/__fake__"

ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353"
API_TOKEN = "fake-cf-token-0123456789abcdefghijklmnopqr"  # 40 characters, like a real token
API_EMAIL = "admin@example.com"
API_KEY = "0123456789abcdef0123456789abcdef01234"  # 37 hex characters, like a global API key
NO_ACCESS_TOKEN = "fake-cf-token-without-access-read-perm0"  # authenticates, lacks the permission

EXAMPLE_USER = {
    "id": "f174e90a-fafe-4643-bbbc-4a0ed4fc8415",
    "access_seat": True,
    "active_device_count": 2,
    "created_at": "2014-01-01T05:20:00.12345Z",
    "email": "jdoe@example.com",
    "gateway_seat": True,
    "last_successful_login": "2020-07-01T05:20:00Z",
    "name": "Jane Doe",
    "seat_uid": "9f6b5c4a-8d2e-4e1f-a0b3-7c9d8e6f5a41",
    "uid": "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b",
    "updated_at": "2014-01-01T05:20:00.12345Z",
}

# Its email contains the example user's: the API's email filter (a search) finds both for jdoe@example.com.
LOOKALIKE_USER = dict(EXAMPLE_USER, id="5e1c3b7a-2d4f-4a6b-9c8d-7e6f5a4b3c2d", email="john.jdoe@example.com",
                      name="John Jdoe", access_seat=False, gateway_seat=True, active_device_count=0,
                      last_successful_login=None, seat_uid="0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f",
                      uid="3d4e5f60-7182-4394-a5b6-c7d8e9f0a1b2", created_at="2025-03-01T09:00:00Z",
                      updated_at="2025-03-01T09:00:00Z")

FIRST_NAMES = ("Ada", "Alan", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Radia", "Vint",
               "Frances", "Donald", "Hedy", "Edsger", "Karen", "Tim", "Shafi", "Whitfield", "Sophie", "Leslie")
LAST_NAMES = ("Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie",
              "Perlman", "Cerf", "Allen", "Knuth", "Lamarr", "Dijkstra", "Jones", "Lee", "Goldwasser",
              "Diffie", "Wilson", "Lamport")

RATE_LIMIT = 1200
RATE_WINDOW = 300.0
MAX_PER_PAGE = 1000
DEFAULT_PER_PAGE = 1000
HANG_LIMIT = 60.0
SMALL_PAGE = 100  # a hung request never holds a server thread longer than this

# Fault kinds. Each is described by the comment on its line: `--help` lists them from these comments
# (fault_descriptions()), so a kind added to FAULT_KINDS with such a comment is documented there too.
REDIRECT = "redirect"
# Answers instead of the API's: the request is not processed.
ERROR_ANSWERS = (
    "status",  # an error answer with HTTP `status`: Cloudflare's envelope, or `body` html (a proxy's page) or other_json; `retry_after` adds Retry-After
    "success_false",  # HTTP 200 with success false and Cloudflare's code 10002
    "result_null",  # HTTP 200, success true, result null
    "truncated_json",  # HTTP 200 whose JSON body stops after 40 bytes
    "not_json",  # HTTP 200 with the text/plain body "OK"
    "reset",  # starts an answer, then aborts the connection with a TCP reset
    "hang",  # answers nothing for `delay` seconds (default and at most 60), then closes the connection
    "redirect",  # HTTP `status` (a 3xx) with the Location header `location`, as a misconfigured proxy sends it
)
# Faults of the list endpoint's pagination, as buggy servers and proxies show them.
LIST_QUIRKS = (
    "small_pages",  # pages of at most 100 whatever per_page asks, result_info without total_pages
    "ignore_page",  # answers page 1 for every page asked, and says so in result_info
    "ignore_page_silently",  # answers page 1 for every page asked, result_info without page or totals
    "no_result_info",  # pages correctly but sends no result_info at all
)
# --- issue 8: servers that lie about their listing, answers that drip, break off or are canned -------------
LYING_LIST_QUIRKS = (
    "lying_per_page",  # pages of at most 100, per_page echoed as asked, only total_count (no total_pages)
    "wrong_total_pages",  # pages of at most 100, per_page echoed as asked, total_pages counted from it, no total_count
)
ANSWER_FAULTS = (
    "drip",  # the right answer, its body sent one byte every `delay` seconds (default 0.5)
    "drip_headers",  # the right answer, its status line and headers sent one byte every `delay` seconds
    "cut_short",  # headers (with `status` and a cf-ray) promise a body that stops halfway; the connection closes
    "canned",  # `status` with `body` sent as it is, as `content_type` (default application/json)
)
# --- end issue 8 ------------------------------------------------------------------------------------------
FAULT_KINDS = ERROR_ANSWERS + LIST_QUIRKS + LYING_LIST_QUIRKS + ANSWER_FAULTS
# A self-signed certificate for 127.0.0.1 and localhost (tests only): no client trusts it unless told to.
TLS_CERT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_tls_cert.pem")
TLS_KEY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_tls_key.pem")


def generate_users(count, seed=20261126):
    """``count`` users: the example user and its lookalike first, then generated ones with mixed seats."""
    rng = random.Random(seed)
    users = [dict(EXAMPLE_USER), dict(LOOKALIKE_USER)][:count]
    for number in range(2, count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        created = "20%02d-%02d-%02dT%02d:%02d:00Z" % (
            rng.randint(19, 25), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59))
        seats = rng.random()
        access_seat, gateway_seat = seats < 0.65, 0.35 < seats < 0.9
        never_logged_in = rng.random() < 0.15
        login = None if never_logged_in else "2026-%02d-%02dT%02d:%02d:%02dZ" % (
            rng.randint(1, 11), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
        users.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "access_seat": access_seat,
            "active_device_count": 0 if never_logged_in else rng.randint(0, 3),
            "created_at": created,
            "email": "%s.%s%d@example.com" % (first.lower(), last.lower(), number),
            "gateway_seat": gateway_seat,
            "last_successful_login": login,
            "name": "%s %s" % (first, last),
            "seat_uid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "uid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "updated_at": login or created,
        })
    return users


def sub_resources(user):
    """Deterministic active sessions, failed logins and last-seen identity for one user."""
    logged_in = user.get("last_successful_login") is not None
    sessions = []
    if logged_in and user.get("active_device_count"):
        app = {"hostname": "app.example.com", "name": "Example App", "type": "self_hosted",
               "uid": "cc2a8145-0128-4429-87f3-872c4d380c4e"}
        sessions = [{"name": "app.example.com", "expiration": 1795689600,
                     "metadata": {"nonce": "X1aXj1lFVcqqyoXF", "ttl": 21600, "iat": 1795668000, "expires": 1795689600,
                                  "apps": {app["uid"]: app}}}]
    failed_logins = []
    if not logged_in:
        metadata = {"app_name": "Test App", "datetime": "2026-11-01T10:00:00Z", "ray_id": "6a1b2c3d4e5f6071",
                    "user_email": user["email"], "user_uuid": user["id"]}
        failed_logins = [{"expiration": 0, "metadata": metadata}]
    identity = {"email": user["email"], "name": user["name"], "user_uuid": user["id"], "ip": "203.0.113.7",
                "idp": {"id": "idp-1", "type": "okta"}, "geo": {"country": "US"}, "devicePosture": {},
                "device_sessions": {}, "passkeys": fake_devices.seeded_passkeys(user)}
    return {"active_sessions": sessions, "failed_logins": failed_logins, "last_seen_identity": identity}


class Fault:
    """One switched-on fault: a kind (FAULT_KINDS) and these options, as keywords of ``add_fault`` or fields
    of the JSON object POSTed to /__fake__/faults (``--help`` prints this list):

    times         how many answers it affects (default 1; -1: every answer until the faults are cleared)
    after         let this many matching requests through first (default 0), e.g. to fail the second PATCH
    path          only requests whose path (after /client/v4) contains this text (default: every request)
    method        only requests with this method (e.g. POST, for a path that is also read)
    status        the HTTP status that status, canned, cut_short, redirect, status_after_processing, echo_auth
                  and after_processing with answer status answer (default 500)
    answer        after_processing: what becomes of the answer of the request it processed: lose (a TCP reset),
                  status (HTTP `status`), garble (its own 2xx, half the body), contradict (HTTP 200 saying the
                  opposite: a PATCH or PUT answered with the objects as before, a POST or DELETE success false)
                  or other_user (a success about another user, or other seats)
    retry_after   the Retry-After header of a status answer (default: none)
    body          status: json (Cloudflare's envelope, the default), html (a proxy's page) or other_json;
                  echo_auth: json or html; canned: the body, sent as it is
    content_type  the Content-Type of a canned answer (default application/json)
    delay         seconds: per byte for drip and drip_headers (default 0.5), the wait of hang (default 60)
    location      the Location header of a redirect
    """

    def __init__(self, kind, times=1, status=500, retry_after=None, body="json", path=None, delay=None,
                 content_type="application/json", method=None, location=None, after=0, answer=None):
        if kind not in FAULT_KINDS:
            raise ValueError("unknown fault kind %r, expected one of %s" % (kind, ", ".join(FAULT_KINDS)))
        if kind == AFTER_PROCESSING and answer not in AFTER_PROCESSING_ANSWERS:
            raise ValueError("fault after_processing needs answer, one of %s" % ", ".join(AFTER_PROCESSING_ANSWERS))
        self.answer = answer  # after_processing: what becomes of the answer (AFTER_PROCESSING_ANSWERS)
        # Numbers may come as text over /__fake__/faults (ansible-core before 2.19 templates them to strings).
        self.kind, self.times, self.status = kind, int(times), int(status)
        self.retry_after, self.body, self.path = retry_after, body, path
        self.delay = None if delay is None else float(delay)
        self.content_type = content_type
        self.method = method  # only requests with this method (e.g. a POST to a path that is also read)
        self.location = location  # where a ``redirect`` fault points
        self.after = int(after)

    def matches(self, path, method=None):
        return (self.times != 0 and (self.path is None or self.path in path)
                and (self.method is None or self.method == method))


class FakeCloudflare:
    """The server's state. Use as a context manager, or ``start()`` / ``stop()``."""

    def __init__(self, users=25, latency=0.0, host="127.0.0.1", port=0, rate_limit=RATE_LIMIT, seed=20261126,
                 tls=False):
        self.accounts = {ACCOUNT_ID: generate_users(users, seed)}
        self.tokens = {API_TOKEN: True, NO_ACCESS_TOKEN: False}
        self.key_pairs = {(API_EMAIL, API_KEY): True}
        self.latency = latency
        self.rate_limit = rate_limit
        self.faults = []
        self.requests = []
        self.auth_headers_seen = []  # raw auth header values, in memory only: never served over HTTP
        self.rate_hits = {}
        self.lock = threading.Lock()
        self.in_flight = 0  # API requests being answered right now
        self.max_in_flight = 0  # the most answered at once since the last clear()
        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.server.fake = self
        self.tls = tls
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(TLS_CERT, TLS_KEY)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = None
        self.seat_patches = []  # the bodies of accepted seat PATCHes, oldest first (see the seats block)
        self.devices = fake_devices.DeviceState(self.accounts)  # registrations, revoked tokens, MFA (fake_devices.py)

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return "%s://%s:%d" % ("https" if self.tls else "http", host, port)

    @property
    def api_url(self):
        return self.url + API_PREFIX

    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-cloudflare", daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def add_fault(self, kind, **options):
        """Switch a fault on; see :class:`Fault` for the options."""
        with self.lock:
            self.faults.append(Fault(kind, **options))

    def clear(self):
        """Remove every fault and forget the request log, rate-limit counters and the most requests in flight."""
        with self.lock:
            self.faults, self.requests, self.rate_hits, self.auth_headers_seen = [], [], {}, []
            self.max_in_flight = self.in_flight
        self.devices.clear_log()

    def api_requests(self):
        """The API requests received so far (not the control ones), oldest first."""
        with self.lock:
            return list(self.requests)

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

    def entered(self, change):
        """Count an API request in (``change`` 1) or out (-1) of the server."""
        with self.lock:
            self.in_flight += change
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def take_fault(self, path, method=None):
        with self.lock:
            for fault in self.faults:
                if fault.matches(path, method):
                    if fault.after > 0:
                        fault.after -= 1
                        continue
                    if fault.times > 0:
                        fault.times -= 1
                    return fault
        return None

    def record(self, method, path, query, auth, header_names, auth_values):
        with self.lock:
            self.requests.append({"method": method, "path": path, "query": query, "auth": auth,
                                  "headers": header_names})
            self.auth_headers_seen.append(auth_values)

    def over_rate_limit(self, credential):
        now = time.monotonic()
        with self.lock:
            hits = [hit for hit in self.rate_hits.get(credential, []) if now - hit < RATE_WINDOW]
            hits.append(now)
            self.rate_hits[credential] = hits
            return len(hits) > self.rate_limit


def _envelope(result=None, errors=None, result_info=None):
    body = {"success": not errors, "errors": errors or [], "messages": [], "result": result}
    if result_info is not None:
        body["result_info"] = result_info
    return body


def _error(code, message, **extra):
    error = {"code": code, "message": message}
    error.update(extra)
    return error


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "cloudflare"

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass  # quiet: tests read the request log instead

    @property
    def fake(self):
        return self.server.fake

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
        parts = urlsplit(self.path)
        body = self._read_body()
        if parts.path.startswith(CONTROL_PREFIX + "/"):
            self._control(method, parts.path[len(CONTROL_PREFIX):], body)
            return
        query = {name: values[-1] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
        credential, auth_kind = self._credential()
        auth_values = {name: self.headers[name] for name in ("Authorization", "X-Auth-Email", "X-Auth-Key")
                       if name in self.headers}
        self.fake.record(method, parts.path, query, auth_kind, sorted(self.headers.keys()), auth_values)
        self.fake.entered(1)
        try:
            self._answer(method, parts, query, credential, body)
        finally:
            self.fake.entered(-1)

    def _answer(self, method, parts, query, credential, body):
        if self.fake.latency:
            time.sleep(self.fake.latency)
        if not parts.path.startswith(API_PREFIX + "/"):
            self._send(404, _envelope(errors=[_error(7003, "No route for the URI")]))
            return
        path = parts.path[len(API_PREFIX):]
        fault = self.fake.take_fault(path, method)
        if fault is not None and fault.kind in ("canned", "cut_short"):
            self._answer_fault(fault)
            return
        if fault is not None and fault.kind not in (LIST_QUIRKS + LYING_LIST_QUIRKS + ("drip", "drip_headers")
                                                    + AFTER_ANSWER_FAULTS + fake_devices.FAULT_KINDS):
            self._fault(fault)
            return
        if fault is not None and fault.kind.startswith("ignore_page"):
            query = dict(query, page="1")
        small_pages = fault is not None and fault.kind == "small_pages"
        before = _before_write(self.fake, fault)
        status, body = self._api(method, path, query, credential, small_pages, request_body=body)
        if fault is not None and fault.kind in fake_devices.FAULT_KINDS:
            body = fake_devices.distort(self.fake, fault, self.path, body)
        if fault is not None and fault.kind in LYING_LIST_QUIRKS and "result_info" in body:
            body = _lying_page(fault.kind, self.fake.accounts[ACCOUNT_ID], query)
        if fault is not None and fault.kind in ("drip", "drip_headers"):
            self._drip(status, body, fault.delay or 0.5, headers_too=fault.kind == "drip_headers")
            return
        if fault is not None and fault.kind in AFTER_ANSWER_FAULTS:
            _after_processing(self, fault, method, path, status, body, before)
            return
        if fault is not None and "result_info" in body:
            if fault.kind == "no_result_info":
                del body["result_info"]
            elif fault.kind == "ignore_page_silently":
                body["result_info"] = {"per_page": body["result_info"]["per_page"], "count": body["result_info"]["count"]}
        extra = {"Retry-After": "60"} if status == 429 else None
        self._send(status, body, headers=extra)

    # --- authentication -------------------------------------------------------------------
    def _credential(self):
        authorization = self.headers.get("Authorization")
        if authorization is not None:
            return ("token", authorization[len("Bearer "):] if authorization.startswith("Bearer ") else None), "token"
        email, key = self.headers.get("X-Auth-Email"), self.headers.get("X-Auth-Key")
        if email is not None or key is not None:
            return ("key", email, key), "key"
        return None, "none"

    def _authorize(self, credential):
        """None when allowed, else (status, envelope) like Cloudflare's answers."""
        if credential is None:
            return 400, _envelope(errors=[_error(10001, "Unable to authenticate request")])
        if credential[0] == "token":
            if credential[1] is None:
                return 400, _envelope(errors=[_error(6003, "Invalid request headers", error_chain=[
                    _error(6111, "Invalid format for Authorization header")])])
            allowed = self.fake.tokens.get(credential[1])
        else:
            allowed = self.fake.key_pairs.get(credential[1:])
        if allowed is None or not allowed:
            return 403, _envelope(errors=[_error(10000, "Authentication error")])
        if self.fake.over_rate_limit(credential):
            return 429, _envelope(errors=[_error(10429, "Rate limited. Please wait and consider throttling your request speed")])
        return None

    # --- the API --------------------------------------------------------------------------
    def _api(self, method, path, query, credential, small_pages=False, request_body=b""):
        denied = self._authorize(credential)
        if denied:
            return denied
        segments = path.strip("/").split("/")
        devices_answer = fake_devices.answer(self.fake, method, segments, self.path, request_body, credential)
        if devices_answer is not None:
            return devices_answer
        if len(segments) == 4 and segments[0] == "accounts" and segments[2:] == ["access", "seats"]:
            return self._seats(method, segments[1], request_body)
        if len(segments) < 4 or segments[0] != "accounts" or segments[2:4] != ["access", "users"]:
            return 404, _envelope(errors=[_error(7003, "No route for the URI")])
        users = self.fake.accounts.get(segments[1])
        if users is None:
            return 403, _envelope(errors=[_error(10000, "Authentication error")])
        if method in USER_WRITE_METHODS:
            return _user_write(self.fake, method, users, segments[4:], request_body)
        if method != "GET":
            return 405, _envelope(errors=[_error(10405, "Method not allowed for this fake")])
        rest = segments[4:]
        if not rest:
            return self._list_users(users, query, small_pages)
        user = next((candidate for candidate in users if candidate["id"] == rest[0]), None)
        if len(rest) > 2 or (len(rest) == 2 and rest[1] not in ("active_sessions", "failed_logins", "last_seen_identity")):
            return 404, _envelope(errors=[_error(7003, "No route for the URI")])
        if user is None:
            return 404, _envelope(errors=[_error(1003, "user not found")])
        if len(rest) == 1:
            return 200, _envelope(result=user)
        return 200, _envelope(result=self.fake.devices.sub_resource(segments[1], user, rest[1], sub_resources(user)[rest[1]]))

    def _list_users(self, users, query, small_pages):
        try:
            page = int(query.get("page", 1))
            per_page = int(query.get("per_page", DEFAULT_PER_PAGE))
        except ValueError:
            return 400, _envelope(errors=[_error(10400, "page and per_page must be integers")])
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            return 400, _envelope(errors=[_error(10400, "per_page must be between 1 and %d" % MAX_PER_PAGE)])
        if small_pages:
            per_page = min(per_page, SMALL_PAGE)
        selected = [user for user in users if _matches(user, query)]
        start = (page - 1) * per_page
        chunk = selected[start:start + per_page]
        # total_count: "Total results available without any search parameters" (Cloudflare's schema).
        info = {"page": page, "per_page": per_page, "count": len(chunk), "total_count": len(users),
                "total_pages": max(1, -(-len(selected) // per_page))}
        if small_pages:
            del info["total_pages"]
        return 200, _envelope(result=chunk, result_info=info)

    # --- faults ---------------------------------------------------------------------------
    def _fault(self, fault):
        if fault.kind == "status":
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            if fault.body == "html":
                page = ("<html><head><title>%d: %s</title></head><body>cloudflare</body></html>"
                        % (fault.status, _STATUS_MESSAGES.get(fault.status, "Error"))).encode()
                self._send_raw(fault.status, page, "text/html", headers)
            elif fault.body == "other_json":  # JSON, but not Cloudflare's envelope (a proxy's or another API's)
                self._send(fault.status, {"error": _STATUS_MESSAGES.get(fault.status, "Error"), "status": fault.status},
                           headers=headers)
            else:
                errors = [_error(10000 + fault.status, _STATUS_MESSAGES.get(fault.status, "Internal error"))]
                self._send(fault.status, _envelope(errors=errors), headers=headers)
        elif fault.kind == "success_false":
            self._send(200, {"success": False, "errors": [_error(10002, "Unknown error")], "messages": [], "result": None})
        elif fault.kind == "result_null":
            self._send(200, _envelope(result=None))
        elif fault.kind == "truncated_json":
            self._send_raw(200, json.dumps(_envelope(result=EXAMPLE_USER)).encode()[:40], "application/json")
        elif fault.kind == "not_json":
            self._send_raw(200, b"OK", "text/plain")
        elif fault.kind == "reset":
            self._reset()
        elif fault.kind == REDIRECT:
            self._send_raw(fault.status, b"", "text/plain", {"Location": fault.location})
        elif fault.kind == ECHO_AUTH:
            _echo_auth(self, fault)
        elif fault.kind == "hang":
            time.sleep(min(fault.delay or HANG_LIMIT, HANG_LIMIT))
            self.close_connection = True

    # --- issue 8: answers that drip, break off or are canned --------------------------------------
    def _answer_fault(self, fault):
        payload = fault.body.encode("utf-8", "surrogatepass") if isinstance(fault.body, str) else b""
        if fault.kind == "canned":
            self._send_raw(fault.status, payload, fault.content_type)
            return
        # cut_short: promise the whole envelope, send half of it, close the connection cleanly
        whole = json.dumps(_envelope(result=EXAMPLE_USER)).encode()
        self.send_response(fault.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(whole)))
        self.send_header("cf-ray", "%016x-SJC" % random.getrandbits(64))
        self.end_headers()
        self.wfile.write(whole[:len(whole) // 2])
        self.wfile.flush()
        self.close_connection = True

    def _drip(self, status, body, delay, headers_too=False):
        payload = json.dumps(body).encode()
        head = ("HTTP/1.1 %d OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\ncf-ray: %016x-SJC\r\n\r\n"
                % (status, len(payload), random.getrandbits(64))).encode()
        if headers_too:
            payload = head + payload
        else:
            self.wfile.write(head)
            self.wfile.flush()
        started = time.monotonic()
        try:
            for offset in range(len(payload)):
                if time.monotonic() - started > HANG_LIMIT:
                    break
                self.wfile.write(payload[offset:offset + 1])
                self.wfile.flush()
                time.sleep(delay)
        except OSError:
            pass  # the client gave up: what it should do
        self.close_connection = True
    # --- end issue 8 ------------------------------------------------------------------------------

    def _reset(self):
        """Start an answer, then abort the connection with a TCP reset."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"succ")
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    # --- control --------------------------------------------------------------------------
    def _control(self, method, path, body):
        if path == "/devices":
            status, answer = fake_devices.control(self.fake.devices, method, body)
            if answer is None:
                self._send_raw(status, b"", "text/plain")
            else:
                self._send(status, answer)
            return
        if path == "/seats":
            self._control_seats(method, body)
            return
        if path == "/faults" and method == "POST":
            try:
                options = json.loads(body or b"{}")
                self.fake.add_fault(options.pop("kind"), **options)
            except (ValueError, KeyError, TypeError) as exc:
                self._send_raw(400, str(exc).encode(), "text/plain")
                return
            self._send_raw(204, b"", "text/plain")
        elif path == "/faults" and method == "DELETE":
            with self.fake.lock:
                self.fake.faults = []
            self._send_raw(204, b"", "text/plain")
        elif path == "/requests" and method == "GET":
            self._send(200, {"requests": self.fake.api_requests()})
        elif path == "/requests" and method == "DELETE":
            self.fake.clear()
            self._send_raw(204, b"", "text/plain")
        elif path == "/health":
            self._send(200, {"ok": True, "api_url": self.fake.api_url})
        else:
            self._send_raw(404, b"unknown control endpoint", "text/plain")

    # --- Zero Trust seats: PATCH /accounts/{account_id}/access/seats ("Update a user seat") -------------
    def _seats(self, method, account_id, request_body):
        """Cloudflare's schema: a JSON array of {seat_uid, access_seat, gateway_seat}, all three required.

        The API frees seats: a seat set to false is freed; true is accepted only for a seat the user
        holds (it stays), since seats are taken by logging in. The whole body is checked before any
        seat changes. Answers the seats as the schema's ``access_seats`` objects.
        """
        users = self.fake.accounts.get(account_id)
        if users is None:
            return 403, _envelope(errors=[_error(10000, "Authentication error")])
        if method != "PATCH":
            return 405, _envelope(errors=[_error(10405, "Method not allowed for this fake")])
        try:
            items = json.loads(request_body or b"null")
        except ValueError:
            return 400, _envelope(errors=[_error(10400, "the request body is not JSON")])
        problem = _seat_body_problem(items)
        if problem:
            return 400, _envelope(errors=[_error(10400, problem)])
        with self.fake.lock:
            by_seat = {user.get("seat_uid"): user for user in users}
            for item in items:
                user = by_seat.get(item["seat_uid"])
                if user is None:
                    return 404, _envelope(errors=[_error(1003, "seat not found: %s" % item["seat_uid"])])
                for seat in ("access_seat", "gateway_seat"):
                    if item[seat] and not user.get(seat):
                        return 400, _envelope(errors=[_error(10400, "%s of seat %s cannot be set to true: a user "
                                                             "takes a seat by authenticating" % (seat, item["seat_uid"]))])
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            result = []
            for item in items:
                user = by_seat[item["seat_uid"]]
                if (user["access_seat"], user["gateway_seat"]) != (item["access_seat"], item["gateway_seat"]):
                    self.fake.devices.forget_user(account_id, user["id"])  # a freed seat deletes the registrations
                user["access_seat"], user["gateway_seat"] = item["access_seat"], item["gateway_seat"]
                result.append({"seat_uid": item["seat_uid"], "access_seat": user["access_seat"],
                               "gateway_seat": user["gateway_seat"], "created_at": user.get("created_at"),
                               "updated_at": now})
            self.fake.seat_patches.append(items)
        info = {"page": 1, "per_page": len(result), "count": len(result), "total_count": len(result)}
        return 200, _envelope(result=result, result_info=info)

    def _control_seats(self, method, body):
        if method != "POST":
            self._send_raw(405, b"POST a JSON array of {seat_uid, access_seat, gateway_seat}", "text/plain")
            return
        try:
            self.fake.give_seats(json.loads(body or b"[]"))
        except (ValueError, KeyError, TypeError) as exc:
            self._send_raw(400, str(exc).encode(), "text/plain")
            return
        self._send_raw(204, b"", "text/plain")

    # --- plumbing -------------------------------------------------------------------------
    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status, body, headers=None):
        self._send_raw(status, json.dumps(body).encode(), "application/json", headers)

    def _send_raw(self, status, payload, content_type, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("cf-ray", "%016x-SJC" % random.getrandbits(64))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


_STATUS_MESSAGES = {
    400: "Bad request",
    401: "Invalid access token",
    403: "Authentication error",
    404: "Not found",
    429: "Rate limited. Please wait and consider throttling your request speed",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
    504: "Gateway timeout",
}


def _lying_page(kind, users, query):
    """A page of at most SMALL_PAGE users whose result_info pretends the page size asked for (issue 8)."""
    page, per_page = int(query.get("page", 1)), int(query.get("per_page", DEFAULT_PER_PAGE))
    chunk = users[(page - 1) * SMALL_PAGE:page * SMALL_PAGE]
    info = {"page": page, "per_page": per_page, "count": len(chunk)}
    if kind == "lying_per_page":
        info["total_count"] = len(users)
    else:
        info["total_pages"] = max(1, -(-len(users) // per_page))
    return _envelope(result=chunk, result_info=info)


def _matches(user, query):
    """The list endpoint's filters: substring, case-insensitive, like a search."""
    for field in ("name", "email"):
        wanted = query.get(field)
        if wanted and wanted.lower() not in (user.get(field) or "").lower():
            return False
    search = query.get("search")
    if search:
        haystack = " ".join(str(user.get(field) or "") for field in ("name", "email", "id")).lower()
        return search.lower() in haystack
    return True


# --- BEGIN user writes (issue 10): POST, PUT and DELETE /accounts/{account_id}/access/users ------------------
# As Cloudflare's schema documents them: "Create a user" (email required, name optional) answers 201,
# "Update a user" (name and email both required, email must be the user's current one: it cannot change)
# answers 200, "Delete a user" answers 202 with a null result. The schema only says "4XX" for a create
# whose email a user already has: this API answers 409 with code 10409 (our choice, documented here).
USER_WRITE_METHODS = ("POST", "PUT", "DELETE")
EMAIL_TAKEN_CODE = 10409
# --- Faults after processing: the API does the request, then its answer is lost, garbled or a lie ----------
# ``after_processing`` processes the request as usual (a write is done), then, as ``answer`` says:
#   lose        - aborts the connection with a TCP reset before any answer (a proxy or network failure);
#   status      - answers the fault's ``status`` (default 500) in Cloudflare's error envelope instead (an
#                 edge 5xx whose origin did the work);
#   garble      - answers the request's own 2xx status with its body cut in half (not JSON);
#   contradict  - answers HTTP 200 with the opposite of what was done: for a seat PATCH success with the
#                 seats as they were before (still held), for a rename (PUT) success with the user as it
#                 was before (old name), for a create (POST), a delete and a read ``success: false``;
#   other_user  - answers success about another user: another user object (create, rename, read of one
#                 user), a result naming another user's id (delete), other seats (seat PATCH).
# A request the API refuses (4xx) gets its real answer, except under ``lose`` and ``status``.
# ``drop_after_processing`` and ``status_after_processing`` are the older names of ``lose`` and ``status``.
AFTER_PROCESSING = "after_processing"
AFTER_PROCESSING_ANSWERS = ("lose", "status", "garble", "contradict", "other_user")
AFTER_ANSWER_FAULTS = (
    "after_processing",  # processes the request (a write is done), then loses, garbles or contradicts its answer: see `answer`
    "drop_after_processing",  # processes the request, then resets the connection instead of answering (answer lose)
    "status_after_processing",  # processes the request, then answers HTTP `status` in Cloudflare's envelope (answer status)
)
LEGACY_AFTER_PROCESSING = {"drop_after_processing": "lose", "status_after_processing": "status"}
FAULT_KINDS = FAULT_KINDS + AFTER_ANSWER_FAULTS + fake_devices.FAULT_KINDS


def _before_write(fake, fault):
    """A copy of every account before the request, for a fault that answers as if it had not been done."""
    if fault is None or fault.kind != AFTER_PROCESSING or fault.answer != "contradict":
        return None
    with fake.lock:
        return copy.deepcopy(fake.accounts)


def _after_processing(handler, fault, method, path, status, body, before):
    """Instead of the answer ``(status, body)`` of the processed request: what the fault's answer says."""
    # pylint: disable=protected-access
    answer = LEGACY_AFTER_PROCESSING.get(fault.kind, fault.answer)
    if answer == "lose":
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.close_connection = True
    elif answer == "status":
        errors = [_error(10000 + fault.status, _STATUS_MESSAGES.get(fault.status, "Internal error"))]
        handler._send(fault.status, _envelope(errors=errors))
    elif not 200 <= status < 300:
        handler._send(status, body)
    elif answer == "garble":
        payload = json.dumps(body).encode()
        handler._send_raw(status, payload[:len(payload) // 2], "application/json")
    elif answer == "contradict":
        handler._send(200, _contradicting(method, path, body, before))
    else:
        handler._send(status, _about_another_user(handler.fake, method, path, body))


def _account_of(path, accounts):
    segments = path.strip("/").split("/")
    return accounts.get(segments[1], []) if len(segments) > 1 else []


def _contradicting(method, path, body, before):
    """A success that shows the request's objects as they were before it, or ``success: false`` (see above)."""
    users = _account_of(path, before)
    if method == "PATCH":
        by_seat = {user.get("seat_uid"): user for user in users}
        seats = [dict(seat, access_seat=by_seat[seat["seat_uid"]]["access_seat"],
                      gateway_seat=by_seat[seat["seat_uid"]]["gateway_seat"]) for seat in body["result"]]
        return dict(body, result=seats)
    if method == "PUT":
        return dict(body, result=next(user for user in users if user["id"] == body["result"]["id"]))
    return {"success": False, "errors": [_error(10002, "Unknown error")], "messages": [], "result": None}


def _about_another_user(fake, method, path, body):
    """The success ``body`` made to speak of another user of the account (or of other seats)."""
    with fake.lock:
        users = [dict(user) for user in _account_of(path, fake.accounts)]
    if method == "PATCH":
        sent = {seat["seat_uid"] for seat in body["result"]}
        others = [user for user in users if user.get("seat_uid") and user["seat_uid"] not in sent]
        return dict(body, result=[dict(seat, seat_uid=other["seat_uid"]) for seat, other in zip(body["result"], others)])
    meant = (body.get("result") or {}).get("id") if isinstance(body.get("result"), dict) else path.rstrip("/").split("/")[-1]
    other = next(user for user in users if user["id"] != meant)
    return dict(body, result={"id": other["id"]} if method == "DELETE" else other)


# A server or proxy that quotes the credentials it got in its error answer.
ECHO_AUTH = "echo_auth"
FAULT_KINDS = FAULT_KINDS + (
    "echo_auth",  # answers HTTP `status` quoting the auth headers it got, in Cloudflare's error message (body json) or a page title (body html)
)


def _echo_auth(handler, fault):
    echoed = "; ".join("%s: %s" % (name, handler.headers[name]) for name in ("Authorization", "X-Auth-Email", "X-Auth-Key")
                       if name in handler.headers)
    if fault.body == "html":
        page = "<html><head><title>%d Bad header %s</title></head><body>%s</body></html>" % (fault.status, echoed, echoed)
        handler._send_raw(fault.status, page.encode(), "text/html")  # pylint: disable=protected-access
    else:
        error = _error(6003, "Invalid request headers: %s" % echoed, error_chain=[_error(6111, "Got %s" % echoed)])
        handler._send(fault.status, _envelope(errors=[error]))  # pylint: disable=protected-access


def _user_write(fake, method, users, rest, raw_body):
    if method == "POST" and not rest:
        body, problem = _json_body(raw_body, required=("email",))
        return (400, problem) if problem else _create_user(fake, users, body)
    if len(rest) != 1 or method == "POST":
        return 405, _envelope(errors=[_error(10405, "Method not allowed for this fake")])
    with fake.lock:
        user = next((candidate for candidate in users if candidate["id"] == rest[0]), None)
    if user is None:
        return 404, _envelope(errors=[_error(1003, "user not found")])
    if method == "DELETE":
        with fake.lock:
            users.remove(user)
        fake.devices.forget_user(None, user["id"])  # deleting a user deletes its registrations
        return 202, _envelope(result=None)
    body, problem = _json_body(raw_body, required=("name", "email"))
    if problem:
        return 400, problem
    if body["email"] != user["email"]:
        return 400, _envelope(errors=[_error(10400, "email must be the user's current email (it cannot be changed)")])
    with fake.lock:
        user.update(name=body["name"], updated_at=_now())
    return 200, _envelope(result=user)


def _create_user(fake, users, body):
    with fake.lock:
        if any(user["email"].lower() == body["email"].lower() for user in users):
            return 409, _envelope(errors=[_error(EMAIL_TAKEN_CODE, "a user with this email already exists")])
        now = _now()
        user = {"id": str(uuid.uuid4()), "access_seat": False, "active_device_count": 0, "created_at": now,
                "email": body["email"], "gateway_seat": False, "last_successful_login": None,
                "name": body.get("name", ""), "seat_uid": None, "uid": str(uuid.uuid4()), "updated_at": now}
        users.append(user)
    return 201, _envelope(result=user)


def _json_body(raw_body, required):
    """``(body, None)`` for a JSON object with the ``required`` string fields, else ``(None, error envelope)``."""
    try:
        body = json.loads(raw_body or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return None, _envelope(errors=[_error(10400, "the request body must be a JSON object")])
    for field in ("email", "name"):
        if field in body and not isinstance(body[field], str) or field in required and not body.get(field):
            return None, _envelope(errors=[_error(10400, "%s is required and must be a string" % field)])
    if "@" not in body.get("email", "@"):
        return None, _envelope(errors=[_error(10400, "email must be an email address")])
    return body, None


def _now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
# --- END user writes (issue 10) --------------------------------------------------------------------------------


# --- Zero Trust seats (continued) --------------------------------------------------------------------
SEAT_FIELDS = {"seat_uid": str, "access_seat": bool, "gateway_seat": bool}


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


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


# --- --help: the credentials, the sample users and the faults, from the code that serves them -----------------
SAMPLE_USERS_SHOWN = 6


def fault_descriptions():
    """Each fault kind with the comment on its line in this file (or fake_devices.py), where the kinds are listed."""
    tokens = []
    for path in (os.path.abspath(__file__), os.path.abspath(fake_devices.__file__)):
        with open(path, "rb") as handle:
            tokens += [token for token in tokenize.tokenize(handle.readline)
                       if token.type not in (tokenize.NL, tokenize.NEWLINE)]
    descriptions = {}
    for string, comma, comment in zip(tokens, tokens[1:], tokens[2:]):
        if (string.type == tokenize.STRING and comma.string == "," and comment.type == tokenize.COMMENT
                and string.start[0] == comment.start[0]):
            kind = string.string.strip("\"'")
            if kind in FAULT_KINDS:
                descriptions.setdefault(kind, comment.string.lstrip("# "))
    return descriptions


def _wrapped(label, text, width=110, indent=27):
    return textwrap.fill(text, width=width, initial_indent="  %-*s" % (indent - 2, label),
                         subsequent_indent=" " * indent, break_on_hyphens=False)


def help_epilog(users=25):
    """What --help says beyond the options: how to use the API, who is in it, and how to break it."""
    seeded = generate_users(users)
    described = fault_descriptions()
    lines = [
        "credentials (every other one answers 403 [10000] Authentication error):",
        _wrapped("API token", API_TOKEN),
        _wrapped("token without access", "%s (authenticates, lacks the permission: 403)" % NO_ACCESS_TOKEN),
        _wrapped("global API key", "%s with the email %s (legacy)" % (API_KEY, API_EMAIL)),
        _wrapped("account id", ACCOUNT_ID),
        "",
        "use it with the collection (it prints its URL when it starts, and writes it to --url-file):",
        "  export CLOUDFLARE_BASE_URL=http://127.0.0.1:PORT/client/v4 CLOUDFLARE_ACCOUNT_ID=%s \\" % ACCOUNT_ID,
        "         CLOUDFLARE_API_TOKEN=%s" % API_TOKEN,
        "",
        "sample users: the account holds --users users (default 25), the same ones on every start: these first,",
        "then generated ones (first.lastN@example.com) with mixed seats, logins and devices:",
    ]
    for user in seeded[:SAMPLE_USERS_SHOWN]:
        seats = "+".join(name for name, held in (("Access", user["access_seat"]), ("Gateway", user["gateway_seat"])) if held)
        lines.append("  %-30s %s  %-17s seats: %-14s last login: %s" % (
            user["email"], user["id"], user["name"], seats or "none", (user["last_successful_login"] or "never")[:10]))
    lines += [
        "  with --users %d: %d Access seats, %d Gateway seats, %d users who never logged in" % (
            users, sum(user["access_seat"] for user in seeded), sum(user["gateway_seat"] for user in seeded),
            sum(user["last_successful_login"] is None for user in seeded)),
        "",
        "fault kinds (POST /__fake__/faults {\"kind\": KIND, ...}):",
    ]
    lines += [_wrapped(kind, described.get(kind, "(no description: add a comment on its line)")) for kind in FAULT_KINDS]
    lines += ["", "fault options:"] + ["  " + line for line in textwrap.dedent(
        Fault.__doc__.split("\n", 3)[3]).strip().splitlines()]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, epilog=help_epilog(),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--users", type=int, default=25, help="number of users in the seeded account (default 25)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds to wait before each API answer")
    parser.add_argument("--url-file", help="write the API base URL to this file once listening")
    args = parser.parse_args(argv)
    fake = FakeCloudflare(users=args.users, latency=args.latency, port=args.port)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if args.url_file:
        with open(args.url_file + ".tmp", "w") as handle:
            handle.write(fake.api_url + "\n")
        # Rename so a reader never sees a half-written file.
        os.replace(args.url_file + ".tmp", args.url_file)
    print("fake Cloudflare API at %s (account %s, %d users); use it with\n"
          "  export CLOUDFLARE_BASE_URL=%s CLOUDFLARE_ACCOUNT_ID=%s CLOUDFLARE_API_TOKEN=%s"
          % (fake.api_url, ACCOUNT_ID, args.users, fake.api_url, ACCOUNT_ID, API_TOKEN), flush=True)
    try:
        fake.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake.server.server_close()


if __name__ == "__main__":
    main()
