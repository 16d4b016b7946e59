#!/usr/bin/env bash
# A token or key must never appear in Ansible's output, even at -vvvv, even when a request fails.
set -eu

TOKEN=fake-cf-token-0123456789abcdefghijklmnopqr
KEY=0123456789abcdef0123456789abcdef01234
log="${OUTPUT_DIR}/cf_no_secrets_vvvv.log"

# ansible-test hands script targets no variables: read the local API's URLs as role targets get them.
config=../../integration_config.yml

run() {
  if ! "$@" >> "$log" 2>&1; then
    cat "$log"
    echo "the leak check playbook failed: $*" >&2
    exit 1
  fi
}
: > "$log"
# The playbooks hold the same two values; Ansible's output must not.
CLOUDFLARE_API_TOKEN=$TOKEN run ansible-playbook -i "$INVENTORY_PATH" -e "@$config" -vvvv token_from_env.yml
run ansible-playbook -i "$INVENTORY_PATH" -e "@$config" -vvvv leak_check.yml

leaks=$(grep -n -F -e "$TOKEN" -e "$KEY" "$log" || true)
if [ -n "$leaks" ]; then
  echo "secrets in the -vvvv output:" >&2
  echo "$leaks" >&2
  exit 1
fi
# Both playbooks end by asserting that their failure paths really ran.
checked=$(grep -c '"msg": "All assertions passed"' "$log" || true)
if [ "$checked" -lt 2 ]; then
  echo "expected both playbooks' assertions in the output, found $checked" >&2
  exit 1
fi
# ansible-core up to 2.20 also prints each module's arguments at -vvvv, secrets masked.
masked=$(grep -c "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" "$log" || true)
echo "no token or key in $(wc -l < "$log") lines of -vvvv output ($masked masked arguments shown)"
