# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Connection settings: the options of COMMON_ARGSPEC (plugins/module_utils/_options.py) that say where and how
    # requests go. Authentication is in auth.py. Every module and the lookup use DOCUMENTATION; the text suits both.
    DOCUMENTATION = r"""
options:
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
      - Whether to verify the API's TLS certificate. Only a boolean is accepted; anything else (a CA bundle path,
        a typo) fails before any request.
      - The certificate is checked against the CA bundle named by the environment variable E(REQUESTS_CA_BUNDLE)
        (or E(CURL_CA_BUNDLE)) when it is set and not empty, otherwise against the CAs that come with C(requests).
        A bundle path that does not exist fails before any request.
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
      - Each wait is as long as the API's C(Retry-After) header asks; without it, the waits back off exponentially
        (about 1, 2, 4 ... seconds, at most 30) with random jitter.
      - Each retry is reported as a warning.
      - V(0) turns retries off.
    type: int
    default: 3
  retry_timeout:
    description:
      - The most seconds spent waiting between retries, all requests together. The time the requests themselves
        take does not count, and waits of requests sent side by side count once.
      - When the next wait would go past it, the task or lookup fails at once and says how long it waited.
      - Cloudflare blocks a user for up to 5 minutes once 1,200 requests in 5 minutes are reached;
        set V(300) (and O(retries) high enough) to wait such a block out.
    type: float
    default: 60
  request_budget:
    description:
      - The most API requests one task (or one call of a lookup) may send, retries included.
      - When the requests the work takes are known in advance (the pages of a listing, the writes of a management
        module) and are more than the budget, it fails before sending any of them and says how many it needs; the
        budget also stops any task at that many requests.
      - Cloudflare's rate limit (1,200 requests per 5 minutes, which then blocks all API use of the user, by any
        tool, for 5 minutes) is kept by pacing, whatever the budget (see O(pacing_timeout)). The default keeps a task
        within one window, with no wait; raise it for work at incident or audit scale, up to V(100000).
    type: int
    default: 500
    version_added: 0.2.0
  pacing_timeout:
    description:
      - The most seconds one task (or one call of a lookup) may wait for Cloudflare's rate limit, all waits
        together.
      - The collection never sends more than its share of Cloudflare's 1,200 requests per 5 minutes in any 5
        minutes (1,000 of them until the API's answers say how many are left, which also counts the dashboard's
        and other tools' requests; then all but 20). Work that needs more waits for the next window instead of
        being blocked.
      - When the work's requests are known before the first write and waiting for them would take longer than
        this, the task fails before sending them and says how long they would take. A wait that would go past it
        fails the task at that request.
      - V(0) never waits. Run a long task with C(async) and C(poll) to see that it is alive; each wait is written
        to the module's log (syslog or the journal of the host that runs it) as it happens.
    type: float
    default: 900
    version_added: 0.2.0
"""

    # Modules run where the task runs, usually the controller (hosts: localhost or delegate_to: localhost).
    MODULES = r"""
options: {}
requirements:
  - requests (Python library, on the host that runs the module)
"""

    # Controller plugins (the access_user lookup): the same settings, also from Ansible variables.
    PLUGINS = r"""
options:
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
  use_proxy:
    vars:
      - name: cloudflare_use_proxy
  retries:
    vars:
      - name: cloudflare_retries
  retry_timeout:
    vars:
      - name: cloudflare_retry_timeout
  request_budget:
    vars:
      - name: cloudflare_request_budget
  pacing_timeout:
    vars:
      - name: cloudflare_pacing_timeout
requirements:
  - requests (Python library, in the Python that runs Ansible on the controller, where ansible-core is installed;
    for example pipx inject ansible-core requests, or pip install requests in that virtual env)
"""
