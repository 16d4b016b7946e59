# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Zero Trust user risk scores: the summary of every user, one user's risk events, and the reset of a user's score.

Risk scores are state, not a log: the summary lists each user with risk events and the highest level among them
(``max_risk_level``); a reset wipes the user's risk events ("wipes risk-scoring history", Cloudflare's schema).
Every answer is checked before it is used; an answer about another user is refused.
"""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import api_path
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    json_type,
    one_line,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._writes import in_turn, settled

# x-api-token-group in Cloudflare's schema: the summary and a user's events, and the reset.
READ_PERMISSION = "Zero Trust: PII Read"
RESET_PERMISSION = "Zero Trust Write"
RISK_LEVELS = ("low", "medium", "high")  # dlp_RiskLevel, lowest first


def risk_path(account_id, *rest):
    return api_path("accounts", account_id, "zt_risk_scoring", *rest)


def level_rank(level):
    """0, 1, 2 for low, medium, high; None for a level the schema does not know (unknown, never lower or higher)."""
    return RISK_LEVELS.index(level) if level in RISK_LEVELS else None


def risk_summary(account):
    """The summary's users, each ``{user_id, email, name, max_risk_level, event_count, last_event}`` as answered.

    An entry without a user id, or not an object, fails the read: a state that cannot be told apart from
    another user's is not used.
    """
    path = risk_path(account.id, "summary")
    result = account.get(path, expect=dict, permission=READ_PERMISSION)
    users = result.get("users")
    if not isinstance(users, list):
        raise CloudflareAPIError("GET", path, "the API answered success, but its users are %s, not a list" % json_type(users),
                                 status=200)
    for number, entry in enumerate(users, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("user_id"), str) or not entry["user_id"]:
            raise CloudflareAPIError("GET", path, "the API answered success, but user %d of the summary has no user_id"
                                     % number, status=200)
    return users


def user_risk(account, user):
    """The risk of one user (an Access user object): ``{risk_level, events, last_reset_time, email, name}``.

    The answer names the user by email only: one naming another email is refused, and ``events`` must be a
    list (each event an object), or nothing could say whether there is anything to reset.
    """
    path = risk_path(account.id, user["id"])
    result = account.get(path, expect=dict, permission=READ_PERMISSION)
    problem = None
    if str(result.get("email") or "").lower() != str(user.get("email") or "").lower():
        problem = "its answer is about another user (%s), not %s: refused" % (
            one_line(result.get("email"), 80), user.get("email"))
    elif not isinstance(result.get("events"), list) or not all(isinstance(event, dict) for event in result["events"]):
        problem = "its events are %s, not a list of objects" % json_type(result.get("events"))
    if problem:
        raise CloudflareAPIError("GET", path, "the API answered success, but %s" % problem, status=200)
    return result


def reset_user_risk(account, user_id):
    """Clear the user's risk score. The same state when sent again, so it may be sent again after a failure."""
    account.request("POST", risk_path(account.id, user_id, "reset"), permission=RESET_PERMISSION, idempotent=True)


def risk_record(risk, reset):
    """What the module returns of a user's risk: the level and events before, and whether it was (to be) reset."""
    events = risk["events"]
    stamps = [event.get("timestamp") for event in events if isinstance(event.get("timestamp"), str)]
    return dict(risk_level=risk.get("risk_level") if risk.get("risk_level") in RISK_LEVELS else None,
                event_count=len(events), last_event=max(stamps) if stamps else None,
                last_reset_time=risk.get("last_reset_time"), reset=reset)


def reset_risks(account, users):
    """``(ids reset, None)``, or ``(ids reset before it, the error)`` at the first reset that failed.

    One after another: a reset is one small request, and a failure should stop the ones after it. A reset
    whose outcome is unclear is settled by reading the user's risk again: no events left means it was done.
    """
    def reset(user):
        settled(lambda: reset_user_risk(account, user["id"]), lambda failure: _cleared(
            account, user, failure))

    done, error = in_turn(users, reset, stops=CloudflareAPIError)
    return {user["id"] for user, _value in done}, error


def _cleared(account, user, failure):
    """Return when reading the user's risk again shows no events left; raise ``failure`` otherwise."""
    try:
        if not user_risk(account, user)["events"]:
            return
    except CloudflareAPIError:
        pass
    raise failure
