# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Temporary: the name tests still import from here, until the import-rewrite commit points them at local_api/."""

from __future__ import annotations

from .local_api.seeded import passkeys as seeded_passkeys  # noqa: F401
