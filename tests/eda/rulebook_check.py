# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shipped rulebook, run by the real ansible-rulebook against the local API, from the installed collection.

    python tests/eda/rulebook_check.py            # scripts/check eda runs it
    python tests/eda/rulebook_check.py --keep     # keep the work directory (logs, vars, state) and say where

It builds the collection's tarball and installs it, as a user does, into a collections path of its own; sets up
ansible-rulebook (tests/eda/requirements.txt) in a virtual env under .cache/eda, and Java 17 (Debian's
openjdk-17-jre-headless, installed with apt-get when no Java 17 is found); starts the local API; then runs
``ansible-rulebook -r cloudflare_community.zero_trust.contain_risky_users`` twice, with the credentials in the
environment as the docs say:

1. acting (dry_run false, one user on never_contain): a user whose risk becomes high has every Access token
   revoked and every WARP registration deleted; so has a user denied 5 logins; the user on never_contain, whose
   risk becomes high too, is not touched. It also measures the time from each change to the revocation.
2. the dry run (the default): a user whose risk becomes high makes the playbook run, and no write reaches the API.

Everything it starts (the local API, ansible-rulebook and the playbooks it runs) is stopped when it ends, also
when a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
import local_api  # noqa: E402  pylint: disable=wrong-import-position
from local_api.server import LocalAPI  # noqa: E402  pylint: disable=wrong-import-position

RULEBOOK = "cloudflare_community.zero_trust.contain_risky_users"
REQUIREMENTS = os.path.join(ROOT, "tests", "eda", "requirements.txt")
VENV = os.environ.get("CF_EDA_VENV") or os.path.join(ROOT, ".cache", "eda", "venv")  # scripts/check keeps one for every run
POLL_DELAY = 2  # seconds: the rulebook's cloudflare_poll_delay
DEADLINE = 90  # seconds for one change to be acted on: start-up, a poll, the playbook
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def log(text):
    print("==> %s" % text, flush=True)


# --- what it needs: ansible-rulebook, Java 17, the installed collection --------------------------------------------
def ensure_venv():
    """The virtual env with tests/eda/requirements.txt, set up again whenever that file changes."""
    stamp = os.path.join(VENV, ".requirements.sha256")
    with open(REQUIREMENTS, "rb") as handle:
        wanted = hashlib.sha256(handle.read()).hexdigest()
    if os.path.exists(stamp) and open(stamp).read() == wanted:
        return VENV
    log("setting up %s (ansible-rulebook; a minute, once)" % VENV)
    subprocess.run([sys.executable, "-m", "venv", "--clear", VENV], check=True)
    subprocess.run([os.path.join(VENV, "bin", "python"), "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS], check=True)
    with open(stamp, "w") as handle:
        handle.write(wanted)
    return VENV


def java_home():
    """A Java 17 home: $JAVA_HOME when it is one, else one under /usr/lib/jvm, else Debian's, installed now."""
    candidates = [os.environ.get("JAVA_HOME", "")] + sorted(glob.glob("/usr/lib/jvm/*17*"))
    for home in candidates:
        if home and os.path.exists(os.path.join(home, "bin", "java")) and _is_java_17(home):
            return os.path.realpath(home)
    if os.geteuid() != 0:
        raise SystemExit("ansible-rulebook needs Java 17: apt-get install openjdk-17-jre-headless (or set JAVA_HOME)")
    log("installing Debian's openjdk-17-jre-headless")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "openjdk-17-jre-headless"], check=True,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    return java_home()


def _is_java_17(home):
    result = subprocess.run([os.path.join(home, "bin", "java"), "-version"], capture_output=True, text=True, check=False)
    return 'version "17.' in result.stderr


def install_collection(venv, workdir):
    """Build the tarball and install it into a collections path of its own, as users install it."""
    galaxy = os.path.join(venv, "bin", "ansible-galaxy")
    dist, collections = os.path.join(workdir, "dist"), os.path.join(workdir, "collections")
    subprocess.run([galaxy, "collection", "build", "--force", "--output-path", dist, ROOT], check=True,
                   stdout=subprocess.DEVNULL)
    tarball = glob.glob(os.path.join(dist, "cloudflare_community-zero_trust-*.tar.gz"))[0]
    subprocess.run([galaxy, "collection", "install", "--force", "-p", collections, tarball], check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections))
    installed = os.path.join(collections, "ansible_collections", "cloudflare_community", "zero_trust")
    for shipped in ("extensions/eda/plugins/event_source/access_events.py", "extensions/eda/rulebooks/contain_risky_users.yml",
                    "playbooks/contain_user.yml"):
        assert os.path.exists(os.path.join(installed, shipped)), "the installed collection has no %s" % shipped
    return collections


# --- ansible-rulebook, started and always stopped ------------------------------------------------------------------
@contextlib.contextmanager
def rulebook(venv, java, collections, api, workdir, name, variables):
    """ansible-rulebook running the shipped rulebook with ``variables``, its output in ``workdir/name.log``; its
    whole process group (the playbooks it runs included) is stopped on the way out, whatever happened."""
    run_dir = os.path.join(workdir, name)
    os.makedirs(run_dir)
    with open(os.path.join(run_dir, "inventory.yml"), "w") as handle:
        yaml.safe_dump({"all": {"hosts": {"localhost": {
            "ansible_connection": "local", "ansible_python_interpreter": os.path.join(venv, "bin", "python")}}}}, handle)
    with open(os.path.join(run_dir, "vars.yml"), "w") as handle:
        yaml.safe_dump(variables, handle)
    environment = {name_: value for name_, value in os.environ.items() if not name_.startswith(("CLOUDFLARE_", "ANSIBLE_"))}
    environment.update(
        CLOUDFLARE_API_TOKEN=local_api.API_TOKEN, CLOUDFLARE_ACCOUNT_ID=local_api.ACCOUNT_ID, CLOUDFLARE_BASE_URL=api.api_url,
        ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_NOCOLOR="1",
        JAVA_HOME=java, PATH=os.pathsep.join([os.path.join(venv, "bin"), os.path.join(java, "bin"), environment["PATH"]]))
    output = open(os.path.join(workdir, "%s.log" % name), "w")
    process = subprocess.Popen(
        [os.path.join(venv, "bin", "ansible-rulebook"), "-r", RULEBOOK, "-i", "inventory.yml", "--vars", "vars.yml", "-v"],
        cwd=run_dir, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        output.close()


def wait_for(what, condition, process, log_path, deadline=DEADLINE):
    """Poll ``condition()`` until it is true; fail naming ``what`` (with the log's end) after ``deadline`` seconds
    or when ansible-rulebook has ended."""
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        if condition():
            return time.monotonic() - started
        if process.poll() is not None:
            break
        time.sleep(0.2)
    with open(log_path) as handle:
        tail = "".join(handle.readlines()[-40:])
    raise AssertionError("%s: not within %d s (ansible-rulebook %s); the end of its log:\n%s" % (
        what, deadline, "exited %s" % process.returncode if process.poll() is not None else "running", tail))


def polls_of_risk(api):
    return sum(1 for request in api.api_requests() if request["path"].endswith("/zt_risk_scoring/summary"))


def cut_off(api, user):
    """Whether the user's Access tokens are revoked and no WARP registration of theirs is left."""
    revoked = (local_api.ACCOUNT_ID, user["id"]) in api.devices.revoked_users
    return revoked and api.devices.of_user(local_api.ACCOUNT_ID, user["id"], status="all") == []


def untouched(api, user):
    return ((local_api.ACCOUNT_ID, user["id"]) not in api.devices.revoked_users
            and len(api.devices.of_user(local_api.ACCOUNT_ID, user["id"])) > 0
            and all(body.get("email", "").lower() != user["email"].lower() for body in api.devices.revocations))


def log_says(log_path, text):
    with open(log_path) as handle:
        return text in handle.read()


def with_sessions_and_devices(api, count):
    """``count`` users of the sample account with an active session and WARP registrations, jdoe first."""
    users = [user for user in api.accounts[local_api.ACCOUNT_ID]
             if user["gateway_seat"] and user["active_device_count"] and user["last_successful_login"]]
    assert len(users) >= count, "the sample account has too few users with sessions and devices"
    return users[:count]


# --- the two runs ----------------------------------------------------------------------------------------------------
def acting_run(api, start, workdir):
    risky, spared, denied = with_sessions_and_devices(api, 3)
    variables = dict(dry_run=False, never_contain=[spared["email"].upper()], cloudflare_poll_delay=POLL_DELAY,
                     cloudflare_state_file=os.path.join(workdir, "acting.state.json"))
    log_path = os.path.join(workdir, "acting.log")
    figures = {}
    with start("acting", variables) as process:
        wait_for("the source's first two polls", lambda: polls_of_risk(api) >= 2, process, log_path)
        api.raise_risk(email=risky["email"], risk_level="high")
        figures["risk"] = wait_for("%s cut off after their risk became high" % risky["email"],
                                   lambda: cut_off(api, risky), process, log_path)
        log("%s cut off %.1f s after the risk became high" % (risky["email"], figures["risk"]))
        api.raise_risk(email=spared["email"], risk_level="high")
        wait_for("the playbook's run for %s, on never_contain" % spared["email"],
                 lambda: log_says(log_path, "on the never_contain list: %s" % spared["email"].lower()), process, log_path)
        assert untouched(api, spared), "%s is on never_contain, yet was cut" % spared["email"]
        log("%s (on never_contain) not touched" % spared["email"])
        api.add_access_requests(email=denied["email"], count=5, allowed=False)
        figures["denied"] = wait_for("%s cut off after 5 denied logins" % denied["email"],
                                     lambda: cut_off(api, denied), process, log_path)
        log("%s cut off %.1f s after the 5th denied login" % (denied["email"], figures["denied"]))
        assert untouched(api, spared), "%s is on never_contain, yet was cut" % spared["email"]
    return figures


def dry_run(api, start, workdir):
    api.reset()
    risky = with_sessions_and_devices(api, 1)[0]
    log_path = os.path.join(workdir, "dry_run.log")
    with start("dry_run", dict(cloudflare_poll_delay=POLL_DELAY)) as process:  # dry_run left to its default
        wait_for("the source's first two polls", lambda: polls_of_risk(api) >= 2, process, log_path)
        api.raise_risk(email=risky["email"], risk_level="high")
        wait_for("the dry run's playbook for %s" % risky["email"],
                 lambda: log_says(log_path, "Dry run, nothing written: would cut %s" % risky["email"]), process, log_path)
    writes = [request for request in api.api_requests() if request["method"] in WRITES]
    assert writes == [], "the dry run wrote: %s" % writes
    assert untouched(api, risky), "the dry run cut %s" % risky["email"]
    log("dry run: the playbook said it would cut %s, and no write reached the API" % risky["email"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="keep the work directory and say where it is")
    args = parser.parse_args(argv)
    venv, java = ensure_venv(), java_home()
    workdir = tempfile.mkdtemp(prefix="cf-eda-check.")
    try:
        collections = install_collection(venv, workdir)
        with LocalAPI(users=25) as api:
            def start(name, variables):
                return rulebook(venv, java, collections, api, workdir, name, variables)

            figures = acting_run(api, start, workdir)
            dry_run(api, start, workdir)
        print(json.dumps({"seconds_from_risk_to_cut": round(figures["risk"], 1),
                          "seconds_from_5th_denied_login_to_cut": round(figures["denied"], 1),
                          "poll_delay": POLL_DELAY}))
        log("the rulebook check passed")
        return 0
    finally:
        if args.keep:
            log("work directory kept: %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
