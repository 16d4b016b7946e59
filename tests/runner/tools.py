# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the commands a person runs (scripts/demo, docsite, benchmark) need once .venv exists, run by its python:

    python tests/runner/tools.py install-collection DEST     build this clone's collection, install it into DEST
    python tests/runner/tools.py with-local-api [--users N] -- COMMAND ...
        run COMMAND with the local API started (servers.py's LocalAPI), CLOUDFLARE_BASE_URL, CLOUDFLARE_ACCOUNT_ID
        and CLOUDFLARE_API_TOKEN set for it, CF_API_URL and CF_CONTROL_URL too; stopped when COMMAND ends
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from runner.alone import NAME, NAMESPACE, ROOT  # noqa: E402  pylint: disable=wrong-import-position
from runner.servers import CONTROL_PREFIX, LocalAPI, local_api  # noqa: E402  pylint: disable=wrong-import-position


def install_collection(dest):
    dist = os.path.join(ROOT, ".cache", "dist")
    # Only this build's tarball: one of an earlier version left here would be installed beside it, and conflict.
    for old in glob.glob(os.path.join(dist, "%s-%s-*.tar.gz" % (NAMESPACE, NAME))):
        os.remove(old)
    subprocess.run(["ansible-galaxy", "collection", "build", "--force", "--output-path", dist, ROOT],
                   stdout=subprocess.DEVNULL, check=True)
    (tarball,) = glob.glob(os.path.join(dist, "%s-%s-*.tar.gz" % (NAMESPACE, NAME)))
    subprocess.run(["ansible-galaxy", "collection", "install", "--force", "-p", dest, tarball],
                   env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=dest), stdout=subprocess.DEVNULL, check=True)


def with_local_api(users, command):
    with LocalAPI(users=users) as api:
        environment = dict(os.environ, CF_API_URL=api.api_url, CF_CONTROL_URL=api.url + CONTROL_PREFIX,
                           CLOUDFLARE_BASE_URL=api.api_url, CLOUDFLARE_ACCOUNT_ID=local_api.ACCOUNT_ID,
                           CLOUDFLARE_API_TOKEN=local_api.API_TOKEN)
        return subprocess.run(command, env=environment, check=False).returncode


def main(arguments):
    parser = argparse.ArgumentParser(prog="tools.py", description=__doc__.split("\n\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("install-collection").add_argument("dest")
    started = commands.add_parser("with-local-api")
    started.add_argument("--users", type=int, default=25)
    started.add_argument("run", nargs=argparse.REMAINDER)
    options = parser.parse_args(arguments)
    if options.command == "install-collection":
        install_collection(os.path.abspath(options.dest))
        return 0
    return with_local_api(options.users, options.run[1:] if options.run[:1] == ["--"] else options.run)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
