#!/usr/bin/env python3
"""Derive labelled pairs ({"a", "b", "label"}) for `cluster calibrate` from gold labels.

Stories (ECB+, UCI): pairs of one story are "same-story", pairs of two stories "different"
(for ECB+, the twin event of the same topic where there is one: the hard negatives); a pair
whose two texts are equal after lower-casing and dropping non-alphanumerics is "same-text".
Graded pairs (STS): score >= 4.5 "same-text", 2.5 <= score < 4.5 "same-story", below "different".
Sampling is seeded (random.Random(SEED)), so the output repeats.

usage: make_calibration_labels.py stories CORPUS.jsonl N SEED > labels.jsonl
       make_calibration_labels.py graded PAIRS.jsonl N SEED > labels.jsonl
"""
import json
import random
import re
import sys


def norm(text):
    return " ".join(re.findall(r"\w+", text.lower()))


def stories(path, n, seed):
    rng = random.Random(seed)
    articles = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    articles = [a for a in articles if a.get("story")]
    articles.sort(key=lambda a: a["id"].encode())
    by_story = {}
    for a in articles:
        by_story.setdefault(a["story"], []).append(a)
    names = sorted(by_story)
    out = []
    for _ in range(n // 2):  # same story
        s = rng.choice([s for s in names if len(by_story[s]) > 1])
        a, b = rng.sample(by_story[s], 2)
        out.append((a, b))
    for _ in range(n - n // 2):  # different stories, the twin where there is one
        s = rng.choice(names)
        topic = s.split("_")[0]
        twins = [t for t in names if t != s and t.split("_")[0] == topic] or [
            t for t in names if t != s]
        t = rng.choice(twins)
        out.append((rng.choice(by_story[s]), rng.choice(by_story[t])))
    for a, b in out:
        if a["id"].encode() > b["id"].encode():
            a, b = b, a
        text = lambda x: (x.get("title") or "") + "\n" + (x.get("body") or "")
        if norm(text(a)) == norm(text(b)):
            label = "same-text"
        else:
            label = "same-story" if a["story"] == b["story"] else "different"
        print(json.dumps({"a": a["id"], "b": b["id"], "label": label}))


def graded(path, n, seed):
    rng = random.Random(seed)
    pairs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    for p in rng.sample(pairs, n):
        s = p["score"]
        label = "same-text" if s >= 4.5 else "same-story" if s >= 2.5 else "different"
        print(json.dumps({"a": p["a"], "b": p["b"], "label": label}))


if __name__ == "__main__":
    kind, path, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    (stories if kind == "stories" else graded)(path, n, seed)
