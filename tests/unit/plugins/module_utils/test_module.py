# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_module.py: what every module's main() does around its own work. It fails at once without requests, warns of
settings that weaken the connection and of the retries the work needed, and turns a CloudflareError into one
failure line with its structured keys, never a traceback. Through the real main() of the modules."""

from __future__ import annotations

import pytest

try:  # ansible-core 2.19+
    from ansible.module_utils._internal import _traceback
except ImportError:  # older releases add a traceback to a failure from verbosity 3 on
    _traceback = None

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _module
from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_user_info
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.action_group import MODULES, task_on_example_user
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import warning_texts

USER_ID = seeded.EXAMPLE_USER["id"]
USER_PATH = "/accounts/%s/access/users/%s" % (local_api.ACCOUNT_ID, USER_ID)


# --- Without requests ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("module, selection", [
    (module, task_on_example_user(name)) for name, module in MODULES.items()], ids=list(MODULES))
def test_missing_requests_library_is_a_clear_failure(run_module, token_args, fake_api, monkeypatch, module, selection):
    monkeypatch.setattr(_module, "HAS_REQUESTS", False)
    result = run_module(module, dict(token_args, **selection))
    assert fake_api.api_requests() == []
    assert result["failed"] is True
    assert "Failed to import the required Python library (requests)" in result["msg"]


# --- A failure: one line with its keys, no traceback ---------------------------------------------------------------

def test_api_failure_is_one_message_with_structured_keys(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=400)
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    assert result["failed"] is True
    assert result["msg"] == "GET %s failed: HTTP 400: [10400] Bad request (cf-ray %s)" % (USER_PATH, result["cf_ray"])
    assert result["status"] == 400
    assert result["errors"] == [{"code": 10400, "message": "Bad request"}]
    assert (result["method"], result["path"]) == ("GET", USER_PATH)
    assert not result.get("exception")  # no traceback: absent, or empty on ansible-core before 2.19


def test_a_failure_carries_no_traceback_even_when_tracebacks_are_on(run_module, token_args, fake_api, monkeypatch):
    args = dict(token_args, user_id=USER_ID)
    if _traceback is not None:
        monkeypatch.setattr(_traceback, "_is_traceback_enabled", lambda event: True)
    else:
        args["_ansible_verbosity"] = 4
    fake_api.add_fault("status", status=400, times=-1)
    result = run_module(cf_access_user_info, args)
    assert result["failed"] and not result.get("exception")  # absent, or empty on ansible-core before 2.19
    assert result["msg"].startswith("GET /accounts/")


# --- Warnings: settings that weaken the connection, and retries ----------------------------------------------------

def test_turning_tls_verification_off_warns(run_module, token_args):
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID, validate_certs=False))
    assert result["found"] is True
    assert [w for w in warning_texts(result) if w.startswith("validate_certs is false: the API's TLS certificate")]


def test_tls_verification_is_on_by_default_and_silent(run_module, token_args):
    assert cf_access_user_info.ARGUMENT_SPEC["validate_certs"]["default"] is True
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    assert warning_texts(result) == []


def test_retries_are_visible_in_the_result_and_as_a_warning(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=503, retry_after="0", times=2)
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID))
    assert result["found"] is True
    assert result["api_retries"] == ["GET %s: HTTP 503; retried after 0.0 s (Retry-After)" % USER_PATH] * 2
    expected = "2 API requests were retried after transient failures (see api_retries): " + "; ".join(result["api_retries"])
    assert warning_texts(result) == [expected]


def test_the_retry_warning_stays_short_however_many_retries(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=503, retry_after="0", times=12)
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID, retries=20))
    assert len(result["api_retries"]) == 12
    [warning] = warning_texts(result)
    assert warning.startswith("12 API requests were retried after transient failures (see api_retries): ")
    assert warning.endswith("; and 9 more") and warning.count("retried after 0.0 s") == 3


def test_the_retry_warning_adds_no_more_count_when_every_retry_is_quoted(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=503, retry_after="0", times=3)
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID, retries=20))
    [warning] = warning_texts(result)
    assert warning.startswith("3 API requests were retried") and "more" not in warning
    assert warning.count("retried after 0.0 s") == 3


def test_the_retry_warning_counts_the_one_retry_it_does_not_quote(run_module, token_args, fake_api):
    fake_api.add_fault("status", status=503, retry_after="0", times=4)
    result = run_module(cf_access_user_info, dict(token_args, user_id=USER_ID, retries=20))
    [warning] = warning_texts(result)
    assert warning.startswith("4 API requests were retried") and warning.endswith("; and 1 more")
