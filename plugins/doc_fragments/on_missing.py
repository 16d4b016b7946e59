# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # on_missing: one option, with the same words, for every module that selects users and the lookup
    # (ON_MISSING and on_missing_option() in plugins/module_utils/_options.py). A plugin takes DOCUMENTATION and
    # the variant of its default: WARN (the modules that change users), SKIP (cf_access_user_info), ERROR (lookup).
    DOCUMENTATION = r"""
options:
  on_missing:
    description:
      - What to do when a value that names a user (an email, a user id or a seat uid; a term of the lookup) matches
        no user of the account. A typo then does not pass for "nothing to do".
      - V(error) fails before any change, with one line that names the values that matched no user.
      - V(warn) goes on with the users found and shows a warning that names those values.
      - V(skip) goes on silently.
      - With V(warn) and V(skip), a module lists those values in C(missing), and the lookup gives a stand-in for
        each (see its return value).
      - The defaults differ by plugin, and are set so that what an operator sees first fits the task. V(warn) for
        the modules that change users, V(skip) for M(cloudflare_community.zero_trust.cf_access_user_info), whose
        C(found) and C(missing) are the answer it is asked for, and V(error) for the lookup.
      - The user guide says it once for every plugin,
        R(A value that matches no user,ansible_collections.cloudflare_community.zero_trust.docsite.user_guide.on_missing).
    type: str
    choices: [error, warn, skip]
    version_added: 0.2.0
"""

    WARN = r"""
options:
  on_missing:
    default: warn
"""

    SKIP = r"""
options:
  on_missing:
    default: skip
"""

    ERROR = r"""
options:
  on_missing:
    default: error
"""
