# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Mirrors COMMON_ARGSPEC in plugins/module_utils/_options.py option for option.
    DOCUMENTATION = r"""
options:
  api_token:
    description:
      - "Cloudflare API token, sent as C(Authorization: Bearer <token>)."
      - "Reading users needs the token permission C(Access: Audit Logs Read) on the account."
      - If not set, the value of the environment variable E(CLOUDFLARE_API_TOKEN) is used, then E(CLOUDFLARE_TOKEN)
        (the variable M(community.general.cloudflare_dns) reads). An empty variable counts as unset, here and for
        every other option read from the environment.
      - Use either O(api_token) or O(api_email) with O(api_key), not both. This includes values taken from the
        environment, so unset E(CLOUDFLARE_API_TOKEN) when you pass a global API key.
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
    type: str
    required: true
  api_url:
    description:
      - Base URL of Cloudflare's v4 API.
      - Credentials are only sent over C(https), except to a loopback address such as C(http://127.0.0.1:8080),
        which is useful for local testing.
      - If not set, the value of the environment variable E(CLOUDFLARE_BASE_URL) is used.
    type: str
    default: https://api.cloudflare.com/client/v4
  timeout:
    description:
      - Seconds one request may take from end to end, connecting, waiting for the answer and reading its body.
        A server that sends its answer slowly, a byte at a time, fails the request when the time is up.
      - A request that times out is a transient failure, tried again as O(retries) says.
    type: float
    default: 30
  validate_certs:
    description:
      - Whether to verify the API's TLS certificate.
      - The certificate is checked against the CA bundle named by the environment variable E(REQUESTS_CA_BUNDLE)
        (or E(CURL_CA_BUNDLE)) when it is set and not empty, otherwise against the CAs that come with C(requests).
        A bundle path that does not exist fails the task before any request.
      - Set to V(false) only for a test endpoint you control.
    type: bool
    default: true
  use_proxy:
    description:
      - Whether to send requests to an C(https) O(api_url) through the proxy that the environment variables
        E(HTTPS_PROXY) or E(ALL_PROXY) name, except for the hosts in E(NO_PROXY), as M(ansible.builtin.uri) does.
      - A loopback O(api_url) (such as C(http://127.0.0.1:8080)) never goes through a proxy, and the user's
        C(~/.netrc) (or E(NETRC)) is never read, so nothing in the environment replaces or copies the credentials.
    type: bool
    default: true
    version_added: 0.2.0
  retries:
    description:
      - How many times to send a request again after a transient failure, per request.
      - Transient failures are HTTP 429 (rate limited) and connections that could not be opened, for every request;
        for reads and idempotent writes (freeing seats, renaming and deleting users) also HTTP 500, 502, 503 and 504,
        connections that break and answers that time out. A create is never sent again after it may have arrived.
        HTTP 400, 401, 403 and 404 are never retried.
      - The module waits as long as the API's C(Retry-After) header asks; without it, it backs off exponentially
        (about 1, 2, 4 ... seconds, at most 30) with random jitter.
      - Each retry is listed in RV(ignore:api_retries) and reported as a warning.
      - V(0) turns retries off.
    type: int
    default: 3
  retry_timeout:
    description:
      - The most seconds the task spends waiting between retries, all requests together. The time the requests
        themselves take does not count, and waits of requests sent side by side count once.
      - When the next wait would go past it, the task fails at once and says how long it waited.
      - Cloudflare blocks a user for up to 5 minutes once 1,200 requests in 5 minutes are reached;
        set V(300) (and O(retries) high enough) to wait such a block out.
    type: float
    default: 60
  request_budget:
    description:
      - The most API requests one task may send, retries included.
      - Cloudflare allows 1,200 requests per 5 minutes per user and then blocks all API use of that user, by any
        tool, for 5 minutes. A task that knows how many requests its work takes (for example one request per user
        and item of O(ignore:include)) fails before sending any of them when that is more than the budget, and says
        how many it needs; the budget also stops any task at that many requests.
      - Narrow the selection, or raise the budget (at most V(1200)) when the account can afford it.
    type: int
    default: 500
    version_added: 0.2.0
requirements:
  - requests (Python library, on the host that runs the module)
notes:
  - Set credentials once for a play with C(module_defaults) and the action group
    C(group/cloudflare_community.zero_trust.cloudflare).
"""

    # --- PLUGINS: for lookups (begin) ---------------------------------------------------------------
    # Controller plugins (the access_user lookup) use DOCUMENTATION plus this sub-fragment, which adds
    # the sources only plugins have: environment variables (the modules' env fallbacks, same names) and
    # Ansible variables. Ansible applies the last source listed that is set, so each option lists its
    # preferred environment variable last. plugins/plugin_utils/_plugin_options.py turns the values into
    # the params of _options.client_from_params.
    PLUGINS = r"""
options:
  api_token:
    env:
      - name: CLOUDFLARE_TOKEN
      - name: CLOUDFLARE_API_TOKEN
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
  api_url:
    env:
      - name: CLOUDFLARE_BASE_URL
    vars:
      - name: cloudflare_api_url
  timeout:
    vars:
      - name: cloudflare_timeout
  validate_certs:
    vars:
      - name: cloudflare_validate_certs
  retries:
    vars:
      - name: cloudflare_retries
  retry_timeout:
    vars:
      - name: cloudflare_retry_timeout
  request_budget:
    vars:
      - name: cloudflare_request_budget
  use_proxy:
    vars:
      - name: cloudflare_use_proxy
notes:
  - Each option is taken from, in this order, the keyword argument, the Ansible variable, the environment
    variable and the default. An environment variable set to an empty string counts as unset.
  - C(module_defaults) does not reach lookups; set the Ansible variables (for example C(cloudflare_api_token)
    and C(cloudflare_account_id)) once for the play or inventory instead.
"""
    # --- PLUGINS: for lookups (end) -----------------------------------------------------------------
