# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""The seat report: flags, last-login ages and counts of every user, and the CSV and HTML files.

All per-user work happens here, in one pass in Python, so that a playbook never loops over 50,000
users in Ansible or Jinja; the module returns counts and a few examples, and the files hold the rest.
Every value the API gives is treated as text from outside: escaped and isolated in HTML, kept from being
run as a formula by a spreadsheet in CSV, and written through the one writer of ``_files.py`` (whole or
not at all, secrets masked). A seat is held only when the API says ``true`` and free only when it says
``false``; any other value is unknown, and is shown and counted as such.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._access_users import (
    SEATS,
    seat_summary,
    seat_value,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import counted
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._secrets import masked
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._files import (
    csv_file,
    text_file,
    write_files,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._inactivity import (
    UTC,
    cutoff_for,
    days_since,
    holds_seat,
    last_active,
    never_logged_in,
    parse_time,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import require_inactive_days

CSV_NAME = "seat_report.csv"
HTML_NAME = "seat_report.html"
CSV_COLUMNS = ("email", "name", "access seat", "gateway seat", "devices", "last login", "created", "flags", "id")

# The flags, in the order they are shown: the name in the CSV file and the module's result, the words the HTML
# page shows, and what each means (the page and the docs say the same).
FLAGS = (
    ("inactive", "inactive",
     "holds a seat and was last active (last login, or creation if never logged in) more than {days} ago: "
     "what the reclaim_seats playbook frees"),
    ("never_logged_in", "never logged in", "holds a seat but never logged in"),
    ("no_device", "no WARP device", "holds a Gateway seat and has logged in, but has no active WARP device"),
    ("unknown_time", "unreadable time", "holds a seat, but the API's time of its last activity is not a readable time"),
    ("unknown_seat", "unknown seat",
     "has a seat the API gave as neither true nor false, so whether they hold it is unknown"),
)
FLAG_WORDS = {flag: words for flag, words, _meaning in FLAGS}
# Last-login age buckets of the chart: (upper bound in days, exclusive; label). Then "never" and "unreadable".
AGE_BUCKETS = ((7, "under 7 days"), (30, "7-30 days"), (90, "30-90 days"), (180, "90-180 days"),
               (365, "180-365 days"), (None, "over a year"))
NEVER, UNREADABLE = "never logged in", "unreadable time"


def user_flags(user, cutoff):
    """The flags (keys of FLAGS) of one user, in the order of FLAGS."""
    flags = ["unknown_seat"] if any(seat_value(user, seat) is None for seat in SEATS) else []
    if not holds_seat(user):
        return flags
    when, _field = last_active(user)
    never = never_logged_in(user)
    if when is None:
        flags.append("unknown_time")
    elif when < cutoff:
        flags.append("inactive")
    if never:
        flags.append("never_logged_in")
    if user.get("gateway_seat") is True and not never and user.get("active_device_count") == 0:
        flags.append("no_device")
    return [flag for flag, _words, _meaning in FLAGS if flag in flags]


def age_bucket(user, now):
    """The chart bucket of a user's last login."""
    if never_logged_in(user):
        return NEVER
    age = days_since(parse_time(user.get("last_successful_login")), now)
    if age is None:
        return UNREADABLE
    return next(label for limit, label in AGE_BUCKETS if limit is None or age < limit)


class SeatReport:
    """Everything the report says about ``users`` at ``now`` (an aware UTC datetime), in one pass."""

    def __init__(self, users, inactive_days, now, account_id="", sample_size=10):
        self.days = require_inactive_days("inactive_days", inactive_days)
        self.now, self.account_id = now, account_id
        self.cutoff = cutoff_for(self.days, now)
        self.users = sorted(users, key=lambda user: (api_text(user.get("email")).lower(), api_text(user.get("id"))))
        self.flags = [user_flags(user, self.cutoff) for user in self.users]
        self.summary = seat_summary(self.users)
        self.flag_counts = {flag: 0 for flag, _words, _meaning in FLAGS}
        samples = {flag: [] for flag, _words, _meaning in FLAGS}
        for user, flags in zip(self.users, self.flags):
            for flag in flags:
                self.flag_counts[flag] += 1
                if len(samples[flag]) < sample_size:
                    samples[flag].append(user)
        self.samples = samples
        self.flagged_users = sum(1 for flags in self.flags if flags)
        self.ages = self._ages()

    def _ages(self):
        """Seats by last-login age: one entry per bucket (unreadable only when there is one)."""
        labels = [label for _limit, label in AGE_BUCKETS] + [NEVER, UNREADABLE]
        counts = {label: dict(age=label, users=0, access_seat=0, gateway_seat=0) for label in labels}
        for user in self.users:
            entry = counts[age_bucket(user, self.now)]
            entry["users"] += 1
            entry["access_seat"] += seat_value(user, "access_seat") is True
            entry["gateway_seat"] += seat_value(user, "gateway_seat") is True
        return [counts[label] for label in labels if label != UNREADABLE or counts[label]["users"]]

    def flagged(self):
        """For the module's result: each flag's count and first users (as the API gave them)."""
        return {flag: dict(count=self.flag_counts[flag], users=self.samples[flag]) for flag, _words, _meaning in FLAGS}

    def flag_texts(self):
        """``(flag, words, meaning)`` of each flag, for the page."""
        return [(flag, words, meaning.format(days=counted(self.days, "day"))) for flag, words, meaning in FLAGS]

    def csv_rows(self):
        for user, flags in zip(self.users, self.flags):
            yield user_cells(user) + [" ".join(flags), api_text(user.get("id"))]

    def write(self, directory):
        """Write the CSV and HTML files into ``directory`` (created if missing), whole or not at all; their paths."""
        return write_files([csv_file(os.path.join(directory, CSV_NAME), CSV_COLUMNS, self.csv_rows()),
                            text_file(os.path.join(directory, HTML_NAME), lambda handle: write_html(handle, self))])


def user_cells(user):
    """email, name, access seat, gateway seat, devices, last login, created: as the API gave them."""
    return [api_text(user.get("email")), api_text(user.get("name")), seat_cell(seat_value(user, "access_seat")),
            seat_cell(seat_value(user, "gateway_seat")), api_text(user.get("active_device_count")),
            api_text(user.get("last_successful_login")), api_text(user.get("created_at"))]


def seat_cell(value):
    """A seat as :func:`seat_value` reads it, as the files show it: ``yes``, ``no``, or ``unknown``."""
    return {True: "yes", False: "no", None: "unknown"}[value]


def api_text(value):
    """An API value as text: None is empty, containers as JSON (an answer of another shape), others str()."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)


# --- The HTML page: one file, no network ---------------------------------------------------------------
# Its Content-Security-Policy allows only the page's own style and script (by hash) and no request at all,
# so even a value that escaped the escaping could neither run nor fetch anything.
STYLE = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d1d1f;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#555;margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:22px}
.card.flag{border-color:#f0b37e;background:#fff7f0}
table{border-collapse:collapse;font-size:13px}
th,td{border-bottom:1px solid #e5e5e5;padding:3px 10px 3px 0;text-align:left;vertical-align:top}
td.n{text-align:right}td.t{white-space:nowrap}
thead th{position:sticky;top:0;background:#f6f6f6;cursor:pointer;user-select:none;white-space:nowrap}
thead th[aria-sort=ascending]::after{content:" \\25B2"}thead th[aria-sort=descending]::after{content:" \\25BC"}
.flags{color:#b34d00}
ul.sample{margin:4px 0 12px}
svg text{font:12px system-ui,sans-serif;fill:#333}
.controls{margin:8px 0}
"""

SCRIPT = """
(function () {
  function key(row, index, kind) {
    var cell = row.cells[index];
    var value = cell.getAttribute("data-v");
    if (kind === "num") { return value === null ? Number(cell.textContent) : Number(value); }
    return (value === null ? cell.textContent : value).toLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (head, index) {
      head.addEventListener("click", function () {
        var body = table.tBodies[0];
        var ascending = head.getAttribute("aria-sort") !== "ascending";
        var kind = head.getAttribute("data-kind");
        var rows = Array.prototype.slice.call(body.rows);
        var keyed = rows.map(function (row, position) { return [key(row, index, kind), position, row]; });
        keyed.sort(function (a, b) {
          if (a[0] < b[0]) { return ascending ? -1 : 1; }
          if (a[0] > b[0]) { return ascending ? 1 : -1; }
          return a[1] - b[1];
        });
        var fragment = document.createDocumentFragment();
        keyed.forEach(function (entry) { fragment.appendChild(entry[2]); });
        body.appendChild(fragment);
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        head.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  });
  var filter = document.getElementById("filter");
  var shown = document.getElementById("shown");
  function applyFilter() {
    var wanted = filter.value, count = 0;
    var rows = document.getElementById("users").tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      var flags = " " + rows[i].getAttribute("data-flags") + " ";
      var visible = wanted === "" || (wanted === "*" ? flags.trim() !== "" : flags.indexOf(" " + wanted + " ") >= 0);
      rows[i].hidden = !visible;
      count += visible ? 1 : 0;
    }
    shown.textContent = count + " shown";
  }
  filter.addEventListener("change", applyFilter);
  document.querySelectorAll("button[data-flag]").forEach(function (button) {
    button.addEventListener("click", function () {
      filter.value = button.getAttribute("data-flag");
      applyFilter();
      document.getElementById("table").scrollIntoView();
    });
  });
})();
"""

# The table's columns: the CSV's but the id; how each sorts.
TABLE_COLUMNS = CSV_COLUMNS[:8]
COLUMN_KINDS = ("text", "text", "text", "text", "num", "num", "num", "text")
# The chart's bars: the seat, its noun and its colour.
CHART_COLOURS = (("access_seat", "Access seat", "#f38020"), ("gateway_seat", "Gateway seat", "#2c6fbb"))


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _csp_hash(text):
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _e(value):
    """A value as HTML text: secrets masked first (escaping could hide them from the mask), then escaped."""
    return html.escape(masked(api_text(value)), quote=True)


def _words(value):
    """A value from the API inside the page's own words: escaped and isolated (``<bdi>``), so that its
    right-to-left marks or overrides cannot turn the text around it."""
    return "<bdi>%s</bdi>" % _e(value)


def readable_time(when):
    """``3 Dec 2026, 12:00 UTC``: an aware datetime as people read it, the same on every host."""
    when = when.astimezone(UTC)
    return "%d %s %d, %02d:%02d UTC" % (when.day, MONTHS[when.month - 1], when.year, when.hour, when.minute)


def _time_words(value, empty=""):
    """An API time for the page: readable; ``empty`` for none; the API's text, isolated, when it is not a time."""
    if value in (None, ""):
        return _e(empty)
    when = parse_time(value)
    return _words(value) if when is None else _e(readable_time(when))


def _count_words(number, noun, plural=None):
    """``<b>1</b>user``: a card's number and its noun, in the right number."""
    return "<b>%s</b>%s" % ("{:,}".format(number), _e(counted(number, noun, plural).split(" ", 1)[1]))


def write_html(out, report):
    """The page: counts, the chart, the flagged users and the full table, sortable and filterable."""
    summary = report.summary
    title = "Zero Trust seat report"
    policy = ("default-src 'none'; style-src %s; script-src %s; img-src 'none'; base-uri 'none'; form-action 'none'"
              % (_csp_hash(STYLE), _csp_hash(SCRIPT)))
    out.write('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
              '<meta http-equiv="Content-Security-Policy" content="%s">\n'
              '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
              '<title>%s</title><style>%s</style></head><body>\n' % (_e(policy), _e(title), STYLE))
    out.write('<h1>%s</h1><p class="meta">Account %s &middot; %s &middot; read %s &middot; inactive means '
              'last active before %s (%s)</p>\n' % (
                  _e(title), _words(report.account_id), _e(counted(summary["users"], "user")),
                  _e(readable_time(report.now)), _e(readable_time(report.cutoff)), _e(counted(report.days, "day"))))
    out.write('<section id="counts"><h2>Seats</h2><div class="cards">')
    cards = [(summary["users"], "user", None), (summary["access_seat"], "Access seat", None),
             (summary["gateway_seat"], "Gateway seat", None), (summary["both_seats"], "with both seats", "with both seats"),
             (summary["no_seat"], "with no seat", "with no seat"),
             (summary["never_logged_in"], "never logged in", "never logged in")]
    if summary["unknown_seat"]:
        cards.append((summary["unknown_seat"], "with a seat the API gave as neither true nor false",
                      "with a seat the API gave as neither true nor false"))
    for number, noun, plural in cards:
        out.write('<div class="card">%s</div>' % _count_words(number, noun, plural))
    out.write("</div></section>\n")
    _write_chart(out, report.ages)
    _write_flagged(out, report)
    _write_table(out, report)
    out.write("<script>%s</script></body></html>\n" % SCRIPT)


def _write_chart(out, ages):
    """Access and Gateway seats per last-login age, as grouped bars in inline SVG."""
    width, height, left, bottom, top = 760, 300, 50, 50, 20
    highest = max([entry[seat] for entry in ages for seat, _label, _colour in CHART_COLOURS] + [1])
    step = -(-highest // 4)  # four whole-number steps up to the highest bar or just above it
    scale = (height - bottom - top) / float(step * 4)
    slot = (width - left - 10) / float(len(ages))
    bar_width = min(36.0, slot / 3.0)
    parts = ['<svg id="chart" role="img" aria-labelledby="chart-title" width="%d" height="%d" viewBox="0 0 %d %d">'
             % (width, height, width, height),
             '<title id="chart-title">Seats by last-login age</title>',
             '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>' % (left, height - bottom, width - 10, height - bottom)]
    for tick in range(5):
        y = height - bottom - step * tick * scale
        parts.append('<text x="%d" y="%.1f" text-anchor="end">%s</text><line x1="%d" y1="%.1f" x2="%d" y2="%.1f" '
                     'stroke="#eee"/>' % (left - 6, y + 4, "{:,}".format(step * tick), left, y, width - 10, y))
    for index, entry in enumerate(ages):
        x = left + slot * index + (slot - 2 * bar_width) / 2.0
        for offset, (seat, noun, colour) in enumerate(CHART_COLOURS):
            value = entry[seat]
            bar_height = value * scale
            parts.append('<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s'
                         '</title></rect>' % (x + offset * bar_width, height - bottom - bar_height, bar_width, bar_height, colour,
                                              _e(entry["age"]), _e(counted(value, noun))))
            parts.append('<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>'
                         % (x + offset * bar_width + bar_width / 2.0, height - bottom - bar_height - 4, "{:,}".format(value)))
        parts.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                     % (left + slot * index + slot / 2.0, height - bottom + 18, _e(entry["age"])))
    for offset, (_seat, noun, colour) in enumerate(CHART_COLOURS):
        parts.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d">%s</text>'
                     % (left + offset * 140, height - 16, colour, left + offset * 140 + 18, height - 6, _e(noun + "s")))
    parts.append("</svg>")
    out.write('<section><h2>Seats by last-login age</h2>%s</section>\n' % "".join(parts))


def _write_flagged(out, report):
    out.write('<section id="flagged"><h2>%s</h2><div class="cards">' % _e(counted(report.flagged_users, "flagged user")))
    for flag, words, _meaning in report.flag_texts():
        out.write('<div class="card flag"><b>%s</b>%s</div>' % ("{:,}".format(report.flag_counts[flag]), _e(words)))
    out.write("</div>")
    for flag, words, meaning in report.flag_texts():
        count = report.flag_counts[flag]
        if not count:
            continue
        shown = len(report.samples[flag])
        out.write('<h3>%s: %s <button type="button" data-flag="%s">%s</button></h3><p>%s</p><ul class="sample">' % (
            _e(words), _e(counted(count, "user")), _e(flag),
            _e("show it in the table" if count == 1 else "show all %s in the table" % "{:,}".format(count)),
            _e("Flagged when the user %s." % meaning)))
        for user in report.samples[flag]:
            out.write("<li>%s (%s), last login %s</li>" % (
                _words(user.get("email")), _words(user.get("name")),
                _time_words(user.get("last_successful_login"), "never")))
        if count > shown:
            out.write("<li>%s</li>" % _e("and %s more" % "{:,}".format(count - shown)))
        out.write("</ul>")
    out.write("</section>\n")


def _write_table(out, report):
    out.write('<section id="table"><h2>Every user</h2><div class="controls"><label>Show <select id="filter">'
              '<option value="">every user</option><option value="*">flagged users</option>')
    for flag, words, _meaning in report.flag_texts():
        out.write('<option value="%s">%s</option>' % (_e(flag), _e(words)))
    out.write('</select></label> <span id="shown">%d shown</span>. Click a column header to sort.</div>'
              % len(report.users))
    out.write('<table id="users" class="sortable"><thead><tr>')
    for column, kind in zip(TABLE_COLUMNS, COLUMN_KINDS):
        out.write('<th scope="col" data-kind="%s">%s</th>' % (kind, _e(column)))
    out.write("</tr></thead><tbody>\n")
    for user, flags in zip(report.users, report.flags):
        cells = user_cells(user)
        out.write('<tr data-flags="%s"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class="n">%s</td>'
                  '<td class="t" data-v="%s">%s</td><td class="t" data-v="%s">%s</td><td class="flags">%s</td></tr>\n' % (
                      _e(" ".join(flags)), _words(cells[0]), _words(cells[1]), cells[2], cells[3], _words(cells[4]),
                      _sort_time(user.get("last_successful_login")),
                      _time_words(user.get("last_successful_login"), "never"),
                      _sort_time(user.get("created_at")), _time_words(user.get("created_at")),
                      _e(", ".join(FLAG_WORDS[flag] for flag in flags))))
    out.write("</tbody></table></section>\n")


def _sort_time(value):
    """Seconds since the epoch for sorting; -1 for no time or an unreadable one (they sort first)."""
    when = parse_time(value)
    return "-1" if when is None else "%d" % when.timestamp()
