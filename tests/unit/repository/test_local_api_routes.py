# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local API's route table (tests/support/local_api/routes.py, ROUTES) mirrors the operations of Cloudflare's
schema excerpts: each entry is one of their operations, by method, path template and summary, and each of their
operations has one entry, served or not.

The excerpts are not in the repository (../shared/reference, or the directories of CF_OPENAPI_SCHEMA,
CF_INCIDENT_OPENAPI_SCHEMA and CF_EVENTS_OPENAPI_SCHEMA, as for ``scripts/test schema``); their operations are, in
tests/unit/fixtures/schema_operations.json, which this file writes from them:
    python tests/unit/repository/test_local_api_routes.py ../shared/reference
Where the excerpts are found, the fixture is checked against them too."""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "unit" / "fixtures" / "schema_operations.json"
METHODS = ("get", "post", "put", "patch", "delete")
SCHEMA_VARIABLES = ("CF_OPENAPI_SCHEMA", "CF_INCIDENT_OPENAPI_SCHEMA", "CF_EVENTS_OPENAPI_SCHEMA")


def operations_of(schema):
    """``[{method, path, summary, operationId}]`` of an OpenAPI document, in its order."""
    return [dict(method=method.upper(), path=path, summary=operation["summary"], operationId=operation["operationId"])
            for path, item in schema["paths"].items() for method, operation in item.items() if method in METHODS]


def fixture_from(directory):
    """The fixture as the excerpts in ``directory`` make it: their operations and the licence they come under."""
    provenance = (directory / "PROVENANCE.md").read_text().split("\n```\n", 2)[1]
    excerpts = {}
    for path in sorted(directory.glob("*.openapi.json")):
        excerpts[path.name] = dict(sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                                   operations=operations_of(json.loads(path.read_text())))
    return {
        "about": "The operations of Cloudflare's schema excerpts (../shared/reference/*.openapi.json): method, path, "
                 "summary and operationId of each, copied from the schema, which comes under the licence below. "
                 "Written by tests/unit/repository/test_local_api_routes.py.",
        "license": provenance.splitlines(),
        "excerpts": excerpts,
    }


if __name__ == "__main__":  # here, before the tests, which import the collection
    with open(FIXTURE, "w") as output:
        json.dump(fixture_from(pathlib.Path(sys.argv[1]).resolve()), output, indent=1)
        output.write("\n")
    sys.exit(0)


def excerpts_found():
    """The directories holding schema excerpts on this machine (none in CI)."""
    candidates = [pathlib.Path(os.environ[name]).parent for name in SCHEMA_VARIABLES if os.environ.get(name)]
    candidates.append(ROOT.parent / "shared" / "reference")
    return sorted({path for path in candidates if (path / "PROVENANCE.md").is_file()})


def load_fixture():
    with open(FIXTURE) as handle:
        return json.load(handle)


def schema_operations():
    """``{(method, path): summary}`` of every operation of the excerpts, as the fixture has them."""
    return {(operation["method"], operation["path"]): operation["summary"]
            for excerpt in load_fixture()["excerpts"].values() for operation in excerpt["operations"]}


def route_table():
    from ansible_collections.cloudflare_community.zero_trust.tests.support.local_api import routes

    return routes.ROUTES


@pytest.mark.parametrize("route", route_table(), ids=lambda route: "%s %s" % (route.method, route.template))
def test_every_route_is_an_operation_of_the_schema_by_its_method_path_and_summary(route):
    operations = schema_operations()
    assert (route.method, route.template) in operations, "not an operation of the schema excerpts"
    assert route.operation == operations[(route.method, route.template)]


def test_every_operation_of_the_schema_has_one_route_served_or_not():
    table = [(route.method, route.template) for route in route_table()]
    assert sorted(table) == sorted(schema_operations())
    assert len(set(table)) == len(table)


def test_the_fixture_carries_the_schemas_licence_and_every_excerpt_the_local_api_serves():
    fixture = load_fixture()
    assert fixture["license"][0] == "BSD 3-Clause License"
    assert "Copyright (c) 2022, Cloudflare" in fixture["license"]
    assert sorted(fixture["excerpts"]) == ["cloudflare-access-groups.openapi.json",
                                           "cloudflare-access-users.openapi.json",
                                           "cloudflare-events.openapi.json",
                                           "cloudflare-incident-response.openapi.json"]
    assert all(len(excerpt["sha256"]) == 64 and excerpt["operations"] for excerpt in fixture["excerpts"].values())


def test_the_fixture_is_what_the_excerpts_hold_where_they_are_found():
    # CI has no excerpts: there the fixture stands for them (the tests above); here it is checked against them.
    for directory in excerpts_found():
        assert fixture_from(directory) == load_fixture(), "run: python %s %s" % (
            os.path.relpath(__file__, ROOT), directory)
