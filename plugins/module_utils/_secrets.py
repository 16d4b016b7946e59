# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""The secrets this process sends, and every way they are masked: in a value (``masked``), and in every text
written to a file (``MaskingHandle``).

The client registers what it sends; errors (``_errors.py``), files (``_files.py``, the seat report's page) and the
event source's events mask with the one registry, so no place that shows a value can miss a secret another knows.
"""

from __future__ import annotations

import threading

MASK = "********"  # what a secret becomes, as Ansible masks no_log values

# The secrets this process sends (API tokens, global API keys), registered by the client that sends them.
# A server or proxy may echo them in an error answer, or inside a user's fields; every error masks them in its text
# and fields, and every file and event in what it holds, so each is safe to show wherever it was built and whoever
# shows it (a module without no_log, the lookup, the event source, a file an auditor opens).
_SECRETS = set()
_SECRETS_LOCK = threading.Lock()


def register_secret(value):
    """Mask ``value`` in every error, file and event of this process from now on."""
    if value:
        with _SECRETS_LOCK:
            _SECRETS.add(value)


def masked(value):
    """``value`` (text, or lists and dicts of it, as Cloudflare's ``errors``) with every registered secret masked."""
    if isinstance(value, str):
        with _SECRETS_LOCK:
            secrets = sorted(_SECRETS, key=len, reverse=True)  # a longer secret holding a shorter one goes whole
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, MASK)
        return value
    if isinstance(value, dict):
        return {masked(key): masked(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(item) for item in value]
    return value


class MaskingHandle:
    """A text handle that masks the registered secrets in every text written to it."""

    def __init__(self, handle):
        self._handle = handle

    def write(self, text):
        return self._handle.write(masked(text))
