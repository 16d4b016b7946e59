# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_options.py: the options every plugin shares, where each is read from, and how each is checked before any
request (identifiers, api_url, credentials, timeouts and retries, TLS verification and CA bundles, inactive_days,
directories, record files and names)."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.cloudflare_community.zero_trust.plugins.doc_fragments import auth, connection
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _errors, _options
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareInputError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    MAX_INACTIVE_DAYS,
    require_directory,
    require_inactive_days,
    require_new_file,
    require_record_name,
)
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import decoded_texts

FRAGMENTS = (auth.ModuleDocFragment, connection.ModuleDocFragment)
USER_ID = seeded.EXAMPLE_USER["id"]


def fragment(variant):
    return [yaml.safe_load(getattr(part, variant))["options"] for part in FRAGMENTS]


# --- Where the options come from, and where they are documented ----------------------------------------------------

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
        _options.require_account_id("account_id", None)
    with pytest.raises(_errors.CloudflareInputError, match="^no credentials"):
        _options.auth_headers({})


# --- Identifiers -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["023e105f4ecef8ad9ca31a8372d0c353", "ABCDEF", "0"])
def test_account_id_accepts_hex_up_to_32(value):
    assert _options.require_account_id("account_id", value) == value


@pytest.mark.parametrize("value", ["023e105f4ecef8ad9ca31a8372d0c3530", "../x", "g", "abc\n", " abc", 12])
def test_account_id_refuses_anything_else(value):
    with pytest.raises(_errors.CloudflareInputError, match="account_id must be"):
        _options.require_account_id("account_id", value)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_account_id_empty_or_blank_is_not_set(value):
    with pytest.raises(_errors.CloudflareInputError, match="^account_id is not set"):
        _options.require_account_id("account_id", value)


def test_uuid_is_normalised_to_lower_case():
    assert _options.require_uuid("user_id", USER_ID.upper()) == USER_ID


@pytest.mark.parametrize("value", ["", "f174e90a-fafe-4643-bbbc-4a0ed4fc841", "f174e90a/fafe-4643-bbbc-4a0ed4fc8415",
                                   "f174e90a-fafe-4643-bbbc-4a0ed4fc8415\n", "../../../../etc", None])
def test_uuid_refuses_anything_else(value):
    with pytest.raises(_errors.CloudflareInputError, match="user_id must be a UUID"):
        _options.require_uuid("user_id", value)


# --- api_url: https, or plain http to a real loopback address ------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("https://api.cloudflare.com/client/v4/", "https://api.cloudflare.com/client/v4"),
    ("http://127.0.0.1:8080/client/v4", "http://127.0.0.1:8080/client/v4"),
    ("http://localhost:1/x", "http://localhost:1/x"),
    ("http://[::1]:8080", "http://[::1]:8080"),
])
def test_api_url_accepts_https_and_loopback_http(url, expected):
    assert _options.require_api_url("api_url", url) == expected


@pytest.mark.parametrize("url, message", [
    ("http://api.cloudflare.com/client/v4", "plain http"),
    ("http://10.0.0.1/client/v4", "plain http"),
    ("ftp://api.cloudflare.com", "must be an http"),
    ("api.cloudflare.com/client/v4", "must be an http"),
    ("https://api.cloudflare.com/client/v4?x=1", "must be an http"),
    ("https://user:pw@api.cloudflare.com", "must not contain credentials"),
    ("https://user:pw@api.cloudflare.com:99999/?x", "must not contain credentials"),
    ("https://api.cloudflare.com:99999", "must be an http"),
])
def test_api_url_refuses_unsafe_or_malformed_urls(url, message):
    with pytest.raises(_errors.CloudflareInputError, match=message) as info:
        _options.require_api_url("api_url", url)
    assert "pw" not in str(info.value)


@pytest.mark.parametrize("url", [
    "http://localhost.attacker.example/client/v4",
    "http://localhost.attacker.example:8080/client/v4",
    "http://127.0.0.1.attacker.example/client/v4",
    "http://localhostx/client/v4",
    "http://xlocalhost/client/v4",
    "http://my-localhost/client/v4",
    "http://127.0.0.1.nip.io/client/v4",
])
def test_names_that_only_look_like_loopback_get_no_plain_http(make_client, url):
    with pytest.raises(_errors.CloudflareInputError, match="^api_url uses plain http to .*: credentials are only sent over https"):
        make_client(api_url=url)


@pytest.mark.parametrize("url", ["http://LOCALHOST:8080/client/v4", "http://127.0.0.2/client/v4", "http://[::1]:1/client/v4"])
def test_real_loopback_names_may_use_plain_http(make_client, url):
    assert make_client(api_url=url).base_url == url


# --- Credentials: one way, header-safe, never echoed ---------------------------------------------------------------

@pytest.mark.parametrize("params, message", [
    (dict(api_token="t0ken\r\nX-Evil: 1"), "api_token contains"),
    (dict(api_token="t0ken with space"), "api_token contains"),
    (dict(api_email="a@example.com", api_key="k3y\nX-Evil: 1"), "api_key contains"),
    (dict(api_email="a@example.com\r\nX-Evil: 1", api_key="k3y"), "api_email must be"),
    (dict(api_email="j\u2603@example.com", api_key="k3y"), "api_email must be"),  # not Latin-1: no header
    (dict(api_token="t0ken", api_key="k3y", api_email="a@example.com"), "not both"),
    (dict(), "no credentials"),
    (dict(api_email="a@example.com"), "api_email is set but api_key is not"),
    (dict(api_key="k3y"), "api_key is set but api_email is not"),
])
def test_auth_headers_refuse_bad_credentials_without_echoing_them(params, message):
    with pytest.raises(_errors.CloudflareInputError, match=message) as info:
        _options.auth_headers(params)
    for secret in ("t0ken", "k3y", "X-Evil"):
        assert secret not in str(info.value)


def test_a_conflict_names_the_environment_variable_each_value_came_from(monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_EMAIL", "admin@example.com")
    monkeypatch.setenv("CLOUDFLARE_API_KEY", "k3y")
    with pytest.raises(_errors.CloudflareInputError) as failure:
        _options.auth_headers(dict(api_token="t0ken", api_email="admin@example.com", api_key="k3y"))
    assert str(failure.value) == (
        "use either api_token or api_email with api_key, not both; got api_token, api_email (from the environment "
        "variable CLOUDFLARE_EMAIL) and api_key (from the environment variable CLOUDFLARE_API_KEY)")
    assert "k3y" not in str(failure.value) and "t0ken" not in str(failure.value)


@pytest.mark.parametrize("secret", ["abc\r\ndef-token", "abc\ndef", "abc\tdef", "abc\x00def", "abc\rdef"])
@pytest.mark.parametrize("option", ["api_token", "api_key", "api_email"])
def test_the_settings_error_for_a_credential_with_control_characters_does_not_contain_it(secret, option):
    # Below the module, where Ansible's no_log masking does not help: the message itself must not hold the value.
    params = dict(account_id=local_api.ACCOUNT_ID, api_url="https://api.cloudflare.com/client/v4", timeout=5)
    if option == "api_token":
        params["api_token"] = secret
    elif option == "api_key":
        params.update(api_email=local_api.API_EMAIL, api_key=secret)
    else:
        params.update(api_email="a" + secret + "@example.com", api_key=local_api.API_KEY)
    with pytest.raises(_errors.CloudflareInputError) as info:
        _options.client_from_params(params)
    for text in decoded_texts(info.value.to_result()):
        assert secret not in text
        assert local_api.API_KEY not in text


# --- Timeouts and retries ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("timeout", [0, -1, None, float("inf"), float("nan"), 1e300, 86401])
def test_timeout_must_be_a_sane_positive_number(make_client, fake_api, timeout):
    with pytest.raises(_errors.CloudflareInputError, match="timeout must be a number of seconds above 0 and at most 86400"):
        make_client(fake_api, timeout=timeout)


@pytest.mark.parametrize("options, message", [
    (dict(retries=-1), "retries must be between 0 and 100"),
    (dict(retries=101), "retries must be between 0 and 100"),
    (dict(retry_timeout=-0.5), "retry_timeout must be a number of seconds from 0 and at most 86400"),
    (dict(retry_timeout=float("inf")), "retry_timeout must be"),
])
def test_retry_settings_must_be_sane(make_client, fake_api, options, message):
    with pytest.raises(_errors.CloudflareInputError, match=message):
        make_client(fake_api, **options)


# --- TLS verification and CA bundles -------------------------------------------------------------------------------

def test_a_ca_bundle_that_does_not_exist_fails_before_any_request(make_client, fake_api, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca.pem")
    expected = r"^REQUESTS_CA_BUNDLE names the CA bundle '/nonexistent/ca\.pem', which does not exist; "
    with pytest.raises(_errors.CloudflareInputError, match=expected):
        make_client(fake_api)
    assert fake_api.api_requests() == []


def test_a_ca_bundle_of_the_environment_is_honoured(make_client, fake_api, tmp_path, monkeypatch):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "")  # empty: unset, so the next variable applies
    monkeypatch.setenv("CURL_CA_BUNDLE", str(bundle))
    assert make_client(fake_api).validate_certs == str(bundle)
    assert make_client(fake_api, validate_certs=False).validate_certs is False
    assert _options.tls_verification(True, environ={}) is True


@pytest.mark.parametrize("days", [1, 90, 36500])
def test_inactive_days_from_1_to_100_years(days):
    assert require_inactive_days("inactive_days", days) == days


@pytest.mark.parametrize("days", [0, -1, -90, MAX_INACTIVE_DAYS + 1, 500000, 10 ** 18, True, False, 90.0, 90.5,
                                  "90", None])
def test_inactive_days_that_make_no_sense_are_refused(days):
    with pytest.raises(CloudflareInputError, match=r"^inactive_days must be a whole number of days from 1 to 36500 "):
        require_inactive_days("inactive_days", days)


def test_directories_and_files_are_checked_before_any_request(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(CloudflareInputError, match="is not a directory"):
        require_directory("report_dir", str(blocker / "reports"))
    with pytest.raises(CloudflareInputError, match="must name a directory"):
        require_directory("report_dir", "  ")
    with pytest.raises(CloudflareInputError, match="is a directory; name a file in it"):
        require_new_file("report_csv", str(tmp_path))
    assert require_directory("report_dir", str(tmp_path / "not" / "yet")) == str(tmp_path / "not" / "yet")
    assert require_new_file("report_csv", "relative.csv") == os.path.join(os.getcwd(), "relative.csv")
    assert not os.path.exists(str(tmp_path / "not"))  # checking creates nothing


def test_an_existing_file_is_refused_as_a_new_record(tmp_path):
    path = tmp_path / "freed.csv"
    path.write_text("the record of an earlier run")
    with pytest.raises(CloudflareInputError) as caught:
        require_new_file("report_csv", str(path))
    assert str(caught.value) == ("report_csv: %s exists, and the record of an earlier run is never replaced; name a "
                                 "new file, or set report_dir to keep one file per run" % path)


@pytest.mark.parametrize("name", ["reclaim_seats", "offboard", "Q4.leavers-2026"])
def test_a_record_name_of_plain_characters_is_taken(name):
    assert require_record_name("report_name", name) == name


@pytest.mark.parametrize("name", ["", ".hidden", "a/b", "../up", "a b", "x" * 101, None, 7, "na\x00me"])
def test_a_record_name_that_is_not_a_plain_file_name_is_refused(name):
    with pytest.raises(CloudflareInputError, match="^report_name must be up to 100 letters, digits"):
        require_record_name("report_name", name)
