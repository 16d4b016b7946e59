# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Cloudflare's envelope and JSON safety: an answer is decoded safely, and taken as success only in the envelope.

A body is decoded as plain JSON made safe to return (:func:`decode_json`); only Cloudflare's envelope with
``success: true`` is a success (:func:`unwrap`), with a result of the type the caller expects (:func:`check_result`).
Anything else is a CloudflareAPIError that says what came back.
"""

from __future__ import annotations

import json
import math
import re

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    json_type,
    one_line,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._retries import (
    RETRY_STATUSES,
    RETRY_STATUSES_FOR_REPEATABLE,
    retry_after_seconds,
)

BODY_EXCERPT_CHARS = 120
MAX_JSON_DEPTH = 64  # Cloudflare's objects nest a few levels; a deeper answer would only crash its readers
LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")
SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")  # how a (lone) surrogate can reach decoded JSON


class Answer:
    """A response read to its end: status, reason, headers and body bytes."""

    def __init__(self, status, reason, headers, body=b""):
        self.status, self.reason, self.headers, self.body = status, reason, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def check_result(method, shown_path, answer, envelope, expect):
    result = envelope.get("result")
    if expect is not None and not isinstance(result, expect):
        raise CloudflareAPIError(
            method, shown_path, "the API answered success but its result is %s, not %s"
            % (json_type(result), json_type(expect())), status=answer.status,
            cf_ray=answer.headers.get("cf-ray"))
    return envelope


def unwrap(method, shown_path, answer, repeatable):
    status = answer.status
    cf_ray = answer.headers.get("cf-ray")
    transient = status in RETRY_STATUSES or (status in RETRY_STATUSES_FOR_REPEATABLE and repeatable)
    retry_after = retry_after_seconds(answer.headers.get("Retry-After")) if transient else None
    body, problem = decode_json(answer.body)
    envelope = body if isinstance(body, dict) and "success" in body else None
    errors = envelope.get("errors") if envelope is not None and isinstance(envelope.get("errors"), list) else []
    if envelope is not None and 200 <= status < 300:
        if envelope.get("success") is True:
            return envelope
        reason = "the API answered success: %s" % one_line(envelope.get("success"))
    elif envelope is not None:  # Cloudflare's shape; a 404 without errors is still not trusted (is_no_such_object)
        reason = answer.reason or "error"
    else:  # an HTML page, or JSON of another shape: not something Cloudflare's API said
        reason = problem or _not_envelope_reason(answer)
    raise CloudflareAPIError(method, shown_path, reason, status=status, errors=errors, cf_ray=cf_ray,
                             transient=transient, retry_after=retry_after, from_cloudflare=is_cloudflare_failure(envelope))


def is_cloudflare_failure(body):
    """Whether ``body`` is Cloudflare's envelope of a failure: ``success: false`` and a list of coded errors."""
    if not isinstance(body, dict):
        return False
    errors = body.get("errors")
    return (body.get("success") is False and isinstance(errors, list) and bool(errors)
            and all(isinstance(error, dict) and "code" in error for error in errors))


def decode_json(raw):
    """``(value, None)`` for a body of plain JSON, made safe to return; ``(None, reason)`` for anything else.

    Made safe: invalid UTF-8 and lone surrogates (which crash the controller reading a module's result)
    become U+FFFD. Refused: NaN, Infinity and numbers too large for a float (not JSON), and nesting
    deeper than MAX_JSON_DEPTH. Strings are walked only when the text holds a surrogate escape, so a
    page of 1,000 users decodes at close to json.loads' own speed.
    """
    text = raw.decode("utf-8", "replace")
    too_deep = "response nests JSON deeper than %d levels" % MAX_JSON_DEPTH
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except _NotJSON as exc:
        return None, "response is not valid JSON: it contains %s" % exc
    except RecursionError:
        return None, too_deep
    except ValueError:
        return None, None
    if _deeper_than(value, MAX_JSON_DEPTH):
        return None, too_deep
    if SURROGATE_ESCAPE_RE.search(text):
        value = _made_safe(value)
    return value, None


class _NotJSON(ValueError):
    pass


def _refuse_constant(name):
    raise _NotJSON(name)


def _finite_float(text):
    number = float(text)
    if not math.isfinite(number):
        raise _NotJSON("a number too large for JSON")
    return number


def _deeper_than(value, limit):
    """Whether arrays and objects nest more than ``limit`` levels in ``value`` (only containers are visited)."""
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        container, depth = stack.pop()
        if depth > limit:
            return True
        children = container.values() if isinstance(container, dict) else container
        stack += [(child, depth + 1) for child in children if isinstance(child, (dict, list))]
    return False


def _made_safe(value):
    if isinstance(value, str):
        return LONE_SURROGATE_RE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_made_safe(key): _made_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_made_safe(item) for item in value]
    return value


def _not_envelope_reason(answer):
    content_type = one_line(answer.headers.get("Content-Type", "no content type").split(";")[0])
    text = answer.text
    title = re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    excerpt = title.group(1) if title else text
    excerpt = " ".join(excerpt.split())[:BODY_EXCERPT_CHARS]
    if not excerpt:
        return "empty response body (%s)" % content_type
    return "response is not a Cloudflare API envelope (%s): %r" % (content_type, excerpt)
