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
    users_path,
    users_with_email,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareError,
    one_line,
    outcome_unclear,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._threads import in_parallel

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


def create_user(client, account_id, email, name=None):
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
    try:
        user = client.request("POST", users_path(account_id), body=body, expect=dict,
                              forbidden_hint=UNDOCUMENTED_PERMISSION_HINT)["result"]
    except CloudflareAPIError as exc:
        if not outcome_unclear(exc) and exc.status not in EMAIL_TAKEN_STATUSES:
            raise
        failure = exc
    else:
        if str(user.get("email") or "").lower() == email.lower():
            return user, True
        # An answer about another user is never taken for the one created: the look-up says what is there.
        failure = CloudflareAPIError("POST", users_path(account_id), "the API answered success, but its answer is "
                                     "about another user (email %s), not %s" % (one_line(user.get("email"), 80),
                                                                                email), status=200)
    # Outside the except block: a failure of the look-up is its own, not chained to the POST's.
    unclear = outcome_unclear(failure)
    existing = _look_up_again(client, account_id, email, failure)
    if existing is not None:
        # Refused as taken: created by someone else, unless an earlier try of this POST was the one that created it.
        return existing, unclear or failure.retried
    if unclear:
        raise failure.with_hint_added(
            "the user may or may not have been created, and looking the email up again found no user: the outcome "
            "is unknown; %s" % CREATE_AGAIN)
    raise failure


def rename_user(client, account_id, user, name):
    """PUT the new name with the user's current email (the API's confirmation); return the renamed user.

    An answer that does not confirm the new name for this user (an unclear outcome, another user, the old
    name) is checked by reading the user again: only a user who has the new name is returned.
    """
    path = users_path(account_id, user["id"])
    body = {"name": name, "email": user["email"]}
    try:
        answer = client.request("PUT", path, body=body, expect=dict, permission=RENAME_PERMISSION,
                                idempotent=True)["result"]
    except CloudflareAPIError as exc:
        if not outcome_unclear(exc):
            raise
        failure = exc
    else:
        if str(answer.get("id") or "").lower() == user["id"].lower() and answer.get("name") == name:
            return answer
        failure = CloudflareAPIError("PUT", path, _unconfirmed(answer, user["id"], "name %r" % one_line(
            answer.get("name"), 80)), status=200)
    now = _read_again(client, account_id, user["id"], failure)
    if now is not None and now.get("name") == name:
        return now
    raise failure.with_hint_added("reading the user again shows %s: not renamed; %s" % (
        "no such user" if now is None else "the name %r" % one_line(now.get("name"), 80), RUN_AGAIN))


def delete_user(client, account_id, user_id):
    """DELETE the user (which also revokes its seats and tokens); a 404 means it is gone already.

    An unclear outcome, or an answer about another user, is checked by reading the user again: only a
    user that is gone counts as deleted.
    """
    path = users_path(account_id, user_id)
    try:
        envelope = client.request("DELETE", path, idempotent=True, not_found=None,
                                  forbidden_hint=UNDOCUMENTED_PERMISSION_HINT)
    except CloudflareAPIError as exc:
        if not outcome_unclear(exc):
            raise
        failure = exc
    else:
        if envelope is None:  # Cloudflare's API says there is no such user: gone already
            return
        # The schema's result is "a nullable object" without documented fields: only an id of another user in it
        # makes it an answer about another user; anything else confirms the delete.
        answer = envelope["result"]
        if not isinstance(answer, dict) or str(answer.get("id") or user_id).lower() == user_id.lower():
            return
        failure = CloudflareAPIError("DELETE", path, _unconfirmed(answer, user_id, "deleted"), status=200)
    if _read_again(client, account_id, user_id, failure) is None:
        return
    raise failure.with_hint_added("reading the user again shows it still there: not deleted; %s" % RUN_AGAIN)


def delete_users(client, account_id, user_ids):
    """Delete the users, a few at a time; return the CloudflareError of each (None for each one deleted).

    Every delete is sent, also when one fails, so the caller can say exactly which users are gone.
    """
    def delete(user_id):
        try:
            delete_user(client, account_id, user_id)
        except CloudflareError as exc:
            return exc
        return None

    return in_parallel(delete, list(user_ids))


def _unconfirmed(answer, user_id, what):
    if str(answer.get("id") or "").lower() != user_id.lower():
        return "the API answered success, but its answer is about another user (id %s), not %s" % (
            one_line(answer.get("id"), 60), user_id)
    return "the API answered success, but its answer shows the user with the %s" % what


def _read_again(client, account_id, user_id, failure):
    """The user as the API has it now (None when gone); when that read fails too, ``failure`` is raised, saying so."""
    try:
        return get_user(client, account_id, user_id)
    except CloudflareError as exc:
        raise failure.with_hint_added("the outcome is unknown: reading the user again failed too (%s); %s" % (
            exc, RUN_AGAIN)) from None


def _look_up_again(client, account_id, email, failure):
    """The one user with ``email`` now, or None; when that look-up fails too, ``failure`` is raised, saying so."""
    try:
        existing = users_with_email(client, account_id, email.lower())
    except CloudflareError as exc:
        raise failure.with_hint_added("the outcome is unknown: looking the email up again failed too (%s); %s" % (
            exc, CREATE_AGAIN)) from None
    if len(existing) > 1:
        raise ambiguous_error("email", email.lower(), existing) from None
    return existing[0] if existing else None
