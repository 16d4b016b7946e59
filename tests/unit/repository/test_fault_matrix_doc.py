# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/docsite/rst/fault_matrix.rst says exactly what the fault matrix target and the property tests run."""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.tests.support import fault_matrix_doc


def test_the_fault_matrix_page_is_generated_from_the_tests():
    with open(fault_matrix_doc.PAGE) as handle:
        page = handle.read()
    assert page == fault_matrix_doc.render(), "run: python tests/support/fault_matrix_doc.py"


def test_the_page_counts_every_row_and_generated_set():
    page = fault_matrix_doc.render()
    assert "59 faults are tried." in page
    assert "generate 2,000 argument sets per run" in page
    assert page.count("\n   * - ") == 59 + 1 + 12 + 1  # the rows and the header of each table
    for write in ("create", "rename", "delete", "seat PATCH"):  # every write path, each way its answer goes wrong
        for fault in ("lost answer", "5xx after processing", "garbled 2xx", "contradicting answer",
                      "answer about another user"):
            assert "   * - %s, %s\n" % (write, fault) in page


def test_the_page_has_a_row_for_each_incident_response_fault():
    page = fault_matrix_doc.render()
    incident = page.split("Incident-response calls", 1)[1]
    assert incident.count("\n   * - ") == 12 + 1
    assert "``changed: true``: ``DELETE <path> failed: HTTP 403: ...; this call needs the API token permission 'Zero " \
           "Trust Write' on the account; cut: Access tokens of 1 users" in incident
