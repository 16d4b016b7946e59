# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Cutting users off: 100 users against the official Python SDK, and an incident of 2,000 users against the rate limit.

Starts the local Cloudflare-like API (2,500 users by default, 50 ms per request) and runs two parts.

**100 users against the SDK** (``--users``; 0 skips it). Picks Gateway seat holders (about 2.5 WARP registrations
each), and times whole runs, alternated, --runs of each, the account's devices and sessions put back before
every run:

* ``ansible-playbook`` with one cf_access_revoke task for the users' emails (defaults: revoke the tokens of
  users with a session, delete every active registration);
* a Python process with the ``cloudflare`` SDK (5.9) doing the same calls one after another, as a script
  would: for each user, look the email up (``zero_trust.access.users.list``, its first page), read the sessions
  (``access.users.active_sessions.list``) and the registrations (``devices.registrations.list``, followed by
  cursor), revoke the tokens when there is a session (``organizations.revoke_users``) and delete the
  registrations in one call (``devices.registrations.bulk_delete``).

After each run it checks that the work was done (every registration gone, every user with a session
revoked), and prints the median wall times, the ratio and the requests each sent, with the module's bound (its
listings include those that read the registrations again after their deletes, one per 50 users).

**An incident of 2,000 users** (``--incident-users``; 0 skips it): one cf_access_revoke task with ``force``
(every user's tokens) for that many users of the account, run --incident-runs times each, alternated:

* behind the local API's rate limit, as Cloudflare's: 1,200 requests per ``--window`` seconds (300, the real
  window, by default: the run takes over 5 minutes), the whole account blocked for a window past it;
* with no rate limit to speak of (10 million requests a window): the same work, unpaced: the baseline.

It prints the requests sent by kind against the fewest the API allows for the work (the account's listing
read once, one registration listing per 50 users, one revocation per user, one delete per 50 registrations,
one listing per 50 users reading those registrations again), the requests the rate limit refused (none is the
goal), what the task waited, and the wall time against the floor the rate limit sets, (⌈fewest / 1,200⌉ − 1)
windows: the goal is at most the floor plus the unpaced run.

The SDK is a benchmark-only dependency (benchmarks/requirements.txt); ``--sdk-path`` runs it from a
directory of its own (``pip install --target DIR cloudflare==5.9.0``) instead of the current environment.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import local_api  # noqa: E402  pylint: disable=wrong-import-position
from local_api.server import LocalAPI  # noqa: E402  pylint: disable=wrong-import-position
from _playbook import timed_playbook  # noqa: E402  pylint: disable=wrong-import-position

USERS_PER_LISTING = 50  # the module's _devices.USERS_PER_LISTING
REGISTRATIONS_PER_PAGE = 100  # the module's _devices.REGISTRATIONS_PER_PAGE
IDS_PER_WRITE = 50  # the module's _devices.IDS_PER_WRITE

PLAY = """
- name: Benchmark
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Cut the users off with the module
      cloudflare_community.zero_trust.cf_access_revoke:
        account_id: {account_id}
        api_url: {api_url}
        api_token: {token}
        email: "{{{{ lookup('ansible.builtin.file', '{emails_file}') | from_json }}}}"
"""

SDK = """
import json
import sys

import cloudflare

api_url, token, account, emails_file = sys.argv[1:5]
client = cloudflare.Cloudflare(api_token=token, base_url=api_url, max_retries=0)
revoked = deleted = 0
for email in json.load(open(emails_file)):
    # The first page only (.result): iterating would ask for an empty second page too.
    users = [user for user in client.zero_trust.access.users.list(account_id=account, email=email).result
             if (user.email or "").lower() == email.lower()]
    if len(users) != 1:
        sys.exit("%d users have the email %s" % (len(users), email))
    user = users[0]
    sessions = list(client.zero_trust.access.users.active_sessions.list(user.id, account_id=account))
    registrations = [registration.id for registration in client.zero_trust.devices.registrations.list(
        account_id=account, user={"id": [user.id]}, status="active", per_page=100)]
    if sessions:
        client.zero_trust.organizations.revoke_users(account_id=account, email=user.email, warp_session_reauth=True)
        revoked += 1
    if registrations:
        client.zero_trust.devices.registrations.bulk_delete(account_id=account, id=registrations)
        deleted += len(registrations)
print(json.dumps({"revoked": revoked, "deleted": deleted, "sdk": cloudflare.__version__}))
"""


def has_session(user):
    return bool(user["last_successful_login"] and user["active_device_count"])


def expected_work(server, users):
    """What cutting ``users`` off takes: users with a session, registrations, and the module's request bound."""
    registrations = {user["id"]: len(server.devices.of_user(local_api.ACCOUNT_ID, user["id"])) for user in users}
    sessions = sum(1 for user in users if has_session(user))
    pages = math.ceil(len(server.accounts[local_api.ACCOUNT_ID]) / 1000.0)
    listings = sum(max(1, math.ceil(sum(registrations[user["id"]] for user in users[start:start + USERS_PER_LISTING])
                                    / float(REGISTRATIONS_PER_PAGE)))
                   for start in range(0, len(users), USERS_PER_LISTING))
    total = sum(registrations.values())
    read_again = math.ceil(sum(1 for count in registrations.values() if count) / float(USERS_PER_LISTING))
    bound = dict(lookups=min(len(users), pages) + 1, sessions=len(users), listings=listings + read_again,
                 revocations=sessions, deletes=math.ceil(total / float(IDS_PER_WRITE)))
    return sessions, total, bound


def check_done(server, users, label):
    left = sum(len(server.devices.of_user(local_api.ACCOUNT_ID, user["id"])) for user in users)
    unrevoked = [user["email"] for user in users
                 if has_session(user) and (local_api.ACCOUNT_ID, user["id"]) not in server.devices.revoked_users]
    if left or unrevoked:
        sys.exit("%s left %d registrations and %d users with sessions unrevoked" % (label, left, len(unrevoked)))


def run_module(server, workdir, emails_file):
    path = os.path.join(workdir, "revoke.yml")
    with open(path, "w") as handle:
        handle.write(PLAY.format(account_id=local_api.ACCOUNT_ID, api_url=server.api_url, token=local_api.API_TOKEN,
                                 emails_file=emails_file))
    seconds, _output = timed_playbook(path, "cf_access_revoke")
    return seconds, None


def run_sdk(server, emails_file, sdk_path):
    env = dict(os.environ)
    if sdk_path:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [sdk_path, env.get("PYTHONPATH")]))
    argv = [sys.executable, "-c", SDK, server.api_url, local_api.API_TOKEN, local_api.ACCOUNT_ID, emails_file]
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit("the SDK script failed:\n%s%s" % (done.stdout[-3000:], done.stderr[-3000:]))
    return seconds, json.loads(done.stdout.strip().splitlines()[-1])


def kinds(requests_sent):
    """The requests of a run, by kind."""
    counted = {}
    for request in requests_sent:
        path = request["path"]
        kind = ("revocations" if path.endswith("/revoke_user") else "deletes" if request["method"] == "DELETE"
                else "listings" if path.endswith("/devices/registrations") else "sessions"
                if path.endswith("/active_sessions") else "lookups")
        counted[kind] = counted.get(kind, 0) + 1
    return counted


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--account", type=int, default=2500, help="users in the account (default 2500)")
    parser.add_argument("--users", type=int, default=100,
                        help="Gateway seat holders to cut off against the SDK (default 100; 0 skips that part)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per API answer (default 0.05)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each, alternated; medians (default 3)")
    parser.add_argument("--sdk-path", help="a directory holding the cloudflare SDK, for the SDK's process only")
    parser.add_argument("--incident-users", type=int, default=2000,
                        help="users to cut off in the incident (default 2000; 0 skips that part)")
    parser.add_argument("--incident-runs", type=int, default=1, help="runs of each in the incident (default 1)")
    parser.add_argument("--window", type=int, default=300,
                        help="seconds of the rate limit's window (default 300, Cloudflare's: the incident takes over "
                             "5 minutes); the local API announces it, and the module paces to it")
    args = parser.parse_args()
    if args.users:
        against_the_sdk(args)
    if args.incident_users:
        incident(args)


def against_the_sdk(args):
    with LocalAPI(users=args.account, latency=args.latency) as server, \
            tempfile.TemporaryDirectory() as workdir:
        holders = [user for user in server.accounts[local_api.ACCOUNT_ID] if user["gateway_seat"]]
        users = holders[::max(1, len(holders) // args.users)][:args.users]
        emails_file = os.path.join(workdir, "emails.json")
        with open(emails_file, "w") as handle:
            json.dump([user["email"] for user in users], handle)
        sessions, registrations, bound = expected_work(server, users)
        print("Local API: %d users, %.0f ms per request; cutting off %d Gateway seat holders: %d with an active session,"
              " %d WARP registrations (%.1f each). Whole runs, alternated, medians of %d." % (
                  args.account, args.latency * 1000, len(users), sessions, registrations, registrations / len(users),
                  args.runs))
        times, sent, sdk_version = {"sdk": [], "module": []}, {}, None
        for _run in range(args.runs):
            for name in ("sdk", "module"):
                server.reset()
                if name == "sdk":
                    seconds, report = run_sdk(server, emails_file, args.sdk_path)
                    sdk_version = report["sdk"]
                    if (report["revoked"], report["deleted"]) != (sessions, registrations):
                        sys.exit("the SDK script revoked %(revoked)d users and deleted %(deleted)d registrations" % report)
                else:
                    seconds, _report = run_module(server, workdir, emails_file)
                check_done(server, users, name)
                times[name].append(seconds)
                sent[name] = kinds(server.api_requests())

    sdk_seconds, module_seconds = statistics.median(times["sdk"]), statistics.median(times["module"])
    print("%-44s %10s %9s  %s" % ("approach", "wall (s)", "requests", "ratio"))
    print("%-44s %10.2f %9d  baseline" % ("cloudflare SDK %s, one call after another" % sdk_version, sdk_seconds,
                                          sum(sent["sdk"].values())))
    print("%-44s %10.2f %9d  %.1fx faster than the SDK" % ("one cf_access_revoke task", module_seconds,
                                                           sum(sent["module"].values()), sdk_seconds / module_seconds))
    order = ("lookups", "sessions", "listings", "revocations", "deletes")
    for name in ("sdk", "module"):
        print("  %-6s requests: %s" % (name, ", ".join("%s %d" % (kind, sent[name].get(kind, 0)) for kind in order)))
    kept = all(sent["module"].get(kind, 0) <= bound[kind] for kind in order)
    print("  module bound: %s: %s" % (", ".join("%s %d" % (kind, bound[kind]) for kind in order),
                                      "kept" if kept else "EXCEEDED"))
    if not kept:
        sys.exit(1)


# --- An incident of 2,000 users against the rate limit --------------------------------------------------------------
INCIDENT_PLAY = """
- name: Benchmark
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Cut the users off, every user's tokens
      cloudflare_community.zero_trust.cf_access_revoke:
        account_id: {account_id}
        api_url: {api_url}
        api_token: {token}
        email: "{{{{ lookup('ansible.builtin.file', '{emails_file}') | from_json }}}}"
        force: true
        request_budget: 10000
        pacing_timeout: 3600
      register: incident

    - name: Keep what it waited
      ansible.builtin.copy:
        content: "{{{{ incident.api_pacing | to_json }}}}"
        dest: {pacing_file}
        mode: "0600"
"""
UNLIMITED = 10000000  # requests a window: the most the module takes for a quota, far beyond the work
KINDS = ("lookups", "listings", "revocations", "deletes")


def fewest_requests(server, users):
    """The fewest requests the API allows for cutting ``users`` off with force, by kind."""
    found = [server.devices.of_user(local_api.ACCOUNT_ID, user["id"]) for user in users]
    batches = [found[start:start + USERS_PER_LISTING] for start in range(0, len(found), USERS_PER_LISTING)]
    holders = sum(1 for items in found if items)
    listings = sum(max(1, math.ceil(sum(len(items) for items in batch) / float(REGISTRATIONS_PER_PAGE)))
                   for batch in batches)
    return dict(lookups=math.ceil(len(server.accounts[local_api.ACCOUNT_ID]) / 1000.0),
                listings=listings + math.ceil(holders / float(USERS_PER_LISTING)),  # read, then read again
                revocations=len(users),
                deletes=math.ceil(sum(len(items) for items in found) / float(IDS_PER_WRITE)))


def incident_kinds(requests_sent):
    counted = {}
    for request in requests_sent:
        path = request["path"]
        kind = ("revocations" if path.endswith("/revoke_user") else "deletes" if request["method"] == "DELETE"
                else "listings" if path.endswith("/devices/registrations") else "lookups")
        counted[kind] = counted.get(kind, 0) + 1
    return counted


def incident_run(server, workdir, emails_file, users, quota):
    """One paced (``quota`` 1,200) or unpaced run: wall seconds, requests by kind, refused, the task's api_pacing."""
    server.reset()
    server.rate_limit = quota
    path, pacing_file = os.path.join(workdir, "incident.yml"), os.path.join(workdir, "pacing.json")
    with open(path, "w") as handle:
        handle.write(INCIDENT_PLAY.format(account_id=local_api.ACCOUNT_ID, api_url=server.api_url,
                                          token=local_api.API_TOKEN, emails_file=emails_file, pacing_file=pacing_file))
    seconds, _output = timed_playbook(path, "cf_access_revoke on %d users" % len(users))
    left = sum(len(server.devices.of_user(local_api.ACCOUNT_ID, user["id"])) for user in users)
    unrevoked = [user for user in users if (local_api.ACCOUNT_ID, user["id"]) not in server.devices.revoked_users]
    if left or unrevoked:
        sys.exit("the incident left %d registrations and %d users unrevoked" % (left, len(unrevoked)))
    with open(pacing_file) as handle:
        pacing = json.load(handle)
    return seconds, incident_kinds(server.api_requests()), server.rate_refused, pacing


def incident(args):
    with LocalAPI(users=args.account, latency=args.latency, rate_window=args.window) as server, \
            tempfile.TemporaryDirectory() as workdir:
        users = server.accounts[local_api.ACCOUNT_ID][:args.incident_users]
        emails_file = os.path.join(workdir, "incident.json")
        with open(emails_file, "w") as handle:
            json.dump([user["email"] for user in users], handle)
        fewest = fewest_requests(server, users)
        registrations = sum(len(server.devices.of_user(local_api.ACCOUNT_ID, user["id"])) for user in users)
        minimum = sum(fewest.values())
        floor = (math.ceil(minimum / 1200.0) - 1) * args.window
        print("\nIncident: cutting off %d of %d users with force (%d WARP registrations), %.0f ms per request; "
              "Cloudflare's rate limit 1,200 requests per %d s. Whole runs, alternated, medians of %d." % (
                  len(users), args.account, registrations, args.latency * 1000, args.window, args.incident_runs))
        runs = {"paced": [], "unpaced": []}
        for _run in range(args.incident_runs):
            runs["paced"].append(incident_run(server, workdir, emails_file, users, 1200))
            runs["unpaced"].append(incident_run(server, workdir, emails_file, users, UNLIMITED))
    paced = statistics.median(run[0] for run in runs["paced"])
    unpaced = statistics.median(run[0] for run in runs["unpaced"])
    _seconds, sent, refused, pacing = runs["paced"][-1]
    total = sum(sent.values())
    print("%-58s %10s %9s  %s" % ("run", "wall (s)", "requests", "against"))
    print("%-58s %10.1f %9d  the floor the rate limit sets (%d s): %.2fx, %+.1f s" % (
        "one cf_access_revoke task, paced", paced, total, floor, paced / floor if floor else float("nan"),
        paced - floor))
    print("%-58s %10.1f %9d  baseline: the same work with no rate limit" % (
        "the same task, no rate limit (the work alone)", unpaced, sum(runs["unpaced"][-1][1].values())))
    print("  requests sent: %s; %d in all" % (", ".join("%s %d" % (kind, sent.get(kind, 0)) for kind in KINDS), total))
    print("  the fewest:    %s; %d in all: %.3fx" % (
        ", ".join("%s %d" % (kind, fewest[kind]) for kind in KINDS), minimum, total / float(minimum)))
    print("  refused by the rate limit: %d; the task waited %.1f s in %d waits" % (
        refused, pacing["waited"], len(pacing["waits"])))
    for line in pacing["plans"] + pacing["waits"]:
        print("    " + line)
    goal = refused == 0 and total == minimum and paced <= floor + unpaced
    print("  goal (no request refused, the fewest requests, wall <= floor + the work alone = %.1f s): %s" % (
        floor + unpaced, "met" if goal else "MISSED"))
    if not goal:
        sys.exit(1)


if __name__ == "__main__":
    main()
