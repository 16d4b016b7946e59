# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The test runner behind noxfile.py: what its sessions share, in Python (docs/testing.md).

One concern per module:
    dev_venv.py   a virtual env set up from a requirements file (stdlib only: scripts/test runs it before .venv exists)
    alone.py      a check alone: a home directory of its own and a fresh copy of the work tree; the real interpreters
    servers.py    the local API (the LocalAPI context manager) and Prism, started once each way, stopped however a
                  check ends
    checks.py     the checks longer than a few nox calls (noxfile.py says what each session runs)
    cli.py        scripts/test's command line: names, --help, the full run, the closing count
    mutation.py   scripts/mutation (docs/mutation_testing.md)
"""
