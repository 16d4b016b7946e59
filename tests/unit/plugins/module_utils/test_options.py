# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The options every plugin shares (_options.py): where each is read from, and how they are checked and documented."""

from __future__ import annotations

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.cloudflare_community.zero_trust.plugins.doc_fragments import auth, connection
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _errors, _options

FRAGMENTS = (auth.ModuleDocFragment, connection.ModuleDocFragment)


def fragment(variant):
    return [yaml.safe_load(getattr(part, variant))["options"] for part in FRAGMENTS]


@pytest.mark.parametrize("environ, expected", [
    (dict(CLOUDFLARE_API_TOKEN="a", CLOUDFLARE_TOKEN="b"), "CLOUDFLARE_API_TOKEN"),
    (dict(CLOUDFLARE_API_TOKEN="", CLOUDFLARE_TOKEN="b"), "CLOUDFLARE_TOKEN"),
    (dict(CLOUDFLARE_TOKEN="b"), "CLOUDFLARE_TOKEN"),
    (dict(CLOUDFLARE_API_TOKEN="", CLOUDFLARE_TOKEN=""), None),
    (dict(), None),
])
def test_the_first_environment_variable_set_and_not_empty_wins(environ, expected):
    assert _options.first_set_variable(_options.ENVIRONMENT_VARIABLES["api_token"], environ) == expected


@pytest.mark.parametrize("environ, token", [
    (dict(CLOUDFLARE_API_TOKEN="", CLOUDFLARE_TOKEN="from-cloudflare-token"), "from-cloudflare-token"),
    (dict(CLOUDFLARE_API_TOKEN="from-api-token", CLOUDFLARE_TOKEN="from-cloudflare-token"), "from-api-token"),
    (dict(CLOUDFLARE_API_TOKEN=""), None),
])
def test_the_argspec_fallback_reads_the_same_chain(monkeypatch, environ, token):
    for name in _options.ENVIRONMENT_VARIABLES["api_token"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert ArgumentSpecValidator(_options.COMMON_ARGSPEC).validate({}).validated_parameters["api_token"] == token


def test_every_shared_option_is_documented_once_in_the_auth_or_connection_fragment():
    documented = [name for options in fragment("DOCUMENTATION") for name in options]
    assert sorted(documented) == sorted(_options.COMMON_ARGSPEC)


def test_the_plugins_variants_list_the_environment_chain_and_variables_the_code_reads():
    declared = {name: spec for options in fragment("PLUGINS") for name, spec in options.items()}
    assert sorted(declared) == sorted(_options.COMMON_ARGSPEC)
    for name, spec in declared.items():
        assert [entry["name"] for entry in spec.get("env", [])] == list(_options.ENVIRONMENT_VARIABLES.get(name, ()))
        assert spec["vars"] == [{"name": _options.VARIABLE_PREFIX + name}]


def test_account_id_and_credentials_are_not_required_by_the_argspec_but_checked_in_code():
    """A linter sees only a task's own arguments, not module_defaults or the environment (ansible-lint args[module])."""
    assert not [name for name, spec in _options.COMMON_ARGSPEC.items() if spec.get("required")]
    assert _options.module_constraints() == dict(mutually_exclusive=[], required_together=[], required_one_of=[])
    with pytest.raises(_errors.CloudflareInputError, match="^account_id is not set"):
        _options.require_account_id(None)
    with pytest.raises(_errors.CloudflareInputError, match="^no credentials"):
        _options.auth_headers({})


def test_a_conflict_names_the_environment_variable_each_value_came_from(monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_EMAIL", "admin@example.com")
    monkeypatch.setenv("CLOUDFLARE_API_KEY", "k3y")
    with pytest.raises(_errors.CloudflareInputError) as failure:
        _options.auth_headers(dict(api_token="t0ken", api_email="admin@example.com", api_key="k3y"))
    assert str(failure.value) == (
        "use either api_token or api_email with api_key, not both; got api_token, api_email (from the environment "
        "variable CLOUDFLARE_EMAIL) and api_key (from the environment variable CLOUDFLARE_API_KEY)")
    assert "k3y" not in str(failure.value) and "t0ken" not in str(failure.value)
