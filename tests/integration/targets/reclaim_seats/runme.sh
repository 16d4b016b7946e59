#!/usr/bin/env bash
# The shipped seat reclamation playbook frees exactly the seats of users inactive for more than
# inactive_days, and --check --diff changes nothing. Seats are given back at the end, whatever happens.
set -euo pipefail  # pipefail: a failing playbook piped into tee fails the target

# ansible-test hands script targets no variables: read the local API's URLs as role targets get them.
config=../../integration_config.yml
api_url=$(sed -n 's/^cf_api_url: "\(.*\)"$/\1/p' "$config")
# The local API's seeded account and token (tests/support/fake_cloudflare.py); not secrets.
export CLOUDFLARE_BASE_URL=$api_url CLOUDFLARE_ACCOUNT_ID=023e105f4ecef8ad9ca31a8372d0c353
export CLOUDFLARE_API_TOKEN=fake-cf-token-0123456789abcdefghijklmnopqr
export ANSIBLE_ROLES_PATH=..  # give_back_seats.yml of the cf_access_seat target
snapshot=$OUTPUT_DIR/reclaim_seats_before.json

check() {
  ansible-playbook -i "$INVENTORY_PATH" -e "@$config" -e "phase=$1" -e "snapshot=$snapshot" check_seats.yml
}

check before
trap 'check give_back' EXIT

ansible-playbook cloudflare_community.zero_trust.reclaim_seats --check --diff | tee "$OUTPUT_DIR/reclaim_check.log"
grep -q "Would free the seats of [1-9][0-9]* users inactive since" "$OUTPUT_DIR/reclaim_check.log"
check unchanged

ansible-playbook cloudflare_community.zero_trust.reclaim_seats | tee "$OUTPUT_DIR/reclaim_run.log"
check stale_freed

ansible-playbook cloudflare_community.zero_trust.reclaim_seats | tee "$OUTPUT_DIR/reclaim_again.log"
grep -q "Freed the seats of 0 users" "$OUTPUT_DIR/reclaim_again.log"
check stale_freed
