# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stand-in for the get-pip script that ansible-test downloads from a host outside the package registries.

ansible-test runs ``python get_pip_<version>.py [pip options] pip==X setuptools==Y ...`` in a new virtual
env. This does the same with the pip wheel that CPython bundles in ``ensurepip``: that pip then installs
the requested packages (pip itself included) from the package index. scripts/lib.sh copies it into
ansible-test's cache under the name ansible-test looks for.
"""

import glob
import os
import runpy
import sys

import ensurepip

GET_PIP_ONLY_FLAGS = ("--no-setuptools", "--no-wheel")  # get-pip options that `pip install` does not know

bundled = glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), "_bundled", "pip-*.whl"))
if not bundled:
    sys.exit("get_pip_offline: this Python has no bundled pip wheel in ensurepip")
sys.path.insert(0, max(bundled))
sys.argv = ["pip", "install"] + [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_FLAGS]
runpy.run_module("pip", run_name="__main__", alter_sys=True)
