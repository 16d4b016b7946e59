#!/usr/bin/env bash
# The access_user lookup in real playbooks. A script target, because a lookup reads the environment of
# ansible-playbook itself (the `environment:` keyword only reaches modules).
set -eu

# ansible-test hands script targets no variables: read the local API's URLs as role targets get them.
config=../../integration_config.yml
secrets=../setup_cf_local_api/defaults/main.yml
TOKEN=$(sed -n 's/^cf_api_token: //p' "$secrets")
KEY=$(sed -n 's/^cf_api_key: //p' "$secrets")
ACCOUNT_ID=$(sed -n 's/^cf_account_id: //p' "$secrets")
API_URL=$(sed -n 's/^cf_api_url: "\(.*\)"$/\1/p' "$config")
log="${OUTPUT_DIR}/access_user_vvvv.log"
: > "$log"

playbook() { ansible-playbook -i "$INVENTORY_PATH" -e "@$config" "$@"; }
# shellcheck source=../setup_cf_local_api/files/secrets_check.sh
source ../setup_cf_local_api/files/secrets_check.sh
# At -vvvv, into the log that is searched for the secrets at the end.
logged() { run_into_log "$log" "$@" -vvvv; }

playbook lookup.yml

# Options from the environment, with the variable names the modules read; an empty variable is unset.
CLOUDFLARE_API_TOKEN=$TOKEN CLOUDFLARE_ACCOUNT_ID=$ACCOUNT_ID CLOUDFLARE_BASE_URL=$API_URL \
  logged playbook from_env.yml -e cf_expect_auth=token
CLOUDFLARE_API_TOKEN='' CLOUDFLARE_EMAIL=admin@example.com CLOUDFLARE_API_KEY=$KEY \
  CLOUDFLARE_ACCOUNT_ID=$ACCOUNT_ID CLOUDFLARE_BASE_URL=$API_URL \
  logged playbook from_env.yml -e cf_expect_auth=key
# Credentials from variables and keywords, in successes, retries and failures (a server that echoes them
# among them), at -vvvv and at the default verbosity.
logged playbook leak_check.yml
run_into_log "$log" playbook leak_check.yml

no_secrets_in "$log" 4 "$TOKEN" "$KEY"
echo "access_user: no token or key in $(wc -l < "$log") lines of output (-vvvv and the default verbosity)"
