# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""What the record of a write run says: one row per thing the run was to change, with its outcome.

A report (``_seat_report.py``) is a snapshot of the account; a record is the account's history as one run
changed it, kept by the auditor, so it is written once and never replaced. ``_files.py`` writes both (whole,
private, masked, inert), and knows nothing of users or seats; what goes into each record lives here.
Today: the record of ``cf_access_seat`` (``report_dir``, ``report_csv``).
"""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    SEATS,
    seat_value,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareAPIError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._files import csv_file
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._inactivity import (
    days_since,
    last_active,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._seat_report import (
    api_text,
    user_cells,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._writes import outcome_unclear

# --- The record of what a seat task did: cf_access_seat's report_dir and report_csv ---------------------------------
CHANGES_COLUMNS = ("email", "name", "access seat", "gateway seat", "devices", "last login", "created", "id",
                   "days inactive", "seats to free", "seats freed", "outcome")
# What became of each seat to free: freed (or would be), still held by the API's word, the PATCH's outcome unknown
# or refused, or never sent.
OUTCOMES = ("would free", "freed", "still held", "unknown", "refused", "not sent")


def seat_outcomes(changes, freed_ids, held_ids, check_mode, error, batch_size):
    """The outcome (one of OUTCOMES) of each ``(user, item)`` of ``changes``, sent in batches of ``batch_size``.

    ``freed_ids`` and ``held_ids`` are the ids of the users the API confirmed freed, or showed still holding
    a seat to free (its answer, or a read after an unclear one). The others were in the batch whose PATCH
    failed with ``error`` (``unknown`` when the API may have processed it and no read settled it; ``refused``
    for a 4xx; ``not sent`` when the request budget stopped it) or after it (``not sent``).
    """
    if check_mode:
        return ["would free"] * len(changes)
    outcomes, failed_batch = [], None
    for index, (user, _item) in enumerate(changes):
        if user["id"] in freed_ids:
            outcomes.append("freed")
        elif user["id"] in held_ids:
            outcomes.append("still held")
        else:
            batch = index // batch_size
            failed_batch = batch if failed_batch is None else failed_batch
            if batch != failed_batch or not isinstance(error, CloudflareAPIError):  # after it, or the budget stopped it
                outcomes.append("not sent")
            else:
                outcomes.append("unknown" if outcome_unclear(error) else "refused")
    return outcomes


def anything_sent(outcomes):
    """Whether a run with these outcomes sent a PATCH: only such a run has something to record."""
    return any(outcome not in ("would free", "not sent") for outcome in outcomes)


def seat_changes_file(path, changes, outcomes, after, now):
    """The record of a seat task (a TextFile): the users of ``changes`` (``(user, item)``, the user as read) with
    the seats the task was to free, those the API showed freed (``after``: user id -> the user as the API last
    showed it) and the outcome of each."""
    rows = []
    for (user, item), outcome in zip(changes, outcomes):
        when, _field = last_active(user)
        to_free = [seat for seat in SEATS if seat_value(user, seat) is True and item[seat] is False]
        now_user = after.get(user["id"], {}) if outcome in ("freed", "still held") else {}
        freed = [seat for seat in to_free if seat_value(now_user, seat) is False]
        rows.append(user_cells(user) + [api_text(user.get("id")), api_text(days_since(when, now)),
                                        _seat_names(to_free), _seat_names(freed), outcome])
    return csv_file(path, CHANGES_COLUMNS, rows)


def _seat_names(seats):
    """``access gateway``: seat fields as the record names them."""
    return " ".join(seat.split("_", 1)[0] for seat in seats)


def outcome_counts(outcomes):
    return {outcome.replace(" ", "_"): outcomes.count(outcome) for outcome in OUTCOMES}
