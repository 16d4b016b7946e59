#!/usr/bin/python
# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: cf_access_risk_reset
short_description: Reset the Zero Trust risk scores of users after an investigation
version_added: 0.2.0
description:
  - Clears the user risk score of each user named, with Cloudflare's C(Clear the risk score for a particular user)
    call, once an investigation has closed the incident that raised it. Cloudflare wipes the user's risk-scoring
    history; the score rises again with the next risky behaviour.
  - Reads first, with the selectors and look-ups of M(cloudflare_community.zero_trust.cf_access_user_info), then each
    user's risk events (C(GET .../zt_risk_scoring/{user_id})). Only users with risk events are reset, so a second run
    is V(changed=false) and sends no write.
  - A reset ends in the same state when sent again, so one that fails on HTTP 429, 5xx or a lost connection is sent
    again (see O(retries)). When its outcome stays unclear, the module reads the user's risk again rather than guess.
    A reset that fails stops the task; RV(changed_users) says which users were reset before it.
  - A value of O(user_id) or O(email) that matches no user is listed in RV(missing) and, by default, named in a
    warning; O(on_missing=error) fails the task instead, before any write.
  - The event source C(cloudflare_community.zero_trust.access_events) reports a user whose risk level rises; the
    shipped rulebook cuts such users off with M(cloudflare_community.zero_trust.cf_access_revoke). This module is
    the last step, once the user is cleared.
author:
  - Cloudflare Zero Trust collection maintainers (@cloudflare-community)
options:
  user_id:
    description:
      - Reset the risk scores of the users with these identifiers, UUIDs such as
        V(f174e90a-fafe-4643-bbbc-4a0ed4fc8415). One id or a list.
      - Exactly one of O(user_id) and O(email) is required.
    type: list
    elements: str
  email:
    description:
      - Reset the risk scores of the users with these email addresses. One address or a list.
      - Matching is exact and case-insensitive, as in M(cloudflare_community.zero_trust.cf_access_user_info).
    type: list
    elements: str
notes:
  - "API token permissions: C(Zero Trust: PII Read) to read the risk events, C(Zero Trust Write) to reset,
    C(Access: Audit Logs Read) to look users up. Risk scoring is a Zero Trust Enterprise feature."
  - "Requests: for k users, at most min(k, ⌈n/1000⌉) + 1 look-ups in an account of n users, k reads of risk events
    and one reset per user with risk events, all counted against O(request_budget) before the first is sent."
  - Returns the keys every module of the collection returns (RV(users), RV(missing), RV(changed_users), RV(user))
    and, on failure, C(msg) and for a failed request C(method), C(path), C(status), C(errors) and C(cf_ray),
    all described in the user guide,
    R(What every module returns,ansible_collections.cloudflare_community.zero_trust.docsite.user_guide.returns).
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
      - Sends the same reads and no reset, and reports which users would be reset.
  diff_mode:
    support: full
    details:
      - For each user to reset, by email, the risk level and the number of risk events before and after.
seealso:
  - module: cloudflare_community.zero_trust.cf_access_revoke
  - module: cloudflare_community.zero_trust.cf_access_user_info
  - name: Cloudflare API, Clear the risk score for a particular user
    description: The reset this module sends.
    link: https://developers.cloudflare.com/api/resources/zero_trust/subresources/risk_scoring/methods/reset/
  - name: Zero Trust user risk scoring
    description: What raises a user's risk score, and what a reset does.
    link: https://developers.cloudflare.com/cloudflare-one/insights/risk-score/
"""

EXAMPLES = r"""
- name: The investigation is closed, reset the user's risk score
  cloudflare_community.zero_trust.cf_access_risk_reset:
    account_id: 023e105f4ecef8ad9ca31a8372d0c353
    api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
    email: jdoe@example.com
  register: cleared

- name: Say what was reset
  ansible.builtin.debug:
    msg: >-
      {{ cleared.user.email }}: {{ cleared.user.risk.event_count }} risk events
      {{ 'reset' if cleared.user.risk.reset else 'to reset: none' }} (level {{ cleared.user.risk.risk_level }})

- name: Preview the resets of several users (no write)
  cloudflare_community.zero_trust.cf_access_risk_reset:
    account_id: 023e105f4ecef8ad9ca31a8372d0c353
    user_id:
      - f174e90a-fafe-4643-bbbc-4a0ed4fc8415
      - 5e1c3b7a-2d4f-4a6b-9c8d-7e6f5a4b3c2d
  check_mode: true
  diff: true
"""

RETURN = r"""
changed:
  description: Whether a risk score was reset (or, in check mode, would be).
  returned: always
  type: bool
  sample: true
users:
  description:
    - Every user the selectors matched, in the order asked, each once, as the API gave it, with the field C(risk).
    - On failure, the users as far as the task got, C(risk.reset) saying which were reset before the failure.
  returned: success, and on failure part-way
  type: list
  elements: dict
  contains:
    risk:
      description: The user's risk before the task, and whether it was reset (predicted in check mode).
      type: dict
      contains:
        risk_level:
          description: The highest level of the user's risk events (V(low), V(medium), V(high)); V(null) without any.
          type: str
          sample: high
        event_count:
          description: The number of risk events.
          type: int
          sample: 3
        last_event:
          description: The time of the latest risk event, or V(null).
          type: str
          sample: "2026-12-07T03:12:44.512000Z"
        last_reset_time:
          description: When the score was last reset before this task, or V(null).
          type: str
          sample: null
        reset:
          description: Whether the score was reset by this task (would be, in check mode).
          type: bool
          sample: true
  sample:
    - id: f174e90a-fafe-4643-bbbc-4a0ed4fc8415
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
      risk:
        risk_level: high
        event_count: 2
        last_event: "2026-12-07T03:12:44.512000Z"
        last_reset_time: null
        reset: true
changed_users:
  description: The users of RV(users) whose score was reset, the same objects, in the same order.
  returned: success, and on failure part-way
  type: list
  elements: dict
  sample: []
user:
  description: When the selector got exactly one value, that user as in RV(users), or V({}) when it is missing.
  returned: success, when the selector got one value
  type: dict
  sample: {}
missing:
  description: The requested ids or emails, as given (first spelling), that matched no user.
  returned: success, and on failure part-way
  type: list
  elements: str
  sample: [leaver@example.com]
diff:
  description: For each user to reset, by email, the risk level and the number of risk events before and after.
  returned: in diff mode
  type: dict
  sample:
    before:
      jdoe@example.com: {risk_level: high, event_count: 2}
    after:
      jdoe@example.com: {risk_level: null, event_count: 0}
api_retries:
  description: One line for each request sent again after a transient failure. Empty when none was.
  returned: success
  type: list
  elements: str
  sample: []
"""

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    apply_on_missing,
    resolve_users,
    select_users,
    selection_result,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import partial_failure
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._module import (
    TaskResult,
    diff_by_user,
    run_module,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    COMMON_ARGSPEC,
    client_from_params,
    on_missing_option,
    require_account_id,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._risk_scores import (
    reset_risks,
    risk_record,
    user_risk,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._threads import in_parallel

SELECTORS = ("user_id", "email")
ARGUMENT_SPEC = dict(
    COMMON_ARGSPEC,
    user_id=dict(type="list", elements="str"),
    email=dict(type="list", elements="str"),
    on_missing=on_missing_option("warn"),
)


def reset_scores(params, check_mode, want_diff):
    """The TaskResult: the failure when a reset failed, the warnings of on_missing."""
    account_id = require_account_id("account_id", params["account_id"])
    _option, asks = select_users(params, SELECTORS, "leave the task out to reset no one")
    account = client_from_params(params).account(account_id)
    users, missing = resolve_users(account, asks)
    warnings = apply_on_missing(params["on_missing"], asks, missing)
    account.reserve(len(users), "reading the risk of %d users" % len(users))
    risks = in_parallel(lambda user: user_risk(account, user), users)
    to_reset = [user for user, risk in zip(users, risks) if risk["events"]]
    account.reserve(len(to_reset), "resetting the risk of %d users" % len(to_reset))
    done, error = (set(user["id"] for user in to_reset), None) if check_mode else reset_risks(account, to_reset)
    after = [dict(user, risk=risk_record(risk, user["id"] in done)) for user, risk in zip(users, risks)]
    result = dict(api_retries=account.retry_log,
                  **selection_result(asks, after, missing, [user for user in after if user["risk"]["reset"]]))
    result["changed"] = bool(result["changed_users"])
    diff = None
    if want_diff:
        changed = result["changed_users"] if error is None else [user for user in after if user["id"] in
                                                                 {each["id"] for each in to_reset}]
        diff = diff_by_user((user["email"], dict(risk_level=user["risk"]["risk_level"],
                                                 event_count=user["risk"]["event_count"]),
                             dict(risk_level=None, event_count=0)) for user in changed)
    failed = None
    if error is not None:
        reset_before = [user["email"] for user in result["changed_users"]]
        failed = partial_failure(error, ["reset before it: %s" % (", ".join(reset_before) if reset_before else "none")],
                                 "running the task again is safe")
    return TaskResult(result, failed, warnings, diff)


def main():
    run_module(reset_scores, ARGUMENT_SPEC, mutually_exclusive=[SELECTORS], required_one_of=[SELECTORS])


if __name__ == "__main__":
    main()
