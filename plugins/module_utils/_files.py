# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Every file the collection writes, through one writer: whole or not at all, private, with no secret in it.

A file is first written to a temporary file in its own directory (mode 0600: the files name people), flushed to
disk, and only then put in place, so a failed run leaves no half file; files written together are all put in
place or none is. A report (a snapshot of the account) replaces the one before it; a record of what a run did is
never replaced: each run's record gets a name of its own, with the run's UTC time. Every text written has the
secrets this process sends masked (see ``_secrets.py``), as every error has: a server that echoes
a token inside a user's fields does not get it into a file.
"""

from __future__ import annotations

import csv
import datetime
import errno
import itertools
import os
import tempfile
import unicodedata
from collections import namedtuple

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._secrets import (
    MaskingHandle,
    masked,
)

# ``reclaim_seats-20261207T191200Z.csv``: sorts by time, and holds no character a file system or a shell minds.
RECORD_TIME_FORMAT = "%Y%m%dT%H%M%SZ"
# Runs that start within the same second get ``-2``, ``-3``... after the time; past this many, something is wrong.
MAX_RECORDS_PER_SECOND = 100
UTC = datetime.timezone.utc
# A cell a spreadsheet would run as a formula starts with one of these (OWASP, "CSV injection"), or with a control
# character (NUL, tab, carriage return, ...) that a spreadsheet may drop before it reads the rest as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
# Hard links put a file in place without ever replacing one; where the file system has none, an exclusive create.
_NO_LINKS = (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS, errno.EACCES)

# One file to write: its path, ``write(handle)`` writing its text, and how the text is encoded.
TextFile = namedtuple("TextFile", "path write encoding newline")


class FileWriteError(CloudflareError):
    """A file that could not be written, naming it; nothing of it was left behind."""

    def __init__(self, path, reason):
        self.path = path
        super().__init__("cannot write %s: %s" % (path, reason))


def record_names(directory, name, when, extension):
    """The names a record of a run at ``when`` (an aware UTC datetime) may take, first choice first:
    ``reclaim_seats-20261207T191200Z.csv``, then ``reclaim_seats-20261207T191200Z-2.csv``..."""
    stem = os.path.join(directory, "%s-%s" % (name, when.astimezone(UTC).strftime(RECORD_TIME_FORMAT)))
    return [stem + extension] + ["%s-%d%s" % (stem, number, extension) for number in range(2, MAX_RECORDS_PER_SECOND + 1)]


def csv_file(path, columns, rows):
    """A CSV file: UTF-8 with a byte order mark (so spreadsheets read any script); every cell masked and inert."""
    def write(handle):
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([inert(masked(cell)) for cell in row])
    return TextFile(path, write, "utf-8-sig", "")


def text_file(path, write):
    """A UTF-8 text file (the HTML page) whose text ``write(handle)`` writes."""
    return TextFile(path, write, "utf-8", None)


def inert(cell):
    """A CSV cell as a spreadsheet shows it, never runs it: a leading ``'`` before a formula's first character."""
    if isinstance(cell, str) and cell and (cell.startswith(FORMULA_STARTS) or unicodedata.category(cell[0]) == "Cc"):
        return "'" + cell
    return cell


def write_files(files):
    """Write ``files`` (TextFile) whole, replacing files of the same names; their paths. For reports, which are
    snapshots: every file is written before the first is put in place, so a failure leaves the earlier ones."""
    staged = []
    try:
        for file in files:
            staged.append((file.path, _stage(file)))
        for path, temporary in staged:
            _replace(temporary, path)
    finally:
        _remove_left_over(temporary for _path, temporary in staged)
    return [file.path for file in files]


def write_record(file, other_names=()):
    """Write ``file`` whole as a new file, never replacing one: under ``file.path`` or, when a file has that
    name, the first of ``other_names`` that none has (FileWriteError when none is free); the path written.

    Putting it in place and finding its name free are one step (a hard link, or an exclusive create), so two
    runs at the same time never take the same name.
    """
    temporary = _stage(file)
    try:
        for path in itertools.chain([file.path], other_names):
            if _put_in_place_unless_taken(temporary, path):
                return path
    finally:
        _remove_left_over([temporary])
    raise FileWriteError(file.path, "a file of that name exists, and the record of an earlier run is never replaced")


def _stage(file):
    """Write ``file`` to a new temporary file in its directory (created, mode 0700, when missing); its path."""
    directory = os.path.dirname(file.path) or "."
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".tmp-", dir=directory)  # mode 0600
    except OSError as exc:
        raise FileWriteError(file.path, _reason(exc))
    try:
        with os.fdopen(descriptor, "w", newline=file.newline, encoding=file.encoding) as handle:
            file.write(MaskingHandle(handle))
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        _remove_left_over([temporary])
        raise FileWriteError(file.path, _reason(exc))
    except BaseException:
        _remove_left_over([temporary])
        raise
    return temporary


def _replace(temporary, path):
    try:
        os.replace(temporary, path)
    except OSError as exc:
        raise FileWriteError(path, _reason(exc))


def _put_in_place_unless_taken(temporary, path):
    """Give the staged ``temporary`` the name ``path`` unless a file has it: True once done, False when taken."""
    try:
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise FileWriteError(path, _reason(exc))
    try:  # no hard links here: take the name with an exclusive create, then move the whole file onto it
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    except OSError as exc:
        raise FileWriteError(path, _reason(exc))
    try:
        os.replace(temporary, path)
    except OSError as exc:
        os.unlink(path)
        raise FileWriteError(path, _reason(exc))
    return True


def _remove_left_over(temporaries):
    for temporary in temporaries:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass  # moved into place


def _reason(exc):
    return exc.strerror or str(exc)
