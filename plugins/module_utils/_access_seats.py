# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Zero Trust seats: which seats to free, and the "Update a user seat" call that frees them.

The API frees seats; it cannot grant them: a seat is taken when the user authenticates (Access) or
logs into the WARP client (Gateway). ``PATCH /accounts/{account_id}/access/seats`` takes a JSON array
of ``{"seat_uid", "access_seat", "gateway_seat"}``, all three required, so a seat not being freed is
sent with its current value.
"""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareError,
    CloudflareInputError,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import api_path

SEATS = ("access_seat", "gateway_seat")
# x-api-token-group of "Update a user seat" in Cloudflare's schema.
SEATS_WRITE_PERMISSION = "Zero Trust: Seats Write"
DEFAULT_BATCH_SIZE = 50  # the batch Cloudflare's own community scripts send
MAX_BATCH_SIZE = 1000


def seats_path(account_id):
    return api_path("accounts", account_id, "access", "seats")


def seats_to_free(params):
    """The seat fields to free, from the module's ``access_seat`` / ``gateway_seat`` options (only ``false``)."""
    for seat in SEATS:
        if params.get(seat) is True:
            raise CloudflareInputError(
                "%s=true cannot be set: the API only frees seats; a user takes an %s seat by %s. "
                "Leave %s out to keep each user's %s as it is" % (
                    seat, "Access" if seat == "access_seat" else "Gateway",
                    "authenticating to an Access application" if seat == "access_seat" else "logging into the WARP client",
                    seat, seat))
    free = tuple(seat for seat in SEATS if params.get(seat) is False)
    if not free:
        raise CloudflareInputError("set access_seat: false, gateway_seat: false or both")
    return free


def require_batch_size(value):
    if value is None or not 1 <= value <= MAX_BATCH_SIZE:
        raise CloudflareInputError("batch_size must be between 1 and %d, got %r" % (MAX_BATCH_SIZE, value))
    return value


def plan_changes(users, free):
    """``[(user, item)]`` for each user who holds a seat of ``free``: the user as read, and their PATCH item.

    The item frees the seats of ``free`` and sends the other seat with its current value, so it stays.
    A seat is freed once even when several selectors name its user.
    """
    changes, seen = [], set()
    for user in users:
        if not any(user.get(seat) for seat in free):
            continue
        seat_uid = user.get("seat_uid")
        if not isinstance(seat_uid, str) or not seat_uid:
            raise CloudflareError("user %s holds a seat but the API gave no seat_uid for it; no seat was freed"
                                  % (user.get("email") or user.get("id")))
        if seat_uid in seen:
            continue
        seen.add(seat_uid)
        item = dict(seat_uid=seat_uid, **{seat: bool(user.get(seat)) and seat not in free for seat in SEATS})
        changes.append((user, item))
    return changes


def patch_seats(client, account_id, items, batch_size, check_mode=False):
    """Send ``items`` in PATCHes of at most ``batch_size``; ``(sent, answered, error)``.

    ``sent`` are the items of the PATCHes that succeeded, ``answered`` the seats the API returned for
    them by seat uid, and ``error`` the CloudflareError that stopped the rest (None when all went).
    The PATCH count is reserved against the request budget first, in check mode too, so a preview
    fails as the real run would; check mode sends nothing. Setting seats to false is idempotent, so
    the client may send a PATCH again after a transient failure.
    """
    batches = [items[start:start + batch_size] for start in range(0, len(items), batch_size)]
    if batches:
        client.reserve(len(batches), "freeing %d seats in batches of %d" % (len(items), batch_size))
    sent, answered = [], {}
    if check_mode:
        return sent, answered, None
    for batch in batches:
        try:
            envelope = client.request("PATCH", seats_path(account_id), body=batch, expect=list, idempotent=True,
                                      permission=SEATS_WRITE_PERMISSION)
        except CloudflareError as exc:
            return sent, answered, exc
        sent.extend(batch)
        answered.update((seat["seat_uid"], seat) for seat in envelope["result"]
                        if isinstance(seat, dict) and isinstance(seat.get("seat_uid"), str))
    return sent, answered, None


def seats_after(user, item, answered=None):
    """The user with the seats the API answered for ``item`` or, without an answer, the seats of ``item``."""
    seat = (answered or {}).get(item["seat_uid"], {})
    return dict(user, **{name: seat[name] if isinstance(seat.get(name), bool) else item[name] for name in SEATS})


def seats_of(user):
    return {seat: bool(user.get(seat)) for seat in SEATS}
