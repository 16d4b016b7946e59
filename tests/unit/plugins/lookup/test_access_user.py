# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The access_user lookup's real run(), loaded by Ansible's plugin loader, against the local API: one item per term in
term order, on_missing and its stand-ins, terms and options checked before any request, the client's one-line
failures, and its documentation. (Where its options come from: tests/unit/plugins/plugin_utils/.)"""

from __future__ import annotations

import json
import sys

import pytest

from ansible.errors import AnsibleError, AnsibleLookupError
from ansible.plugins.loader import fragment_loader
from ansible.utils.plugin_docs import get_docstring

from ansible_collections.cloudflare_community.zero_trust.plugins.lookup import access_user as access_user_plugin
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import COMMON_ARGSPEC
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import token_args_for
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded

USER_ID = seeded.EXAMPLE_USER["id"]
EMAIL = seeded.EXAMPLE_USER["email"]
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def user(server, index):
    return server.accounts[local_api.ACCOUNT_ID][index]


# --- results -------------------------------------------------------------------------------------------

def test_one_email_gives_the_api_user_with_one_request(access_user, token_vars, fake_api):
    # The exact address, not the API's email search (which also finds john.jdoe@example.com).
    assert access_user.run([EMAIL], variables=token_vars) == [seeded.EXAMPLE_USER]
    requests = fake_api.api_requests()
    assert len(requests) == 1
    assert requests[0]["query"]["email"] == EMAIL
    assert fake_api.auth_headers_seen == [{"Authorization": "Bearer " + local_api.API_TOKEN}]


def test_one_id_reads_the_user_by_its_path(access_user, token_vars, fake_api):
    assert access_user.run([USER_ID.upper()], variables=token_vars) == [seeded.EXAMPLE_USER]
    assert [request["path"] for request in fake_api.api_requests()] == [
        "/client/v4/accounts/%s/access/users/%s" % (local_api.ACCOUNT_ID, USER_ID)]


def test_results_follow_the_terms_order_with_ids_and_emails_mixed(access_user, token_vars, fake_api):
    third, fifth = user(fake_api, 3), user(fake_api, 5)
    terms = [fifth["email"].upper(), USER_ID, third["email"], fifth["id"]]
    assert access_user.run(terms, variables=token_vars) == [fifth, seeded.EXAMPLE_USER, third, fifth]
    # Two planned batches, two ids and two emails, both answered from the one page of the account, read once.
    assert [request["query"] for request in fake_api.api_requests()] == [dict(page="1", per_page="1000")]


def test_a_list_given_as_one_term_counts_as_its_items(access_user, token_vars, fake_api):
    emails = [user(fake_api, index)["email"] for index in (2, 4)]
    assert access_user.run([emails], variables=token_vars) == [user(fake_api, 2), user(fake_api, 4)]


def test_a_repeated_term_gives_its_user_again_for_one_request(access_user, token_vars, fake_api):
    assert access_user.run([EMAIL, EMAIL.upper()], variables=token_vars) == [seeded.EXAMPLE_USER] * 2
    assert len(fake_api.api_requests()) == 1


def test_no_terms_no_request(access_user, token_vars, fake_api):
    assert access_user.run([], variables=token_vars) == []
    assert fake_api.api_requests() == []


def test_a_thousand_emails_take_the_planned_requests(access_user, big_api):
    users = big_api.accounts[local_api.ACCOUNT_ID][::2][:1000]
    variables = dict(cloudflare_api_token=local_api.API_TOKEN, cloudflare_account_id=local_api.ACCOUNT_ID,
                     cloudflare_api_url=big_api.api_url)
    assert access_user.run([entry["email"] for entry in users], variables=variables) == users
    # 2,500 users are 3 pages of 1,000: the first page, then the other two; the bound is min(k, 3) + 1.
    assert len(big_api.api_requests()) == 3


# --- on_missing ------------------------------------------------------------------------------------------

STAND_INS = "each gives a stand-in with missing: true and no seats"


def test_missing_terms_fail_by_default_naming_them_and_on_missing(access_user, token_vars):
    with pytest.raises(AnsibleLookupError) as failure:
        access_user.run([EMAIL, "nobody@example.com", UNKNOWN_ID], variables=token_vars)
    assert str(failure.value) == ("no Access user for 2 of 3 terms: nobody@example.com, %s (on_missing=error; with "
                                  "warn or skip %s)" % (UNKNOWN_ID, STAND_INS))


def test_many_missing_terms_are_counted_after_twenty(access_user, token_vars):
    terms = ["nobody%d@example.com" % number for number in range(25)]
    with pytest.raises(AnsibleLookupError, match=r"^no Access user for 25 of 25 terms: nobody0@example.com, .*"
                                                 r"nobody19@example.com and 5 more \(on_missing=error; "):
        access_user.run(terms, variables=token_vars)


def test_on_missing_warn_gives_a_stand_in_in_the_terms_place_and_says_so(access_user, token_vars, display_warnings):
    result = access_user.run(["Nobody@example.com", EMAIL], variables=token_vars, on_missing="warn")
    assert result == [{"missing": True, "email": "Nobody@example.com", "access_seat": False, "gateway_seat": False,
                       "active_device_count": 0}, seeded.EXAMPLE_USER]
    assert ("no Access user for 1 of 2 terms: Nobody@example.com; each gives a stand-in with missing: true and no "
            "seats (on_missing=warn)") in display_warnings()


def test_on_missing_skip_gives_a_stand_in_silently(access_user, token_vars, display_warnings):
    result = access_user.run([UNKNOWN_ID.upper(), EMAIL], variables=token_vars, on_missing="skip")
    assert result == [{"missing": True, "id": UNKNOWN_ID.upper(), "access_seat": False, "gateway_seat": False,
                       "active_device_count": 0}, seeded.EXAMPLE_USER]
    assert "no Access user" not in display_warnings()


def test_a_stand_in_keeps_positions_and_is_filtered_by_its_missing_key(access_user, token_vars):
    terms = ["nobody@example.com", EMAIL, "nobody@example.com", USER_ID]
    result = access_user.run(terms, variables=token_vars, on_missing="skip")
    assert len(result) == len(terms)
    assert [item for item in result if "missing" not in item] == [seeded.EXAMPLE_USER, seeded.EXAMPLE_USER]
    assert not any(item["gateway_seat"] or item["access_seat"] for item in result if item.get("missing"))


def test_an_email_of_several_users_is_refused_as_by_the_modules(access_user, token_vars, fake_api):
    twin = dict(seeded.EXAMPLE_USER, id="11111111-1111-4111-8111-111111111111", email="JDoe@example.com")
    fake_api.accounts[local_api.ACCOUNT_ID].append(twin)
    try:
        with pytest.raises(AnsibleLookupError) as failure:
            access_user.run([EMAIL], variables=token_vars, on_missing="skip")
    finally:
        fake_api.accounts[local_api.ACCOUNT_ID].remove(twin)
    assert str(failure.value) == ("2 users have the email jdoe@example.com (in different letter case): %s, %s; name "
                                  "the one meant with user_id" % (twin["id"], USER_ID))


def test_an_answer_about_another_user_is_refused(access_user, token_vars, fake_api):
    fake_api.add_fault("after_processing", answer="other_user", method="GET", path=USER_ID)
    with pytest.raises(AnsibleLookupError, match=r"the API answered success, but its answer is about another user "
                                                 r"\(id [0-9a-f-]+\), not %s: refused$" % USER_ID):
        access_user.run([USER_ID], variables=token_vars)


def test_on_missing_refuses_other_values(access_user, token_vars, fake_api):
    with pytest.raises(AnsibleError, match="on_missing"):
        access_user.run([EMAIL], variables=token_vars, on_missing="ignore")
    assert fake_api.api_requests() == []


@pytest.mark.parametrize("keyword", ["acount_id", "on_mising", "api_tokn"])
def test_an_unknown_keyword_is_refused_naming_the_keywords(access_user, token_vars, fake_api, keyword):
    with pytest.raises(AnsibleLookupError) as failure:
        access_user.run([EMAIL], variables=token_vars, **{keyword: "warn"})
    keywords = sorted(["on_missing", "account_email", "account_api_key"] + list(COMMON_ARGSPEC))
    assert str(failure.value) == "the access_user lookup has no keyword %s; its keywords are %s" % (
        keyword, ", ".join(keywords))
    assert fake_api.api_requests() == []


def test_the_keywords_include_the_aliases_of_the_modules(access_user, fake_api):
    keywords = dict(account_id=local_api.ACCOUNT_ID, api_url=fake_api.api_url, account_email=local_api.API_EMAIL,
                    account_api_key=local_api.API_KEY)
    assert access_user.run([EMAIL], **keywords) == [seeded.EXAMPLE_USER]


# --- bad input fails before any request, and never shows a secret ---------------------------------------

@pytest.mark.parametrize("options, message", [
    (dict(api_email=local_api.API_EMAIL, api_key=local_api.API_KEY), "use either api_token or api_email with api_key, not both"),
    (dict(api_token=None), "no credentials: set api_token"),
    (dict(api_token=None, api_email=local_api.API_EMAIL), "api_email is set but api_key is not: the global API key needs "
                                                          "both; set api_key (or the variable cloudflare_api_key, or the "
                                                          "environment variable CLOUDFLARE_API_KEY)"),
    (dict(api_token=local_api.API_TOKEN + "\r\nX-Injected: yes"), "api_token contains spaces, control characters"),
    (dict(account_id="../../zones"), "account_id must be a Cloudflare account identifier"),
    (dict(api_url="http://example.com/client/v4"), "api_url uses plain http to example.com"),
    (dict(timeout=0), "timeout must be a number of seconds above 0"),
    (dict(request_budget=100001), "request_budget must be between 1 and 100000"),
    (dict(pacing_timeout=-1), "pacing_timeout must be a number of seconds from 0"),
])
def test_bad_options_fail_before_any_request(access_user, fake_api, options, message):
    keywords = token_args_for(fake_api, **options)
    keywords = {name: value for name, value in keywords.items() if value is not None}
    with pytest.raises(AnsibleLookupError) as failure:
        access_user.run([EMAIL], **keywords)
    assert message in str(failure.value)
    assert local_api.API_TOKEN not in str(failure.value) and local_api.API_KEY not in str(failure.value)
    assert fake_api.api_requests() == []


@pytest.mark.parametrize("term", ["jdoe", "jdoe@example.com\r\nX-Injected: yes", "a b@example.com", "", 42,
                                  "f174e90a-fafe-4643-bbbc-4a0ed4fc841"])
def test_a_term_that_is_neither_an_email_nor_an_id_fails_before_any_request(access_user, token_vars, fake_api, term):
    with pytest.raises(AnsibleLookupError, match=r"^term 2 must be an email address .*; a term is an email address "
                                                 r"or a user id \(UUID\)$"):
        access_user.run([EMAIL, term], variables=token_vars)
    assert fake_api.api_requests() == []


# --- API failures: the client's one line ---------------------------------------------------------------

def test_a_refused_token_fails_with_status_codes_and_cf_ray(access_user, token_vars, fake_api):
    variables = dict(token_vars, cloudflare_api_token=local_api.NO_ACCESS_TOKEN)
    with pytest.raises(AnsibleLookupError) as failure:
        access_user.run([USER_ID], variables=variables)
    message = str(failure.value)
    assert message.startswith("GET /accounts/%s/access/users/%s failed: HTTP 403: [10000] Authentication error (cf-ray "
                              % (local_api.ACCOUNT_ID, USER_ID))
    assert message.endswith("; the API token lacks the permission 'Access: Audit Logs Read' on the account, or the "
                            "token or account_id is wrong")
    assert "\n" not in message and local_api.NO_ACCESS_TOKEN not in message
    assert failure.value.__cause__ is None and failure.value.__suppress_context__


def test_transient_failures_are_retried_with_a_warning(access_user, token_vars, fake_api, display_warnings):
    fake_api.add_fault("status", status=503, retry_after=0, times=1)
    assert access_user.run([EMAIL], variables=token_vars) == [seeded.EXAMPLE_USER]
    assert "HTTP 503; retried after 0.0 s (Retry-After)" in display_warnings()
    assert len(fake_api.api_requests()) == 2


def test_the_request_budget_stops_a_lookup(access_user, big_api):
    variables = dict(cloudflare_api_token=local_api.API_TOKEN, cloudflare_account_id=local_api.ACCOUNT_ID,
                     cloudflare_api_url=big_api.api_url, cloudflare_request_budget=2)
    emails = [entry["email"] for entry in big_api.accounts[local_api.ACCOUNT_ID][-100:]]
    # Page 1 announces 3 pages: the 2 left would exceed the budget, so the lookup fails before sending them.
    with pytest.raises(AnsibleLookupError, match=r"reading the 2 remaining pages of .* takes 2 more API requests "
                                                 r"\(1 sent so far\), more than request_budget allows \(2\)"):
        access_user.run(emails, variables=variables)
    assert len(big_api.api_requests()) == 1


@pytest.mark.parametrize("credentials, secret", [
    (dict(cloudflare_api_token=local_api.API_TOKEN), local_api.API_TOKEN),
    (dict(cloudflare_api_email=local_api.API_EMAIL, cloudflare_api_key=local_api.API_KEY), local_api.API_KEY),
])
@pytest.mark.parametrize("body", ["json", "html"])
def test_a_secret_the_server_echoes_is_masked_in_the_failure(access_user, fake_api, credentials, secret, body):
    variables = dict(credentials, cloudflare_account_id=local_api.ACCOUNT_ID, cloudflare_api_url=fake_api.api_url)
    fake_api.add_fault("echo_auth", status=400, body=body)
    with pytest.raises(AnsibleLookupError) as failure:
        access_user.run([USER_ID], variables=variables)
    message = str(failure.value)
    assert secret not in message and "********" in message
    assert message.startswith("GET /accounts/%s/access/users/%s failed: HTTP 400: " % (local_api.ACCOUNT_ID, USER_ID))


def test_validate_certs_off_warns(access_user, token_vars, display_warnings):
    assert access_user.run([EMAIL], variables=token_vars, validate_certs=False) == [seeded.EXAMPLE_USER]
    assert "validate_certs is false" in display_warnings()


def test_without_requests_the_lookup_names_the_controller_python_to_install_it_in(access_user, token_vars, fake_api,
                                                                                  monkeypatch):
    monkeypatch.setattr(access_user_plugin, "HAS_REQUESTS", False)
    with pytest.raises(AnsibleLookupError) as failure:
        access_user.run([EMAIL], variables=token_vars)
    assert str(failure.value) == access_user_plugin.REQUESTS_MISSING % sys.executable
    assert "pipx inject ansible-core requests" in str(failure.value)
    assert fake_api.api_requests() == []


# --- documentation ---------------------------------------------------------------------------------------

def test_the_documentation_shows_only_what_the_lookup_takes():
    doc = get_docstring(access_user_plugin.__file__, fragment_loader, plugin_type="lookup",
                        collection_name="cloudflare_community.zero_trust")[0]
    assert sorted(doc["options"]) == sorted(["_terms", "on_missing"] + list(COMMON_ARGSPEC))
    options_text = json.dumps(doc["options"])
    for module_only in ("api_retries", "ignore:", "module_defaults", "The module"):  # ignore: marks what it lacks
        assert module_only not in options_text
    assert [entry["name"] for entry in doc["options"]["api_token"]["env"]] == ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_TOKEN"]
    assert doc["requirements"] == [requirement for requirement in doc["requirements"] if "controller" in requirement]
