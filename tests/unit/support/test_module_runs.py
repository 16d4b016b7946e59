# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/support/module_runs.py: the helpers that read a module's result find what a reader of it would see."""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.tests.support.module_runs import decoded_texts


def test_decoded_texts_finds_what_repr_escapes():
    secret = "tok\r\nen\t\x00"
    result = {"msg": "leaked: " + secret}
    assert secret not in repr(result)
    assert any(secret in text for text in decoded_texts(result))
