# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures: one local Cloudflare-like API per session, and a runner for real module main()s."""

from __future__ import annotations

import contextlib
import json
import signal

import pytest

# --- the collection loader, for tests that load plugins through Ansible's plugin loader (begin) -----------
# ansible-test units installs Ansible's collection loader before any test module is imported; plain pytest
# does not. Install it here, before the first import of ansible_collections, so that lookup_loader.get()
# finds the collection with its metadata (tests/unit/plugins/lookup).
from ansible.utils.collection_loader import AnsibleCollectionConfig  # noqa: E402

if AnsibleCollectionConfig.collection_finder is None:
    import os  # noqa: E402
    import sys  # noqa: E402

    from ansible.plugins.loader import init_plugin_loader  # noqa: E402

    def _collections_root():
        """The sys.path entry this collection is imported from, so that it comes before any installed copy."""
        here = os.path.realpath(__file__)
        for entry in sys.path:
            candidate = os.path.join(entry or ".", "ansible_collections", "cloudflare_community", "zero_trust",
                                     "tests", "unit", "conftest.py")
            if os.path.exists(candidate) and os.path.realpath(candidate) == here:
                return os.path.abspath(entry or ".")
        return os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", ".."))

    init_plugin_loader([_collections_root()])
# --- the collection loader (end) -------------------------------------------------------------------------

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api.server import LocalAPI

try:  # ansible-core 2.19+: the process-wide flag that sends module warnings to the controller's display
    from ansible.module_utils import _internal as module_utils_internal
except ImportError:
    module_utils_internal = None

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


# A test that hangs fails after this many seconds instead of holding the run (and a mutation run) for minutes.
# Tests may ask for more with @pytest.mark.timeout(N); tests driven by hypothesis get HYPOTHESIS_TIMEOUT.
# ansible-test installs pytest-timeout from tests/unit/requirements.txt; where it is missing (a plain pytest in
# another env), the same marker is enforced here with SIGALRM.
DEFAULT_TIMEOUT = 20
HYPOTHESIS_TIMEOUT = 300


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("timeout"):
        config.addinivalue_line("markers", "timeout(seconds): fail the test when it runs longer than this")


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("timeout") is None:
            hypothesis_test = getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
            item.add_marker(pytest.mark.timeout(HYPOTHESIS_TIMEOUT if hypothesis_test else DEFAULT_TIMEOUT))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """The stand-in for pytest-timeout when it is not installed."""
    if item.config.pluginmanager.hasplugin("timeout") or not hasattr(signal, "SIGALRM"):
        yield
        return
    seconds = item.get_closest_marker("timeout").args[0]

    def expired(signum, frame):
        pytest.fail("timed out after %s s (conftest.py timeout)" % seconds, pytrace=False)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _serving(users):
    with LocalAPI(users=users) as server:
        yield server


def _reset(server):
    """``server`` as it started (the seeded account, no fault, empty logs) for one test, and again after it,
    so that nothing a test changes or switches on reaches the next."""
    server.reset()
    yield server
    server.reset()


def _token_args(server):
    return dict(account_id=local_api.ACCOUNT_ID, api_url=server.api_url, api_token=local_api.API_TOKEN)


@pytest.fixture(scope="session")
def fake_server():
    """The sample account of 25 users."""
    yield from _serving(25)


@pytest.fixture
def fake_api(fake_server):
    """The sample account as seeded, for one test: the test may change it and switch faults on."""
    yield from _reset(fake_server)


@pytest.fixture
def token_args(fake_api):
    return _token_args(fake_api)


@pytest.fixture(scope="session")
def big_server():
    """An account of 2,500 users: three pages of 1,000, the last one partial."""
    yield from _serving(2500)


@pytest.fixture
def big_api(big_server):
    """The 2,500 users as seeded, for one test: the test may change them and switch faults on."""
    yield from _reset(big_server)


@pytest.fixture
def big_args(big_api):
    return _token_args(big_api)


# --- older names of fake_api and big_api: the import-rewrite script renames them in the tests and removes this block
@pytest.fixture
def restored_api(fake_api):
    return fake_api


@pytest.fixture
def restored_big_api(big_api):
    return big_api


@pytest.fixture
def writable_api(fake_api):
    return fake_api
# --- end of the older names


@pytest.fixture
def run_module(capsys, monkeypatch):
    """Run a module's real main() with ``args``; return its JSON result (``failed`` set on fail_json)."""
    # A module runs in its own process, never on the controller. Tests of controller plugins (lookups) import
    # ansible-core's controller code, which flags the process as the controller and so would send module
    # warnings to the controller's display instead of the module's result.
    if hasattr(module_utils_internal, "is_controller"):  # ansible-core 2.19+
        monkeypatch.setattr(module_utils_internal, "is_controller", False)

    def run(module, args, check_mode=False):
        args = dict(args, _ansible_check_mode=check_mode)
        # Warnings are process-wide in ansible-core: forget those of earlier runs.
        ansible_warnings._global_warnings.clear()
        ansible_warnings._global_deprecations.clear()
        with patch_module_args(args), pytest.raises(SystemExit):
            module.main()
        out, _err = capsys.readouterr()
        return json.loads(out)

    return run


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
