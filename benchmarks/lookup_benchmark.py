# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cf_access_user_info against ansible.builtin.uri, whole ansible-playbook runs, in one process.

Starts the local Cloudflare-like API with a realistic account (2,500 users by default) and a
per-request latency like a real round trip, then times:

* one user by id: a cf_access_user_info task vs an ansible.builtin.uri task (median of --runs runs);
* 1,000 users by email: one cf_access_user_info task vs ansible.builtin.uri in a loop. The loop is
  measured at two smaller sizes; its cost per email (the slope) gives the 1,000-email estimate.

It prints wall times, the ratios against the uri baseline measured in the same run, and the number
of API requests each approach sent. Run it through scripts/benchmark, which installs the collection.
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
  vars:
    api: {api_url}/accounts/{account_id}/access/users
    auth: {{Authorization: "Bearer {token}"}}
  tasks:
{tasks}
"""

TASKS = {
    "module_one": """
    - name: One user by id with the module
      cloudflare_community.zero_trust.cf_access_user_info:
        account_id: {account_id}
        api_url: {api_url}
        api_token: {token}
        user_id: {user_id}
""",
    "uri_one": """
    - name: One user by id with uri
      ansible.builtin.uri:
        url: "{{{{ api }}}}/{user_id}"
        headers: "{{{{ auth }}}}"
""",
    "module_batch": """
    - name: Many users by email with the module
      cloudflare_community.zero_trust.cf_access_user_info:
        account_id: {account_id}
        api_url: {api_url}
        api_token: {token}
        email: "{{{{ lookup('ansible.builtin.file', '{emails_file}') | from_json }}}}"
""",
    "uri_batch": """
    - name: Many users by email with uri in a loop
      ansible.builtin.uri:
        url: "{{{{ api }}}}?email={{{{ item | urlencode }}}}"
        headers: "{{{{ auth }}}}"
      loop: "{{{{ lookup('ansible.builtin.file', '{emails_file}') | from_json }}}}"
""",
}


def run_playbook(workdir, server, task, **values):
    """Wall seconds and API requests of one ansible-playbook run of ``task``."""
    values.update(api_url=server.api_url, account_id=local_api.ACCOUNT_ID, token=local_api.API_TOKEN)
    path = os.path.join(workdir, "%s.yml" % task)
    with open(path, "w") as handle:
        handle.write(PLAY.format(tasks=TASKS[task].format(**values), **values))
    server.clear()
    elapsed, _output = timed_playbook(path, task)
    return elapsed, len(server.api_requests())


def median_run(workdir, server, task, runs, **values):
    results = [run_playbook(workdir, server, task, **values) for _run in range(runs)]
    return statistics.median(seconds for seconds, _requests in results), results[0][1]


def median_pair(workdir, server, first, second, runs, **values):
    """Medians of two tasks run alternately, so that drift on the machine affects both alike."""
    results = {first: [], second: []}
    for _run in range(runs):
        for task in (first, second):
            results[task].append(run_playbook(workdir, server, task, **values))
    return [(statistics.median(s for s, _r in results[task]), results[task][0][1]) for task in (first, second)]


def write_emails(workdir, users, count, name):
    path = os.path.join(workdir, "%s.json" % name)
    with open(path, "w") as handle:
        json.dump([user["email"] for user in users[:count]], handle)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--users", type=int, default=2500, help="users in the account (default 2500)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per API answer (default 0.05)")
    parser.add_argument("--batch", type=int, default=1000, help="emails in the batch (default 1000)")
    parser.add_argument("--loop-sizes", default="10,40", help="uri loop sizes to measure (default 10,40)")
    parser.add_argument("--runs", type=int, default=9, help="runs per single-lookup median (default 9)")
    args = parser.parse_args()
    small, large = sorted(int(size) for size in args.loop_sizes.split(","))

    with LocalAPI(users=args.users, latency=args.latency) as server, \
            tempfile.TemporaryDirectory() as workdir:
        users = server.accounts[local_api.ACCOUNT_ID][::2]
        user_id = server.accounts[local_api.ACCOUNT_ID][-1]["id"]
        print("Local API: %d users, %.0f ms per request; ansible-playbook wall times, one process."
              % (args.users, args.latency * 1000))

        (uri_one, uri_one_requests), (mod_one, mod_one_requests) = median_pair(
            workdir, server, "uri_one", "module_one", args.runs, user_id=user_id)

        batch_file = write_emails(workdir, users, args.batch, "batch")
        mod_batch, mod_batch_requests = median_run(workdir, server, "module_batch", 3, emails_file=batch_file)
        loop = {}
        for size in (small, large):
            loop[size] = run_playbook(workdir, server, "uri_batch", emails_file=write_emails(workdir, users, size, size))
        per_email = (loop[large][0] - loop[small][0]) / (large - small)
        uri_batch = loop[small][0] + per_email * (args.batch - small)

    bound = min(args.batch, math.ceil(args.users / 1000)) + 1
    rows = [
        ("1 user by id", "ansible.builtin.uri", uri_one, uri_one_requests, "baseline"),
        ("1 user by id", "cf_access_user_info", mod_one, mod_one_requests, "%.2fx the uri time" % (mod_one / uri_one)),
        ("%d by email" % small, "uri loop (measured)", loop[small][0], loop[small][1], ""),
        ("%d by email" % large, "uri loop (measured)", loop[large][0], loop[large][1],
         "%.3f s per email" % per_email),
        ("%d by email" % args.batch, "uri loop (estimated)", uri_batch, args.batch, "baseline"),
        ("%d by email" % args.batch, "cf_access_user_info", mod_batch, mod_batch_requests,
         "%.0fx faster than the uri loop" % (uri_batch / mod_batch)),
    ]
    print("%-16s %-22s %10s %9s  %s" % ("lookup", "approach", "wall (s)", "requests", "ratio"))
    for lookup, approach, seconds, requests_sent, ratio in rows:
        print("%-16s %-22s %10.2f %9d  %s" % (lookup, approach, seconds, requests_sent, ratio))
    print("Request bound for the batch, min(k, ceil(n/1000)) + 1 = %d: %s (%d sent)."
          % (bound, "kept" if mod_batch_requests <= bound else "EXCEEDED", mod_batch_requests))
    print("The uri loop grows linearly: %.2f s fixed + %.3f s per email, one request each "
          "(and no paging, retries or exact email matching)." % (loop[small][0] - per_email * small, per_email))


if __name__ == "__main__":
    main()
