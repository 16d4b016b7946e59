# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A virtual env set up from a requirements file, again whenever that file changes (its hash is kept in the venv).

Standard library only: it runs before any venv exists, under the system's Python (3.11 or newer).
``python3 tests/runner/dev_venv.py VENV REQUIREMENTS`` is how scripts/test sets up .venv; scripts/mutation and
the checks call ``ensure()``. Two runs at once (the full run starts two checks together) take turns behind a lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import tempfile

MINIMUM_PYTHON = (3, 11)


def ensure(venv, requirements, python=sys.executable):
    """Set up ``venv`` with ``requirements`` unless it holds them already; returns its python."""
    venv = os.path.abspath(venv)
    stamp = os.path.join(venv, ".%s.sha256" % os.path.splitext(os.path.basename(requirements))[0])
    with open(requirements, "rb") as handle:
        wanted = hashlib.sha256(handle.read()).hexdigest()
    venv_python = os.path.join(venv, "bin", "python")
    os.makedirs(os.path.dirname(venv), exist_ok=True)
    lock_file = os.path.join(tempfile.gettempdir(), "cf-zero-trust-venv-%s.lock" % hashlib.sha256(venv.encode()).hexdigest()[:12])
    with open(lock_file, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _holds(venv_python, stamp, wanted):
            print("\n==> Setting up %s from %s (a minute, once)" % (venv, os.path.basename(requirements)),
                  file=sys.stderr, flush=True)
            subprocess.run([python, "-m", "venv", "--clear", venv], check=True)
            subprocess.run([venv_python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
            subprocess.run([venv_python, "-m", "pip", "install", "--quiet", "-r", requirements], check=True)
            with open(stamp, "w") as handle:
                handle.write(wanted + "\n")
    return venv_python


def _holds(venv_python, stamp, wanted):
    try:
        with open(stamp) as handle:
            return os.access(venv_python, os.X_OK) and handle.read().strip() == wanted
    except OSError:
        return False


if __name__ == "__main__":
    if sys.version_info < MINIMUM_PYTHON:
        sys.exit("Python %d.%d or newer is needed (set PYTHON=/path/to/python3.11)" % MINIMUM_PYTHON)
    ensure(*sys.argv[1:3])
