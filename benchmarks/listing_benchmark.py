# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Whole-account listings: a cf_access_user_info task against the official Python SDK's auto-pagination.

For each account size, starts the local Cloudflare-like API with that many users and a latency per
request like a slow real page (400 ms by default), then runs, alternately and --runs times each:

* ``ansible-playbook`` with one cf_access_user_info task that reads every user and registers them. No
  later task templates the result: in ansible-core 2.19 merely reading a 20,000-user registered result in
  a template costs some 10 s more, whatever module produced it, and that is not the module's time;
* a Python process that lists every user with the ``cloudflare`` SDK (``zero_trust.access.users.list``,
  1,000 per page, auto-pagination): the baseline;
* ``ansible-playbook`` with one task of a throwaway module that sends no request and returns the same
  users from a file through ``AnsibleModule.exit_json``: what ansible-core itself spends on a task that
  returns these users (start-up, the module's start, the no_log scrubbing of the result on exit, the
  controller's handling of it). Added to the request rounds a listing cannot avoid (page 1, then the
  rest 4 at a time), it is the least time any module could take here: the floor.

It prints the median wall time and the peak resident memory of each whole run (the largest process of
the run, from wait4), each time's ratio to the SDK's measured in the same run, the requests each sent,
and the floor. The SDK is a benchmark-only dependency (benchmarks/requirements.txt).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile

from ansible import release as ansible_release

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import local_api  # noqa: E402  pylint: disable=wrong-import-position
from local_api.server import LocalAPI  # noqa: E402  pylint: disable=wrong-import-position
from _playbook import measured  # noqa: E402  pylint: disable=wrong-import-position

MAX_PARALLEL = 4  # the module's MAX_PARALLEL_REQUESTS

PLAY = """
- name: Benchmark
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Every user of the account
      cloudflare_community.zero_trust.cf_access_user_info:
        account_id: {account_id}
        api_url: {api_url}
        api_token: {token}
      register: everyone
"""

CANNED_PLAY = """
- name: Floor
  hosts: localhost
  gather_facts: false
  tasks:
    - name: The same users, from a file, no request
      canned_users:
        path: {path}
        api_token: {token}
      register: everyone
"""

# A throwaway module, written to a temporary library directory: it takes a no_log token like the real one,
# so ansible-core scrubs the same result for the same secret.
CANNED_MODULE = """#!/usr/bin/python
import json
from ansible.module_utils.basic import AnsibleModule
module = AnsibleModule(argument_spec=dict(path=dict(type="str", required=True), api_token=dict(type="str", no_log=True)))
with open(module.params["path"]) as handle:
    module.exit_json(changed=False, **json.load(handle))
"""

SDK = """
import sys
import cloudflare
client = cloudflare.Cloudflare(api_token=sys.argv[2], base_url=sys.argv[1], max_retries=0)
users = [user for user in client.zero_trust.access.users.list(account_id=sys.argv[3], per_page=1000)]
if len(users) != int(sys.argv[4]):
    sys.exit("the SDK listed %d users, not %s" % (len(users), sys.argv[4]))
"""


def written(path, text):
    with open(path, "w") as handle:
        handle.write(text)
    return path


def canned_result(users):
    """What cf_access_user_info returns for these users, minus what the module computes."""
    fields = ("id", "access_seat", "active_device_count", "created_at", "email", "gateway_seat",
              "last_successful_login", "name", "seat_uid", "uid", "updated_at")
    rows = [{field: user.get(field) for field in fields} for user in users]
    return {"users": rows, "found": bool(rows), "missing": [], "changed_users": [], "api_retries": [],
            "summary": {"users": len(rows), "access_seat": sum(1 for row in rows if row["access_seat"])}}


def one_size(users, latency, runs, workdir):
    with LocalAPI(users=users, latency=latency) as server:
        play = written(os.path.join(workdir, "listing_%d.yml" % users),
                       PLAY.format(account_id=local_api.ACCOUNT_ID, api_url=server.api_url, token=local_api.API_TOKEN))
        canned = written(os.path.join(workdir, "canned_%d.json" % users),
                         json.dumps(canned_result(server.accounts[local_api.ACCOUNT_ID])))
        floor_play = written(os.path.join(workdir, "floor_%d.yml" % users), CANNED_PLAY.format(path=canned, token=local_api.API_TOKEN))
        sdk = [sys.executable, "-c", SDK, server.api_url, local_api.API_TOKEN, local_api.ACCOUNT_ID, str(users)]
        env = dict(os.environ, ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_NOCOLOR="1",
                   ANSIBLE_LIBRARY=os.path.join(workdir, "library"))
        approaches = (("sdk", sdk), ("module", ["ansible-playbook", play]), ("core", ["ansible-playbook", floor_play]))
        results = {name: [] for name, _argv in approaches}
        requests_sent = {}
        for _run in range(runs):
            for name, argv in approaches:
                server.clear()
                results[name].append(measured(argv, env)[:2])
                requests_sent[name] = len(server.api_requests())
                if name == "core":
                    continue
                pages = sorted(int(request["query"].get("page", 1)) for request in server.api_requests())
                if pages[:users // 1000] != list(range(1, users // 1000 + 1)):  # every page read, each once
                    sys.exit("%s did not read every page once: %s" % (name, pages))
    return {name: (statistics.median(s for s, _m in rows), max(m for _s, m in rows), requests_sent[name])
            for name, rows in results.items()}


def request_rounds(users):
    """Latencies a listing cannot avoid: page 1, then the pages it announces, MAX_PARALLEL at a time."""
    pages = max(1, math.ceil(users / 1000.0))
    return 1 + math.ceil((pages - 1) / float(MAX_PARALLEL))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sizes", default="5000,20000,50000", help="account sizes (default 5000,20000,50000)")
    parser.add_argument("--latency", type=float, default=0.4, help="seconds per API answer (default 0.4)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each, alternated; medians (default 3)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print("Local API: %.0f ms per request, 1,000 users per page; whole runs, medians of %d, alternated;"
          " ansible-core %s, Python %s." % (args.latency * 1000, args.runs, ansible_release.__version__, sys.version.split()[0]))
    print("%-7s %-30s %9s %10s %9s  %s" % ("users", "approach", "wall (s)", "peak MiB", "requests", "ratio"))
    with tempfile.TemporaryDirectory() as workdir:
        os.mkdir(os.path.join(workdir, "library"))
        written(os.path.join(workdir, "library", "canned_users.py"), CANNED_MODULE)
        for users in sizes:
            row = one_size(users, args.latency, args.runs, workdir)
            sdk_time = row["sdk"][0]
            for name, label in (("sdk", "cloudflare SDK auto-pagination"), ("module", "cf_access_user_info task"),
                                ("core", "ansible-core alone (no request)")):
                seconds, peak, sent = row[name]
                ratio = "baseline" if name == "sdk" else "%.2fx the SDK's time" % (seconds / sdk_time)
                print("%-7d %-30s %9.2f %10.1f %9d  %s" % (users, label, seconds, peak, sent, ratio))
            rounds = request_rounds(users)
            floor = row["core"][0] + rounds * args.latency
            print("%-7d %-30s %9.2f %10s %9s  %.2fx the SDK's time (ansible-core alone + %d request rounds)"
                  % (users, "floor for any module", floor, "", "", floor / sdk_time, rounds))


if __name__ == "__main__":
    main()
