# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The checks longer than a few commands, each a function of a nox session already alone (alone.py): it runs in
the staged copy, the tools of the runner's venv first on PATH."""

from __future__ import annotations

import glob
import os
import re
import shutil
import sys
import tarfile

import yaml

from . import servers
from .alone import COLLECTION, ROOT, build_tarball, install_tarball

# What the built tarball must never hold: tests, tooling, caches, the local API's configuration.
NOT_SHIPPED = re.compile(r"(^|/)(tests|scripts|benchmarks|extensions/molecule|\.venv|\.cache|\.git|\.ansible|"
                         r"\.hypothesis|\.pytest_cache|__pycache__)(/|$)|integration_config|^(noxfile\.py|"
                         r"antsibull-nox\.toml)$")
SHIPPED = ("plugins/modules/cf_access_user_info.py", "plugins/lookup/access_user.py", "meta/execution-environment.yml",
           "extensions/eda/plugins/event_source/access_events.py",  # ansible-rulebook finds it there
           "extensions/eda/rulebooks/contain_risky_users.yml")
# Workers of each units-clock run (pytest-xdist; each moves its own clock). The unit tests wait on the local API,
# on timeouts and retry delays about half of their time: four workers on two cores keep both cores busy.
CLOCK_WORKERS = 4
SECRETS = (servers.local_api.API_TOKEN.encode(), servers.local_api.API_KEY.encode())


def fail_unless(session, condition, message):
    if not condition:
        session.error(message)


def units_clock(session, stage):
    """The unit tests with the wall clock moved ahead and ticking (tests/support/clock_travel.py, time-machine): a
    year ahead, the last seconds of a leap day, the last seconds of a year. Monotonic time is left alone, so timeouts
    and retry waits keep their pace. Every test must hold on any date."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
    import clock_travel  # pylint: disable=import-outside-toplevel
    for moment in clock_travel.MOMENTS:
        session.log("unit tests with the wall clock at %s" % moment)
        session.run("python", "-m", "pytest", "tests/unit", "-q", "-p", "no:cacheprovider", "-p", "clock_travel",
                    "--clock", moment, "-n", str(CLOCK_WORKERS), env={"PYTHONPATH": os.pathsep.join([stage.root, "tests/support"])})


def lint_as_user(session, stage):
    """ansible-lint as a user runs it, on playbooks written the documented way (credentials and account_id from
    module_defaults or the environment): the shipped playbooks and the docs' examples (the plugins' EXAMPLES, the
    README's and the docs site's playbooks, as tests/support/doc_examples.py writes them), copied outside the
    repository, with the collection installed from its built tarball into a collections path of their own and no
    configuration. Any warning fails (--strict), with the default rules and with the production profile."""
    root = stage.path("lint_as_user")
    project, collections = os.path.join(root, "project"), os.path.join(root, "collections")
    install_tarball(session, build_tarball(session, os.path.join(root, "dist")), collections)
    for source, folder in (("playbooks/*.yml", "playbooks"), ("extensions/eda/rulebooks/*.yml", "rulebooks")):
        os.makedirs(os.path.join(project, folder))
        for path in glob.glob(source):
            shutil.copy(path, os.path.join(project, folder))
    session.run("python", "tests/support/doc_examples.py", "--write-playbooks", os.path.join(project, "docs"))
    files = sorted(glob.glob(os.path.join(project, "playbooks", "*.yml")) + glob.glob(os.path.join(project, "docs", "*.yml"))
                   + glob.glob(os.path.join(project, "rulebooks", "*.yml")))
    environment = {"ANSIBLE_HOME": os.path.join(root, "ansible_home"), "ANSIBLE_COLLECTIONS_PATH": collections}
    with session.chdir(project):
        for profile in ([], ["--profile", "production"]):
            session.run("ansible-lint", "--offline", "--strict", *profile,
                        *[os.path.relpath(path, project) for path in files], env=environment)


def docs(session):
    """antsibull-docs lint of every plugin's documentation; ansible-doc renders each module and lookup."""
    session.run("antsibull-docs", "lint-collection-docs", "--plugin-docs", "--check-extra-docs-refs", ".")
    for kind, folder in (("module", "modules"), ("lookup", "lookup")):
        for plugin in sorted(glob.glob(os.path.join("plugins", folder, "*.py"))):
            name = "%s.%s" % (COLLECTION, os.path.basename(plugin)[:-3])
            session.run("ansible-doc", "-t", kind, name, silent=True)
            session.log("ansible-doc -t %s renders %s" % (kind, name))


def changelog(session, stage):
    """The release of galaxy.yml is in changelog.yaml, which lints, and CHANGELOG.md is what it generates."""
    with open("galaxy.yml") as handle:
        version = yaml.safe_load(handle)["version"]
    session.run("antsibull-changelog", "lint")
    session.run("antsibull-changelog", "lint-changelog-yaml", "changelogs/changelog.yaml")
    with open("changelogs/changelog.yaml") as handle:
        fail_unless(session, version in yaml.safe_load(handle)["releases"],
                    "changelogs/changelog.yaml has no release %s" % version)
    committed = stage.path("CHANGELOG.committed.md")
    shutil.copy("CHANGELOG.md", committed)
    session.run("antsibull-changelog", "generate")
    with open("CHANGELOG.md") as generated, open(committed) as kept:
        fail_unless(session, generated.read() == kept.read(), "CHANGELOG.md is not what changelog.yaml generates")
    session.log("changelog: release %s recorded, CHANGELOG.md up to date" % version)


def package(session, stage):
    """The built tarball holds the collection and nothing else, installs, and runs the seat report."""
    tarball = build_tarball(session, stage.path("dist"))
    with tarfile.open(tarball) as archive:
        members = archive.getmembers()
        names = [member.name for member in members]
        contents = b"".join(archive.extractfile(member).read() for member in members if member.isfile())
    extra = [name for name in names if NOT_SHIPPED.search(name)]
    fail_unless(session, not extra, "the tarball holds test, tooling or cache files: %s" % extra)
    fail_unless(session, set(SHIPPED) <= set(names), "the tarball lacks %s" % sorted(set(SHIPPED) - set(names)))
    fail_unless(session, not any(secret in contents for secret in SECRETS), "the tarball holds credentials of the local API")
    session.log("tarball: %d entries, no tests, tooling, caches or credentials" % len(names))
    installed = stage.path("installed")
    install_tarball(session, tarball, installed)
    with servers.local_cloudflare(session, users=25) as api, session.chdir(stage.root):  # ./seat_report by default
        log = session.run("ansible-playbook", "%s.seat_report" % COLLECTION, silent=True,
                          env=dict(servers.CREDENTIALS, CLOUDFLARE_BASE_URL=api.api_url, ANSIBLE_COLLECTIONS_PATH=installed))
    print(log)
    fail_unless(session, "25 users: 14 Access seats" in log, "the seat report did not count the 25 users")
    fail_unless(session, "Report: %s" % stage.path("seat_report", "seat_report.html") in log,
                "the report is not in the default report_dir")
    with open(stage.path("seat_report", "seat_report.csv")) as handle:
        fail_unless(session, re.search(r"^jdoe@example.com,Jane Doe,yes,yes,2,2020-07-01T05:20:00Z,", handle.read(), re.M),
                    "the CSV file lacks jdoe@example.com's row")
    session.log("the installed tarball ran the seat report")


def report(session, stage):
    """The seat report as a person opens it: the playbook writes it from the local API, then a real headless
    Chromium renders the HTML page, sorts its table and shows that it fetched nothing; the CSV file is checked
    against the API's users (tests/browser/seat_report_check.py). Chromium comes from Debian's packages."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        fail_unless(session, os.getuid() == 0, "the report check needs Debian's chromium and chromium-driver: "
                    "apt-get install chromium chromium-driver")
        session.log("Installing chromium and chromium-driver (Debian packages)")
        session.run("apt-get", "update", "-qq", external=True)
        session.run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", "chromium-driver",
                    silent=True, external=True, env={"DEBIAN_FRONTEND": "noninteractive"})
    session.run("python", "-m", "pip", "install", "--quiet", "-r", "tests/browser/requirements.txt")
    folder = stage.path("seat_report")
    with servers.local_cloudflare(session, users=2500) as api:
        log = session.run("ansible-playbook", "%s.seat_report" % COLLECTION, "-e", "report_dir=%s" % folder,
                          silent=True, env=dict(servers.CREDENTIALS, CLOUDFLARE_BASE_URL=api.api_url))
        print(log)
        fail_unless(session, "2500 users: " in log, "the seat report did not count the 2500 users")
        session.run("python", "tests/browser/seat_report_check.py", os.path.join(folder, "seat_report.html"),
                    os.path.join(folder, "seat_report.csv"), "--api-url", api.api_url, "--screenshot",
                    os.environ.get("CF_REPORT_SCREENSHOT") or stage.path("seat_report.png"))


def ee(session, stage):
    """ansible-builder reads the collection's Python dependency and writes an execution environment context."""
    context = stage.path("ee")
    install_tarball(session, build_tarball(session, context), os.path.join(context, "collections"))
    found = session.run("ansible-builder", "introspect", "--sanitize", os.path.join(context, "collections"), silent=True)
    print(found)
    fail_unless(session, re.search(r"requests.*# from collection %s" % re.escape(COLLECTION), found),
                "ansible-builder did not find the requests dependency")
    shutil.copy(os.path.join("tests", "ee", "execution-environment.yml"), context)
    with session.chdir(context):
        session.run("ansible-builder", "create", "-f", "execution-environment.yml", "-c", "build",
                    "--output-filename", "Containerfile")
    with open(os.path.join(context, "build", "Containerfile")) as handle:
        fail_unless(session, "ansible-galaxy collection install" in handle.read(), "the Containerfile installs nothing")
    with open(os.path.join(context, "build", "_build", "requirements.yml")) as handle:
        fail_unless(session, "%s-%s" % tuple(COLLECTION.split(".")) in handle.read(), "the context lacks the tarball")
    session.log("ansible-builder wrote an execution environment context")


def readme(session, stage):
    """The README's commands work as written after scripts/demo's install step (the collection of this copy,
    built and installed into its .cache/collections), in a clean environment (a new home, the system's PATH)."""
    os.symlink(os.path.dirname(os.path.dirname(sys.executable)), ".venv")
    install_tarball(session, build_tarball(session, stage.path("dist")), os.path.join(".cache", "collections"))
    session.run("python", "tests/support/doc_examples.py", "--readme-commands")


# --- the schema check: Prism validates every kind of request the collection sends ------------------------------
def schema_unavailable():
    """Why the schema check cannot run here, or an empty string."""
    for name in ("events", "incident", "users"):
        if not os.path.isfile(servers.SCHEMAS[name]):
            return "Cloudflare's %s schema is not at %s" % (name, servers.SCHEMAS[name])
    return "" if shutil.which("npm") else "npm is not installed"


def schema(session, stage):
    """Prism serves Cloudflare's schema excerpts and validates the requests of every module, the event source and
    the lookup: as a mock for the reads and writes of cf_access_user_info and cf_access_user, then as a proxy in
    front of the local API for the seat PATCH, the incident-response calls, the event source's and the group and
    policy membership's."""
    schema_mock(session, stage)
    # Prism's mock answers users without seats, so cf_access_seat would send it no PATCH: a proxy in front of the
    # local API validates the requests the module really sends, the PATCH body included. The local API answers
    # null for users who never logged in, which the schema does not allow: only request violations count.
    schema_proxy(session, stage, "seats", ("users",), 25, "tests/schema/prism_seats_check.yml",
                 kinds={"patch .*/access/seats.*Request received": 2})
    # 2,500 users: 50 Gateway seat holders have about 125 registrations, so a listing goes to a second page.
    schema_proxy(session, stage, "incident", ("users", "incident"), 2500, "tests/schema/prism_revoke_check.yml", kinds=forwarded(
        "post /access/organizations/revoke_user", "get /devices/registrations[?]user[.]id=[^ ]*&user[.]id=",
        "get /devices/registrations[?][^ ]*&cursor=", "delete /devices/registrations[?]id=[^ ]*&id=",
        "post /devices/registrations/revoke[?]id=", "delete /mfa_authenticators/", "get /last_seen_identity",
        "get /active_sessions"))
    schema_proxy(session, stage, "events", ("users", "events"), 25, "tests/schema/prism_risk_reset_check.yml", kinds=forwarded(
        "get /zt_risk_scoring/summary", "get /access/logs/access_requests[?][^ ]*direction=asc[^ ]*&page=1&",
        "get /access/logs/access_requests[?][^ ]*&page=2&", "get /logs/audit[?][^ ]*product_category=zerotrust",
        "get /logs/audit[?][^ ]*&cursor=", "get /zt_risk_scoring/[0-9a-f-]{36}[.][.][.]",
        "post /zt_risk_scoring/[0-9a-f-]{36}/reset"), before="tests/schema/prism_events_check.py")
    # The users and groups excerpts merged: their shared access_* components are identical.
    schema_proxy(session, stage, "membership", ("users", "groups"), 25, "tests/schema/prism_membership_check.yml",
                 kinds=forwarded("get /access/groups[?]", "get /access/policies[?]", "get /access/groups/[0-9a-f-]{36}",
                                 "get /access/policies/[0-9a-f-]{36}", "put /access/groups/[0-9a-f-]{36}",
                                 "put /access/policies/[0-9a-f-]{36}"))


def forwarded(*kinds):
    """{regex: None} of requests like ``method path-regex``, as Prism names the request it forwards (with its
    query), each to be seen at least once."""
    return {"Forwarding \"%s\" request to [^ ]*%s" % tuple(kind.split(" ", 1)): None for kind in kinds}


def one_page(node):
    """Prism's mock answers every page with the schema's example result_info (1 user, total_pages 100): a listing
    the collection rightly refuses as inconsistent. Its copy's *response* examples describe that one page; the
    request schemas, which the check validates against, are untouched."""
    if isinstance(node, dict):
        fields = node.get("properties")
        if isinstance(fields, dict) and {"total_pages", "total_count", "per_page"} <= set(fields):
            for name, value in dict(page=1, per_page=1000, count=1, total_count=1, total_pages=1).items():
                if isinstance(fields.get(name), dict):
                    fields[name]["example"] = value
        for value in node.values():
            one_page(value)
    elif isinstance(node, list):
        for value in node:
            one_page(value)


def schema_mock(session, stage):
    mock_schema = servers.merged_schema(stage.path("mock-schema.json"), "users", adjust_first=one_page)
    log = stage.path("prism.log")
    with servers.prism(session, log, "mock", mock_schema) as url:
        session.run("ansible-playbook", "tests/schema/prism_check.yml", "-e", "prism_url=%s" % url)
    text = servers.read(log)
    wrong = [line for line in text.splitlines() if "VALIDATOR" in line and "passed the validation rules" not in line]
    fail_unless(session, not wrong, "Prism found requests that do not match Cloudflare's schema:\n%s" % "\n".join(wrong))
    received, passed = text.count("Request received"), text.count("The request passed the validation rules")
    # 8 requests of cf_access_user_info, 6 of cf_access_user: a read and a write for each of POST, PUT and DELETE.
    fail_unless(session, received >= 14 and received == passed, "Prism received %d requests, %d passed" % (received, passed))
    for method in ("post", "put", "delete"):
        fail_unless(session, re.search(r"\] %s /accounts/.* Request received" % method, text),
                    "Prism received no %s request" % method.upper())
    session.log("Prism: all %d requests matched Cloudflare's schema" % passed)


def events_dates(events):
    """The audit logs' since and before are typed "format: date" while their description takes "a date string ...
    or an absolute timestamp that conforms to RFC3339" (PROVENANCE-events.md lists it among the upstream oddities):
    the proxy's copy accepts either, as the description says; every other rule of the excerpt stands."""
    for parameter in events["paths"]["/accounts/{account_id}/logs/audit"]["get"]["parameters"]:
        if parameter["name"] in ("since", "before"):
            parameter["schema"] = {"anyOf": [{"type": "string", "format": "date"},
                                             {"type": "string", "format": "date-time"}]}


def schema_proxy(session, stage, name, schemas, users, playbook, kinds, before=None):
    """A Prism proxy serving ``schemas`` merged, in front of the local API with ``users`` users: ``before`` (a
    script) and ``playbook`` send their requests through it; none may violate the schema, and the lines of its log
    matching each regex of ``kinds`` must be as many as it says (None: at least one)."""
    merged = servers.merged_schema(stage.path("%s-schema.json" % name), *schemas,
                                   adjust=events_dates if "events" in schemas else None)
    log = stage.path("prism_%s.log" % name)
    with servers.local_cloudflare(session, users=users) as api, \
            servers.prism(session, log, "proxy", merged, api.api_url) as url:
        if before:
            session.run("python", before, "--api-url", url, "--control-url", api.url + servers.CONTROL_PREFIX)
        session.run("ansible-playbook", playbook, "-e", "prism_proxy_url=%s" % url)
    text = servers.read(log)
    violations = [line for line in text.splitlines() if "Violation: request" in line]
    fail_unless(session, not violations, "Prism found %s requests that do not match Cloudflare's schema:\n%s"
                % (name, "\n".join(violations)))
    for kind, wanted in kinds.items():
        seen = len([line for line in text.splitlines() if re.search(kind, line)])
        fail_unless(session, seen == wanted if wanted else seen, "Prism logged %d requests like: %s" % (seen, kind))
    session.log("Prism proxy: %d %s requests matched Cloudflare's schemas (%s)"
                % (text.count("Request received"), name, ", ".join(schemas)))
