# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Zero Trust Access users: the API calls and the look-up planner, on top of the client in ``_client.py``."""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import in_parallel
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareAPIError, CloudflareInputError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    api_path,
    require_email,
    require_seat_uid,
    require_uuid,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._paging import announced_pages, iter_pages

# The fields of Cloudflare's user object (schema ``access_users``); the API may add more.
USER_FIELDS = (
    "id", "access_seat", "active_device_count", "created_at", "email", "gateway_seat",
    "last_successful_login", "name", "seat_uid", "uid", "updated_at",
)
RELATED = ("active_sessions", "failed_logins", "last_seen_identity")
# The API token permission that every call of this file needs (x-api-token-group in Cloudflare's schema).
READ_PERMISSION = "Access: Audit Logs Read"
NO_ROUTE = 7003  # Cloudflare's code for a 404 on a path it does not serve at all (e.g. a wrong api_url)


# The options that name users (or seats) one by one: what they look up by, and how a value is normalised.
NAMED_SELECTORS = {
    "user_id": ("id", require_uuid),
    "email": ("email", lambda option, value: require_email(option, value).lower()),
    "seat_uid": ("seat_uid", require_seat_uid),
}


def selector_keys(option, values, when_empty=None):
    """``(by, keys)`` for a selector option (``NAMED_SELECTORS``): what to look up by and the look-up keys.

    The keys are what :func:`lookup_users` matches: lower-case UUIDs or lower-case addresses, in the
    order given. Raises CloudflareInputError, before any request, for an empty list or a bad value;
    ``when_empty`` says what to do instead of an empty list.
    """
    if not values:
        raise CloudflareInputError("%s must name at least one user%s" % (option, "; " + when_empty if when_empty else ""))
    by, normalise = NAMED_SELECTORS[option]
    return by, [normalise(option, value) for value in values]


def users_path(account_id, *rest):
    return api_path("accounts", account_id, "access", "users", *rest)


def get_user(client, account_id, user_id):
    """The user object, or None when the API answers 404 for that id."""
    path = users_path(account_id, user_id)
    try:
        user = client.get(path, expect=dict, permission=READ_PERMISSION)
    except CloudflareAPIError as exc:
        if is_not_found(exc):
            return None
        raise
    problem = user_problem(user)
    if problem:
        raise CloudflareAPIError("GET", path, "the API answered success, but %s" % problem, status=200)
    return user


def is_not_found(exc):
    """A 404 in Cloudflare's own envelope about the object asked for.

    Anything else is not data: a 404 for an unknown route is a configuration error, and a 404 that
    is not Cloudflare's envelope (an HTML page from a proxy or a wrong ``api_url``, JSON of another
    shape) never reached Cloudflare's API; the client's hint says so.
    """
    if exc.status != 404 or not exc.from_cloudflare:
        return False
    codes = [error.get("code") for error in exc.errors if isinstance(error, dict)]
    if NO_ROUTE in codes:
        exc.hint = "Cloudflare serves no such path: check api_url (it ends in /client/v4)"
        return False
    return True


def user_problem(user):
    """Why ``user`` is not a user object this collection can work with, or None."""
    if not isinstance(user, dict):
        return "a user is %s, not an object" % _kind(user)
    user_id = user.get("id")
    if not isinstance(user_id, str) or user_id in ("", ".", ".."):
        return "a user's id is %s, not an identifier" % (_kind(user_id) if not isinstance(user_id, str) else repr(user_id))
    return None


def _kind(value):
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def list_users(client, account_id, name=None, search=None, email=None):
    """Every user the list endpoint returns for these filters (``email`` is a search, not a match)."""
    filters = {key: value for key, value in (("name", name), ("search", search), ("email", email)) if value}
    pages = iter_pages(client, users_path(account_id), filters, permission=READ_PERMISSION, item_problem=user_problem)
    return [user for items, _info in pages for user in items]


def users_with_email(client, account_id, email):
    """The users whose email is exactly ``email`` (case-insensitive); the API's filter also finds longer ones."""
    wanted = email.lower()
    return [user for user in list_users(client, account_id, email=email) if _email_key(user) == wanted]


def lookup_users(client, account_id, keys, by):
    """Map each key to the users it names, sending at most min(k, pages) + 1 requests for k keys.

    ``by`` is ``"id"`` (keys are lower-case UUIDs) or ``"email"`` (keys are lower-case addresses).
    One key costs one filtered request. For more, the first page of the account's listing tells
    how many pages the whole listing has; the rest is then looked up either one request per key
    still missing or by reading the remaining pages, whichever takes fewer requests.
    """
    keys = list(dict.fromkeys(keys))
    fetch_one = _fetch_by_id if by == "id" else _fetch_by_email
    if len(keys) == 1:
        return {keys[0]: fetch_one(client, account_id, keys[0])}
    key_of = _id_key if by == "id" else _email_key
    found = {key: [] for key in keys}
    pages = iter_pages(client, users_path(account_id), permission=READ_PERMISSION, item_problem=user_problem)
    items, info = next(pages)
    _collect(items, key_of, found)
    missing = [key for key in keys if not found[key]]
    last_page = announced_pages(info)
    if missing and last_page is not None and len(missing) < last_page - 1:
        pages.close()
        for key, users in zip(missing, in_parallel(lambda key: fetch_one(client, account_id, key), missing)):
            found[key] = users
    elif missing:
        for items, _info in pages:
            _collect(items, key_of, found)
    return found


def add_related(client, account_id, users, include):
    """Add the requested sub-resources (``RELATED``) to each user, in place, within the request budget."""
    jobs = [(user, what) for user in users for what in dict.fromkeys(include)]
    if jobs:
        client.reserve(len(jobs), "include for %d users" % len(users))

    def fetch(job):
        user, what = job
        try:
            return client.get(users_path(account_id, user["id"], what), permission=READ_PERMISSION)
        except CloudflareAPIError as exc:
            if is_not_found(exc):  # e.g. no identity seen yet for a user who never logged in
                return None
            raise

    for (user, what), value in zip(jobs, in_parallel(fetch, jobs)):
        user[what] = value


def seat_summary(users):
    """What a seat audit asks first: how many users hold which seats, and who never logged in."""
    access = [user for user in users if user.get("access_seat")]
    gateway = [user for user in users if user.get("gateway_seat")]
    return dict(
        users=len(users),
        access_seat=len(access),
        gateway_seat=len(gateway),
        both_seats=sum(1 for user in access if user.get("gateway_seat")),
        no_seat=sum(1 for user in users if not user.get("access_seat") and not user.get("gateway_seat")),
        never_logged_in=sum(1 for user in users if not user.get("last_successful_login")),
    )


def _fetch_by_id(client, account_id, user_id):
    user = get_user(client, account_id, user_id)
    return [user] if user is not None else []


def _fetch_by_email(client, account_id, email):
    return users_with_email(client, account_id, email)


def _id_key(user):
    return str(user.get("id") or "").lower()


def _email_key(user):
    return str(user.get("email") or "").lower()


def _collect(items, key_of, found):
    for user in items:
        key = key_of(user)
        if key in found:
            found[key].append(user)


# --- Selectors that name users, shared by every module that takes them -----------------------------------
# option -> (what lookup_users looks up by, how a value is normalised into a key)
def requested_keys(params, options=("user_id", "email"), when_empty="leave it out to read every user"):
    """``(option, by, keys)`` for the first of ``options`` that is set, or ``(None, None, None)``.

    ``keys`` are the option's values normalised for matching (lower-case UUIDs, emails, seat uids);
    an empty list is refused, with ``when_empty`` saying what to do instead.
    """
    for option in options:
        if params.get(option) == []:
            selector_keys(option, [], when_empty)
    for option in options:
        if params.get(option) is not None:
            return (option,) + selector_keys(option, params[option], when_empty)
    return None, None, None


def in_order_asked(matches, keys, asked):
    """``(users, missing)``: the users ``matches`` maps ``keys`` to, in the order asked for, and the
    values as given (``asked``, parallel to ``keys``) that matched no user."""
    users = [user for key in dict.fromkeys(keys) for user in matches[key]]
    missing = list(dict.fromkeys(value for value, key in zip(asked, keys) if not matches[key]))
    return users, missing


def users_with_seat_uids(client, account_id, seat_uids):
    """Map each seat uid (lower-case) to the users holding it. The API has no seat filter: reads the listing."""
    found = {key: [] for key in seat_uids}
    _collect(list_users(client, account_id), lambda user: str(user.get("seat_uid") or "").lower(), found)
    return found
