# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A disk that fills up part-way through a file, for the tests of what a failed write leaves behind.

The operating system's own limit on the size of the files a process writes (RLIMIT_FSIZE): a write past it
fails with EFBIG ("File too large") as a write to a full disk fails with ENOSPC, whatever the test runs as
(root ignores file permissions, not this limit). Nothing of the collection is patched.
"""

from __future__ import annotations

import contextlib
import resource
import signal


@contextlib.contextmanager
def file_size_limit(limit):
    """While in the block, a file this process writes cannot grow past ``limit`` bytes."""
    # Past the limit the kernel sends SIGXFSZ, which ends the process unless ignored; ignored, the write fails.
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous_handler)
