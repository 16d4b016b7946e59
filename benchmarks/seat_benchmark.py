# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_seat against an ansible.builtin.uri loop, whole ansible-playbook runs, in one process.

Starts the local Cloudflare-like API with a realistic account (2,500 users by default) and a
per-request latency like a real round trip, then times freeing both seats of 1,000 users by email:

* one cf_access_seat task (median of --runs runs; the seats are given back before each run);
* ansible.builtin.uri in a loop, one PATCH per user, as a playbook without the module would send it.
  The loop is measured at two smaller sizes; its cost per user (the slope) gives the 1,000-user
  estimate. It is the cheapest possible loop: it knows every seat_uid already and reads nothing.

It prints wall times, the ratio against the uri loop measured in the same run, and the number of API
requests each approach sent. Run it through `scripts/benchmark seat`, which installs the collection.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import local_api  # noqa: E402  pylint: disable=wrong-import-position
from local_api.server import LocalAPI  # noqa: E402  pylint: disable=wrong-import-position
from _playbook import timed_playbook  # noqa: E402  pylint: disable=wrong-import-position

PLAY = """
- name: Benchmark
  hosts: localhost
  gather_facts: false
  tasks:
{tasks}
"""

TASKS = {
    "module": """
    - name: Free the seats of many users by email with the module
      cloudflare_community.zero_trust.cf_access_seat:
        account_id: {account_id}
        api_url: {api_url}
        api_token: {token}
        email: "{{{{ lookup('ansible.builtin.file', '{users_file}') | from_json | map(attribute='email') }}}}"
        access_seat: false
        gateway_seat: false
""",
    "uri": """
    - name: Free the seats of many users with uri in a loop, one PATCH each
      ansible.builtin.uri:
        url: {api_url}/accounts/{account_id}/access/seats
        method: PATCH
        headers:
          Authorization: "Bearer {token}"
        body_format: json
        body: [{{seat_uid: "{{{{ item.seat_uid }}}}", access_seat: false, gateway_seat: false}}]
      loop: "{{{{ lookup('ansible.builtin.file', '{users_file}') | from_json }}}}"
""",
}


def run_playbook(workdir, server, task, users):
    """Wall seconds and API requests of one ansible-playbook run of ``task`` on ``users`` (on the seeded account)."""
    server.reset()
    users_file = os.path.join(workdir, "%s-%d.json" % (task, len(users)))
    with open(users_file, "w") as handle:
        json.dump([{"email": user["email"], "seat_uid": user["seat_uid"]} for user in users], handle)
    values = dict(api_url=server.api_url, account_id=local_api.ACCOUNT_ID, token=local_api.API_TOKEN, users_file=users_file)
    path = os.path.join(workdir, "%s.yml" % task)
    with open(path, "w") as handle:
        handle.write(PLAY.format(tasks=TASKS[task].format(**values)))
    elapsed, _output = timed_playbook(path, task)
    return elapsed, server.api_requests()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--users", type=int, default=2500, help="users in the account (default 2500)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per API answer (default 0.05)")
    parser.add_argument("--batch", type=int, default=1000, help="users whose seats are freed (default 1000)")
    parser.add_argument("--loop-sizes", default="10,40", help="uri loop sizes to measure (default 10,40)")
    parser.add_argument("--runs", type=int, default=3, help="runs of the module for its median (default 3)")
    args = parser.parse_args()
    small, large = sorted(int(size) for size in args.loop_sizes.split(","))

    with LocalAPI(users=args.users, latency=args.latency) as server, \
            tempfile.TemporaryDirectory() as workdir:
        seeded = [dict(user) for user in server.accounts[local_api.ACCOUNT_ID]]
        batch = seeded[::2][:args.batch]
        holders = [user for user in batch if user["access_seat"] or user["gateway_seat"]]
        print("Local API: %d users, %.0f ms per request; ansible-playbook wall times, one process."
              % (args.users, args.latency * 1000))

        module_runs = [run_playbook(workdir, server, "module", batch) for _run in range(args.runs)]
        module_seconds = statistics.median(seconds for seconds, _log in module_runs)
        module_log = module_runs[0][1]
        loop = {size: run_playbook(workdir, server, "uri", holders[:size]) for size in (small, large)}

    per_user = (loop[large][0] - loop[small][0]) / (large - small)
    uri_seconds = loop[small][0] + per_user * (len(holders) - small)
    reads = sum(1 for request in module_log if request["method"] == "GET")
    patches = sum(1 for request in module_log if request["method"] == "PATCH")
    bound = "at most 4 reads + ceil(%d/50) = %d PATCHes" % (len(holders), math.ceil(len(holders) / 50))
    rows = [
        ("uri loop (measured)", "%d holders" % small, loop[small][0], len(loop[small][1]), ""),
        ("uri loop (measured)", "%d holders" % large, loop[large][0], len(loop[large][1]), "%.3f s per user" % per_user),
        ("uri loop (estimated)", "%d holders" % len(holders), uri_seconds, len(holders), "baseline"),
        ("cf_access_seat", "%d by email" % len(batch), module_seconds, len(module_log),
         "%.0fx faster than the uri loop" % (uri_seconds / module_seconds)),
    ]
    print("%-22s %-16s %10s %9s  %s" % ("approach", "users", "wall (s)", "requests", "ratio"))
    for approach, users, seconds, requests_sent, ratio in rows:
        print("%-22s %-16s %10.2f %9d  %s" % (approach, users, seconds, requests_sent, ratio))
    print("cf_access_seat sent %d reads and %d PATCHes (%s): %s." % (
        reads, patches, bound, "kept" if reads <= 4 and patches == math.ceil(len(holders) / 50) else "EXCEEDED"))
    print("Of the %d users, %d hold a seat; the uri loop sends one PATCH per holder and reads nothing "
          "(it needs every seat_uid beforehand)." % (len(batch), len(holders)))


if __name__ == "__main__":
    main()
