# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: access_user
short_description: Read Cloudflare Zero Trust Access users, for conditions and loops
version_added: 0.2.0
description:
  - Returns the Zero Trust Access users named by the terms, emails or user ids, as Cloudflare's API gives them,
    including the seat status (C(access_seat), C(gateway_seat)), in the order of the terms.
  - Runs on the controller inside a template, so a seat check in C(when:) or a loop costs one HTTP request
    instead of a task (about 0.4 s of module start-up each).
  - A term that is a UUID such as V(f174e90a-fafe-4643-bbbc-4a0ed4fc8415) is a user id; any other term is an
    email address, matched exactly and case-insensitively. Terms are checked as M(cloudflare_community.zero_trust.cf_access_user_info)
    checks O(cloudflare_community.zero_trust.cf_access_user_info#module:user_id) and
    O(cloudflare_community.zero_trust.cf_access_user_info#module:email), before any request.
  - All terms of one call are looked up together, as the module does. For k emails (or k ids) in an account of
    n users it sends at most min(k, ⌈n/1000⌉) + 1 requests; 1,000 emails take at most 4 requests. Emails and ids
    mixed in one call are two such batches.
  - O(request_budget) counts the requests of one lookup call, retries included.
  - A keyword that is none of the options below (a misspelt V(acount_id=), say) fails the lookup before any request,
    naming the keywords it takes.
  - Uses the API calls C(GET /accounts/{account_id}/access/users/{user_id}) ("Get a user") and
    C(GET /accounts/{account_id}/access/users) ("Get users").
author:
  - Cloudflare Zero Trust collection maintainers (@cloudflare-community)
options:
  _terms:
    description:
      - Email addresses or user ids (UUIDs) of the users to read. A list given as one term counts as its items.
    type: list
    elements: str
    required: true
notes:
  - Use the lookup for conditions and loops on seat status (one request where a task would be needed);
    use M(cloudflare_community.zero_trust.cf_access_user_info) for listings, name and search filters,
    O(cloudflare_community.zero_trust.cf_access_user_info#module:include), and results you register.
extends_documentation_fragment:
  - cloudflare_community.zero_trust.auth
  - cloudflare_community.zero_trust.auth.plugins
  - cloudflare_community.zero_trust.connection
  - cloudflare_community.zero_trust.connection.plugins
  - cloudflare_community.zero_trust.on_missing
  - cloudflare_community.zero_trust.on_missing.error
seealso:
  - module: cloudflare_community.zero_trust.cf_access_user_info
  - name: Cloudflare API, Zero Trust users
    description: The API calls this lookup makes.
    link: https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/users/
"""

EXAMPLES = r"""
- name: Only for users who hold a Gateway seat (one request per email)
  ansible.builtin.debug:
    msg: "{{ item }} uses WARP"
  loop: "{{ team_emails }}"
  when: lookup('cloudflare_community.zero_trust.access_user', item).gateway_seat
  vars:
    team_emails: [jdoe@example.com, tim.jones2@example.com]
    cloudflare_account_id: 023e105f4ecef8ad9ca31a8372d0c353
    cloudflare_api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"

- name: Many at once, in one planned batch (at most min(k, pages) + 1 requests)
  ansible.builtin.set_fact:
    team: "{{ query('cloudflare_community.zero_trust.access_user', *team_emails) }}"
  vars:
    team_emails: [jdoe@example.com, tim.jones2@example.com]

- name: Leavers who still hold a seat; an unknown address gives a stand-in without seats, and a warning
  ansible.builtin.debug:
    msg: "{{ item.email }} still holds a seat"
  loop: "{{ query('cloudflare_community.zero_trust.access_user', leavers, on_missing='warn') }}"
  loop_control:
    label: "{{ item.email }}"
  when: item.access_seat or item.gateway_seat
  vars:
    leavers: [jdoe@example.com, gone@example.com]

- name: A user by id, with the options as keywords and the legacy global API key
  ansible.builtin.debug:
    msg: "{{ user.email }} has {{ user.active_device_count }} devices"
  vars:
    user: >-
      {{ lookup('cloudflare_community.zero_trust.access_user', 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415',
                account_id='023e105f4ecef8ad9ca31a8372d0c353', api_email='admin@example.com',
                api_key=lookup('ansible.builtin.env', 'CLOUDFLARE_API_KEY')) }}
"""

RETURN = r"""
_raw:
  description:
    - One item per term, in the order of the terms. A term given twice gives its user twice.
    - For a term that names a user, the user as the API returns it; fields Cloudflare adds later are passed through.
    - With O(on_missing=warn) or O(on_missing=skip), a term that names no user gives a stand-in instead of a
      user, so positions still match the terms and a condition on its C(gateway_seat) or C(access_seat) is
      simply false. The stand-in has C(missing) V(true), C(email) (or C(id), for a user id) the term as given,
      C(access_seat) and C(gateway_seat) V(false) and C(active_device_count) V(0).
      V(query(...\) | rejectattr('missing', 'defined'\)) keeps the real users only.
      With O(on_missing=error), the default, such a term fails the lookup.
    - An email that several users have in different letter case fails the lookup, naming their ids, as in the modules.
    - With one term, C(lookup) returns the item itself; C(query) always returns the list.
    - See R(What every module returns,ansible_collections.cloudflare_community.zero_trust.docsite.user_guide.returns).
  type: list
  elements: dict
  contains:
    missing:
      description: V(true) in the stand-in for a term that names no user; absent from real users.
      returned: for a term that names no user, with O(on_missing=warn) or O(on_missing=skip)
      type: bool
      sample: true
    id:
      description: The user's identifier (UUID).
      type: str
      sample: f174e90a-fafe-4643-bbbc-4a0ed4fc8415
    access_seat:
      description: Whether the user holds an Access seat.
      type: bool
      sample: true
    active_device_count:
      description: The number of active devices registered to the user.
      type: int
      sample: 2
    created_at:
      description: When the user was created (ISO 8601).
      type: str
      sample: "2014-01-01T05:20:00.12345Z"
    email:
      description: The user's email address.
      type: str
      sample: jdoe@example.com
    gateway_seat:
      description: Whether the user holds a Gateway seat (WARP client).
      type: bool
      sample: true
    last_successful_login:
      description: When the user last logged in successfully (ISO 8601); V(null) if never.
      type: str
      sample: "2020-07-01T05:20:00Z"
    name:
      description: The user's name.
      type: str
      sample: Jane Doe
    seat_uid:
      description: The identifier of the user's Zero Trust seat.
      type: str
      sample: 9f6b5c4a-8d2e-4e1f-a0b3-7c9d8e6f5a41
    uid:
      description: The unique API identifier for the user.
      type: str
      sample: 1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b
    updated_at:
      description: When the user was last updated (ISO 8601).
      type: str
      sample: "2014-01-01T05:20:00.12345Z"
"""

import sys

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    apply_on_missing,
    find_users,
    select_terms,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    client_from_params,
    require_account_id,
    settings_warnings,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.plugin_utils._plugin_options import checked_options, option_variables

display = Display()

# A lookup runs in the Python of ansible-core itself, which pipx or a venv often keeps apart from the system's.
REQUESTS_MISSING = ("the access_user lookup needs the Python library requests in the Python that runs Ansible (%s): "
                    "install it there, for example with 'pipx inject ansible-core requests' ('pipx inject ansible "
                    "requests' for the ansible package) or that virtual env's pip")


STAND_INS = "each gives a stand-in with missing: true and no seats"


def stand_in(ask):
    """What a term that names no user gives under on_missing=warn or skip: no seat, no device, marked missing."""
    return {"missing": True, "id" if ask.by == "id" else "email": ask.value, "access_seat": False,
            "gateway_seat": False, "active_device_count": 0}


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self._refuse_unknown_keywords(kwargs)
        variables = option_variables(self, variables)
        # Ansible's own reading of the options checks on_missing's choices; the options the modules share are
        # resolved as the modules resolve them, from what the call gives (checked_options).
        self.set_options(var_options=variables, direct=kwargs)
        if not HAS_REQUESTS:
            raise AnsibleLookupError(REQUESTS_MISSING % sys.executable)
        terms = self._flatten(terms)
        try:
            return self._read(terms, self._checked_options(kwargs, variables))
        except CloudflareError as exc:
            # The client's one line (request, HTTP status, Cloudflare's codes, cf-ray); no chained traceback.
            raise AnsibleLookupError(str(exc)) from None

    def _refuse_unknown_keywords(self, kwargs):
        """Refuse a keyword that is no option: Ansible ignores it, so ``acount_id=`` would pass silently."""
        keywords = {name for name in self.option_definitions if not name.startswith("_")}
        keywords.update(alias for definition in self.option_definitions.values() for alias in definition.get("aliases", []))
        unknown = sorted(set(kwargs) - keywords)
        if unknown:
            raise AnsibleLookupError("the access_user lookup has no keyword %s; its keywords are %s" % (
                " or ".join(unknown), ", ".join(sorted(keywords))))

    def _checked_options(self, kwargs, variables):
        """The modules' params for this call; get_option then gives the values the lookup uses, as checked."""
        params = checked_options(self, kwargs, variables)
        for name in self.option_definitions:
            if name in params:
                self.set_option(name, params[name])
        return params

    def _read(self, terms, params):
        """One item per term, in term order: the user, or a stand-in for a term that names none, as on_missing
        says. The selection, its planner and on_missing are the modules' own."""
        account_id = require_account_id("account_id", params["account_id"], variables=True)
        asks = select_terms(terms)
        account = client_from_params(params, variables=True).account(account_id)
        for warning in settings_warnings(params):
            display.warning(warning)
        try:
            found = find_users(account, asks) if asks else {}
        finally:
            account.client.session.close()
        for retry in account.retry_log:
            display.warning("API request retried after a transient failure: %s" % retry)
        users = [found[(ask.by, ask.key)] for ask in asks]
        missing = [ask.value for ask, user in zip(asks, users) if user is None]
        for warning in apply_on_missing(self.get_option("on_missing"), asks, missing, what="terms",
                                        going_on=STAND_INS, stopped=""):
            display.warning(warning)
        return [user if user is not None else stand_in(ask) for ask, user in zip(asks, users)]
