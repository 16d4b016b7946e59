# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Pacing: the client's requests kept within Cloudflare's rate limit, waiting for the next window rather than be blocked.

Cloudflare allows 1,200 requests per 5 minutes per user, the dashboard's included, and then refuses every call
for 5 minutes (developers.cloudflare.com/fundamentals/api/reference/limits). Every answer says what is left of
the window (``Ratelimit: "default";r=REMAINING;t=SECONDS``) and the quota (``Ratelimit-Policy:
"default";q=QUOTA;w=SECONDS``). The client's :class:`Pacer` checks two rules before each request it sends:

- never more than its share of a quota in any window of that quota: SAFE_SHARE of it while no answer has said
  what is left, the quota less a headroom once one has (the answers then count the dashboard's and other tools'
  requests too);
- when an answer says that only the headroom is left, nothing more until that window resets.

The quotas are Cloudflare's documented one until an answer's Ratelimit-Policy names its own. A task knows how many
requests its work takes before the first write: :meth:`Pacer.estimate` says how long they will wait, so that
the client can refuse work that would wait longer than ``pacing_timeout`` before sending any of it, and say up
front when it paces. A module cannot show output while it runs: each wait and each plan that paces is written to
the module's log (syslog or the journal of the host that runs it: :func:`progress_to`), and the task's result and a
warning say what was waited at the end.
"""

from __future__ import annotations

import bisect
import contextlib
import math
import threading
import time

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareBudgetError

RATE_LIMIT = 1200  # requests per window per user: Cloudflare's documented limit
RATE_WINDOW = 300.0  # seconds: its window, and how long it blocks every call once the limit is passed
# Of a quota, what a client sends while no answer has said what is left: the rest is for the people and tools that
# share it (the dashboard counts), since only the API sees their requests. 1,000 of 1,200.
SAFE_SHARE = 5.0 / 6
# Once answers say what is left: what the client leaves of a window's quota. At most MAX_PARALLEL_REQUESTS (4) are
# in flight, unseen by the answer that said what was left; the rest is for others starting at the same moment.
HEADROOM = 20
DEFAULT_PACING_TIMEOUT = 900.0  # seconds: three waits for a new window
MAX_QUOTA = 10000000  # a policy announced beyond these is not Cloudflare's: it is ignored
MAX_WINDOW = 86400.0

# Where a module's pacing goes while its work runs (progress_to): the module's log, and the notes run_work warns of.
_PROGRESS = []
_PROGRESS_LOCK = threading.Lock()


class PacingNotes:
    """What a task's clients said of their pacing while it ran: each line, and the seconds they waited."""

    def __init__(self, log=None):
        self.log = log
        self.lines = []
        self.waited = 0.0

    def note(self, line, waited=0.0):
        self.lines.append(line)
        self.waited += waited
        if self.log is not None:
            self.log(line)

    def warning(self):
        """One warning for a task that waited for the rate limit, or None."""
        if not self.waited:
            return None
        return ("waited %s in all for Cloudflare's rate limit: the task's requests were paced over several windows "
                "(each wait is in the module's log)" % duration(self.waited))


@contextlib.contextmanager
def progress_to(log=None):
    """Send what the clients created inside say of their pacing to ``log`` (``AnsibleModule.log``); yield the
    :class:`PacingNotes`, for a warning at the end."""
    notes = PacingNotes(log)
    with _PROGRESS_LOCK:
        _PROGRESS.append(notes)
    try:
        yield notes
    finally:
        with _PROGRESS_LOCK:
            _PROGRESS.remove(notes)


def _say(line, waited=0.0):
    with _PROGRESS_LOCK:
        listeners = list(_PROGRESS)
    for notes in listeners:
        notes.note(line, waited)


class Pacer:
    """Keeps one client's requests within Cloudflare's rate limit (the rules are in the file's docstring).

    ``timeout`` bounds the seconds all its waits take together; the wait that would go past it raises
    CloudflareBudgetError instead, before the request is sent. ``clock`` and ``sleep`` are time.monotonic and
    time.sleep, or a test's.
    """

    def __init__(self, timeout=DEFAULT_PACING_TIMEOUT, policies=None, clock=time.monotonic, sleep=time.sleep):
        self.timeout = timeout
        self.policies = list(policies or [(RATE_LIMIT, RATE_WINDOW)])  # (quota, window seconds)
        self.told = False  # whether an answer has said what is left of a window
        self.clock, self.sleep = clock, sleep
        self._sent = []  # monotonic times of this client's requests within the longest window, oldest first
        self._hold_until = 0.0  # an answer said that nothing more may go until then
        self._lock = threading.Lock()
        self._gate = threading.Lock()  # one request at a time waits for a window; the others queue behind it
        self.waited = 0.0
        self.waits = []  # one line per wait
        self.plans = []  # one line per planned batch of requests that paces

    # --- the rules --------------------------------------------------------------------------------------------
    def share(self, quota):
        """What this client sends of ``quota`` in one window."""
        if self.told:
            return max(1, quota - min(HEADROOM, max(1, quota // 10)))
        return max(1, int(quota * SAFE_SHARE))

    def _ready_at(self, moment, sent):
        """The earliest time from ``moment`` on when one more request may go, after the requests ``sent``."""
        ready = max(moment, self._hold_until)
        for quota, window in self.policies:
            share = self.share(quota)
            first = bisect.bisect_right(sent, ready - window)  # the first request still within the window
            if len(sent) - first >= share:
                ready = max(ready, sent[len(sent) - share] + window)
        return ready

    def admit(self, what):
        """Return once the request ``what`` (``GET /path``) may be sent, after waiting if the rules say so."""
        with self._gate:
            while True:
                with self._lock:
                    now = self.clock()
                    wait = self._ready_at(now, self._sent) - now
                    if wait <= 0:
                        self._sent.append(now)
                        longest = max(window for _quota, window in self.policies)
                        del self._sent[:bisect.bisect_right(self._sent, now - longest)]
                        return
                    in_window = len(self._sent)
                if self.waited + wait > self.timeout:
                    raise CloudflareBudgetError(
                        "%s not sent: Cloudflare's rate limit leaves nothing more for %s, and the task has waited %s "
                        "of its pacing_timeout of %s; raise pacing_timeout, or narrow the selection" % (
                            what, duration(wait), duration(self.waited), duration(self.timeout)))
                line = ("paced: %d requests sent in the last %s, as much as %s allows; waiting %s for the next window "
                        "(%s waited so far, pacing_timeout %s)" % (
                            in_window, duration(self.longest_window()), self.described(), duration(wait),
                            duration(self.waited), duration(self.timeout)))
                self.waits.append(line)
                _say(line, wait)
                self.sleep(wait)
                self.waited += wait

    def estimate(self, count):
        """Seconds of waiting that ``count`` more requests take from now, at the pace the rules allow."""
        with self._lock:
            now = self.clock()
            sent = list(self._sent)
        moment = now
        for _request in range(count):
            moment = self._ready_at(moment, sent)
            sent.append(moment)
        return moment - now

    def plan(self, count, purpose, wait):
        """Note ``count`` requests planned for ``purpose`` that wait ``wait`` seconds: say so when they do."""
        if wait <= 0:
            return
        windows = int(math.ceil(wait / self.longest_window())) + 1
        line = ("%s takes %d more API requests, more than %s allows in one window: paced over about %d windows, "
                "about %s of waiting" % (purpose, count, self.described(), windows, duration(wait)))
        self.plans.append(line)
        _say(line)

    # --- what the API says -----------------------------------------------------------------------------------
    def observe(self, headers):
        """Read an answer's Ratelimit-Policy (the quotas) and Ratelimit (what is left) headers; ignore what cannot be read."""
        policies = [(values["q"], values["w"]) for values in _items(headers.get("Ratelimit-Policy"))
                    if _whole(values.get("q"), 1, MAX_QUOTA) and _seconds(values.get("w"), 1, MAX_WINDOW)]
        left = [(values["r"], values["t"]) for values in _items(headers.get("Ratelimit"))
                if _whole(values.get("r"), 0, MAX_QUOTA) and _seconds(values.get("t"), 0, MAX_WINDOW)]
        with self._lock:
            now = self.clock()
            if policies:
                self.policies = [(int(quota), float(window)) for quota, window in policies]
            if left:
                self.told = True
            smallest = min(quota for quota, _window in self.policies)
            for remaining, reset in left:
                if remaining <= min(HEADROOM, max(1, smallest // 10)):
                    self._hold_until = max(self._hold_until, now + float(reset))

    # --- words ---------------------------------------------------------------------------------------------
    def longest_window(self):
        return max(window for _quota, window in self.policies)

    def described(self):
        """``Cloudflare's rate limit (1,200 requests per 300 s; this task's share 1,000)``."""
        return "Cloudflare's rate limit (%s; this task's share %s)" % (
            ", ".join("{:,} requests per {}".format(quota, duration(window)) for quota, window in self.policies),
            ", ".join("{:,}".format(self.share(quota)) for quota, _window in self.policies))

    def record(self):
        """What the task's result says of the pacing (``api_pacing``)."""
        return dict(waited=round(self.waited, 1), waits=list(self.waits), plans=list(self.plans))


def _items(value):
    """The items of a structured header (``"default";r=50;t=30, "burst";r=9;t=4``) as dicts of their parameters."""
    if not isinstance(value, str) or len(value) > 1000:
        return []
    items = []
    for item in value.split(","):
        parameters = {}
        for part in item.split(";")[1:]:
            name, _sep, text = part.partition("=")
            try:
                parameters[name.strip().lower()] = float(text.strip())
            except ValueError:
                continue
        items.append(parameters)
    return items


def _whole(value, low, high):
    return value is not None and math.isfinite(value) and value == int(value) and low <= value <= high


def _seconds(value, low, high):
    return value is not None and math.isfinite(value) and low <= value <= high


def duration(seconds):
    """``42 s``, ``5 min 2 s``, ``2 h 5 min``: a length of time for a message."""
    seconds = int(round(seconds))
    if seconds < 60:
        return "%d s" % seconds
    if seconds < 3600:
        return "%d min%s" % (seconds // 60, " %d s" % (seconds % 60) if seconds % 60 else "")
    return "%d h%s" % (seconds // 3600, " %d min" % (seconds % 3600 // 60) if seconds % 3600 // 60 else "")
