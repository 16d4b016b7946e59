# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What requirements-dev.txt installs into .venv, the project's tools: nothing that makes every command warn."""

from __future__ import annotations

import pathlib

from packaging.requirements import Requirement

ROOT = pathlib.Path(__file__).resolve().parents[3]
# cryptography 51 deprecates DSA, which ansible-core 2.19 imports for its ssh-agent support: from that release on,
# every ansible, ansible-playbook and ansible-test command of .venv prints a CryptographyDeprecationWarning.
FIRST_CRYPTOGRAPHY_THAT_WARNS = "51.0.0"


def requirements():
    lines = (line.split("#", 1)[0].strip() for line in (ROOT / "requirements-dev.txt").read_text().splitlines())
    return {requirement.name: requirement for requirement in map(Requirement, filter(None, lines))}


def test_the_dev_tools_get_no_cryptography_that_warns_on_every_command():
    specifier = requirements()["cryptography"].specifier
    assert FIRST_CRYPTOGRAPHY_THAT_WARNS not in specifier and "51.0.1" not in specifier
    assert "50.0.2" in specifier  # the newest release that does not warn stays allowed
