#!/usr/bin/env python3
"""Checks scripts/make_synthetic_archive.py on the committed samples (no ../shared needed).

    python3 scripts/test_make_synthetic_archive.py

The archive must hold --count articles in the corpus schema with unique ids, in date order,
within its year; each story's label must name a source article and its copies must fall within
7 days of each other and differ from their source; the same seed must give the same bytes and
another seed other bytes.
"""
import datetime
import json
import os
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "scripts", "make_synthetic_archive.py")
SAMPLES = os.path.join(ROOT, "Tests", "StoryClusterTests", "Fixtures", "samples")
INPUTS = [os.path.join(SAMPLES, f) for f in ("uci-dev-sample.jsonl", "ecbplus-dev-sample.jsonl")]


def generate(count, seed=1, year=2025):
    arguments = [sys.executable, SCRIPT, "--count", str(count), "--seed", str(seed),
                 "--year", str(year)]
    for path in INPUTS:
        arguments += ["--input", path]
    return subprocess.run(arguments, capture_output=True, text=True, check=True)


def sources():
    out = {}
    for path in INPUTS:
        corpus = os.path.splitext(os.path.basename(path))[0]  # the label names the file
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    o = json.loads(line)
                    out[f"{corpus}/{o['id']}"] = (o.get("title") or "", o.get("body") or "")
    return out


class SyntheticArchiveTests(unittest.TestCase):
    def test_schema_order_and_stories(self):
        run = generate(1000, seed=3, year=2024)
        articles = [json.loads(line) for line in run.stdout.splitlines()]
        self.assertEqual(len(articles), 1000)
        self.assertEqual([a["id"] for a in articles], [f"syn-{i:07d}" for i in range(1, 1001)])
        for a in articles:
            self.assertEqual(set(a), {"id", "title", "body", "date", "story", "source"})
        dates = [datetime.datetime.strptime(a["date"], "%Y-%m-%dT%H:%M:%SZ") for a in articles]
        self.assertEqual(dates, sorted(dates))
        self.assertTrue(all(d.year == 2024 for d in dates))
        known = sources()
        by_story = {}
        for a, d in zip(articles, dates):
            self.assertIn(a["story"], known)
            by_story.setdefault(a["story"], []).append((d, a))
        self.assertEqual(len(by_story), 1000 // 4)  # N/4 stories while there are sources enough
        self.assertGreater(max(len(v) for v in by_story.values()), 10)  # heavy-tailed sizes
        for story, copies in by_story.items():
            span = max(d for d, _ in copies) - min(d for d, _ in copies)
            self.assertLessEqual(span, datetime.timedelta(days=7), story)
            title, body = known[story]
            for _, a in copies:  # every copy is edited: a near-, not an exact, duplicate
                self.assertNotEqual((a["title"], a["body"]), (title, body), story)
        self.assertIn("sha256", run.stderr)

    def test_more_articles_than_sources_use_every_source(self):
        stories = {json.loads(line)["story"] for line in generate(3000).stdout.splitlines()}
        self.assertEqual(stories, set(sources()))  # 411 sources, ~7 copies each

    def test_seeded(self):
        first, again, other = generate(500, seed=7), generate(500, seed=7), generate(500, seed=8)
        self.assertEqual(first.stdout, again.stdout)
        self.assertNotEqual(first.stdout, other.stdout)

    def test_bad_count(self):
        arguments = [sys.executable, SCRIPT, "--count", "0", "--input", INPUTS[0]]
        run = subprocess.run(arguments, capture_output=True, text=True)
        self.assertEqual(run.returncode, 2)
        self.assertIn("--count must be 1 or more, not 0", run.stderr)


if __name__ == "__main__":
    unittest.main()
