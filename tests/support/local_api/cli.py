# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line of the local API, and its ``--help``: made from the code that serves what it describes."""

from __future__ import annotations

import argparse
import inspect
import os
import signal
import textwrap

from . import ACCOUNT_ID, API_EMAIL, API_KEY, API_TOKEN, NO_ACCESS_TOKEN, faults, routes, seeded
from . import __doc__ as PACKAGE_DOC
from .server import CONTROL_ENDPOINTS, CONTROL_PREFIX, LocalAPI

SAMPLE_USERS_SHOWN = 6
DEFAULT_USERS = 25


def wrapped(label, text, indent=2, width=110, column=27):
    """``label`` at ``indent``, ``text`` from ``column`` on (or after the label, when it is longer), wrapped."""
    first = " " * indent + label.ljust(max(column - indent, len(label) + 1))
    return textwrap.fill(text, width=width, initial_indent=first, subsequent_indent=" " * max(column, len(first)),
                         break_on_hyphens=False)


def description():
    """What the local API is and how to run it (the package's docstring), its operations and control endpoints."""
    lines = [inspect.cleandoc(PACKAGE_DOC), ""] + operations() + [
        "", "control endpoints, beside the API (JSON bodies; from Python, the LocalAPI member named):"]
    for method, path, does, member, _handler in CONTROL_ENDPOINTS:
        lines.append("    %-6s %-20s %s%s" % (method, CONTROL_PREFIX + path, does, "  (%s)" % member if member else ""))
    return "\n".join(lines)


def operations():
    """Cloudflare's operations the local API serves, and those of the schema excerpts it does not: its route table."""
    lines = ["operations, as Cloudflare's schema names them (routes.ROUTES; paths under /client/v4%s):" % routes.ACCOUNT]
    served = [route for route in routes.ROUTES if route.handler is not routes.NOT_SERVED]
    not_served = [route for route in routes.ROUTES if route.handler is routes.NOT_SERVED]
    for heading, listed in (("served", served), ("not served: 404 [7003] No route for the URI", not_served)):
        lines.append("  %s:" % heading)
        lines += ["    %-6s %-62s %s" % (route.method, route.template[len(routes.ACCOUNT):] or "/", route.operation)
                  for route in listed]
    return lines


def help_epilog(users=DEFAULT_USERS):
    """What --help says beyond the options: the credentials, who is in the account, reset, the faults."""
    sample = seeded.users(users)
    lines = [
        "credentials (every other one answers 403 [10000] Authentication error):",
        wrapped("API token", API_TOKEN),
        wrapped("token without access", "%s (authenticates, lacks the permission: 403)" % NO_ACCESS_TOKEN),
        wrapped("global API key", "%s with the email %s (legacy)" % (API_KEY, API_EMAIL)),
        wrapped("account id", ACCOUNT_ID),
        "",
        "use it with the collection (it prints its URL when it starts, and writes it to --url-file):",
        "  export CLOUDFLARE_BASE_URL=http://127.0.0.1:PORT/client/v4 CLOUDFLARE_ACCOUNT_ID=%s \\" % ACCOUNT_ID,
        "         CLOUDFLARE_API_TOKEN=%s" % API_TOKEN,
        "",
        "sample users: the account holds --users users (default %d), the same ones on every start: these first," % users,
        "then generated ones (first.lastN@example.com) with mixed seats, logins and devices:",
    ]
    for user in sample[:SAMPLE_USERS_SHOWN]:
        seats = "+".join(name for name, held in (("Access", user["access_seat"]), ("Gateway", user["gateway_seat"])) if held)
        lines.append("  %-30s %s  %-17s seats: %-14s last login: %s" % (
            user["email"], user["id"], user["name"], seats or "none", (user["last_successful_login"] or "never")[:10]))
    lines += [
        "  with --users %d: %d Access seats, %d Gateway seats, %d users who never logged in" % (
            users, sum(user["access_seat"] for user in sample), sum(user["gateway_seat"] for user in sample),
            sum(user["last_successful_login"] is None for user in sample)),
        "",
        "Access groups and reusable policies: they name %s and %s in every way" % (
            seeded.EXAMPLE_USER["email"], seeded.LOOKALIKE_USER["email"]),
        "a rule can (include, require, exclude, email_domain, email_list, identity-provider attributes, approvers);",
        "--groups and --policies add generated ones, each including one to five generated users:",
    ]
    lines += ["  group   %-30s %s" % (group["name"], group["id"]) for group in seeded.ACCESS_GROUPS]
    lines += ["  policy  %-30s %s" % (policy["name"], policy["id"]) for policy in seeded.REUSABLE_POLICIES]
    lines += [
        "",
        "the seeded state (%s, also at the start):" % "POST /__fake__/reset or LocalAPI.reset()",
    ]
    lines += [("  " + line).rstrip() for line in _after_first_paragraph(LocalAPI.reset.__doc__)]
    lines += [""] + fault_kinds()
    return "\n".join(lines)


def fault_kinds():
    """The fault kinds, each with its own options, as their classes in faults.py describe them."""
    lines = ["fault kinds (POST /__fake__/faults {\"kind\": KIND, OPTION: VALUE, ...}, or LocalAPI.add_fault(KIND, ...)):"]
    for group, heading in faults.GROUPS:
        lines.append("  %s:" % heading)
        for kind in faults.KINDS.values():
            if kind.group == group:
                lines.append(wrapped(kind.name, kind.does, indent=4, column=30))
                lines += [wrapped("- " + option, meaning, indent=6, column=30)
                          for option, (_default, _read, meaning) in kind.options.items()]
    lines += ["", "options of every fault kind (which requests it affects):"]
    lines += [("  " + line).rstrip() for line in _after_first_paragraph(faults.Fault.__doc__)]
    lines += ["", "the answers of after_processing:"]
    lines += [("  " + line).rstrip() for line in _after_first_paragraph(faults.AfterProcessing.__doc__)]
    return lines


def _after_first_paragraph(docstring):
    """The lines of a docstring after its first paragraph, without their common indentation."""
    return inspect.cleandoc(docstring.split("\n\n", 1)[1]).splitlines()


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(prog="local_api", description=description(), epilog=help_epilog(),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--users", type=int, default=DEFAULT_USERS,
                        help="number of users in the seeded account (default %d)" % DEFAULT_USERS)
    parser.add_argument("--groups", type=int, default=None,
                        help="number of Access groups (default: the %d seeded ones; more are generated)"
                        % len(seeded.ACCESS_GROUPS))
    parser.add_argument("--policies", type=int, default=None,
                        help="number of reusable policies (default: the %d seeded ones; more are generated)"
                        % len(seeded.REUSABLE_POLICIES))
    parser.add_argument("--latency", type=float, default=0.0, help="seconds to wait before each API answer")
    parser.add_argument("--url-file", help="write the API base URL to this file once listening")
    args = parser.parse_args(argv)
    api = LocalAPI(users=args.users, latency=args.latency, port=args.port, groups=args.groups, policies=args.policies)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if args.url_file:
        with open(args.url_file + ".tmp", "w") as handle:
            handle.write(api.api_url + "\n")
        # Rename so a reader never sees a half-written file.
        os.replace(args.url_file + ".tmp", args.url_file)
    print("fake Cloudflare API at %s (account %s, %d users); use it with\n"
          "  export CLOUDFLARE_BASE_URL=%s CLOUDFLARE_ACCOUNT_ID=%s CLOUDFLARE_API_TOKEN=%s"
          % (api.api_url, ACCOUNT_ID, args.users, api.api_url, ACCOUNT_ID, API_TOKEN), flush=True)
    try:
        api.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        api.server.server_close()
