# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The servers a check talks to: the local Cloudflare-like API and Prism. Each is a context manager, so a check
that fails still stops what it started."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time

from .alone import ROOT

sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
import local_api  # noqa: E402  pylint: disable=wrong-import-position
from local_api.server import CONTROL_PREFIX, LocalAPI  # noqa: E402  pylint: disable=wrong-import-position

PRISM_DIR = os.path.join(ROOT, ".cache", "prism")
PRISM = os.path.join(PRISM_DIR, "node_modules", ".bin", "prism")
# Cloudflare's schema excerpts are not part of the repository (see ../shared/reference); the schema check needs them.
REFERENCE = os.path.join(ROOT, "..", "shared", "reference")
SCHEMAS = {
    "users": os.environ.get("CF_OPENAPI_SCHEMA") or os.path.join(REFERENCE, "cloudflare-access-users.openapi.json"),
    "incident": os.environ.get("CF_INCIDENT_OPENAPI_SCHEMA")
    or os.path.join(REFERENCE, "cloudflare-incident-response.openapi.json"),
    "events": os.environ.get("CF_EVENTS_OPENAPI_SCHEMA") or os.path.join(REFERENCE, "cloudflare-events.openapi.json"),
    "groups": os.environ.get("CF_GROUPS_OPENAPI_SCHEMA")
    or os.path.join(REFERENCE, "cloudflare-access-groups.openapi.json"),
}
# The environment of a reader of the docs with the local API's account (tests/support/local_api --help).
CREDENTIALS = {"CLOUDFLARE_ACCOUNT_ID": local_api.ACCOUNT_ID, "CLOUDFLARE_API_TOKEN": local_api.API_TOKEN,
               "ANSIBLE_LOCALHOST_WARNING": "false", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false"}


@contextlib.contextmanager
def local_cloudflare(session, users=25, integration_config=False):
    """The local API with ``users`` users, in this process, for the rest of the block: its URLs in CF_API_URL and
    CF_CONTROL_URL (molecule's scenarios read them), and with ``integration_config`` in
    tests/integration/integration_config.yml, which ansible-test passes to every target as extra vars."""
    with LocalAPI(users=users) as api:
        control_url = api.url + CONTROL_PREFIX
        session.env.update(CF_API_URL=api.api_url, CF_CONTROL_URL=control_url)
        if integration_config:
            config = os.path.join("tests", "integration", "integration_config.yml")
            with open(config + ".template") as template, open(config, "w") as written:
                written.write(template.read().replace("${CF_API_URL}", api.api_url)
                              .replace("${CF_CONTROL_URL}", control_url))
        session.log("the local API at %s (%d users)" % (api.api_url, users))
        yield api


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def prism(session, log, *arguments):
    """Prism (``mock SCHEMA`` or ``proxy SCHEMA UPSTREAM``) on a free port for the rest of the block, its output in
    ``log``; yields its URL. Installed into .cache/prism once, with npm."""
    if not os.access(PRISM, os.X_OK):
        session.run("npm", "install", "--silent", "--prefix", PRISM_DIR, "@stoplight/prism-cli@5", external=True)
    port = free_port()
    with open(log, "w") as output:
        server = subprocess.Popen([PRISM, arguments[0], "-h", "127.0.0.1", "-p", str(port)] + list(arguments[1:]),
                                  stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while "Prism is listening" not in read(log):
            if server.poll() is not None or time.monotonic() > deadline:
                session.error("Prism did not start:\n%s" % read(log))
            time.sleep(0.2)
        yield "http://127.0.0.1:%d" % port
    finally:
        server.terminate()
        server.wait()


def read(path):
    with open(path, errors="replace") as handle:
        return handle.read()


def merged_schema(dest, *names, adjust=None, adjust_first=None):
    """The schema excerpts ``names`` in one file (their shared components are identical), ``adjust`` applied to
    the later ones first and ``adjust_first`` to the first; returns its path."""
    with open(SCHEMAS[names[0]]) as handle:
        merged = json.load(handle)
    if adjust_first:
        adjust_first(merged)
    for name in names[1:]:
        with open(SCHEMAS[name]) as handle:
            extra = json.load(handle)
        if adjust:
            adjust(extra)
        merged["paths"].update(extra["paths"])
        for section, entries in extra["components"].items():
            merged["components"].setdefault(section, {}).update(entries)
    with open(dest, "w") as handle:
        json.dump(merged, handle)
    return dest
