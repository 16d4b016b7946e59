# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Render docs/docsite/rst/fault_matrix.rst from the fault matrix the integration tests run.

    python tests/support/fault_matrix_doc.py          # rewrite the page
    python tests/support/fault_matrix_doc.py --check  # exit 1 if the page is out of date

The unit test tests/unit/repository/test_fault_matrix_doc.py runs the check, so the page cannot drift from the tests.
"""

from __future__ import annotations

import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MATRIX = os.path.join(ROOT, "tests", "integration", "targets", "cf_fault_matrix", "vars", "main.yml")
INCIDENT_MATRIX = os.path.join(ROOT, "tests", "integration", "targets", "cf_fault_matrix", "vars", "incident.yml")
PROPERTIES = os.path.join(ROOT, "tests", "unit", "plugins", "modules", "cf_access_user_info",
                          "test_user_info_bad_input_properties.py")
PAGE = os.path.join(ROOT, "docs", "docsite", "rst", "fault_matrix.rst")

HEADER = """.. _ansible_collections.cloudflare_community.zero_trust.docsite.fault_matrix:

Fault matrix
============

What :ansplugin:`cloudflare_community.zero_trust.cf_access_user_info#module` does when Cloudflare's API,
or the network in between, misbehaves, and what :ansplugin:`cloudflare_community.zero_trust.cf_access_user#module`
and :ansplugin:`cloudflare_community.zero_trust.cf_access_seat#module` do when the API does a write and then
loses, garbles or contradicts its answer. The integration target ``cf_fault_matrix`` switches each fault on
in the local Cloudflare-like API and runs the module once; every row below is one of its test cases
(``tests/integration/targets/cf_fault_matrix/vars/main.yml``), and this page is generated from them.

{faults} faults are tried. Each one either recovers, with its retries listed in ``api_retries`` and a
warning, succeeds as its row says (a complete listing, an answer made safe, a write confirmed by reading
again), or fails with one line that names the request, the HTTP status, Cloudflare's codes and the cf-ray.
None ends in a traceback, none takes longer than its bound (the time on a quiet machine, plus {allowance} s for a
busy one: far less than any wrong wait), and the API token never appears in the result.
A write is reported as done only when a read afterwards shows it done, as the target checks. Unless a row
says otherwise the module runs with its defaults: ``retries: 3``, ``retry_timeout: 60``, ``timeout: 30``.

Bad input is tried too: property tests generate {generated:,} argument sets per run ({examples:,} for
each of {properties} properties in
``tests/unit/plugins/modules/cf_access_user_info/test_user_info_bad_input_properties.py``): wrong
types, empty strings, path separators, ``..``, URL-encoded tricks, unicode, control characters, very
long values, both auth methods and none. Each set either fails with a clear message before any request
or sends only requests whose path, query and headers are exactly what the arguments allow; a token or
email with CR or LF is always refused, and no token or key is ever in the output.

.. list-table::
   :header-rows: 1
   :widths: 18 18 14 7 7 36

   * - Fault
     - Local API
     - Options
     - Requests
     - Bound
     - Outcome
"""


def readable(pattern):
    """A message regex from the matrix, as a person would write it."""
    text = pattern.rstrip("$")
    text = re.sub(r"\[0-9a-f\]\{16\}", "...", text)
    text = re.sub(r"\[0-9\.\]\+", "N", text)
    text = re.sub(r"\[0-9a-f-\]\{36\}", "<id>", text)
    text = text.replace(".*", "...")
    return re.sub(r"\\(.)", r"\1", text)


# What the local API does with the answer of a request it processed (fault after_processing).
AFTER_PROCESSING = {
    "lose": "done, then the connection reset before any answer",
    "status": "done, then HTTP 500",
    "garble": "done, then its 2xx with half a body (not JSON)",
    "contradict": "done, then HTTP 200 saying the opposite",
    "other_user": "done, then a success about another user",
}
# The task a write row runs (tasks/_row.yml).
WRITES = {
    "create": "``cf_access_user``: create a user",
    "rename": "``cf_access_user``: rename a user",
    "delete": "``cf_access_user``: delete a user",
    "free": "``cf_access_seat``: free both seats of a user",
}
WRITTEN = {
    "create": "the user created", "rename": "the user renamed", "delete": "the user deleted", "free": "the seats freed",
}


def fault(row):
    """How the local API misbehaves for the row, in words."""
    spec = row.get("fault")
    if row.get("describe"):  # rows whose fault kind alone says too little (canned answers)
        return row["describe"]
    if spec is None:
        return "none"
    if spec["kind"] == "after_processing":
        what = "%s %s" % (spec.get("method", "every request"), AFTER_PROCESSING[spec["answer"]])
    elif spec["kind"] == "status":
        what = "HTTP %d" % spec["status"] + (" with an HTML page" if spec.get("body") == "html" else "")
        if "retry_after" in spec:
            what += ", Retry-After: %s" % spec["retry_after"]
    else:
        what = spec["kind"].replace("_", " ")
    times = spec.get("times", 1)
    return what + {1: ", once", 2: ", twice", -1: ", every time"}.get(times, ", %d times" % times)


def option(name, value):
    if name == "api_token":  # the page shows what the token is, not the local API's credential
        return "``api_token``: a token without the permission"
    if name == "listing":  # the row reads the whole account instead of the example user
        return "every user (no ``user_id``)"
    return "``%s: %s``" % (name, value)


def outcome(row):
    if row["outcome"] == "written":
        return "no failure: ``changed``, %s, as a read afterwards shows%s" % (
            WRITTEN[row["write"]], "; warns ``%s``" % readable(row["warns"]) if row.get("warns") else "")
    if row["outcome"] == "write_fails":
        return "fails, ``changed: %s``: ``%s``" % (str(row["changed"]).lower(), readable(row["message"]))
    if row["outcome"] == "recovers":
        return "recovers after %d %s" % (row["retries"], "retry" if row["retries"] == 1 else "retries")
    if row["outcome"] == "not_found":
        return "no failure: ``found: false``, the id in ``missing``"
    # rows of a listing, an answer made safe, a task refused before its requests
    if row["outcome"] == "lists":
        return "lists all %d users" % row["users"]
    if row["outcome"] == "succeeds":
        return "no failure: the user's name made safe, ``%s``" % row["user_name"].encode("ascii", "backslashreplace").decode()
    if row["outcome"] == "refused":
        return "fails before sending them: ``%s``" % readable(row["message"])
    return "fails: ``GET <path> failed: %s``" % readable(row["message"])


# --- the incident-response calls (cf_access_revoke): vars/incident.yml --------------------------------------
INCIDENT_HEADER = """
Incident-response calls
-----------------------

What :ansplugin:`cloudflare_community.zero_trust.cf_access_revoke#module` does when one of its calls fails or
answers strangely, cutting off the local API's example user (an active session and two WARP registrations). Each
row is a test case of the same target (``tests/integration/targets/cf_fault_matrix/vars/incident.yml``). A write
whose outcome stays unclear is settled by reading the state again, never by guessing; a failure says what was cut
before it (``changed``) and that running the task again is safe.

.. list-table::
   :header-rows: 1
   :widths: 16 10 18 10 7 7 32

   * - Fault
     - Call
     - Local API
     - Options
     - Requests
     - Bound
     - Outcome
"""


def incident_outcome(row):
    if row["outcome"] == "recovers" and not row["retries"]:
        return "recovers: reading the state again shows the write done; nothing is sent twice"
    if row["outcome"] == "recovers":
        return "recovers after %d %s" % (row["retries"], "retry" if row["retries"] == 1 else "retries")
    if row["outcome"] == "warns":
        return "succeeds with the warning ``%s``" % readable(row["message"])
    if row["outcome"] == "refused":
        return "fails before any request: ``%s``" % readable(row["message"])
    return "fails, ``changed: %s``: ``%s <path> failed: %s``" % (
        str(row["changed"]).lower(), row["method"], readable(row["message"]))


def incident_option(name, value):
    if name == "api_key":
        return "``api_email`` and ``api_key`` instead of a token"
    return option(name, value)


def render_incident():
    with open(INCIDENT_MATRIX) as handle:
        rows = yaml.safe_load(handle)["fault_matrix_incident"]
    lines = [INCIDENT_HEADER]
    for row in rows:
        options = ", ".join(incident_option(name, value) for name, value in sorted(row.get("options", {}).items()))
        lines.append("   * - %s\n     - %s\n     - %s\n     - %s\n     - %d\n     - %s s\n     - %s\n" % (
            row["name"], row["call"], fault(row), options or "defaults", row["requests"], row["max_seconds"],
            incident_outcome(row)))
    return "".join(lines)
# --- end incident-response calls ---------------------------------------------------------------------------


def render():
    with open(MATRIX) as handle:
        matrix = yaml.safe_load(handle)
    rows = matrix["fault_matrix"]
    with open(PROPERTIES) as handle:
        source = handle.read()
    examples = int(re.search(r"^ARGUMENT_SETS = (\d+)", source, re.MULTILINE).group(1))
    properties = int(re.search(r"^PROPERTIES = (\d+)", source, re.MULTILINE).group(1))
    lines = [HEADER.format(faults=len(rows), generated=examples * properties, examples=examples,
                           properties=properties, allowance=matrix["fault_matrix_busy_allowance"])]
    for row in rows:
        options = [WRITES[row["write"]]] if row.get("write") else []
        options += [option(name, value) for name, value in sorted(row.get("options", {}).items())]
        lines.append("   * - %s\n     - %s\n     - %s\n     - %d\n     - %s s\n     - %s\n"
                     % (row["name"], fault(row), ", ".join(options) or "defaults", row["requests"], row["max_seconds"],
                        outcome(row)))
    return "".join(lines) + render_incident()


def main():
    page = render()
    if "--check" in sys.argv[1:]:
        with open(PAGE) as handle:
            if handle.read() != page:
                sys.exit("%s is out of date: run python tests/support/fault_matrix_doc.py" % PAGE)
        return
    with open(PAGE, "w") as handle:
        handle.write(page)


if __name__ == "__main__":
    main()
