# Sourced by the script targets that run playbooks at -vvvv and then search their output for the credentials.
# shellcheck shell=bash

# run_into_log LOG COMMAND [ARG ...]: run COMMAND with its output appended to LOG; if it fails, show LOG and stop.
run_into_log() {
  local log=$1
  shift
  if ! "$@" >> "$log" 2>&1; then
    cat "$log"
    echo "failed: $*" >&2
    exit 1
  fi
}

# no_secrets_in LOG PLAYBOOKS SECRET [SECRET ...]: stop if any SECRET appears in LOG, or if fewer than PLAYBOOKS
# playbooks in it ended by asserting that their failure paths really ran.
no_secrets_in() {
  local log=$1 playbooks=$2 leaks checked pattern
  shift 2
  local patterns=()
  for pattern in "$@"; do
    patterns+=(-e "$pattern")
  done
  leaks=$(grep -n -F "${patterns[@]}" "$log" || true)
  if [ -n "$leaks" ]; then
    echo "secrets in the -vvvv output:" >&2
    echo "$leaks" >&2
    exit 1
  fi
  checked=$(grep -c '"msg": "All assertions passed"' "$log" || true)
  if [ "$checked" -lt "$playbooks" ]; then
    echo "expected the assertions of $playbooks playbooks in the -vvvv output, found $checked" >&2
    exit 1
  fi
}
