# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Cutting users off: revoke their Access tokens, delete (or revoke) their WARP registrations, delete passkeys.

A plan first, then the writes. The look-ups tell how many users there are; the reads (each user's active
sessions, unless ``force`` revokes every user without reading them; registrations in batched listings;
passkeys from the last seen identity) and the writes they lead to are counted against the request budget and
the pacing within Cloudflare's rate limit before the first is sent, so that work too large for them fails
before any write, and work that needs more than one window of the rate limit says so up front.

The writes go in three steps, a few requests at a time: token revocations, then registrations in batches across
users, then authenticators one by one. Every write here ends in the same state when sent again, so the client
retries it. Nothing is taken on the answer's word where a read can tell: the registrations are listed again after
their deletes, and only those no longer listed active count as cut; a revocation or an authenticator delete whose
answer is unclear is settled by reading the sessions or the passkeys again. A write the API refuses for its user
(a 4xx other than 401, 403 and 429) does not stop the others; a failure that every request of its kind would
meet (a missing permission, a 5xx) stops its step, and the steps after it still run, unless no request can go at
all (the rate limit, the budget, no connection, the credentials). The result says exactly what was cut, what was
refused and for whom, and what is unknown.
"""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    READ_PERMISSION,
    users_path,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._devices import (
    IDS_PER_WRITE,
    change_registrations,
    is_revoked,
    listing_batches,
    merged_listings,
    registration_summary,
    registrations_for,
    still_active,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareError,
    CloudflareInputError,
    counted,
    listed,
    refusal_text,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    is_authenticator_id,
    require_authenticator_id,
    require_token_auth_in,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._threads import in_parallel
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._writes import (
    DONE,
    FAILED,
    NOT_SENT,
    REFUSED,
    UNKNOWN,
    NotSendable,
    WriteOutcome,
    halts_everything,
    in_state,
    outcome_unclear,
    settled_by_reading,
    write_outcomes,
)

DEVICE_ACTIONS = ("delete", "revoke", "keep")
# x-api-token-group of "Revoke all Access tokens for a user" in Cloudflare's schema.
REVOKE_PERMISSION = "Access: Organizations, Identity Providers, and Groups Write"
AUTHENTICATOR_PERMISSION_HINT = (
    "Cloudflare's API schema names no API token permission for deleting an MFA authenticator or passkey, so this "
    "collection cannot say which one is missing; check the token's Access permissions on the account")
REVOKE_DEPRECATED = ("devices: revoke uses Cloudflare's deprecated 'Revoke registrations' call: a revoked registration "
                     "keeps its virtual IPs and can be unrevoked; devices: delete releases them")
SAFE_AGAIN = "running the task again is safe: it reads first and cuts only what is left"
# Cloudflare revokes a user's Access tokens by email: a user named by id whose email another user has (in other
# letter case) cannot have them revoked alone.
SHARED_EMAIL = ("Cloudflare revokes Access tokens by email, so revoking this user's would revoke the other's too: "
                "refused before any write; sessions: false cuts only the devices and passkeys, which go by id")


def cut_options(params, asked):
    """What to cut, from the module's params and the selector values ``asked``; checked before any request."""
    what = dict(sessions=params["sessions"], force=params["force"], devices=params["devices"],
                passkeys=params["passkeys"], warp_session_reauth=params["warp_session_reauth"],
                mfa=[require_authenticator_id("mfa_authenticator_id", value)
                     for value in dict.fromkeys(params.get("mfa_authenticator_id") or [])])
    if what["force"] and not what["sessions"]:
        raise CloudflareInputError("force sends the token revocation even when no session is listed: it needs "
                                   "sessions: true")
    if what["mfa"] and len(asked) != 1:
        raise CloudflareInputError("mfa_authenticator_id names authenticators of one user, but the selector names %d "
                                   "values: cut that user off in a task of its own" % len(asked))
    if not (what["sessions"] or what["devices"] != "keep" or what["passkeys"] or what["mfa"]):
        raise CloudflareInputError("nothing to cut: sessions is false, devices is keep, passkeys is false and no "
                                   "mfa_authenticator_id is given")
    if what["devices"] != "keep":
        require_token_auth_in(params, "devices: %s" % what["devices"])
    return what


class UserCut:
    """One user: what the reads found to cut (what the writes cut is in their WriteOutcomes, see
    :func:`cut_records`)."""

    def __init__(self, user, mfa):
        self.user = user
        self.sessions = None  # the active sessions listed, or None when not read (force, or sessions: false)
        self.registrations, self.passkeys = [], []
        self.mfa = list(mfa)
        self.revoke = False  # whether the plan sends the token revocation

    @property
    def label(self):
        return self.user.get("email") or self.user["id"]


def least_requests(cuts, what):
    """The requests the plan takes whatever the reads find: the reads, and with ``force`` every revocation."""
    count = reads(cuts, what)
    if what["sessions"] and what["force"]:
        count += len(cuts)
    return count + sum(len(cut.mfa) for cut in cuts)


def reads(cuts, what):
    """The requests of :func:`read_state` (a listing's pages after its first are counted as they are sent)."""
    count = len(cuts) if what["sessions"] and not what["force"] else 0
    count += len(cuts) if what["passkeys"] else 0
    return count + (len(listing_batches(cuts)) if what["devices"] != "keep" else 0)


def read_state(account, cuts, what):
    """Fill each UserCut with what it has to cut: sessions, registrations, passkeys; a few reads at a time.

    The reads are counted against the request budget before the first is sent; a failed read fails the
    task before any write. With ``force``, the sessions are not read: every user's tokens are revoked. A
    registration already revoked is not revoked again (``devices: revoke``); one listed under two users fails.
    """
    jobs = [("active_sessions", cut) for cut in cuts if what["sessions"] and not what["force"]]
    jobs += [("last_seen_identity", cut) for cut in cuts if what["passkeys"]]
    if what["devices"] != "keep":
        jobs += [("registrations", batch) for batch in listing_batches(cuts)]
    if jobs:
        account.reserve(len(jobs), "reading what %d users have to cut" % len(cuts))

    def read(job):
        kind, subject = job
        if kind == "active_sessions":
            subject.sessions = read_sessions(account, subject.user)
        elif kind == "last_seen_identity":
            subject.passkeys = read_passkeys(account, subject.user)
        else:
            return registrations_for(account, [cut.user for cut in subject])
        return None

    listings = [found for (kind, _subject), found in zip(jobs, in_parallel(read, jobs)) if kind == "registrations"]
    found = merged_listings(account.id, listings)
    for cut in cuts:
        registrations = found.get(cut.user["id"].lower(), [])
        cut.registrations = [item for item in registrations if what["devices"] == "delete" or not is_revoked(item)]
        cut.revoke = what["sessions"] and bool(what["force"] or cut.sessions)
        passkey_ids = {passkey["id"] for passkey in cut.passkeys}
        cut.mfa = [value for value in cut.mfa if value not in passkey_ids]  # a listed passkey is deleted as such


def read_sessions(account, user):
    """The user's active Access sessions (none when Cloudflare's API says there is no such user)."""
    path = users_path(account.id, user["id"], "active_sessions")
    sessions = account.get(path, expect=list, permission=READ_PERMISSION, not_found=[])
    if not all(isinstance(session, dict) for session in sessions):
        raise CloudflareAPIError("GET", path, "the API answered success, but a session is not an object", status=200)
    return sessions


def read_passkeys(account, user):
    """The passkeys the user's last seen identity lists; the identity must be the user's own."""
    path = users_path(account.id, user["id"], "last_seen_identity")
    identity = account.get(path, expect=dict, permission=READ_PERMISSION, not_found=None)
    if identity is None:  # no identity seen yet: a user who never logged in has no passkey either
        return []
    problem = identity_problem(identity, user)
    if problem:
        raise CloudflareAPIError("GET", path, "the API answered success, but %s" % problem, status=200)
    return identity.get("passkeys") or []


def identity_problem(identity, user):
    """Why a last seen identity cannot be taken for ``user``'s (another user's, unusable passkeys), or None."""
    uuid, email = identity.get("user_uuid"), identity.get("email")
    if uuid is not None and str(uuid).lower() != user["id"].lower():
        return "the identity is of user %s, not %s" % (uuid, user["id"])
    if email is not None and str(email).lower() != str(user.get("email") or "").lower():
        return "the identity names %s, not %s" % (email, user.get("email"))
    passkeys = identity.get("passkeys")
    if passkeys is not None and (not isinstance(passkeys, list) or not all(
            isinstance(passkey, dict) and is_authenticator_id(passkey.get("id")) for passkey in passkeys)):
        return "its passkeys are not a list of objects with an id"
    return None


def session_apps(sessions):
    """The names of the applications the sessions are for, each once, in the order listed."""
    names = []
    for session in sessions:
        metadata = session.get("metadata") if isinstance(session.get("metadata"), dict) else {}
        apps = metadata.get("apps") if isinstance(metadata.get("apps"), dict) else {}
        found = [app.get("name") or app.get("hostname") for app in apps.values() if isinstance(app, dict)]
        found = [name for name in found if isinstance(name, str) and name]
        names += found or ([session["name"]] if isinstance(session.get("name"), str) else [])
    return list(dict.fromkeys(names))


class Steps:
    """The writes of the plan, in the order they are sent: revocations, registration batches (and the listings that
    read them again), authenticators."""

    def __init__(self, cuts, what):
        self.revocations = [cut for cut in cuts if cut.revoke]
        pairs = [(cut, registration) for cut in cuts for registration in cut.registrations] \
            if what["devices"] != "keep" else []
        self.batches = [pairs[start:start + IDS_PER_WRITE] for start in range(0, len(pairs), IDS_PER_WRITE)]
        self.authenticators = [(cut, "passkey", passkey) for cut in cuts for passkey in cut.passkeys] + [
            (cut, "mfa", {"id": value}) for cut in cuts for value in cut.mfa]
        self.relisted = [cut for cut in cuts if cut.registrations]

    def count(self):
        """Every request the writes take, with the listings that read the registrations again."""
        return (len(self.revocations) + len(self.batches) + len(listing_batches(self.relisted))
                + len(self.authenticators))


def cut_off(account, steps, what):
    """Send the writes of ``steps``, step by step; their WriteOutcomes, which say what was cut (:func:`cut_records`).

    Each step gives its writes answered (done, refused, failed), what it left out (one NOT_SENT saying so), then its
    unclear writes as a read settled them (done, or UNKNOWN). A batch of registrations done has as its value the
    ``(cut, registration)`` pairs no longer listed active when read again. Each step runs whatever became of the
    one before, unless no request can go (:func:`halts_everything`): the steps left are then said not to be sent."""
    outcomes = []
    for jobs, run, not_sent in (
            (steps.revocations, lambda: _revoke_all(account, steps.revocations, what), _tokens_not_sent),
            (steps.batches, lambda: _cut_registrations(account, steps, what), _registrations_not_sent),
            (steps.authenticators, lambda: _delete_authenticators(account, steps.authenticators),
             _authenticators_not_sent)):
        if not jobs:
            continue
        if any(halts_everything(outcome.error) for outcome in outcomes):
            outcomes.append(WriteOutcome(jobs, NOT_SENT, why=not_sent(jobs)))
        else:
            outcomes += run()
    return outcomes


def _tokens_not_sent(cuts):
    return "revoking the Access tokens of %s" % counted(len(cuts), "user")


def _registrations_not_sent(batches):
    return "%s of %s" % (counted(len(batches), "request"), counted(sum(len(batch) for batch in batches),
                                                                   "registration"))


def _authenticators_not_sent(jobs):
    return "deleting %s" % counted(len(jobs), "authenticator")


def _sent(jobs, send, not_sent):
    """Send every job (:func:`write_outcomes`: a refusal of one job's own lets the others go on, any other failure
    stops those not started yet); ``(answered, unclear)``: the WriteOutcomes done, refused and failed, with one
    NOT_SENT for the jobs not started (``not_sent`` says what they are), and the UNKNOWN ones, whose outcome is
    unclear (a 404 too: a registration may have been deleted since it was listed)."""
    outcomes = write_outcomes(jobs, send, unclear=lambda error: outcome_unclear(error, gone=True))
    skipped = [outcome.sent for outcome in in_state(outcomes, NOT_SENT)]
    answered = in_state(outcomes, DONE, REFUSED, FAILED)
    return answered + ([WriteOutcome(skipped, NOT_SENT, why=not_sent(skipped))] if skipped else []), \
        in_state(outcomes, UNKNOWN)


def _revoke_all(account, cuts, what):
    answered, unclear = _sent(cuts, lambda cut: revoke_tokens(account, cut, what), _tokens_not_sent)
    outcomes = answered + settled_by_reading(account, unclear, lambda cut: _confirm_revoked(account, cut), _what)
    return [_revoked(outcome) if outcome.state == DONE else outcome for outcome in outcomes]


def _cut_registrations(account, steps, what):
    """Send the batches, then list the users' registrations again: a registration counts as cut once no longer
    listed active, whatever the answer to its batch said."""
    action = "deleted" if what["devices"] == "delete" else "revoked"
    outcomes, unclear = _sent(steps.batches, lambda batch: change_registrations(
        account, [registration["id"] for _cut, registration in batch], what["devices"]), _registrations_not_sent)
    # Whatever the answer, nothing counts as cut before the registrations are listed again.
    outcomes = [outcome._replace(value=[]) if outcome.state == DONE else outcome for outcome in outcomes]
    answered = [pair for outcome in in_state(outcomes, DONE) for pair in outcome.sent]
    unanswered = [pair for outcome in unclear for pair in outcome.sent]
    if not answered and not unanswered:
        return outcomes
    first_unclear = unclear[0].error if unclear else None
    users = list(dict.fromkeys(cut for cut, _registration in answered + unanswered))
    try:
        account.reserve(len(listing_batches(users)), "reading again the registrations of %d users" % len(users))
        left = still_active(account, [cut.user for cut in users],
                            [registration["id"] for _cut, registration in answered + unanswered])
    except CloudflareError as exc:
        why = "whether %s were %s (reading them again failed: %s)" % (
            counted(len(answered) + len(unanswered), "registration"), action, exc)
        return outcomes + [WriteOutcome(answered + unanswered, UNKNOWN, why=why,
                                        error=exc if first_unclear is None else first_unclear)]
    outcomes = [outcome._replace(value=_gone(outcome.sent, left)) if outcome.state == DONE else outcome
                for outcome in outcomes]
    outcomes += [WriteOutcome(outcome.sent, DONE, value=_gone(outcome.sent, left)) for outcome in unclear
                 if _gone(outcome.sent, left)]
    # Still listed after an unclear answer: the failure of the first unclear batch is the one the task reports.
    for pairs, why, error in ((answered, "the API answered success, but still lists them active", None),
                              (unanswered, "still listed active after an unclear answer", first_unclear)):
        still = sorted(registration["id"] for _cut, registration in pairs if registration["id"] in left)
        if still:
            outcomes.append(WriteOutcome(pairs, UNKNOWN, error=error, why="whether %s were %s: %s: %s" % (
                counted(len(still), "registration"), action, why, listed(still))))
    return outcomes


def _gone(batch, left):
    """The ``(cut, registration)`` pairs of ``batch`` no longer listed active (``left``: the ids still listed)."""
    return [(cut, registration) for cut, registration in batch if registration["id"] not in left]


def _delete_authenticators(account, jobs):
    answered, unclear = _sent(jobs, lambda job: delete_authenticator(account, job), _authenticators_not_sent)
    return answered + settled_by_reading(account, unclear, lambda job: _confirm_authenticator(account, job), _what)


def revoke_tokens(account, cut, what):
    """POST revoke_user for the user's email: revokes every Access token of the user; the API's ``result``."""
    if not isinstance(cut.user.get("email"), str) or not cut.user["email"]:
        raise NotSendable("the user has no email, and Cloudflare revokes a user's Access tokens by email")
    body = {"email": cut.user["email"], "warp_session_reauth": what["warp_session_reauth"]}
    return account.request_bare_result("POST", account.path("access", "organizations", "revoke_user"),
                                       body=body, permission=REVOKE_PERMISSION, idempotent=True)


def delete_authenticator(account, job):
    """DELETE one passkey or MFA authenticator (the same call covers both); False when the API says it is gone."""
    cut, _kind, authenticator = job
    # Gone already when Cloudflare's API says there is no such authenticator (the schema documents no status for
    # that answer; 404 is what the API answers for an unknown id): not a change.
    envelope = account.request("DELETE", users_path(account.id, cut.user["id"], "mfa_authenticators", authenticator["id"]),
                               idempotent=True, not_found=None, forbidden_hint=AUTHENTICATOR_PERMISSION_HINT)
    return envelope is not None


def _revoked(outcome):
    """A revocation done: the user's tokens are revoked, unless the API answered false (a warning says so)."""
    if outcome.value:
        return outcome
    return outcome._replace(why="the API answered result: false to revoking the Access tokens of %s (Cloudflare "
                                "does not document what false means): not reported as revoked" % outcome.sent.label)


def _confirm_revoked(account, cut):
    if cut.sessions and not read_sessions(account, cut.user):
        return True
    return "whether the Access tokens of %s were revoked (%s)" % (
        cut.label, "its sessions are still listed" if cut.sessions else
        "force revokes without reading the sessions, so none can show it" if cut.sessions is None else
        "no session was listed to check")


def _confirm_authenticator(account, job):
    cut, kind, authenticator = job
    if kind == "passkey" and authenticator["id"] not in {
            passkey["id"] for passkey in read_passkeys(account, cut.user)}:
        return True
    return "whether the %s %s of %s was deleted (%s)" % (
        "passkey" if kind == "passkey" else "MFA authenticator", authenticator["id"], cut.label,
        "it is still listed" if kind == "passkey" else "the API cannot list MFA authenticators to check")


def _what(job):
    if isinstance(job, UserCut):
        return "whether the Access tokens of %s were revoked" % job.label
    return "whether the authenticator %s of %s was deleted" % (job[2]["id"], job[0].label)


# --- what the task returns -----------------------------------------------------------------------------------
def cut_records(cuts, outcomes=None):
    """The ``cut`` field of each returned user: what the writes (``outcomes``, of :func:`cut_off`) cut for it or,
    without them, what they would cut (check mode)."""
    if outcomes is None:
        return [cut_record(cut, cut.revoke, cut.registrations, cut.passkeys, cut.mfa) for cut in cuts]
    found = {id(cut): (False, [], [], []) for cut in cuts}
    for outcome in in_state(outcomes, DONE):
        if isinstance(outcome.sent, UserCut):
            if outcome.value:
                found[id(outcome.sent)] = (True,) + found[id(outcome.sent)][1:]
        elif isinstance(outcome.sent, list):  # a batch of registrations: those no longer listed active
            for cut, registration in outcome.value:
                found[id(cut)][1].append(registration)
        elif outcome.value:  # an authenticator deleted (False: gone already)
            cut, kind, authenticator = outcome.sent
            if kind == "passkey":
                found[id(cut)][2].append(authenticator)
            else:
                found[id(cut)][3].append(authenticator["id"])
    return [cut_record(cut, *found[id(cut)]) for cut in cuts]


def cut_record(cut, revoked, registrations, passkeys, mfa):
    """What was (or would be) cut for one user: its tokens ``revoked`` or not, the registrations, passkeys and MFA
    authenticator ids. ``sessions`` and ``session_apps`` are those listed before the revocation; None when they were
    not read (force)."""
    read = cut.sessions is not None
    return dict(
        access_tokens_revoked=revoked,
        sessions=(len(cut.sessions) if revoked else 0) if read else None,
        session_apps=(session_apps(cut.sessions) if revoked else []) if read else None,
        registrations=[registration_summary(registration) for registration in registrations],
        passkeys=[dict(id=passkey["id"], name=passkey.get("name")) for passkey in passkeys],
        mfa_authenticators=list(mfa),
    )


def anything_cut(record):
    return bool(record["access_tokens_revoked"] or record["registrations"] or record["passkeys"]
                or record["mfa_authenticators"])


def diff_of(cut, record):
    """The user's ``--diff``: what it had to cut before the task, and what is left after it. The registrations and
    passkeys in the shape of the result's ``cut``."""
    read = cut.sessions is not None
    before = dict(access_tokens_revoked=False, sessions=len(cut.sessions) if read else None,
                  session_apps=session_apps(cut.sessions) if read else None,
                  registrations=[registration_summary(item) for item in cut.registrations],
                  passkeys=[passkey["id"] for passkey in cut.passkeys], mfa_authenticators=list(cut.mfa))
    cut_ids = {item["id"] for item in record["registrations"]}
    revoked = record["access_tokens_revoked"]
    after = dict(access_tokens_revoked=revoked,
                 sessions=0 if revoked and read else before["sessions"],
                 session_apps=[] if revoked and read else before["session_apps"],
                 registrations=[item for item in before["registrations"] if item["id"] not in cut_ids],
                 passkeys=[key for key in before["passkeys"] if key not in {item["id"] for item in record["passkeys"]}],
                 mfa_authenticators=[key for key in before["mfa_authenticators"]
                                     if key not in record["mfa_authenticators"]])
    return before, after


def failure_parts(outcomes, cuts, records):
    """What the message of a task that failed part-way says after the failure: what was refused and for whom, what
    was not sent, what was cut, what is unknown (see ``partial_failure``, which adds :data:`SAFE_AGAIN`)."""
    done = [record for record in records if anything_cut(record)]
    parts = []
    refused = {id(cut): [(what, outcome.error) for outcome in in_state(outcomes, REFUSED)
                         for whose, what in _refused_for(outcome.sent) if whose is cut] for cut in cuts}
    refusals = ["%s (%s: %s)" % (cut.label, what, refusal_text(error))
                for cut in cuts for what, error in refused[id(cut)]]
    if refusals:
        refused_users = len({cut.label for cut in cuts if refused[id(cut)]})
        parts.append("refused for %s: %s" % (counted(refused_users, "user"), listed(refusals)))
    if in_state(outcomes, NOT_SENT):
        parts.append("not sent after the failure: %s" % ", ".join(
            outcome.why for outcome in in_state(outcomes, NOT_SENT)))
    parts.append("cut: %s" % _counted(done) if done else "nothing was cut")
    if in_state(outcomes, UNKNOWN):
        parts.append("unknown: %s" % "; ".join(outcome.why for outcome in in_state(outcomes, UNKNOWN)))
    return parts


def _refused_for(job):
    """``[(cut, what)]``: the users a refused write was for, and what it would have cut."""
    if isinstance(job, UserCut):
        return [(job, "Access tokens")]
    if isinstance(job, list):  # a batch of registrations: each of its users once
        return [(cut, "registrations") for cut in dict.fromkeys(cut for cut, _registration in job)]
    cut, kind, authenticator = job
    return [(cut, "%s %s" % ("passkey" if kind == "passkey" else "MFA authenticator", authenticator["id"]))]


def _counted(records):
    tokens = sum(1 for record in records if record["access_tokens_revoked"])
    counts = ((tokens, "Access tokens of %d users" % tokens),
              (sum(len(record["registrations"]) for record in records), "%d registrations"),
              (sum(len(record["passkeys"]) for record in records), "%d passkeys"),
              (sum(len(record["mfa_authenticators"]) for record in records), "%d MFA authenticators"))
    return ", ".join(text if "%d" not in text else text % count for count, text in counts if count)
