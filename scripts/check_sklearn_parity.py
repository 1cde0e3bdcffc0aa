#!/usr/bin/env python3
"""Checks `cluster vectorize --preset sklearn` against scikit-learn's TfidfVectorizer().

For every corpus: the same vocabulary (the union of the terms we print equals sklearn's
vocabulary_) and every weight within 1e-5 absolute. Prints one line per corpus and exits 1 on
any failure.

usage: scripts/check_sklearn_parity.py --cluster .build/release/cluster [CORPUS.jsonl ...]
(default corpora: every *.jsonl article file under ../shared/data)
"""
import argparse
import glob
import json
import os
import subprocess
import sys

import corpus_texts
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

TOLERANCE = 1e-5


def read_articles(path):
    """Valid articles in the engine's order: ids by UTF-8 bytes."""
    return sorted(corpus_texts.read_articles(path), key=lambda d: d[0].encode("utf-8"))


def check(binary, path):
    docs = read_articles(path)
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform([text for _, text in docs]).tocsr()
    vocabulary = vectorizer.get_feature_names_out()
    run = subprocess.run(
        [binary, "vectorize", path, "--preset", "sklearn", "--skip-invalid"],
        capture_output=True, text=True, check=False)
    if run.returncode != 0:
        return False, f"cluster exited {run.returncode}: {run.stderr.strip()[:200]}"
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    if len(rows) != len(docs):
        return False, f"{len(rows)} rows, expected {len(docs)}"
    max_diff = 0.0
    ours = set()
    for k, (row, (doc_id, _)) in enumerate(zip(rows, docs)):
        if row["id"] != doc_id:
            return False, f"row {k}: id {row['id']!r}, expected {doc_id!r}"
        start, end = matrix.indptr[k], matrix.indptr[k + 1]
        reference = {vocabulary[c]: w for c, w in zip(matrix.indices[start:end], matrix.data[start:end])}
        got = row["terms"]
        ours.update(got)
        if set(reference) != set(got):
            diff = sorted(set(reference) ^ set(got))[:5]
            return False, f"row {doc_id!r}: terms differ, e.g. {diff}"
        for term, weight in reference.items():
            max_diff = max(max_diff, abs(weight - got[term]))
    if ours != set(vocabulary):
        return False, f"vocabulary differs: {len(ours)} vs {len(vocabulary)} terms"
    ok = max_diff <= TOLERANCE
    return ok, f"{len(docs)} articles, {len(vocabulary)} terms, max |diff| = {max_diff:.2e}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cluster", default=".build/release/cluster")
    parser.add_argument("corpora", nargs="*")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    corpora = args.corpora or sorted(
        p for p in glob.glob(os.path.join(root, "..", "shared", "data", "*", "*.jsonl"))
        if not p.endswith("pairs.jsonl"))
    if not corpora:
        print("no corpora found")
        return 1
    print(f"scikit-learn {sklearn.__version__} TfidfVectorizer() vs cluster vectorize --preset sklearn")
    failures = 0
    for path in corpora:
        ok, detail = check(args.cluster, path)
        failures += not ok
        name = os.path.relpath(path, os.path.join(root, ".."))
        print(f"{name}: {detail}, {'OK' if ok else 'FAIL'}")
    print(f"{len(corpora) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
