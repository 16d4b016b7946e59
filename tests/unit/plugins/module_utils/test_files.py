# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_files.py: the one writer of every file the collection writes: whole or not at all, private, secrets masked,
CSV cells inert, and a record of an earlier run never replaced."""

from __future__ import annotations

import csv
import datetime
import errno
import os
import stat

import pytest

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils import _files
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._secrets import register_secret
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._files import (
    FileWriteError,
    csv_file,
    inert,
    record_names,
    text_file,
    write_files,
    write_record,
)

WHEN = datetime.datetime(2026, 12, 7, 19, 12, 0, tzinfo=datetime.timezone.utc)
SECRET = "files-test-s3cret-token-0123456789abcdef"


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def failing_write(handle):
    handle.write("the first half of a page")
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("cell, shown", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tTab", "'\tTab"),
    ("\rCR", "'\rCR"), ("\nLF", "'\nLF"), ("\x00=1+1", "'\x00=1+1"), ("\x1b[31m", "'\x1b[31m"), ("\x7f=1", "'\x7f=1"),
    ("\x85=1", "'\x85=1"), ("Ada", "Ada"), ("a=b", "a=b"), ("", ""), ("Zoë", "Zoë"),
])
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_quote(cell, shown):
    assert inert(cell) == shown


def test_a_csv_file_masks_every_registered_secret_in_its_cells(tmp_path):
    register_secret(SECRET)
    path = str(tmp_path / "out.csv")
    write_files([csv_file(path, ("a", "b"), [['x"%s"y' % SECRET, "=" + SECRET], ["fine", "fine"]])])
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    assert SECRET not in text
    assert read_rows(path) == [["a", "b"], ['x"********"y', "'=********"], ["fine", "fine"]]


def test_a_text_file_masks_every_registered_secret_it_is_given(tmp_path):
    register_secret(SECRET)
    path = str(tmp_path / "page.html")
    write_files([text_file(path, lambda handle: handle.write("<p>%s</p>" % SECRET))])
    with open(path, encoding="utf-8") as handle:
        assert handle.read() == "<p>********</p>"


def test_files_written_together_are_private_and_replace_earlier_ones_whole(tmp_path):
    directory = tmp_path / "new" / "reports"
    paths = [str(directory / "a.csv"), str(directory / "b.html")]
    write_files([csv_file(paths[0], ("x",), [["old"]]), text_file(paths[1], lambda handle: handle.write("old"))])
    assert write_files([csv_file(paths[0], ("x",), [["new"]]),
                        text_file(paths[1], lambda handle: handle.write("new"))]) == paths
    assert read_rows(paths[0]) == [["x"], ["new"]]
    assert open(paths[1], encoding="utf-8").read() == "new"
    assert sorted(os.listdir(str(directory))) == ["a.csv", "b.html"]  # no temporary file left
    for path in paths:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) & 0o077 == 0


def test_a_failed_write_leaves_no_half_file_keeps_the_earlier_files_and_names_the_file(tmp_path):
    csv_path, html_path = str(tmp_path / "r.csv"), str(tmp_path / "r.html")
    write_files([csv_file(csv_path, ("x",), [["old"]]), text_file(html_path, lambda handle: handle.write("old"))])
    with pytest.raises(FileWriteError) as caught:
        write_files([csv_file(csv_path, ("x",), [["new"]]), text_file(html_path, failing_write)])
    assert str(caught.value) == "cannot write %s: No space left on device" % html_path
    assert read_rows(csv_path) == [["x"], ["old"]]  # the CSV file is not put in place without its page
    assert open(html_path, encoding="utf-8").read() == "old"
    assert sorted(os.listdir(str(tmp_path))) == ["r.csv", "r.html"]


def test_a_failed_record_leaves_no_file_at_all(tmp_path):
    path = str(tmp_path / "run.csv")
    with pytest.raises(FileWriteError, match="^cannot write %s: No space left on device$" % path):
        write_record(text_file(path, failing_write))
    assert os.listdir(str(tmp_path)) == []


def test_a_record_never_replaces_a_file(tmp_path):
    path = tmp_path / "run.csv"
    path.write_text("the record of an earlier run")
    with pytest.raises(FileWriteError) as caught:
        write_record(csv_file(str(path), ("x",), [["new"]]))
    assert str(caught.value) == ("cannot write %s: a file of that name exists, and the record of an earlier run is "
                                 "never replaced" % path)
    assert path.read_text() == "the record of an earlier run"
    assert os.listdir(str(tmp_path)) == ["run.csv"]


def test_a_record_takes_the_first_free_name_of_a_run(tmp_path):
    names = record_names(str(tmp_path), "reclaim_seats", WHEN, ".csv")
    assert [os.path.basename(name) for name in names[:3]] == [
        "reclaim_seats-20261207T191200Z.csv", "reclaim_seats-20261207T191200Z-2.csv", "reclaim_seats-20261207T191200Z-3.csv"]
    first = write_record(csv_file(names[0], ("x",), [["first"]]), names[1:])
    second = write_record(csv_file(names[0], ("x",), [["second"]]), names[1:])
    assert (first, second) == (names[0], names[1])
    assert read_rows(first) == [["x"], ["first"]] and read_rows(second) == [["x"], ["second"]]


def test_a_record_name_is_the_runs_time_in_utc_whatever_the_zone_it_is_given_in(tmp_path):
    when = WHEN.astimezone(datetime.timezone(datetime.timedelta(hours=-12)))
    assert os.path.basename(record_names(str(tmp_path), "offboard", when, ".csv")[0]) == "offboard-20261207T191200Z.csv"


def test_a_record_is_put_in_place_where_the_file_system_has_no_hard_links(tmp_path, monkeypatch):
    def no_links(_source, _target):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(_files.os, "link", no_links)
    taken = tmp_path / "run.csv"
    taken.write_text("earlier")
    path = write_record(csv_file(str(taken), ("x",), [["new"]]), [str(tmp_path / "run-2.csv")])
    assert path == str(tmp_path / "run-2.csv") and read_rows(path) == [["x"], ["new"]]
    assert taken.read_text() == "earlier"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sorted(os.listdir(str(tmp_path))) == ["run-2.csv", "run.csv"]
