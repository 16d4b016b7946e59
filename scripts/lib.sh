# shellcheck shell=bash
# Shared by scripts/test, demo, docsite and benchmark, sourced: the commands a person runs start before any venv
# exists, so they start in shell, and set up .venv here. Everything after that is Python (tests/runner/).
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${CF_VENV:-$REPO_ROOT/.venv}
export COLLECTION=cloudflare_community.zero_trust

log() { printf '\n==> %s\n' "$*" >&2; }

# .venv from requirements-dev.txt, set up again when that file changes (tests/runner/dev_venv.py), first on PATH.
ensure_venv() {
  "${PYTHON:-$(command -v python3.11 || command -v python3)}" "$REPO_ROOT/tests/runner/dev_venv.py" "$VENV" \
    "$REPO_ROOT/requirements-dev.txt"
  export PATH="$VENV/bin:$PATH" ANSIBLE_NOCOLOR=1 NO_COLOR=1 PY_COLORS=0  # plain output: it ends up in logs and notes
}

# The collection of this clone, built and installed into .cache/collections, as users install it from Galaxy.
install_collection() {
  python "$REPO_ROOT/tests/runner/tools.py" install-collection "$REPO_ROOT/.cache/collections"
  export ANSIBLE_COLLECTIONS_PATH=$REPO_ROOT/.cache/collections
}
