# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Zero Trust Access users: create, rename and delete, on the client of ``_client.py``.

A create is not idempotent: after a broken connection or a 5xx it is not sent again. A rename (PUT) and a
delete may be sent again: they end in the same state. Whenever a write's outcome is unclear (no whole
answer, a 5xx, a 2xx whose body cannot be read or does not confirm the write, an answer about another
user), the user is read again to learn what happened instead of guessing, and only what that read shows
is reported as done. When even that read fails, the error says the outcome is unknown and that running
the task again is safe.
"""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    ambiguous_error,
    get_user,
    select_users,
    users_path,
    users_with_email,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareError,
    CloudflareInputError,
    listed,
    one_line,
    partial_failure,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._writes import (
    DONE as WRITE_DONE,
    FAILED,
    NOT_SENT,
    WriteOutcome,
    all_sent,
    in_state,
    in_turn,
    outcome_unclear,
    reserve_writes,
    settled,
)

# x-api-token-group of "Update a user" in Cloudflare's schema. The schema names none for "Create a user"
# and "Delete a user" (x-api-token-group: null), so a 403 there says so instead of guessing one.
RENAME_PERMISSION = "Zero Trust: Seats Write"
UNDOCUMENTED_PERMISSION_HINT = (
    "Cloudflare's API schema names no API token permission for this call, so this collection cannot say which one "
    "is missing; check the token's Zero Trust and Access permissions on the account (renaming a user needs '%s', "
    "reading users 'Access: Audit Logs Read')" % RENAME_PERMISSION)
# "Email taken": Cloudflare's schema documents no status and no code for the answer to creating a user whose
# email a user already has (every failure of "Create a user" is "4XX"). So no status is taken to mean it: a 400
# or a 409 (the statuses such a refusal plausibly takes) only makes create_user look the email up again, and that
# look-up decides (a user found is returned; none found raises the refusal as it came). Any other refusal, and
# any error code, is raised as it came.
EMAIL_TAKEN_STATUSES = (400, 409)
RUN_AGAIN = "running the task again is safe, as it reads the users before writing"
CREATE_AGAIN = "running the task again is safe, as it looks the email up before creating"


def create_user(account, email, name=None):
    """POST a new user; return ``(user, created)``.

    Never sent again after it may have arrived (the client retries it only after a 429, which Cloudflare
    answers before processing, or a connection that never opened). After an unclear outcome, an answer
    about another email, or a 400 or 409 for an email that turns out to exist, the email is looked up
    again: the user found is returned, as created unless the API refused the email as taken (then
    someone else created it, unless the POST was sent twice). Without one, the error says so.
    """
    body = {"email": email}
    if name is not None:
        body["name"] = name

    def check(answer):
        user = answer[0]
        if str(user.get("email") or "").lower() == email.lower():
            return None
        # An answer about another user is never taken for the one created: the look-up says what is there.
        return CloudflareAPIError("POST", users_path(account.id), "the API answered success, but its answer is about "
                                  "another user (email %s), not %s" % (one_line(user.get("email"), 80), email), status=200)

    def read_again(failure):
        unclear = outcome_unclear(failure)
        existing = _look_up_again(account, email, failure)
        if existing is not None:
            # Refused as taken: created by someone else, unless an earlier try of this POST was the one that created it.
            return existing, unclear or failure.retried
        if unclear:
            raise failure.with_hint_added(
                "the user may or may not have been created, and looking the email up again found no user: the "
                "outcome is unknown; %s" % CREATE_AGAIN)
        raise failure

    return settled(lambda: (account.request("POST", users_path(account.id), body=body, expect=dict,
                                            forbidden_hint=UNDOCUMENTED_PERMISSION_HINT)["result"], True),
                   read_again, check, read_on=EMAIL_TAKEN_STATUSES)


def rename_user(account, user, name):
    """PUT the new name with the user's current email (the API's confirmation); return the renamed user.

    An answer that does not confirm the new name for this user (an unclear outcome, another user, the old
    name) is checked by reading the user again: only a user who has the new name is returned.
    """
    path = users_path(account.id, user["id"])
    body = {"name": name, "email": user["email"]}

    def check(answer):
        if str(answer.get("id") or "").lower() == user["id"].lower() and answer.get("name") == name:
            return None
        return CloudflareAPIError("PUT", path, _unconfirmed(answer, user["id"], "name %r" % one_line(
            answer.get("name"), 80)), status=200)

    def read_again(failure):
        now = _read_again(account, user["id"], failure)
        if now is not None and now.get("name") == name:
            return now
        raise failure.with_hint_added("reading the user again shows %s: not renamed; %s" % (
            "no such user" if now is None else "the name %r" % one_line(now.get("name"), 80), RUN_AGAIN))

    return settled(lambda: account.request("PUT", path, body=body, expect=dict, permission=RENAME_PERMISSION,
                                           idempotent=True)["result"], read_again, check)


def delete_user(account, user_id):
    """DELETE the user (which also revokes its seats and tokens); a 404 means it is gone already.

    An unclear outcome, or an answer about another user, is checked by reading the user again: only a
    user that is gone counts as deleted.
    """
    path = users_path(account.id, user_id)

    def check(envelope):
        if envelope is None:  # Cloudflare's API says there is no such user: gone already
            return None
        # The schema's result is "a nullable object" without documented fields: only an id of another user in it
        # makes it an answer about another user; anything else confirms the delete.
        answer = envelope["result"]
        if not isinstance(answer, dict) or str(answer.get("id") or user_id).lower() == user_id.lower():
            return None
        return CloudflareAPIError("DELETE", path, _unconfirmed(answer, user_id, "deleted"), status=200)

    def read_again(failure):
        if _read_again(account, user_id, failure) is not None:
            raise failure.with_hint_added("reading the user again shows it still there: not deleted; %s" % RUN_AGAIN)

    settled(lambda: account.request("DELETE", path, idempotent=True, not_found=None,
                                    forbidden_hint=UNDOCUMENTED_PERMISSION_HINT), read_again, check)


def delete_users(account, user_ids):
    """Delete the users, a few at a time; return the CloudflareError of each (None for each one deleted).

    Every delete is sent, also when one fails, so the caller can say exactly which users are gone.
    """
    return all_sent(user_ids, lambda user_id: delete_user(account, user_id))


def _unconfirmed(answer, user_id, what):
    if str(answer.get("id") or "").lower() != user_id.lower():
        return "the API answered success, but its answer is about another user (id %s), not %s" % (
            one_line(answer.get("id"), 60), user_id)
    return "the API answered success, but its answer shows the user with the %s" % what


def _read_again(account, user_id, failure):
    """The user as the API has it now (None when gone); when that read fails too, ``failure`` is raised, saying so."""
    try:
        return get_user(account, user_id)
    except CloudflareError as exc:
        raise failure.with_hint_added("the outcome is unknown: reading the user again failed too (%s); %s" % (
            exc, RUN_AGAIN)) from None


def _look_up_again(account, email, failure):
    """The one user with ``email`` now, or None; when that look-up fails too, ``failure`` is raised, saying so."""
    try:
        existing = users_with_email(account, email.lower())
    except CloudflareError as exc:
        raise failure.with_hint_added("the outcome is unknown: looking the email up again failed too (%s); %s" % (
            exc, CREATE_AGAIN)) from None
    if len(existing) > 1:
        raise ambiguous_error("email", email.lower(), existing) from None
    return existing[0] if existing else None


# --- cf_access_user's plan: the users asked for, and the write that gets each where it is asked to be ---------

DONE = {"create": "created", "rename": "renamed", "delete": "deleted"}


class Change:
    """One user asked for: as it was, as it is (or would be) after the task, and the write that gets it there (the
    writes revise it: a user created meanwhile by someone else is not created again). How its write went is its
    WriteOutcome (:func:`apply`); ``done`` below is whether the write landed (in check mode: would land)."""

    def __init__(self, ask, action, before, after):
        self.ask, self.action, self.before, self.after = ask, action, before, after

    @property
    def label(self):
        return self.ask.value  # the first spelling asked: to create the user with and to name it

    def now(self, state, done):
        """The user as it is after the task (a deleted user as it was), or None when there is none."""
        if state == "absent" or self.action and not done:
            return self.before or None
        return self.after or None

    def diff(self, done):
        after = self.after if done or not self.action else self.before
        return dict(before=self.before, after=after, before_header=self.label, after_header=self.label)


def validate(params):
    """``(asks, confirm_email)`` for the params; every check happens before any request."""
    user_ids, emails, name = params["user_id"], params["email"], params["name"]
    confirm_email = None
    if user_ids is not None and emails is not None:
        if len(user_ids) != 1 or len(emails) != 1:
            raise CloudflareInputError("user_id and email together name one user: give one of each, or a list of "
                                       "only one of them")
        confirm_email = select_users(params, ("email",))[1][0].key
    option, asks = select_users(params, ("user_id", "email"), "leave the task out to change no user")
    if name is not None:
        if params["state"] == "absent":
            raise CloudflareInputError("name is only used with state=present")
        if not name.strip():
            raise CloudflareInputError("name must not be empty; leave it out to keep the user's name")
        users_named = len(set(ask.key for ask in asks))
        if users_named > 1:
            raise CloudflareInputError("name sets the name of one user, but %s names %d" % (option, users_named))
    return asks, confirm_email


def confirm(found, asks, confirm_email):
    """Refuse an email change (user_id with another email) before any write."""
    user = found[(asks[0].by, asks[0].key)]
    if confirm_email and user and str(user.get("email")).lower() != confirm_email:
        raise CloudflareInputError("email cannot be changed: user %s has the email %s, not %s (Cloudflare does not "
                                   "allow changing a user's email)" % (user["id"], user.get("email"), confirm_email))


def plan(asks, found, state, name):
    """The Change of each user asked for, in order, each once."""
    changes, first_asks = [], {}
    for ask in asks:
        first_asks.setdefault((ask.by, ask.key), ask)
    for ask in first_asks.values():
        before = found[(ask.by, ask.key)] or {}
        if state == "absent":
            changes.append(Change(ask, "delete" if before else None, before, {}))
        elif not before and ask.by == "id":
            raise CloudflareInputError("user_id %s names no user; the API chooses the id of a new user, so give "
                                       "its email to create it" % ask.value)
        elif not before:
            changes.append(Change(ask, "create", before, dict(email=ask.value, **({"name": name} if name else {}))))
        elif name is not None and before.get("name") != name:
            changes.append(Change(ask, "rename", before, dict(before, name=name)))
        else:
            changes.append(Change(ask, None, before, before))
    return changes


def apply(account, changes, name):
    """Send the writes of ``changes``; a WriteOutcome for each change that still has a write, in order: DONE, FAILED
    (its ``value`` True when the write landed in part: a user created, not renamed) or NOT_SENT. Deletes are all
    sent, a few at a time; creates and renames one by one, stopping at the first that fails."""
    writes = [change for change in changes if change.action]
    reserve_writes(account, len(writes), "changing %d users" % len(writes))
    outcomes = {}
    deletes = [change for change in writes if change.action == "delete"]
    for change, error in zip(deletes, delete_users(account, [change.before["id"] for change in deletes])):
        outcomes[id(change)] = WriteOutcome(change, WRITE_DONE, value=True) if error is None else \
            WriteOutcome(change, FAILED, value=False, error=error)
    others = [change for change in writes if change.action in ("create", "rename")]
    landed = {}  # id of a change -> whether its write landed, also in part
    done, error = in_turn(others, lambda change: write(account, change, name, landed))
    for change, _value in done:
        outcomes[id(change)] = WriteOutcome(change, WRITE_DONE, value=landed[id(change)])
    if error is not None:
        failed = others[len(done)]
        outcomes[id(failed)] = WriteOutcome(failed, FAILED, value=landed.get(id(failed), False), error=error)
    return [outcomes.get(id(change), WriteOutcome(change, NOT_SENT, value=False)) for change in writes
            if change.action]


def write(account, change, name, landed):
    """Send the write of one change; ``landed[id(change)]`` says whether it landed (the create of a user someone
    else created meanwhile did not; the rename after a create may still fail)."""
    if change.action == "rename":
        change.after, landed[id(change)] = rename_user(account, change.before, name), True
        return
    user, created = create_user(account, change.label, name)
    if not created:  # the API had the user after all (created at the same time by someone else)
        change.before, change.after, change.action = user, user, None
        landed[id(change)] = False
    else:
        change.after, landed[id(change)] = user, True
    if name is not None and user.get("name") != name:  # apply the name asked for, also to that user
        change.action = change.action or "rename"
        change.after, landed[id(change)] = rename_user(account, user, name), True


def predicted(changes):
    """Check mode's outcomes: every write of the plan would land."""
    return [WriteOutcome(change, WRITE_DONE, value=True) for change in changes if change.action]


def landed(outcomes):
    """The ids of the changes whose write landed (in check mode: would land)."""
    return {id(outcome.sent) for outcome in outcomes if outcome.value}


def failure(outcomes):
    """fail_json's keywords when a write failed: the first failure, and what was done, failed and not sent."""
    failed = [outcome.sent for outcome in in_state(outcomes, FAILED)]
    if not failed:
        return None
    first = in_state(outcomes, FAILED)[0].error
    if len(outcomes) == 1:
        return partial_failure(first)
    done = [outcome.sent for outcome in outcomes if outcome.value]
    unsent = [outcome.sent for outcome in in_state(outcomes, NOT_SENT)]
    return partial_failure(first, [
        "%d of %d changes done%s" % (len(done), len(outcomes), ": " + _named(done, True) if done else ""),
        "%d failed: %s" % (len(failed), _named(failed)) if len(failed) > 1 else None,
        "not sent: %s" % _named(unsent) if unsent else None], RUN_AGAIN)


def _named(changes, verbs=False):
    return listed(("%s %s" % (DONE[change.action], change.label)) if verbs else change.label for change in changes)
