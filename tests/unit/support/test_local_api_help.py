# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local API's --help says how to use it: credentials, sample users, control endpoints, every fault kind."""

from __future__ import annotations

import inspect
import itertools
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import cli, faults, routes, seeded, server

PACKAGE_DIR = os.path.dirname(os.path.abspath(local_api.__file__))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(PACKAGE_DIR, *[os.pardir] * 6))


@pytest.fixture(scope="module")
def help_text():
    """--help as the scripts run it: the package's directory given to Python."""
    result = subprocess.run([sys.executable, PACKAGE_DIR, "--help"], capture_output=True, text=True, timeout=30,
                            check=True)
    return result.stdout


def test_help_is_the_same_when_run_as_a_module(help_text):
    environment = dict(os.environ, PYTHONPATH=COLLECTIONS_ROOT)
    result = subprocess.run([sys.executable, "-m", local_api.__name__, "--help"], capture_output=True, text=True,
                            timeout=30, check=True, env=environment, cwd=COLLECTIONS_ROOT)
    assert result.stdout == help_text


def test_every_fault_kind_says_what_it_does_and_what_its_options_mean():
    groups = [group for group, _heading in faults.GROUPS]
    for name, kind in faults.KINDS.items():
        assert kind.name == name and kind.group in groups, name
        assert len(kind.does) > 15, name
        assert all(len(meaning) > 10 for _default, _read, meaning in kind.options.values()), name


def entry(help_text, kind):
    """The lines --help gives a fault kind: its name and description, then its options, each on lines of its own."""
    lines = help_text.split("\n    %s " % kind, 1)[1].splitlines()
    return [lines[0]] + list(itertools.takewhile(lambda line: line.startswith(" " * 6), lines[1:]))


def test_help_lists_every_fault_kind_with_its_description_and_options(help_text):
    for name, kind in faults.KINDS.items():
        assert re.search(r"^    %s +%s" % (re.escape(name), re.escape(kind.does.split()[0])), help_text, re.M), name
        options = [line.split()[1] for line in entry(help_text, name)[1:] if line.startswith("      - ")]
        assert options == list(kind.options), name


def test_the_options_every_fault_takes_are_documented_in_the_list_help_prints(help_text):
    options = [name for name in inspect.signature(faults.Fault).parameters if name != "options"]
    assert options == ["times", "after", "path", "method"]
    for name in options:
        assert re.search(r"^%s +\S" % name, inspect.cleandoc(faults.Fault.__doc__), re.M), name
        assert re.search(r"^  %s +\S" % name, help_text, re.M), name


def test_a_fault_refuses_an_option_of_another_kind_and_an_unknown_kind():
    with pytest.raises(ValueError, match="fault status has no option answer; its own: status, body, retry_after"):
        faults.make("status", answer="lose")
    with pytest.raises(ValueError, match="unknown fault kind 'nope'"):
        faults.make("nope")
    with pytest.raises(ValueError, match="fault after_processing needs answer"):
        faults.make("after_processing")
    assert faults.make("status", times="2", status="503").status == 503


def test_help_names_the_credentials_and_the_account(help_text):
    for value in (local_api.API_TOKEN, local_api.NO_ACCESS_TOKEN, local_api.API_KEY, local_api.API_EMAIL,
                  local_api.ACCOUNT_ID):
        assert value in help_text


def test_help_shows_the_first_sample_users_with_their_seats(help_text):
    assert re.search(r"^  jdoe@example\.com +f174e90a-fafe-4643-bbbc-4a0ed4fc8415 +Jane Doe +seats: Access\+Gateway "
                     r"+last login: 2020-07-01$", help_text, re.M)
    for user in seeded.users(cli.SAMPLE_USERS_SHOWN):
        assert "  %s " % user["email"] in help_text and user["id"] in help_text
    assert "with --users 25: 14 Access seats, 16 Gateway seats, 2 users who never logged in" in help_text


def test_help_says_what_reset_restores(help_text):
    assert "the seeded state (POST /__fake__/reset or LocalAPI.reset(), also at the start):" in help_text
    assert "the seeded users" in help_text and "no fault, empty request logs" in help_text


def test_the_first_users_are_the_same_whatever_the_number_of_users():
    assert seeded.users(2500)[:cli.SAMPLE_USERS_SHOWN] == seeded.users(cli.SAMPLE_USERS_SHOWN)


def test_help_lists_every_operation_of_the_route_table_under_served_or_not(help_text):
    served, not_served = help_text.split("\n  not served: 404 [7003] No route for the URI:\n")
    for route in routes.ROUTES:
        line = r"^    %s +%s +%s$" % (route.method, re.escape(route.template[len(routes.ACCOUNT):]), re.escape(route.operation))
        listed = not_served.split("\n\n")[0] if route.handler is routes.NOT_SERVED else served.split("\n  served:\n")[1]
        assert re.search(line, listed, re.M), (route.method, route.template)


def test_every_control_endpoint_help_lists_answers(help_text):
    jdoe = {"email": "jdoe@example.com"}
    bodies = {"/faults": {"kind": "status", "path": "/nowhere"}, "/seats": [], "/access_requests": jdoe,
              "/audit_logs": jdoe, "/risk": jdoe}
    assert len(server.CONTROL_ENDPOINTS) >= 10
    with server.LocalAPI(users=3) as api:
        for method, path, _does, _member, _handler in server.CONTROL_ENDPOINTS:
            assert re.search(r"^    %s +/__fake__%s " % (method, path), help_text, re.M), (method, path)
            body = json.dumps(bodies.get(path)).encode() if method == "POST" else None
            request = urllib.request.Request(api.url + "/__fake__" + path, data=body, method=method)
            with urllib.request.urlopen(request, timeout=10) as answer:
                assert answer.status in (200, 204), (method, path)
        with pytest.raises(urllib.error.HTTPError, match="404"):
            urllib.request.urlopen(api.url + "/__fake__/nothing", timeout=10)
