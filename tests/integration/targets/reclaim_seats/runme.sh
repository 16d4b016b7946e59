#!/usr/bin/env bash
# The shipped playbook cloudflare_community.zero_trust.reclaim_seats frees exactly the seats of users inactive for
# more than inactive_days and keeps a record of each run that frees seats (reclaim_seats-<UTC time>.csv); --check
# --diff changes nothing and writes no file, a second run writes none either, and no record is ever replaced. A
# PATCH whose answer is lost still ends with the summary and its record, and the run fails. Seats are given back at
# the end, whatever happens.
set -euo pipefail  # pipefail: a failing playbook piped into tee fails the target

# ansible-test hands script targets no variables: read the local API's URLs as role targets get them.
config=../../integration_config.yml
api_url=$(sed -n 's/^cf_api_url: "\(.*\)"$/\1/p' "$config")
control_url=$(sed -n 's/^cf_control_url: "\(.*\)"$/\1/p' "$config")
# The local API's seeded account and token (tests/support/local_api); not secrets.
export CLOUDFLARE_BASE_URL=$api_url CLOUDFLARE_ACCOUNT_ID=023e105f4ecef8ad9ca31a8372d0c353
export CLOUDFLARE_API_TOKEN=fake-cf-token-0123456789abcdefghijklmnopqr
export ANSIBLE_ROLES_PATH=..  # give_back_seats.yml of the cf_access_seat target
snapshot=$OUTPUT_DIR/reclaim_seats_before.json
report_dir=$OUTPUT_DIR/reclaim_report

check() {
  ansible-playbook -i "$INVENTORY_PATH" -e "@$config" -e "phase=$1" -e "snapshot=$snapshot" check_seats.yml
}

reclaim() {
  ansible-playbook cloudflare_community.zero_trust.reclaim_seats -e "report_dir=$report_dir" "$@"
}

# The records in report_dir, oldest first (their names sort by the UTC time of their run), one a line.
records() {
  if [ -d "$report_dir" ]; then (cd "$report_dir" && ls -A); fi
}

# The record the last run wrote: the one file that is not among the records listed in $1; fails unless there is
# exactly one, named reclaim_seats-<UTC time>.csv.
new_record() {
  local added
  added=$(comm -13 <(echo "$1") <(records))
  [ "$(echo "$added" | grep -c .)" -eq 1 ] || { echo "expected one new record, found: [$added]"; exit 1; }
  echo "$added" | grep -qE '^reclaim_seats-[0-9]{8}T[0-9]{6}Z(-[0-9]+)?\.csv$' || { echo "badly named: $added"; exit 1; }
  echo "$report_dir/$added"
}

# The ids of a record's rows with this outcome, sorted; fails unless every row has the record's columns and no row
# says a seat was freed that its outcome does not confirm.
csv_ids() {
  python - "$1" "$2" <<'PY'
import csv
import sys

with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    rows = list(csv.DictReader(handle))
columns = ["email", "name", "access seat", "gateway seat", "devices", "last login", "created", "id", "days inactive",
           "seats to free", "seats freed", "outcome"]
assert all(list(row) == columns for row in rows), "columns differ: %s" % (rows[:1],)
assert all(row["seats freed"] == "" for row in rows if row["outcome"] not in ("freed", "still held")), rows
print("\n".join(sorted(row["id"] for row in rows if row["outcome"] == sys.argv[2])))
PY
}

check before  # also writes the ids of the stale seat holders, by the target's own rule, to $snapshot.stale
trap 'check give_back' EXIT

# A number of days that would wrap the cutoff around is refused before any request.
if reclaim -e inactive_days=500000 > "$OUTPUT_DIR/reclaim_huge.log" 2>&1; then
  cat "$OUTPUT_DIR/reclaim_huge.log"; echo "inactive_days=500000 was not refused"; exit 1
fi
grep -q "inactive_days must be a whole number of days from 1 to 36500 (100 years), got 500000" "$OUTPUT_DIR/reclaim_huge.log"
grep -q "Nothing was freed" "$OUTPUT_DIR/reclaim_huge.log"
check unchanged

# The controller's time zone changes nothing: as many users as the target's own rule picks, from the dateline's two
# sides. A preview writes no file, not even report_dir.
stale_count=$(grep -c . "$snapshot.stale")
for zone in Pacific/Kiritimati America/Los_Angeles; do
  TZ=$zone reclaim --check --diff | tee "$OUTPUT_DIR/reclaim_check.log"
  grep -q "Would free the seats of $stale_count of $stale_count users last active before" "$OUTPUT_DIR/reclaim_check.log"
  grep -q "Check mode: no record written (a run keeps one in " "$OUTPUT_DIR/reclaim_check.log"
  [ ! -e "$report_dir" ] || { echo "--check wrote into $report_dir: $(records)"; exit 1; }
done
check unchanged

TZ=Pacific/Kiritimati reclaim | tee "$OUTPUT_DIR/reclaim_run.log"
grep -q "Freed the seats of \([1-9][0-9]*\) of \1 users last active before" "$OUTPUT_DIR/reclaim_run.log"
first=$(new_record "")
grep -q "Record of this run, every user picked with the outcome: $first" "$OUTPUT_DIR/reclaim_run.log"
diff <(csv_ids "$first" freed) "$snapshot.stale"
first_sum=$(sha256sum "$first")
check stale_freed

# A second run frees nothing and writes no file: the first run's record stays as it was.
reclaim | tee "$OUTPUT_DIR/reclaim_again.log"
grep -q "Nothing to free: no seat holder was last active before" "$OUTPUT_DIR/reclaim_again.log"
grep -q "No record written: nothing was freed" "$OUTPUT_DIR/reclaim_again.log"
if grep -q "Freed the seats of" "$OUTPUT_DIR/reclaim_again.log"; then echo "a second run reported freed seats"; exit 1; fi
[ "$(records)" = "$(basename "$first")" ] || { echo "the second run left: $(records)"; exit 1; }
echo "$first_sum" | sha256sum --check --quiet
reclaim --check | tee "$OUTPUT_DIR/reclaim_check_again.log"
[ "$(records)" = "$(basename "$first")" ] || { echo "--check left: $(records)"; exit 1; }
echo "$first_sum" | sha256sum --check --quiet
check stale_freed

# The first PATCH (1,000 seats) is processed, then its answer is lost every time, and reading its users again
# (after the 3 pages of the listing) fails too: the run ends with its report (those seats unknown, the rest not
# sent) and fails. Running again frees the rest.
check give_back
add_fault() {
  python -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/faults",
    data=sys.argv[2].encode(), headers={"Content-Type": "application/json"}, method="POST"))' "$control_url" "$1"
}
add_fault '{"kind": "drop_after_processing", "times": -1, "method": "PATCH", "path": "/access/seats"}'
add_fault '{"kind": "status", "status": 503, "times": -1, "method": "GET", "after": 3}'
listed=$(records)
if reclaim > "$OUTPUT_DIR/reclaim_lost.log" 2>&1; then
  cat "$OUTPUT_DIR/reclaim_lost.log"; echo "the run whose PATCH answer was lost did not fail"; exit 1
fi
python -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/faults",
  method="DELETE"))' "$control_url"
cat "$OUTPUT_DIR/reclaim_lost.log"
grep -q "Freed the seats of 0 of [1-9][0-9]* users last active before" "$OUTPUT_DIR/reclaim_lost.log"
grep -q "Unknown: the seats of 1000 users (a PATCH failed without a clear answer" "$OUTPUT_DIR/reclaim_lost.log"
grep -q "Not freed: the seats of [1-9][0-9]* users; running the playbook again is safe" "$OUTPUT_DIR/reclaim_lost.log"
grep -q "FAILED: PATCH /accounts/.*/access/seats failed" "$OUTPUT_DIR/reclaim_lost.log"
lost=$(new_record "$listed")
grep -q "Record of this run, every user picked with the outcome: $lost" "$OUTPUT_DIR/reclaim_lost.log"
[ "$(csv_ids "$lost" unknown | wc -l)" -eq 1000 ]
diff <({ csv_ids "$lost" unknown; csv_ids "$lost" "not sent"; } | sort) "$snapshot.stale"
csv_ids "$lost" unknown > "$OUTPUT_DIR/unknown_ids"

listed=$(records)
reclaim | tee "$OUTPUT_DIR/reclaim_after_lost.log"
grep -q "Freed the seats of \([1-9][0-9]*\) of \1 users last active before" "$OUTPUT_DIR/reclaim_after_lost.log"
rest=$(new_record "$listed")
diff <({ csv_ids "$rest" freed; cat "$OUTPUT_DIR/unknown_ids"; } | sort) "$snapshot.stale"
check stale_freed  # the local API had processed the first PATCH; the second run freed the rest
# Every run that freed seats, or tried to, kept its own record; the first is as it was.
[ "$(records | wc -l)" -eq 3 ]
echo "$first_sum" | sha256sum --check --quiet
