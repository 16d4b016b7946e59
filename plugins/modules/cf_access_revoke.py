#!/usr/bin/python
# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: cf_access_revoke
short_description: Cut Cloudflare Zero Trust users off now, keeping their accounts
version_added: 0.2.0
description:
  - Incident response. Revokes every Access token of the users, deletes their WARP device registrations and,
    when asked, deletes their passkeys and MFA authenticators, while the users, their seats and their history
    stay for the investigation. Freeing seats (M(cloudflare_community.zero_trust.cf_access_seat)) and deleting
    users (M(cloudflare_community.zero_trust.cf_access_user)) are billing and lifecycle acts, done separately.
  - "B(Not permanent on its own.) While the identity provider still lets the user log in, the user can log in
    again: a new login issues new Access tokens, and a WARP client that can authenticate registers again. Disable
    the user in the identity provider (or remove them from the Access and device enrollment policies) for good."
  - Reads first, with the selectors and look-ups of M(cloudflare_community.zero_trust.cf_access_user_info), each
    user's active sessions (not with O(force)), their active WARP registrations (for k users about ⌈k/50⌉
    listings, each followed to its last cursor) and, with O(passkeys), the passkeys of their last seen identity.
    With nothing to cut the task is V(changed=false) and sends no write.
  - Plans before it writes. Once the look-ups say how many users there are, and again once the reads say what
    they have, every request still to come is counted against O(request_budget) and O(pacing_timeout); work too
    large for them fails before the first write, saying how many requests it takes and how long it would wait.
    Work that needs more than Cloudflare's 1,200 requests per 5 minutes is paced over several windows (see
    O(pacing_timeout)), which the module's log says up front and RV(api_pacing) at the end.
  - Then writes, up to four requests at a time, in three steps. C(POST .../access/organizations/revoke_user) once
    per user with sessions (or every user, with O(force)); C(DELETE .../devices/registrations?id=...) in batches of
    up to 50 registrations across users, after which the users' registrations are listed again (one listing per 50
    users) and only those no longer listed count as deleted; C(DELETE .../access/users/{user_id}/mfa_authenticators/{id})
    for each passkey and each O(mfa_authenticator_id).
  - Every write ends in the same state when sent again, so a write that fails on HTTP 429, 5xx or a lost
    connection is sent again (see O(retries)). When the outcome stays unclear, the module reads the state again
    rather than guess. A write that Cloudflare refuses for its user (an HTTP 4xx other than 401, 403 and 429) does
    not stop the others; any other failure stops its step, and the steps after it still run unless no request can
    go (the rate limit, the budget, no connection, the credentials). The task then fails with V(changed=true) when
    something was cut; RV(changed_users) and RV(users) say exactly what, and the message names the users refused,
    what was not sent, what is unknown, and that running the task again is safe.
  - Every answer is checked before it is acted on. A registration that belongs to a user not asked for, that
    names another email than the user's or that is listed under two users, and a last seen identity of another
    user fail the task before any write. So does a user named by O(user_id) whose email another user of the
    account has in other letter case, when the tokens are to be revoked (Cloudflare revokes them by email, so both
    users would lose theirs). A registration listing that goes on beyond what it announced, or beyond 100
    registrations a user, is stopped.
  - A value of O(user_id) or O(email) that matches no user is listed in RV(missing) and, by default, named in a
    warning, so that a typo does not read as "nothing to cut"; O(on_missing=error) fails the task instead, before
    any write.
author:
  - Cloudflare Zero Trust collection maintainers (@cloudflare-community)
options:
  user_id:
    description:
      - Cut off the users with these identifiers, UUIDs such as V(f174e90a-fafe-4643-bbbc-4a0ed4fc8415). One id or
        a list.
      - Read as O(cloudflare_community.zero_trust.cf_access_user_info#module:user_id) reads them.
      - Exactly one of O(user_id) and O(email) is required.
    type: list
    elements: str
  email:
    description:
      - Cut off the users with these email addresses. One address or a list.
      - Matching is exact and case-insensitive. When several users have the address in different letter case,
        the task fails before any write and names their ids.
    type: list
    elements: str
  sessions:
    description:
      - Revoke every Access token of each user who has an active session, with Cloudflare's C(Revoke all Access
        tokens for a user) call (by the user's email).
      - Revoked users cannot use their Access applications until they log in again; Cloudflare says that can take
        up to a minute to hold everywhere.
    type: bool
    default: true
  force:
    description:
      - Send the token revocation for every user, without reading their active sessions. The sessions listed may not
        show every token (for example WARP sessions), so use it when in doubt, and to offboard; it also saves one
        request per user.
      - A revocation sent this way cannot be checked by reading again, and every run sends it again, so a task
        with O(force) always reports V(changed=true) for users it revokes; RV(users[].cut.sessions) is V(null).
      - Needs O(sessions=true).
    type: bool
    default: false
  warp_session_reauth:
    description:
      - Sent with the token revocation. V(true) also makes the users authenticate to WARP again for every Gateway
        policy that enforces a WARP session duration; V(false) leaves their WARP sessions active.
    type: bool
    default: true
  devices:
    description:
      - What to do with the users' active WARP registrations (one per user and WARP client).
      - V(delete) deletes them. The device must register again, which needs the user to log in, and their virtual
        IPs are released.
      - V(revoke) revokes them with Cloudflare's deprecated C(Revoke registrations) call, which keeps the virtual IPs
        and can be undone; the module warns.
      - V(keep) leaves them.
      - Cloudflare's device API takes an API token only. With O(api_email) and O(api_key), anything but V(keep)
        fails before any request.
    type: str
    choices: [delete, revoke, keep]
    default: delete
  passkeys:
    description:
      - Delete the passkeys that each user's last seen identity lists, one request each.
    type: bool
    default: false
  mfa_authenticator_id:
    description:
      - Ids of MFA authenticators (TOTP apps, security keys, biometrics) to delete, as an operator reads them in the
        dashboard (Team & Resources, Users, the user, MFA devices). For one user only.
      - Each id is checked before any request against the format of Cloudflare's schema, such as
        V(test-authenticator-id-123), that is 1 to 128 letters, digits, hyphens and underscores. The passkey ids
        the API lists for O(passkeys) are checked the same way; one of another format fails the task before any
        write.
      - The API cannot list these, so they cannot be read first. Each is deleted on every run; one that is already
        gone (HTTP 404) is not a change.
    type: list
    elements: str
    default: []
notes:
  - "API token permissions: C(Access: Organizations, Identity Providers, and Groups Write) for the token revocation,
    C(Zero Trust Write) for deleting or revoking registrations, C(Access: Audit Logs Read) for reading users,
    sessions and identities. Cloudflare's schema names none for listing registrations (C(Zero Trust Read) is the
    likely one) nor for deleting MFA authenticators; an HTTP 403 for them says so rather than guess."
  - "Requests: for k users, at most min(k, ⌈n/1000⌉) + 1 look-ups in an account of n users, k session reads (none
    with O(force)), ⌈k/50⌉ registration listings (plus one per further page of 100), k identity reads with
    O(passkeys); then one revocation per user with sessions (every user, with O(force)), ⌈r/50⌉ requests for r
    registrations and ⌈h/50⌉ listings reading again the h users who had them, and one per passkey or
    authenticator. So 2,000 users with 2,700 registrations cost about 2,130 requests with O(force), paced over two
    windows. All count against O(request_budget) and O(pacing_timeout) before the first is sent, in check mode too."
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
      - Sends the same reads and no write, and reports what would be cut. O(mfa_authenticator_id) cannot be read,
        so it is reported as it would be deleted.
  diff_mode:
    support: full
    details:
      - For each user with something to cut, by email, before and after, the session count and application names,
        the registrations (as in RV(users[].cut.registrations)), the passkey ids and the MFA authenticator ids.
seealso:
  - module: cloudflare_community.zero_trust.cf_access_user_info
  - module: cloudflare_community.zero_trust.cf_access_seat
  - module: cloudflare_community.zero_trust.cf_access_user
  - name: Cloudflare API, Revoke all Access tokens for a user
    description: The token revocation this module sends.
    link: https://developers.cloudflare.com/api/resources/zero_trust/subresources/organizations/methods/revoke_users/
  - name: Cloudflare API, Delete registrations
    description: The registration delete this module sends.
    link: https://developers.cloudflare.com/api/resources/zero_trust/subresources/devices/subresources/registrations/methods/bulk_delete/
  - name: Zero Trust session management
    description: What revoking a user does, and why it lasts only until the next login.
    link: https://developers.cloudflare.com/cloudflare-one/identity/users/session-management/
"""

EXAMPLES = r"""
- name: Cut the suspect off, keep the account for the investigation
  cloudflare_community.zero_trust.cf_access_revoke:
    account_id: 023e105f4ecef8ad9ca31a8372d0c353
    api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
    email: jdoe@example.com
    passkeys: true
  register: contained

- name: Say what was cut
  ansible.builtin.debug:
    msg: >-
      {{ contained.user.cut.sessions }} sessions ({{ contained.user.cut.session_apps | join(', ') }}),
      {{ contained.user.cut.registrations | length }} registrations and
      {{ contained.user.cut.passkeys | length }} passkeys cut

- name: Set the credentials once for every module of the collection
  module_defaults:
    group/cloudflare_community.zero_trust.cloudflare:
      account_id: 023e105f4ecef8ad9ca31a8372d0c353
      api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
  block:
    - name: Preview what cutting several users off would do (no write)
      cloudflare_community.zero_trust.cf_access_revoke:
        email:
          - jdoe@example.com
          - john.jdoe@example.com
      check_mode: true
      diff: true
      register: preview

    - name: Revoke the tokens of a user even without a listed session, and keep the devices
      cloudflare_community.zero_trust.cf_access_revoke:
        user_id: f174e90a-fafe-4643-bbbc-4a0ed4fc8415
        force: true
        devices: keep

    - name: Cut off every suspect of an incident, thousands at once, paced over Cloudflare's rate limit windows
      cloudflare_community.zero_trust.cf_access_revoke:
        email: "{{ suspects }}"
        force: true  # every user's tokens, sessions listed or not
        request_budget: 10000  # about 1.1 requests a user: room for 9,000 users
        pacing_timeout: 3600  # wait up to an hour for the rate limit; more fails before the first write
      async: 4000  # a long task: Ansible shows it is alive every poll
      poll: 15
      register: incident

    - name: Delete an MFA authenticator read in the dashboard
      cloudflare_community.zero_trust.cf_access_revoke:
        email: jdoe@example.com
        sessions: false
        devices: keep
        mfa_authenticator_id: [totp-f174e90a]
"""

RETURN = r"""
changed:
  description: Whether anything was cut (or, in check mode, would be).
  returned: always
  type: bool
  sample: true
users:
  description:
    - Every user the selectors matched, in the order asked, each once, as the API gave it, with the field C(cut).
    - On failure, the users as far as the task got, C(cut) saying what was cut before the failure.
  returned: success, and on failure part-way
  type: list
  elements: dict
  contains:
    cut:
      description: What was cut for the user (predicted in check mode). Empty lists and zeros for nothing.
      type: dict
      contains:
        access_tokens_revoked:
          description: Whether the user's Access tokens were revoked.
          type: bool
          sample: true
        sessions:
          description:
            - The active sessions listed before the revocation; 0 when the tokens were not revoked.
            - V(null) with O(force), which revokes without reading them.
          type: int
          sample: 1
        session_apps:
          description: The names of the applications of those sessions; V(null) with O(force).
          type: list
          elements: str
          sample: [Example App]
        registrations:
          description: The WARP registrations deleted (or revoked, with O(devices=revoke)).
          type: list
          elements: dict
          sample:
            - id: 0ff13105-bbde-4cfb-b65e-c3b601b33775
              device: {id: 30deacbf-8f6c-4d4f-a8bc-45d60128de67, name: "Jane's MacBook Pro"}
              last_seen_at: "2026-10-14T23:14:00Z"
              virtual_ipv4: 100.96.215.83
              virtual_ipv6: "2606:4700:0cf1:1000::505e"
        passkeys:
          description: The passkeys deleted, with their ids and names.
          type: list
          elements: dict
          sample: [{id: passkey-f174e90a, name: "Jane's security key"}]
        mfa_authenticators:
          description: The ids of O(mfa_authenticator_id) deleted (not those already gone).
          type: list
          elements: str
          sample: [totp-f174e90a]
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
      cut:
        access_tokens_revoked: true
        sessions: 1
        session_apps: [Example App]
        registrations:
          - id: 0ff13105-bbde-4cfb-b65e-c3b601b33775
            device: {id: 30deacbf-8f6c-4d4f-a8bc-45d60128de67, name: "Jane's MacBook Pro"}
            last_seen_at: "2026-10-14T23:14:00Z"
            virtual_ipv4: 100.96.215.83
            virtual_ipv6: "2606:4700:0cf1:1000::505e"
          - id: 9f512416-2aac-4941-a9a8-7e00b687f1ed
            device: {id: 873bae5c-26fe-486f-8b39-4963183a288c, name: "Jane's iPhone 15"}
            last_seen_at: "2026-11-04T15:23:00Z"
            virtual_ipv4: 100.96.94.164
            virtual_ipv6: "2606:4700:0cf1:1000::69e0"
        passkeys: [{id: passkey-f174e90a, name: "Jane's security key"}]
        mfa_authenticators: []
changed_users:
  description: The users of RV(users) with something cut, the same objects, in the same order.
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
  description: For each user with something to cut, by email, what there was to cut before and what is left after.
  returned: in diff mode
  type: dict
  sample:
    before:
      jdoe@example.com:
        access_tokens_revoked: false
        sessions: 1
        session_apps: [Example App]
        registrations:
          - id: 0ff13105-bbde-4cfb-b65e-c3b601b33775
            device: {id: 30deacbf-8f6c-4d4f-a8bc-45d60128de67, name: "Jane's MacBook Pro"}
            last_seen_at: "2026-10-14T23:14:00Z"
            virtual_ipv4: 100.96.215.83
            virtual_ipv6: "2606:4700:0cf1:1000::505e"
        passkeys: [passkey-f174e90a]
        mfa_authenticators: []
    after:
      jdoe@example.com:
        access_tokens_revoked: true
        sessions: 0
        session_apps: []
        registrations: []
        passkeys: []
        mfa_authenticators: []
api_pacing:
  description:
    - What the task sent, and what it waited for Cloudflare's rate limit (see O(pacing_timeout)).
    - The same lines went to the module's log (syslog or the journal of the host that ran it) as they happened.
  returned: success
  type: dict
  contains:
    requests:
      description: The API requests the task sent, retries included.
      type: int
      sample: 2131
    waited:
      description: The seconds it waited for the rate limit, all waits together.
      type: float
      sample: 287.4
    plans:
      description: One line for each batch of planned requests that needed more than one window, before the first.
      type: list
      elements: str
      sample: ["cutting off 2000 users (the writes, and reading them again) takes 2079 more API requests, more than
               Cloudflare's rate limit (1,200 requests per 5 min; this task's share 1,180) allows in one window: paced
               over about 2 windows, about 4 min 47 s of waiting"]
    waits:
      description: One line for each wait.
      type: list
      elements: str
      sample: ["paced: 1180 requests sent in the last 5 min, as much as Cloudflare's rate limit (1,200 requests per
               5 min; this task's share 1,180) allows; waiting 4 min 47 s for the next window (0 s waited so far,
               pacing_timeout 15 min)"]
  sample: {requests: 52, waited: 0.0, plans: [], waits: []}
api_retries:
  description: One line for each request sent again after a transient failure. Empty when none was.
  returned: success
  type: list
  elements: str
  sample: ["DELETE /accounts/023e105f4ecef8ad9ca31a8372d0c353/devices/registrations?id=0ff13105-bbde-4cfb-b65e-c3b601b33775: HTTP 502; retried after 1.3 s"]
"""

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_revoke import (
    DEVICE_ACTIONS,
    REVOKE_DEPRECATED,
    SAFE_AGAIN,
    SHARED_EMAIL,
    Steps,
    UserCut,
    anything_cut,
    cut_off,
    cut_options,
    cut_records,
    diff_of,
    failure_parts,
    least_requests,
    read_state,
)
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
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._writes import (
    DONE,
    first_failure,
    in_state,
    stopped,
)

SELECTORS = ("user_id", "email")
ARGUMENT_SPEC = dict(
    COMMON_ARGSPEC,
    user_id=dict(type="list", elements="str"),
    email=dict(type="list", elements="str"),
    sessions=dict(type="bool", default=True),
    force=dict(type="bool", default=False),
    warp_session_reauth=dict(type="bool", default=True),
    devices=dict(type="str", choices=list(DEVICE_ACTIONS), default="delete"),
    passkeys=dict(type="bool", default=False),
    mfa_authenticator_id=dict(type="list", elements="str", default=[]),
    on_missing=on_missing_option("warn"),
)


def revoke_access(params, check_mode, want_diff):
    """The TaskResult: the failure when a write failed, the warnings of on_missing and of what the writes met."""
    account_id = require_account_id("account_id", params["account_id"])
    _option, asks = select_users(params, SELECTORS, "leave the task out to cut no one off")
    what = cut_options(params, asks)
    account = client_from_params(params).account(account_id)
    users, missing = resolve_users(account, asks, refuse_shared_email=SHARED_EMAIL if what["sessions"] else None)
    missing_warnings = apply_on_missing(params["on_missing"], asks, missing)
    cuts = [UserCut(user, what["mfa"]) for user in users]
    # The plan: what the reads and writes take at least, before the reads; all of it, before the first write.
    account.reserve(least_requests(cuts, what), "cutting off %d users (the reads, and the least the writes take)"
                    % len(cuts))
    read_state(account, cuts, what)
    steps = Steps(cuts, what)
    account.reserve(steps.count(), "cutting off %d users (the writes, and reading them again)" % len(cuts))
    outcomes = [] if check_mode else cut_off(account, steps, what)
    records = cut_records(cuts, None if check_mode else outcomes)
    after = [dict(cut.user, cut=record) for cut, record in zip(cuts, records)]
    result = dict(api_retries=account.retry_log, api_pacing=account.pacing(),
                  **selection_result(asks, after, missing, [user for user in after if anything_cut(user["cut"])]))
    result["changed"] = bool(result["changed_users"])
    diff = diff_by_user((cut.label,) + diff_of(cut, record) for cut, record in zip(cuts, records)
                        if anything_cut(record)) if want_diff else None
    warnings = missing_warnings + ([REVOKE_DEPRECATED] if what["devices"] == "revoke" else []) + [
        outcome.why for outcome in in_state(outcomes, DONE) if outcome.why]
    failure = None
    if stopped(outcomes):
        failure = partial_failure(first_failure(outcomes), failure_parts(outcomes, cuts, records), SAFE_AGAIN)
    return TaskResult(result, failure, warnings, diff)


def main():
    run_module(revoke_access, ARGUMENT_SPEC, mutually_exclusive=[SELECTORS], required_one_of=[SELECTORS])


if __name__ == "__main__":
    main()
