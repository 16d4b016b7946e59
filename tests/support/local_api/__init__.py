# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A local HTTP server that behaves like Cloudflare's v4 API for Zero Trust Access users.

Test and demo tooling only (kept out of the built collection). Standard library only, so it runs under any
Python. It listens on 127.0.0.1 and serves the API under /client/v4: the users, seats, WARP registrations,
token revocation, MFA deletes, Access groups and reusable policies of a seeded account, as Cloudflare's
schema excerpts document them (../shared/reference/*.openapi.json), with Cloudflare's envelope, paging,
authentication, rate limit and a cf-ray on every answer; switchable faults and request logs under /__fake__/
(below).

One concern per module:
    seeded.py   what the account holds at the start, and again after reset(): the same on every start
    account.py  the account model: users, seats, sessions, registrations, passkeys, the seat PATCH log, groups
                and reusable policies (no HTTP)
    routes.py   Cloudflare's operations, named as the schema names them: the route table (ROUTES, listed
                below) and the function answering each: request checks, paging, answers
    envelope.py Cloudflare's answer shapes: the envelope, its errors, the cf-ray
    faults.py   the fault kinds, each a small class with its own options: the one place they are documented
    server.py   the HTTP server: authentication, rate limit, request logs, faults applied, control endpoints
    cli.py      the command line and its --help

Run it standalone (the demo, integration tests and molecule do):
    python tests/support/local_api --url-file /tmp/cf_url
"""

# The credentials and the account the local API knows: test values, not secrets.
ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353"
API_TOKEN = "fake-cf-token-0123456789abcdefghijklmnopqr"  # 40 characters, like a real token
API_EMAIL = "admin@example.com"
API_KEY = "0123456789abcdef0123456789abcdef01234"  # 37 hex characters, like a global API key
NO_ACCESS_TOKEN = "fake-cf-token-without-access-read-perm0"  # authenticates, lacks the permission
