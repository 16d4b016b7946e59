# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_seat_report.py: the flags, the age buckets, and the CSV and HTML files, hostile values included."""

from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import html.parser
import os
import re
import stat

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._secrets import register_secret
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._seat_report import (
    CSV_COLUMNS,
    SCRIPT,
    STYLE,
    SeatReport,
    age_bucket,
    readable_time,
    user_flags,
)
from ansible_collections.cloudflare_community.zero_trust.tests.support import local_api
from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import seeded
from ansible_collections.cloudflare_community.zero_trust.tests.support.seat_users import NOW, user

CUTOFF = NOW - datetime.timedelta(days=90)
HOSTILE_NAME = '<script>alert(1)</script><img src="https://evil.example/x.png" onerror="alert(2)">'


@pytest.mark.parametrize("fields, flags", [
    (dict(), []),
    (dict(login="2026-01-01T00:00:00Z"), ["inactive"]),
    (dict(login=None, devices=0, created="2020-01-01T00:00:00Z"), ["inactive", "never_logged_in"]),
    (dict(login=None, devices=0, created="2026-12-01T00:00:00Z"), ["never_logged_in"]),
    (dict(devices=0), ["no_device"]),
    (dict(devices=0, access_seat=True, gateway_seat=False), []),
    (dict(login="2025-01-01T00:00:00Z", devices=0), ["inactive", "no_device"]),
    (dict(login="yesterday"), ["unknown_time"]),
    (dict(login=None, created=None), ["never_logged_in", "unknown_time"]),
    (dict(login="2020-01-01T00:00:00Z", access_seat=False, gateway_seat=False), []),
    # Only true holds a seat: any other value is unknown, flagged as such, never taken for a seat held.
    (dict(login="2020-01-01T00:00:00Z", access_seat="yes", gateway_seat=1), ["unknown_seat"]),
    (dict(login="2020-01-01T00:00:00Z", access_seat=True, gateway_seat=None), ["inactive", "unknown_seat"]),
    (dict(login="2020-01-01T00:00:00Z", access_seat="no", gateway_seat=False), ["unknown_seat"]),
])
def test_flags_of_a_user(fields, flags):
    assert user_flags(user("u", **fields), CUTOFF) == flags


@pytest.mark.parametrize("login, bucket", [
    ("2026-12-03T11:00:00Z", "under 7 days"), ("2026-11-20T00:00:00Z", "7-30 days"), ("2026-10-01T00:00:00Z", "30-90 days"),
    ("2026-08-01T00:00:00Z", "90-180 days"), ("2026-03-01T00:00:00Z", "180-365 days"), ("2020-01-01T00:00:00Z", "over a year"),
    (None, "never logged in"), ("soon", "unreadable time"), ("2027-01-01T00:00:00Z", "under 7 days"),
])
def test_age_bucket_of_a_last_login(login, bucket):
    assert age_bucket(user("u", login=login), NOW) == bucket


def test_counts_flags_samples_and_ages_in_one_pass():
    users = [user("c", login="2020-01-01T00:00:00Z"), user("a", login=None, devices=0), user("b"),
             user("d", access_seat=False, gateway_seat=False, login=None)]
    report = SeatReport(users, 90, NOW, sample_size=1)
    assert [row[0] for row in report.csv_rows()] == ["a@example.com", "b@example.com", "c@example.com", "d@example.com"]
    assert report.summary == dict(users=4, access_seat=3, gateway_seat=3, both_seats=3, no_seat=1, unknown_seat=0,
                                  never_logged_in=2)
    assert report.flag_counts == dict(inactive=2, never_logged_in=1, no_device=0, unknown_time=0, unknown_seat=0)
    assert report.flagged()["inactive"] == dict(count=2, users=[users[1]])  # the first by email
    assert report.flagged_users == 2
    ages = {entry["age"]: entry for entry in report.ages}
    assert ages["never logged in"] == dict(age="never logged in", users=2, access_seat=1, gateway_seat=1)
    assert ages["over a year"]["users"] == 1 and "unreadable time" not in ages


def test_the_csv_file_parses_with_the_users_as_the_api_gave_them(tmp_path):
    users = seeded.users(25)
    csv_path, _html_path = SeatReport(users, 90, NOW).write(str(tmp_path))
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(CSV_COLUMNS)
    by_id = {row["id"]: row for row in rows}
    assert len(rows) == len(by_id) == 25
    for api_user in users:
        row = by_id[api_user["id"]]
        assert row["email"] == api_user["email"] and row["name"] == api_user["name"]
        seats = tuple("yes" if api_user[seat] else "no" for seat in ("access_seat", "gateway_seat"))
        assert (row["access seat"], row["gateway seat"]) == seats
        assert row["devices"] == str(api_user["active_device_count"])
        assert row["last login"] == (api_user["last_successful_login"] or "")
        assert row["created"] == api_user["created_at"]
        assert row["flags"].split() == user_flags(api_user, CUTOFF)


def test_a_csv_cell_a_spreadsheet_would_run_is_made_inert(tmp_path):
    users = [user("u", name='=HYPERLINK("https://evil.example","click")'), user("v", name="-2+3"),
             user("w", name="@SUM(A1)"), user("x", name="\tTab"), user("y", name="Ada, \"the\" first\nline two"),
             user("z", name="Zoë Ñandú 李")]
    csv_path, _html = SeatReport(users, 90, NOW).write(str(tmp_path))
    with open(csv_path, "rb") as handle:
        assert handle.read(3) == b"\xef\xbb\xbf"  # a byte order mark: spreadsheets then read UTF-8
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert names == ["'=HYPERLINK(\"https://evil.example\",\"click\")", "'-2+3", "'@SUM(A1)", "'\tTab",
                     "Ada, \"the\" first\nline two", "Zoë Ñandú 李"]


def test_the_files_are_private_and_replace_the_old_ones_whole(tmp_path):
    directory = tmp_path / "new" / "reports"
    (tmp_path / "new").mkdir()
    SeatReport([user("a")], 90, NOW).write(str(directory))
    csv_path, html_path = SeatReport([user("b")], 90, NOW).write(str(directory))
    assert sorted(os.listdir(str(directory))) == ["seat_report.csv", "seat_report.html"]  # no temporary file left
    assert "b@example.com" in open(csv_path, encoding="utf-8-sig").read()
    assert "a@example.com" not in open(html_path, encoding="utf-8").read()
    for path in (csv_path, html_path):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) & 0o077 == 0


class _Page(html.parser.HTMLParser):
    """What a browser would see: elements, attributes and text; the cards of each section and the full table's
    cells as text; and the text inside and outside ``<bdi>`` isolates."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []
        self.inside_bdi, self.outside_bdi = [], []
        self._cards, self._rows = {}, []
        self._section = self._card = self._cell = None
        self._bdi = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "section":
            self._section = attrs.get("id")
        elif tag == "div" and attrs.get("class") in ("card", "card flag"):
            self._card = []
            self._cards.setdefault(self._section, []).append(self._card)
        elif tag == "tr" and "data-flags" in attrs:
            self._rows.append([])
        elif tag == "td" and self._rows:
            self._cell = []
            self._rows[-1].append(self._cell)
        elif tag == "bdi":
            self._bdi += 1

    def handle_endtag(self, tag):
        if tag == "div":
            self._card = None
        elif tag == "td":
            self._cell = None
        elif tag == "bdi":
            self._bdi -= 1

    def handle_data(self, data):
        self.text.append(data)
        (self.inside_bdi if self._bdi else self.outside_bdi).append(data)
        for collected in (self._card, self._cell):
            if collected is not None:
                collected.append(data)

    def cards(self, section):
        """The cards of a section, as ``5 users``."""
        return [" ".join(card) for card in self._cards.get(section, [])]

    def rows(self):
        """The full table's rows, each cell's text."""
        return [["".join(cell) for cell in row] for row in self._rows]

    def data_flags(self):
        return [attrs["data-flags"] for tag, attrs in self.tags if tag == "tr" and "data-flags" in attrs]


def _page_of(html_path):
    with open(html_path, encoding="utf-8") as handle:
        source = handle.read()
    page = _Page()
    page.feed(source)
    return source, page


def _page(tmp_path, users):
    _csv, html_path = SeatReport(users, 90, NOW, account_id=local_api.ACCOUNT_ID).write(str(tmp_path))
    return _page_of(html_path)


def test_every_value_from_the_api_is_escaped_in_the_page(tmp_path):
    hostile = user("evil", name=HOSTILE_NAME, email='x"><script>alert(3)</script>@example.com',
                   last_successful_login="<u>2026</u>", active_device_count="<i>2</i>", created_at="<s>x</s>")
    source, page = _page(tmp_path, [hostile, user("fine")])
    assert [tag for tag, _attrs in page.tags].count("script") == 1  # ours, at the end
    assert not [tag for tag, _attrs in page.tags if tag in ("img", "u", "i", "s", "iframe", "object", "link")]
    assert not [attrs for _tag, attrs in page.tags if any(name.startswith("on") for name in attrs)]
    assert HOSTILE_NAME in "".join(page.text)  # shown as text
    assert "alert(1)" not in source.split("<script>")[-1]


def test_the_page_loads_nothing_and_allows_only_its_own_style_and_script(tmp_path):
    source, page = _page(tmp_path, seeded.users(25))
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "action", "data", "poster", "xlink:href"):
            assert name not in attrs, (tag, attrs)
    assert not re.search(r"url\(|@import|https?://", STYLE + SCRIPT)
    policy = next(attrs["content"] for tag, attrs in page.tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert policy.startswith("default-src 'none'; ")
    for text, directive in ((STYLE, "style-src"), (SCRIPT, "script-src")):
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert "%s 'sha256-%s'" % (directive, digest) in policy
    assert "<style>%s</style>" % STYLE in source and "<script>%s</script>" % SCRIPT in source


def test_the_page_has_the_counts_the_chart_the_flagged_users_and_every_user(tmp_path):
    users = seeded.users(25)
    _source, page = _page(tmp_path, users)
    ids = [attrs.get("id") for _tag, attrs in page.tags]
    assert {"counts", "chart", "flagged", "users", "filter"} <= set(ids)
    rows = [attrs for tag, attrs in page.tags if tag == "tr" and "data-flags" in attrs]
    assert len(rows) == 25
    bars = [attrs for tag, attrs in page.tags if tag == "rect" and attrs.get("class") == "bar"]
    report = SeatReport(users, 90, NOW)
    assert len(bars) == 2 * len(report.ages)
    assert sum(float(rect["height"]) > 0 for rect in bars) == sum(
        (entry["access_seat"] > 0) + (entry["gateway_seat"] > 0) for entry in report.ages)


def test_a_seat_value_that_is_not_a_boolean_is_unknown_in_every_count_flag_and_file(tmp_path):
    users = [user("a"), user("b", access_seat="no", gateway_seat=False), user("c", access_seat=1, gateway_seat=True),
             user("d", access_seat=None, gateway_seat=None), user("e", access_seat=False, gateway_seat=False)]
    report = SeatReport(users, 90, NOW)
    # One reading of a seat: counted only when the API says true; neither held nor free otherwise.
    assert report.summary == dict(users=5, access_seat=1, gateway_seat=2, both_seats=1, no_seat=1, unknown_seat=3,
                                  never_logged_in=0)
    assert report.flag_counts["unknown_seat"] == 3
    assert [user["id"] for user in report.flagged()["unknown_seat"]["users"]] == ["b", "c", "d"]
    csv_path, html_path = report.write(str(tmp_path))
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        rows = {row["id"]: (row["access seat"], row["gateway seat"], row["flags"]) for row in csv.DictReader(handle)}
    assert rows == {"a": ("yes", "yes", ""), "b": ("unknown", "no", "unknown_seat"), "c": ("unknown", "yes", "unknown_seat"),
                    "d": ("unknown", "unknown", "unknown_seat"), "e": ("no", "no", "")}
    _source, page = _page_of(html_path)
    cells = page.rows()
    assert [row[2:4] for row in cells] == [["yes", "yes"], ["unknown", "no"], ["unknown", "yes"], ["unknown", "unknown"],
                                           ["no", "no"]]
    assert [row[7] for row in cells] == ["", "unknown seat", "unknown seat", "unknown seat", ""]
    counts = page.cards("counts")
    assert counts[:6] == ["5 users", "1 Access seat", "2 Gateway seats", "1 with both seats", "1 with no seat",
                          "0 never logged in"]
    assert "3 with a seat the API gave as neither true nor false" in counts
    assert "3 unknown seat" in page.cards("flagged")
    assert page.data_flags() == ["", "unknown_seat", "unknown_seat", "unknown_seat", ""]


def test_the_page_shows_words_plurals_and_readable_times_not_identifiers(tmp_path):
    users = [user("a", login=None, devices=0, created="2020-01-01T00:00:00Z"),
             user("b", login="2026-12-01T09:05:00Z", devices=0, access_seat=False)]
    report = SeatReport(users, 1, NOW, account_id=local_api.ACCOUNT_ID)
    _csv, html_path = report.write(str(tmp_path))
    source, page = _page_of(html_path)
    text = " ".join(" ".join(page.text).split())
    for identifier in ("never_logged_in", "no_device", "unknown_time", "unknown_seat", "T09:05:00Z", "T12:00:00Z"):
        assert identifier not in text, identifier
    assert "2 users" in text and "read 3 Dec 2026, 12:00 UTC" in text
    assert "last active before 2 Dec 2026, 12:00 UTC (1 day)" in text
    assert "more than 1 day ago" in text and "1 days" not in text
    assert page.cards("counts")[:3] == ["2 users", "1 Access seat", "2 Gateway seats"]
    assert page.cards("flagged") == ["2 inactive", "1 never logged in", "1 no WARP device", "0 unreadable time",
                                     "0 unknown seat"]
    assert "2 flagged users" in text and "inactive: 2 users" in text and "never logged in: 1 user" in text
    assert "show it in the table" in text and "show all 2 in the table" in text
    assert "Access seat: 1 Access seat" not in text and "1 Access seats" not in text
    assert [row[5:8] for row in page.rows()] == [["never", "1 Jan 2020, 00:00 UTC", "inactive, never logged in"],
                                                 ["1 Dec 2026, 09:05 UTC", "1 Jan 2020, 00:00 UTC", "inactive, no WARP device"]]
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', source)
    assert options[2:] == [("inactive", "inactive"), ("never_logged_in", "never logged in"),
                           ("no_device", "no WARP device"), ("unknown_time", "unreadable time"),
                           ("unknown_seat", "unknown seat")]  # the filter's values stay the CSV's flags


def test_a_readable_time_is_the_same_in_every_zone():
    assert readable_time(datetime.datetime(2026, 6, 30, 17, 20, tzinfo=datetime.timezone(datetime.timedelta(hours=-12)))) \
        == "1 Jul 2026, 05:20 UTC"


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidirectional_text_controls_in_names_are_isolated_in_the_page(tmp_path):
    users = [user("a", name="\u202eevil\u202c", email="\u2067x@example.com"),
             user("b", name="\u202egnp.exe", login=None, created="2020-01-01T00:00:00Z", devices=0, gateway_seat=False)]
    _csv, html_path = SeatReport(users, 90, NOW).write(str(tmp_path))
    source, page = _page_of(html_path)
    assert not [char for char in "".join(page.outside_bdi) if char in BIDI_CONTROLS]
    assert any(char in "".join(page.inside_bdi) for char in BIDI_CONTROLS)  # shown, in its own isolate
    assert "<li><bdi>\u202egnp.exe</bdi>" not in source  # the sample's email, then its name, each isolated
    assert "(<bdi>\u202egnp.exe</bdi>), last login never" in source


def test_a_registered_secret_echoed_in_a_users_fields_is_masked_in_both_files(tmp_path):
    secret = "seat-report-echoed-token-0123456789"
    register_secret(secret)
    users = [user("a", name="Ada " + secret, email=secret + "@example.com", last_successful_login=secret)]
    csv_path, html_path = SeatReport(users, 90, NOW, account_id=secret).write(str(tmp_path))
    for path in (csv_path, html_path):
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
        assert secret not in text and "********" in text, path
