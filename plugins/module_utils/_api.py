# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""A small client for Cloudflare's v4 API.

It builds the auth headers, sends requests on one ``requests.Session`` (keep-alive across pages
and batched look-ups), unwraps Cloudflare's response envelope and raises :class:`CloudflareAPIError`
for every failure. It knows nothing of ``AnsibleModule``: modules turn the errors into ``fail_json``.
"""

from __future__ import annotations

import ipaddress
import math
import random
import re
import threading
import time
import traceback
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urlencode, urlsplit

from ansible.module_utils.basic import env_fallback

try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

HAS_REQUESTS = requests is not None

COLLECTION_VERSION = "0.1.0"
DEFAULT_API_URL = "https://api.cloudflare.com/client/v4"
USER_AGENT = "ansible-collection-cloudflare_community.zero_trust/%s" % COLLECTION_VERSION

# Options shared by every module of the collection; documented in doc_fragments/auth.py.
COMMON_ARGSPEC = dict(
    api_token=dict(type="str", no_log=True, fallback=(env_fallback, ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_TOKEN"])),
    api_email=dict(type="str", aliases=["account_email"], fallback=(env_fallback, ["CLOUDFLARE_EMAIL"])),
    api_key=dict(type="str", aliases=["account_api_key"], no_log=True, fallback=(env_fallback, ["CLOUDFLARE_API_KEY"])),
    account_id=dict(type="str", required=True, fallback=(env_fallback, ["CLOUDFLARE_ACCOUNT_ID"])),
    api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, ["CLOUDFLARE_BASE_URL"])),
    timeout=dict(type="float", default=30),
    validate_certs=dict(type="bool", default=True),
    retries=dict(type="int", default=3),
    retry_timeout=dict(type="float", default=60),
)


def module_constraints(mutually_exclusive=()):
    """Keyword arguments for AnsibleModule that make exactly one auth method required.

    Env fallbacks are applied before these checks, so a token in the environment plus an explicit
    key is refused too: one credential, never a guess about which one wins. A module adds its own
    ``mutually_exclusive`` pairs.
    """
    return dict(
        mutually_exclusive=[("api_token", "api_email"), ("api_token", "api_key")] + list(mutually_exclusive),
        required_together=[("api_email", "api_key")],
        required_one_of=[("api_token", "api_key")],
    )


ACCOUNT_ID_RE = re.compile(r"[0-9a-fA-F]{1,32}\Z")
UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
# Visible ASCII only: anything else (CR/LF above all) could split or forge an HTTP header.
HEADER_SAFE_RE = re.compile(r"[\x21-\x7e]+\Z")
EMAIL_RE = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\Z")
LOOPBACK_NAMES = ("localhost",)
BODY_EXCERPT_CHARS = 120
# Failures worth another try, and why; everything else (400, 401, 403, 404, ...) fails at once.
RETRY_STATUSES = {
    429: "Cloudflare's rate limit: 1,200 requests per 5 minutes per user; Retry-After says when to come back",
    502: "Cloudflare's edge could not reach the API; usually gone within seconds",
    503: "the API is briefly overloaded or in maintenance",
    504: "the API did not answer Cloudflare's edge in time",
}
RETRY_STATUSES_FOR_READS = {
    500: "an internal error; a read changes nothing, so sending it again is safe",
}
READ_METHODS = ("GET", "HEAD")
BACKOFF_FIRST = 1.0  # seconds before the first retry when the API sends no Retry-After
BACKOFF_MAX = 30.0
MAX_RETRIES = 100
MAX_SECONDS = 86400  # a day: longer timeouts or waits are typos, and overflow the platform's clocks
MAX_PER_PAGE = 1000  # the list endpoints' default and maximum page size
MAX_PAGES = 10000  # a safety stop far beyond any real account (10 million objects)


class CloudflareError(Exception):
    """Base class: everything this client raises. ``to_result()`` gives fail_json's keywords."""

    def to_result(self):
        return dict(msg=str(self))


class CloudflareInputError(CloudflareError, ValueError):
    """An option or identifier that cannot be sent; raised before any request."""


class CloudflareAPIError(CloudflareError):
    """A request that did not succeed: transport failure, HTTP error or an unsuccessful envelope."""

    def __init__(self, method, path, reason, status=None, errors=None, cf_ray=None, transient=False, retry_after=None):
        self.method = method
        self.path = path
        self.reason = reason
        self.status = status
        self.errors = list(errors or [])
        self.cf_ray = cf_ray
        self.transient = transient  # another try may succeed (see RETRY_STATUSES)
        self.retry_after = retry_after  # seconds the API asked to wait before that try
        self.hint = None  # what to do about it, added by whoever knows
        super().__init__(reason)

    def __str__(self):
        parts = ["%s %s failed:" % (self.method, self.path)]
        if self.status is not None:
            parts.append("HTTP %s:" % self.status)
        parts.append(format_api_errors(self.errors) or self.reason)
        if self.cf_ray:
            parts.append("(cf-ray %s)" % self.cf_ray)
        message = " ".join(parts)
        return message + ("; " + self.hint if self.hint else "")

    def to_result(self):
        return dict(msg=str(self), method=self.method, path=self.path, status=self.status,
                    errors=self.errors, cf_ray=self.cf_ray)


def format_api_errors(errors):
    """``[10000] Authentication error; [6003] Invalid request headers ([6111] Invalid format ...)``."""
    formatted = []
    for error in errors:
        if not isinstance(error, dict):
            formatted.append(str(error))
            continue
        text = "[%s] %s" % (error.get("code", "?"), error.get("message", "(no message)"))
        chain = error.get("error_chain")
        if isinstance(chain, list) and chain:
            text += " (%s)" % format_api_errors(chain)
        formatted.append(text)
    return "; ".join(formatted)


def api_path(*segments):
    """Join path segments, each percent-encoded whole, so no value can add a segment or a query."""
    for segment in segments:
        if not isinstance(segment, str) or segment in ("", ".", ".."):
            raise CloudflareInputError("refusing to build an API path from the segment %r" % (segment,))
    return "/" + "/".join(quote(segment, safe="") for segment in segments)


def require_account_id(value):
    if not isinstance(value, str) or not ACCOUNT_ID_RE.match(value):
        raise CloudflareInputError(
            "account_id must be a Cloudflare account identifier (up to 32 hexadecimal characters), got %s" % _show(value))
    return value


def require_uuid(option, value):
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise CloudflareInputError(
            "%s must be a UUID such as f174e90a-fafe-4643-bbbc-4a0ed4fc8415, got %s" % (option, _show(value)))
    return value.lower()


def require_email(option, value):
    if not isinstance(value, str) or not EMAIL_RE.match(value):
        raise CloudflareInputError("%s must be an email address such as jdoe@example.com, got %s" % (option, _show(value)))
    return value


def _show(value):
    """A short, printable rendering of a rejected (non-secret) value for error messages."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def auth_headers(params):
    """Headers for the one configured auth method. Secrets never appear in the errors raised here."""
    token, email, key = params.get("api_token"), params.get("api_email"), params.get("api_key")
    if token and (email or key):
        raise CloudflareInputError("use either api_token or api_email with api_key, not both")
    if token:
        _require_header_safe("api_token", token)
        return {"Authorization": "Bearer %s" % token}
    if email and key:
        if not EMAIL_RE.match(email) or not HEADER_SAFE_RE.match(email):
            raise CloudflareInputError("api_email must be an email address without spaces or control characters")
        _require_header_safe("api_key", key)
        return {"X-Auth-Email": email, "X-Auth-Key": key}
    raise CloudflareInputError("no credentials: set api_token (or CLOUDFLARE_API_TOKEN), or api_email and api_key")


def _require_header_safe(option, secret):
    if not HEADER_SAFE_RE.match(secret):
        raise CloudflareInputError(
            "%s contains spaces, control characters or non-ASCII characters; it cannot be sent in an HTTP header" % option)


def require_api_url(url):
    """The base URL, without a trailing slash. Plain http is allowed only to a loopback address."""
    if isinstance(url, str) and re.search(r"//[^/?#]*@", url):
        raise CloudflareInputError("api_url must not contain credentials; use api_token or api_email/api_key")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # pylint: disable=pointless-statement  # raises ValueError on a bad port
    except ValueError:
        hostname = None
    if not hostname or parts.scheme not in ("https", "http") or parts.query or parts.fragment:
        raise CloudflareInputError("api_url must be an http(s) URL such as %s, got %s" % (DEFAULT_API_URL, _show(url)))
    if parts.scheme == "http" and not _is_loopback(hostname):
        raise CloudflareInputError(
            "api_url uses plain http to %s: credentials are only sent over https, except to a loopback address" % hostname)
    return url.rstrip("/")


def _is_loopback(hostname):
    if hostname.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def _require_seconds(option, value, allow_zero):
    """A finite number of seconds up to MAX_SECONDS; above 0, or from 0 with ``allow_zero``."""
    if value is None or not math.isfinite(value) or not 0 <= value <= MAX_SECONDS or (value == 0 and not allow_zero):
        raise CloudflareInputError("%s must be a number of seconds %s and at most %d, got %s" % (
            option, "from 0" if allow_zero else "above 0", MAX_SECONDS, _show(value)))
    return value


def settings_warnings(params):
    """Warnings about settings that work but weaken the connection, for every module to show."""
    if params.get("validate_certs", True) is False:
        return ["validate_certs is false: the API's TLS certificate is not checked, so the credentials could reach "
                "an impostor; use it only for a test endpoint you control"]
    return []


def client_from_params(params, session=None):
    """A client for the module's validated params; raises CloudflareInputError on bad settings."""
    timeout = _require_seconds("timeout", params.get("timeout"), allow_zero=False)
    retry_timeout = _require_seconds("retry_timeout", params.get("retry_timeout", 0), allow_zero=True)
    retries = params.get("retries", 0)
    if retries is None or not 0 <= retries <= MAX_RETRIES:
        raise CloudflareInputError("retries must be between 0 and %d, got %s" % (MAX_RETRIES, _show(retries)))
    return CloudflareClient(
        base_url=require_api_url(params["api_url"]),
        headers=auth_headers(params),
        timeout=timeout,
        validate_certs=params.get("validate_certs", True),
        retries=retries,
        retry_timeout=retry_timeout,
        session=session,
    )


class CloudflareClient:
    """Sends requests to Cloudflare's v4 API and returns the ``result`` of successful envelopes.

    Transient failures (``RETRY_STATUSES``, lost connections, read timeouts of reads) are tried
    again up to ``retries`` times per request, waiting as the API's Retry-After says or, without
    it, with exponential backoff and jitter; all waits of the client together stay within
    ``retry_timeout`` seconds. Each retry is recorded in ``retry_log``.
    """

    def __init__(self, base_url, headers, timeout=30, validate_certs=True, retries=3, retry_timeout=60,
                 session=None, backoff_first=BACKOFF_FIRST):
        self.base_url = base_url
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.retries = retries
        self.retry_timeout = retry_timeout
        self.backoff_first = backoff_first
        self.retry_log = []
        self._budget_started = None  # when the first retry began to wait: retry_timeout counts from there
        self._wait_lock = threading.Lock()
        self.session = session or requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self.session.headers.update(headers)

    def get(self, path, query=None, expect=None, permission=None):
        """GET ``path`` (from :func:`api_path`) and return the envelope's ``result``.

        With ``expect`` (a type such as ``dict`` or ``list``), a result of any other type, ``null``
        included, is an error that names the request, like any other failure.
        """
        return self.request("GET", path, query=query, expect=expect, permission=permission)["result"]

    def iter_pages(self, path, query=None, per_page=MAX_PER_PAGE, permission=None):
        """Yield ``(items, result_info)`` for pages 1, 2, ... of a list endpoint, each page exactly once.

        Stops after the last page ``result_info`` announces, on an empty page, or on a page shorter
        than the server's page size (which may be smaller than ``per_page``). A server that answers
        another page than the one asked for, or repeats objects already seen, is an error, not a loop.
        """
        seen_ids = set()
        for page in range(1, MAX_PAGES + 1):
            page_query = dict(query or {}, page=page, per_page=per_page)
            envelope = self.request("GET", path, query=page_query, expect=list, permission=permission)
            items, info = envelope["result"], envelope.get("result_info") or {}
            shown = request_label(path, page_query)
            if info.get("page") not in (None, page):
                raise CloudflareAPIError("GET", shown, "asked for page %d, the API answered page %s"
                                         % (page, info.get("page")), status=200)
            ids = [item.get("id") for item in items if isinstance(item, dict) and item.get("id") is not None]
            if seen_ids.intersection(ids):
                raise CloudflareAPIError("GET", shown, "page %d repeats objects of an earlier page" % page,
                                         status=200)
            seen_ids.update(ids)
            yield items, info
            page_size = _whole_number(info.get("per_page")) or per_page
            last_page = announced_pages(info, filtered=bool(query))
            if len(items) < page_size or (last_page is not None and page >= last_page):
                return
        raise CloudflareAPIError("GET", path, "more than %d pages; stopped" % MAX_PAGES)

    def request(self, method, path, query=None, body=None, expect=None, permission=None):
        """Send one request, retrying transient failures; return the decoded envelope.

        ``permission`` names the API token permission the call needs, for the message of a 403.
        Raises CloudflareAPIError.
        """
        shown = request_label(path, query)
        attempt = 0
        while True:
            try:
                response = self._send(method, path, shown, query, body)
                envelope = _unwrap(method, shown, response)
            except CloudflareAPIError as exc:
                if not exc.transient:
                    exc.hint = _hint(exc, permission)
                    raise
                self._wait(self._backoff(exc, attempt), exc)
                attempt += 1
                continue
            return _check_result(method, shown, response, envelope, expect)

    def _backoff(self, exc, attempt):
        """Seconds to wait before the next try, or raise ``exc`` with the reason for giving up."""
        if attempt >= self.retries:
            if self.retries == 0:
                exc.hint = "not tried again, as retries is 0; %s" % _raise_hint(exc)
            else:
                exc.hint = "gave up after %d %s and %.1f s of waiting; %s" % (
                    self.retries, "retry" if self.retries == 1 else "retries", self.waited(), _raise_hint(exc))
            raise exc
        if exc.retry_after is not None:
            delay = exc.retry_after
        else:
            ceiling = min(BACKOFF_MAX, self.backoff_first * 2 ** attempt)
            delay = ceiling / 2 + random.random() * ceiling / 2  # jitter: spread clients apart
        with self._wait_lock:
            now = time.monotonic()
            if self._budget_started is None:
                self._budget_started = now
            # Waits of parallel requests overlap: the budget is wall-clock time, not a sum of waits.
            left = self._budget_started + self.retry_timeout - now
            if delay > left:
                asked = "Cloudflare asked to wait %.1f s (Retry-After)" % delay if exc.retry_after is not None else (
                    "the next wait of %.1f s" % delay)
                exc.hint = "gave up after %.1f s of waiting: %s, more than the %.1f s left of retry_timeout; %s" % (
                    self.waited(), asked, max(left, 0.0), _raise_hint(exc))
                raise exc
        return delay

    def waited(self):
        """Seconds since the first retry began to wait (0 when nothing was retried)."""
        return 0.0 if self._budget_started is None else time.monotonic() - self._budget_started

    def _wait(self, delay, exc):
        what = "HTTP %s" % exc.status if exc.status is not None else exc.reason
        self.retry_log.append("%s %s: %s; retried after %.1f s%s" % (
            exc.method, exc.path, what, delay, " (Retry-After)" if exc.retry_after is not None else ""))
        time.sleep(delay)

    def _send(self, method, path, shown_path, query, body):
        read = method in READ_METHODS
        try:
            return self.session.request(
                method, self.base_url + path, params=query, json=body,
                timeout=self.timeout, verify=self.validate_certs, allow_redirects=False)
        except requests.exceptions.ConnectTimeout:
            reason, transient = "could not connect to %s within %s seconds" % (self.base_url, self.timeout), True
        except requests.exceptions.Timeout:
            reason = "no response from %s within %s seconds (set timeout to wait longer)" % (self.base_url, self.timeout)
            transient = read
        except requests.exceptions.SSLError as exc:
            reason, transient = "TLS error talking to %s: %s" % (self.base_url, _root_cause(exc)), False
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            reason = "the connection to %s broke while reading the response: %s" % (self.base_url, _root_cause(exc))
            transient = read
        except requests.exceptions.ConnectionError as exc:
            reason = "could not connect to %s: %s" % (self.base_url, _root_cause(exc))
            # A connection that never opened sent nothing: safe to try again for any method.
            transient = read or _never_connected(exc)
        except requests.exceptions.RequestException as exc:
            reason, transient = "request to %s failed: %s" % (self.base_url, _root_cause(exc)), False
        raise CloudflareAPIError(method, shown_path, reason, transient=transient)


def request_label(path, query=None):
    """The path and query as error messages and the retry log name a request."""
    return path + ("?" + urlencode(query) if query else "")


def _check_result(method, shown_path, response, envelope, expect):
    result = envelope.get("result")
    if expect is not None and not isinstance(result, expect):
        raise CloudflareAPIError(
            method, shown_path, "the API answered success but its result is %s, not %s"
            % (_json_type(result), _json_type(expect())), status=response.status_code,
            cf_ray=response.headers.get("cf-ray"))
    return envelope


def _hint(exc, permission):
    if exc.status == 403 and permission:
        return "this call needs the API token permission '%s' on the account" % permission
    if exc.status == 401:
        return "the API token is invalid or expired, or the email and global API key do not match"
    return None


def _raise_hint(exc):
    if exc.status == 429:
        return ("rate limited: Cloudflare blocks for up to 5 minutes once 1,200 requests in 5 minutes are reached; "
                "set retry_timeout (up to 300) and retries to wait it out, or run again later")
    return "set retries and retry_timeout to try longer"


def retry_after_seconds(value, now=None):
    """Seconds from a Retry-After header (seconds or an HTTP date), or None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def announced_pages(result_info, filtered=False):
    """The number of pages ``result_info`` announces, or None when it does not say.

    ``total_count`` counts the results "without any search parameters" (Cloudflare's schema), so it
    only tells the number of pages of an unfiltered listing.
    """
    pages = _whole_number(result_info.get("total_pages"))
    if pages is not None:
        return max(1, pages)
    count, size = _whole_number(result_info.get("total_count")), _whole_number(result_info.get("per_page"))
    if count is not None and size and not filtered:
        return max(1, -(-count // size))
    return None


def _whole_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or value != int(value):
        return None
    return int(value)


def _unwrap(method, shown_path, response):
    status = response.status_code
    cf_ray = response.headers.get("cf-ray")
    transient = status in RETRY_STATUSES or (status in RETRY_STATUSES_FOR_READS and method in READ_METHODS)
    retry_after = retry_after_seconds(response.headers.get("Retry-After")) if transient else None
    envelope = _decode_envelope(response)
    if envelope is None:
        exc = CloudflareAPIError(method, shown_path, _not_envelope_reason(response), status=status, cf_ray=cf_ray,
                                 transient=transient, retry_after=retry_after)
    else:
        if 200 <= status < 300 and envelope.get("success") is True:
            return envelope
        errors = envelope.get("errors") if isinstance(envelope.get("errors"), list) else []
        reason = "the API answered success: %s" % envelope.get("success") if 200 <= status < 300 else (
            response.reason or "error")
        exc = CloudflareAPIError(method, shown_path, reason, status=status, errors=errors, cf_ray=cf_ray,
                                 transient=transient, retry_after=retry_after)
    raise exc


def _json_type(value):
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _decode_envelope(response):
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict) and "success" in body:
        return body
    return None


def _not_envelope_reason(response):
    content_type = response.headers.get("Content-Type", "no content type").split(";")[0]
    text = response.text or ""
    title = re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    excerpt = title.group(1) if title else text
    excerpt = " ".join(excerpt.split())[:BODY_EXCERPT_CHARS]
    if not excerpt:
        return "empty response body (%s)" % content_type
    return "response is not a Cloudflare API envelope (%s): %r" % (content_type, excerpt)


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
