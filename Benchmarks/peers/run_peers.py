#!/usr/bin/env python3
"""The Python peers of StoryCluster's benchmarks, on the same corpus prefixes and token rules.

Stages (each timed over at least --repeats runs, short ones until 0.5 s of runs, after one
warm-up; p50 reported):
  vectorize  scikit-learn TfidfVectorizer() fit_transform (the `--preset sklearn` rules).
  topk       sparse_dot_topn.sp_matmul_topn(X, X.T, top_n=k + 1, n_threads=T): exact top-k
             neighbours (self included, hence k + 1), the call users make for this job.
  pairs      the same call with threshold (all pairs >= threshold, top_n = N): reported beside,
             not added, so the topk ratio stays conservative.
  pipeline   the whole scikit-learn pipeline in a child process: TF-IDF, sparse X @ X.T,
             pairs >= --pipeline-threshold, scipy connected components, JSON out; with its peak
             RSS. Like scipy-average, run twice (at most --repeats times), or once when a run
             takes over 30 s.
  scipy-average
             the average-linkage pipeline a quality-minded user writes, in a child process:
             TfidfVectorizer(stop_words="english", sublinear_tf=True) (the token rules of
             `cluster run`'s news defaults, EngineConfiguration()), the condensed cosine-distance
             matrix 1 - X @ X.T (filled a block of rows at a time), scipy.cluster.hierarchy
             linkage(method="average") and fcluster(t=1 - --average-threshold,
             criterion="distance"), ids and cluster labels written as CSV; with its peak RSS.
             It needs N(N-1)/2 doubles twice (the matrix and linkage's copy of it): a size whose
             estimate exceeds --average-max-gib (default 80 % of MemAvailable) is skipped, with
             the estimate, as a user would hit it.
Checksums use the same formulas as the Swift harness, so a mismatch shows different results.

The corpus prefix is the first N valid records in file order, as in Benchmarks/Suites/Workload.
usage: run_peers.py --corpus FILE.jsonl [--sizes 1000,all] [--k 10] [--threshold 0.5]
                    [--pipeline-threshold 0.25] [--average-threshold 0.15] [--average-max-gib G]
                    [--threads 2] [--repeats 3] [--json OUT]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy
import sklearn
import sparse_dot_topn
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer
from sparse_dot_topn import sp_matmul_topn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from corpus_texts import read_articles as read_texts  # noqa: E402  (the engine's reading rules)


# Short stages are timed beyond --repeats until their runs add up to this many seconds (at most
# ten times --repeats runs): the same rule as the Swift harness (Benchmarks/Harness/Measurement.swift).
MINIMUM_TIMED_SECONDS = 0.5


def timed(fn, repeats):
    fn()  # warm-up
    times = []
    result = None
    while len(times) < repeats or (sum(times) < MINIMUM_TIMED_SECONDS and len(times) < 10 * repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def topk_checksum(m, k):
    """Σ of the top-k scores excluding self, as the Swift harness prints it ("Σtop")."""
    m = m.tocsr()
    total = 0.0
    for row in range(m.shape[0]):
        start, end = m.indptr[row], m.indptr[row + 1]
        cols, vals = m.indices[start:end], m.data[start:end]
        keep = sorted((v for c, v in zip(cols, vals) if c != row and v > 0), reverse=True)[:k]
        total += sum(keep)
    return total


def pair_count(m, threshold):
    m = scipy.sparse.triu(m.tocoo(), k=1)
    return int(np.count_nonzero(m.data >= threshold))


def pipeline(path, size, threshold, out_path):
    """The scikit-learn pipeline a user writes for this job, end to end."""
    docs = read_texts(path, size)
    ids = [d[0] for d in docs]
    x = TfidfVectorizer().fit_transform([d[1] for d in docs]).tocsr()
    sim = (x @ x.T).tocoo()
    keep = (sim.row < sim.col) & (sim.data >= threshold)
    rows, cols, scores = sim.row[keep], sim.col[keep], sim.data[keep]
    graph = scipy.sparse.coo_matrix((scores, (rows, cols)), shape=(len(ids), len(ids)))
    count, labels = connected_components(graph, directed=False)
    clusters = {}
    for i, label in enumerate(labels):
        clusters.setdefault(int(label), []).append(ids[i])
    order = np.lexsort((cols, rows, -scores))
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({
            "articles": len(ids),
            "clusters": [{"id": c, "size": len(m), "members": m} for c, m in clusters.items()],
            "pairs": [{"a": ids[rows[i]], "b": ids[cols[i]], "score": round(float(scores[i]), 6)}
                      for i in order],
        }, f)
    return f"{count} clusters/{len(order)} pairs"


def average_pipeline(path, size, threshold, out_path):
    """The SciPy average-linkage pipeline with the news token rules, end to end."""
    docs = read_texts(path, size)
    ids = [d[0] for d in docs]
    n = len(ids)
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [d[1] for d in docs]).tocsr()
    # The condensed cosine distances (squareform order: row i holds d(i, j) for j > i), a block
    # of rows at a time, so the dense N x N matrix is never built.
    condensed = np.empty(n * (n - 1) // 2, dtype=np.float64)
    xt = x.T.tocsc()
    offset = 0
    for start in range(0, n, 1024):
        block = (x[start:start + 1024] @ xt).toarray()
        for r in range(block.shape[0]):
            i = start + r
            row = block[r, i + 1:]
            np.subtract(1.0, row, out=condensed[offset:offset + row.size])
            offset += row.size
    np.clip(condensed, 0.0, 2.0, out=condensed)  # round-off of the unit-norm rows' dot products
    labels = (fcluster(linkage(condensed, method="average"), t=1 - threshold,
                       criterion="distance") if n > 1 else np.ones(n, dtype=int))
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("id,cluster\n")
        for i, label in zip(ids, labels):
            f.write(f"{json.dumps(i)},{label}\n")
    sizes = np.bincount(labels)
    return f"{int(np.count_nonzero(sizes))} clusters/{int(sizes.max())} largest"


def average_estimate_bytes(n):
    """The condensed matrix and linkage's copy of it: 2 x N(N-1)/2 doubles."""
    return 2 * (n * (n - 1) // 2) * 8


def available_bytes():
    with open("/proc/meminfo", encoding="ascii") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def child_runs(args, stage_flag, spec, threshold_flag, threshold, runs):
    """Runs a pipeline child `runs` times (once when a run takes over 30 s): times, peak, checksum."""
    times, peaks, checksum = [], [], "-"
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            child = subprocess.run(
                [sys.executable, __file__, "--corpus", args.corpus, threshold_flag,
                 str(threshold), stage_flag, spec, os.path.join(tmp, "out")],
                capture_output=True, text=True, check=True)
            report = json.loads(child.stdout)
            times.append(report["seconds"])
            peaks.append(report["peak_bytes"])
            checksum = report["checksum"]
            if report["seconds"] > 30:
                break
    return times, max(peaks), checksum


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--corpus", required=True)
    p.add_argument("--sizes", default="all")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--threshold", type=float, default=0.5)
    p.add_argument("--pipeline-threshold", type=float, default=0.25)
    p.add_argument("--average-threshold", type=float, default=0.15)
    p.add_argument("--average-max-gib", type=float)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--json")
    p.add_argument("--pipeline-child", nargs=2, help=argparse.SUPPRESS)
    p.add_argument("--average-child", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args()

    if args.pipeline_child or args.average_child:
        spec, out = args.pipeline_child or args.average_child
        size = None if spec == "all" else int(spec)
        start = time.perf_counter()
        if args.pipeline_child:
            checksum = pipeline(args.corpus, size, args.pipeline_threshold, out)
        else:
            checksum = average_pipeline(args.corpus, size, args.average_threshold, out)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(json.dumps({"seconds": seconds, "peak_bytes": peak, "checksum": checksum}))
        return

    everything = read_texts(args.corpus)
    results = []
    for spec in args.sizes.split(","):
        size = len(everything) if spec == "all" else min(int(spec), len(everything))
        texts = [t for _, t in everything[:size]]
        megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6

        times, x = timed(lambda: TfidfVectorizer().fit_transform(texts), args.repeats)
        v = TfidfVectorizer().fit(texts)
        results.append({
            "stage": "vectorize", "size": size, "p50_s": statistics.median(times),
            "times_s": times, "mb": megabytes,
            "checksum": f"{len(v.vocabulary_)} terms/{x.nnz} nnz/Σ{x.sum():.3f}"})
        x = x.tocsr().astype(np.float32)
        xt = x.T.tocsr()

        times, top = timed(
            lambda: sp_matmul_topn(x, xt, top_n=args.k + 1, n_threads=args.threads), args.repeats)
        results.append({
            "stage": "topk", "size": size, "p50_s": statistics.median(times), "times_s": times,
            "checksum": f"Σtop {topk_checksum(top, args.k):.2f}"})
        times, pairs = timed(
            lambda: sp_matmul_topn(x, xt, top_n=size, threshold=args.threshold,
                                   n_threads=args.threads), args.repeats)
        results.append({
            "stage": "pairs", "size": size, "p50_s": statistics.median(times), "times_s": times,
            "checksum": f"{pair_count(pairs, args.threshold)} pairs"})

        times, peak, checksum = child_runs(
            args, "--pipeline-child", spec, "--pipeline-threshold", args.pipeline_threshold,
            max(1, min(args.repeats, 2)))
        results.append({
            "stage": "pipeline", "size": size, "p50_s": statistics.median(times),
            "times_s": times, "peak_bytes": peak, "checksum": checksum})
        for r in results[-4:]:
            print(f"peer {r['stage']:9} n={size}: p50 {r['p50_s']:.3f} s  ({r['checksum']})",
                  file=sys.stderr)

        need = average_estimate_bytes(size)
        limit = (args.average_max_gib * 2**30 if args.average_max_gib is not None
                 else 0.8 * available_bytes())
        if need > limit:
            reason = (f"skipped: {need / 2**30:.1f} GiB for the condensed distances and linkage's"
                      f" copy (2 x N(N-1)/2 doubles) exceed the {limit / 2**30:.1f} GiB allowed"
                      " (--average-max-gib, default 80 % of MemAvailable)")
            results.append({"stage": "scipy-average", "size": size, "skipped": reason,
                            "estimate_bytes": need})
            print(f"peer scipy-average n={size}: {reason}", file=sys.stderr)
        else:
            times, peak, checksum = child_runs(
                args, "--average-child", spec, "--average-threshold", args.average_threshold,
                max(1, min(args.repeats, 2)))
            results.append({
                "stage": "scipy-average", "size": size, "p50_s": statistics.median(times),
                "times_s": times, "peak_bytes": peak, "estimate_bytes": need,
                "checksum": checksum})
            print(f"peer scipy-average n={size}: p50 {statistics.median(times):.3f} s,"
                  f" peak {peak / 2**20:.0f} MiB ({checksum})", file=sys.stderr)

    report = {
        "peer": f"scikit-learn {sklearn.__version__}, sparse_dot_topn {sparse_dot_topn.__version__},"
                f" numpy {np.__version__}, scipy {scipy.__version__}, {args.threads} threads",
        "results": results,
    }
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    else:
        print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
