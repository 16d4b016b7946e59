#!/usr/bin/python
# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: cf_access_user_info
short_description: Read Cloudflare Zero Trust Access users
version_added: 0.1.0
description:
  - Reads users of a Cloudflare Zero Trust account, by id, by email, by the API's name and search filters,
    or the whole account, with the API calls C(GET /accounts/{account_id}/access/users/{user_id}) ("Get a user")
    and C(GET /accounts/{account_id}/access/users) ("Get users").
  - Returns the users' fields as the API gives them, including the seat status (C(access_seat), C(gateway_seat))
    that onboarding, offboarding and licence audits test in C(when:) conditions.
  - An unknown user is not an error by default; it is listed in RV(missing) and RV(found) is V(false). Set
    O(on_missing) to V(warn) or V(error) to be told.
  - Sends few requests, since every request counts against Cloudflare's limit of 1,200 requests per five minutes.
    For k ids or emails in an account of n users it sends at most min(k, p) + 1 requests for the look-ups, where
    p is the number of pages the API announces for the account (⌈n/1000⌉ on Cloudflare, which serves 1,000 users
    per page; more on a server with smaller pages). Only a server that announces fewer pages than it serves can
    make it send more. One keep-alive connection, a few requests at a time.
  - A listing is complete or the task fails. The module reads on while the totals the API announces say users are
    missing, and fails, saying what was announced and what came, when the API's numbers contradict each other.
  - Results are returned, not set as facts. Use C(register), and M(ansible.builtin.set_fact) if you want a fact.
  - Returns the keys every module of the collection returns (RV(users), RV(missing), RV(changed_users), RV(user))
    and, on failure, C(msg) and for a failed request C(method), C(path), C(status), C(errors) and C(cf_ray),
    all described in the user guide,
    R(What every module returns,ansible_collections.cloudflare_community.zero_trust.docsite.user_guide.returns).
author:
  - Cloudflare Zero Trust collection maintainers (@cloudflare-community)
options:
  user_id:
    description:
      - Read the users with these identifiers, UUIDs such as V(f174e90a-fafe-4643-bbbc-4a0ed4fc8415)
        (the C(id) field of a user object). One id or a list.
      - Ids that name no user are returned in RV(missing).
      - Mutually exclusive with O(email), O(name) and O(search).
    type: list
    elements: str
  email:
    description:
      - Read the users with these email addresses. One address or a list.
      - Matching is exact and case-insensitive, so V(a@example.com) never returns V(aa@example.com),
        although the API's own C(email) filter is a search. When several users have the address in different
        letter case, the task fails and names their ids; name the one meant with O(user_id).
      - Addresses that match no user are returned in RV(missing).
      - Mutually exclusive with O(user_id), O(name) and O(search).
    type: list
    elements: str
  name:
    description:
      - Passed to the API's C(name) filter of the user list; the API decides how it matches.
      - Can be combined with O(search).
    type: str
  search:
    description:
      - Passed to the API's C(search) filter of the user list, which searches the listed fields.
      - Can be combined with O(name).
    type: str
  include:
    description:
      - Related data to add to each returned user, one request per user and item, for incident response.
      - V(active_sessions) adds C(active_sessions), the user's active Access sessions
        (C(GET .../users/{user_id}/active_sessions)).
      - V(failed_logins) adds C(failed_logins), the user's recent failed logins.
      - V(last_seen_identity) adds C(last_seen_identity), the identity the user last logged in with
        (V(null) when the API has none).
      - V(registrations) adds C(registrations), the user's active WARP registrations, read in batched listings
        (C(GET .../devices/registrations?user.id=...)), about one request per 50 users, not one per user.
        Cloudflare's device API takes an API token only.
      - V(membership) adds C(membership), the Access groups and reusable policies whose rules name the user's email,
        and how (C(include), C(require), C(exclude) or a policy's approvers; an email rule, or another rule kind
        such as C(email_domain)). One listing of the groups and one of the reusable policies for the whole task,
        not one per user. Added in version 0.2.0.
    type: list
    elements: str
    choices: [active_sessions, failed_logins, last_seen_identity, registrations, membership]
    default: []
notes:
  - With none of O(user_id), O(email), O(name) and O(search), the module reads every user of the account,
    1,000 per request, and adds a RV(summary) of the seats.
extends_documentation_fragment:
  - cloudflare_community.zero_trust.auth
  - cloudflare_community.zero_trust.auth.modules
  - cloudflare_community.zero_trust.connection
  - cloudflare_community.zero_trust.connection.modules
  - cloudflare_community.zero_trust.on_missing
  - cloudflare_community.zero_trust.on_missing.skip
  - cloudflare_community.zero_trust.attributes
  - cloudflare_community.zero_trust.attributes.info_module
  - cloudflare_community.zero_trust.attributes.actiongroup_cloudflare
seealso:
  - name: Cloudflare API, Zero Trust users
    description: The API calls this module makes.
    link: https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/users/
  - name: Create API token
    description: "How to create a token with the C(Access: Audit Logs Read) permission."
    link: https://developers.cloudflare.com/fundamentals/api/get-started/create-token/
"""

EXAMPLES = r"""
- name: Read a Zero Trust user
  cloudflare_community.zero_trust.cf_access_user_info:
    account_id: 023e105f4ecef8ad9ca31a8372d0c353
    user_id: f174e90a-fafe-4643-bbbc-4a0ed4fc8415
    api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
  register: cf

- name: Only for users who hold a Gateway seat
  ansible.builtin.debug:
    msg: "{{ cf.user.email }} uses WARP"
  when: cf.found and cf.user.gateway_seat

- name: Read a user with the legacy global API key instead of a token
  cloudflare_community.zero_trust.cf_access_user_info:
    account_id: 023e105f4ecef8ad9ca31a8372d0c353
    email: jdoe@example.com
    api_email: admin@example.com
    api_key: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_KEY') }}"
  register: cf_legacy

- name: Set the credentials once for every module of the collection
  module_defaults:
    group/cloudflare_community.zero_trust.cloudflare:
      account_id: 023e105f4ecef8ad9ca31a8372d0c353
      api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
  block:
    - name: Offboarding - read the leavers by email, in one task
      cloudflare_community.zero_trust.cf_access_user_info:
        email:
          - ken.turing17@example.com
          - shafi.hopper23@example.com
      register: leavers

    - name: Keep the leavers as a fact for later plays
      ansible.builtin.set_fact:
        offboarded_users: "{{ leavers.users }}"

    - name: Fail early when a leaver still holds a seat
      ansible.builtin.assert:
        that: item.access_seat is false and item.gateway_seat is false
        fail_msg: "{{ item.email }} still holds a seat"
      loop: "{{ leavers.users }}"
      loop_control:
        label: "{{ item.email }}"

    - name: Incident response - where is this user signed in?
      cloudflare_community.zero_trust.cf_access_user_info:
        email: jdoe@example.com
        include: [active_sessions, last_seen_identity]
      register: suspect

    - name: Show the suspect's sessions and last identity
      ansible.builtin.debug:
        msg: "{{ suspect.user.active_sessions }} from {{ suspect.user.last_seen_identity.ip | default('unknown') }}"
      when: suspect.found

    - name: Seat audit - read every user of the account
      cloudflare_community.zero_trust.cf_access_user_info:
      register: everyone

    - name: Report the seat counts
      ansible.builtin.debug:
        msg: >-
          {{ everyone.summary.users }} users, {{ everyone.summary.access_seat }} Access seats,
          {{ everyone.summary.gateway_seat }} Gateway seats, {{ everyone.summary.never_logged_in }} never logged in

    - name: Seat audit - users who hold a seat but never logged in
      ansible.builtin.debug:
        msg: "{{ item.email }} holds a seat but never logged in"
      loop: "{{ everyone.users | selectattr('last_successful_login', 'none') }}"
      loop_control:
        label: "{{ item.email }}"
      when: item.access_seat or item.gateway_seat

    - name: Seat audit - Gateway seats without a device (seats they don't use)
      ansible.builtin.debug:
        msg: "{{ item.email }} holds a Gateway seat with no active device"
      loop: "{{ everyone.users | selectattr('gateway_seat', 'true') | selectattr('active_device_count', 'equalto', 0) | list }}"
      loop_control:
        label: "{{ item.email }}"
"""

RETURN = r"""
users:
  description:
    - The users found, as the API returns them; fields Cloudflare adds later are passed through.
    - For O(user_id) and O(email), in the order asked for, each once; otherwise sorted by email.
    - With O(include), each user also has the keys named there.
  returned: success
  type: list
  elements: dict
  contains:
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
    active_sessions:
      description: The user's active Access sessions; V(null) when the API answers 404 for them.
      returned: when O(include) has V(active_sessions)
      type: list
      elements: dict
      sample: [{"name": "app.example.com", "expiration": 1795689600, "metadata": {"nonce": "X1aXj1lFVcqqyoXF", "ttl": 21600}}]
    failed_logins:
      description: The user's recent failed logins; V(null) when the API answers 404 for them.
      returned: when O(include) has V(failed_logins)
      type: list
      elements: dict
      sample: [{"expiration": 0, "metadata": {"app_name": "Test App", "user_email": "jdoe@example.com"}}]
    last_seen_identity:
      description: The identity the user last logged in with; V(null) when the API has none.
      returned: when O(include) has V(last_seen_identity)
      type: dict
      sample: {"email": "jdoe@example.com", "name": "Jane Doe", "ip": "203.0.113.7", "geo": {"country": "US"}}
    registrations:
      description: The user's active WARP registrations, one per WARP client, with the device and its virtual IPs.
      returned: when O(include) has V(registrations)
      type: list
      elements: dict
      sample:
        - id: 0ff13105-bbde-4cfb-b65e-c3b601b33775
          device: {id: 30deacbf-8f6c-4d4f-a8bc-45d60128de67, name: "Jane's MacBook Pro"}
          last_seen_at: "2026-10-14T23:14:00Z"
          virtual_ipv4: 100.96.215.83
          virtual_ipv6: "2606:4700:0cf1:1000::505e"
    membership:
      description:
        - The Access groups and reusable policies whose rules name the user's email, one item per rule that does.
        - C(kind) is V(group) or V(policy); C(section) is V(include), V(require), V(exclude) or
          V(approval_groups); C(rule) is the rule's kind (V(email), V(email_domain), V(email_list), V(saml),
          V(oidc), V(gsuite), V(common_name), or V(email_addresses) of an approval group); C(value) is the text
          that matched.
        - M(cloudflare_community.zero_trust.cf_access_membership) takes the user out of the C(include) email
          rules, and reports the others.
      returned: when O(include) has V(membership)
      type: list
      elements: dict
      version_added: 0.2.0
      sample:
        - {"kind": "group", "id": "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a01", "name": "Engineering", "section": "include",
           "rule": "email", "value": "jdoe@example.com"}
        - {"kind": "policy", "id": "0c5b4a39-2817-4f6e-9d5c-4b3a29180705", "name": "Partners", "section": "exclude",
           "rule": "email", "value": "jdoe@example.com"}
membership_unreadable:
  description:
    - With O(include=membership), the groups and reusable policies whose rules could not be read (a shape the
      collection does not know), which may name the users too; each with C(kind), C(id), C(name) and C(issues).
  returned: when O(include) has V(membership)
  type: list
  elements: dict
  version_added: 0.2.0
  sample: []
user:
  description:
    - The one user asked for, the same dict as the only element of RV(users); V({}) when not found.
  returned: when O(user_id) or O(email) has exactly one value
  type: dict
  sample:
    id: f174e90a-fafe-4643-bbbc-4a0ed4fc8415
    access_seat: true
    active_device_count: 2
    created_at: "2014-01-01T05:20:00.12345Z"
    email: jdoe@example.com
    gateway_seat: true
    last_successful_login: "2020-07-01T05:20:00Z"
    name: Jane Doe
    seat_uid: 9f6b5c4a-8d2e-4e1f-a0b3-7c9d8e6f5a41
    uid: 1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b
    updated_at: "2014-01-01T05:20:00.12345Z"
found:
  description:
    - For O(user_id) and O(email), whether every requested id or email matched a user.
    - Otherwise, whether any user was returned.
  returned: success
  type: bool
  sample: true
missing:
  description: The requested ids or emails, as first given, that matched no user; empty for listings.
  returned: success
  type: list
  elements: str
  sample: [00000000-0000-4000-8000-000000000000]
changed_users:
  description: Always empty, as the module changes nothing; returned so that every module returns the same keys.
  returned: success
  type: list
  elements: dict
  sample: []
summary:
  description: Seat counts of the returned users, for a seat audit.
  returned: when neither O(user_id) nor O(email) was given
  type: dict
  contains:
    users:
      description: The number of users returned.
      type: int
      sample: 25
    access_seat:
      description: Users who hold an Access seat (C(access_seat) is V(true)).
      type: int
      sample: 14
    gateway_seat:
      description: Users who hold a Gateway seat (C(gateway_seat) is V(true)).
      type: int
      sample: 13
    both_seats:
      description: Users who hold both seats.
      type: int
      sample: 7
    no_seat:
      description: Users who hold neither seat (both V(false)).
      type: int
      sample: 5
    unknown_seat:
      description:
        - Users of whom the API left a seat out or gave it as something other than V(true) or V(false) (such as
          V(null) or the text V(no)). Such a seat is counted neither as held nor as free.
      type: int
      sample: 0
    never_logged_in:
      description: Users with no successful login.
      type: int
      sample: 4
api_retries:
  description: One line for each request sent again after a transient failure; also shown as a warning.
  returned: success
  type: list
  elements: str
  sample:
    - "GET /accounts/023e105f4ecef8ad9ca31a8372d0c353/access/users?page=2&per_page=1000: HTTP 429; retried after 2.0 s (Retry-After)"
"""

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    RELATED,
    add_related,
    apply_on_missing,
    list_users,
    resolve_users,
    seat_summary,
    select_users,
    selection_result,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._devices import add_registrations
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareInputError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._membership_writes import membership_of_users
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._module import TaskResult, run_module
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    COMMON_ARGSPEC,
    client_from_params,
    on_missing_option,
    require_account_id,
    require_token_auth_in,
)

ARGUMENT_SPEC = dict(
    COMMON_ARGSPEC,
    user_id=dict(type="list", elements="str"),
    email=dict(type="list", elements="str"),
    name=dict(type="str"),
    search=dict(type="str"),
    include=dict(type="list", elements="str", choices=list(RELATED) + ["registrations", "membership"],
                 default=[]),
    on_missing=on_missing_option("skip"),  # found and missing are the answer an info module is asked for
)
SELECTORS_APART = [("user_id", "email"), ("user_id", "name"), ("user_id", "search"), ("email", "name"), ("email", "search")]


def check_filters(params):
    for option in ("name", "search"):
        if params[option] is not None and not params[option].strip():
            raise CloudflareInputError("%s must not be empty; leave it out to read every user" % option)


def read_listing(account, params):
    users = sorted(list_users(account, name=params["name"], search=params["search"]),
                   key=lambda user: (str(user.get("email")).lower(), str(user.get("id"))))
    return dict(users=users, found=bool(users), missing=[], changed_users=[], summary=seat_summary(users))


def read_named(account, asks, on_missing):
    """``(result, warnings)``: the users the asks name, in the order asked, each once, with the keys every module
    returns, and the warning of on_missing."""
    users, missing = resolve_users(account, asks)
    warnings = apply_on_missing(on_missing, asks, missing)
    return dict(found=not missing, **selection_result(asks, users, missing)), warnings


def read_users(params, _check_mode, _want_diff):
    """The TaskResult for validated params (a read: the same in check mode, no diff); every check happens before
    the first request."""
    account_id = require_account_id("account_id", params["account_id"])
    _option, asks = select_users(params)
    check_filters(params)
    if "registrations" in params["include"]:
        require_token_auth_in(params, "include: registrations")
    account = client_from_params(params).account(account_id)
    result, warnings = read_named(account, asks, params["on_missing"]) if asks else (
        read_listing(account, params), [])
    add_related(account, result["users"], [what for what in params["include"] if what in RELATED])
    if "registrations" in params["include"]:
        add_registrations(account, result["users"])
    if "membership" in params["include"]:
        result["membership_unreadable"] = membership_of_users(account, result["users"])
    result["api_retries"] = account.retry_log
    return TaskResult(dict(result, changed=False), warnings=warnings)


def main():
    run_module(read_users, ARGUMENT_SPEC, mutually_exclusive=SELECTORS_APART)


if __name__ == "__main__":
    main()
