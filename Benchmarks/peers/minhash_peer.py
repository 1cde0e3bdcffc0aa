#!/usr/bin/env python3
"""datasketch MinHashLSH on the same articles as `IndexBenchmarks speed`: the peer it compares with.

    Benchmarks/peers/.venv/bin/python Benchmarks/peers/minhash_peer.py --archive FILE \
        --size 100000 [--batch 1000] [--queries 200] [--num-perm 128] [--threshold 0.5]

What it does, as a user of datasketch would for near-duplicate / story candidates:
- reads the first --size records of the archive (JSON Lines, in date order, as the Swift harness
  reads them) and adds them in batches of --batch: per article a MinHash(num_perm) of the set of
  its lower-cased word tokens (title and body, scikit-learn's token pattern `(?u)\\b\\w\\w+\\b`,
  the `cluster run` tokens before stop words), built with `update_batch` (datasketch's fast path),
  then `MinHashLSH.insert`. Ingest time covers tokenising, hashing and inserting, as the index's
  covers analysing, weighing, scoring and clustering. Reading the file is outside the timer.
- then queries --queries articles spread evenly over what was added (the same picks as the Swift
  harness), one at a time: MinHash of the article, then `MinHashLSH.query`; p50 / p99 per query.
- prints one JSON object on standard output: counts, seconds per batch, rates, query
  percentiles, the mean candidates a query returned and whether each found itself (recall of the
  article's own copy), peak RSS (getrusage) and a checksum of the candidates.
The timings are wall-clock (time.perf_counter); one process, one thread, as datasketch runs.
"""
import argparse
import json
import re
import resource
import sys
import time

import numpy as np
from datasketch import MinHash, MinHashLSH
import datasketch

TOKEN = re.compile(r"(?u)\b\w\w+\b")


def tokens(record):
    text = (record.get("title") or "") + "\n" + (record.get("body") or "")
    return {t.encode("utf-8") for t in TOKEN.findall(text.lower())}


def minhash(record, num_perm, permutations):
    m = MinHash(num_perm=num_perm, permutations=permutations, scheme="affine32")
    words = tokens(record)
    if words:
        m.update_batch(list(words))
    return m


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--threshold", type=float, default=0.5)
    options = parser.parse_args()

    records = []
    with open(options.archive, encoding="utf-8") as f:
        for line in f:
            if len(records) == options.size:
                break
            if line.strip():
                records.append(json.loads(line))
    n = len(records)
    # One permutation table for every MinHash (the default scheme and seed), built once.
    permutations = MinHash(num_perm=options.num_perm).permutations
    lsh = MinHashLSH(threshold=options.threshold, num_perm=options.num_perm)
    batch_seconds = []
    for start in range(0, n, options.batch):
        began = time.perf_counter()
        for record in records[start : start + options.batch]:
            lsh.insert(record["id"], minhash(record, options.num_perm, permutations))
        batch_seconds.append(time.perf_counter() - began)

    picks = query_picks(n, options.queries)
    milliseconds = []
    found = 0
    candidates = 0
    checksum = 0
    for k in picks:
        record = records[k]
        began = time.perf_counter()
        result = lsh.query(minhash(record, options.num_perm, permutations))
        milliseconds.append((time.perf_counter() - began) * 1000)
        found += record["id"] in result
        candidates += len(result)
        checksum = (checksum * 31 + len(result)) % (1 << 61)
    milliseconds.sort()

    def at(q):
        return milliseconds[min(len(milliseconds) - 1, int(q * len(milliseconds)))] if milliseconds else 0

    total = sum(batch_seconds)
    print(
        json.dumps(
            {
                "peer": f"datasketch {datasketch.__version__} MinHashLSH(num_perm={options.num_perm}, "
                f"threshold={options.threshold})",
                "articles": n,
                "batches": len(batch_seconds),
                "ingest_seconds": total,
                "ingest_rate": n / total if total > 0 else 0,
                "batch_seconds": batch_seconds,
                "queries": len(picks),
                "query_p50_ms": at(0.5),
                "query_p99_ms": at(0.99),
                "query_rate": len(picks) / (sum(milliseconds) / 1000) if milliseconds else 0,
                "query_self_recall": found / len(picks) if picks else 0,
                "query_mean_candidates": candidates / len(picks) if picks else 0,
                "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                "checksum": checksum,
                "numpy": np.__version__,
            }
        )
    )


def query_picks(n, count):
    """Indices spread evenly over n (the Swift harness's `queryPicks`)."""
    if n == 0 or count <= 0:
        return []
    count = min(count, n)
    return [(2 * k + 1) * n // (2 * count) for k in range(count)]


if __name__ == "__main__":
    sys.exit(main())
