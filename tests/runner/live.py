# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The live tier (docs/live_tests.md): the integration target live_api against a real Cloudflare account, or, with
``local``, against the local API (the proof that the target works before anyone runs it on a real account).

The token goes into the staged copy's integration config only (mode 600), never on a command line or into the
output, and is removed with the staged copy when the run ends, however it ends.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import urllib.request

from . import servers
from .alone import install_get_pip_stand_in

TARGET = "live_api"
PYTHON = "3.11"  # the Python of .venv's ansible-core 2.19, on which the live tier runs
DEFAULT_API_URL = "https://api.cloudflare.com/client/v4"


def call(url, method="GET", token=None):
    request = urllib.request.Request(url, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as answer:  # nosec: the local API only
        body = answer.read()
    return json.loads(body) if body else None


def run(session, stage, local=False, options=()):
    """Run the live tier in the staged copy; ``options``: --fail-after-create (the target fails right after it
    created its user: the cleanup must still delete it, and the run fails), or ansible-test's (-vvv)."""
    fail_after_create = "--fail-after-create" in options
    options = [option for option in options if option != "--fail-after-create"]
    install_get_pip_stand_in(session, stage.home)
    with servers.local_cloudflare(session, users=2500) if local else contextlib.nullcontext() as api:
        if api:  # three pages of users, as a middle-sized account
            account = {"url": api.api_url, "account_id": servers.local_api.ACCOUNT_ID,
                       "token": servers.local_api.API_TOKEN}
        else:
            account = {"url": os.environ.get("CLOUDFLARE_LIVE_API_URL") or DEFAULT_API_URL,
                       "account_id": os.environ["CLOUDFLARE_LIVE_ACCOUNT_ID"],
                       "token": os.environ["CLOUDFLARE_LIVE_API_TOKEN"]}
        config = os.path.join("tests", "integration", "integration_config.yml")
        with open(os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
            json.dump({"cf_live_api_url": account["url"], "cf_live_account_id": account["account_id"],
                       "cf_live_api_token": account["token"], "cf_live_fail_after_create": fail_after_create},
                      handle, indent=2)  # JSON is YAML; ansible-test passes it to the target as extra vars
        users_url = "%s/accounts/%s/access/users?per_page=1" % (account["url"], account["account_id"])
        if api:
            users_before = call(users_url, token=account["token"])["result_info"]["total_count"]
            api.clear()
        session.log("ansible-test integration %s against %s, account %s" % (TARGET, account["url"], account["account_id"]))
        try:
            session.run("ansible-test", "integration", "--venv", "--python", PYTHON, "--color", "no", *options, TARGET,
                        env={name: None for name in ("CLOUDFLARE_LIVE_API_TOKEN",)})
        finally:
            if api:
                methods = collections.Counter(request["method"] for request in api.api_requests())
                users_after = call(users_url, token=account["token"])["result_info"]["total_count"]
                session.log("local API: %d API requests (%s); %d users before the run, %d after" % (
                    sum(methods.values()), ", ".join("%s %d" % item for item in sorted(methods.items())),
                    users_before, users_after))
        if api and users_before != users_after:
            session.error("the run did not leave the account as it found it")
