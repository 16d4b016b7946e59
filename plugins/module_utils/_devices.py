# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Zero Trust devices: users' WARP registrations, read in batched listings and deleted or revoked in batches.

A registration ties one WARP client to one user. ``GET /accounts/{account_id}/devices/registrations``
filters by ``user.id``, a parameter that repeats (``?user.id=A&user.id=B``), and pages by cursor; so k
users cost about ⌈k/USERS_PER_LISTING⌉ listings, each followed to its last cursor. Every registration
must name one of the users asked for (by id, and by email when it gives one), and only one: a registration
named under two users, on one page, on two pages or in two listings, is refused before anything is done
with it, as is any other answer about someone not asked for. A listing that never ends stops at the pages
REGISTRATIONS_PLANNED_PER_USER allows. Cloudflare's schema declares the device routes for API tokens only,
so email and global key authentication is refused before any request.
"""

from __future__ import annotations

import math

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import api_path
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    json_type,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._paging import CURSOR, read_listing
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._threads import in_parallel

USERS_PER_LISTING = 50  # user.id values in one listing: about 2.3 kB of query, far below URL limits
IDS_PER_WRITE = 50  # registration ids in one delete or revoke (the API's maximum is not documented)
REGISTRATIONS_PER_PAGE = 100  # the schema documents no maximum; a full batch of users fits in a page or two
# A WARP client registers once per device and user: the most registrations a user's listing is planned to bring,
# on average over the users of one listing. A listing that goes on beyond them (a new cursor and new rows on every
# page, say) is stopped rather than followed for hundreds of requests.
REGISTRATIONS_PLANNED_PER_USER = 100
# x-api-token-group of "Delete registrations" and "Revoke registrations" in Cloudflare's schema.
DEVICES_WRITE_PERMISSION = "Zero Trust Write"
LIST_PERMISSION_HINT = (
    "Cloudflare's API schema names no API token permission for listing registrations, so this collection cannot "
    "say which one is missing; 'Zero Trust Read' (which 'Zero Trust Write' includes) is the likely one")
MAX_ID_CHARS = 64


def registrations_path(account_id, *rest):
    return api_path("accounts", account_id, "devices", "registrations", *rest)


def registrations_of(account, users, status="active"):
    """Map each user's id (lower-case) to the user's registrations, reading ⌈k/50⌉ listings a few at a time.

    The listings are counted against the request budget before the first is sent (the pages after a
    listing's first one are counted as they are sent). A registration that names a user not asked for,
    or another email than the user's, fails the listing.
    """
    batches = listing_batches(users)
    if batches:
        account.reserve(len(batches), "listing the WARP registrations of %d users" % len(users))
    return merged_listings(account.id, in_parallel(
        lambda batch: registrations_for(account, batch, status), batches))


def listing_batches(users):
    """``users`` in groups of USERS_PER_LISTING, one listing each."""
    return [users[start:start + USERS_PER_LISTING] for start in range(0, len(users), USERS_PER_LISTING)]


def merged_listings(account_id, listings):
    """One map of user id to registrations from the maps of several listings (:func:`registrations_for`).

    Each listing's rows are of its own users; a registration that two listings name, each under one of its
    users, is refused: it cannot be both users', and acting on it for either would act beyond what was asked.
    """
    found, owners = {}, {}
    for listing in listings:
        for user_id, items in listing.items():
            found[user_id] = items
            for item in items:
                other = owners.setdefault(item["id"].lower(), user_id)
                if other != user_id:
                    raise CloudflareAPIError("GET", registrations_path(account_id), "the API answered success, but two "
                                             "listings name registration %s, under user %s and under user %s: "
                                             "refused" % (item["id"], other, user_id), status=200)
    return found


def still_active(account, users, registration_ids):
    """The ids of ``registration_ids`` that the ``users``' listings, read again, still show active.

    How a delete or revoke is settled, whatever its answer said: ⌈k/USERS_PER_LISTING⌉ listings for k users, as
    the first reading. A registration listed with a ``revoked_at`` is not active, whatever the listing's status.
    """
    wanted = {registration_id.lower() for registration_id in registration_ids}
    found = merged_listings(account.id, in_parallel(
        lambda batch: registrations_for(account, batch), listing_batches(users)))
    return {item["id"] for items in found.values() for item in items
            if item["id"].lower() in wanted and not is_revoked(item)}


def is_revoked(registration):
    """Whether the registration is revoked (Cloudflare: a ``revoked_at`` timestamp; null or absent: active)."""
    return registration.get("revoked_at") is not None


def change_registrations(account, registration_ids, action):
    """Delete (``action`` delete) or revoke (deprecated: keeps the virtual IPs) one batch of registrations.

    Both end in the same state when sent again, so the client may send them again after a failure.
    """
    query = [("id", registration_id) for registration_id in registration_ids]
    if action == "delete":
        account.request("DELETE", registrations_path(account.id), query=query, idempotent=True,
                        permission=DEVICES_WRITE_PERMISSION)
    else:
        account.request("POST", registrations_path(account.id, "revoke"), query=query, idempotent=True,
                        permission=DEVICES_WRITE_PERMISSION)


def add_registrations(account, users):
    """Add ``registrations`` (id, device, last seen, virtual IPs) to each user, in place, from batched listings."""
    found = registrations_of(account, users)
    for user in users:
        user["registrations"] = [registration_summary(item) for item in found.get(user["id"].lower(), [])]


def registration_summary(item):
    """What a person needs to know of a registration: its id, the device, when it was last seen, its virtual IPs."""
    device = item.get("device") if isinstance(item.get("device"), dict) else {}
    return dict(id=item["id"], device=dict(id=device.get("id"), name=device.get("name")),
                last_seen_at=item.get("last_seen_at"), virtual_ipv4=item.get("virtual_ipv4"),
                virtual_ipv6=item.get("virtual_ipv6"))


def registration_problem(item):
    """Why ``item`` is not a registration this collection can act on, or None."""
    if not isinstance(item, dict):
        return "a registration is not an object"
    registration_id = item.get("id")
    if not is_identifier(registration_id):
        return "a registration's id is %r, not an identifier" % (registration_id,)
    user = item.get("user")
    if not isinstance(user, dict) or not is_identifier(user.get("id")):
        return "registration %s names no user id" % registration_id
    if "device" in item and not isinstance(item["device"], dict):
        return "registration %s has a device that is not an object" % registration_id
    if not isinstance(item.get("revoked_at"), (str, type(None))):
        return "registration %s has a revoked_at that is %s, not a time or null" % (
            registration_id, json_type(item["revoked_at"]))
    return None


def registrations_for(account, users, status="active"):
    """One listing (followed to its last cursor) of the registrations of at most USERS_PER_LISTING users,
    as :func:`registrations_of` maps them."""
    by_id = {user["id"].lower(): user for user in users}

    def problem(item):
        basic = registration_problem(item)
        if basic:
            return basic
        owner = by_id.get(item["user"]["id"].lower())
        if owner is None:
            return "registration %s belongs to user %s, who was not asked for" % (item["id"], item["user"]["id"])
        email = item["user"].get("email")
        if email is not None and str(email).lower() != str(owner.get("email") or "").lower():
            return "registration %s names user %s with the email %s, not %s" % (
                item["id"], owner["id"], email, owner.get("email"))
        return None

    query = [("user.id", user["id"]) for user in by_id.values()] + [("status", status)]
    planned = (int(math.ceil(len(by_id) * REGISTRATIONS_PLANNED_PER_USER / float(REGISTRATIONS_PER_PAGE))) + 1,
               "more than the %d registrations a user this collection plans for (%d %s asked for)" % (
                   REGISTRATIONS_PLANNED_PER_USER, len(by_id), "user" if len(by_id) == 1 else "users"))
    found = {user_id: [] for user_id in by_id}
    for items, _info in read_listing(account, registrations_path(account.id), query, CURSOR, REGISTRATIONS_PER_PAGE,
                                     item_problem=problem, forbidden_hint=LIST_PERMISSION_HINT, planned=planned):
        for item in items:
            found[item["user"]["id"].lower()].append(item)
    return found


def is_identifier(value):
    """Whether an identifier from an answer is safe to send back: 1 to MAX_ID_CHARS visible ASCII characters."""
    return (isinstance(value, str) and 0 < len(value) <= MAX_ID_CHARS and value not in (".", "..")
            and all("\x21" <= char <= "\x7e" for char in value))
