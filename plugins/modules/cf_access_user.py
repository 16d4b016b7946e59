#!/usr/bin/python
# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: cf_access_user
short_description: Create, rename and delete Cloudflare Zero Trust Access users
version_added: 0.2.0
description:
  - Onboarding and offboarding of the users of a Cloudflare Zero Trust account, with the API calls
    C(POST /accounts/{account_id}/access/users) ("Create a user"),
    C(PUT /accounts/{account_id}/access/users/{user_id}) ("Update a user") and
    C(DELETE /accounts/{account_id}/access/users/{user_id}) ("Delete a user").
  - With O(state=present), finds each user by exact, case-insensitive email, creates the users that are missing
    and, when O(name) is given and differs, renames the user. Otherwise it changes nothing and sends no write.
  - With O(state=absent), deletes the users named by O(email) or O(user_id). Cloudflare also revokes their seats
    and tokens. Users that do not exist are left alone, listed in RV(missing) and, by default, named in a warning;
    O(on_missing=error) fails the task instead, before any write.
  - Reads first, with the look-up planner of M(cloudflare_community.zero_trust.cf_access_user_info), and writes
    only the difference. For k emails or ids in an account of n users the look-ups take at most
    min(k, ⌈n/1000⌉) + 1 requests; each change then takes one request, deletes a few at a time.
  - Every request counts against O(request_budget); the writes are counted before the first one is sent.
  - A create is never sent again after it may have arrived, that is after a broken connection, a timeout or any
    HTTP 5xx; only an HTTP 429, which Cloudflare answers before processing, or a connection that could not be opened
    is tried again. After such a failure the module looks the email up again and reports the user if it was created.
    If not, it fails and says that the outcome is unknown and that running the task again is safe.
  - A create that the API refuses with HTTP 400 or 409 because a user already has the email, for example one
    created at the same time, ends in the same look-up; that user is reported unchanged, or renamed to O(name)
    when it has another name. A 2xx answer that does not confirm the create (a body that cannot be read, an
    answer about another user) ends in the same look-up too.
  - A rename or delete whose outcome is unclear (no answer, a 5xx, a 2xx that does not confirm it) is checked by
    reading the user again; only what that read shows is reported as done.
  - When a write fails, the task fails, and reports C(changed=true) and the users it did change when others
    landed before or beside it; the message says what was done, what failed and what was not sent.
  - Returns the keys every module of the collection returns (RV(users), RV(missing), RV(changed_users), RV(user))
    and, on failure, C(msg) and for a failed request C(method), C(path), C(status), C(errors) and C(cf_ray),
    all described in the user guide,
    R(What every module returns,ansible_collections.cloudflare_community.zero_trust.docsite.user_guide.returns).
author:
  - Cloudflare Zero Trust collection maintainers (@cloudflare-community)
options:
  email:
    description:
      - The email addresses of the users, one address or a list.
      - Matching is exact and case-insensitive. V(Ada@Example.com) finds the user V(ada@example.com).
        When several users have the address in different letter case, the task fails before any write and names
        their ids.
      - A user is created with the address as written here.
      - With O(user_id), one address that must be the user's current one (ignoring letter case). Cloudflare
        does not allow the email of a user to change, so a different address fails before any write.
    type: list
    elements: str
  user_id:
    description:
      - The identifiers of the users, UUIDs such as V(f174e90a-fafe-4643-bbbc-4a0ed4fc8415), one or a list.
      - With O(state=present), an id that names no user fails, since the API chooses the id of a new user;
        use O(email) to create users.
      - To rename a user by id, give one id and O(name).
    type: list
    elements: str
  name:
    description:
      - The user's name. With O(state=present) only, and for one user.
      - Sent when a user is created. A user that exists and has another name is renamed.
      - "Cloudflare's C(Update a user) call needs the token permission C(Zero Trust: Seats Write)."
      - When not set, a user that exists keeps its name, and a new user is created without one.
    type: str
  state:
    description:
      - V(present) creates the users that do not exist and renames those whose name differs from O(name).
        An email that matches no user is not missing but created, and a O(user_id) that matches none fails, since
        the API chooses the ids of new users; so O(on_missing) does not apply.
      - V(absent) deletes the users that exist. Deleting a user also revokes its seats and tokens. O(on_missing)
        says what to do about the users that do not exist.
    type: str
    choices: [present, absent]
    default: present
notes:
  - "API token permissions: Cloudflare's schema names C(Access: Audit Logs Read) for reading users and
    C(Zero Trust: Seats Write) for renaming them (C(PUT)). It names none for creating (C(POST)) and deleting
    (C(DELETE)) users, so this documentation cannot either. An HTTP 403 for these calls says so and does not guess."
  - Check mode reads the users and reports what would change, without any write. With C(--diff), each user's
    state before and after is shown. A user that does not exist (yet) is V({}).
extends_documentation_fragment:
  - cloudflare_community.zero_trust.auth
  - cloudflare_community.zero_trust.auth.modules
  - cloudflare_community.zero_trust.connection
  - cloudflare_community.zero_trust.connection.modules
  - cloudflare_community.zero_trust.on_missing
  - cloudflare_community.zero_trust.on_missing.warn
  - cloudflare_community.zero_trust.attributes
  - cloudflare_community.zero_trust.attributes.actiongroup_cloudflare
attributes:
  check_mode:
    support: full
    details:
      - Sends the same reads and no write.
  diff_mode:
    support: full
    details:
      - The users before and after, one diff per user.
seealso:
  - module: cloudflare_community.zero_trust.cf_access_user_info
    description: Read users, their seats, sessions and failed logins.
  - name: Cloudflare API, Zero Trust users
    description: The API calls this module makes.
    link: https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/users/
"""

EXAMPLES = r"""
- name: Onboard a user
  cloudflare_community.zero_trust.cf_access_user:
    account_id: 023e105f4ecef8ad9ca31a8372d0c353
    api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
    email: ada@example.com
    name: Ada Lovelace
  register: ada

- name: Show the new user's id
  ansible.builtin.debug:
    msg: "{{ ada.user.email }} is {{ ada.user.id }}"

- name: Set the credentials once for every module of the collection
  module_defaults:
    group/cloudflare_community.zero_trust.cloudflare:
      account_id: 023e105f4ecef8ad9ca31a8372d0c353
      api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
  block:
    - name: Onboard a batch of new hires, in one task (created without a name)
      cloudflare_community.zero_trust.cf_access_user:
        email:
          - grace@example.com
          - alan@example.com

    - name: Rename a user, found by id
      cloudflare_community.zero_trust.cf_access_user:
        user_id: f174e90a-fafe-4643-bbbc-4a0ed4fc8415
        name: Jane Q. Doe

    - name: Offboard the leavers (also frees their seats)
      cloudflare_community.zero_trust.cf_access_user:
        email:
          - jdoe@example.com
          - ada@example.com
        state: absent
      register: offboarded

    - name: Report who was deleted
      ansible.builtin.debug:
        msg: "deleted: {{ offboarded.changed_users | map(attribute='email') | join(', ') }}"
"""

RETURN = r"""
changed:
  description: Whether a user was created, renamed or deleted (or, in check mode, would be).
  returned: always
  type: bool
  sample: true
users:
  description:
    - Every user asked for, in the order asked, each once, as it is after the task (predicted in check mode);
      a deleted user as it was before. A user that check mode would create has only the fields that would be
      sent, C(email) and C(name).
  returned: success, and when the task failed part-way
  type: list
  elements: dict
  sample:
    - {"id": "3bd24159-9ce0-475e-a7c5-a33f2c7524e8", "email": "ada@example.com", "name": "Ada Lovelace",
       "access_seat": false, "gateway_seat": false, "active_device_count": 0, "last_successful_login": null,
       "created_at": "2026-12-03T11:59:38Z", "updated_at": "2026-12-03T11:59:38Z", "seat_uid": null,
       "uid": "f03c171e-3666-488f-bbce-36d011ca8877"}
changed_users:
  description:
    - The users the task created, renamed or deleted (in check mode, would), as in RV(users), in that order.
    - With O(state=absent), the users deleted, as they were before.
  returned: success, and when the task failed part-way
  type: list
  elements: dict
  sample:
    - {"id": "3bd24159-9ce0-475e-a7c5-a33f2c7524e8", "email": "ada@example.com", "name": "Ada Lovelace",
       "access_seat": false, "gateway_seat": false, "active_device_count": 0, "last_successful_login": null,
       "created_at": "2026-12-03T11:59:38Z", "updated_at": "2026-12-03T11:59:38Z", "seat_uid": null,
       "uid": "f03c171e-3666-488f-bbce-36d011ca8877"}
missing:
  description:
    - The values of O(email) or O(user_id), as first given, for which there is no user. With O(state=absent),
      the users there was nothing to delete; with O(state=present), the users the task failed to create.
  returned: success, and when the task failed part-way
  type: list
  elements: str
  sample: [gone@example.com]
user:
  description: The one user, as in RV(users), when O(email) or O(user_id) has exactly one value; V({}) when there is none.
  returned: when O(email) or O(user_id) has exactly one value
  type: dict
  sample:
    id: 3bd24159-9ce0-475e-a7c5-a33f2c7524e8
    access_seat: false
    active_device_count: 0
    created_at: "2026-12-03T11:59:38Z"
    email: ada@example.com
    gateway_seat: false
    last_successful_login: null
    name: Ada Lovelace
    seat_uid: null
    uid: f03c171e-3666-488f-bbce-36d011ca8877
    updated_at: "2026-12-03T11:59:38Z"
diff:
  description:
    - Each user before and after the task (V({}) for a user that does not exist), with the email asked for as
      header; one dict for one user, a list of them for several.
  returned: in diff mode
  type: raw
  sample: {"before": {}, "after": {"email": "ada@example.com", "name": "Ada Lovelace"},
           "before_header": "ada@example.com", "after_header": "ada@example.com"}
api_retries:
  description: One line for each request sent again after a transient failure; also shown as a warning.
  returned: success
  type: list
  elements: str
  sample:
    - "DELETE /accounts/023e105f4ecef8ad9ca31a8372d0c353/access/users/f174e90a-fafe-4643-bbbc-4a0ed4fc8415: HTTP 429; retried after 2.0 s (Retry-After)"
"""

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_user_writes import (
    apply,
    confirm,
    failure,
    landed,
    plan,
    predicted,
    validate,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    apply_on_missing,
    find_users,
    selection_result,
    users_in_order,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    COMMON_ARGSPEC,
    client_from_params,
    on_missing_option,
    require_account_id,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._module import (
    TaskResult,
    run_module,
)

ARGUMENT_SPEC = dict(
    COMMON_ARGSPEC,
    email=dict(type="list", elements="str"),
    user_id=dict(type="list", elements="str"),
    name=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    on_missing=on_missing_option("warn"),  # state=absent only: state=present creates the users it does not find
)


def manage_users(params, check_mode, want_diff):
    """The TaskResult for validated params: the failure when a write failed, the warnings of on_missing."""
    account_id = require_account_id("account_id", params["account_id"])
    asks, confirm_email = validate(params)
    account = client_from_params(params).account(account_id)
    found = find_users(account, asks)
    confirm(found, asks, confirm_email)
    warnings = []
    if params["state"] == "absent":  # state=present creates the users it does not find: none is missing
        warnings = apply_on_missing(params["on_missing"], asks, users_in_order(asks, found)[1])
    changes = plan(asks, found, params["state"], params["name"])
    if check_mode:
        outcomes = predicted(changes)
    else:
        outcomes = apply(account, changes, params["name"])
    done = landed(outcomes)
    now = [(change, change.now(params["state"], id(change) in done)) for change in changes]
    users = [user for _change, user in now if user]
    result = dict(changed=bool(done), api_retries=account.retry_log, **selection_result(
        asks, users, [change.label for change, user in now if not user],
        [user for change, user in now if user and id(change) in done]))
    diff = None
    if want_diff:
        diffs = [change.diff(id(change) in done) for change in changes]
        diff = diffs[0] if len(diffs) == 1 else diffs
    return TaskResult(result, failure(outcomes), warnings, diff)


def main():
    run_module(manage_users, ARGUMENT_SPEC, required_one_of=[("email", "user_id")])


if __name__ == "__main__":
    main()
