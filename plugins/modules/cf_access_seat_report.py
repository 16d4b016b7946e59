#!/usr/bin/python
# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: cf_access_seat_report
short_description: Write a Zero Trust seat report (CSV and HTML) of every Cloudflare Access user
version_added: 0.2.0
description:
  - Reads every user of the account once, as M(cloudflare_community.zero_trust.cf_access_user_info) lists them
    (C(GET /accounts/{account_id}/access/users), 1,000 users per request), and writes a seat report into
    O(report_dir) on the host that runs the module.
  - C(seat_report.csv) has one row per user, sorted by email, with the columns C(email), C(name), C(access seat),
    C(gateway seat) (V(yes), V(no), or V(unknown) when the API gives a value that is neither true nor false),
    C(devices) (C(active_device_count)), C(last login) and C(created) (as the API gives them; an empty last
    login means never), C(flags) (the user's flags, separated by spaces) and C(id). It is UTF-8 with a byte
    order mark, so spreadsheets read names in any script (read it with Python's C(encoding="utf-8-sig")). A
    value that starts with C(=), C(+), C(-), C(@) or a control character (a tab, a carriage return, NUL...)
    gets a leading C('), so that a spreadsheet shows it instead of running it as a formula.
  - C(seat_report.html) is one self-contained page, to open in any browser and send as it is. It holds the
    seat counts, a chart of seats by last-login age, the flagged users and the full table, sortable by
    clicking a column header and filterable by flag, in words (V(never logged in)) and readable times
    (C(3 Dec 2026, 12:00 UTC)). It loads nothing from the network, and its content security policy forbids it
    to; every value from the API is escaped, and isolated from the text around it, so that right-to-left
    marks in a name cannot turn that text around.
  - The flags are V(inactive) (holds a seat and was last active, by last login or, for a user who never
    logged in, by creation, more than O(inactive_days) days ago, which is what the C(reclaim_seats) playbook
    frees), V(never_logged_in) (holds a seat but never logged in), V(no_device) (holds a Gateway seat and has
    logged in, but has no active WARP device), V(unknown_time) (holds a seat, but the time of its last
    activity is not a readable time) and V(unknown_seat) (the API gave a seat as neither true nor false; it is
    never taken for a seat held or free, and counted in the C(unknown_seat) of RV(summary)).
  - A listing that names a user twice is refused, so that each user is read, and counted, once.
  - The work per user happens in the module, so the result stays small at any account size (counts and the
    first few users of each flag) and a playbook needs no loop over the users.
  - Both files are written whole or not at all, with mode C(0600) since they name people. Each is written to a
    temporary file beside it first, and both are moved into place only once both are written; a failure names
    the file and leaves the report of an earlier run as it was. O(report_dir) is created (mode C(0700)) when
    missing. The API token or key the module sends is masked (C(********)) wherever a value of the API holds it.
  - The report is a snapshot of the account, so a run replaces the files of the run before it; keep reports
    of several days by giving each its own O(report_dir).
author:
  - Cloudflare Zero Trust collection maintainers (@cloudflare-community)
options:
  report_dir:
    description:
      - The directory to write C(seat_report.csv) and C(seat_report.html) to, on the host that runs the
        module. Files of those names in it are replaced (in check mode, nothing is written).
      - A relative path is taken from the module's working directory; RV(csv_path) and RV(html_path) say
        where the files are.
    type: path
    required: true
  inactive_days:
    description:
      - Flag as V(inactive) the seat holders last active more than this many days ago, from 1 to 36500.
      - Times are compared as times in UTC, whatever the time zone of the host.
    type: int
    default: 90
  sample_size:
    description:
      - How many users of each flag RV(flagged) returns, from 0 to 100. The files hold them all.
    type: int
    default: 10
notes:
  - "The token needs the permission C(Access: Audit Logs Read)."
  - For an account of n users the module sends ⌈n/1000⌉ requests.
  - Returns, on failure, C(msg) and for a failed request C(method), C(path), C(status), C(errors) and
    C(cf_ray), described in the user guide,
    R(What every module returns,ansible_collections.cloudflare_community.zero_trust.docsite.user_guide.returns).
extends_documentation_fragment:
  - cloudflare_community.zero_trust.auth
  - cloudflare_community.zero_trust.auth.modules
  - cloudflare_community.zero_trust.connection
  - cloudflare_community.zero_trust.connection.modules
  - cloudflare_community.zero_trust.attributes
  - cloudflare_community.zero_trust.attributes.actiongroup_cloudflare
attributes:
  check_mode:
    support: full
    details:
      - Reads the users and returns the counts and flags; writes no file.
  diff_mode:
    support: none
seealso:
  - module: cloudflare_community.zero_trust.cf_access_user_info
  - module: cloudflare_community.zero_trust.cf_access_seat
  - name: Zero Trust seat management
    description: How users take seats and how removing them works.
    link: https://developers.cloudflare.com/cloudflare-one/identity/users/seat-management/
"""

EXAMPLES = r"""
- name: Write the seat report of the account into ./seat_report
  cloudflare_community.zero_trust.cf_access_seat_report:
    account_id: 023e105f4ecef8ad9ca31a8372d0c353
    api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
    report_dir: seat_report
  register: report

- name: Say what it found and where the files are
  ansible.builtin.debug:
    msg:
      - "{{ report.summary.users }} users, {{ report.summary.access_seat }} Access seats, {{ report.summary.gateway_seat }} Gateway seats"
      - "{{ report.flagged.inactive.count }} seat holders inactive for more than 90 days, such as
        {{ report.flagged.inactive.users | map(attribute='email') | join(', ') }}"
      - "Open {{ report.html_path }}; the table is also in {{ report.csv_path }}"

- name: Flag seat holders inactive for more than 30 days, and return up to 3 of each flag
  cloudflare_community.zero_trust.cf_access_seat_report:
    account_id: 023e105f4ecef8ad9ca31a8372d0c353
    api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
    report_dir: seat_report_30_days
    inactive_days: 30
    sample_size: 3
"""

RETURN = r"""
changed:
  description: Whether the files were written (V(false) in check mode).
  returned: always
  type: bool
  sample: true
csv_path:
  description: The absolute path of the CSV file (not written in check mode).
  returned: success
  type: str
  sample: /home/auditor/seat_report/seat_report.csv
html_path:
  description: The absolute path of the HTML page (not written in check mode).
  returned: success
  type: str
  sample: /home/auditor/seat_report/seat_report.html
summary:
  description: Seat counts of the account, as in RV(cloudflare_community.zero_trust.cf_access_user_info#module:summary).
  returned: success
  type: dict
  sample: {"users": 25, "access_seat": 14, "gateway_seat": 13, "both_seats": 7, "no_seat": 5, "unknown_seat": 0,
           "never_logged_in": 4}
flagged_users:
  description: The number of users with at least one flag.
  returned: success
  type: int
  sample: 9
flagged:
  description:
    - For each flag (V(inactive), V(never_logged_in), V(no_device), V(unknown_time), V(unknown_seat)), how many
      users have it and the first O(sample_size) of them by email, as the API gives them.
  returned: success
  type: dict
  sample:
    inactive:
      count: 1
      users:
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
    never_logged_in: {"count": 0, "users": []}
    no_device: {"count": 0, "users": []}
    unknown_time: {"count": 0, "users": []}
    unknown_seat: {"count": 0, "users": []}
last_login_age:
  description:
    - The chart's data. Users and seats by the age of their last login, from V(under 7 days) to V(over a year),
      then V(never logged in), and V(unreadable time) only when a login time is not a time.
  returned: success
  type: list
  elements: dict
  sample:
    - {"age": "under 7 days", "users": 3, "access_seat": 2, "gateway_seat": 1}
    - {"age": "never logged in", "users": 4, "access_seat": 2, "gateway_seat": 2}
cutoff:
  description: The time before which a seat holder's last activity counts as V(inactive) (UTC).
  returned: success
  type: str
  sample: "2026-09-04T11:00:00Z"
missing:
  description: Always empty; the report names no user to look for.
  returned: success
  type: list
  elements: str
  sample: []
changed_users:
  description: Always empty; the report changes no user.
  returned: success
  type: list
  elements: dict
  sample: []
api_retries:
  description:
    - One line for each request that was sent again after a transient failure (rate limit, 5xx, lost connection),
      with how long the module waited. Empty when every request succeeded at once.
  returned: success
  type: list
  elements: str
  sample:
    - "GET /accounts/023e105f4ecef8ad9ca31a8372d0c353/access/users?page=2&per_page=1000: HTTP 429; retried after 2.0 s (Retry-After)"
"""

import os

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import list_users
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._files import FileWriteError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._inactivity import iso_utc, utc_now
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._module import TaskResult, run_module
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    COMMON_ARGSPEC,
    client_from_params,
    require_account_id,
    require_directory,
    require_inactive_days,
    require_sample_size,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._seat_report import (
    CSV_NAME,
    HTML_NAME,
    SeatReport,
)

ARGUMENT_SPEC = dict(
    COMMON_ARGSPEC,
    report_dir=dict(type="path", required=True),
    inactive_days=dict(type="int", default=90),
    sample_size=dict(type="int", default=10),
)


def seat_report(params, check_mode, _want_diff):
    """The TaskResult (no diff: the files are new): every check happens before the first request, the files after
    the last."""
    account_id = require_account_id("account_id", params["account_id"])
    directory = require_directory("report_dir", params["report_dir"])
    days = require_inactive_days("inactive_days", params["inactive_days"])
    sample_size = require_sample_size("sample_size", params["sample_size"])
    account = client_from_params(params).account(account_id)
    report = SeatReport(list_users(account), days, utc_now(), account_id, sample_size)
    paths = (os.path.join(directory, CSV_NAME), os.path.join(directory, HTML_NAME))
    if not check_mode:
        try:
            paths = report.write(directory)
        except FileWriteError as exc:
            raise CloudflareError("the users were read, but the report was not written: %s" % exc)
    return TaskResult(dict(
        changed=not check_mode,
        csv_path=paths[0],
        html_path=paths[1],
        summary=report.summary,
        flagged_users=report.flagged_users,
        flagged=report.flagged(),
        last_login_age=report.ages,
        cutoff=iso_utc(report.cutoff),
        missing=[],
        changed_users=[],
        api_retries=account.retry_log,
    ))


def main():
    run_module(seat_report, ARGUMENT_SPEC)


if __name__ == "__main__":
    main()
