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
  1,000 per page, auto-pagination): the baseline.

It prints the median wall time and the peak resident memory of each whole run (the largest process of
the run, from wait4), the ratio of the module's time to the SDK's measured in the same run, and the
requests each sent. The SDK is a benchmark-only dependency (benchmarks/requirements.txt).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import fake_cloudflare as fake  # noqa: E402  pylint: disable=wrong-import-position

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

SDK = """
import sys
import cloudflare
client = cloudflare.Cloudflare(api_token=sys.argv[2], base_url=sys.argv[1], max_retries=0)
users = [user for user in client.zero_trust.access.users.list(account_id=sys.argv[3], per_page=1000)]
if len(users) != int(sys.argv[4]):
    sys.exit("the SDK listed %d users, not %s" % (len(users), sys.argv[4]))
"""


def measured(argv, env=None):
    """Wall seconds and peak RSS (MiB) of one command, its children included."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit("%s failed:\n%s" % (" ".join(argv[:2]), output.decode(errors="replace")[-3000:]))
    return elapsed, usage.ru_maxrss / 1024.0


def one_size(users, latency, runs, workdir):
    with fake.FakeCloudflare(users=users, latency=latency) as server:
        play = os.path.join(workdir, "listing_%d.yml" % users)
        with open(play, "w") as handle:
            handle.write(PLAY.format(account_id=fake.ACCOUNT_ID, api_url=server.api_url, token=fake.API_TOKEN))
        sdk = [sys.executable, "-c", SDK, server.api_url, fake.API_TOKEN, fake.ACCOUNT_ID, str(users)]
        env = dict(os.environ, ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_NOCOLOR="1")
        results = {"module": [], "sdk": []}
        requests_sent = {}
        for _run in range(runs):
            for name, argv in (("sdk", sdk), ("module", ["ansible-playbook", play])):
                server.clear()
                results[name].append(measured(argv, env))
                requests_sent[name] = len(server.api_requests())
                pages = sorted(int(request["query"].get("page", 1)) for request in server.api_requests())
                if pages[:users // 1000] != list(range(1, users // 1000 + 1)):  # every page read, each once
                    sys.exit("%s did not read every page once: %s" % (name, pages))
    return {name: (statistics.median(s for s, _m in rows), max(m for _s, m in rows), requests_sent[name])
            for name, rows in results.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sizes", default="5000,20000,50000", help="account sizes (default 5000,20000,50000)")
    parser.add_argument("--latency", type=float, default=0.4, help="seconds per API answer (default 0.4)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each, alternated; medians (default 3)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print("Local API: %.0f ms per request, 1,000 users per page; whole runs, medians of %d, alternated."
          % (args.latency * 1000, args.runs))
    print("%-7s %-30s %9s %10s %9s  %s" % ("users", "approach", "wall (s)", "peak MiB", "requests", "ratio"))
    with tempfile.TemporaryDirectory() as workdir:
        for users in sizes:
            row = one_size(users, args.latency, args.runs, workdir)
            sdk_time = row["sdk"][0]
            for name, label in (("sdk", "cloudflare SDK auto-pagination"), ("module", "cf_access_user_info task")):
                seconds, peak, sent = row[name]
                ratio = "baseline" if name == "sdk" else "%.2fx the SDK's time" % (seconds / sdk_time)
                print("%-7d %-30s %9.2f %10.1f %9d  %s" % (users, label, seconds, peak, sent, ratio))


if __name__ == "__main__":
    main()
