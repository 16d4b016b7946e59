# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""The feeds of the ``access_events`` event source: what a poll reads, which records are new, and what a restart keeps.

Synchronous and free of asyncio: the event source (extensions/eda/plugins/event_source/access_events.py) runs
each page's request in a thread and puts the events this file makes on ansible-rulebook's queue.

Logs (Access authentication logs, audit logs v2) are read oldest first from a watermark: the time of the newest
record delivered. Each poll asks from the watermark less ``overlap`` seconds, so that a record that reaches the
API late (with an older time than records already read) is still found; the keys of the records delivered within
the overlap are remembered, so none is delivered twice. The watermark moves after each page whose events are on
the queue, never past a page that failed. Risk scores are state: an event is a user's ``max_risk_level`` rising
into the levels asked for, and the levels seen last are what the state keeps.
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
import time

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import api_path
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import (
    CloudflareError,
    CloudflareInputError,
    short_repr,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._secrets import masked
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._inactivity import parse_time, utc_now
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    COMMON_ARGSPEC,
    module_constraints,
    require_account_id,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._paging import (
    CURSOR,
    MAX_PER_PAGE,
    read_listing,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._risk_scores import (
    READ_PERMISSION as RISK_PERMISSION,
    RISK_LEVELS,
    level_rank,
    risk_summary,
)

FEEDS = ("risk", "access_requests", "audit")
# x-api-token-group in Cloudflare's schema, for the one line a 403 ends the source with.
PERMISSIONS = {"risk": RISK_PERMISSION, "access_requests": "Access: Audit Logs Read", "audit": "Account Settings Read"}
EVENT_TYPES = {"risk": "risk_level_raised", "access_requests": "access_request", "audit": "audit_log"}
RATE_WINDOW = 300.0  # Cloudflare's window: 1,200 requests per 5 minutes per user, then every call is refused
MAX_REQUESTS = 1200
MAX_BACKOFF = 300.0  # Cloudflare blocks for up to 5 minutes after a 429
STATE_VERSION = 1

# The source's own options; with COMMON_ARGSPEC's connection and credential options (not request_budget: a
# source that polls for ever paces itself with max_requests instead).
SOURCE_ARGSPEC = dict(
    {name: spec for name, spec in COMMON_ARGSPEC.items() if name != "request_budget"},
    feeds=dict(type="list", elements="str", default=["risk"]),
    delay=dict(type="float", default=30),
    risk_levels=dict(type="list", elements="str", default=["high"]),
    denied_only=dict(type="bool", default=True),
    apps=dict(type="list", elements="str", default=[]),
    product_category=dict(type="list", elements="str", default=["zerotrust"]),
    overlap=dict(type="float", default=60),
    state_file=dict(type="path"),
    max_requests=dict(type="int", default=300),
)


def source_params(args):
    """The source's options from the rulebook's ``args``, as a module's are: the argspec's types, the environment
    variables of the modules, their defaults; then the source's own checks. CloudflareInputError, one line."""
    # eda_feedback_queue is ansible-rulebook's own; an empty value is one a rulebook could not leave out (its
    # templates have no omit): not set, so the environment and the default apply, as for a module.
    given = {name: value for name, value in args.items() if name != "eda_feedback_queue" and value != ""}
    result = ArgumentSpecValidator(SOURCE_ARGSPEC, **module_constraints()).validate(given)
    if result.error_messages:
        raise CloudflareInputError(result.errors.msg)
    params = result.validated_parameters
    require_account_id("account_id", params["account_id"])
    unknown = [name for name in params["feeds"] if name not in FEEDS]
    if unknown or not params["feeds"]:
        raise CloudflareInputError("feeds must name one or more of %s, got %s" % (", ".join(FEEDS), short_repr(params["feeds"])))
    wrong = [level for level in params["risk_levels"] if level not in RISK_LEVELS]
    if wrong or not params["risk_levels"]:
        raise CloudflareInputError("risk_levels must name one or more of %s, got %s"
                                   % (", ".join(RISK_LEVELS), short_repr(params["risk_levels"])))
    for name, least, most in (("delay", 0.1, 86400), ("overlap", 0, 86400), ("max_requests", 1, MAX_REQUESTS)):
        if not least <= params[name] <= most:
            raise CloudflareInputError("%s must be from %s to %s, got %s" % (name, least, most, short_repr(params[name])))
    return params


def event_of(feed, account_id, user, occurred_at, record, **extra):
    """An event as the source puts it on the queue: the same keys for every feed, and never a secret."""
    event = dict(type=EVENT_TYPES[feed], feed=feed, account_id=account_id,
                 user=dict(id=user.get("id"), email=user.get("email")), occurred_at=occurred_at, record=record)
    event.update(extra)
    return masked(event)


def rfc3339(moment):
    """A time as the feeds' filters take it: RFC 3339 in UTC, whole seconds (earlier ones round down)."""
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Page:
    """One page's events, and what delivering them changes (``commit``, once they are all on the queue)."""

    def __init__(self, events, commit):
        self.events, self.commit = events, commit


class Watermark:
    """Where a log feed is: the newest record time delivered (``time``), the keys delivered within the overlap
    (``seen``, key -> time), and ``floor``, the source's first start: records before it are not events."""

    def __init__(self, time_=None, floor=None, seen=None):
        now = utc_now()
        self.time = time_ or now
        self.floor = floor or self.time
        self.seen = dict(seen or {})

    def is_new(self, key, moment):
        return moment >= self.floor and key not in self.seen

    def advance(self, delivered, newest, overlap):
        """After a page: remember ``delivered`` {key: time}, move to ``newest``, forget keys older than the overlap."""
        self.seen.update(delivered)
        if newest is not None and newest > self.time:
            self.time = newest
        horizon = self.time - datetime.timedelta(seconds=overlap)
        self.seen = {key: moment for key, moment in self.seen.items() if moment >= horizon}

    def to_state(self):
        return dict(time=self.time.isoformat(), floor=self.floor.isoformat(),
                    seen={key: moment.isoformat() for key, moment in self.seen.items()})

    @classmethod
    def from_state(cls, state):
        times = [parse_time(state.get(name)) for name in ("time", "floor")]
        seen = {key: parse_time(value) for key, value in (state.get("seen") or {}).items()}
        if None in times or None in seen.values():
            raise ValueError("a watermark time is not a time")
        return cls(times[0], times[1], seen)


class LogFeed:
    """A log feed read oldest first from its watermark, in pages; the subclasses name the API call and the record."""

    name = None
    path_parts = ()
    id_field = None  # the field that, with the record's time, tells two records apart

    def __init__(self, params, watermark=None):
        self.params = params
        self.account_id = params["account_id"]
        self.overlap = params["overlap"]
        self.watermark = watermark or Watermark()

    def pages(self, client):
        """Yield a :class:`Page` per page of records from the watermark less the overlap to now."""
        since = self.watermark.time - datetime.timedelta(seconds=self.overlap)
        path = api_path("accounts", self.account_id, *self.path_parts)
        # Whole seconds: since rounds down (the overlap reads a little more), until up (nothing is later than now).
        until = utc_now() + datetime.timedelta(seconds=1)
        for records in self.listing(client, path, rfc3339(since), rfc3339(until)):
            yield self.page(records)

    def page(self, records):
        delivered, events, newest = {}, [], None
        for record in records:
            moment = parse_time(self.time_of(record))
            key = self.key_of(record)
            newest = moment if newest is None or moment > newest else newest
            if not self.watermark.is_new(key, moment):
                continue
            if self.wanted(record):
                events.append(self.event(record))
                delivered[key] = moment
        return Page(events, lambda: self.watermark.advance(delivered, newest, self.overlap))

    def item_problem(self, record):
        """Why a record cannot be placed in time or told apart from another (the page then fails), or None."""
        if not isinstance(record, dict):
            return "a record is not an object"
        if parse_time(self.time_of(record)) is None:
            return "a record's time is %s, not an RFC 3339 time" % short_repr(self.time_of(record))
        if not isinstance(record.get(self.id_field), str) or not record[self.id_field]:
            return "a record has no %s" % self.id_field
        return None


class AccessRequestsFeed(LogFeed):
    """Access authentication logs: page paging (``page``/``per_page``, no result_info), keyed by ray id and time."""

    name = "access_requests"
    path_parts = ("access", "logs", "access_requests")
    id_field = "ray_id"

    def listing(self, client, path, since, until):
        query = dict(since=since, until=until, direction="asc", limit=MAX_PER_PAGE)
        for records, _info in read_listing(client, path, query, per_page=MAX_PER_PAGE, permission=PERMISSIONS[self.name],
                                           item_problem=self.item_problem):
            yield records

    @staticmethod
    def time_of(record):
        return record.get("created_at")

    @staticmethod
    def key_of(record):
        return "%s|%s" % (record["ray_id"], record["created_at"])

    def wanted(self, record):
        if self.params["denied_only"] and record.get("allowed") is not False:
            return False  # "allowed" left out or not a boolean: unknown, so not a denial
        apps = [app.lower() for app in self.params["apps"]]
        return not apps or str(record.get("app_uid") or "").lower() in apps or str(record.get("app_domain") or "").lower() in apps

    def event(self, record):
        user = dict(id=record.get("user_id"), email=record.get("user_email"))
        return event_of(self.name, self.account_id, user, record["created_at"], record)


class AuditFeed(LogFeed):
    """Audit logs (v2): cursor paging within one ``since``/``before`` window, keyed by id."""

    name = "audit"
    path_parts = ("logs", "audit")
    id_field = "id"

    def listing(self, client, path, since, until):
        query = [("since", since), ("before", until), ("direction", "asc")]
        query += [("product_category", category) for category in self.params["product_category"]]
        return (records for records, _info in read_listing(client, path, query, CURSOR, MAX_PER_PAGE,
                                                           permission=PERMISSIONS[self.name],
                                                           item_problem=self.item_problem, size_param="limit"))

    @staticmethod
    def time_of(record):
        action = record.get("action")
        return action.get("time") if isinstance(action, dict) else None

    @staticmethod
    def key_of(record):
        return record["id"]

    @staticmethod
    def wanted(record):
        return True  # filtered by the API (product_category)

    def event(self, record):
        actor = record.get("actor") if isinstance(record.get("actor"), dict) else {}
        return event_of(self.name, self.account_id, actor, self.time_of(record), record)


class RiskFeed:
    """User risk scores: the summary read whole each poll; an event for each user whose level rose into
    ``risk_levels``. The first poll without a saved state takes the levels as they are (no events)."""

    name = "risk"

    def __init__(self, params, levels=None):
        self.account_id = params["account_id"]
        self.wanted = set(params["risk_levels"])
        self.levels = levels  # user id -> the max_risk_level seen last; None before the first poll

    def pages(self, client):
        yield self.page(risk_summary(client.account(self.account_id)))

    def page(self, users):
        now = {entry["user_id"]: entry.get("max_risk_level") for entry in users}
        events = []
        if self.levels is not None:
            for entry in users:
                level, before = entry.get("max_risk_level"), self.levels.get(entry["user_id"])
                if level in self.wanted and _rose(before, level):
                    user = dict(id=entry["user_id"], email=entry.get("email"))
                    events.append(event_of(self.name, self.account_id, user, entry.get("last_event"), entry,
                                           risk=dict(level=level, previous_level=before)))

        def commit():
            self.levels = now
        return Page(events, commit)


def _rose(before, level):
    """Whether ``level`` is higher than ``before`` (None: no risk events); unknown levels never rise."""
    rank = level_rank(level)
    if rank is None:
        return False
    return before is None or (level_rank(before) is not None and level_rank(before) < rank)


def make_feeds(params, state):
    """The feeds asked for, each from its part of ``state`` (a dict as :func:`read_state` gives it)."""
    saved = state.get("feeds", {})
    feeds = []
    for name in params["feeds"]:
        part = saved.get(name)
        if name == "risk":
            feeds.append(RiskFeed(params, dict(part["levels"]) if part else None))
        else:
            kind = AccessRequestsFeed if name == "access_requests" else AuditFeed
            feeds.append(kind(params, Watermark.from_state(part) if part else None))
    return feeds


def state_of(params, feeds):
    parts = {}
    for feed in feeds:
        if isinstance(feed, RiskFeed):
            if feed.levels is not None:
                parts[feed.name] = dict(levels=feed.levels)
        else:
            parts[feed.name] = feed.watermark.to_state()
    return dict(version=STATE_VERSION, account_id=params["account_id"], feeds=parts)


def read_state(params):
    """The state saved in ``state_file`` ({} without one); CloudflareInputError, one line, for one that cannot be used."""
    path = params["state_file"]
    if not path or not os.path.exists(path):
        return {}
    try:
        with open(path) as handle:
            state = json.load(handle)
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION or not isinstance(state.get("feeds"), dict):
            raise ValueError("not a state file of this source (version %s)" % STATE_VERSION)
        if state.get("account_id") != params["account_id"]:
            raise ValueError("it holds the state of account %s, not %s: use one state file per account"
                             % (short_repr(state.get("account_id")), params["account_id"]))
        for name, part in state["feeds"].items():
            if name == "risk":
                if not isinstance(part.get("levels"), dict):
                    raise ValueError("its risk levels are not an object")
            else:
                Watermark.from_state(part)
    except (OSError, ValueError, AttributeError) as exc:
        raise CloudflareInputError("state_file %s cannot be used: %s" % (path, exc)) from None
    return state


def write_state(path, state):
    """Replace ``path`` with ``state`` at once (a crash leaves the old or the new file, never half of one); 0600."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".access_events.", dir=directory)
    try:
        with os.fdopen(handle, "w") as out:
            json.dump(state, out, sort_keys=True)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


class Pacer:
    """Keeps the source within ``limit`` requests in any ``window`` seconds: its share of Cloudflare's limit."""

    def __init__(self, limit, window=RATE_WINDOW, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self.sent = []  # monotonic times of the requests in the window, oldest first

    def record(self, count):
        now = self.clock()
        self.sent.extend([now] * count)

    def wait(self):
        """Seconds to wait before one more request fits in the window (0 when it fits now)."""
        now = self.clock()
        self.sent = [moment for moment in self.sent if now - moment < self.window]
        if len(self.sent) < self.limit:
            return 0.0
        return self.sent[len(self.sent) - self.limit] + self.window - now


def failure_wait(exc, failures, delay):
    """Seconds to wait after the ``failures``-th failed poll in a row: what a 429 asked (Retry-After), else the
    delay doubled for each failure, at most MAX_BACKOFF."""
    backoff = min(MAX_BACKOFF, delay * 2 ** max(0, failures - 1))
    asked = getattr(exc, "retry_after", None)
    return max(backoff, min(asked, MAX_BACKOFF)) if asked else backoff


def is_refused(exc):
    """Whether the failure is a credential or a permission refused (HTTP 401 or 403): polling again cannot help."""
    return isinstance(exc, CloudflareError) and getattr(exc, "status", None) in (401, 403)
