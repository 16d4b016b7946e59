# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shipped playbooks at enterprise scale: seat_report and reclaim_seats against the listing alone.

For each account size, starts the local Cloudflare-like API with that many users and a latency per
request like a slow real page (400 ms by default), then runs, alternately and --runs times each, whole
``ansible-playbook`` runs of:

* the listing alone: one cf_access_user_info task that reads and registers every user, and nothing else.
  No playbook can read the users faster: it is the baseline;
* ``cloudflare_community.zero_trust.seat_report`` (writes its CSV and HTML files into a temporary directory);
* ``cloudflare_community.zero_trust.reclaim_seats --check``;
* ``cloudflare_community.zero_trust.reclaim_seats``, on a fresh account each run (the seeded users again).

It prints the median wall time and the peak resident memory of each (the largest process of the run, from
wait4), each one's ratio to the listing alone measured in the same run, and the requests each sent. A real
reclaim also sends its PATCH requests, one after another: its ratio is also given without their latency
(PATCH count x latency). The goals: seat_report and reclaim_seats --check at most 1.5x the listing alone,
reclaim_seats at most 1.5x plus its PATCH requests, peak memory within 1.5x.
Run it through `scripts/benchmark playbooks`, which installs the collection.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile

from ansible import release as ansible_release

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import local_api  # noqa: E402  pylint: disable=wrong-import-position
from local_api.server import LocalAPI  # noqa: E402  pylint: disable=wrong-import-position
from _playbook import measured  # noqa: E402  pylint: disable=wrong-import-position

LISTING_PLAY = """
- name: Benchmark
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Every user of the account
      cloudflare_community.zero_trust.cf_access_user_info:
      register: everyone
"""

APPROACHES = (
    ("listing", "listing alone (cf_access_user_info)"),
    ("seat_report", "seat_report"),
    ("check", "reclaim_seats --check"),
    ("reclaim", "reclaim_seats"),
)


def commands(workdir):
    report_dir = os.path.join(workdir, "report")
    listing = os.path.join(workdir, "listing.yml")
    with open(listing, "w") as handle:
        handle.write(LISTING_PLAY)
    return {
        "listing": ["ansible-playbook", listing],
        "seat_report": ["ansible-playbook", "cloudflare_community.zero_trust.seat_report", "-e", "report_dir=" + report_dir],
        "check": ["ansible-playbook", "cloudflare_community.zero_trust.reclaim_seats", "--check",
                  "-e", "report_dir=" + report_dir],
        "reclaim": ["ansible-playbook", "cloudflare_community.zero_trust.reclaim_seats", "-e", "report_dir=" + report_dir],
    }


def checked(name, output, users):
    """Stop the benchmark when a playbook did not do its work (a fast wrong run proves nothing)."""
    expected = {
        "seat_report": r"%d users: " % users,
        "check": r"Would free the seats of (\d+) of \1 users",
        "reclaim": r"Freed the seats of (\d+) of \1 users",
    }.get(name)
    if expected and not re.search(expected, output):
        sys.exit("%s did not print %r:\n%s" % (name, expected, output[-3000:]))


def one_size(users, latency, runs, workdir):
    with LocalAPI(users=users, latency=latency) as server:
        env = dict(os.environ, ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_NOCOLOR="1",
                   CLOUDFLARE_BASE_URL=server.api_url, CLOUDFLARE_ACCOUNT_ID=local_api.ACCOUNT_ID,
                   CLOUDFLARE_API_TOKEN=local_api.API_TOKEN)
        argvs = commands(workdir)
        results = {name: [] for name, _label in APPROACHES}
        sent = {}
        for _run in range(runs):
            for name, _label in APPROACHES:
                server.reset()  # every run on the seeded account
                seconds, peak, output = measured(argvs[name], env)
                checked(name, output, users)
                results[name].append((seconds, peak))
                requests = server.api_requests()
                sent[name] = (len(requests), sum(1 for request in requests if request["method"] == "PATCH"))
    return {name: (statistics.median(s for s, _m in rows), max(m for _s, m in rows)) + sent[name]
            for name, rows in results.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sizes", default="5000,20000,50000", help="account sizes (default 5000,20000,50000)")
    parser.add_argument("--latency", type=float, default=0.4, help="seconds per API answer (default 0.4)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each, alternated; medians (default 3)")
    args = parser.parse_args()
    print("Local API: %.0f ms per request, 1,000 users per page; whole runs, medians of %d, alternated;"
          " ansible-core %s, Python %s; load average %s at the start."
          % (args.latency * 1000, args.runs, ansible_release.__version__, sys.version.split()[0],
             " ".join("%.2f" % load for load in os.getloadavg())))
    print("%-7s %-36s %9s %10s %9s  %s" % ("users", "playbook", "wall (s)", "peak MiB", "requests", "ratio"))
    with tempfile.TemporaryDirectory() as workdir:
        for users in [int(size) for size in args.sizes.split(",")]:
            row = one_size(users, args.latency, args.runs, workdir)
            base_time, base_peak = row["listing"][:2]
            for name, label in APPROACHES:
                seconds, peak, requests, patches = row[name]
                if name == "listing":
                    ratio = "baseline"
                else:
                    ratio = "%.2fx time, %.2fx memory" % (seconds / base_time, peak / base_peak)
                if patches:
                    ratio += "; %.2fx without its %d PATCHes' latency" % (
                        (seconds - patches * args.latency) / base_time, patches)
                print("%-7d %-36s %9.2f %10.1f %9s  %s" % (
                    users, label, seconds, peak, "%d" % requests + (" (%d PATCH)" % patches if patches else ""), ratio))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
