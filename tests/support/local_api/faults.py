# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The faults the local API can switch on: one small class per kind, with what it does and its own options.

This is the one place the kinds are documented: ``--help`` prints them from these classes (:func:`help_text`).
Switch one on with ``LocalAPI.add_fault(KIND, OPTION=VALUE, ...)`` or ``POST /__fake__/faults`` with
``{"kind": KIND, OPTION: VALUE, ...}``. Every kind takes the options of :class:`Fault` (which requests it
affects: ``times``, ``after``, ``path``, ``method``) and those its class lists in ``options``.

A fault acts at one or more points of an answer, as its class overrides them: instead of the API (the
request is not processed: :meth:`Fault.instead`, or :meth:`Fault.intercept` after authentication and the rate
limit), on the request (:meth:`Fault.query`, :attr:`Fault.page_limit`), on the answer's body
(:meth:`Fault.reshape`) or on how the answer is sent (:meth:`Fault.deliver`).
"""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import parse_qs, urlsplit

from . import ACCOUNT_ID, seeded
from .account import AccessRules, NotFound
from .envelope import STATUS_MESSAGES, cf_ray, envelope, error

HANG_LIMIT = 60.0  # a hung or dripping answer never holds a server thread longer than this
SMALL_PAGE = 100


class Exchange:
    """What a fault may need of the request it changes the answer of, and of the account."""

    def __init__(self, model, method, path, raw_path, query, body=b"", before=None):
        self.model, self.method, self.path, self.raw_path, self.query = model, method, path, raw_path, query
        self.body = body  # the request's body (bytes)
        self.before = before  # the accounts before the request, when the fault asked for them (Fault.before)


class Fault:
    """A switched-on fault. The options every kind takes (which requests it affects):

    times   how many answers it affects (default 1; -1: every answer until the faults are cleared)
    after   let this many matching requests through first (default 0), e.g. to fail the second PATCH
    path    only requests whose path (after /client/v4) contains this text (default: every request)
    method  only requests with this method (e.g. POST, for a path that is also read)
    """

    name = None  # the kind, as POSTed
    does = None  # what it does, in one line (--help)
    group = None  # the heading --help lists it under (GROUPS)
    # The kind's own options: name -> (default, how a value is read, what it means). Values may come as text
    # over /__fake__/faults (ansible-core before 2.19 templates numbers to strings).
    options = {}
    processes = True  # False: the fault answers instead, and the API never sees the request
    page_limit = None  # at most this many users a page, whatever per_page asks
    page_overlap = 0  # each page of a log feed after the first also repeats this many records of the page before
    ingestion_lag = 0.0  # log records appended less than this many seconds ago are not listed yet

    def __init__(self, times=1, after=0, path=None, method=None, **options):
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            raise ValueError("fault %s has no option %s; its own: %s" % (
                self.name, ", ".join(unknown), ", ".join(self.options) or "none"))
        self.times, self.after, self.path, self.method = int(times), int(after), path, method
        for option, (default, read, _meaning) in self.options.items():
            value = options.get(option, default)
            setattr(self, option, value if value is None else read(value))

    def matches(self, path, method=None):
        return (self.times != 0 and (self.path is None or self.path in path)
                and (self.method is None or self.method == method))

    def instead(self, reply):
        """Answer instead of the API (kinds with ``processes`` False)."""
        raise NotImplementedError

    def query(self, query):
        """The query the API reads, instead of the one sent."""
        return query

    def before(self, model):
        """What the answer will need of the accounts as they were before the request (Exchange.before)."""
        return None

    def intercept(self, exchange):
        """``(status, body)`` to answer instead of the API for this request, after authentication and the rate
        limit (the request is not processed), or None to let the API answer."""
        return None

    def reshape(self, status, body, exchange):
        """The body of the API's answer, as the fault changes it."""
        return body

    def deliver(self, reply, status, body, exchange):
        """Send the answer as the API does, unless the fault says otherwise."""
        reply.send(status, body)


def as_sent(value):
    return value


STATUS = {"status": (500, int, "the HTTP status (default 500)")}


# --- answers instead of the API's: the request is not processed ------------------------------------------------
class Status(Fault):
    name = "status"
    does = ("an error answer with HTTP `status`: Cloudflare's envelope, or `body` html (a proxy's page) or other_json; "
            "`retry_after` adds Retry-After")
    group = "instead"
    processes = False
    options = dict(STATUS, body=("json", as_sent, "json (Cloudflare's envelope, the default), html (a proxy's page) "
                                                  "or other_json (JSON that is not Cloudflare's envelope)"),
                   retry_after=(None, str, "the Retry-After header (default: none)"))

    def instead(self, reply):
        headers = {"Retry-After": self.retry_after} if self.retry_after is not None else {}
        if self.body == "html":
            page = ("<html><head><title>%d: %s</title></head><body>cloudflare</body></html>"
                    % (self.status, STATUS_MESSAGES.get(self.status, "Error"))).encode()
            reply.send_raw(self.status, page, "text/html", headers)
        elif self.body == "other_json":  # JSON, but not Cloudflare's envelope (a proxy's or another API's)
            reply.send(self.status, {"error": STATUS_MESSAGES.get(self.status, "Error"), "status": self.status},
                       headers=headers)
        else:
            errors = [error(10000 + self.status, STATUS_MESSAGES.get(self.status, "Internal error"))]
            reply.send(self.status, envelope(errors=errors), headers=headers)


class SuccessFalse(Fault):
    name = "success_false"
    does = "HTTP 200 with success false and Cloudflare's code 10002"
    group = "instead"
    processes = False

    def instead(self, reply):
        reply.send(200, envelope(errors=[error(10002, "Unknown error")]))


class ResultNull(Fault):
    name = "result_null"
    does = "HTTP 200, success true, result null"
    group = "instead"
    processes = False

    def instead(self, reply):
        reply.send(200, envelope(result=None))


class TruncatedJson(Fault):
    name = "truncated_json"
    does = "HTTP 200 whose JSON body stops after 40 bytes"
    group = "instead"
    processes = False

    def instead(self, reply):
        reply.send_raw(200, json.dumps(envelope(result=seeded.EXAMPLE_USER)).encode()[:40], "application/json")


class NotJson(Fault):
    name = "not_json"
    does = "HTTP 200 with the text/plain body \"OK\""
    group = "instead"
    processes = False

    def instead(self, reply):
        reply.send_raw(200, b"OK", "text/plain")


class Reset(Fault):
    name = "reset"
    does = "starts an answer, then aborts the connection with a TCP reset"
    group = "instead"
    processes = False

    def instead(self, reply):
        reply.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"succ")
        reply.wfile.flush()
        reply.abort()


class Hang(Fault):
    name = "hang"
    does = "answers nothing for `delay` seconds (default and at most 60), then closes the connection"
    group = "instead"
    processes = False
    options = {"delay": (None, float, "seconds to answer nothing (default and at most 60)")}

    def instead(self, reply):
        time.sleep(min(self.delay or HANG_LIMIT, HANG_LIMIT))
        reply.close_connection = True


class Redirect(Fault):
    name = "redirect"
    does = "HTTP `status` (a 3xx) with the Location header `location`, as a misconfigured proxy sends it"
    group = "instead"
    processes = False
    options = {"status": (500, int, "the HTTP status: give a 3xx (default 500)"),
               "location": (None, as_sent, "the Location header")}

    def instead(self, reply):
        reply.send_raw(self.status, b"", "text/plain", {"Location": self.location})


class CutShort(Fault):
    name = "cut_short"
    does = "headers (with `status` and a cf-ray) promise a body that stops halfway; the connection closes"
    group = "instead"
    processes = False
    options = STATUS

    def instead(self, reply):
        whole = json.dumps(envelope(result=seeded.EXAMPLE_USER)).encode()
        reply.send_response(self.status)
        reply.send_header("Content-Type", "application/json")
        reply.send_header("Content-Length", str(len(whole)))
        reply.send_header("cf-ray", cf_ray())
        reply.end_headers()
        reply.wfile.write(whole[:len(whole) // 2])
        reply.wfile.flush()
        reply.close_connection = True


def header_map(value):
    """Headers to send, {NAME: VALUE or None}: a mapping, or its JSON text (as a template may pass it)."""
    value = json.loads(value) if isinstance(value, str) else value
    if not isinstance(value, dict):
        raise ValueError("headers must be an object of NAME: VALUE (or null), not %r" % (value,))
    return {str(name): None if text is None else str(text) for name, text in value.items()}


class Canned(Fault):
    name = "canned"
    does = ("`status` with `body` sent as it is, as `content_type` (default application/json); `reason` and `headers` "
            "change the status line and the headers, as a proxy or an odd server might")
    group = "instead"
    processes = False
    options = dict(STATUS, body=("json", as_sent, "the body, sent as it is (a text)"),
                   content_type=("application/json", as_sent, "its Content-Type (default application/json)"),
                   reason=(None, str, "the status line's reason phrase (default: the standard one; \"\" for none)"),
                   headers=(None, header_map, "headers to add, {NAME: VALUE}; one named Content-Type or cf-ray replaces "
                                              "it, and VALUE null leaves it out, e.g. {\"cf-ray\": null}"))

    def instead(self, reply):
        payload = self.body.encode("utf-8", "surrogatepass") if isinstance(self.body, str) else b""
        reply.send_raw(self.status, payload, self.content_type, self.headers, self.reason)


class EchoAuth(Fault):
    name = "echo_auth"
    does = ("answers HTTP `status` quoting the auth headers it got, in Cloudflare's error message (body json) or a page "
            "title (body html)")
    group = "instead"
    processes = False
    options = dict(STATUS, body=("json", as_sent, "json (Cloudflare's envelope, the default) or html (a proxy's page)"))

    def instead(self, reply):
        echoed = "; ".join("%s: %s" % (name, reply.headers[name]) for name in ("Authorization", "X-Auth-Email", "X-Auth-Key")
                           if name in reply.headers)
        if self.body == "html":
            page = "<html><head><title>%d Bad header %s</title></head><body>%s</body></html>" % (self.status, echoed, echoed)
            reply.send_raw(self.status, page.encode(), "text/html")
        else:
            problem = error(6003, "Invalid request headers: %s" % echoed, error_chain=[error(6111, "Got %s" % echoed)])
            reply.send(self.status, envelope(errors=[problem]))


# --- listings as buggy servers and proxies page them ----------------------------------------------------------
class SmallPages(Fault):
    name = "small_pages"
    does = "pages of at most 100 whatever per_page asks, result_info without total_pages"
    group = "listing"
    page_limit = SMALL_PAGE

    def reshape(self, status, body, exchange):
        body.get("result_info", {}).pop("total_pages", None)
        return body


class IgnorePage(Fault):
    name = "ignore_page"
    does = "answers page 1 for every page asked, and says so in result_info"
    group = "listing"

    def query(self, query):
        return dict(query, page="1")


class IgnorePageSilently(IgnorePage):
    name = "ignore_page_silently"
    does = "answers page 1 for every page asked, result_info without page or totals"

    def reshape(self, status, body, exchange):
        if "result_info" in body:
            body["result_info"] = {"per_page": body["result_info"]["per_page"], "count": body["result_info"]["count"]}
        return body


class NoResultInfo(Fault):
    name = "no_result_info"
    does = "pages correctly but sends no result_info at all"
    group = "listing"

    def reshape(self, status, body, exchange):
        body.pop("result_info", None)
        return body


class LyingPerPage(Fault):
    name = "lying_per_page"
    does = "pages of at most 100, per_page echoed as asked, only total_count (no total_pages)"
    group = "listing"

    def reshape(self, status, body, exchange):
        if "result_info" not in body:
            return body
        users = exchange.model.accounts[ACCOUNT_ID]
        page, per_page = int(exchange.query.get("page", 1)), int(exchange.query.get("per_page", 1000))
        chunk = users[(page - 1) * SMALL_PAGE:page * SMALL_PAGE]
        info = {"page": page, "per_page": per_page, "count": len(chunk)}
        info.update(self.totals(users, per_page))
        return envelope(result=chunk, result_info=info)

    def totals(self, users, per_page):
        return {"total_count": len(users)}


class WrongTotalPages(LyingPerPage):
    name = "wrong_total_pages"
    does = "pages of at most 100, per_page echoed as asked, total_pages counted from it, no total_count"

    def totals(self, users, per_page):
        return {"total_pages": max(1, -(-len(users) // per_page))}


# --- answers that drip, or are lost, garbled or contradicted after the request was processed ------------------
class Drip(Fault):
    name = "drip"
    does = "the right answer, its body sent one byte every `delay` seconds (default 0.5)"
    group = "delivery"
    options = {"delay": (None, float, "seconds between two bytes (default 0.5)")}
    headers_too = False

    def deliver(self, reply, status, body, exchange):
        payload = json.dumps(body).encode()
        head = ("HTTP/1.1 %d OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\ncf-ray: %s\r\n\r\n"
                % (status, len(payload), cf_ray())).encode()
        if self.headers_too:
            payload = head + payload
        else:
            reply.wfile.write(head)
            reply.wfile.flush()
        started = time.monotonic()
        try:
            for offset in range(len(payload)):
                if time.monotonic() - started > HANG_LIMIT:
                    break
                reply.wfile.write(payload[offset:offset + 1])
                reply.wfile.flush()
                time.sleep(self.delay or 0.5)
        except OSError:
            pass  # the client gave up: what it should do
        reply.close_connection = True


class DripHeaders(Drip):
    name = "drip_headers"
    does = "the right answer, its status line and headers sent one byte every `delay` seconds"
    headers_too = True


class AfterProcessing(Fault):
    """The API does the request (a write is done), then, as ``answer`` says:

    lose        aborts the connection with a TCP reset before any answer (a proxy or network failure);
    status      answers the fault's ``status`` in Cloudflare's error envelope instead (an edge 5xx whose
                origin did the work);
    garble      answers the request's own 2xx status with its body cut in half (not JSON);
    contradict  answers HTTP 200 with the opposite of what was done: for a seat PATCH success with the seats
                as they were before (still held), for a rename (PUT) success with the user as it was before
                (old name), for a PUT of a group or reusable policy success with it as it was before, for a
                create (POST), a delete and a read ``success: false``;
    other_user  answers success about another user: another user object (create, rename, read of one user),
                a result naming another user's id (delete), other seats (seat PATCH), another group or reusable
                policy (its PUT or read).

    A request the API refuses (4xx) gets its real answer, except under ``lose`` and ``status``.
    """

    name = "after_processing"
    does = "processes the request (a write is done), then loses, garbles or contradicts its answer: see `answer`"
    group = "delivery"
    ANSWERS = ("lose", "status", "garble", "contradict", "other_user")
    options = dict(STATUS, answer=(None, as_sent, "what becomes of the answer: lose, status (HTTP `status`), garble, "
                                                  "contradict or other_user (below)"))

    def __init__(self, **options):
        super().__init__(**options)
        if self.answer not in self.ANSWERS:
            raise ValueError("fault %s needs answer, one of %s" % (self.name, ", ".join(self.ANSWERS)))

    def before(self, model):
        return dict(users=model.snapshot(), rules=model.rules.snapshot()) if self.answer == "contradict" else None

    def deliver(self, reply, status, body, exchange):
        if self.answer == "lose":
            reply.abort()
        elif self.answer == "status":
            errors = [error(10000 + self.status, STATUS_MESSAGES.get(self.status, "Internal error"))]
            reply.send(self.status, envelope(errors=errors))
        elif not 200 <= status < 300:
            reply.send(status, body)
        elif self.answer == "garble":
            payload = json.dumps(body).encode()
            reply.send_raw(status, payload[:len(payload) // 2], "application/json")
        elif self.answer == "contradict":
            reply.send(200, _contradicting(exchange.method, exchange.path, body, exchange.before))
        else:
            reply.send(status, _about_another_user(exchange.model, exchange.method, exchange.path, body))


class DropAfterProcessing(AfterProcessing):
    name = "drop_after_processing"
    does = "processes the request, then resets the connection instead of answering (answer lose)"
    options = {}
    answer = "lose"


class StatusAfterProcessing(AfterProcessing):
    name = "status_after_processing"
    does = "processes the request, then answers HTTP `status` in Cloudflare's envelope (answer status)"
    options = STATUS
    answer = "status"


def _account_of(path, accounts):
    segments = path.strip("/").split("/")
    return accounts.get(segments[1], []) if len(segments) > 1 else []


def _contradicting(method, path, body, before):
    """A success that shows the request's objects as they were before it, or ``success: false``."""
    rules = _access_rules_of(path)
    if rules and method == "PUT":
        account, kind = rules
        return dict(body, result=next(obj for obj in before["rules"][account][kind] if obj["id"] == body["result"]["id"]))
    users = _account_of(path, before["users"])
    if method == "PATCH":
        by_seat = {user.get("seat_uid"): user for user in users}
        seats = [dict(seat, access_seat=by_seat[seat["seat_uid"]]["access_seat"],
                      gateway_seat=by_seat[seat["seat_uid"]]["gateway_seat"]) for seat in body["result"]]
        return dict(body, result=seats)
    if method == "PUT":
        return dict(body, result=next(user for user in users if user["id"] == body["result"]["id"]))
    return envelope(errors=[error(10002, "Unknown error")])


def _about_another_user(model, method, path, body):
    """The success ``body`` made to speak of another user of the account (or of other seats, another group or
    reusable policy)."""
    rules = _access_rules_of(path)
    if rules:
        meant = body["result"].get("id") if isinstance(body.get("result"), dict) else None
        return dict(body, result=next(obj for obj in model.rules.listing(*rules) if obj["id"] != meant))
    users = _account_of(path, model.snapshot())
    if method == "PATCH":
        sent = {seat["seat_uid"] for seat in body["result"]}
        others = [user for user in users if user.get("seat_uid") and user["seat_uid"] not in sent]
        return dict(body, result=[dict(seat, seat_uid=other["seat_uid"]) for seat, other in zip(body["result"], others)])
    meant = (body.get("result") or {}).get("id") if isinstance(body.get("result"), dict) else path.rstrip("/").split("/")[-1]
    other = next(user for user in users if user["id"] != meant)
    return dict(body, result={"id": other["id"]} if method == "DELETE" else other)


def _access_rules_of(path):
    """``(account, "groups" or "policies")`` of a path to Access groups or reusable policies, or None."""
    segments = path.strip("/").split("/")
    if len(segments) >= 4 and segments[0] == "accounts" and segments[2] == "access" and segments[3] in AccessRules.KINDS:
        return segments[1], segments[3]
    return None


# --- Access groups and reusable policies: someone else's edit between a read and a write ----------------------------
class SomeoneElseEdits(Fault):
    """Another administrator changes a group or reusable policy just after the API answered a request about it
    (the answer shows it as it was): a client that reads it again before its PUT sees the change. On the read
    just before a PUT (``after``), the edit comes too late to be seen, which only an ETag could catch."""

    name = "someone_else_edits"
    does = ("answers a request about groups or reusable policies, then another administrator changes one (`edit`): "
            "a read after it shows the change")
    group = "access_rules"
    EDITS = ("add_include", "rename", "delete")
    options = {"edit": ("add_include", as_sent, "add_include (an email include rule for %s, the default), rename or "
                                                "delete" % AccessRules.SOMEONE_ELSE),
               "object_id": (None, str, "the group or policy changed (default: the request's own, or the first one "
                                        "its listing answered)")}

    def __init__(self, **options):
        super().__init__(**options)
        if self.edit not in self.EDITS:
            raise ValueError("fault %s: edit must be one of %s" % (self.name, ", ".join(self.EDITS)))

    def reshape(self, status, body, exchange):
        rules = _access_rules_of(exchange.path)
        if rules is None or not 200 <= status < 300:
            return body
        segments = exchange.path.strip("/").split("/")
        listed = body.get("result") if isinstance(body.get("result"), list) else []
        object_id = self.object_id or (segments[4] if len(segments) > 4 else listed[0]["id"] if listed else None)
        if object_id:
            try:
                exchange.model.rules.edit(rules[0], rules[1], object_id, self.edit)
            except NotFound:
                pass  # nothing to edit: the answer goes out as it is
        return body


# --- incident-response answers that are wrong after the request was processed --------------------------------
class RepeatCursor(Fault):
    name = "repeat_cursor"
    does = "a registrations page answers the cursor it was asked with: a listing that would loop"
    group = "devices"

    def reshape(self, status, body, exchange):
        asked = parse_qs(urlsplit(exchange.raw_path).query).get("cursor")
        if _is_listing(body) and asked:
            return dict(body, result_info=dict(body["result_info"], cursor=asked[-1]))
        return body


class ForeignRegistration(Fault):
    name = "foreign_registration"
    does = "a registrations page also holds a registration of a user not asked for"
    group = "devices"

    def reshape(self, status, body, exchange):
        if not _is_listing(body):
            return body
        stranger = seeded.registrations({"id": str(uuid.uuid4()), "email": "stranger@example.com", "name": "Stranger"})
        return dict(body, result=body["result"] + stranger[:1], result_info=dict(body["result_info"],
                                                                                 count=len(body["result"]) + 1))


class WrongEmailRegistration(Fault):
    name = "wrong_email_registration"
    does = "a registration names the user asked for by id, but another user's email"
    group = "devices"

    def reshape(self, status, body, exchange):
        if not _is_listing(body) or not body["result"]:
            return body
        first = body["result"][0]
        return dict(body, result=[dict(first, user=dict(first["user"], email="someone.else@example.com"))]
                    + body["result"][1:])


class BadRegistration(Fault):
    name = "bad_registration"
    does = "a registrations page holds an item without an id"
    group = "devices"

    def reshape(self, status, body, exchange):
        if not _is_listing(body) or not body["result"]:
            return body
        first = {key: value for key, value in body["result"][0].items() if key != "id"}
        return dict(body, result=[first] + body["result"][1:])


class IdentityOfOtherUser(Fault):
    name = "identity_of_other_user"
    does = "last_seen_identity answers another user's identity"
    group = "devices"

    def reshape(self, status, body, exchange):
        if isinstance(body.get("result"), dict):
            return dict(body, result=dict(body["result"], user_uuid=str(uuid.uuid4()), email="someone.else@example.com"))
        return body


class RevokeResultFalse(Fault):
    name = "revoke_result_false"
    does = "revoke_user revokes, then answers {\"result\": false, \"success\": true}"
    group = "devices"

    def reshape(self, status, body, exchange):
        return dict(body, result=False) if "result" in body else body


class TwinRegistration(Fault):
    name = "twin_registration"
    does = ("a registrations listing names one registration under two users asked for: its first registration again "
            "under another user of the page (`across` true: a registration of another listing under this listing's "
            "first user)")
    group = "devices"
    options = {"across": (False, lambda value: str(value).lower() in ("1", "true", "yes"),
                          "false: the twin is on the same page (default); true: it is another listing's registration")}

    def reshape(self, status, body, exchange):
        if not _is_listing(body) or not body["result"]:
            return body
        asked = parse_qs(urlsplit(exchange.raw_path).query).get("user.id", [])
        first = body["result"][0]
        if self.across:
            others = exchange.model.devices.page(ACCOUNT_ID, lambda item: item["user"]["id"] not in asked, 1)[0]
            twin = dict(others[0], user=dict(first["user"])) if others else None
        else:
            owner = next((user for user in exchange.model.accounts[ACCOUNT_ID]
                          if user["id"] in asked and user["id"] != first["user"]["id"]), None)
            twin = dict(first, user={"id": owner["id"], "email": owner["email"], "name": owner["name"]}) if owner else None
        if twin is None:
            return body
        return dict(body, result=body["result"] + [twin], result_info=dict(body["result_info"],
                                                                           count=len(body["result"]) + 1))


class ListsRevoked(Fault):
    name = "lists_revoked"
    does = "a registrations listing also shows the revoked registrations of the users asked for, whatever its status"
    group = "devices"

    def reshape(self, status, body, exchange):
        if not _is_listing(body):
            return body
        asked = set(parse_qs(urlsplit(exchange.raw_path).query).get("user.id", []))
        listed = {item["id"] for item in body["result"]}
        revoked = exchange.model.devices.page(ACCOUNT_ID, lambda item: item["user"]["id"] in asked
                                              and item["revoked_at"] is not None and item["id"] not in listed)[0]
        return dict(body, result=body["result"] + revoked,
                    result_info=dict(body["result_info"], count=len(body["result"]) + len(revoked)))


class EndlessCursor(Fault):
    name = "endless_cursor"
    does = ("a registrations listing never ends: each page holds one new registration of the first user asked for and "
            "a new cursor")
    group = "devices"

    def intercept(self, exchange):
        asked = parse_qs(urlsplit(exchange.raw_path).query).get("user.id", [])
        if exchange.method != "GET" or not exchange.path.endswith("/devices/registrations") or not asked:
            return None
        user = next((user for user in exchange.model.accounts[ACCOUNT_ID] if user["id"] == asked[0]), None)
        if user is None:
            return None
        made = dict(seeded.registrations(dict(user, gateway_seat=True))[0], id=str(uuid.uuid4()))
        return 200, envelope(result=[made], result_info={"count": 1, "cursor": uuid.uuid4().hex, "per_page": 100,
                                                         "total_count": None})


class RefuseRevocation(Fault):
    name = "refuse_revocation"
    does = ("revoke_user is refused with HTTP `status` (default 400) in Cloudflare's envelope for the users whose email "
            "is in `emails`; the others are revoked")
    group = "devices"
    options = {"status": (400, int, "the HTTP status (default 400)"),
               "emails": ("", str, "the emails refused, separated by commas (any letter case)")}

    def intercept(self, exchange):
        try:
            email = json.loads(exchange.body or b"null").get("email")
        except (ValueError, AttributeError):
            return None
        refused = {value.strip().lower() for value in self.emails.split(",") if value.strip()}
        if not exchange.path.endswith("/revoke_user") or not isinstance(email, str) or email.lower() not in refused:
            return None
        return self.status, envelope(errors=[error(10000 + self.status, "access tokens of %s cannot be revoked" % email)])


def _is_listing(body):
    return isinstance(body.get("result"), list) and "result_info" in body


# --- the event feeds as a busy log store serves them -----------------------------------------------------------
class DuplicateRecords(Fault):
    name = "duplicate_records"
    does = ("each page of a log feed after the first (by page or cursor) starts with the last record of the page "
            "before, as offset paging does when a record lands before the offset")
    group = "feeds"
    page_overlap = 1


class LateRecords(Fault):
    name = "late_records"
    does = ("log records appended less than `lag` seconds ago (default 30) are not listed yet, though their time "
            "is older: they arrive late, behind newer ones already read")
    group = "feeds"
    options = {"lag": (30.0, float, "seconds before an appended record is listed (default 30)")}

    @property
    def ingestion_lag(self):
        return self.lag


# --- the kinds: --help lists them by group, in this order ----------------------------------------------------------
GROUPS = (
    ("instead", "answers instead of the API's (the request is not processed)"),
    ("listing", "the users listing paged as buggy servers and proxies page it"),
    ("delivery", "the request is processed, then its answer drips, is lost, garbled or contradicted"),
    ("devices", "the incident-response answers, wrong after the request was processed"),
    ("feeds", "the event feeds (authentication and audit logs) as a busy log store serves them"),
    ("access_rules", "the Access groups and reusable policies, changed by someone else between a read and a write"),
)
KINDS = {kind.name: kind for kind in (
    Status, SuccessFalse, ResultNull, TruncatedJson, NotJson, Reset, Hang, Redirect,
    SmallPages, IgnorePage, IgnorePageSilently, NoResultInfo, LyingPerPage, WrongTotalPages,
    Drip, DripHeaders, CutShort, Canned, AfterProcessing, DropAfterProcessing, StatusAfterProcessing,
    RepeatCursor, ForeignRegistration, WrongEmailRegistration, BadRegistration, IdentityOfOtherUser,
    RevokeResultFalse, TwinRegistration, ListsRevoked, EndlessCursor, RefuseRevocation, EchoAuth, DuplicateRecords,
    LateRecords, SomeoneElseEdits,
)}


def make(kind, **options):
    """A fault of ``kind`` with these options; ValueError for an unknown kind or option."""
    if kind not in KINDS:
        raise ValueError("unknown fault kind %r, expected one of %s" % (kind, ", ".join(KINDS)))
    return KINDS[kind](**options)
