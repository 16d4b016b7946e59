#!/usr/bin/python
# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: cf_access_membership
short_description: Take Cloudflare Access users out of Access groups and reusable policies, or put them into groups
version_added: 0.2.0
description:
  - Access groups and reusable policies name people by email rules (C({"email":{"email":"jdoe@example.com"}})) in their
    C(include), C(require) and C(exclude) rules. Deleting a user leaves those rules in place, and access comes back
    with the address. O(state=absent) takes the users' email rules out of the C(include) of every group and
    reusable policy (offboarding); O(state=present) adds an email include rule to each of O(groups) that lacks it
    (onboarding).
  - Only email rules in C(include) are edited. Include rules are alternatives, so taking one out only narrows
    access. An email rule in C(require) (every require rule must match) or C(exclude) (a deny) is kept, since
    removing it would widen access, and reported in RV(needs_attention); so are C(email_domain) and C(email_list)
    rules, identity-provider attributes (SAML, OIDC, Google Workspace), certificate common names and a policy's
    approvers that name a user, and a group or policy whose C(include) would become empty (Cloudflare requires an
    include rule), which is left as it is for a person to decide.
  - Reads first, writes only the difference. The users are looked up as
    M(cloudflare_community.zero_trust.cf_access_user_info) looks them up; then the groups are listed once and, when
    O(policies) is true, the reusable policies once, whatever the number of users. One C(PUT) is sent per group or
    policy that changes, however many of the users it names. A second run changes nothing and sends no C(PUT).
  - A C(PUT) replaces the whole object and Cloudflare offers no ETag, so each change is read-modify-write. The
    object is read again just before its C(PUT) and compared with the object the change was planned from. When
    someone else changed it in between, the change is not sent, so that their edit is not overwritten, and the
    object is reported in RV(needs_attention) with a warning; running the task again plans on the object as it is.
  - Application-scoped policies (deprecated by Cloudflare) are not read or changed.
  - Emails match in any letter case. A value of O(user_id) or O(email) that matches no Access user is listed in
    RV(missing) and, by default, named in a warning; O(on_missing=error) fails the task instead, before any change.
    Create new hires with M(cloudflare_community.zero_trust.cf_access_user) before putting them into groups.
  - Returns the keys every module of the collection returns (RV(users), RV(missing), RV(changed_users), RV(user))
    and, on failure, C(msg) and for a failed request C(method), C(path), C(status), C(errors) and C(cf_ray),
    all described in the user guide,
    R(What every module returns,ansible_collections.cloudflare_community.zero_trust.docsite.user_guide.returns).
author:
  - Cloudflare Zero Trust collection maintainers (@cloudflare-community)
options:
  user_id:
    description:
      - The users, by their identifiers (UUIDs such as V(f174e90a-fafe-4643-bbbc-4a0ed4fc8415)). One id or a list.
        Their emails are what the rules name.
      - A user named by id whose email another user has in other letter case is refused before any write, since
        the rules would name both; name the users by email then.
      - Exactly one of O(user_id) and O(email) is required.
    type: list
    elements: str
  email:
    description:
      - The users, by their email addresses. One address or a list. Matching is exact and case-insensitive.
    type: list
    elements: str
  state:
    description:
      - V(absent) takes the users' email rules out of the C(include) of every group (or of O(groups)) and, with
        O(policies), of every reusable policy.
      - V(present) adds an email include rule for each user to each of O(groups) that lacks one, after the rules
        it has. An exclude rule naming the user is kept, and reported in RV(needs_attention), since the added rule
        grants nothing while it stays.
    type: str
    choices: [absent, present]
    default: absent
  groups:
    description:
      - The Access groups to work on, each by its id or its exact name. Required with O(state=present).
      - With O(state=absent), leave it out to work on every group of the account.
      - A value that names no group, or a name several groups have, fails the task before any write.
    type: list
    elements: str
  policies:
    description:
      - Whether the users' email rules are also taken out of the account's reusable policies (O(state=absent)).
      - Defaults to V(true) for O(state=absent) without O(groups) (offboarding from everything), and to V(false)
        when O(groups) names the groups to work on. O(state=present) puts users into groups only; policies name
        groups.
    type: bool
  report_dir:
    description:
      - Keep a record of each run that sends a C(PUT) in this directory, on the host that runs the module, as a new CSV
        file named O(report_name), a dash and the time of the run in UTC, such as
        C(membership-20261207T191200Z.csv). A run in check mode, or with nothing to change, writes none; the
        records of earlier runs are never replaced.
      - One row per user and group or policy, with C(email), C(kind), C(name), C(id), C(rules removed), C(rules
        added) and C(outcome), V(changed), V(refused), V(unknown), V(changed since read, not sent) or
        V(not sent); then one row per user and object left for a person, the outcome V(left for a person:)
        followed by the issue codes of RV(needs_attention).
      - Written as M(cloudflare_community.zero_trust.cf_access_seat) writes its record (UTF-8 with a byte order
        mark, formulas kept inert, secrets masked, mode C(0600)); the directory is created when missing. It is
        checked before any request.
    type: path
  report_name:
    description:
      - How the names of the records in O(report_dir) start, before the time of the run; letters, digits, C(.),
        C(_) and C(-). The C(offboard) playbook sets V(offboard-membership).
    type: str
    default: membership
  on_missing:
    default: warn
notes:
  - "The token needs the permissions C(Access: Organizations, Identity Providers, and Groups Write) (groups),
    C(Access: Apps and Policies Write) (reusable policies) and C(Access: Audit Logs Read) (the users)."
  - For k users and an account of g groups and p reusable policies, the module sends the look-ups of the users,
    ⌈g/1000⌉ + ⌈p/1000⌉ listing requests and, for c groups and policies that change, c reads and c C(PUT) requests,
    whatever k is. All count against O(request_budget); the reads again and the C(PUT) requests are counted before
    the first is sent.
  - A C(PUT) is not sent twice after it may have arrived. When its answer is unclear (none, a 5xx, a success that
    does not show the change), the object is read again and that read decides. A C(PUT) the API refuses for its
    object does not stop the others; a failure every request would meet stops the C(PUT) requests not yet sent,
    and the failure says what was changed, refused and not sent. Running the task again is safe.
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
      - Reads the users, the groups and the policies and reports what would change; sends no C(PUT), does not
        read the objects again and writes no file (O(report_dir)).
  diff_mode:
    support: full
    details:
      - Returns the include rules of each group and policy changed, before and after.
seealso:
  - module: cloudflare_community.zero_trust.cf_access_user_info
    description: With O(cloudflare_community.zero_trust.cf_access_user_info#module:include=membership), where the
      users are named in groups and policies, without changing anything.
  - module: cloudflare_community.zero_trust.cf_access_revoke
  - name: Cloudflare API, Update an Access group
    description: The API call this module makes for a group.
    link: https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/groups/methods/update/
  - name: Cloudflare API, Update an Access reusable policy
    description: The API call this module makes for a reusable policy.
    link: https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/policies/methods/update/
"""

EXAMPLES = r"""
- name: Offboard, take the leavers out of every group and reusable policy that names them
  cloudflare_community.zero_trust.cf_access_membership:
    account_id: 023e105f4ecef8ad9ca31a8372d0c353
    api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
    email:
      - jdoe@example.com
      - john.jdoe@example.com
    state: absent
  register: taken_out

- name: Say what was changed, and what a person has to look at
  ansible.builtin.debug:
    msg:
      - "Groups changed: {{ taken_out.groups | map(attribute='name') | join(', ') }}"
      - "Policies changed: {{ taken_out.policies | map(attribute='name') | join(', ') }}"
      - "Left for a person: {{ taken_out.needs_attention | map(attribute='name') | join(', ') }}"

- name: Set the credentials once for every module of the collection
  module_defaults:
    group/cloudflare_community.zero_trust.cloudflare:
      account_id: 023e105f4ecef8ad9ca31a8372d0c353
      api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
  block:
    - name: Onboard, put the new hire into the Engineering group
      cloudflare_community.zero_trust.cf_access_membership:
        email: jdoe@example.com
        groups: [Engineering]
        state: present

    - name: Preview taking a user out of one group only, with the rules before and after
      cloudflare_community.zero_trust.cf_access_membership:
        user_id: f174e90a-fafe-4643-bbbc-4a0ed4fc8415
        groups: [Contractors]
        state: absent
      check_mode: true
      diff: true
      register: preview

    - name: Show the preview
      ansible.builtin.debug:
        var: preview.diff
"""

RETURN = r"""
changed:
  description: Whether a group or policy was changed (or, in check mode, would be).
  returned: always
  type: bool
  sample: true
users:
  description: Every user the selector matched, in the order asked, each once, as read.
  returned: success, and when the task failed part-way
  type: list
  elements: dict
  sample:
    - {"id": "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", "email": "jdoe@example.com", "name": "Jane Doe",
       "access_seat": true, "gateway_seat": true, "active_device_count": 2, "last_successful_login": "2020-07-01T05:20:00Z",
       "created_at": "2014-01-01T05:20:00.12345Z", "updated_at": "2014-01-01T05:20:00.12345Z",
       "seat_uid": "9f6b5c4a-8d2e-4e1f-a0b3-7c9d8e6f5a41", "uid": "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"}
changed_users:
  description: The users whose email rules were taken out or put in (in check mode, would be), as in RV(users).
  returned: success, and when the task failed part-way
  type: list
  elements: dict
  sample:
    - {"id": "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", "email": "jdoe@example.com", "name": "Jane Doe",
       "access_seat": true, "gateway_seat": true, "active_device_count": 2, "last_successful_login": "2020-07-01T05:20:00Z",
       "created_at": "2014-01-01T05:20:00.12345Z", "updated_at": "2014-01-01T05:20:00.12345Z",
       "seat_uid": "9f6b5c4a-8d2e-4e1f-a0b3-7c9d8e6f5a41", "uid": "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"}
missing:
  description: The values of O(user_id) or O(email), as first given, that matched no user.
  returned: success, and when the task failed part-way
  type: list
  elements: str
  sample: [leaver@example.com]
user:
  description: The one user, as in RV(users), when the selector has exactly one value; V({}) when it matched no user.
  returned: when O(user_id) or O(email) has exactly one value
  type: dict
  sample:
    id: f174e90a-fafe-4643-bbbc-4a0ed4fc8415
    email: jdoe@example.com
    name: Jane Doe
groups:
  description:
    - The groups changed (in check mode, that would be), in the order listed.
    - C(removed) holds the email rules taken out of C(include), C(added) those put in.
  returned: success, and when the task failed part-way
  type: list
  elements: dict
  sample:
    - id: 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a01
      name: Engineering
      removed: [{"email": {"email": "jdoe@example.com"}}]
      added: []
policies:
  description: The reusable policies changed (in check mode, that would be), as in RV(groups).
  returned: success, and when the task failed part-way
  type: list
  elements: dict
  sample:
    - id: 0c5b4a39-2817-4f6e-9d5c-4b3a29180702
      name: Admins, approved
      removed: [{"email": {"email": "jdoe@example.com"}}]
      added: []
by_user:
  description:
    - Per user of RV(users), in that order, what the task did for it (in check mode, would do).
    - C(removed_from) and C(added_to) list the groups and policies whose include rules it was taken out of or put
      into (C(kind), C(id), C(name)); C(left_for_a_person) those of RV(needs_attention) that name it, with the
      codes of their C(issues) that concern it.
  returned: success, and when the task failed part-way
  type: list
  elements: dict
  sample:
    - id: f174e90a-fafe-4643-bbbc-4a0ed4fc8415
      email: jdoe@example.com
      removed_from:
        - {"kind": "group", "id": "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a01", "name": "Engineering"}
        - {"kind": "policy", "id": "0c5b4a39-2817-4f6e-9d5c-4b3a29180702", "name": "Admins, approved"}
      added_to: []
      left_for_a_person:
        - {"kind": "group", "id": "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a03", "name": "On-call",
           "issues": ["include_would_be_empty"]}
needs_attention:
  description:
    - The groups and policies that name the users but were left as they were (or partly so), each with the
      reasons. C(changed) says whether the task changed the object all the same (its email include rules).
    - "Each issue has C(issue), a code: V(in_require), V(in_exclude) (removing the rule would widen access),
      V(excluded) (O(state=present): an exclude rule names the user), V(not_an_email_rule) (an C(email_domain),
      SAML, OIDC, Google Workspace or common name rule names the user), V(approver), V(email_list_not_read) (an
      email list in C(include) may hold the users: its entries are not read), V(include_would_be_empty),
      V(wrong_shape) (the object cannot be read), V(cannot_write_back) (the object has fields its C(PUT) does not
      take), V(changed_since_read) (someone else changed it between the read and the write: not sent),
      V(refused) (the API refused the C(PUT)) or V(outcome_unknown); C(why), a sentence; and, where they apply,
      C(section), C(rule), C(value) and C(emails) (the users concerned)."
  returned: success, and when the task failed part-way
  type: list
  elements: dict
  sample:
    - kind: group
      id: 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a03
      name: On-call
      changed: false
      issues:
        - issue: include_would_be_empty
          why: >-
            removing the users' email rules would leave include empty, which Cloudflare does not allow (every group
            and policy needs an include rule): left as it is for a person to decide
          emails: [jdoe@example.com]
          rules: [{"email": {"email": "jdoe@example.com"}}]
    - kind: group
      id: 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a04
      name: Domain, one person required
      changed: false
      issues:
        - issue: in_require
          why: >-
            a require rule names the user: every require rule must match, so removing it would widen access; kept
          section: require
          rule: email
          value: jdoe@example.com
          emails: [jdoe@example.com]
diff:
  description: The include rules of each group and policy in RV(groups) and RV(policies), before and after.
  returned: in diff mode
  type: dict
  contains:
    before:
      description: By C(KIND NAME (ID)), the include rules as read.
      type: dict
      sample: {"group Engineering (6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a01)": {"include": [
               {"email": {"email": "jdoe@example.com"}}, {"email": {"email": "former.employee@example.com"}}]}}
    after:
      description: By C(KIND NAME (ID)), the include rules after the change (predicted in check mode).
      type: dict
      sample: {"group Engineering (6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a01)": {"include": [
               {"email": {"email": "former.employee@example.com"}}]}}
report_csv:
  description:
    - The absolute path of the record this run wrote (see O(report_dir)); V(null) when it wrote none (check mode,
      nothing to change, or the record could not be written, as the failure says).
  returned: when O(report_dir) is set
  type: str
  sample: /home/auditor/offboard/offboard-membership-20261207T191200Z.csv
api_pacing:
  description:
    - What the task sent, and what it waited for Cloudflare's rate limit (see O(pacing_timeout)), as
      RV(cloudflare_community.zero_trust.cf_access_revoke#module:api_pacing) describes it.
  returned: success
  type: dict
  sample: {"requests": 9, "waited": 0.0, "waits": [], "plans": []}
api_retries:
  description: One line for each request sent again after a transient failure; also shown as a warning.
  returned: success
  type: list
  elements: str
  sample:
    - "GET /accounts/023e105f4ecef8ad9ca31a8372d0c353/access/groups?page=1&per_page=1000: HTTP 502; retried after 1.3 s"
"""

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._membership_writes import (
    SELECTORS,
    STATES,
    change_membership,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._module import run_module
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    COMMON_ARGSPEC,
    on_missing_option,
)

ARGUMENT_SPEC = dict(
    COMMON_ARGSPEC,
    user_id=dict(type="list", elements="str"),
    email=dict(type="list", elements="str"),
    state=dict(type="str", choices=list(STATES), default="absent"),
    groups=dict(type="list", elements="str"),
    policies=dict(type="bool"),
    report_dir=dict(type="path"),
    report_name=dict(type="str", default="membership"),
    on_missing=on_missing_option("warn"),
)


def main():
    run_module(change_membership, ARGUMENT_SPEC, mutually_exclusive=[SELECTORS], required_one_of=[SELECTORS])


if __name__ == "__main__":
    main()
