# shellcheck shell=bash
# Shared by scripts/demo, scripts/test and scripts/check: the virtual envs, a staged collection tree and the
# local API.
# Sourced, not run.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${CF_VENV:-$REPO_ROOT/.venv}
export COLLECTION=cloudflare_community.zero_trust

log() { printf '\n==> %s\n' "$*" >&2; }

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.11 python3; do
    if [ -n "$candidate" ] && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return
    fi
  done
  echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
  exit 1
}

# Checks run two at a time (scripts/test): the first that needs a virtual env sets it up, the other waits for it.
# Runs "$@" holding the lock .cache/venv-setup.lock.
with_venv_lock() {
  local lock
  mkdir -p "$REPO_ROOT/.cache"
  exec {lock}> "$REPO_ROOT/.cache/venv-setup.lock"
  flock "$lock"
  "$@"
  exec {lock}>&-
}

# The virtual env, (re)installed whenever requirements-dev.txt changes.
ensure_venv() {
  with_venv_lock set_up_venv
  export PATH="$VENV/bin:$PATH"
  # Plain output: it ends up in CI logs and notes.
  export ANSIBLE_NOCOLOR=1 NO_COLOR=1 PY_COLORS=0
}

set_up_venv() {
  local stamp=$VENV/.requirements-dev.sha256 want
  want=$(sha256sum "$REPO_ROOT/requirements-dev.txt" | cut -d' ' -f1)
  if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "Setting up $VENV (a minute, once)"
    "$(find_python)" -m venv --clear "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -r "$REPO_ROOT/requirements-dev.txt"
    echo "$want" > "$stamp"
  fi
}

# The real interpreter (not a pyenv shim) for Python X.Y, or failure when there is none.
find_interpreter() {
  local version=$1 candidate
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python"$version" \
                   "$(command -v "python$version" 2>/dev/null || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import sys' 2>/dev/null; then
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  return 1
}

TOOLS_CORE=2.19  # the ansible-core release in .venv (requirements-dev.txt)

# The virtual env of ansible-core release $1: .venv for its own release, else one under .cache.
core_venv() {
  if [ "$1" = "$TOOLS_CORE" ]; then echo "$VENV"; else echo "$REPO_ROOT/.cache/venv-core$1"; fi
}

# A virtual env with one ansible-core release (and so its ansible-test) for the version matrix.
ensure_core_venv() {
  with_venv_lock set_up_core_venv "$@"
}

set_up_core_venv() {
  local venv=$1 interpreter=$2 core=$3 stamp=$1/.ansible-core
  if [ ! -x "$venv/bin/ansible-test" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$core" ]; then
    log "Setting up $venv with ansible-core $core ($("$interpreter" --version))"
    "$interpreter" -m venv --clear "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet "ansible-core==$core.*"
    echo "$core" > "$stamp"
  fi
}

# ansible-test needs the collection at .../ansible_collections/<namespace>/<name>, as a real directory
# (a symlink is refused), so the tests run on a copy of the work tree in a fresh temporary tree.
stage_collection() {
  STAGE_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/cf-zero-trust.XXXXXX")
  COLLECTION_DIR=$STAGE_ROOT/ansible_collections/cloudflare_community/zero_trust
  mkdir -p "$COLLECTION_DIR"
  if git -C "$REPO_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$REPO_ROOT" && git ls-files -z --cached --others --exclude-standard \
      | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$COLLECTION_DIR"
  else
    tar -C "$REPO_ROOT" --exclude=./.venv --exclude=./.git --exclude=./.cache --exclude=./tests/output -cf - . \
      | tar -xf - -C "$COLLECTION_DIR"
  fi
  export ANSIBLE_COLLECTIONS_PATH=$STAGE_ROOT
}

# Build the collection tarball and install it into $1, as users install it from Galaxy.
install_collection() {
  local dest=$1 dist=$REPO_ROOT/.cache/dist
  mkdir -p "$dist" "$dest"
  export ANSIBLE_COLLECTIONS_PATH=$dest
  # Only this build's tarball: one of an earlier version left here would be installed beside it, and conflict.
  rm -f "$dist"/cloudflare_community-zero_trust-*.tar.gz
  ansible-galaxy collection build --force --output-path "$dist" "$REPO_ROOT" >/dev/null
  ansible-galaxy collection install --force -p "$dest" "$dist"/cloudflare_community-zero_trust-*.tar.gz >/dev/null
}

# scripts/demo's install step: the collection of this clone, built and installed into its .cache/collections,
# where the README's commands find it (ANSIBLE_COLLECTIONS_PATH=$PWD/.cache/collections).
install_demo_collection() {
  install_collection "$REPO_ROOT/.cache/collections"
}

# ansible-test fetches a get-pip script from a host outside the package registries; give it ours.
install_get_pip_stand_in() {
  local version
  version=$(python -c 'import ansible_test, os, re
src = open(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")).read()
print(re.search(r"pip=.([0-9.]+).", src).group(1))')
  mkdir -p "$HOME/.ansible/test/cache"
  cp "$REPO_ROOT/scripts/get_pip_offline.py" "$HOME/.ansible/test/cache/get_pip_${version//./_}.py"
}

# Start the local Cloudflare-like API; sets CF_API_URL and CF_CONTROL_URL. Stopped by stop_fake_api.
start_fake_api() {
  local url_file
  url_file=$(mktemp "${TMPDIR:-/tmp}/cf-fake-url.XXXXXX")
  rm -f "$url_file"
  python "$REPO_ROOT/tests/support/local_api" --url-file "$url_file" "$@" >/dev/null &
  FAKE_API_PID=$!
  for _ in $(seq 100); do
    [ -s "$url_file" ] && break
    kill -0 "$FAKE_API_PID" 2>/dev/null || { echo "the local API did not start" >&2; exit 1; }
    sleep 0.1
  done
  CF_API_URL=$(cat "$url_file")
  CF_CONTROL_URL=${CF_API_URL%/client/v4}/__fake__
  rm -f "$url_file"
  export CF_API_URL CF_CONTROL_URL
}

stop_fake_api() {
  if [ -n "${FAKE_API_PID:-}" ]; then
    kill "$FAKE_API_PID" 2>/dev/null || true
    wait "$FAKE_API_PID" 2>/dev/null || true
    FAKE_API_PID=
  fi
}

cleanup() {
  stop_fake_api
  if [ -n "${STAGE_ROOT:-}" ] && [ -z "${CF_KEEP_STAGE:-}" ]; then
    rm -rf "$STAGE_ROOT"
  fi
}
