# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Seat checks in a loop: the access_user lookup against cf_access_user_info tasks, whole ansible-playbook runs.

Starts the local Cloudflare-like API with a per-request latency like a real round trip (30 ms by
default), then times, alternately in the same run, three playbooks that loop over the same emails:

* ``lookup``: ``when: lookup('cloudflare_community.zero_trust.access_user', item).gateway_seat``;
* ``module``: one cf_access_user_info task per email (a loop, ``register``), then the same ``when:``
  on the registered results;
* ``noop``: the same loop and ``when:`` with no Cloudflare call, the fixed cost of ansible-playbook
  and of the loop, subtracted to give the cost of the seat checks themselves.

It prints the medians, the ratios and the API requests each approach sent. Run it through
`scripts/benchmark seat_check`, which installs the collection.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import local_api  # noqa: E402  pylint: disable=wrong-import-position
from local_api.server import LocalAPI  # noqa: E402  pylint: disable=wrong-import-position
from _playbook import timed_playbook  # noqa: E402  pylint: disable=wrong-import-position

PLAY = """
- name: Seat checks
  hosts: localhost
  gather_facts: false
  vars:
    cloudflare_account_id: {account_id}
    cloudflare_api_url: {api_url}
    cloudflare_api_token: {token}
    emails: {emails}
  tasks:
{tasks}
"""

TASKS = {
    "lookup": """
    - name: Gateway seat holders, with the lookup
      ansible.builtin.debug:
        msg: "{{{{ item }}}} uses WARP"
      loop: "{{{{ emails }}}}"
      when: lookup('cloudflare_community.zero_trust.access_user', item).gateway_seat
""",
    "module": """
    - name: Read each user with the module
      cloudflare_community.zero_trust.cf_access_user_info:
        account_id: "{{{{ cloudflare_account_id }}}}"
        api_url: "{{{{ cloudflare_api_url }}}}"
        api_token: "{{{{ cloudflare_api_token }}}}"
        email: "{{{{ item }}}}"
      loop: "{{{{ emails }}}}"
      register: seats

    - name: Gateway seat holders, from the registered results
      ansible.builtin.debug:
        msg: "{{{{ item.item }}}} uses WARP"
      loop: "{{{{ seats.results }}}}"
      loop_control:
        label: "{{{{ item.item }}}}"
      when: item.found and item.user.gateway_seat
""",
    "noop": """
    - name: The same loop without a seat check
      ansible.builtin.debug:
        msg: "{{{{ item }}}} uses WARP"
      loop: "{{{{ emails }}}}"
      when: item is string
""",
}


def run_playbook(path, server):
    """Wall seconds, API requests and the number of 'uses WARP' lines of one ansible-playbook run."""
    server.clear()
    elapsed, output = timed_playbook(path, path)
    return elapsed, len(server.api_requests()), output.count("uses WARP\"")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--checks", type=int, default=40, help="seat checks in the loop (default 40)")
    parser.add_argument("--latency", type=float, default=0.03, help="seconds per API answer (default 0.03)")
    parser.add_argument("--users", type=int, default=2500, help="users in the account (default 2500)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each playbook, alternated (default 5)")
    args = parser.parse_args()

    with LocalAPI(users=args.users, latency=args.latency) as server, \
            tempfile.TemporaryDirectory() as workdir:
        emails = [user["email"] for user in server.accounts[local_api.ACCOUNT_ID][:args.checks]]
        values = dict(account_id=local_api.ACCOUNT_ID, api_url=server.api_url, token=local_api.API_TOKEN, emails=emails)
        paths = {}
        for name, tasks in TASKS.items():
            paths[name] = os.path.join(workdir, "%s.yml" % name)
            with open(paths[name], "w") as handle:
                handle.write(PLAY.format(tasks=tasks.format(), **values))
        print("Local API: %d users, %.0f ms per request; %d seat checks in a loop; ansible-playbook wall times, "
              "median of %d runs, alternated." % (args.users, args.latency * 1000, args.checks, args.runs))
        results = {name: [] for name in TASKS}
        for _run in range(args.runs):
            for name in ("noop", "lookup", "module"):
                results[name].append(run_playbook(paths[name], server))

    median = {name: statistics.median(seconds for seconds, _requests, _lines in runs) for name, runs in results.items()}
    holders = {name: {lines for _seconds, _requests, lines in runs} for name, runs in results.items()}
    if holders["lookup"] != holders["module"]:
        sys.exit("the lookup and the module disagree on the Gateway seat holders: %s" % holders)
    net = {name: median[name] - median["noop"] for name in ("lookup", "module")}
    print("%-28s %10s %14s %9s" % ("approach", "wall (s)", "checks (s)", "requests"))
    print("%-28s %10.2f %14s %9d" % ("no seat check (fixed cost)", median["noop"], "-", 0))
    for name, label in (("module", "%d cf_access_user_info tasks" % args.checks), ("lookup", "access_user lookup")):
        print("%-28s %10.2f %14.2f %9d" % (label, median[name], net[name], results[name][0][1]))
    print("Gateway seat holders found by both: %s of %d." % (holders["lookup"].pop(), args.checks))
    ratios = (median["module"] / median["lookup"], net["module"] / net["lookup"],
              1000 * net["lookup"] / args.checks, 1000 * net["module"] / args.checks)
    print("The lookup is %.1fx faster than the tasks for the whole run, %.1fx for the seat checks alone "
          "(%.0f ms against %.0f ms per check)." % ratios)


if __name__ == "__main__":
    main()
