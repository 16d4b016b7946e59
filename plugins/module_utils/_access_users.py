# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Zero Trust Access users: the API calls, and the one way every plugin selects users, on the client of ``_client.py``.

Selecting users is one path for every module and the lookup: :func:`select_users` (module options) or
:func:`select_terms` (the lookup's terms) check the values before any request and turn them into asks;
:func:`find_users` resolves the asks with the look-up planner (:func:`users_by_key`), refusing an email
that names several users; :func:`users_in_order` gives the users in the order asked, each once, and the
values that matched none; :func:`apply_on_missing` does what the plugin's ``on_missing`` says of those values,
before any change; :func:`selection_result` gives the result keys every module returns.
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import api_path
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareError,
    CloudflareInputError,
    MissingUsersError,
    json_type,
    listed,
    one_line,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    UUID_RE,
    require_email,
    require_seat_uid,
    require_uuid,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._paging import announced_pages, read_listing
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._threads import in_parallel

RELATED = ("active_sessions", "failed_logins", "last_seen_identity")
# The API token permission that every call of this file needs (x-api-token-group in Cloudflare's schema).
READ_PERMISSION = "Access: Audit Logs Read"


def users_path(account_id, *rest):
    return api_path("accounts", account_id, "access", "users", *rest)


def get_user(account, user_id):
    """The user object, or None when Cloudflare's API says there is no user with that id."""
    path = users_path(account.id, user_id)
    user = account.get(path, expect=dict, permission=READ_PERMISSION, not_found=None)
    if user is None:
        return None
    problem = user_problem(user) or other_user_problem(user, user_id)
    if problem:
        raise CloudflareAPIError("GET", path, "the API answered success, but %s" % problem, status=200)
    return user


def other_user_problem(user, user_id):
    """Why ``user`` is not the user ``user_id`` (an answer about another user is never taken for it), or None."""
    if _id_key(user) != user_id.lower():
        return "its answer is about another user (id %s), not %s: refused" % (one_line(user.get("id"), 60), user_id)
    return None


def user_problem(user):
    """Why ``user`` is not a user object this collection can work with, or None."""
    if not isinstance(user, dict):
        return "a user is %s, not an object" % json_type(user)
    user_id = user.get("id")
    if not isinstance(user_id, str) or user_id in ("", ".", ".."):
        return "a user's id is %s, not an identifier" % (json_type(user_id) if not isinstance(user_id, str) else repr(user_id))
    return None


def list_users(account, name=None, search=None, email=None):
    """Every user the list endpoint returns for these filters (``email`` is a search, not a match)."""
    filters = {key: value for key, value in (("name", name), ("search", search), ("email", email)) if value}
    pages = read_listing(account, users_path(account.id), filters, permission=READ_PERMISSION, item_problem=user_problem)
    return [user for items, _info in pages for user in items]


def users_with_email(account, email):
    """The users whose email is exactly ``email`` (case-insensitive); the API's filter also finds longer ones."""
    wanted = email.lower()
    return [user for user in list_users(account, email=email) if _email_key(user) == wanted]


def add_related(account, users, include):
    """Add the requested sub-resources (``RELATED``) to each user, in place, within the request budget."""
    jobs = [(user, what) for user in users for what in dict.fromkeys(include)]
    if jobs:
        account.reserve(len(jobs), "include for %d users" % len(users))

    def fetch(job):
        user, what = job
        # null when Cloudflare's API says there is none: e.g. no identity seen yet for a user who never logged in
        return account.get(users_path(account.id, user["id"], what), permission=READ_PERMISSION, not_found=None)

    for (user, what), value in zip(jobs, in_parallel(fetch, jobs)):
        user[what] = value


SEATS = ("access_seat", "gateway_seat")


def seat_value(user, seat):
    """The user's ``seat`` (``access_seat`` or ``gateway_seat``) as the API said it: True, False, or None when
    it is unknown: the field left out (the schema makes it optional), null, or not a boolean (``"no"``, ``1``).

    Every module and report reads a seat through this, so that an unknown seat is never taken for a held one
    (``"no"`` is truthy) nor for a free one (a field left out is not false).
    """
    value = user.get(seat)
    return value if isinstance(value, bool) else None


def seat_summary(users):
    """What a seat audit asks first: how many users hold which seats, and who never logged in.

    A seat counts as held or free only when the API says true or false; ``unknown_seat`` counts the users of
    whom the API left a seat out or gave it in another type, who are in neither ``access_seat`` nor ``no_seat``
    for that seat.
    """
    seats = [(seat_value(user, "access_seat"), seat_value(user, "gateway_seat")) for user in users]
    return dict(
        users=len(users),
        access_seat=sum(1 for access, _gateway in seats if access is True),
        gateway_seat=sum(1 for _access, gateway in seats if gateway is True),
        both_seats=sum(1 for access, gateway in seats if access is True and gateway is True),
        no_seat=sum(1 for access, gateway in seats if access is False and gateway is False),
        unknown_seat=sum(1 for pair in seats if None in pair),
        never_logged_in=sum(1 for user in users if not user.get("last_successful_login")),
    )


# --- Selecting users: one path for every module and the lookup -------------------------------------------
# One value of a selector: what it is looked up by ("id", "email" or "seat_uid"), its key for matching
# (lower-case UUID, address or seat uid) and the value as given (for ``missing`` and messages).
Ask = namedtuple("Ask", "by key value")

# The options that name users one by one: what they look up by, and how a value becomes its key.
SELECTORS = {
    "user_id": ("id", require_uuid),
    "email": ("email", lambda option, value: require_email(option, value).lower()),
    "seat_uid": ("seat_uid", require_seat_uid),
}


def select_users(params, options=("user_id", "email"), when_empty="leave it out to read every user"):
    """``(option, asks)`` for the first of ``options`` that is set, or ``(None, [])`` when none is.

    Every value is checked before any request; an empty list is refused, ``when_empty`` saying what to
    do instead.
    """
    for option in options:
        if params.get(option) == []:
            raise CloudflareInputError("%s must name at least one user; %s" % (option, when_empty))
    for option in options:
        if params.get(option) is not None:
            by, key_of = SELECTORS[option]
            return option, [Ask(by, key_of(option, value), value) for value in params[option]]
    return None, []


def select_terms(terms):
    """The asks of the lookup's terms, checked before any request: a UUID is a user id, anything else an email."""
    asks = []
    for number, term in enumerate(terms, 1):
        option = "term %d" % number
        if isinstance(term, str) and UUID_RE.match(term):
            asks.append(Ask("id", require_uuid(option, term), term))
            continue
        try:
            asks.append(Ask("email", require_email(option, term).lower(), term))
        except CloudflareInputError as exc:
            raise CloudflareInputError("%s; a term is an email address or a user id (UUID)" % exc) from None
    return asks


def find_users(account, asks, refuse_shared_email=None):
    """``{(by, key): user or None}`` for the asks: one planned batch of reads for each kind of key.

    A key that matches several users (an email in different letter case, a seat uid given twice by the
    API) is refused before anything acts on it, naming their ids. With ``refuse_shared_email`` (why, for the
    message), so is a user found by id or seat uid whose email another user has in other letter case: for work
    that names users by email, as Cloudflare's token revocation does, and would reach both. The whole account's
    listing, when the look-ups read it, answers those emails without another request.
    """
    found, listing = {}, {}
    for by in dict.fromkeys(ask.by for ask in asks):
        keys = [ask.key for ask in asks if ask.by == by]
        for key, users in users_by_key(account, keys, by, listing).items():
            if len(users) > 1:
                raise ambiguous_error(by, key, users)
            found[(by, key)] = users[0] if users else None
    emails = [_email_key(user) for (by, _key), user in found.items() if by != "email" and user and _email_key(user)]
    if refuse_shared_email and emails:
        for key, users in users_by_key(account, emails, "email", listing).items():
            if len(users) > 1:
                raise CloudflareError("%s; %s" % (ambiguous_error("email", key, users, hint=False), refuse_shared_email))
    return found


def users_in_order(asks, found):
    """``(users, missing)``: the users ``found`` for the asks in the order asked, each once, and the values,
    as first given, that matched no user."""
    users, seen, missing = [], set(), {}
    for ask in asks:
        user = found[(ask.by, ask.key)]
        if user is None:
            missing.setdefault((ask.by, ask.key), ask.value)
        elif _id_key(user) not in seen:
            seen.add(_id_key(user))
            users.append(user)
    return users, list(missing.values())


def resolve_users(account, asks, refuse_shared_email=None):
    """``(users, missing)`` for the asks of :func:`select_users`, as :func:`users_in_order` gives them
    (``refuse_shared_email`` as for :func:`find_users`)."""
    return users_in_order(asks, find_users(account, asks, refuse_shared_email))


def selection_result(asks, users, missing, changed_users=()):
    """The keys every module returns for a selection: ``users``, ``missing``, ``changed_users`` and,
    when the selector got exactly one value, ``user`` (``{}`` when it matched no user)."""
    result = dict(users=users, missing=missing, changed_users=list(changed_users))
    if len(asks) == 1:
        result["user"] = users[0] if users else {}
    return result


# How a module goes on under on_missing=warn or skip, and what on_missing=error leaves done, for the messages.
MODULES_GO_ON = "the task goes on with the users found and lists the others in missing"
NOTHING_CHANGED = "; nothing was changed"


def apply_on_missing(on_missing, asks, missing, what=None, going_on=MODULES_GO_ON, stopped=NOTHING_CHANGED):
    """What ``on_missing`` (error, warn, skip) makes of ``missing``: the values of ``asks``, as given, that
    matched no user. A list of warnings to show: one under warn, none under skip or when nothing is missing;
    under error, a MissingUsersError that names the values and on_missing. Called once the users are read and
    before any change, so that error changes nothing.

    ``what`` the asks are, for the message: by default ``values of`` their option (``values of email``);
    ``going_on`` says what warn and skip do instead, ``stopped`` what error leaves done.
    """
    if not missing or on_missing == "skip":
        return []
    what = what or "values of %s" % {"id": "user_id", "email": "email", "seat_uid": "seat_uid"}[asks[0].by]
    problem = "no Access user for %d of %d %s: %s" % (len(missing), len(asks), what, listed(missing))
    if on_missing == "error":
        raise MissingUsersError("%s%s (on_missing=error; with warn or skip %s)" % (problem, stopped, going_on), missing)
    return ["%s; %s (on_missing=warn)" % (problem, going_on)]


def ambiguous_error(by, key, users, hint=True):
    """The refusal of a key that names several users, naming their ids (and, with ``hint``, what to do)."""
    ids = ", ".join(sorted(str(user.get("id")) for user in users))
    if by == "email":
        what = "have the email %s (in different letter case)" % key
    else:
        what = "have the %s %s" % ("seat_uid" if by == "seat_uid" else "id", key)
    return CloudflareError("%d users %s: %s%s" % (len(users), what, ids, "; name the one meant with user_id" if hint else ""))


def users_by_key(account, keys, by, listing=None):
    """The look-up planner: map each key to the users it names, in at most min(k, pages) + 1 requests for k keys.

    ``by`` is ``"id"`` (keys are lower-case UUIDs), ``"email"`` (lower-case addresses) or ``"seat_uid"``
    (lower-case seat uids; the API has no filter for them, so the whole listing is read). One id or
    email costs one request. For more, the first page of the account's listing tells how many pages the
    whole listing has; the rest is then looked up either one request per key still open or by reading
    the remaining pages, whichever takes fewer requests. An id is settled once found; an email stays
    open until every user who has it is known (another user may have it in other letter case), so
    that an email of several users is always seen as such.

    ``listing`` (a dict, shared by the look-ups of one selection) keeps the whole account's listing once one
    look-up has read it (``listing["users"]``); the next look-ups are answered from it, without a request.
    """
    keys = list(dict.fromkeys(keys))
    key_of = {"id": _id_key, "email": _email_key, "seat_uid": _seat_key}[by]
    found = {key: [] for key in keys}
    if listing is not None and "users" in listing:
        _collect(listing["users"], key_of, found)
        return found
    if by != "seat_uid" and len(keys) == 1:
        return {keys[0]: _fetch_one(account, by, keys[0])}
    pages = read_listing(account, users_path(account.id), permission=READ_PERMISSION, item_problem=user_problem)
    items, info = next(pages)
    everyone = list(items)
    _collect(items, key_of, found)
    still_open = [key for key in keys if by != "id" or not found[key]]
    last_page = announced_pages(info)
    if last_page == 1 and listing is not None:
        listing["users"] = everyone  # page 1 is the whole listing
    if by != "seat_uid" and still_open and last_page is not None and len(still_open) < last_page - 1:
        pages.close()
        fetched = in_parallel(lambda key: _fetch_one(account, by, key), still_open)
        for key, users in zip(still_open, fetched):
            found[key] = users  # all the users of the key: those of page 1 are among them
    elif still_open:
        for items, _info in pages:
            _collect(items, key_of, found)
            everyone += items
        if listing is not None:
            listing["users"] = everyone
    return found


def _fetch_one(account, by, key):
    if by == "email":
        return users_with_email(account, key)
    user = get_user(account, key)
    return [user] if user is not None else []


def _id_key(user):
    return str(user.get("id") or "").lower()


def _email_key(user):
    return str(user.get("email") or "").lower()


def _seat_key(user):
    return str(user.get("seat_uid") or "").lower()


def _collect(items, key_of, found):
    for user in items:
        key = key_of(user)
        if key in found:
            found[key].append(user)
