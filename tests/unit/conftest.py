# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The unit tests' fixtures and hooks: the local Cloudflare-like API, a client for it, a runner for real module
main()s and the lookup as Ansible loads it. Helpers that test files import are in tests/support/module_runs.py."""

from __future__ import annotations

import json

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

from ansible.module_utils.common import warnings as ansible_warnings

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _options
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api.server import LocalAPI
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import (
    CLOUDFLARE_ENVIRONMENT,
    patch_module_args,
    token_args_for,
)

try:  # ansible-core 2.19+: the process-wide flag that sends module warnings to the controller's display
    from ansible.module_utils import _internal as module_utils_internal
except ImportError:
    module_utils_internal = None


# A test that hangs fails after this many seconds instead of holding the run (and a mutation run) for minutes.
# pytest-timeout enforces the limit (tests/unit/requirements.txt, which ansible-test units installs). ansible-test
# runs pytest with its own configuration, so no `timeout` ini setting can set a default: every test gets the
# marker here instead. A test may ask for another limit with @pytest.mark.timeout(N); tests driven by
# hypothesis get HYPOTHESIS_TIMEOUT.
DEFAULT_TIMEOUT = 20
HYPOTHESIS_TIMEOUT = 300


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("timeout"):
        config.addinivalue_line("markers", "timeout(seconds): the time limit pytest-timeout enforces")
        config.issue_config_time_warning(pytest.PytestConfigWarning(
            "pytest-timeout is not installed: a test that hangs is not stopped (pip install -r "
            "tests/unit/requirements.txt)"), stacklevel=2)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("timeout") is None:
            hypothesis_test = getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
            item.add_marker(pytest.mark.timeout(HYPOTHESIS_TIMEOUT if hypothesis_test else DEFAULT_TIMEOUT))


def _serving(users):
    with LocalAPI(users=users) as server:
        yield server


def _reset(server):
    """``server`` as it started (the seeded account, no fault, empty logs) for one test, and again after it,
    so that nothing a test changes or switches on reaches the next."""
    server.reset()
    yield server
    server.reset()


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
    return token_args_for(fake_api)


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
    return token_args_for(big_api)


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


@pytest.fixture
def make_client():
    """``make_client(server, **options)``: the collection's client for the local API ``server``, built from the
    options as every plugin builds it (``client_from_params``).

    It uses the server's token, a timeout of 5 s and no retries (with 5 s to wait, once ``retries`` is set) unless
    ``options`` say otherwise; ``api_url`` replaces the server's address (``server`` may then be None).
    ``backoff_first``, which no plugin option sets, shortens the wait before the first retry.
    """

    def make(server=None, backoff_first=None, **options):
        params = dict(api_token=local_api.API_TOKEN, timeout=5, retries=0, retry_timeout=5)
        if server is not None:
            params["api_url"] = server.api_url
        params.update(options)
        client = _options.client_from_params(params)
        if backoff_first is not None:
            client.backoff_first = backoff_first
        return client

    return make


@pytest.fixture
def no_cloudflare_environment(monkeypatch):
    """No Cloudflare variable of the environment reaches the test (a test sets those it needs)."""
    for name in CLOUDFLARE_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def load_lookup(no_cloudflare_environment):
    """``load_lookup(name)``: a fresh instance of the collection's lookup ``name``, as Ansible loads it.

    The collection loader is installed by ansible-test units or, under plain pytest, at the top of this file.
    """

    # Controller code, imported here: ansible-test runs the module tests without it.
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import lookup_loader
    from ansible.template import Templar

    def load(name):
        loader = DataLoader()
        plugin = lookup_loader.get("cloudflare_community.zero_trust.%s" % name, loader=loader, templar=Templar(loader=loader))
        assert plugin is not None, "the plugin loader found no lookup %s" % name
        return plugin

    return load


@pytest.fixture
def access_user(load_lookup):
    """The access_user lookup, as Ansible loads it."""
    return load_lookup("access_user")


@pytest.fixture
def token_vars(fake_api):
    """A lookup's options as a playbook sets them once, as Ansible variables, for the shared local API."""
    return dict(cloudflare_api_token=local_api.API_TOKEN, cloudflare_account_id=local_api.ACCOUNT_ID,
                cloudflare_api_url=fake_api.api_url)


@pytest.fixture
def display_warnings(capsys):
    """``display_warnings()``: what Ansible's display has printed on stderr so far, on one line (older ansible-core
    wraps warnings). The display shows each warning once per process: those of earlier tests are forgotten first."""
    from ansible.utils.display import Display  # controller code, as in load_lookup

    display = Display()
    for shown in (getattr(display, "_warns", None), getattr(display, "_deprecations", None)):
        if shown is not None:
            shown.clear()
    return lambda: " ".join(capsys.readouterr().err.split())
