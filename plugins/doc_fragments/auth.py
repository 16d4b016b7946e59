# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Authentication and account: the credentials and account_id of COMMON_ARGSPEC (plugins/module_utils/_options.py).
    # Connection settings are in connection.py. Every module and the lookup use DOCUMENTATION; the text suits both.
    DOCUMENTATION = r"""
options:
  api_token:
    description:
      - "Cloudflare API token, sent as C(Authorization: Bearer <token>)."
      - "Reading users needs the token permission C(Access: Audit Logs Read) on the account."
      - If not set, the value of the environment variable E(CLOUDFLARE_API_TOKEN) is used, then E(CLOUDFLARE_TOKEN)
        (the variable M(community.general.cloudflare_dns) reads), the first one set and not empty. An empty
        variable counts as unset, here and for every other option read from the environment.
      - Use either O(api_token) or O(api_email) with O(api_key), not both. This includes values taken from the
        environment, so unset E(CLOUDFLARE_API_TOKEN) when you pass a global API key; the error names the
        environment variable a conflicting value came from.
      - Without any credentials, a task or lookup fails before any request, naming the options and environment
        variables that give them.
    type: str
  api_email:
    description:
      - Email address of the Cloudflare user that owns O(api_key), sent as C(X-Auth-Email).
      - Legacy authentication; prefer O(api_token).
      - If not set, the value of the environment variable E(CLOUDFLARE_EMAIL) is used.
    type: str
    aliases: [account_email]
  api_key:
    description:
      - Cloudflare global API key, sent as C(X-Auth-Key). Required together with O(api_email).
      - Legacy authentication; prefer O(api_token).
      - If not set, the value of the environment variable E(CLOUDFLARE_API_KEY) is used.
    type: str
    aliases: [account_api_key]
  account_id:
    description:
      - Identifier of the Cloudflare account (up to 32 hexadecimal characters), as shown in the dashboard URL.
      - If not set, the value of the environment variable E(CLOUDFLARE_ACCOUNT_ID) is used.
      - Required. It is checked after every source of options has applied, so a task or lookup without it fails
        before any request and says where to set it. An empty value (from an unset environment variable, say)
        counts as not set.
    type: str
notes:
  - Secrets (O(api_token), O(api_key)) never appear in results, warnings or error messages, at any verbosity, also
    when a server or proxy echoes them in an error answer.
"""

    # The module-only part: module_defaults sets the options above once for every module of a play.
    MODULES = r"""
options: {}
notes:
  - Set the credentials and O(account_id) once for a play with C(module_defaults) and the action group
    C(group/cloudflare_community.zero_trust.cloudflare).
"""

    # Controller plugins (the access_user lookup) also read Ansible variables. The environment variables are the
    # modules' (listed here for ansible-doc; plugin_utils/_plugin_options.py reads them through the modules'
    # argspec, so the first one set and not empty wins, in the order listed).
    PLUGINS = r"""
options:
  api_token:
    env:
      - name: CLOUDFLARE_API_TOKEN
      - name: CLOUDFLARE_TOKEN
    vars:
      - name: cloudflare_api_token
  api_email:
    env:
      - name: CLOUDFLARE_EMAIL
    vars:
      - name: cloudflare_api_email
  api_key:
    env:
      - name: CLOUDFLARE_API_KEY
    vars:
      - name: cloudflare_api_key
  account_id:
    env:
      - name: CLOUDFLARE_ACCOUNT_ID
    vars:
      - name: cloudflare_account_id
notes:
  - Each option is taken from, in this order, the keyword argument, the Ansible variable, the environment
    variable and the default. An environment variable set to an empty string counts as unset; of two listed
    for an option, the first one set wins.
  - C(module_defaults) does not reach lookups; set the Ansible variables (for example C(cloudflare_api_token)
    and C(cloudflare_account_id)) once for the play or inventory instead.
"""
