#!/usr/bin/env bash
# The shipped offboarding playbook: extra vars of the wrong type or form (users=5, delete_users=ture, a JSON list in a
# string, a report_dir it cannot write to) fail before any request; --check --diff writes nothing (to the API or to a
# file) and shows what it would do, a run revokes the users' tokens, deletes their registrations, takes them out of
# the Access groups they were put in and frees their seats (the users stay) and keeps a record of the seats and one
# of the groups, a second run only revokes the tokens again (every user
# named, whatever sessions are listed) and leaves that record as it was, delete_users=true deletes users, and 300
# users are offboarded in one run. The account is put back as seeded at the end, whatever happens.
set -euo pipefail  # pipefail: a failing playbook piped into tee fails the target

# ansible-test hands script targets no variables: read the local API's URLs as role targets get them.
config=../../integration_config.yml
api_url=$(sed -n 's/^cf_api_url: "\(.*\)"$/\1/p' "$config")
# The local API's seeded account and token (tests/support/local_api); not secrets.
export CLOUDFLARE_BASE_URL=$api_url CLOUDFLARE_ACCOUNT_ID=023e105f4ecef8ad9ca31a8372d0c353
export CLOUDFLARE_API_TOKEN=fake-cf-token-0123456789abcdefghijklmnopqr
users=barbara.lamport4@example.com,Ada.Diffie8@example.com,nobody@example.com
report_dir=$OUTPUT_DIR/offboard_records

phase() {
  ansible-playbook -i "$INVENTORY_PATH" -e "@$config" -e "phase=$1" phase.yml
}

offboard() {
  local log=$OUTPUT_DIR/offboard_$1.log
  shift
  ansible-playbook cloudflare_community.zero_trust.offboard -e "report_dir=$report_dir" "$@" | tee "$log"
}

# Extra vars of the wrong type or form fail the playbook before any request, saying what is wrong.
refused() {
  local message=$1
  shift
  if offboard refused "$@"; then
    echo "the playbook ran with $*"
    exit 1
  fi
  grep -qF "$message" "$OUTPUT_DIR/offboard_refused.log" || { echo "no '$message' for $*"; exit 1; }
}

phase restore
trap 'phase seeded' EXIT

refused 'a list of emails (got 5)' -e '{"users": 5}'
refused 'not email addresses: [\"5\"]' -e users=5
refused 'users holds JSON inside a string' -e 'users=["barbara.lamport4@example.com", "ada.diffie8@example.com"]'
refused 'delete_users must be true or false, got \"ture\"' -e "users=$users" -e delete_users=ture
refused 'report_dir must name the directory of the records of the seats freed' -e "users=$users" -e report_dir=
outputs=$(cd "$OUTPUT_DIR" && pwd -P)  # as the playbook names it (realpath)
touch "$outputs/a_file"
refused "cannot write the records of the seats freed into $outputs/a_file/offboard ($outputs/a_file is not a writable" \
  -e "users=$users" -e "report_dir=$outputs/a_file/offboard"
phase no_requests

offboard check -e "users=$users" --check --diff
grep -q "Would offboard 2 of 3 users (check mode: nothing was written)" "$OUTPUT_DIR/offboard_check.log"
grep -q "barbara.lamport4@example.com | yes | 4 | 2 | 1 | yes | no" "$OUTPUT_DIR/offboard_check.log"
grep -q "No record of groups and policies written: check mode" "$OUTPUT_DIR/offboard_check.log"
grep -q "nobody@example.com | not found" "$OUTPUT_DIR/offboard_check.log"
grep -q "No record written: check mode" "$OUTPUT_DIR/offboard_check.log"
[ ! -e "$report_dir" ] || { echo "--check wrote into $report_dir: $(ls -A "$report_dir")"; exit 1; }
phase no_writes

offboard run -e "users=$users"
grep -q "Offboarded 2 of 3 users" "$OUTPUT_DIR/offboard_run.log"
grep -q "ada.diffie8@example.com | yes | 3 | 2 | 1 | yes | no" "$OUTPUT_DIR/offboard_run.log"
grep -q "Left for a person (needs_attention of the membership task; the record lists why): Domain, one person required" \
  "$OUTPUT_DIR/offboard_run.log"
# The run's record, named in the summary: the two users found, each with both seats freed.
record=$(cd "$report_dir" && printf '%s\n' offboard-2*.csv)
membership_record=$(cd "$report_dir" && printf '%s\n' offboard-membership-*.csv)
echo "$record" | grep -qxE 'offboard-[0-9]{8}T[0-9]{6}Z\.csv' || { echo "records: [$record]"; exit 1; }
grep -q "Record of the seats this run freed, with the outcome: .*/$record" "$OUTPUT_DIR/offboard_run.log"
python - "$report_dir/$record" <<'PY'
import csv, sys
rows = {row["email"].lower(): (row["seats freed"], row["outcome"])
        for row in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig"))}
assert rows == {"barbara.lamport4@example.com": ("access gateway", "freed"),
                "ada.diffie8@example.com": ("access gateway", "freed")}, rows
PY
# The record of the groups: each user taken out of both groups, and the domain rule left for a person.
echo "$membership_record" | grep -qxE 'offboard-membership-[0-9]{8}T[0-9]{6}Z\.csv' || { echo "[$membership_record]"; exit 1; }
grep -q "Record of the groups and policies this run changed, with the outcome: .*/$membership_record" "$OUTPUT_DIR/offboard_run.log"
python - "$report_dir/$membership_record" <<'PY'
import csv, sys
rows = sorted((row["email"].lower(), row["name"], row["outcome"])
              for row in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
assert rows == sorted([(email, name, "changed") for email in ("barbara.lamport4@example.com", "ada.diffie8@example.com")
                       for name in ("Engineering", "On-call")] + [
    (email, "Domain, one person required", "left for a person: not_an_email_rule")
    for email in ("barbara.lamport4@example.com", "ada.diffie8@example.com")]), rows
PY
record_sum=$(sha256sum "$report_dir/$record" "$report_dir/$membership_record")
phase offboarded

offboard again -e "users=$users"
grep -q "ada.diffie8@example.com | yes | 0 | 0 | 1 | no | no" "$OUTPUT_DIR/offboard_again.log"
grep -q "No record of groups and policies written: no group or policy was changed" "$OUTPUT_DIR/offboard_again.log"
grep -q "No record written: no seat was freed" "$OUTPUT_DIR/offboard_again.log"
[ "$(find "$report_dir" -mindepth 1 -printf '%f\n' | sort)" = "$(printf '%s\n' "$record" "$membership_record" | sort)" ] || {
  echo "the second run left: $(ls -A "$report_dir")"; exit 1; }
echo "$record_sum" | sha256sum --check --quiet
phase revocations_only
phase offboarded

phase create_temporary
offboard delete -e '{"users": ["offboard.temp1@example.com", "offboard.temp2@example.com"], "delete_users": true}'
grep -q "offboard.temp1@example.com | yes | 0 | 0 | 1 | no | yes" "$OUTPUT_DIR/offboard_delete.log"
phase temporary_gone

# Incident size: 300 users (page 2 of the account's listing) in one run, every one revoked, no request refused.
phase restore
python - "$OUTPUT_DIR/offboard_many.json" <<'PY'
import json, os, sys, urllib.request
url = "%s/accounts/%s/access/users?page=2&per_page=300" % (os.environ["CLOUDFLARE_BASE_URL"], os.environ["CLOUDFLARE_ACCOUNT_ID"])
answer = urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": "Bearer " + os.environ["CLOUDFLARE_API_TOKEN"]}))
json.dump({"users": [user["email"] for user in json.load(answer)["result"]]}, open(sys.argv[1], "w"))
PY
offboard many -e "@$OUTPUT_DIR/offboard_many.json" -e "report_dir=$OUTPUT_DIR/offboard_many"
grep -q "Offboarded 300 of 300 users" "$OUTPUT_DIR/offboard_many.log"
phase many
