# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every benchmark does to time one whole ansible-playbook run."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
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


# Runs a command and writes the peak resident set of it and its children (in KiB) to the file named first. A
# child's peak starts from that of the process it was forked from: forked from the benchmark itself, which may
# hold a local API with 50,000 users, every command would seem at least that large. This small process forks it.
PEAK_RSS_WRAPPER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as handle:
    handle.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measured(argv, env=None):
    """Wall seconds, peak RSS (MiB) and output of one command, its children included.

    The peak is the largest resident set of the process or any child it waited for (``wait4``), for
    ansible-playbook the controller or the module's process, whichever is larger, measured by a small
    wrapper process (PEAK_RSS_WRAPPER). A failed command ends the benchmark with its output.
    """
    with tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PEAK_RSS_WRAPPER, peak.name] + list(argv), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        elapsed = time.perf_counter() - started
        output = done.stdout.decode(errors="replace")
        if done.returncode != 0:
            sys.exit("%s failed:\n%s" % (" ".join(argv[:2]), output[-3000:]))
        return elapsed, int(peak.read()) / 1024.0, output
