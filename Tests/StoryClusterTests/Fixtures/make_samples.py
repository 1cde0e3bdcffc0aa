#!/usr/bin/env python3
"""Draws the small, openly licensed samples committed for tests and benchmarks.

- samples/ecbplus-dev-sample.jsonl: every article of the three lowest-numbered ECB+ DEV topics
  (each topic has two stories), lines copied verbatim.
- samples/uci-dev-sample.jsonl: every headline of the six UCI News Aggregator DEV stories whose
  first headline comes first in the file, lines copied verbatim.

usage: make_samples.py [SHARED_DATA_DIR]   (default: ../../../../shared/data from this file)
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "..", "shared", "data")
out = os.path.join(here, "samples")
os.makedirs(out, exist_ok=True)

with open(os.path.join(data, "ecbplus", "dev.jsonl"), encoding="utf-8") as f:
    lines = [l for l in f if l.strip()]
topics = sorted({int(json.loads(l)["topic"]) for l in lines})[:3]
with open(os.path.join(out, "ecbplus-dev-sample.jsonl"), "w", encoding="utf-8") as f:
    f.writelines(l for l in lines if int(json.loads(l)["topic"]) in topics)

with open(os.path.join(data, "uci-news-aggregator-prefix", "dev.jsonl"), encoding="utf-8") as f:
    lines = [l for l in f if l.strip()]
stories = []
for l in lines:
    s = json.loads(l)["story"]
    if s not in stories:
        stories.append(s)
chosen = set(stories[:6])
with open(os.path.join(out, "uci-dev-sample.jsonl"), "w", encoding="utf-8") as f:
    f.writelines(l for l in lines if json.loads(l)["story"] in chosen)
print("ECB+ topics", topics, "; UCI stories", sorted(chosen))
