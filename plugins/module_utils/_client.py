# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""The transport of the client: API paths, one ``requests.Session``, Cloudflare's envelope, retries, the request budget
and the pacing within Cloudflare's rate limit (``_pacing.py``).

It takes the values ``_options.py`` has checked, builds paths with :func:`api_path` (each segment encoded
whole) and knows nothing of ``AnsibleModule``: it returns the decoded envelope of a successful request
or raises one of the errors of ``_errors.py``, complete with its hint.

Whether a request may be sent twice is a property of the request: reads may; a write may only when
its caller declares it idempotent (``idempotent=True``), so a create is never sent again after it may
have arrived.
"""

from __future__ import annotations

import ipaddress
import json
import math
import random
import threading
import time
import traceback
from urllib.parse import quote, urlencode, urlsplit

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareBudgetError,
    CloudflareInputError,
    one_line,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._secrets import register_secret
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._envelope import (
    Answer,
    check_result,
    unwrap,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._pacing import (
    DEFAULT_PACING_TIMEOUT,
    Pacer,
    duration,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._retries import (
    BACKOFF_FIRST,
    BACKOFF_MAX,
    READ_METHODS,
    raise_hint,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._threads import DeadlinePassed, run_before

try:
    import requests
    import urllib3  # requests' own transport: reading a body in pieces raises its errors
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

HAS_REQUESTS = requests is not None

COLLECTION_VERSION = "0.2.0"
DEFAULT_API_URL = "https://api.cloudflare.com/client/v4"
USER_AGENT = "ansible-collection-cloudflare_community.zero_trust/%s" % COLLECTION_VERSION
READ_CHUNK = 65536
MAX_BODY_BYTES = 32 * 1024 * 1024  # a page of 1,000 users is about 0.5 MB: anything far bigger is not an answer
# The headers that carry a secret: their values (without the "Bearer" scheme) are masked in every error.
SECRET_HEADERS = ("Authorization", "X-Auth-Key")
# The codes of Cloudflare's failures that this client reads. Cloudflare's schema documents neither meaning (7003,
# "No route for the URI", is only its example of a failure; 10000 is not in it): both are what the API answers
# today, and each only shapes a hint or keeps a 404 from being taken for "no such object".
AUTHENTICATION_ERROR = 10000  # a credential refused, on this account or for this call (HTTP 403)
NO_ROUTE = 7003  # a 404 for a path Cloudflare does not serve at all (e.g. a wrong api_url): never "no such object"
NO_ROUTE_HINT = "Cloudflare serves no such path: check api_url (it ends in /client/v4)"
NOT_CLOUDFLARE_HINT = ("the answer did not come from Cloudflare's API: check api_url (it ends in /client/v4) "
                       "and any proxy or load balancer in between")
RAISE = object()  # request()'s default for not_found: Cloudflare's "no such object" raises, as any other failure


def whole_seconds(seconds):
    """``seconds`` rounded up to a whole second, as a user sets pacing_timeout. A wait computed from two readings of
    the monotonic clock (now + 300 - now) can come out a hair over a whole number: that is not one more second."""
    return int(math.ceil(round(seconds, 6)))


class CloudflareClient:
    """Sends requests to Cloudflare's v4 API and returns the ``result`` of successful envelopes.

    Transient failures (``RETRY_STATUSES``, lost connections, timeouts of idempotent requests) are tried
    again up to ``retries`` times per request, waiting as the API's Retry-After says or, without
    it, with exponential backoff and jitter; all waits of the client together stay within
    ``retry_timeout`` seconds. Each retry is recorded in ``retry_log``.

    No more than ``request_budget`` requests, retries included, are sent in the client's life, and never
    more than Cloudflare's rate limit allows in a window: the :class:`~._pacing.Pacer` waits for the next
    window instead, all its waits within ``pacing_timeout`` seconds. A caller that knows how many requests
    its work takes asks :meth:`reserve` first, which fails before sending any when they exceed the budget or
    would wait longer than ``pacing_timeout``; the transport refuses a request past either in any case.
    """

    def __init__(self, base_url, headers, timeout=30, validate_certs=True, retries=3, retry_timeout=60,
                 session=None, backoff_first=BACKOFF_FIRST, request_budget=None, use_proxy=True,
                 pacing_timeout=DEFAULT_PACING_TIMEOUT):
        self.base_url = base_url
        self.timeout = timeout  # seconds for each request end to end: connecting, the answer's headers and its body
        self.validate_certs = validate_certs  # True, False, or the path of a CA bundle (file or directory)
        self.retries = retries
        self.retry_timeout = retry_timeout
        self.backoff_first = backoff_first
        self.retry_log = []
        self.request_budget = request_budget
        self.requests_sent = 0
        self.pacer = Pacer(pacing_timeout)
        self._count_lock = threading.Lock()
        # retry_timeout bounds the time spent waiting between tries, not the time requests take. Waits of
        # parallel requests overlap, so what counts is the wall-clock time while at least one is waiting.
        self._wait_lock = threading.Lock()
        self._waiting = 0
        self._waiting_since = None
        self._waited_before = 0.0
        self.session = session or requests.Session()
        # Nothing from the environment decides where credentials go: no ~/.netrc or $NETRC (it would replace
        # the token with Basic auth), and proxies and CA bundles only as proxies_for() and the options say.
        self.session.trust_env = False
        self.session.proxies = proxies_for(base_url) if use_proxy else {}
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self.session.headers.update(headers)
        for name in SECRET_HEADERS:
            if headers.get(name):
                register_secret(headers[name].split(" ", 1)[-1])

    def account(self, account_id):
        """This client bound to the account ``account_id`` (checked by ``require_account_id``): an AccountClient."""
        return AccountClient(self, account_id)

    def get(self, path, query=None, expect=None, permission=None, not_found=RAISE):
        """GET ``path`` (from :func:`api_path`) and return the envelope's ``result``.

        With ``expect`` (a type such as ``dict`` or ``list``), a result of any other type, ``null``
        included, is an error that names the request, like any other failure. ``not_found`` is
        returned instead of a result when Cloudflare's API says there is no such object (see :meth:`request`).
        """
        envelope = self.request("GET", path, query=query, expect=expect, permission=permission,
                                not_found=RAISE if not_found is RAISE else None)
        return not_found if envelope is None else envelope.get("result")

    def reserve(self, count, purpose):
        """Fail now, before any of them is sent, when ``count`` more requests would exceed the budget or wait longer
        for Cloudflare's rate limit than is left of ``pacing_timeout``; say so (the module's log) when they pace."""
        if self.request_budget is not None and self.requests_sent + count > self.request_budget:
            raise CloudflareBudgetError(
                "%s takes %d more API requests (%d sent so far), more than request_budget allows (%d); narrow the "
                "selection or raise request_budget" % (purpose, count, self.requests_sent, self.request_budget))
        wait = self.pacer.estimate(count)
        left = self.pacer.timeout - self.pacer.waited
        if wait > left:
            raise CloudflareBudgetError(
                "%s takes %d more API requests, about %s of waiting for %s, more than the %s left of pacing_timeout "
                "(%s); raise pacing_timeout to at least %d, or narrow the selection" % (
                    purpose, count, duration(wait), self.pacer.described(), duration(max(left, 0)),
                    duration(self.pacer.timeout), whole_seconds(self.pacer.waited + wait)))
        self.pacer.plan(count, purpose, wait)

    def pacing(self):
        """The ``api_pacing`` of a task's result: the requests sent, and what the task waited for the rate limit."""
        return dict(self.pacer.record(), requests=self.requests_sent)

    def request_bare_result(self, method, path, query=None, body=None, permission=None, idempotent=None):
        """Send a request whose success is Cloudflare's bare ``{"result": <boolean>, "success": true}``; return the boolean.

        A few calls (schema ``access_empty_response``: revoking a user's Access tokens) answer without
        ``errors`` and ``messages``. For these requests only, that shape is checked whole: ``result`` must
        be a boolean, and nothing may come beside it but empty ``errors`` and ``messages``. Every other
        request keeps the envelope checks of :meth:`request`; failures are :meth:`request`'s.
        """
        envelope = self.request(method, path, query=query, body=body, expect=bool, permission=permission,
                                idempotent=idempotent)
        unexpected = sorted(set(envelope) - {"result", "success", "errors", "messages"})
        leftover = [key for key in ("errors", "messages") if envelope.get(key) not in (None, [])]
        if unexpected or leftover:
            raise CloudflareAPIError(method, request_label(path, query), "the API answered success with %s, not the bare "
                                     "{result, success} this call answers" % one_line(", ".join(
                                         ["the field %s" % key for key in unexpected]
                                         + ["%s %s" % (key, json.dumps(envelope[key])) for key in leftover])), status=200)
        return envelope["result"]

    def request(self, method, path, query=None, body=None, expect=None, permission=None, idempotent=None,
                not_found=RAISE, forbidden_hint=None):
        """Send one request, retrying transient failures; return the decoded envelope.

        ``permission`` names the API token permission the call needs, for the message of a 403;
        ``forbidden_hint`` is what a 403 says instead, for a call whose permission Cloudflare's schema does
        not name. ``idempotent`` says whether the request may be sent again after it may have arrived (a
        failure after sending); reads are, writes only when the caller says so. ``not_found``, when given,
        is returned instead of raising when Cloudflare's API answers that the object does not exist
        (:func:`is_no_such_object`): the caller says whether that answer is data.
        Raises CloudflareAPIError, with ``retried`` saying whether the request was sent more than once.
        """
        shown = request_label(path, query)
        repeatable = method in READ_METHODS if idempotent is None else idempotent
        attempt = 0
        while True:
            try:
                answer = self._send(method, path, shown, query, body, repeatable)
                return check_result(method, shown, answer, unwrap(method, shown, answer, repeatable), expect)
            except CloudflareAPIError as exc:
                failure = exc
            if not failure.transient:
                break
            delay, gave_up = self._backoff(failure, attempt)
            if gave_up:
                raise failure.with_hint_added(gave_up).replace(retried=attempt > 0)
            self._wait(delay, failure)
            attempt += 1
        if not_found is not RAISE and is_no_such_object(failure):
            return not_found
        hint = _hint(failure, permission, token="Authorization" in self.session.headers, forbidden_hint=forbidden_hint)
        raise failure.with_hint_added(hint).replace(retried=attempt > 0)

    def _backoff(self, exc, attempt):
        """``(seconds, None)`` to wait before the next try, or ``(None, reason)`` for giving up, as a hint."""
        if attempt >= self.retries:
            if self.retries == 0:
                return None, "not tried again, as retries is 0; %s" % raise_hint(exc)
            return None, "gave up after %d %s and %.1f s of waiting; %s" % (
                self.retries, "retry" if self.retries == 1 else "retries", self.waited(), raise_hint(exc))
        if exc.retry_after is not None:
            delay = exc.retry_after
        else:
            ceiling = min(BACKOFF_MAX, self.backoff_first * 2 ** attempt)
            delay = ceiling / 2 + random.random() * ceiling / 2  # jitter: spread clients apart
        with self._wait_lock:
            left = self.retry_timeout - self._waited_locked()
            if delay > left:
                asked = "Cloudflare asked to wait %.1f s (Retry-After)" % delay if exc.retry_after is not None else (
                    "the next wait of %.1f s" % delay)
                return None, "gave up after %.1f s of waiting: %s, more than the %.1f s left of retry_timeout; %s" % (
                    self._waited_locked(), asked, max(left, 0.0), raise_hint(exc))
        return delay, None

    def waited(self):
        """Seconds spent waiting between tries so far, wall-clock (parallel waits count once)."""
        with self._wait_lock:
            return self._waited_locked()

    def _waited_locked(self):
        ongoing = time.monotonic() - self._waiting_since if self._waiting else 0.0
        return self._waited_before + ongoing

    def _wait(self, delay, exc):
        what = exc.reason if exc.status is None else "HTTP %s" % exc.status if exc.status >= 400 else (
            "HTTP %s: %s" % (exc.status, exc.reason))  # e.g. a body that broke off after the headers
        self.retry_log.append("%s %s: %s; retried after %.1f s%s" % (
            exc.method, exc.path, what, delay, " (Retry-After)" if exc.retry_after is not None else ""))
        with self._wait_lock:
            if not self._waiting:
                self._waiting_since = time.monotonic()
            self._waiting += 1
        try:
            time.sleep(delay)
        finally:
            with self._wait_lock:
                self._waiting -= 1
                if not self._waiting:
                    self._waited_before += time.monotonic() - self._waiting_since

    def _count(self, method, shown_path):
        """Count the request against the budget, then wait until Cloudflare's rate limit lets it go."""
        with self._count_lock:
            if self.request_budget is not None and self.requests_sent >= self.request_budget:
                raise CloudflareBudgetError(
                    "%s %s not sent: the task has sent its request_budget of %d API requests; raise request_budget "
                    "or narrow the selection" % (method, shown_path, self.request_budget))
            self.requests_sent += 1
        try:
            self.pacer.admit("%s %s" % (method, shown_path))
        except CloudflareBudgetError:
            with self._count_lock:
                self.requests_sent -= 1
            raise

    def _send(self, method, path, shown_path, query, body, repeatable):
        """Send the request and read the whole answer within ``timeout``; return an :class:`Answer`."""
        self._count(method, shown_path)
        deadline = time.monotonic() + self.timeout
        try:
            # stream: the body is read below against the deadline, not byte by byte without end
            response = run_before(deadline, self.session.request,
                                  method, self.base_url + path, params=query, json=body, stream=True,
                                  timeout=self.timeout, verify=self.validate_certs, allow_redirects=False)
        except DeadlinePassed:
            reason = "no response from %s within %s seconds (set timeout to wait longer)" % (self.base_url, self.timeout)
            transient = repeatable
        except requests.exceptions.ConnectTimeout:
            reason, transient = "could not connect to %s within %s seconds" % (self.base_url, self.timeout), True
        except requests.exceptions.Timeout:
            reason = "no response from %s within %s seconds (set timeout to wait longer)" % (self.base_url, self.timeout)
            transient = repeatable
        except requests.exceptions.SSLError as exc:
            reason, transient = "TLS error talking to %s: %s" % (self.base_url, _root_cause(exc)), False
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            reason = "the connection to %s broke while reading the response: %s" % (self.base_url, _root_cause(exc))
            transient = repeatable
        except requests.exceptions.ConnectionError as exc:
            reason = "could not connect to %s: %s" % (self.base_url, _root_cause(exc))
            # A connection that never opened sent nothing: safe to try again for any method.
            transient = repeatable or _never_connected(exc)
        except requests.exceptions.RequestException as exc:
            reason, transient = "request to %s failed: %s" % (self.base_url, _root_cause(exc)), False
        except (OSError, ValueError) as exc:  # e.g. a CA bundle that cannot be read
            reason, transient = "request to %s failed: %s" % (self.base_url, _root_cause(exc)), False
        else:
            return self._receive(method, shown_path, response, deadline, repeatable)
        # A connection that never opened sent nothing; any other failure may have come after the request arrived.
        raise CloudflareAPIError(method, shown_path, reason, transient=transient,
                                 outcome_unknown=not (transient and not repeatable))

    def _receive(self, method, shown_path, response, deadline, repeatable):
        """The answer with its whole body, read in pieces so that ``timeout`` bounds it end to end."""
        answer = Answer(response.status_code, response.reason, response.headers)
        self.pacer.observe(response.headers)
        try:
            answer.body = _read_within(response.raw, deadline, self.timeout)
        except DeadlinePassed:
            reason = "the answer of %s did not arrive within the timeout of %s seconds (set timeout to wait longer)" % (
                self.base_url, self.timeout)
            transient = repeatable
        except _TooBig:
            reason, transient = "the answer of %s is larger than %d bytes" % (self.base_url, MAX_BODY_BYTES), False
        except (urllib3.exceptions.HTTPError, requests.exceptions.RequestException, OSError, ValueError) as exc:
            reason = "the connection to %s broke while reading the response: %s" % (self.base_url, _root_cause(exc))
            transient = repeatable
        else:
            response.raw.release_conn()  # read to the end: the connection serves the next request
            return answer
        response.close()
        # The status line came, the answer did not: was the write done?
        raise CloudflareAPIError(method, shown_path, reason, status=answer.status, cf_ray=answer.headers.get("cf-ray"),
                                 transient=transient, outcome_unknown=True)


class AccountClient:
    """A CloudflareClient bound to one account: every call of the collection on an account takes one, never a
    client and an account id side by side. It sends through its client (one session, one request budget, one
    pacing, one retry log); ``id`` is the account's id, :meth:`path` the path of one of its objects."""

    def __init__(self, client, account_id):
        self.client = client
        self.id = account_id

    @property
    def retry_log(self):
        return self.client.retry_log

    def path(self, *segments):
        """``/accounts/<id>/<segments>``, each segment percent-encoded whole (:func:`api_path`)."""
        return api_path("accounts", self.id, *segments)

    def get(self, path, **options):
        """:meth:`CloudflareClient.get`."""
        return self.client.get(path, **options)

    def request(self, method, path, **options):
        """:meth:`CloudflareClient.request`."""
        return self.client.request(method, path, **options)

    def request_bare_result(self, method, path, **options):
        """:meth:`CloudflareClient.request_bare_result`."""
        return self.client.request_bare_result(method, path, **options)

    def reserve(self, count, purpose):
        """:meth:`CloudflareClient.reserve`."""
        self.client.reserve(count, purpose)

    def pacing(self):
        """:meth:`CloudflareClient.pacing`."""
        return self.client.pacing()


class _TooBig(Exception):
    pass


def _read_within(raw, deadline, timeout):
    """The body of a streamed urllib3 response, read before ``deadline`` (time.monotonic()).

    ``read1`` returns whatever has arrived, so a body dripped byte by byte is checked against the
    deadline as it comes; the socket's own timeout is shortened to the time left.
    """
    read = getattr(raw, "read1", None) or raw.read  # urllib3 < 2 has no read1
    sock = getattr(getattr(raw, "_connection", None), "sock", None)
    chunks, size = [], 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DeadlinePassed()
        if sock is not None:
            sock.settimeout(min(left, timeout))
        try:
            chunk = read(READ_CHUNK)
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
            raise DeadlinePassed()  # pylint: disable=raise-missing-from  # the reason is the message
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _TooBig()


def proxies_for(base_url):
    """The proxies from the environment (as ``ansible.builtin.uri`` honours them) that ``base_url`` goes through.

    Only for https: credentials never go in plain http to a proxy, and a loopback ``api_url`` (the
    only one allowed over http) is never sent through one. ``NO_PROXY`` is honoured.
    """
    parts = urlsplit(base_url)
    if parts.scheme != "https" or is_loopback_host(parts.hostname or ""):
        return {}
    proxies = requests.utils.get_environ_proxies(base_url)
    return {key: value for key, value in proxies.items() if key in ("https", "all") and value}


def is_loopback_host(hostname):
    """Whether ``hostname`` is ``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    if hostname.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def api_path(*segments):
    """Join path segments, each percent-encoded whole, so no value can add a segment or a query."""
    for segment in segments:
        if not isinstance(segment, str) or segment in ("", ".", ".."):
            raise CloudflareInputError("refusing to build an API path from the segment %r" % (segment,))
    return "/" + "/".join(quote(segment, safe="") for segment in segments)


def request_label(path, query=None):
    """The path and query as error messages and the retry log name a request."""
    return path + ("?" + urlencode(query) if query else "")


def is_no_such_object(exc):
    """Whether the CloudflareAPIError ``exc`` is Cloudflare's API saying that the object asked for does not exist.

    Only a 404 in Cloudflare's own envelope of a failure, and not one for a route Cloudflare does not serve
    (NO_ROUTE: a wrong ``api_url``, a configuration error), nor one that never reached Cloudflare's API (an
    HTML page from a proxy, JSON of another shape). Cloudflare's schema documents every failure as ``4XX``,
    no status for "no such object": 404 is what the API answers for an unknown user id.
    """
    return exc.status == 404 and exc.from_cloudflare and NO_ROUTE not in _codes(exc)


def _hint(exc, permission, token=True, forbidden_hint=None):
    """What to do about ``exc``, the last failure of a call that needs ``permission`` (None: not named), or None."""
    if exc.status == 404 and not exc.from_cloudflare:
        return NOT_CLOUDFLARE_HINT
    if exc.status == 404 and NO_ROUTE in _codes(exc):
        return NO_ROUTE_HINT
    if exc.status == 403 and forbidden_hint:
        return forbidden_hint
    if exc.status == 403 and AUTHENTICATION_ERROR in _codes(exc):
        # Cloudflare gives the same answer for a missing permission, a wrong token and another account's id.
        if not token:
            return ("the user of the global API key has no access to this account, or api_email, api_key or "
                    "account_id is wrong")
        needed = "the permission '%s'" % permission if permission else "the permission this call needs"
        return "the API token lacks %s on the account, or the token or account_id is wrong" % needed
    if exc.status == 403 and permission:
        return "this call needs the API token permission '%s' on the account" % permission
    if exc.status == 401:
        return "the API token is invalid or expired, or the email and global API key do not match"
    return None


def _codes(exc):
    return [error.get("code") for error in exc.errors if isinstance(error, dict)]


def _never_connected(exc):
    """Whether the request failed before a connection existed (refused, or no such host)."""
    return any(isinstance(link, ConnectionRefusedError) or type(link).__name__ in ("NewConnectionError", "NameResolutionError")
               for link in _exception_chain(exc))


def _root_cause(exc):
    """The innermost error's text ('[Errno 111] Connection refused'), not urllib3's wrapper noise."""
    text = str(list(_exception_chain(exc))[-1])
    # urllib3 prefixes the connection object's repr: keep what follows it.
    return text.split(">: ", 1)[-1] if ">: " in text else text


def _exception_chain(exc):
    """``exc`` and the errors it wraps, outermost first (requests and urllib3 nest them deeply)."""
    seen = set()
    while isinstance(exc, BaseException) and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        inner = getattr(exc, "reason", None) or exc.__cause__ or exc.__context__
        if inner is None and exc.args and isinstance(exc.args[0], BaseException):
            inner = exc.args[0]
        exc = inner
