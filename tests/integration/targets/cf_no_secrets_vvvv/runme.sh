#!/usr/bin/env bash
# A token or key must never appear in Ansible's output, even at -vvvv, even when a request fails.
set -eu

TOKEN=fake-cf-token-0123456789abcdefghijklmnopqr
KEY=0123456789abcdef0123456789abcdef01234
log="${OUTPUT_DIR}/cf_no_secrets_vvvv.log"

# ansible-test hands script targets no variables: read the local API's URLs as role targets get them.
config=../../integration_config.yml

# shellcheck source=../setup_cf_local_api/files/secrets_check.sh
source ../setup_cf_local_api/files/secrets_check.sh
: > "$log"
# The playbooks hold the same two values; Ansible's output must not.
CLOUDFLARE_API_TOKEN=$TOKEN run_into_log "$log" ansible-playbook -i "$INVENTORY_PATH" -e "@$config" -vvvv token_from_env.yml
run_into_log "$log" ansible-playbook -i "$INVENTORY_PATH" -e "@$config" -vvvv leak_check.yml
# And at the default verbosity (a server that echoes the credentials among the failures).
run_into_log "$log" ansible-playbook -i "$INVENTORY_PATH" -e "@$config" leak_check.yml
# The playbooks end by asserting that their failure paths really ran.
no_secrets_in "$log" 3 "$TOKEN" "$KEY"
# ansible-core up to 2.20 also prints each module's arguments at -vvvv, secrets masked.
masked=$(grep -c "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" "$log" || true)
echo "no token or key in $(wc -l < "$log") lines of output, -vvvv and default verbosity ($masked masked arguments shown)"
