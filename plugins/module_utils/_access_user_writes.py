# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Zero Trust Access users: create, rename and delete, on the client of ``_client.py``.

A create is not idempotent: after a broken connection or a 5xx it is not sent again. When its outcome
is unclear, or the API refuses the email as taken, the email is looked up again instead of guessing.
A rename (PUT) and a delete may be sent again: they end in the same state.
"""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    is_not_found,
    users_path,
    users_with_email,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import in_parallel
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareAPIError, CloudflareError

# x-api-token-group of "Update a user" in Cloudflare's schema. The schema names none for "Create a user"
# and "Delete a user" (x-api-token-group: null), so a 403 there says so instead of guessing one.
RENAME_PERMISSION = "Zero Trust: Seats Write"
UNDOCUMENTED_PERMISSION_HINT = (
    "Cloudflare's API schema names no API token permission for this call, so this collection cannot say which one "
    "is missing; check the token's Zero Trust and Access permissions on the account (renaming a user needs '%s', "
    "reading users 'Access: Audit Logs Read')" % RENAME_PERMISSION)
# Statuses with which the API refuses an email that a user already has (Cloudflare's schema only says 4XX).
EMAIL_TAKEN_STATUSES = (400, 409)


def create_user(client, account_id, email, name=None):
    """POST a new user; return ``(user, created)``.

    Never sent again after it may have arrived (the client retries it only after a 429, which Cloudflare
    answers before processing, or a connection that never opened). A 400 or 409 for an email that turns
    out to exist returns that user with ``created`` False, unless the POST was sent again: then the first
    one may have created it, and ``created`` is True. After a failure that leaves the outcome unknown
    (no whole answer, or a 5xx) the email is looked up again: the user found is returned as created, and
    without one the error says so and that running the task again is safe.
    """
    body = {"email": email}
    if name is not None:
        body["name"] = name
    retries_before = len(client.retry_log)
    try:
        return client.request("POST", users_path(account_id), body=body, expect=dict)["result"], True
    except CloudflareAPIError as exc:
        sent_again = len(client.retry_log) > retries_before
        if exc.status == 403:
            exc.hint = UNDOCUMENTED_PERMISSION_HINT
            raise
        outcome_unknown = exc.outcome_unknown or exc.status is None or exc.status >= 500
        if not outcome_unknown and exc.status not in EMAIL_TAKEN_STATUSES:
            raise
        existing = _look_up_again(client, account_id, email, exc)
        if len(existing) == 1:
            return existing[0], outcome_unknown or sent_again
        if existing:
            raise duplicate_email_error(email, existing) from None
        if outcome_unknown:
            exc.hint = ("the user may or may not have been created, and looking the email up again found no user: "
                        "the outcome is unknown; running the task again is safe, as it looks the email up before "
                        "creating")
        raise


def rename_user(client, account_id, user, name):
    """PUT the new name with the user's current email (the API's confirmation); return the updated user."""
    body = {"name": name, "email": user["email"]}
    return client.request("PUT", users_path(account_id, user["id"]), body=body, expect=dict,
                          permission=RENAME_PERMISSION, idempotent=True)["result"]


def delete_user(client, account_id, user_id):
    """DELETE the user (which also revokes its seats and tokens); a 404 means it is gone already."""
    try:
        client.request("DELETE", users_path(account_id, user_id), idempotent=True)
    except CloudflareAPIError as exc:
        if is_not_found(exc):
            return
        if exc.status == 403:
            exc.hint = UNDOCUMENTED_PERMISSION_HINT
        raise


def delete_users(client, account_id, user_ids):
    """Delete the users, a few at a time, after reserving the requests within the request budget."""
    if user_ids:
        client.reserve(len(user_ids), "deleting %d users" % len(user_ids))
    in_parallel(lambda user_id: delete_user(client, account_id, user_id), list(user_ids))


def duplicate_email_error(email, users):
    ids = ", ".join(sorted(str(user.get("id")) for user in users))
    return CloudflareError("%d users have the email %s (in different letter case): %s; name the one meant with user_id"
                           % (len(users), email, ids))


def _look_up_again(client, account_id, email, failure):
    """The users with ``email`` now; when even that fails, ``failure`` is raised, saying so."""
    try:
        return users_with_email(client, account_id, email.lower())
    except CloudflareError as exc:
        failure.hint = ("the outcome is unknown: looking the email up again failed too (%s); running the task again "
                        "is safe, as it looks the email up before creating" % exc)
        raise failure from None
