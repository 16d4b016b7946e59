# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Cutting users off: revoke their Access tokens, delete (or revoke) their WARP registrations, delete passkeys.

Reads first (each user's active sessions, registrations in batched listings, passkeys from the last seen
identity) and writes only what is there, in three steps: token revocations, then registrations in
batches across users, then authenticators one by one; a few requests at a time, all counted against the
request budget before the first is sent. Every write here ends in the same state when sent again, so the
client retries it; when an outcome stays unclear (no whole answer, a 5xx after the retries, a success
that cannot be read) the state is read again rather than guessed. A step that fails stops the next ones,
and the result says exactly what was cut before.
"""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    READ_PERMISSION,
    users_path,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import api_path
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._devices import (
    IDS_PER_WRITE,
    change_registrations,
    listing_batches,
    registration_summary,
    registrations_for,
    require_token_auth,
    still_listed,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareAPIError,
    CloudflareError,
    CloudflareInputError,
    outcome_unclear,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    is_authenticator_id,
    require_authenticator_id,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._threads import (
    NOT_STARTED,
    in_parallel,
    in_parallel_until_failure,
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
        require_token_auth(params, "devices: %s" % what["devices"])
    return what


class UserCut:
    """One user: what the reads found to cut, and what the writes cut."""

    def __init__(self, user, mfa):
        self.user = user
        self.sessions, self.registrations, self.passkeys = [], [], []
        self.mfa = list(mfa)
        self.revoke = False  # whether the plan sends the token revocation
        self.tokens_revoked = False
        self.cut_registrations, self.cut_passkeys, self.cut_mfa = [], [], []

    @property
    def label(self):
        return self.user.get("email") or self.user["id"]


def read_state(client, account_id, cuts, what):
    """Fill each UserCut with what it has to cut: sessions, registrations, passkeys; a few reads at a time.

    The reads are counted against the request budget before the first is sent; a failed read fails the
    task before any write.
    """
    jobs = [("active_sessions", cut) for cut in cuts if what["sessions"]]
    jobs += [("last_seen_identity", cut) for cut in cuts if what["passkeys"]]
    if what["devices"] != "keep":
        jobs += [("registrations", batch) for batch in listing_batches(cuts)]
    if jobs:
        client.reserve(len(jobs), "reading what %d users have to cut" % len(cuts))

    def read(job):
        kind, subject = job
        if kind == "active_sessions":
            subject.sessions = read_sessions(client, account_id, subject.user)
        elif kind == "last_seen_identity":
            subject.passkeys = read_passkeys(client, account_id, subject.user)
        else:
            found = registrations_for(client, account_id, [cut.user for cut in subject])
            for cut in subject:
                cut.registrations = found[cut.user["id"].lower()]

    in_parallel(read, jobs)
    for cut in cuts:
        cut.revoke = what["sessions"] and bool(cut.sessions or what["force"])
        passkey_ids = {passkey["id"] for passkey in cut.passkeys}
        cut.mfa = [value for value in cut.mfa if value not in passkey_ids]  # a listed passkey is deleted as such


def read_sessions(client, account_id, user):
    """The user's active Access sessions (none when Cloudflare's API says there is no such user)."""
    path = users_path(account_id, user["id"], "active_sessions")
    sessions = client.get(path, expect=list, permission=READ_PERMISSION, not_found=[])
    if not all(isinstance(session, dict) for session in sessions):
        raise CloudflareAPIError("GET", path, "the API answered success, but a session is not an object", status=200)
    return sessions


def read_passkeys(client, account_id, user):
    """The passkeys the user's last seen identity lists; the identity must be the user's own."""
    path = users_path(account_id, user["id"], "last_seen_identity")
    identity = client.get(path, expect=dict, permission=READ_PERMISSION, not_found=None)
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
    """The writes of the plan, in the order they are sent: revocations, registration batches, authenticators."""

    def __init__(self, cuts, what):
        self.revocations = [cut for cut in cuts if cut.revoke]
        pairs = [(cut, registration) for cut in cuts for registration in cut.registrations] \
            if what["devices"] != "keep" else []
        self.batches = [pairs[start:start + IDS_PER_WRITE] for start in range(0, len(pairs), IDS_PER_WRITE)]
        self.authenticators = [(cut, "passkey", passkey) for cut in cuts for passkey in cut.passkeys] + [
            (cut, "mfa", {"id": value}) for cut in cuts for value in cut.mfa]

    def count(self):
        return len(self.revocations) + len(self.batches) + len(self.authenticators)


class Outcome:
    """How the writes went: the first failure, and what stays unknown after reading again."""

    def __init__(self):
        self.error = None
        self.unknown = []
        self.warnings = []

    @property
    def stopped(self):
        return self.error is not None or bool(self.unknown)


def cut_off(client, account_id, steps, what):
    """Send the writes of ``steps``, step by step; return the Outcome. The UserCuts record what was cut."""
    outcome = Outcome()
    steps_to_run = (
        (steps.revocations, lambda cut: revoke_tokens(client, account_id, cut, what), _revoked,
         lambda cut: _confirm_revoked(client, account_id, cut)),
        (steps.batches, lambda batch: change_registrations(
            client, account_id, [registration["id"] for _cut, registration in batch], what["devices"]), _batch_cut,
         lambda batch: _confirm_batch(client, account_id, batch, what["devices"])),
        (steps.authenticators, lambda job: delete_authenticator(client, account_id, job), _authenticator_cut,
         lambda job: _confirm_authenticator(client, account_id, job)),
    )
    for jobs, send, record, confirm in steps_to_run:
        unclear = []
        for job, (value, error) in zip(jobs, in_parallel_until_failure(send, jobs)):
            if error is NOT_STARTED:
                continue
            if error is None:
                record(job, value, outcome)
            elif is_unclear(error):
                unclear.append((job, error))
            elif outcome.error is None:
                outcome.error = error
        _read_again(client, unclear, record, confirm, outcome)
        if outcome.stopped:
            break
    return outcome


def revoke_tokens(client, account_id, cut, what):
    """POST revoke_user for the user's email: revokes every Access token of the user; the API's ``result``."""
    if not isinstance(cut.user.get("email"), str) or not cut.user["email"]:
        raise CloudflareError("user %s has no email, and Cloudflare revokes a user's Access tokens by email: its "
                              "tokens were not revoked" % cut.user["id"])
    body = {"email": cut.user["email"], "warp_session_reauth": what["warp_session_reauth"]}
    return client.request_bare_result("POST", api_path("accounts", account_id, "access", "organizations", "revoke_user"),
                                      body=body, permission=REVOKE_PERMISSION, idempotent=True)


def delete_authenticator(client, account_id, job):
    """DELETE one passkey or MFA authenticator (the same call covers both); False when the API says it is gone."""
    cut, _kind, authenticator = job
    # Gone already when Cloudflare's API says there is no such authenticator (the schema documents no status for
    # that answer; 404 is what the API answers for an unknown id): not a change.
    envelope = client.request("DELETE", users_path(account_id, cut.user["id"], "mfa_authenticators", authenticator["id"]),
                              idempotent=True, not_found=None, forbidden_hint=AUTHENTICATOR_PERMISSION_HINT)
    return envelope is not None


def is_unclear(error):
    """Whether a write may have been done although it failed (:func:`outcome_unclear`), or it failed on an object
    gone meanwhile: Cloudflare's 404 on a batch of registrations, whose ids may have been deleted since they were
    listed (the schema does not document what a batch with an unknown id answers); listing again says which."""
    if not isinstance(error, CloudflareAPIError):
        return False  # e.g. the request budget: the request was never sent
    return outcome_unclear(error) or (error.status == 404 and error.from_cloudflare)


def _read_again(client, unclear, record, confirm, outcome):
    """Settle unclear writes by reading the state again: done, or said to be unknown."""
    if not unclear:
        return
    try:
        client.reserve(len(unclear), "reading again after %d unclear answers" % len(unclear))
        settled = in_parallel(confirm, [job for job, _error in unclear])
    except CloudflareError as exc:
        settled = [("%s, and reading again failed: %s" % (_what(job), exc)) for job, _error in unclear]
    for (job, error), result in zip(unclear, settled):
        if result is True:
            record(job, True, outcome)
            continue
        outcome.unknown.append(result)
        if outcome.error is None:
            outcome.error = error  # the failure the task reports: its request, status and cf-ray


def _revoked(cut, revoked, outcome):
    if revoked:
        cut.tokens_revoked = True
    else:
        outcome.warnings.append("the API answered result: false to revoking the Access tokens of %s (Cloudflare "
                                "does not document what false means): not reported as revoked" % cut.label)


def _confirm_revoked(client, account_id, cut):
    if cut.sessions and not read_sessions(client, account_id, cut.user):
        return True
    return "whether the Access tokens of %s were revoked (%s)" % (
        cut.label, "its sessions are still listed" if cut.sessions else "no session was listed to check")


def _batch_cut(batch, _value, _outcome):
    for cut, registration in batch:
        cut.cut_registrations.append(registration)


def _confirm_batch(client, account_id, batch, action):
    """True when no registration of the batch is listed active any more; else cut those gone, and say which stay."""
    left = still_listed(client, account_id, [registration["id"] for _cut, registration in batch])
    if not left:
        return True
    _batch_cut([(cut, registration) for cut, registration in batch if registration["id"] not in left], True, None)
    return "whether %d registrations were %s: still listed after an unclear answer: %s" % (
        len(left), "deleted" if action == "delete" else "revoked", ", ".join(sorted(left)))


def _authenticator_cut(job, deleted, _outcome):
    cut, kind, authenticator = job
    if deleted and kind == "passkey":
        cut.cut_passkeys.append(authenticator)
    elif deleted:
        cut.cut_mfa.append(authenticator["id"])


def _confirm_authenticator(client, account_id, job):
    cut, kind, authenticator = job
    if kind == "passkey" and authenticator["id"] not in {
            passkey["id"] for passkey in read_passkeys(client, account_id, cut.user)}:
        return True
    return "whether the %s %s of %s was deleted (%s)" % (
        "passkey" if kind == "passkey" else "MFA authenticator", authenticator["id"], cut.label,
        "it is still listed" if kind == "passkey" else "the API cannot list MFA authenticators to check")


def _what(job):
    if isinstance(job, UserCut):
        return "whether the Access tokens of %s were revoked" % job.label
    if isinstance(job, list):
        return "whether %d registrations were cut" % len(job)
    return "whether the authenticator %s of %s was deleted" % (job[2]["id"], job[0].label)


# --- what the task returns -----------------------------------------------------------------------------------
def cut_record(cut, predicted=False):
    """What was cut for one user (or, ``predicted``, would be): the ``cut`` field of each returned user."""
    if predicted:
        revoked, registrations, passkeys, mfa = cut.revoke, cut.registrations, cut.passkeys, cut.mfa
    else:
        revoked, registrations, passkeys, mfa = cut.tokens_revoked, cut.cut_registrations, cut.cut_passkeys, cut.cut_mfa
    return dict(
        access_tokens_revoked=revoked,
        sessions=len(cut.sessions) if revoked else 0,
        session_apps=session_apps(cut.sessions) if revoked else [],
        registrations=[registration_summary(registration) for registration in registrations],
        passkeys=[dict(id=passkey["id"], name=passkey.get("name")) for passkey in passkeys],
        mfa_authenticators=list(mfa),
    )


def anything_cut(record):
    return bool(record["access_tokens_revoked"] or record["registrations"] or record["passkeys"]
                or record["mfa_authenticators"])


def diff_of(cut, record):
    """The user's ``--diff``: what it had to cut before the task, and what is left after it."""
    before = dict(access_tokens_revoked=False, sessions=len(cut.sessions), session_apps=session_apps(cut.sessions),
                  registrations={item["id"]: _device_name(item) for item in cut.registrations},
                  passkeys=[passkey["id"] for passkey in cut.passkeys], mfa_authenticators=list(cut.mfa))
    cut_ids = {item["id"] for item in record["registrations"]}
    after = dict(access_tokens_revoked=record["access_tokens_revoked"],
                 sessions=0 if record["access_tokens_revoked"] else before["sessions"],
                 session_apps=[] if record["access_tokens_revoked"] else before["session_apps"],
                 registrations={key: value for key, value in before["registrations"].items() if key not in cut_ids},
                 passkeys=[key for key in before["passkeys"] if key not in {item["id"] for item in record["passkeys"]}],
                 mfa_authenticators=[key for key in before["mfa_authenticators"]
                                     if key not in record["mfa_authenticators"]])
    return before, after


def failure_message(outcome, results):
    """The one line of a task that failed part-way: the failure, what was cut before it, what is unknown."""
    done = [record for record in results if anything_cut(record)]
    parts = [str(outcome.error)]
    parts.append("cut before the failure: %s" % _counted(done) if done else "nothing was cut before the failure")
    if outcome.unknown:
        parts.append("unknown: %s" % "; ".join(outcome.unknown))
    parts.append(SAFE_AGAIN)
    return "; ".join(parts)


def _counted(records):
    tokens = sum(1 for record in records if record["access_tokens_revoked"])
    counts = ((tokens, "Access tokens of %d users" % tokens),
              (sum(len(record["registrations"]) for record in records), "%d registrations"),
              (sum(len(record["passkeys"]) for record in records), "%d passkeys"),
              (sum(len(record["mfa_authenticators"]) for record in records), "%d MFA authenticators"))
    return ", ".join(text if "%d" not in text else text % count for count, text in counts if count)


def _device_name(registration):
    device = registration.get("device")
    return device.get("name") if isinstance(device, dict) else None
