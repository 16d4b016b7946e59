# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_threads.py: requests a few at a time, and writes that stop starting after the first failure."""

from __future__ import annotations

import threading

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _errors, _threads


def test_writes_stop_starting_after_the_first_failure_and_report_each_one():
    started, lock = [], threading.Lock()

    def write(item):
        with lock:
            started.append(item)
        if item == 2:
            raise _errors.CloudflareError("refused")
        return item * 10

    outcomes = _threads.in_parallel_until_failure(write, list(range(40)))
    assert len(outcomes) == 40
    assert outcomes[2][1].args == ("refused",)
    ran = [index for index, (_value, error) in enumerate(outcomes) if error is not _threads.NOT_STARTED]
    assert sorted(started) == ran and len(ran) < 40
    assert all(outcomes[index] == (index * 10, None) for index in ran if index != 2)
    assert all(outcomes[index] == (None, _threads.NOT_STARTED) for index in range(40) if index not in ran)
