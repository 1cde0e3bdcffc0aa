#!/usr/bin/env python3
"""Write a synthetic news archive of N articles, one year long, from real articles.

    python3 scripts/make_synthetic_archive.py --count 100000 --seed 1 --output /tmp/archive-100k.jsonl
    python3 scripts/make_synthetic_archive.py --count 1000000 --output /tmp/archive-1m.jsonl

Options: --count N (required), --seed S (default 1), --output FILE (default standard output),
--data DIR (default ../shared/data beside the checkout), --input FILE (repeatable: use these JSON
Lines corpora instead of the default ones), --year YYYY (default 2025).

What it writes: JSON Lines in the corpus schema, one object per line, in date order:
    {"id": "syn-0000001", "title": ..., "body": ..., "date": "2025-01-01T03:12:09Z",
     "story": "reuters21578/1234", "source": "outlet-07"}
- Every article is a lightly edited copy of a real article (a *source*): Reuters-21578, BBC News,
  AG News (test split) and UCI News Aggregator DEV from ../shared/data, whose README states their
  origins and licences (research use; cite them as it says). No generated file is committed.
- `story` names the source article (`<corpus>/<id>`, the corpus being the folder of an `all.jsonl`
  or `dev.jsonl`, else the file's name without `.jsonl`), so the archive is labelled: the copies of a
  source are one story. Story sizes are heavy-tailed (1 + a Lomax share, alpha 1.5, weights capped
  at 100): with N/4 stories (at most one per source) about half are single articles and a few
  have hundreds of copies. At 1,000,000 articles all ~34,600 sources are used, ~29 copies each.
- Dates: each story starts at a uniform time of the year (in its first 358 days); its first copy
  is dated then, the others within days of it (exponential, mean one day, at most 7 days), so a
  story is a burst. Ids are `syn-NNNNNNN` in date order, so a prefix of the file is the archive's
  first weeks (at the density of the whole year).
- Edits, per copy, from the seeded generator: 1 to 3 word edits plus one per 150 words of the
  body, each a drop, a swap of two neighbouring words or a replacement by a word of another
  source; the title gets one edit with probability 0.3 (always, when the body is empty). A text
  the edits left unchanged gets one more replacement, so no copy equals its source: copies are
  near-duplicates of each other, not exact ones.
- `source` is one of 50 synthetic outlets (`outlet-01` ... `outlet-50`).

It streams: memory holds the sources (~35 MB of text) and the copies of the stories running at the
current date, never the archive, so 1,000,000 articles (~1 GB) are as easy as 10,000. Output
depends only on the sources, --count, --seed and --year (the same bytes on every run); the
summary on standard error ends with the output's SHA-256. Python 3 standard library only.
"""
import argparse
import calendar
import hashlib
import heapq
import json
import os
import random
import re
import sys
import time

from corpus_texts import read_records

# The default sources, relative to --data.
DEFAULT_SOURCES = [
    "reuters21578/all.jsonl",
    "bbc-fulltext/all.jsonl",
    "agnews-test/all.jsonl",
    "uci-news-aggregator-prefix/dev.jsonl",
]
MEAN_STORY_SIZE = 4  # articles per story while there are sources enough
PARETO_ALPHA = 1.5
WEIGHT_CAP = 100.0
BURST_DAYS = 7  # a story's copies fall within this many days of its first
BURST_MEAN_DAYS = 1.0
OUTLETS = [f"outlet-{i:02d}" for i in range(1, 51)]
DAY = 86_400
WHITESPACE = re.compile(r"(\s+)")


def read_sources(paths):
    """Articles with some text, as (story label, title, body), in file order."""
    sources = []
    for path in paths:
        # The folder names the shared corpora (reuters21578/all.jsonl); other files their stem.
        stem = os.path.splitext(os.path.basename(path))[0]
        corpus = (os.path.basename(os.path.dirname(os.path.abspath(path)))
                  if stem in ("all", "dev") else stem)
        for id_, title, body in read_records(path):
            sources.append((f"{corpus}/{id_}", title, body))
    return sources


def story_sizes(count, stories, rng):
    """`stories` sizes of at least 1 that add up to `count`, heavy-tailed."""
    # Lomax (Pareto shifted to 0): about half the stories get no second copy at N = 4 stories.
    weights = [min(WEIGHT_CAP, rng.paretovariate(PARETO_ALPHA) - 1) for _ in range(stories)]
    total = sum(weights)
    extra = count - stories
    sizes = [1 + int(extra * w / total) for w in weights]
    left = count - sum(sizes)
    # Hand the rounding remainder to the largest fractional parts (ties: lower index).
    order = sorted(range(stories), key=lambda i: (-(extra * weights[i] / total) % 1, i))
    for i in order[:left]:
        sizes[i] += 1
    return sizes


def edit(text, edits, rng, words):
    """`text` with `edits` word edits (drop, swap with the next word, replace); layout kept."""
    parts = WHITESPACE.split(text)
    positions = [i for i in range(len(parts)) if parts[i] and not parts[i].isspace()]
    if not positions:
        return text
    for _ in range(edits):
        k = rng.randrange(len(positions))
        i = positions[k]
        op = rng.randrange(3)
        if op == 0 and len(positions) > 1:  # drop the word and the space after it
            parts[i] = ""
            if i + 1 < len(parts):
                parts[i + 1] = ""
            positions.pop(k)
        elif op == 1 and k + 1 < len(positions):  # swap with the next word
            j = positions[k + 1]
            parts[i], parts[j] = parts[j], parts[i]
        else:  # replace
            parts[i] = rng.choice(words)
    edited = "".join(parts)
    if edited == text:  # a swap of equal words, a word replaced by itself, a swap undone
        i = positions[rng.randrange(len(positions))]
        parts[i] = next(w for w in iter(lambda: rng.choice(words), None) if w != parts[i])
        edited = "".join(parts)
    return edited


def word_pool(sources, rng, size=50_000):
    """Words of random sources: what replacements are drawn from."""
    pool = []
    while len(pool) < size:
        _, title, body = sources[rng.randrange(len(sources))]
        pool.extend(w for w in (title + " " + body).split() if w.isalpha())
    return pool[:size]


def archive(sources, count, seed, year):
    """Yields the archive's articles (dicts) in date order."""
    rng = random.Random(seed)
    order = list(range(len(sources)))
    rng.shuffle(order)
    stories = max(1, min(len(sources), count // MEAN_STORY_SIZE))
    sizes = story_sizes(count, stories, rng)
    words = word_pool(sources, rng)
    span = (365 - BURST_DAYS) * DAY
    starts = sorted((rng.random() * span, s) for s in range(stories))
    pending = []  # heap of (seconds, story, copy)
    n = 0
    epoch = calendar.timegm((year, 1, 1, 0, 0, 0))

    def emit(seconds, story):
        nonlocal n
        n += 1
        label, title, body = sources[order[story]]
        edits = rng.randint(1, 3) + len(body) // 900  # ~150 words of ~6 characters
        if body.strip():
            body = edit(body, edits, rng, words)
            if rng.random() < 0.3:
                title = edit(title, 1, rng, words)
        else:
            title = edit(title, 1, rng, words)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch + int(seconds)))
        return {
            "id": f"syn-{n:07d}", "title": title, "body": body, "date": stamp, "story": label,
            "source": OUTLETS[rng.randrange(len(OUTLETS))],
        }

    for start, story in starts:
        # Every copy dated before this story's start is final: later stories start later still.
        while pending and pending[0][0] < start:
            seconds, s, _ = heapq.heappop(pending)
            yield emit(seconds, s)
        heapq.heappush(pending, (start, story, 0))
        for copy in range(1, sizes[story]):
            offset = rng.expovariate(1 / (BURST_MEAN_DAYS * DAY))
            if offset > BURST_DAYS * DAY:
                offset = rng.random() * BURST_DAYS * DAY
            heapq.heappush(pending, (start + offset, story, copy))
    while pending:
        seconds, s, _ = heapq.heappop(pending)
        yield emit(seconds, s)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser(
        description="Write a synthetic one-year news archive (JSON Lines) from real articles.")
    p.add_argument("--count", type=int, required=True, help="articles to write (1 or more)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--output", help="output file (default: standard output)")
    p.add_argument("--data", default=os.path.join(os.path.dirname(root), "shared", "data"),
                   help="folder of the shared corpora (default ../shared/data)")
    p.add_argument("--input", action="append", default=[],
                   help="a JSON Lines corpus to draw from instead of the defaults (repeatable)")
    p.add_argument("--year", type=int, default=2025, help="the archive's year (default 2025)")
    args = p.parse_args()
    if args.count < 1:
        p.error(f"--count must be 1 or more, not {args.count}")
    paths = args.input or [os.path.join(args.data, s) for s in DEFAULT_SOURCES]
    paths = [path for path in paths if os.path.isfile(path)]
    if not paths:
        p.error(f"no source corpus found (looked in {args.data}); pass --data DIR or --input FILE")
    sources = read_sources(paths)
    if not sources:
        p.error("the source corpora hold no article with text")

    digest = hashlib.sha256()
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    stories = set()
    written = 0
    with out:
        for article in archive(sources, args.count, args.seed, args.year):
            line = json.dumps(article, ensure_ascii=False) + "\n"
            digest.update(line.encode("utf-8"))
            out.write(line)
            stories.add(article["story"])
            written += 1
    print(f"make_synthetic_archive: {written} articles, {len(stories)} stories, "
          f"{len(sources)} sources from {len(paths)} corpora, seed {args.seed}, "
          f"sha256 {digest.hexdigest()}", file=sys.stderr)


if __name__ == "__main__":
    main()
