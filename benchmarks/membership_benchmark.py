# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offboarding from Access groups and reusable policies: 100 users, against an SDK-style script that works per user.

Starts the local Cloudflare-like API (2,500 users, 300 Access groups and 500 reusable policies by default, the
groups and policies beyond the seeded ones each including one to five generated users by email; 50 ms per
request) and takes --users generated users out of every group and reusable policy that names them, two ways,
in this one process, alternated, --runs of each, the account put back as seeded before every run:

* cf_access_membership's work (``_membership_writes.change_membership``, what the module's main() runs, without
  ansible-playbook's start-up): the look-ups of the users, one listing of the groups and one of the policies, then
  for each object that changes a read again (the concurrency check) and one PUT, a few at a time;
* an SDK-style script, as one is written with the ``cloudflare`` SDK (``zero_trust.access.groups.list`` and
  ``.update``, ``access.policies.list`` and ``.update``), here with the same HTTP client the module uses (a
  ``requests.Session``, keep-alive) so that only the approach differs: for each user, list the groups and the
  policies (every page, at the API's default page sizes), and PUT each object whose include names the user
  without that rule, one request after another.

Both leave an object alone when the user's rule is its only include rule (Cloudflare requires one). After each
run it checks that the account is the same either way and that no include email rule names a user but in those
objects. It prints the median wall times, the ratio, and the requests each sent by kind, with the module's
count against the plan: the list pages + one PUT per changed object + one read per changed object.
"""

from __future__ import annotations

import argparse
import glob
import math
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
import local_api  # noqa: E402  pylint: disable=wrong-import-position
from local_api.server import LocalAPI  # noqa: E402  pylint: disable=wrong-import-position


def _import_collection():
    """The collection's code, from the copy scripts/benchmark installs (.cache/collections) or the tree itself when it
    sits in an ansible_collections/NAMESPACE/NAME directory."""
    for base in [os.path.join(ROOT, ".cache", "collections")] + [os.path.dirname(os.path.dirname(os.path.dirname(ROOT)))]:
        if glob.glob(os.path.join(base, "ansible_collections", "cloudflare_community", "zero_trust", "plugins")):
            sys.path.insert(0, base)
            break
    # pylint: disable=import-outside-toplevel
    from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _access_membership
    from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _membership_writes
    from ansible_collections.cloudflare_community.zero_trust.plugins.modules import cf_access_membership
    return _access_membership, _membership_writes, cf_access_membership


membership_logic, membership_writes, module = _import_collection()
import requests  # noqa: E402  pylint: disable=wrong-import-position,wrong-import-order


def module_work(server, emails):
    """What the module's main() runs, with its defaults: its result (a failure ends the benchmark)."""
    params = {name: spec.get("default") for name, spec in module.ARGUMENT_SPEC.items()}
    params.update(account_id=local_api.ACCOUNT_ID, api_url=server.api_url, api_token=local_api.API_TOKEN,
                  email=emails, request_budget=10000)
    done = membership_writes.change_membership(params, False, False)
    if done.failure:
        sys.exit("cf_access_membership failed: %s" % done.failure["msg"])
    return done.result


def sdk_style(server, emails):
    """Per user: list the groups and the policies, PUT each object naming the user without that rule."""
    session = requests.Session()
    session.headers["Authorization"] = "Bearer %s" % local_api.API_TOKEN
    base = "%s/accounts/%s/access/" % (server.api_url, local_api.ACCOUNT_ID)
    puts = 0
    for email in emails:
        for kind in (membership_logic.GROUP, membership_logic.POLICY):
            for obj in list_all(session, base + kind.plural):
                rules = [rule for rule in obj["include"]
                         if "email" in rule and rule["email"]["email"].lower() == email.lower()]
                left = [rule for rule in obj["include"] if rule not in rules]
                if rules and left:
                    answer = session.put(base + "%s/%s" % (kind.plural, obj["id"]),
                                         json=membership_logic.put_body(kind, obj, left))
                    answer.raise_for_status()
                    puts += 1
    return puts


def list_all(session, url):
    """Every object of a listing, page after page, as the SDK's auto-paging iterator reads it."""
    found, page = [], 1
    while True:
        answer = session.get(url, params={"page": page})
        answer.raise_for_status()
        body = answer.json()
        found += body["result"]
        if page >= body.get("result_info", {}).get("total_pages", page):
            return found
        page += 1


def kinds(requests_sent):
    counted = {}
    for request in requests_sent:
        path = request["path"]
        if request["method"] == "PUT":
            kind = "PUTs"
        elif path.endswith("/access/users") or "/access/users/" in path:
            kind = "user look-ups"
        elif path.endswith("/access/groups") or path.endswith("/access/policies"):
            kind = "list pages"
        else:
            kind = "reads again"
        counted[kind] = counted.get(kind, 0) + 1
    return counted


def rules_now(server):
    return {kind: {obj["id"]: obj["include"] for obj in server.rules.listing(local_api.ACCOUNT_ID, kind)}
            for kind in ("groups", "policies")}


def check_done(server, emails, label):
    """No include email rule names the users, but where it is the object's only include rule."""
    wanted = {email.lower() for email in emails}
    for kind, objects in rules_now(server).items():
        for object_id, include in objects.items():
            named = [rule for rule in include if "email" in rule and rule["email"]["email"].lower() in wanted]
            if named and len(named) != len(include):
                sys.exit("%s left %s in the include of %s %s" % (label, named, kind, object_id))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--account", type=int, default=2500, help="users in the account (default 2500)")
    parser.add_argument("--groups", type=int, default=300, help="Access groups (default 300)")
    parser.add_argument("--policies", type=int, default=500, help="reusable policies (default 500)")
    parser.add_argument("--users", type=int, default=100, help="users to offboard (default 100)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per API answer (default 0.05)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each, alternated; medians (default 3)")
    args = parser.parse_args()
    with LocalAPI(users=args.account, latency=args.latency, groups=args.groups, policies=args.policies) as server:
        users = server.accounts[local_api.ACCOUNT_ID][2:]
        leavers = [user["email"] for user in users[::max(1, len(users) // args.users)][:args.users]]
        print("Local API: %d users, %d Access groups, %d reusable policies, %.0f ms per request; offboarding %d users. "
              "Whole runs in this one process, alternated, medians of %d." % (
                  args.account, args.groups, args.policies, args.latency * 1000, len(leavers), args.runs))
        times, sent, after, changed = {"sdk": [], "module": []}, {}, {}, None
        for _run in range(args.runs):
            for name in ("sdk", "module"):
                server.reset()
                started = time.perf_counter()
                if name == "sdk":
                    sdk_style(server, leavers)
                else:
                    result = module_work(server, leavers)
                    changed = len(result["groups"]) + len(result["policies"])
                times[name].append(time.perf_counter() - started)
                check_done(server, leavers, name)
                sent[name] = kinds(server.api_requests())
                after[name] = rules_now(server)
        if after["sdk"] != after["module"]:
            sys.exit("the SDK-style script and the module left the groups and policies differently")
    sdk_seconds, module_seconds = statistics.median(times["sdk"]), statistics.median(times["module"])
    pages = math.ceil(args.groups / 1000.0) + math.ceil(args.policies / 1000.0)
    print("%-52s %10s %9s  %s" % ("approach", "wall (s)", "requests", "ratio"))
    print("%-52s %10.2f %9d  baseline" % ("SDK-style script, per user, one call after another", sdk_seconds,
                                          sum(sent["sdk"].values())))
    print("%-52s %10.2f %9d  %.1fx faster" % ("cf_access_membership's work (one task)", module_seconds,
                                              sum(sent["module"].values()), sdk_seconds / module_seconds))
    order = ("user look-ups", "list pages", "reads again", "PUTs")
    for name in ("sdk", "module"):
        print("  %-6s requests: %s" % (name, ", ".join("%s %d" % (kind, sent[name].get(kind, 0)) for kind in order)))
    planned = dict(pages=pages, reads=changed, puts=changed)
    kept = (sent["module"].get("list pages", 0) == planned["pages"] and sent["module"].get("reads again", 0) ==
            planned["reads"] and sent["module"].get("PUTs", 0) == planned["puts"])
    print("  module plan: %d list pages + %d PUTs (one per changed object) + %d reads again: %s" % (
        planned["pages"], planned["puts"], planned["reads"], "kept" if kept else "EXCEEDED"))
    if not kept:
        sys.exit(1)


if __name__ == "__main__":
    main()
