# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The seat report as a person gets it: its HTML page in a real headless Chromium, its CSV file against the API.

Run by ``scripts/test report`` after the seat_report playbook wrote both files from the local API. Checks that the
page renders with its counts, chart, flagged users and full table; that it speaks people's words (no identifier
such as never_logged_in, no API timestamp, no "1 users"); that clicking a column header sorts the table
(both ways, by text, number and time); that the flag filter shows the flagged users; that the page fetched nothing
(the browser's own network log: the one file:// request); that no script error or policy violation was logged;
and that the CSV file parses with Python's csv module and holds exactly the users the local API serves. It saves
a screenshot for a person to look at.

Uses Debian's ``chromium`` and ``chromium-driver`` through selenium; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353"  # the local API's seeded account and token; not secrets
API_TOKEN = "fake-cf-token-0123456789abcdefghijklmnopqr"


def browser(chromium, chromedriver):
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1800", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)


def api_users(api_url):
    """Every user of the local API's account, page by page."""
    users, page = [], 1
    while True:
        request = urllib.request.Request("%s/accounts/%s/access/users?page=%d&per_page=1000" % (api_url, ACCOUNT_ID, page),
                                         headers={"Authorization": "Bearer " + API_TOKEN})
        with urllib.request.urlopen(request) as answer:  # nosec - the local API on 127.0.0.1
            body = json.load(answer)
        users.extend(body["result"])
        if page >= body["result_info"]["total_pages"]:
            return users
        page += 1


def check_csv(path, users):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = sorted(([user["email"], user["name"], "yes" if user["access_seat"] else "no",
                        "yes" if user["gateway_seat"] else "no", str(user["active_device_count"]),
                        user["last_successful_login"] or "", user["created_at"], user["id"]] for user in users),
                      key=lambda row: (row[0].lower(), row[7]))
    got = [[row[column] for column in ("email", "name", "access seat", "gateway seat", "devices", "last login",
                                       "created", "id")] for row in rows]
    require(got == expected, "the CSV file does not hold exactly the %d users of the API" % len(users))
    print("csv: %d rows, exactly the users of the local API, sorted by email" % len(rows))
    return rows


def require(condition, message):
    if not condition:
        sys.exit("seat report check failed: " + message)


def column(driver, index, attribute=None):
    """The visible values of one column of the full table, top to bottom (via one script, fast at any size)."""
    return driver.execute_script(
        "var out = [], rows = document.getElementById('users').tBodies[0].rows;"
        "for (var i = 0; i < rows.length; i++) { if (rows[i].hidden) continue; var c = rows[i].cells[arguments[0]];"
        "out.push(arguments[1] ? c.getAttribute(arguments[1]) : c.textContent); } return out;", index, attribute)


def check_sorting(driver):
    heads = driver.find_elements(By.CSS_SELECTOR, "#users thead th")
    names = [head.text.strip() for head in heads]
    for name, index, key in (("email", 0, lambda value: value.lower()), ("devices", 4, float),
                             ("last login", 5, float), ("name", 1, lambda value: value.lower())):
        attribute = "data-v" if name == "last login" else None
        head = heads[names.index(name)]
        for direction in ("ascending", "descending"):
            head.click()
            WebDriverWait(driver, 30).until(lambda _d, h=head, d=direction: h.get_attribute("aria-sort") == d)
            values = [key(value) for value in column(driver, index, attribute)]
            require(values == sorted(values, reverse=direction == "descending"),
                    "clicking %r did not sort the table %s" % (name, direction))
        print("sorting: clicking %r sorts the table ascending, then descending" % name)


def check_words(driver):
    """What a person reads on the page: words, not identifiers; readable times; nouns in the right number."""
    text = driver.find_element(By.TAG_NAME, "body").text
    identifiers = sorted(set(re.findall(r"\b(?:never_logged_in|no_device|unknown_time|unknown_seat)\b", text)))
    require(not identifiers, "the page shows identifiers: %s" % identifiers)
    stamps = re.findall(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", text)
    require(not stamps, "the page shows the API's timestamps, such as %s" % stamps[:1])
    wrong = re.findall(r"(?<![\d,])1 (?:users|seats|Access seats|Gateway seats|days|flagged users)\b", text)
    require(not wrong, "the page says %s" % wrong[:1])
    require(re.search(r"read \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC", text), "the page's time is not readable")
    print("words: no identifier, no API timestamp, every count with its noun in the right number")


def network_requests(driver):
    """Every URL the browser asked for, from Chromium's own network events."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("html")
    parser.add_argument("csv")
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()

    users = api_users(args.api_url)
    rows = check_csv(args.csv, users)
    page_url = "file://" + os.path.abspath(args.html)
    driver = browser(args.chromium, args.chromedriver)
    try:
        driver.get(page_url)
        WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")
        require(driver.title == "Zero Trust seat report", "the page's title is %r" % driver.title)
        cards = driver.find_elements(By.CSS_SELECTOR, "#counts .card b")
        require(cards and cards[0].text == "{:,}".format(len(users)), "the first count is not the %d users" % len(users))

        chart = driver.find_element(By.ID, "chart")
        bars = chart.find_elements(By.CSS_SELECTOR, "rect.bar")
        require(chart.size["width"] > 300 and chart.size["height"] > 150, "the chart is not drawn: %s" % chart.size)
        require(len(bars) >= 12 and any(float(rect.get_attribute("height")) > 10 for rect in bars),
                "the chart has no bars")
        print("chart: %d bars, %dx%d px" % (len(bars), chart.size["width"], chart.size["height"]))

        table_rows = column(driver, 0)
        require(len(table_rows) == len(users), "the table shows %d rows, not %d" % (len(table_rows), len(users)))
        flagged = driver.find_element(By.ID, "flagged")
        require("inactive" in flagged.text, "the flagged users are not listed")
        print("table: %d rows; flagged users: %s" % (len(table_rows), flagged.find_element(By.TAG_NAME, "h2").text))

        check_words(driver)
        check_sorting(driver)

        Select(driver.find_element(By.ID, "filter")).select_by_value("inactive")
        shown = column(driver, 0)
        inactive = sorted(row["email"] for row in rows if "inactive" in row["flags"].split())
        require(sorted(shown) == inactive, "the inactive filter shows %d rows, the CSV flags %d" % (len(shown), len(inactive)))
        print("filter: 'inactive' shows the %d users the CSV flags inactive" % len(shown))
        Select(driver.find_element(By.ID, "filter")).select_by_value("")
        driver.execute_script("window.scrollTo(0, 0)")

        fetched = [url for url in network_requests(driver) if url != page_url]
        resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        require(not fetched and not resources, "the page fetched %s" % (fetched or resources))
        print("network: the page fetched nothing (one request, %s)" % page_url)
        problems = [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
        require(not problems, "the browser logged: %s" % problems)
        print("console: no error, no content security policy violation")
        driver.save_screenshot(args.screenshot)
        print("screenshot: %s" % args.screenshot)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
