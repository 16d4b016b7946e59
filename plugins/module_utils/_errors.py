# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""The errors every part of the client raises; modules and the lookup turn them into one failure line."""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._secrets import masked

# fail_json(exception="") attaches no traceback (ansible-core 2.19+ attaches the pending exception's by
# default): these errors are expected, and their one-line message says all there is to say.
NO_TRACEBACK = ""
MAX_MESSAGE_CHARS = 300  # of one Cloudflare error message in ``msg``; ``errors`` keeps them whole
SHOWN = 20  # values (users, terms, seats) named in one message; the rest are counted


class CloudflareError(Exception):
    """Base class: everything this client raises. ``to_result()`` gives fail_json's keywords.

    Its text never holds a registered secret (see :func:`_secrets.register_secret`).
    """

    def __init__(self, message=""):
        super().__init__(masked(message))

    def __str__(self):
        return masked(super().__str__())

    def to_result(self):
        return dict(msg=str(self), exception=NO_TRACEBACK)


class CloudflareInputError(CloudflareError, ValueError):
    """An option or identifier that cannot be sent; raised before any request."""


class MissingUsersError(CloudflareError):
    """Values that name no user, refused under ``on_missing=error`` before any change; ``missing`` as given."""

    def __init__(self, message, missing):
        super().__init__(message)
        self.missing = list(missing)

    def to_result(self):
        return dict(super().to_result(), missing=self.missing)


class CloudflareAPIError(CloudflareError):
    """A request that did not succeed: transport failure, HTTP error or an unsuccessful envelope.

    Complete when raised: every field is an argument of the constructor. Whoever knows more than the raiser
    (what to do about it, what a read showed since) raises a new error (:meth:`replace`,
    :meth:`with_hint_added`) rather than change the one it caught.
    """

    FIELDS = ("method", "path", "reason", "status", "errors", "cf_ray", "transient", "retry_after", "hint",
              "from_cloudflare", "outcome_unknown", "retried")

    def __init__(self, method, path, reason, status=None, errors=None, cf_ray=None, transient=False, retry_after=None,
                 hint=None, from_cloudflare=False, outcome_unknown=False, retried=False):
        self.method = method
        self.path = masked(path)  # a query may quote what the server sent (a page number, say)
        self.reason = masked(reason)  # may quote the server's answer
        self.status = status
        self.errors = masked(list(errors or []))
        self.cf_ray = masked(cf_ray)
        self.transient = transient  # another try may succeed (see RETRY_STATUSES)
        self.retry_after = retry_after  # seconds the API asked to wait before that try
        self.hint = masked(hint)  # what to do about it, or what is known since: the end of the message
        # Whether the body was Cloudflare's own envelope of a failure: only then is a 404 an answer about the object.
        self.from_cloudflare = from_cloudflare
        # Whether the request may have reached the API without a whole answer coming back (a connection
        # that broke or timed out after sending): the caller cannot know whether a write happened.
        self.outcome_unknown = outcome_unknown
        # Whether the request was sent more than once (tried again after a transient failure), so that an
        # answer such as "that email is taken" may be about an earlier try of the same request.
        self.retried = retried
        super().__init__(self.reason)

    def replace(self, **changes):
        """A new error with the fields of this one, but for ``changes`` (keyword arguments of the constructor)."""
        return type(self)(**dict({name: getattr(self, name) for name in self.FIELDS}, **changes))

    def with_hint_added(self, hint):
        """A new error like this one, ``hint`` following its own hint (if any)."""
        return self.replace(hint="; ".join(filter(None, [self.hint, hint])) or None)

    def __str__(self):
        parts = ["%s %s failed:" % (self.method, self.path)]
        if self.status is not None:
            parts.append("HTTP %s:" % self.status)
        parts.append(format_api_errors(self.errors) or self.reason)
        if self.cf_ray:
            parts.append("(cf-ray %s)" % self.cf_ray)
        message = " ".join(parts) + ("; " + self.hint if self.hint else "")
        return masked(" ".join(message.split()))  # one line, whatever the server's text held

    def to_result(self):
        return dict(msg=str(self), exception=NO_TRACEBACK, method=self.method, path=self.path, status=self.status,
                    errors=self.errors, cf_ray=self.cf_ray)


def partial_failure(error, parts=(), advice=None):
    """fail_json's keywords of a task that failed part-way, in one line: the error (its keys too), then ``parts``
    (what was done, refused, not sent, unknown: each a text, empty ones left out), then ``advice`` (what to do),
    unless the line says it already. ``error`` may be None when only ``parts`` say what went wrong."""
    keywords = error.to_result() if error is not None else {}
    texts = ([str(error)] if error is not None else []) + [part for part in parts if part]
    if advice and not any(advice in text for text in texts):
        texts.append(advice)
    keywords["msg"] = "; ".join(texts)
    return keywords


def refusal_text(error):
    """What a refusal says, short, for a list of the objects refused: ``HTTP 400: [1003] ...``."""
    if not isinstance(error, CloudflareAPIError):
        return str(error)
    return "HTTP %s: %s" % (error.status, format_api_errors(error.errors) or error.reason)


def format_api_errors(errors):
    """``[10000] Authentication error; [6003] Invalid request headers ([6111] Invalid format ...)``."""
    formatted = []
    for error in errors:
        if not isinstance(error, dict):
            formatted.append(one_line(error))
            continue
        text = "[%s] %s" % (one_line(error.get("code", "?")), one_line(error.get("message", "(no message)")))
        chain = error.get("error_chain")
        if isinstance(chain, list) and chain:
            text += " (%s)" % format_api_errors(chain)
        formatted.append(text)
    return "; ".join(formatted)


def counted(number, noun, plural=None):
    """``1 user``, ``2 users``: a count with its noun in the right number."""
    return "%d %s" % (number, noun if number == 1 else plural or noun + "s")


def listed(texts, limit=SHOWN):
    """``a, b, c and 2 more``: the first ``limit`` of ``texts``, for a message; the rest are counted."""
    texts = [str(text) for text in texts]
    return ", ".join(texts[:limit]) + (" and %d more" % (len(texts) - limit) if len(texts) > limit else "")


def one_line(value, limit=MAX_MESSAGE_CHARS):
    """``value`` as text on one line: a message with newlines must not make ``msg`` span several lines."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def short_repr(value):
    """A short, printable rendering of a rejected (non-secret) value, for a message."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def json_type(value):
    """What JSON calls the type of ``value`` (as decoded by ``json``), for a message: ``an object``, ``null``..."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


class CloudflareBudgetError(CloudflareError):
    """A task would send more requests than ``request_budget`` allows; raised before it sends them."""
