#!/usr/bin/python
# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: cf_access_seat
short_description: Free the Zero Trust seats of Cloudflare Access users
version_added: 0.2.0
description:
  - Frees the Access seat, the Gateway seat or both of Zero Trust users, for offboarding, licence (seat)
    reclamation and incident response. Cloudflare bills per seat.
  - Reads the users first, with the same selectors and look-ups as M(cloudflare_community.zero_trust.cf_access_user_info),
    and sends C(PATCH /accounts/{account_id}/access/seats) ("Update a user seat") only for the users who hold
    a seat to free, in batches of O(batch_size). A second run changes nothing and sends no PATCH.
  - The API frees seats; it cannot grant them. A user takes a seat again by authenticating (Access) or logging
    into the WARP client (Gateway), so O(access_seat) and O(gateway_seat) accept only V(false).
  - A seat is held only when the API says V(true), free only when it says V(false); one the API leaves out of a user
    or gives in another type (V(null), the text V(no)) is unknown. An unknown seat to free is freed as asked. The
    PATCH sends both seats of a user, and a seat the task keeps is sent only as the API gave it, so when that seat
    is unknown the task fails before any PATCH, naming the user, rather than send a guess.
  - Freeing a seat does not block the user from logging in; use Access policies or your identity provider for
    that. Cloudflare also removes the user's device registrations when the seat is removed.
  - A value of O(user_id), O(email) or O(seat_uid) that matches no user is listed in RV(missing) and, by default,
    named in a warning; O(on_missing=error) fails the task instead, before any PATCH.
  - Returns the keys every module of the collection returns (RV(users), RV(missing), RV(changed_users), RV(user))
    and, on failure, C(msg) and for a failed request C(method), C(path), C(status), C(errors) and C(cf_ray),
    all described in the user guide,
    R(What every module returns,ansible_collections.cloudflare_community.zero_trust.docsite.user_guide.returns).
author:
  - Cloudflare Zero Trust collection maintainers (@cloudflare-community)
options:
  user_id:
    description:
      - Free the seats of the users with these identifiers, UUIDs such as V(f174e90a-fafe-4643-bbbc-4a0ed4fc8415).
        One id or a list.
      - Read as O(cloudflare_community.zero_trust.cf_access_user_info#module:user_id) reads them.
      - Exactly one of O(user_id), O(email), O(seat_uid) and O(inactive_days) is required.
    type: list
    elements: str
  email:
    description:
      - Free the seats of the users with these email addresses. One address or a list.
      - Matching is exact and case-insensitive, as in O(cloudflare_community.zero_trust.cf_access_user_info#module:email).
    type: list
    elements: str
  seat_uid:
    description:
      - Free these seats, by the C(seat_uid) field of a user. One seat or a list.
      - The API has no filter for seats, so this reads the account's whole user list (1,000 users per request).
    type: list
    elements: str
  inactive_days:
    description:
      - Free the seats of every seat holder of the account last active more than this many days ago, from 1 to
        36500, by their last successful login or, for a user who never logged in, by when they were created.
      - Only holders of the seats being freed are picked (with only O(gateway_seat=false), Gateway seat holders).
      - Times are compared as times in UTC (C(...-12:00) and C(Z) times alike), whatever the time zone of the
        host; a seat holder whose time is not a readable time fails the task before any PATCH.
      - Reads the account's whole user list (1,000 users per request); RV(inactivity) adds the counts.
    type: int
  report_dir:
    description:
      - Keep a record of each run that frees seats in this directory, on the host that runs the module. Each record
        is a new CSV file named O(report_name), a dash and the time of the run in UTC, such as
        C(freed_seats-20261207T191200Z.csv) (then C(...Z-2.csv) for a second run in the same second).
      - A record is written by every run that sends a PATCH, also when one fails, and never replaces a file; the
        records of earlier runs stay as they are. A run that has nothing to free, or runs in check mode, writes
        no file; RV(report_csv) is then V(null), and RV(changed_users) says what the run freed or would free.
      - One row per user whose seats the run was to free, with C(email), C(name), C(access seat) and
        C(gateway seat) (as read, V(yes), V(no), or V(unknown) for a value that is neither true nor false),
        C(devices), C(last login), C(created), C(id), C(days inactive), C(seats to free), C(seats freed) (the
        seats the API showed freed; empty unless the outcome is V(freed), or V(still held) for a user of whom
        the API freed one seat of two) and C(outcome).
      - The C(outcome) is V(freed), V(still held) (the API showed a seat to free still held), V(unknown) (a PATCH
        failed without a clear answer, so the API may have freed the seat; running the task again is safe),
        V(refused) (the API refused the PATCH) or V(not sent) (an earlier PATCH failed).
      - Written as M(cloudflare_community.zero_trust.cf_access_seat_report) writes its CSV file (UTF-8 with a
        byte order mark, formulas kept inert, secrets masked), whole or not at all, mode C(0600); the directory
        is created (mode C(0700)) when missing. It is checked before any request.
      - Mutually exclusive with O(report_csv).
    type: path
  report_name:
    description:
      - How the names of the records in O(report_dir) start, before the time of the run; letters, digits, C(.),
        C(_) and C(-). The C(reclaim_seats) playbook sets V(reclaim_seats), the C(offboard) playbook V(offboard).
      - Used only with O(report_dir).
    type: str
    default: freed_seats
  report_csv:
    description:
      - Write the record of this run, as O(report_dir) describes it, to exactly this file.
      - The file must not exist, since the record of an earlier run is never replaced; the task fails before any
        request when it does. Prefer O(report_dir), which keeps one file per run; use O(report_csv) when the
        playbook names each run's file itself.
      - As with O(report_dir), a run that sends no PATCH (nothing to free, or check mode) writes no file.
    type: path
  access_seat:
    description:
      - V(false) frees the users' Access seats.
      - Only V(false) is accepted, since the API cannot give a seat; a user takes an Access seat by authenticating
        to an Access application. Leave it out to keep each user's Access seat as it is.
      - At least one of O(access_seat) and O(gateway_seat) is required.
    type: bool
    choices: [false]
  gateway_seat:
    description:
      - V(false) frees the users' Gateway seats (the WARP client).
      - Only V(false) is accepted, since the API cannot give a seat; a user takes a Gateway seat by logging into
        the WARP client. Leave it out to keep each user's Gateway seat as it is.
    type: bool
    choices: [false]
  batch_size:
    description:
      - The most seats sent in one PATCH request, from 1 to 1000.
    type: int
    default: 50
notes:
  - "The token needs the permissions C(Zero Trust: Seats Write) for the PATCH and C(Access: Audit Logs Read) for the reads."
  - For k ids or emails in an account of n users the module sends at most min(k, ⌈n/1000⌉) + 1 reads and
    ⌈h/O(batch_size)⌉ PATCH requests for h users who hold a seat to free; with O(inactive_days), ⌈n/1000⌉ reads.
    All of them count against O(request_budget); the PATCH requests are counted before the first is sent.
    For example, freeing 25,000 inactive seat holders of an account of 30,000 users takes 30 reads and 25 PATCH
    requests with O(batch_size=1000), but 30 + 500 = 530 requests, more than the default O(request_budget) of 500,
    with the default O(batch_size).
  - A PATCH that fails on HTTP 429, 5xx or a lost connection is sent again (see O(retries)), since freeing a seat
    twice frees it once. Only what the API confirms is reported as freed. When a PATCH's outcome stays unclear
    (no answer, a 5xx, a 2xx whose body cannot be read, names other seats or shows a seat still held), those
    users are read again and that read decides; when it shows them freed, the task goes on with a warning.
    When a PATCH fails, or the read shows seats still held, the module fails naming the users;
    RV(changed_users) lists the seats that were freed, and running the task again is safe and frees the rest.
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
      - Reads the users and reports what would change; sends no PATCH and writes no file (O(report_dir), O(report_csv)).
  diff_mode:
    support: full
    details:
      - Returns the seats of each affected user before and after.
seealso:
  - module: cloudflare_community.zero_trust.cf_access_user_info
  - name: Cloudflare API, Update a user seat
    description: The API call this module makes.
    link: https://developers.cloudflare.com/api/resources/zero_trust/subresources/seats/methods/edit/
  - name: Zero Trust seat management
    description: How users take seats and how removing them works.
    link: https://developers.cloudflare.com/cloudflare-one/identity/users/seat-management/
"""

EXAMPLES = r"""
- name: Free the seats of the leavers
  cloudflare_community.zero_trust.cf_access_seat:
    account_id: 023e105f4ecef8ad9ca31a8372d0c353
    api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
    email:
      - jdoe@example.com
      - tim.jones2@example.com
    access_seat: false
    gateway_seat: false
  register: freed

- name: Say whose seats were freed
  ansible.builtin.debug:
    msg: >-
      Freed the seats of {{ freed.changed_users | map(attribute='email') | join(', ') }};
      not found: {{ freed.missing | join(', ') }}

- name: Set the credentials once for every module of the collection
  module_defaults:
    group/cloudflare_community.zero_trust.cloudflare:
      account_id: 023e105f4ecef8ad9ca31a8372d0c353
      api_token: "{{ lookup('ansible.builtin.env', 'CLOUDFLARE_API_TOKEN') }}"
  block:
    - name: Read every user of the account
      cloudflare_community.zero_trust.cf_access_user_info:
      register: everyone

    - name: Free the Gateway seats of users with no WARP device, keeping their Access seats
      cloudflare_community.zero_trust.cf_access_seat:
        user_id: "{{ idle | map(attribute='id') }}"
        gateway_seat: false
      vars:
        idle: "{{ everyone.users | selectattr('gateway_seat', 'true') | selectattr('active_device_count', 'equalto', 0) }}"
      when: idle | length > 0

    - name: Free both seats of users inactive for more than 90 days, keeping a record of the run in seat_records/
      cloudflare_community.zero_trust.cf_access_seat:
        inactive_days: 90
        access_seat: false
        gateway_seat: false
        batch_size: 1000
        report_dir: seat_records
        report_name: reclaimed_seats
      register: reclaimed

    - name: Say how many seats are left, and where the record of the run is
      ansible.builtin.debug:
        msg:
          - "{{ reclaimed.inactivity.seats_after.access_seat }} Access seats left (were {{ reclaimed.inactivity.seats_before.access_seat }})"
          - "{{ 'Record: ' ~ reclaimed.report_csv if reclaimed.report_csv else 'Nothing freed, no record written' }}"

    - name: Free one seat by its seat_uid
      cloudflare_community.zero_trust.cf_access_seat:
        seat_uid: 9f6b5c4a-8d2e-4e1f-a0b3-7c9d8e6f5a41
        access_seat: false
        gateway_seat: false
"""

RETURN = r"""
changed:
  description: Whether a seat was freed (or, in check mode, would be).
  returned: always
  type: bool
  sample: true
users:
  description:
    - Every user the selectors matched, in the order asked, each once, as after the task (predicted in check mode).
      The seats are as the API answered them, or as a read after an unclear answer showed them; the other fields,
      such as C(active_device_count), as read before the change. Users who held no seat to free are as read.
  returned: success, and when the task failed part-way
  type: list
  elements: dict
  sample:
    - {"id": "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", "email": "jdoe@example.com", "name": "Jane Doe",
       "access_seat": true, "gateway_seat": false, "active_device_count": 2, "last_successful_login": "2020-07-01T05:20:00Z",
       "created_at": "2014-01-01T05:20:00.12345Z", "updated_at": "2014-01-01T05:20:00.12345Z",
       "seat_uid": "9f6b5c4a-8d2e-4e1f-a0b3-7c9d8e6f5a41", "uid": "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"}
    - {"id": "c9cf0800-8b3a-4535-bf13-7b705856c32a", "email": "tim.jones2@example.com", "name": "Tim Jones",
       "access_seat": true, "gateway_seat": false, "active_device_count": 1, "last_successful_login": "2026-11-21T09:06:26Z",
       "created_at": "2019-10-22T02:54:00Z", "updated_at": "2026-11-21T09:06:26Z",
       "seat_uid": "919e9bc7-f4a0-4d92-a721-3dfe89328293", "uid": "b14cf519-64cd-4715-a7d1-191fda80a0bd"}
changed_users:
  description: The users whose seats were freed (in check mode, would be), as in RV(users), in that order.
  returned: success, and when the task failed part-way
  type: list
  elements: dict
  sample:
    - {"id": "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", "email": "jdoe@example.com", "name": "Jane Doe",
       "access_seat": true, "gateway_seat": false, "active_device_count": 2, "last_successful_login": "2020-07-01T05:20:00Z",
       "created_at": "2014-01-01T05:20:00.12345Z", "updated_at": "2014-01-01T05:20:00.12345Z",
       "seat_uid": "9f6b5c4a-8d2e-4e1f-a0b3-7c9d8e6f5a41", "uid": "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"}
missing:
  description: The values of O(user_id), O(email) or O(seat_uid), as first given, that matched no user.
  returned: success, and when the task failed part-way
  type: list
  elements: str
  sample: [leaver@example.com]
user:
  description: The one user, as in RV(users), when the selector has exactly one value; V({}) when it matched no user.
  returned: when O(user_id), O(email) or O(seat_uid) has exactly one value
  type: dict
  sample:
    id: f174e90a-fafe-4643-bbbc-4a0ed4fc8415
    access_seat: false
    active_device_count: 2
    created_at: "2014-01-01T05:20:00.12345Z"
    email: jdoe@example.com
    gateway_seat: false
    last_successful_login: "2020-07-01T05:20:00Z"
    name: Jane Doe
    seat_uid: 9f6b5c4a-8d2e-4e1f-a0b3-7c9d8e6f5a41
    uid: 1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b
    updated_at: "2014-01-01T05:20:00.12345Z"
diff:
  description: The seats of each user in RV(changed_users), by email, before and after the change.
  returned: in diff mode
  type: dict
  contains:
    before:
      description: The seats as read; V(null) for a seat the API left out or gave as something other than V(true) or V(false).
      type: dict
      sample: {"jdoe@example.com": {"access_seat": true, "gateway_seat": true}}
    after:
      description: The seats after the change (predicted in check mode).
      type: dict
      sample: {"jdoe@example.com": {"access_seat": true, "gateway_seat": false}}
inactivity:
  description: What O(inactive_days) picked, and the account's seat counts before and after the task.
  returned: when O(inactive_days) is set, also when a PATCH failed
  type: dict
  contains:
    days:
      description: The O(inactive_days) used.
      type: int
      sample: 90
    cutoff:
      description: The users last active before this time (UTC) were picked.
      type: str
      sample: "2026-09-04T11:00:00Z"
    users:
      description: The number of users of the account.
      type: int
      sample: 25
    inactive:
      description: The number of seat holders picked.
      type: int
      sample: 18
    outcomes:
      description:
        - How many picked users had each outcome, as in the C(outcome) column of the record (O(report_dir)), and
          V(would_free) in check mode.
      type: dict
      sample: {"would_free": 0, "freed": 18, "still_held": 0, "unknown": 0, "refused": 0, "not_sent": 0}
    seats_before:
      description: The account's seats before the task.
      type: dict
      sample: {"access_seat": 14, "gateway_seat": 16}
    seats_after:
      description:
        - The account's seats after the task (predicted in check mode); only seats the API confirmed freed are
          subtracted, so a seat whose outcome is unknown is counted as held.
      type: dict
      sample: {"access_seat": 2, "gateway_seat": 3}
report_csv:
  description:
    - The absolute path of the record this run wrote (see O(report_dir)).
    - V(null) when the run wrote none; in check mode, when there was no seat to free, or when the record could
      not be written (the failure says why).
  returned: when O(report_dir) or O(report_csv) is set, also when a PATCH failed
  type: str
  sample: /home/auditor/seat_records/reclaimed_seats-20261207T191200Z.csv
api_retries:
  description: One line for each request sent again after a transient failure; also shown as a warning.
  returned: success
  type: list
  elements: str
  sample:
    - "PATCH /accounts/023e105f4ecef8ad9ca31a8372d0c353/access/seats: HTTP 502; retried after 1.3 s"
"""

from collections import namedtuple

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_seats import (
    DEFAULT_BATCH_SIZE,
    patch_seats,
    plan_changes,
    seats_after,
    seats_of,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    SEATS,
    apply_on_missing,
    list_users,
    resolve_users,
    seat_value,
    select_users,
    selection_result,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._inactivity import (
    inactive_seat_holders,
    iso_utc,
    utc_now,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    COMMON_ARGSPEC,
    client_from_params,
    on_missing_option,
    require_account_id,
    require_batch_size,
    require_directory,
    require_inactive_days,
    require_new_file,
    require_record_name,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._files import (
    FileWriteError,
    record_names,
    write_record,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareInputError, partial_failure
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._module import (
    TaskResult,
    diff_by_user,
    run_module,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._records import (
    anything_sent,
    outcome_counts,
    seat_changes_file,
    seat_outcomes,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._writes import (
    DONE,
    FAILED,
    first_failure,
    in_state,
)

NAMED_SELECTORS = ("user_id", "email", "seat_uid")
SELECTORS = NAMED_SELECTORS + ("inactive_days",)
ARGUMENT_SPEC = dict(
    COMMON_ARGSPEC,
    user_id=dict(type="list", elements="str"),
    email=dict(type="list", elements="str"),
    seat_uid=dict(type="list", elements="str"),
    inactive_days=dict(type="int"),
    report_dir=dict(type="path"),
    report_name=dict(type="str", default="freed_seats"),
    report_csv=dict(type="path"),
    access_seat=dict(type="bool", choices=[False]),
    gateway_seat=dict(type="bool", choices=[False]),
    batch_size=dict(type="int", default=DEFAULT_BATCH_SIZE),
    on_missing=on_missing_option("warn"),
)


# The task's options, checked: the account (the client bound to it), the seat fields to free, the batch size, where
# the record goes (None, or ``(option, names)``: ``names(when)`` gives the file names to try in turn), and the
# selection: ``days`` (inactive_days) or the ``asks`` of the named selectors.
Task = namedtuple("Task", "account free batch_size record days asks")


def checked_task(params):
    """Every option of the task checked, in one place, before any request: the Task, or the first
    CloudflareInputError."""
    account_id = require_account_id("account_id", params["account_id"])
    # The argument spec accepts only false for access_seat and gateway_seat (choices: [false]): the API frees
    # seats; a user takes one by authenticating (Access) or logging into the WARP client (Gateway).
    free = tuple(seat for seat in SEATS if params.get(seat) is False)
    if not free:
        raise CloudflareInputError("set access_seat: false, gateway_seat: false or both")
    batch_size = require_batch_size("batch_size", params["batch_size"])
    record = None
    if params["report_dir"] is not None:
        directory = require_directory("report_dir", params["report_dir"])
        name = require_record_name("report_name", params["report_name"])
        record = "report_dir", lambda when: record_names(directory, name, when, ".csv")
    elif params["report_csv"] is not None:
        path = require_new_file("report_csv", params["report_csv"])
        record = "report_csv", lambda _when: [path]
    days, asks = None, []
    if params["inactive_days"] is not None:
        days = require_inactive_days("inactive_days", params["inactive_days"])
    else:
        _option, asks = select_users(params, NAMED_SELECTORS, "leave the task out to free no seat")
    return Task(client_from_params(params).account(account_id), free, batch_size, record, days, asks)


def free_seats(params, check_mode, want_diff):
    """The TaskResult: the failure when the PATCH requests failed or the record was not written, and the warnings:
    of on_missing, and of outcomes a read had to settle."""
    task = checked_task(params)
    account, free, batch_size, asks, read_at = task.account, task.free, task.batch_size, task.asks, utc_now()
    if task.days is not None:
        users, missing, inactivity = pick_inactive(account, task.days, free, read_at)
    else:
        users, missing, inactivity = resolve_users(account, asks) + (None,)
    warnings = apply_on_missing(params["on_missing"], asks, missing)
    changes = plan_changes(users, free)
    writes = patch_seats(account, changes, batch_size, free, check_mode)
    error = first_failure(writes)
    held = {outcome.value["id"]: outcome.value for outcome in in_state(writes, FAILED) if outcome.value is not None}
    if check_mode:
        now = {user["id"]: seats_after(user, item) for user, item in changes}
        freed = set(now)
    else:
        now = dict(held, **{outcome.sent[0]["id"]: outcome.value for outcome in in_state(writes, DONE)})
        freed = {outcome.sent[0]["id"] for outcome in in_state(writes, DONE)}
    after = [now.get(user["id"], user) for user in users]
    result = dict(changed=bool(freed), api_retries=account.retry_log,
                  **selection_result(asks, after, missing, [user for user in after if user["id"] in freed]))
    diff = diff_by_user((_label(user), seats_of(user), seats_of(now[user["id"]])) for user in users
                        if user["id"] in freed) if want_diff else None
    outcomes = seat_outcomes(changes, freed, set(held), check_mode, error, batch_size)
    if inactivity is not None:
        result["inactivity"] = dict(inactivity, **seat_counts_after(inactivity, changes, outcomes))
    record_problem = None
    if task.record is not None:
        result["report_csv"], record_problem = keep_record(task.record, check_mode, changes, outcomes, now, read_at)
    failed = None
    if error is not None or record_problem:  # with only a record problem, the seats are as reported
        failed = partial_failure(error, ([] if error is None else [
            "%d of %d seats were freed" % (len(result["changed_users"]), len(changes)),
            "running the task again is safe, it frees the seats still held"]) + [record_problem])
    return TaskResult(result, failed, warnings + [outcome.why for outcome in in_state(writes, DONE) if outcome.why],
                      diff)


def pick_inactive(account, days, free, now):
    """``(users, missing, inactivity)``: the holders of the seats to free inactive for more than ``days`` days."""
    everyone = list_users(account)
    cutoff, users = inactive_seat_holders(everyone, days, free, now)
    seats_before = {seat: sum(1 for user in everyone if seat_value(user, seat) is True) for seat in SEATS}
    return users, [], dict(days=days, cutoff=iso_utc(cutoff), users=len(everyone), inactive=len(users),
                           seats_before=seats_before)


def seat_counts_after(inactivity, changes, outcomes):
    """The outcome counts, and the account's seats after the task: only a seat freed (or, in check mode, to
    free) is subtracted; a seat whose outcome is unknown is counted as held."""
    after = dict(inactivity["seats_before"])
    for (user, item), outcome in zip(changes, outcomes):
        if outcome in ("would free", "freed"):
            for seat in after:
                after[seat] -= item[seat] is False and seat_value(user, seat) is True
    return dict(outcomes=outcome_counts(outcomes), seats_after=after)


def keep_record(record, check_mode, changes, outcomes, after, now):
    """``(path, problem)``: the record of a run that sent a PATCH, as a new file, and None; ``(None, None)`` for a
    run that sent none (check mode, nothing to free); ``(None, why)`` when the file could not be written."""
    if check_mode or not anything_sent(outcomes):
        return None, None
    option, names_at = record
    names = names_at(now)
    try:
        return write_record(seat_changes_file(names[0], changes, outcomes, after, now), names[1:]), None
    except FileWriteError as exc:
        return None, "%s: %s" % (option, exc)


def _label(user):
    return user.get("email") or user.get("id")


def main():
    run_module(free_seats, ARGUMENT_SPEC, mutually_exclusive=[SELECTORS, ("report_dir", "report_csv")],
               required_one_of=[SELECTORS, ("access_seat", "gateway_seat")])


if __name__ == "__main__":
    main()
