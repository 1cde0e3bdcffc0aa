#!/usr/bin/env python3
"""How long an HTML report of `cluster run --format html` takes to open in headless Chromium.

A measurement, not a test: it prints the numbers and asserts nothing.

    .build/release/cluster run ../shared/data/reuters21578/all.jsonl --skip-invalid \
        --format html --output /tmp/reuters.html
    python3 scripts/html_open_time.py /tmp/reuters.html [--runs 3]

For each run, in a fresh browser: the wall time from asking for the page to the report being
drawn (the script sets `data-ready` on <body> after the first story list is on screen), the
page's own clock at that moment (`performance.now()`, which starts with the navigation), and the
DOM's size then. Also the time to open the largest story and its best pair.
"""

import argparse
import os
import shutil
import statistics
import time
from pathlib import Path

os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000"]:
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    size = args.page.stat().st_size
    print(f"page: {args.page} ({size / 1e6:.1f} MB)")
    walls, clocks = [], []
    for run in range(args.runs):
        driver = browser()
        try:
            driver.get("about:blank")
            started = time.perf_counter()
            driver.get(args.page.resolve().as_uri())
            WebDriverWait(driver, 120).until(
                lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
            wall = time.perf_counter() - started
            clock = int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
            nodes = driver.execute_script("return document.getElementsByTagName('*').length")
            started = time.perf_counter()
            driver.find_element(By.CSS_SELECTOR, "#story-list tr.story-row").click()
            WebDriverWait(driver, 30).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, "#story-detail tr.member"))
            story = time.perf_counter() - started
            started = time.perf_counter()
            driver.find_element(By.CSS_SELECTOR, "#story-detail tr.pair-row").click()
            WebDriverWait(driver, 30).until(
                lambda d: d.find_element(By.ID, "pair-view").is_displayed())
            pair = time.perf_counter() - started
        finally:
            driver.quit()
        walls.append(wall)
        clocks.append(clock / 1000)
        print(f"run {run + 1}: open {wall:.2f} s (page clock {clock / 1000:.2f} s, "
              f"{nodes} elements); largest story {story:.2f} s; its best pair {pair:.2f} s")
    print(f"open time: median {statistics.median(walls):.2f} s, max {max(walls):.2f} s "
          f"(page clock median {statistics.median(clocks):.2f} s) over {args.runs} runs")


if __name__ == "__main__":
    main()
