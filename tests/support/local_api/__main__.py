# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the local API: ``python tests/support/local_api --help`` (or ``python -m`` with the package's name)."""

import os
import sys

if __package__:  # python -m ...tests.support.local_api
    from .cli import main
else:  # python tests/support/local_api: Python put the package's own directory first on sys.path
    sys.path[0] = os.path.dirname(os.path.abspath(sys.path[0]))
    from local_api.cli import main  # pylint: disable=import-self

main()
