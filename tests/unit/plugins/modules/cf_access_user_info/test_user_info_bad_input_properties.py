# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generated argument sets against the real main() and the local API.

Whatever the arguments, cf_access_user_info either fails with a clear message before sending anything,
or sends only requests whose path, query and headers are exactly what the arguments allow; and no
token or key ever appears in its output.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_user_info
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import leaks

# Generated argument sets per property (docs/docsite/rst/fault_matrix.rst states the total).
ARGUMENT_SETS = 1000
PROPERTIES = 2

UUID = seeded.EXAMPLE_USER["id"]
PATH_RE = re.compile(r"/client/v4/accounts/(?P<account>[0-9a-fA-F]{1,32})/access/users"
                     r"(?:/(?P<user>[0-9a-f-]{36})(?:/(?P<related>active_sessions|failed_logins|last_seen_identity))?)?\Z")
ALLOWED_QUERY = {"page", "per_page", "email", "name", "search"}
STANDARD_HEADERS = {"Host", "User-Agent", "Accept-Encoding", "Accept", "Connection"}

TRICKS = [
    "j\u2603@example.com", "jdoe@exämple.com",
    "", " ", ".", "..", "/", "../..", "%2e%2e", "%2F", "a/b", "a?b=c", "a#b", "a\r\nX-Injected: 1", "a\nb", "\x00",
    "\x7f", "ａｂｃ", "\u202eevil", "😀", UUID + "/active_sessions", UUID + "/../../x", "../" + UUID, UUID.upper(),
    UUID + "\n", local_api.ACCOUNT_ID + "/../other", " " + local_api.ACCOUNT_ID, local_api.ACCOUNT_ID + "0", "x" * 5000,
    "https://evil.example.com", "http://127.0.0.1:1/x", "${jndi:ldap://x}", "{{ lookup('env', 'HOME') }}",
]
text = st.one_of(st.sampled_from(TRICKS), st.text(max_size=60), st.text(min_size=200, max_size=2000))
wrong_type = st.one_of(st.integers(), st.booleans(), st.floats(allow_nan=False), st.none(),
                       st.lists(st.text(max_size=8), max_size=3), st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2))
anything = st.one_of(text, wrong_type)
secret = st.one_of(st.just("SECRET-" + "k" * 30), text.map(lambda value: "SECRET-" + value), anything)


def mostly(valid, otherwise):
    """The valid value three times in four, so that many generated sets get as far as sending requests."""
    return st.tuples(st.booleans(), st.booleans()).flatmap(lambda bits: otherwise if all(bits) else st.just(valid))


@st.composite
def argument_sets(draw):
    args = {"api_url": draw(mostly("{api_url}", anything)),
            "account_id": draw(mostly(local_api.ACCOUNT_ID, anything)),
            "retries": 0, "timeout": draw(mostly(5, anything))}
    selector = draw(st.sampled_from(["user_id", "user_id", "email", "email", "name", "search", "none", "two"]))
    if selector in ("user_id", "two"):
        args["user_id"] = draw(mostly(UUID, st.one_of(st.lists(st.one_of(st.just(UUID), text), max_size=4), anything)))
    if selector in ("email", "two"):
        args["email"] = draw(mostly("jdoe@example.com", st.one_of(st.lists(text, max_size=3), anything)))
    if selector in ("name", "search"):
        args[selector] = draw(anything)
    auth = draw(st.sampled_from(["token", "token", "key", "key", "both", "none", "email_only"]))
    if auth in ("token", "both"):
        args["api_token"] = draw(mostly(local_api.API_TOKEN, secret))
    if auth in ("key", "both", "email_only"):
        args["api_email"] = draw(mostly(local_api.API_EMAIL, anything))
    if auth in ("key", "both"):
        args["api_key"] = draw(mostly(local_api.API_KEY, secret))
    if draw(st.booleans()):
        args["include"] = draw(mostly(["last_seen_identity"], anything))
    return args


def _with_url(args, server):
    return {key: (server.api_url if value == "{api_url}" else value) for key, value in args.items()}


def _secrets(args):
    """Secret values long and distinctive enough to search the output for."""
    return [value for key, value in args.items()
            if key in ("api_token", "api_key") and isinstance(value, str) and value.startswith("SECRET-") and len(value) > 10]


def _check_requests(args, server):
    """Each request is exactly what the arguments allow."""
    for request, auth in zip(server.api_requests(), server.auth_headers_seen):
        match = PATH_RE.match(request["path"])
        assert match, request["path"]
        assert match.group("account") == str(args["account_id"])
        if match.group("user") and not match.group("related"):
            asked = args.get("user_id") if isinstance(args.get("user_id"), list) else [args.get("user_id")]
            assert match.group("user") in [str(value).lower() for value in asked]
        if match.group("related"):  # only for users the API returned, and only what include asked for
            assert match.group("user") in [user["id"] for user in server.accounts[local_api.ACCOUNT_ID]]
            assert match.group("related") in args["include"]
        assert set(request["query"]) <= ALLOWED_QUERY
        if "Authorization" in auth:
            assert auth == {"Authorization": "Bearer %s" % args["api_token"]}
            assert set(request["headers"]) == STANDARD_HEADERS | {"Authorization"}
        else:
            # Ansible turns a number given for a str option into its text: that text is what is sent.
            assert auth == {"X-Auth-Email": str(args["api_email"]), "X-Auth-Key": str(args["api_key"])}
            assert set(request["headers"]) == STANDARD_HEADERS | {"X-Auth-Email", "X-Auth-Key"}


@settings(max_examples=ARGUMENT_SETS, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(args=argument_sets())
def test_any_arguments_fail_cleanly_or_send_exactly_what_they_allow(run_module, fake_server, args):
    fake_server.clear()
    args = _with_url(args, fake_server)
    result = run_module(cf_access_user_info, args)
    for value in _secrets(args):
        assert not leaks(value, result)
    assert not leaks("Traceback", result)
    if result.get("failed"):
        assert isinstance(result["msg"], str) and result["msg"].strip()
    if not fake_server.api_requests():
        event("refused before any request")
        assert result.get("failed"), "no request sent, yet no failure: %r" % result
        return
    event("sent requests, then %s" % ("failed" if result.get("failed") else "succeeded"))
    _check_requests(args, fake_server)


header_breakers = st.builds(lambda head, breaker, tail: head + breaker + tail,
                            st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=40),
                            st.sampled_from(["\r\n", "\n", "\r", "\r\nX-Injected: yes\r\n", "\x00", "\t", " "]),
                            st.text(max_size=40))


@settings(max_examples=ARGUMENT_SETS, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=header_breakers, where=st.sampled_from(["api_token", "api_key", "api_email"]))
def test_credentials_that_could_break_a_header_are_refused_before_any_request(run_module, fake_server, value, where):
    fake_server.clear()
    args = {"account_id": local_api.ACCOUNT_ID, "api_url": fake_server.api_url, "user_id": UUID, "retries": 0}
    if where == "api_token":
        args["api_token"] = value
    else:
        args.update(api_email=local_api.API_EMAIL, api_key=local_api.API_KEY)
        args[where] = value
    result = run_module(cf_access_user_info, args)
    assert result["failed"] is True
    assert fake_server.api_requests() == []
    if "\x00" not in value:  # ansible-core 2.20+ refuses a NUL itself, while logging the arguments to syslog
        # Ansible masks a no_log value wherever it shows, even inside the option's name ("y " in "api_key contains")
        assert where in result["msg"].replace("********", value)
    if where != "api_email" and len(value) > 8:  # the email is no secret; the token and key are
        assert not leaks(value, result)
