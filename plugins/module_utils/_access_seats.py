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
sent with its current value, which must be known: a seat the API left out of a user or gave in another type
is never sent as a guess (see :func:`plan_changes`).
"""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    SEATS,
    seat_value,
    users_by_key,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareError,
    SHOWN,
    counted,
    listed,
    one_line,
    short_repr,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import api_path
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import MAX_BATCH_SIZE
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._writes import (
    DONE,
    FAILED,
    NOT_SENT,
    UNKNOWN,
    WriteOutcome,
    in_turn,
    outcome_unclear,
    settled,
)

SEAT_NAMES = dict(access_seat="Access seat", gateway_seat="Gateway seat")
# x-api-token-group of "Update a user seat" in Cloudflare's schema.
SEATS_WRITE_PERMISSION = "Zero Trust: Seats Write"
DEFAULT_BATCH_SIZE = 50  # the batch Cloudflare's own community scripts send


def seats_path(account_id):
    return api_path("accounts", account_id, "access", "seats")


def plan_changes(users, free):
    """``[(user, item)]`` for each user who may hold a seat of ``free``: the user as read, and their PATCH item.

    A user the API shows without any seat of ``free`` (each false) is left alone. A seat to free that the API
    left out or gave in another type (:func:`seat_value`) is freed all the same, as asked. The item sends the
    other seat with its current value, so it stays; when the API did not say that value as a boolean, the
    task is refused before any PATCH rather than send a guess (false would free that seat too).
    A seat is freed once even when several selectors name its user.
    """
    changes, seen, unknown = [], set(), []
    for user in users:
        seats = {seat: seat_value(user, seat) for seat in SEATS}
        if all(seats[seat] is False for seat in free):
            continue
        kept_unknown = [seat for seat in SEATS if seat not in free and seats[seat] is None]
        if kept_unknown:
            unknown.append((user, kept_unknown[0]))
            continue
        seat_uid = user.get("seat_uid")
        if not isinstance(seat_uid, str) or not seat_uid:
            raise CloudflareError("user %s holds a seat but the API gave no seat_uid for it; no seat was freed"
                                  % (user.get("email") or user.get("id")))
        if seat_uid in seen:
            continue
        seen.add(seat_uid)
        item = dict(seat_uid=seat_uid, **{seat: seat not in free and seats[seat] for seat in SEATS})
        changes.append((user, item))
    if unknown:
        raise unknown_seat_error(unknown)
    return changes


def unknown_seat_error(unknown):
    """The refusal of users ``[(user, seat)]`` whose ``seat``, to be kept, the API did not give as true or false."""
    user, seat = unknown[0]  # the seat to keep is the same for every user: the one not being freed
    value = user.get(seat)
    reason = "leaves it out" if seat not in user else "gives it as %s, not true or false" % (
        "null" if value is None else short_repr(value))
    others = " (and %s)" % counted(len(unknown) - 1, "more user") if len(unknown) > 1 else ""
    return CloudflareError(
        "cannot keep the %s of %s%s as it is: the API %s, and a seat PATCH sends both seats of a user; no seat was "
        "freed; free both seats (add %s: false), or leave %s out" % (
            SEAT_NAMES[seat], _label(user), others, reason, seat, "the user" if len(unknown) == 1 else "those users"))


def patch_seats(account, changes, batch_size, free, check_mode=False):
    """Send the items of ``changes`` (:func:`plan_changes`) in PATCHes of at most ``batch_size``; a WriteOutcome for
    each seat of them, in order (none in check mode).

    The PATCH count is reserved against the request budget first, in check mode too, so a preview
    fails as the real run would; check mode sends nothing. Setting seats to false is idempotent, so
    the client may send a PATCH again after a transient failure. Only what the API confirms is freed.
    When a PATCH's outcome is unclear (no whole answer, a 5xx, a 2xx that does not confirm it: a body
    that cannot be read, an answer about other seats, or one that shows a seat to free still held), the
    users concerned are read again and that read decides; the PATCH requests go on only when it shows
    them all freed.

    Each outcome's ``sent`` is the ``(user, item)``; a seat freed is DONE, its ``value`` the user with the seats as
    the API answered or a read showed them, and the first seat of a batch a read settled carries the warning saying
    so. A seat a read shows still held (or no such user) is FAILED, its ``value`` the user as read; the other
    seats of the batch whose PATCH failed are UNKNOWN (an unclear failure) or FAILED; those after it NOT_SENT. The
    error of the batch that failed, its hint saying what is known, is on each of its seats not freed.
    """
    batches = [changes[start:start + batch_size] for start in range(0, len(changes), batch_size)]
    if batches:
        account.reserve(len(batches), "freeing %d seats in batches of %d (batch_size, up to %d)"
                        % (len(changes), batch_size, MAX_BATCH_SIZE))
    if check_mode:
        return []
    known = {}  # seat uid -> the WriteOutcome of a seat the API answered for, or a read showed
    done, error = in_turn(batches, lambda batch: _patch_batch(account, batch, free, known))
    outcomes = []
    for index, batch in enumerate(batches):
        for user, item in batch:
            outcome = known.get(item["seat_uid"])
            if outcome is None and index > len(done):
                outcome = WriteOutcome((user, item), NOT_SENT)
            elif outcome is None:
                outcome = WriteOutcome((user, item), UNKNOWN if outcome_unclear(error) else FAILED, error=error)
            elif outcome.state == FAILED:
                outcome = outcome._replace(error=error)
            outcomes.append(outcome)
    return outcomes


def _patch_batch(account, batch, free, known):
    """Send one batch and record in ``known`` what it freed, or what a read showed; raise the CloudflareError that
    stops the PATCH requests (an API failure, or the request budget: then nothing of this batch was sent)."""
    path = seats_path(account.id)
    unsettled = list(batch)  # the seats whose outcome a read must settle: all of them, unless the answer frees some

    def check(envelope):
        answered, others = _answered_seats(envelope["result"], batch)
        if others:
            return CloudflareAPIError("PATCH", path, "the API answered success, but its answer is about other seats "
                                      "(%s), not those sent" % ", ".join(one_line(uid, 40) for uid in others[:SHOWN]),
                                      status=200)
        held = []
        for user, item in batch:
            after = seats_after(user, item, answered)
            if any(after[seat] for seat in free):
                held.append((user, item))
            else:
                known[item["seat_uid"]] = WriteOutcome((user, item), DONE, value=after)
        unsettled[:] = held
        if not held:
            return None
        return CloudflareAPIError("PATCH", path, "the API answered success, but its answer shows %s still held"
                                  % counted(len(held), "seat"), status=200)

    settled(lambda: account.request("PATCH", path, body=[item for _user, item in batch], expect=list, idempotent=True,
                                    permission=SEATS_WRITE_PERMISSION),
            lambda failure: _settle_by_reading(account, unsettled, free, known, failure), check)


def _answered_seats(result, batch):
    """``(answered, others)``: the answer's seats by seat uid, and the seat uids it names that were not sent."""
    sent = {item["seat_uid"] for _user, item in batch}
    answered = {seat["seat_uid"]: seat for seat in result
                if isinstance(seat, dict) and isinstance(seat.get("seat_uid"), str)}
    return answered, [uid for uid in answered if uid not in sent]


def _settle_by_reading(account, batch, free, known, failure):
    """After an unclear PATCH, read the users of ``batch`` again (within the request budget): their seats now
    decide what was freed (recorded in ``known``). Returns when all of them are; otherwise raises ``failure``,
    saying what the read showed, or that the outcome is unknown when the read failed too."""
    try:
        found = users_by_key(account, [user["id"].lower() for user, _item in batch], "id")
    except CloudflareError as exc:
        raise failure.with_hint_added(
            "the outcome of this batch of %s (%s) is unknown: reading its users again failed too (%s)"
            % (counted(len(batch), "seat"), names(batch), exc)) from None
    not_freed = []
    for user, item in batch:
        now = (found.get(user["id"].lower()) or [None])[0]
        if now is not None and all(seat_value(now, seat) is False for seat in free):
            known[item["seat_uid"]] = WriteOutcome((user, item), DONE, value=now)
        else:
            not_freed.append((now or user, item))
            known[item["seat_uid"]] = WriteOutcome((user, item), FAILED, value=now or user)
    if not not_freed:
        first = known[batch[0][1]["seat_uid"]]
        known[batch[0][1]["seat_uid"]] = first._replace(why="%s; reading the %s again shows the seats freed" % (
            failure, counted(len(batch), "user")))
        return
    raise failure.with_hint_added(
        "reading the %s again shows %d freed, these not: %s"
        % (counted(len(batch), "user"), len(batch) - len(not_freed), names(not_freed)))


def names(changes):
    """The users of ``changes`` by email (or id), for a message."""
    return listed(_label(user) for user, _item in changes)


def _label(user):
    return user.get("email") or user.get("id")


def seats_after(user, item, answered=None):
    """The user with the seats the API answered for ``item`` or, without an answer, the seats of ``item``."""
    seat = (answered or {}).get(item["seat_uid"], {})
    return dict(user, **{name: seat[name] if isinstance(seat.get(name), bool) else item[name] for name in SEATS})


def seats_of(user):
    """The user's seats for ``--diff``: true, false, or null when the API did not say (see :func:`seat_value`)."""
    return {seat: seat_value(user, seat) for seat in SEATS}
