# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""The errors every part of the client raises; modules and the lookup turn them into one failure line."""

from __future__ import annotations


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


class CloudflareBudgetError(CloudflareError):
    """A task would send more requests than ``request_budget`` allows; raised before it sends them."""
