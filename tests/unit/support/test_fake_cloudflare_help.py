# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local API's --help says how to use it: credentials, sample users, control endpoints, every fault kind."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from ansible_collections.cloudflare_community.zero_trust.tests.support import fake_cloudflare as fake


@pytest.fixture(scope="module")
def help_text():
    result = subprocess.run([sys.executable, fake.__file__, "--help"], capture_output=True, text=True, timeout=30,
                            check=True)
    return result.stdout


def test_every_fault_kind_is_described_by_the_comment_on_its_line():
    described = fake.fault_descriptions()
    assert sorted(described) == sorted(fake.FAULT_KINDS)
    assert all(len(text) > 15 for text in described.values())


def test_help_lists_every_fault_kind_with_its_description(help_text):
    for kind, description in fake.fault_descriptions().items():
        assert re.search(r"^  %s +%s" % (re.escape(kind), re.escape(description.split()[0])), help_text, re.M), kind
    assert "(no description" not in help_text


def test_every_option_of_a_fault_is_documented_in_the_list_help_prints(help_text):
    options = [name for name in inspect.signature(fake.Fault).parameters if name != "kind"]
    for name in options:
        # cleandoc: Python 3.13 strips the docstring's indentation at compile time, older releases keep it.
        assert re.search(r"^%s +\S" % name, inspect.cleandoc(fake.Fault.__doc__), re.M), name
        assert re.search(r"^  %s +\S" % name, help_text, re.M), name


def test_help_names_the_credentials_and_the_account(help_text):
    for value in (fake.API_TOKEN, fake.NO_ACCESS_TOKEN, fake.API_KEY, fake.API_EMAIL, fake.ACCOUNT_ID):
        assert value in help_text


def test_help_shows_the_first_sample_users_with_their_seats(help_text):
    assert re.search(r"^  jdoe@example\.com +f174e90a-fafe-4643-bbbc-4a0ed4fc8415 +Jane Doe +seats: Access\+Gateway "
                     r"+last login: 2020-07-01$", help_text, re.M)
    for user in fake.generate_users(fake.SAMPLE_USERS_SHOWN):
        assert "  %s " % user["email"] in help_text and user["id"] in help_text
    assert "with --users 25: 14 Access seats, 16 Gateway seats, 2 users who never logged in" in help_text


def test_the_first_users_are_the_same_whatever_the_number_of_users():
    assert fake.generate_users(2500)[:fake.SAMPLE_USERS_SHOWN] == fake.generate_users(fake.SAMPLE_USERS_SHOWN)


def control_endpoints():
    """The control endpoints the module docstring (the head of --help) lists."""
    return re.findall(r"^    (GET|POST|DELETE) +(/__fake__/\w+)", fake.__doc__, re.M)


def test_every_control_endpoint_help_lists_answers():
    bodies = {"/__fake__/faults": {"kind": "status", "path": "/nowhere"}, "/__fake__/seats": []}
    assert len(control_endpoints()) >= 6
    with fake.FakeCloudflare(users=3) as server:
        for method, path in control_endpoints():
            body = json.dumps(bodies.get(path)).encode() if method == "POST" else None
            request = urllib.request.Request(server.url + path, data=body, method=method)
            with urllib.request.urlopen(request, timeout=10) as answer:
                assert answer.status in (200, 204), (method, path)
        with pytest.raises(urllib.error.HTTPError, match="404"):
            urllib.request.urlopen(server.url + "/__fake__/nothing", timeout=10)
