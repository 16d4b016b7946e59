#!/usr/bin/env bash
# The shipped seat report: --check writes nothing, a run writes seat_report.csv (every user, as the API gives them)
# and a self-contained seat_report.html, and prints the counts and where the files are.
set -euo pipefail  # pipefail: a failing playbook piped into tee fails the target

# ansible-test hands script targets no variables: read the local API's URL as role targets get it.
config=../../integration_config.yml
api_url=$(sed -n 's/^cf_api_url: "\(.*\)"$/\1/p' "$config")
# The local API's seeded account and token (tests/support/local_api); not secrets.
export CLOUDFLARE_BASE_URL=$api_url CLOUDFLARE_ACCOUNT_ID=023e105f4ecef8ad9ca31a8372d0c353
export CLOUDFLARE_API_TOKEN=fake-cf-token-0123456789abcdefghijklmnopqr
report_dir=$OUTPUT_DIR/seat_report

ansible-playbook cloudflare_community.zero_trust.seat_report --check -e "report_dir=$report_dir" | tee "$OUTPUT_DIR/check.log"
grep -q "Check mode: no file written" "$OUTPUT_DIR/check.log"
[ ! -e "$report_dir/seat_report.csv" ] || { echo "check mode wrote $report_dir/seat_report.csv"; exit 1; }

ansible-playbook cloudflare_community.zero_trust.seat_report -e "report_dir=$report_dir" | tee "$OUTPUT_DIR/run.log"
grep -q "Report: $report_dir/seat_report.html (open it in a browser)" "$OUTPUT_DIR/run.log"
grep -q "Every user: $report_dir/seat_report.csv" "$OUTPUT_DIR/run.log"
grep -qE "[0-9]+ flagged users: [0-9]+ inactive" "$OUTPUT_DIR/run.log"
grep -q "<svg" "$report_dir/seat_report.html"

# The CSV against the users the API lists, read with Python's csv module.
python - "$report_dir/seat_report.csv" "$api_url" "$OUTPUT_DIR/run.log" <<'PY'
import csv, json, re, sys, urllib.request
path, api_url, log = sys.argv[1:]
rows = list(csv.DictReader(open(path, newline="", encoding="utf-8-sig")))
users, page = [], 1
while True:
    request = urllib.request.Request(
        "%s/accounts/023e105f4ecef8ad9ca31a8372d0c353/access/users?per_page=1000&page=%d" % (api_url, page),
        headers={"Authorization": "Bearer fake-cf-token-0123456789abcdefghijklmnopqr"})
    answer = json.load(urllib.request.urlopen(request))
    users += answer["result"]
    if page >= answer["result_info"]["total_pages"]:
        break
    page += 1
assert len(rows) == len(users), (len(rows), len(users))
assert sorted(row["email"].lower() for row in rows) == sorted(user["email"].lower() for user in users)
seats = {user["email"].lower(): user for user in users}
for row in rows:
    user = seats[row["email"].lower()]
    assert row["access seat"] == ("yes" if user["access_seat"] else "no"), row
    assert row["gateway seat"] == ("yes" if user["gateway_seat"] else "no"), row
shown = re.search(r"(\d+) users: (\d+) Access seats", open(log).read())
assert shown and int(shown.group(1)) == len(users), shown
assert int(shown.group(2)) == sum(1 for user in users if user["access_seat"]), shown
print("seat_report.csv: %d rows, one per user of the local API, seats as the API gives them" % len(rows))
PY
