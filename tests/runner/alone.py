# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A check alone, as on a fresh machine: a home directory of its own and a fresh copy of the work tree.

ansible-test needs the collection at .../ansible_collections/<namespace>/<name> as a real directory (a symlink is
refused), so every check runs in a copy staged under a new temporary tree, removed when the check ends.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTION = "cloudflare_community.zero_trust"
NAMESPACE, NAME = COLLECTION.split(".")
REAL_HOME = os.path.expanduser("~")
# Never copied: virtual envs, caches and test output of the work tree (git ignores them too).
NOT_STAGED = (".venv", ".git", ".cache", "tests/output")


class Stage:
    """Where one check runs: ``root`` (the collections path), ``collection`` (the copy), ``home``."""

    def __init__(self, root, home):
        self.root = root
        self.home = home
        self.collection = os.path.join(root, "ansible_collections", NAMESPACE, NAME)

    def path(self, *parts):
        """A path in the staged tree, outside the collection: for a check's own files."""
        return os.path.join(self.root, *parts)


@contextlib.contextmanager
def alone(session, secrets=False):
    """Run the rest of a session in a new home directory, on a fresh copy of the work tree (its working directory);
    both removed afterwards (CF_KEEP_STAGE=1 keeps the copy, unless it holds ``secrets``). Keeps only the download
    caches of pip and npm."""
    home = tempfile.mkdtemp(prefix="cf-zero-trust-home.")
    root = tempfile.mkdtemp(prefix="cf-zero-trust.")
    stage = Stage(root, home)
    session.env.update(
        HOME=home, ANSIBLE_COLLECTIONS_PATH=root,
        PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR", os.path.join(REAL_HOME, ".cache", "pip")),
        npm_config_cache=os.environ.get("npm_config_cache", os.path.join(REAL_HOME, ".npm")),
        # Plain output: it ends up in CI logs and notes.
        ANSIBLE_NOCOLOR="1", NO_COLOR="1", PY_COLORS="0")
    try:
        copy_work_tree(stage.collection)
        session.chdir(stage.collection)
        yield stage
    finally:
        session.chdir(ROOT)
        shutil.rmtree(home, ignore_errors=True)
        if secrets or not os.environ.get("CF_KEEP_STAGE"):
            shutil.rmtree(root, ignore_errors=True)


def copy_work_tree(dest):
    """The work tree's files as git sees them (tracked and new, not ignored), or the whole tree outside git."""
    os.makedirs(dest)
    listed = subprocess.run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, check=False)
    if listed.returncode != 0:
        shutil.rmtree(dest)
        shutil.copytree(ROOT, dest, symlinks=True, ignore=lambda folder, names: [
            name for name in names if os.path.relpath(os.path.join(folder, name), ROOT) in NOT_STAGED])
        return
    for name in listed.stdout.decode().split("\0"):
        source = os.path.join(ROOT, name)
        if not name or not os.path.lexists(source) or name.split("/", 1)[0] in NOT_STAGED:
            continue  # deleted in the work tree, not yet in git; or a .venv link, which git does not ignore
        target = os.path.join(dest, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)


def real_interpreter(version):
    """The real interpreter (not a pyenv shim) for Python X.Y, or None."""
    pyenv = os.environ.get("PYENV_ROOT", os.path.join(REAL_HOME, ".pyenv"))
    candidates = sorted(glob.glob(os.path.join(pyenv, "versions", version + ".*", "bin", "python" + version)))
    candidates.append(shutil.which("python" + version) or "")
    for candidate in candidates:
        if candidate and subprocess.run([candidate, "-c", "import sys"], capture_output=True, check=False).returncode == 0:
            return candidate
    return None


def put_real_interpreters_first(versions):
    """Put the directory of each version's real interpreter first on PATH (nox and ansible-test look it up there;
    pyenv's shims fail unless that version is selected). Returns the versions this machine lacks."""
    missing = []
    for version in versions:
        interpreter = real_interpreter(version)
        if interpreter is None:
            missing.append(version)
        elif shutil.which("python" + version) != interpreter:
            os.environ["PATH"] = os.path.dirname(interpreter) + os.pathsep + os.environ["PATH"]
    return missing


def install_get_pip_stand_in(session, home):
    """ansible-test fetches a get-pip script from a host outside the package registries: give it ours
    (scripts/get_pip_offline.py), under the name this release's ansible-test looks for."""
    version = session.run("python", "-c", "import ansible_test, os, re; print(re.search(r'pip=.([0-9.]+).', open("
                          "os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py'))"
                          ".read()).group(1))", silent=True).strip()
    cache = os.path.join(home, ".ansible", "test", "cache")
    os.makedirs(cache, exist_ok=True)
    shutil.copy(os.path.join(ROOT, "scripts", "get_pip_offline.py"),
                os.path.join(cache, "get_pip_%s.py" % version.replace(".", "_")))


def build_tarball(session, dest):
    """Build the staged collection into ``dest``; returns the tarball's path."""
    session.run("ansible-galaxy", "collection", "build", "--force", "--output-path", dest, ".", silent=True)
    (tarball,) = glob.glob(os.path.join(dest, "%s-%s-*.tar.gz" % (NAMESPACE, NAME)))
    return tarball


def install_tarball(session, tarball, dest):
    """Install a built tarball into the collections path ``dest``, as users install it from Galaxy."""
    session.run("ansible-galaxy", "collection", "install", "--force", "-p", dest, tarball, silent=True,
                env={"ANSIBLE_COLLECTIONS_PATH": dest})
