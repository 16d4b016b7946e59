# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every benchmark does to time one whole ansible-playbook run."""

from __future__ import annotations

import os
import subprocess
import sys
import time


def timed_playbook(path, label):
    """Wall seconds and stdout of ``ansible-playbook path``; a failed run ends the benchmark, naming ``label``."""
    env = dict(os.environ, ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_NOCOLOR="1")
    started = time.perf_counter()
    done = subprocess.run(["ansible-playbook", path], env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit("ansible-playbook failed for %s:\n%s%s" % (label, done.stdout[-3000:], done.stderr[-3000:]))
    return elapsed, done.stdout


def measured(argv, env=None):
    """Wall seconds, peak RSS (MiB) and output of one command, its children included.

    The peak is the largest resident set of the process or any child it waited for (``wait4``), for
    ansible-playbook the controller or the module's process, whichever is larger. A failed command ends
    the benchmark with its output.
    """
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit("%s failed:\n%s" % (" ".join(argv[:2]), output.decode(errors="replace")[-3000:]))
    return elapsed, usage.ru_maxrss / 1024.0, output.decode(errors="replace")
