# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Cloudflare's answer shapes: the envelope ({success, errors, messages, result, result_info}), its errors, the cf-ray."""

from __future__ import annotations

import random

# The message of an error answer with this status, where the local API makes one up (faults, unknown routes).
STATUS_MESSAGES = {
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


def envelope(result=None, errors=None, result_info=None):
    body = {"success": not errors, "errors": errors or [], "messages": [], "result": result}
    if result_info is not None:
        body["result_info"] = result_info
    return body


def error(code, message, **extra):
    found = {"code": code, "message": message}
    found.update(extra)
    return found


def failure(status, code, message, **extra):
    """``(status, envelope)`` of an error answer with one error."""
    return status, envelope(errors=[error(code, message, **extra)])


def cf_ray():
    """A ray id, as Cloudflare sends one in the cf-ray header of every answer."""
    return "%016x-SJC" % random.getrandbits(64)
