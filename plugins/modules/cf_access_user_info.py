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
  - Reads one user of a Cloudflare Zero Trust account with the API call
    C(GET /accounts/{account_id}/access/users/{user_id}) ("Get a user").
  - Returns the user's fields as the API gives them, including the seat status (RV(user.access_seat),
    RV(user.gateway_seat)) that onboarding, offboarding and licence audits test in C(when:) conditions.
  - An unknown user is not an error; the module returns RV(found=false).
  - Results are returned, not set as facts. Use C(register), and C(ansible.builtin.set_fact) if you want a fact.
author:
  - Cloudflare Zero Trust collection maintainers (@cloudflare-community)
options:
  user_id:
    description:
      - The user's identifier, a UUID such as V(f174e90a-fafe-4643-bbbc-4a0ed4fc8415).
      - It is the RV(user.id) field of the user object.
    type: str
    required: true
extends_documentation_fragment:
  - cloudflare_community.zero_trust.auth
  - cloudflare_community.zero_trust.attributes
  - cloudflare_community.zero_trust.attributes.info_module
  - cloudflare_community.zero_trust.attributes.actiongroup_cloudflare
seealso:
  - name: Cloudflare API, Get a user
    description: The API call this module makes.
    link: https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/subresources/users/methods/get/
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
    user_id: f174e90a-fafe-4643-bbbc-4a0ed4fc8415
    api_email: admin@example.com
    api_key: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_KEY') }}"
  register: cf_legacy

- name: Set the credentials once for every module of the collection
  module_defaults:
    group/cloudflare_community.zero_trust.cloudflare:
      account_id: 023e105f4ecef8ad9ca31a8372d0c353
      api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
  block:
    - name: Read the user who is leaving
      cloudflare_community.zero_trust.cf_access_user_info:
        user_id: f174e90a-fafe-4643-bbbc-4a0ed4fc8415
      register: leaver

    - name: Keep the user as a fact for later plays
      ansible.builtin.set_fact:
        offboarded_user: "{{ leaver.user }}"
      when: leaver.found

    - name: Fail early when the user still holds an Access seat
      ansible.builtin.assert:
        that: not (leaver.user.access_seat | default(false))
        fail_msg: "{{ leaver.user.email }} still holds an Access seat"
"""

RETURN = r"""
found:
  description: Whether the user exists. V(false) when the API answered 404 for O(user_id).
  returned: success
  type: bool
  sample: true
user:
  description:
    - The user object as the API returns it; fields Cloudflare adds later are passed through.
    - An empty dict when RV(found=false).
  returned: success
  type: dict
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
users:
  description:
    - The users found, as a list, so that later list queries keep the same shape.
    - One element (the same dict as RV(user)) when found, empty when not.
  returned: success
  type: list
  elements: dict
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
status:
  description: HTTP status of the failed request; V(null) when no response arrived.
  returned: failure
  type: int
  sample: 403
errors:
  description: Cloudflare's C(errors) list from the failed response.
  returned: failure
  type: list
  elements: dict
  sample:
    - code: 10000
      message: Authentication error
cf_ray:
  description: The C(cf-ray) id of the failed response, for Cloudflare support.
  returned: failure
  type: str
  sample: 8c1f2a3b4c5d6e7f-SJC
method:
  description: HTTP method of the failed request.
  returned: failure
  type: str
  sample: GET
path:
  description: Path of the failed request, relative to O(api_url).
  returned: failure
  type: str
  sample: /accounts/023e105f4ecef8ad9ca31a8372d0c353/access/users/f174e90a-fafe-4643-bbbc-4a0ed4fc8415
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import get_user
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._api import (
    COMMON_ARGSPEC,
    COMMON_MODULE_KWARGS,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    CloudflareError,
    client_from_params,
    require_account_id,
    require_uuid,
)


def read_user(params):
    account_id = require_account_id(params["account_id"])
    user_id = require_uuid("user_id", params["user_id"])
    client = client_from_params(params)
    user = get_user(client, account_id, user_id)
    return dict(found=user is not None, user=user or {}, users=[user] if user else [])


def main():
    module = AnsibleModule(
        argument_spec=dict(COMMON_ARGSPEC, user_id=dict(type="str", required=True)),
        supports_check_mode=True,
        **COMMON_MODULE_KWARGS,
    )
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    try:
        result = read_user(module.params)
    except CloudflareError as exc:
        module.fail_json(**exc.to_result())
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
