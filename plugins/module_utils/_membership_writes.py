# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""The users' place in Access groups and reusable policies, against the API: the reads, the writes and the task.

Reads first: the users (the look-up planner of ``_access_users.py``), then one listing of the groups and, when
policies are worked on, one of the reusable policies, whatever the number of users. The plan
(``_access_membership.py``) has one change per object whatever the number of users; its requests (a read again
and a PUT per change) are counted against the request budget and the pacing before the first is sent.

Each change is read-modify-write, since a PUT replaces the whole object and Cloudflare offers no ETag: the object
is read again just before its PUT and compared with the one the change was planned from; someone else's edit in
between is reported in ``needs_attention``, never overwritten. A PUT is not sent again after it may have arrived
(another administrator's edit could come in between): an unclear answer (none, a 5xx, a success that does not show
the change) is settled by reading the object again. A refusal of one object (a 4xx of its own) does not stop the
others; a failure every request would meet (the credentials, a permission, the rate limit, the budget, no
connection) stops the changes not yet sent, and the result says what was done.
"""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_membership import (
    DONE,
    GROUP,
    NOT_DONE,
    POLICY,
    attention_entry,
    changed_since_read,
    issue,
    membership,
    path_segments,
    plan_absent,
    plan_diff,
    plan_present,
    plan_result,
    request_plan,
    select_objects,
    write_outcome,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    apply_on_missing,
    resolve_users,
    select_users,
    selection_result,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import api_path, is_no_such_object
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareError,
    CloudflareInputError,
    counted,
    listed,
    partial_failure,
    refusal_text,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._files import (
    FileWriteError,
    csv_file,
    record_names,
    write_record,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._inactivity import utc_now
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._module import TaskResult
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    client_from_params,
    require_account_id,
    require_directory,
    require_record_name,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._paging import read_listing
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._writes import (
    DONE as WRITE_DONE,
    NOT_SENT,
    REFUSED,
    UNKNOWN,
    done_with_warning,
    first_failure,
    in_state,
    is_refusal,
    settled,
    stopped,
    unknown,
    write_outcomes,
)

STATES = ("absent", "present")
SELECTORS = ("user_id", "email")
SAFE_AGAIN = "running the task again is safe: it reads first and changes only what is left"
# Cloudflare's rules name addresses in any letter case: a user named by id whose email another user has (in other
# letter case) cannot be taken out or put in alone.
SHARED_EMAIL = ("Access rules match emails in any letter case, so this user's rules are the other's too: refused "
                "before any write; name the users by email")


# --- reads ---------------------------------------------------------------------------------------------------------
def object_path(kind, account_id, object_id=None):
    return api_path(*path_segments(kind, account_id, object_id))


def list_objects(account, kind):
    """Every group or reusable policy of the account (``kind``), 1,000 a page. Objects of a shape the plans cannot
    read are kept: the plans report them in needs_attention rather than fail the whole listing."""
    pages = read_listing(account, object_path(kind, account.id), permission=kind.read_permission,
                         item_problem=_listed_problem)
    return [obj for items, _info in pages for obj in items]


def _listed_problem(obj):
    return None if isinstance(obj, dict) else "an object of the listing is not an object"


def read_rules(account, policies=True):
    """``(groups, policies)``: one listing of each (the policies only when asked, else ``[]``)."""
    return list_objects(account, GROUP), list_objects(account, POLICY) if policies else []


def read_object(account, kind, object_id):
    """One group or reusable policy as it is now; None when Cloudflare's API says it does not exist."""
    return account.get(object_path(kind, account.id, object_id), expect=dict, permission=kind.read_permission,
                       not_found=None)


def membership_of_users(account, users):
    """``needs_attention``, and each user (in place) with ``membership``: the groups and reusable policies whose
    rules name the user's email and how (``{kind, id, name, section, rule, value}``). One listing of the groups
    and one of the policies for all the users; a user without an email is named by none."""
    groups, policies = read_rules(account)
    emails = [user["email"] for user in users if isinstance(user.get("email"), str) and user["email"]]
    named, unreadable = membership(groups, policies, emails, account_id=account.id)
    by_key = {email.lower(): places for email, places in named.items()}
    for user in users:
        user["membership"] = by_key.get(str(user.get("email") or "").lower(), [])
    return unreadable


# --- the writes ----------------------------------------------------------------------------------------------------
class Conflict(CloudflareError):
    """The object changed (or is gone) since it was read: the change is reported, never sent."""


def write_changes(account, changes):
    """Send the changes a few at a time; one WriteOutcome each, in order (:func:`write_outcomes`): a change done
    (its warning when an unclear answer was settled by a read), refused, unknown, not sent, or failed: a
    :class:`Conflict` (someone else's edit: not sent) lets the others go on, as a refusal does."""
    return write_outcomes(changes, lambda change: write_one(account, change),
                          goes_on=lambda exc: isinstance(exc, Conflict) or is_refusal(exc))


def write_one(account, change):
    """Read the object again, compare it with the one read before, PUT it (:func:`settled`): the envelope of a PUT
    done, :func:`done` for an unclear answer a read settled, or :func:`unknown`. Raises Conflict for someone else's
    edit, the CloudflareAPIError of a refusal, or of an unclear answer that a read could not settle."""
    kind, object_id = change.kind, change.object["id"]
    why = changed_since_read(kind, change.object, read_object(account, kind, object_id), account.id)
    if why:
        raise Conflict(why)
    path = object_path(kind, account.id, object_id)
    unconfirmed = {}  # an answer of success that does not show the change: why, and the failure check made of it

    def send():
        try:
            return account.request("PUT", path, body=change.body, expect=dict, permission=kind.write_permission,
                                   idempotent=False)
        except CloudflareAPIError as exc:
            if is_no_such_object(exc):
                raise Conflict("it was deleted since it was read") from None
            raise

    def check(envelope):
        outcome = write_outcome(change, envelope["result"])
        if outcome == DONE:
            return None
        unconfirmed["why"] = "the API answered success, but %s" % (
            "its answer shows the object unchanged" if outcome == NOT_DONE else outcome)
        unconfirmed["failure"] = CloudflareAPIError("PUT", path, unconfirmed["why"], status=200)
        return unconfirmed["failure"]

    def read_again(failure):
        answered = failure is unconfirmed.get("failure")
        return _settled(account, change, None if answered else failure,
                        unconfirmed["why"] if answered else str(failure))

    return settled(send, read_again, check)


def _settled(account, change, error, why):
    """What a read of the object after an unclear answer says: done, or the failure ``error`` stands (not done), or
    not known. Without ``error`` (a success that did not show the change), a read that fails too leaves it unknown."""
    try:
        now = read_object(account, change.kind, change.object["id"])
    except CloudflareError as exc:
        if error is not None:
            raise error.with_hint_added("reading it again failed: %s" % exc) from None
        return unknown("%s, and reading it again failed: %s" % (why, exc))
    outcome = write_outcome(change, now)
    if outcome == DONE:
        return done_with_warning("%s: %s; read again, it shows the change done" % (change.label(), why))
    if outcome == NOT_DONE and error is not None:
        raise error
    return unknown("%s; read again, %s" % (why, "it is unchanged" if outcome == NOT_DONE else outcome))


def conflicts(writes):
    """The needs_attention entries of the changes not sent because someone else changed their object."""
    return [attention_entry(outcome.sent.kind, outcome.sent.object, [issue(
        "changed_since_read", "%s: the change was not sent, so that it overwrites nothing; run the task again "
        "to plan it on the object as it is" % outcome.error, emails=list(outcome.sent.emails))])
        for outcome in writes if _is_conflict(outcome)]


def _is_conflict(outcome):
    return isinstance(outcome.error, Conflict)


def _failure(error):
    return not isinstance(error, Conflict)


# --- the task ------------------------------------------------------------------------------------------------------
def membership_options(params):
    """``(state, group values, policies)``, checked before any request."""
    state, groups, policies = params["state"], params.get("groups"), params.get("policies")
    if groups is not None:
        if not groups or not all(isinstance(value, str) and value.strip() for value in groups):
            raise CloudflareInputError("groups must name at least one group, by name or id, and no empty name; leave "
                                       "it out to work on every group")
    if state == "present":
        if not groups:
            raise CloudflareInputError("state: present needs groups: the groups to put the users in")
        if policies:
            raise CloudflareInputError("state: present puts users in groups only; policies take groups, so add the "
                                       "group to the policy instead (policies: false)")
        return state, groups, False
    return state, groups, (groups is None) if policies is None else policies


def pick_groups(groups, values):
    """The groups ``values`` name (by id, else by exact name); unknown or ambiguous names fail before any write."""
    selected, unknown, ambiguous = select_objects(groups, values)
    if unknown:
        raise CloudflareInputError("no Access group has the name or id %s; nothing was changed" % listed(unknown))
    if ambiguous:
        raise CloudflareInputError("several Access groups have the name %s; name the one meant by its id; nothing "
                                   "was changed" % "; ".join("%s (%s)" % (name, ", ".join(ids))
                                                             for name, ids in ambiguous.items()))
    return selected


def change_membership(params, check_mode, want_diff):
    """The TaskResult: fail_json's keywords when a write failed or its outcome is unknown, the warnings of
    on_missing, of settled answers and of objects someone else changed, and the rules before and after."""
    account_id = require_account_id("account_id", params["account_id"])
    _option, asks = select_users(params, SELECTORS, "leave the task out to change no membership")
    state, group_values, policies = membership_options(params)
    record = record_target(params)
    account, read_at = client_from_params(params).account(account_id), utc_now()
    users, missing = resolve_users(account, asks, refuse_shared_email=SHARED_EMAIL)
    warnings = apply_on_missing(params["on_missing"], asks, missing)
    emails = [user["email"] for user in users if isinstance(user.get("email"), str) and user["email"]]
    # No user found, nothing to plan: the groups and policies are not read.
    groups, listed_policies = read_rules(account, policies) if emails else ([], [])
    chosen = pick_groups(groups, group_values) if group_values is not None and emails else groups
    if not emails:
        plan = plan_absent([], [], [])
    elif state == "absent":
        plan = plan_absent(chosen, listed_policies, emails, account_id=account_id)
    else:
        plan = plan_present(chosen, emails, account_id=account_id)
    count = request_plan(len(groups), len(listed_policies), plan.changes, policies)
    account.reserve(count.rereads + count.puts, "changing %s (a read again and a PUT each)" % counted(
        len(plan.changes), "group or policy", "groups and policies"))
    writes = None if check_mode else write_changes(account, plan.changes)
    done = plan.changes if writes is None else changes_in(writes, WRITE_DONE)
    result = dict(_result_of(plan, done, writes), api_retries=account.retry_log, api_pacing=account.pacing())
    keys = {email.lower() for change in done for email in change.emails}
    result.update(selection_result(asks, users, missing, [user for user in users
                                                          if str(user.get("email") or "").lower() in keys]))
    result["by_user"] = by_user(users, done, result["needs_attention"])
    result["changed"] = bool(done)
    diff = plan_diff(plan._replace(changes=done)) if want_diff else None
    record_problem = None
    if record is not None:
        result["report_csv"], record_problem = keep_record(record, plan, writes, read_at)
    if writes is None:
        return TaskResult(result, None, warnings, diff)
    warnings += [outcome.why for outcome in in_state(writes, WRITE_DONE) if outcome.why] + [
        "the %s %s (%s) changed since it was read: not sent, so that nothing is overwritten (see needs_attention); "
        "run the task again" % (entry["kind"], entry["name"], entry["id"]) for entry in conflicts(writes)]
    failure = failure_of(writes, plan.changes) if stopped(writes, _failure) else None
    if record_problem:  # the groups and policies are as reported; only the record is missing
        failure = dict(failure or {}, msg="; ".join(text for text in ((failure or {}).get("msg"), record_problem) if text))
    return TaskResult(result, failure, warnings, diff)


def _result_of(plan, done, writes):
    shown = plan_result(plan._replace(changes=done))
    if writes is not None:
        shown["needs_attention"] += conflicts(writes) + [
            attention_entry(outcome.sent.kind, outcome.sent.object, [issue(
                "refused", "the API refused the PUT: %s" % refusal_text(outcome.error),
                emails=list(outcome.sent.emails))])
            for outcome in in_state(writes, REFUSED)] + [
            attention_entry(outcome.sent.kind, outcome.sent.object, [issue(
                "outcome_unknown", outcome.why, emails=list(outcome.sent.emails))])
            for outcome in in_state(writes, UNKNOWN)]
    return shown


def by_user(users, done, needs_attention):
    """Per user (as in ``users``): the groups and policies taken out of and put into (``{kind, id, name}``), and
    those that name the user but were left for a person (with their issue codes)."""
    shown = []
    for user in users:
        key = str(user.get("email") or "").lower()

        def named(emails):
            return key in {str(email).lower() for email in emails or []}

        place = [dict(kind=change.kind.name, id=change.object["id"], name=change.object["name"]) for change in done]
        shown.append(dict(
            id=user.get("id"), email=user.get("email"),
            removed_from=[item for item, change in zip(place, done) if change.removed and named(change.emails)],
            added_to=[item for item, change in zip(place, done) if change.added and named(change.emails)],
            left_for_a_person=[dict(kind=entry["kind"], id=entry["id"], name=entry["name"], issues=list(dict.fromkeys(
                item["issue"] for item in entry["issues"] if named(item.get("emails")))))
                for entry in needs_attention if any(named(item.get("emails")) for item in entry["issues"])]))
    return shown


def failure_of(writes, changes):
    """fail_json's keywords of a task that failed part-way (:func:`partial_failure`): the failure, what was
    refused, what was not sent, what was done, what is unknown. A refusal is named among the refused objects, not
    also as the failure; its keys (status, codes, cf-ray) are kept."""
    error = first_failure(writes, _failure)
    shown = None if error is None or is_refusal(error) else error
    failure = partial_failure(shown, failure_parts(writes, changes), SAFE_AGAIN)
    if error is not None and shown is None:
        failure = dict(error.to_result(), msg=failure["msg"])
    return failure


def failure_parts(writes, changes):
    parts = []
    refused, not_sent, done = in_state(writes, REFUSED), changes_in(writes, NOT_SENT), changes_in(writes, WRITE_DONE)
    if refused:
        parts.append("refused: %s" % listed("%s (%s)" % (outcome.sent.label(), refusal_text(outcome.error))
                                            for outcome in refused))
    if not_sent:
        parts.append("not sent after the failure: %s" % listed(change.label() for change in not_sent))
    parts.append("changed %d of %s: %s" % (len(done), counted(len(changes), "object"), listed(
        change.label() for change in done)) if done else "nothing was changed")
    if in_state(writes, UNKNOWN):
        parts.append("unknown: %s" % "; ".join("%s: %s" % (outcome.sent.label(), outcome.why)
                                               for outcome in in_state(writes, UNKNOWN)))
    return parts


def changes_in(writes, state):
    """The changes whose write ended in ``state``, in order."""
    return [outcome.sent for outcome in in_state(writes, state)]


# --- the record of a run -------------------------------------------------------------------------------------------
RECORD_COLUMNS = ["email", "kind", "name", "id", "rules removed", "rules added", "outcome"]


def record_target(params):
    """``names(when)``, the file names the record of this run may take in turn, checked before any request; None
    without report_dir."""
    if params.get("report_dir") is None:
        return None
    directory = require_directory("report_dir", params["report_dir"])
    name = require_record_name("report_name", params["report_name"])
    return lambda when: record_names(directory, name, when, ".csv")


def keep_record(names_at, plan, writes, now):
    """``(path, problem)``: the record of a run that sent a PUT, as a new file, and None; ``(None, None)`` for a
    run that sent none (check mode, nothing to change); ``(None, why)`` when the file could not be written."""
    if writes is None or not plan.changes or len(changes_in(writes, NOT_SENT)) == len(plan.changes):
        return None, None
    names = names_at(now)
    try:
        return write_record(csv_file(names[0], RECORD_COLUMNS, record_rows(plan, writes)), names[1:]), None
    except FileWriteError as exc:
        return None, "report_dir: %s" % exc


def record_rows(plan, writes):
    """One row per user and object: each change with its outcome, then each object left for a person."""
    outcome = {id(change): "changed" for change in changes_in(writes, WRITE_DONE)}
    outcome.update((id(change), "refused") for change in changes_in(writes, REFUSED))
    outcome.update((id(change), "unknown") for change in changes_in(writes, UNKNOWN))
    outcome.update((id(change), "not sent") for change in changes_in(writes, NOT_SENT))
    not_overwritten = {entry["id"] for entry in conflicts(writes)}
    rows = []
    for change in plan.changes:
        state = outcome.get(id(change)) or ("changed since read, not sent" if change.object["id"] in not_overwritten
                                            else "not sent")
        for address in change.emails:
            rows.append([address, change.kind.name, change.object["name"], change.object["id"],
                         _rules_of(change.removed, address), _rules_of(change.added, address), state])
    for entry in plan.needs_attention:
        for address in dict.fromkeys(email for item in entry["issues"] for email in item.get("emails") or []):
            codes = [item["issue"] for item in entry["issues"] if address in (item.get("emails") or [])]
            rows.append([address, entry["kind"], entry["name"], entry["id"], "", "",
                         "left for a person: %s" % ", ".join(dict.fromkeys(codes))])
    return rows


def _rules_of(rules, address):
    return " ".join("%s:%s" % (kind, value.get("email")) for rule in rules for kind, value in rule.items()
                    if str(value.get("email")).lower() == address.lower())
