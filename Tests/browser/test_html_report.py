"""`cluster run --format html` in a real browser: headless Chromium driven by Selenium.

Run from the repository root, after building:

    swift build -c release --product cluster
    python3 -m pytest Tests/browser --cluster .build/release/cluster --screenshot docs/html-report.png

Each test writes the report of a corpus (and its JSON report, the reference), opens the page from
file:// and does what an editor would: reads the counts, opens a story and a pair, filters. No test
may leave a console error, and input text must show as text and never run.
"""

import json
import re
from pathlib import Path

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ROOT, run_cluster

SEEDS = ROOT / "seeds"


# MARK: - Helpers


def reports(cluster, tmp_path, *inputs):
    """Writes the HTML and JSON reports of `inputs`; returns the page's path and the JSON."""
    page = tmp_path / "report.html"
    run_cluster(cluster, "run", *inputs, "--format", "html", output=page)
    data = json.loads(run_cluster(cluster, "run", *inputs, "--format", "json"))
    return page, data


def open_page(browser, page):
    browser.get_log("browser")  # drop what an earlier page logged
    browser.get(page.resolve().as_uri())
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready")
    )


def console_problems(browser):
    """The console's errors and warnings since the last call (CSP violations are errors)."""
    return [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def assert_no_alert(browser):
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text


def counts(browser):
    return {
        name: int(browser.find_element(By.ID, f"count-{name}").get_attribute("data-value"))
        for name in ("articles", "stories", "pairs")
    }


def assert_counts_match(browser, data):
    assert counts(browser) == {
        "articles": data["articles"],
        "stories": len(data["clusters"]),
        "pairs": len(data["pairs"]),
    }
    # What a reader sees: the same numbers, grouped with commas.
    shown = browser.find_element(By.ID, "count-pairs").text
    assert shown.replace(",", "") == str(len(data["pairs"]))


def display_title(title, body):
    """What the page shows for an article: its title, else the start of its body, on one line."""
    text = title if title else body
    return " ".join(text.split())


def words(text):
    return re.findall(r"\w+", text.lower())


def open_story(browser, index):
    rows = browser.find_elements(By.CSS_SELECTOR, "#story-list tr.story-row")
    rows[index].click()
    return browser.find_element(By.ID, "story-detail")


def shown_members(detail):
    """(id, title) of each member row of the open story, in order."""
    cells = detail.find_elements(By.CSS_SELECTOR, "tr.member td:nth-child(2)")
    return [(c.get_attribute("title"), c.text) for c in cells]


def check_pair_view(browser, pair):
    """The open pair view shows both texts with their shared passages highlighted, the JSON's
    shared terms with weights, and the explanation."""
    view = browser.find_element(By.ID, "pair-view")
    assert view.is_displayed()
    sides = view.find_elements(By.CSS_SELECTOR, ".side")
    assert len(sides) == 2
    marks = [
        {m.get_attribute("data-passage"): m.text for m in side.find_elements(By.TAG_NAME, "mark")}
        for side in sides
    ]
    assert marks[0], "no shared passage is highlighted"
    assert set(marks[0]) == set(marks[1])
    for k, text in marks[0].items():
        # Both highlights of a passage hold the same words, at least three.
        assert words(text) == words(marks[1][k]) and len(words(text)) >= 3
    listed = [li.text for li in view.find_elements(By.CSS_SELECTOR, "ol.passages li")]
    assert len(listed) == len(marks[0])
    terms = [t.text for t in view.find_elements(By.CSS_SELECTOR, "table.terms td.term")]
    assert terms == [t["term"] for t in pair["shared_terms"]]
    weights = view.find_elements(By.CSS_SELECTOR, "table.terms td:nth-child(2)")
    assert [w.text for w in weights] == [f"{t['weight']:.4f}" for t in pair["shared_terms"]]
    explanation = view.find_element(By.CSS_SELECTOR, ".explain").text
    assert f"pair score {pair['score']:.4f}" in explanation
    # The blended pair score's parts, as `cluster explain` prints them.
    assert f"pair score {pair['score']:.4f} = (" in explanation, explanation
    assert " + characters " in explanation and " × numbers " in explanation, explanation
    assert "story similarity" in explanation and "threshold" in explanation
    # A link's story similarity shows its parts, the names cosine among them (the defaults
    # blend it in), as `cluster explain` prints them.
    assert "not a link" in explanation or " × names " in explanation, explanation
    return explanation


def filters_applied(browser, state):
    """Waits until the story list shows the filters `term|source|minimum size` (it updates
    150 ms after the last keystroke)."""
    WebDriverWait(browser, 5).until(
        lambda d: d.find_element(By.ID, "story-list").get_attribute("data-filter") == state
    )


def close_pair(browser):
    browser.find_element(By.ID, "close-pair").click()
    assert not browser.find_element(By.ID, "pair-view").is_displayed()


# MARK: - The founding articles


def test_seeds_report(browser, cluster, tmp_path):
    page, data = reports(cluster, tmp_path, SEEDS)
    open_page(browser, page)
    assert_counts_match(browser, data)

    detail = open_story(browser, 0)
    members = shown_members(detail)
    assert [m[0] for m in members] == data["clusters"][0]["members"]
    for article_id, title in members:
        lines = [l for l in (SEEDS / article_id).read_text().splitlines() if l.strip()]
        expected = display_title(lines[0], "")
        assert expected.startswith(title.rstrip("…")), (title, expected)

    detail.find_element(By.CSS_SELECTOR, "tr.pair-row").click()
    explanation = check_pair_view(browser, data["pairs"][0])
    assert "SAME STORY #1" in explanation
    close_pair(browser)
    assert console_problems(browser) == []


# MARK: - ECB+ DEV


def test_ecbplus_report(browser, cluster, ecbplus, tmp_path, screenshot_path):
    page, data = reports(cluster, tmp_path, ecbplus)
    articles = {}
    for line in ecbplus.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        articles[record["id"]] = record
    open_page(browser, page)
    assert_counts_match(browser, data)
    rows = browser.find_elements(By.CSS_SELECTOR, "#story-list tr.story-row")
    assert len(rows) == min(100, len(data["clusters"]))

    # The largest story: its members in order, with the titles of the input.
    detail = open_story(browser, 0)
    story = data["clusters"][0]
    members = shown_members(detail)
    assert [m[0] for m in members] == story["members"][:100]
    for article_id, title in members:
        record = articles[article_id]
        expected = display_title(record["title"] or "", record["body"] or "")
        assert expected.startswith(title.rstrip("…")), (title, expected)
    # Its heatmap: one cell per two members (at most 40 members).
    n = min(40, story["size"])
    assert len(detail.find_elements(By.CSS_SELECTOR, "svg.heatmap rect")) == n * n
    screenshot_path.parent.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(1400, 1400)
    browser.save_screenshot(str(screenshot_path))
    browser.set_window_size(1400, 1000)

    # Its best pair, side by side.
    first = detail.find_element(By.CSS_SELECTOR, "tr.pair-row")
    first.click()
    pair = next(
        p for p in data["pairs"] if p["a"] in story["members"] and p["b"] in story["members"]
    )
    explanation = check_pair_view(browser, pair)
    assert f"SAME STORY #{story['id']}" in explanation
    titles = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#pair-view .side-title")]
    for article_id, title in zip((pair["a"], pair["b"]), titles):
        record = articles[article_id]
        expected = display_title(record["title"] or "", record["body"] or "")
        assert expected.startswith(title.rstrip("…"))
    browser.save_screenshot(str(screenshot_path.with_name(screenshot_path.stem + "-pair.png")))
    close_pair(browser)

    # Filters: minimum size, then a label term.
    size = browser.find_element(By.ID, "filter-size")
    size.clear()
    size.send_keys("15")
    expected = [c["id"] for c in data["clusters"] if c["size"] >= 15]
    filters_applied(browser, "||15")
    shown = [
        r.find_element(By.CSS_SELECTOR, "td").text
        for r in browser.find_elements(By.CSS_SELECTOR, "#story-list tr.story-row")
    ]
    assert shown == [f"#{i}" for i in expected]
    size.clear()
    size.send_keys("1")
    term = data["clusters"][4]["label"][0]
    browser.find_element(By.ID, "filter-term").send_keys(term)
    filters_applied(browser, f"{term}||1")
    shown = [
        r.find_element(By.CSS_SELECTOR, "td").text
        for r in browser.find_elements(By.CSS_SELECTOR, "#story-list tr.story-row")
    ]
    assert f"#{data['clusters'][4]['id']}" in shown
    assert len(shown) < len(data["clusters"])

    # The pairs tab: the ranking, a page at a time.
    browser.find_element(By.CSS_SELECTOR, "button[data-tab=pairs]").click()
    ranked = browser.find_elements(By.CSS_SELECTOR, "#pair-list tr.pair-row")
    assert len(ranked) == 100
    cells = [c.text for c in ranked[0].find_elements(By.TAG_NAME, "td")]
    assert cells[0] == "1" and cells[1] == f"{data['pairs'][0]['score']:.4f}"
    assert cells[2] == data["pairs"][0]["kind"]
    ranked[0].click()
    check_pair_view(browser, data["pairs"][0])
    close_pair(browser)
    assert console_problems(browser) == []


# MARK: - Escaping, links and the timeline


HOSTILE = "<img src=x onerror=alert(1)>"


def test_input_text_is_shown_never_run(browser, cluster, tmp_path):
    body = (
        "Flood waters rose in the town of Riverside on Monday as heavy rain kept falling and "
        "hundreds of residents left their homes near the river"
    )
    records = [
        {
            "id": "x1",
            "title": HOSTILE,
            "body": body + " </script><script>alert(2)</script> \u2028 <!-- & -->.",
            "source": "<b>Wire</b>",
            "date": "2024-03-01T10:00:00Z",
            "url": "javascript:alert(3)",
        },
        {
            "id": "x2",
            "title": "Riverside floods <script>alert(4)</script>",
            "body": body + ", officials said.",
            "source": "Daily & Co",
            "date": "2024-03-02T09:00:00Z",
            "url": "https://example.org/flood?a=1&b=<2>",
        },
        {
            "id": "x3",
            "title": "Markets close higher",
            "body": "Stocks closed higher on Tuesday after a quiet session of trading in Europe.",
            "date": "2024-03-05T12:00:00Z",
        },
    ]
    corpus = tmp_path / "hostile.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    page, data = reports(cluster, tmp_path, corpus)
    assert HOSTILE.encode() not in page.read_bytes()

    open_page(browser, page)
    assert_no_alert(browser)
    assert_counts_match(browser, data)

    def untouched():
        assert browser.execute_script("return document.images.length") == 0
        assert browser.execute_script("return document.scripts.length") == 2
        assert browser.execute_script("return document.querySelectorAll('b').length") == 0
        assert_no_alert(browser)

    untouched()
    story = next(c for c in data["clusters"] if "x1" in c["members"])
    row = next(
        r
        for r in browser.find_elements(By.CSS_SELECTOR, "#story-list tr.story-row")
        if r.find_element(By.CSS_SELECTOR, "td").text == f"#{story['id']}"
    )
    row.click()
    detail = browser.find_element(By.ID, "story-detail")
    members = dict(shown_members(detail))
    assert members["x1"] == HOSTILE
    assert members["x2"] == "Riverside floods <script>alert(4)</script>"
    assert "<b>Wire</b>" in detail.text
    links = detail.find_elements(By.CSS_SELECTOR, "a")
    assert [a.get_attribute("href") for a in links] == ["https://example.org/flood?a=1&b=%3C2%3E"]
    untouched()

    detail.find_element(By.CSS_SELECTOR, "tr.pair-row").click()
    view = browser.find_element(By.ID, "pair-view")
    assert HOSTILE in view.find_element(By.CSS_SELECTOR, ".side-title").text
    assert "</script><script>alert(2)</script>" in view.find_element(By.CSS_SELECTOR, ".side").text
    assert view.find_elements(By.TAG_NAME, "mark")
    untouched()
    close_pair(browser)

    # Dated stories make a timeline; a bar opens its story.
    browser.find_element(By.CSS_SELECTOR, "button[data-tab=timeline]").click()
    bars = browser.find_elements(By.CSS_SELECTOR, "#timeline rect.story-bar")
    assert len(bars) == len(data["clusters"])
    assert "2024-03-01" in browser.find_element(By.ID, "timeline").text
    bars[0].click()
    assert browser.find_element(By.ID, "tab-stories").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "#story-detail h2").text.startswith("Story #")
    untouched()
    assert console_problems(browser) == []
