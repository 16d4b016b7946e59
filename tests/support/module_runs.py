# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the unit tests that read what a plugin shows: a module's result, a lookup's message.

The fixtures that use them (``run_module``, ``no_cloudflare_environment``) are in tests/unit/conftest.py;
test files import these helpers from here.
"""

from __future__ import annotations

import contextlib
import json

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api

try:  # ansible-core 2.19+
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # older ansible-core reads the module's arguments from basic._ANSIBLE_ARGS
    @contextlib.contextmanager
    def patch_module_args(args):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

__all__ = ("CLOUDFLARE_ENVIRONMENT", "decoded_texts", "leaks", "patch_module_args", "warning_texts")

# The environment variables the plugins read: a test that reads options from the environment starts without them.
CLOUDFLARE_ENVIRONMENT = ("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_TOKEN", "CLOUDFLARE_EMAIL", "CLOUDFLARE_API_KEY",
                          "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_BASE_URL")


def warning_texts(result):
    """The warnings of a module result as text (ansible-core 2.19+ sends them as structured events)."""
    return [warning["event"]["msg"] if isinstance(warning, dict) else warning for warning in result.get("warnings", [])]


def decoded_texts(value):
    """Every string of a decoded JSON value, keys included: what a reader of the output sees, unescaped."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from decoded_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from decoded_texts(item)
    elif isinstance(value, str):
        yield value


def leaks(secret, result):
    """Whether ``secret`` shows in any decoded string of ``result`` (``repr`` would escape CR, LF, tab and NUL)."""
    return any(secret in text for text in decoded_texts(result))


def token_args_for(server, **options):
    """A module's arguments for ``server`` (a LocalAPI): its account, its URL and the API token; ``options`` added
    (or replacing one of those)."""
    return dict(dict(account_id=local_api.ACCOUNT_ID, api_url=server.api_url, api_token=local_api.API_TOKEN), **options)
