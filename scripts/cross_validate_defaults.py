#!/usr/bin/env python3
"""Every clustering default beside its neighbours, on the whole DEV corpora and in folds.

For each setting (the defaults, then one option changed at a time) it runs `cluster eval` on
ECB+ DEV and UCI DEV: the whole corpus, then 2 and 5 folds of whole stories (ECB+ cut along
`topic`, so a twin event stays with its twin), and prints B-cubed F1 (mean ± sd over the folds)
as the Markdown table of the DocC article "Choosing the defaults" ("Every default across
folds"). Nothing is fitted here: the table is what the choice is read from.

usage: cross_validate_defaults.py [--cluster .build/release/cluster] [--data ../shared/data]
"""
import argparse
import json
import subprocess
import sys

SETTINGS = [
    ("defaults", []),
    ("--neighborhood-weight 0.4", ["--neighborhood-weight", "0.4"]),
    ("--neighborhood-weight 0.8", ["--neighborhood-weight", "0.8"]),
    ("--neighborhood-size 3", ["--neighborhood-size", "3"]),
    ("--neighborhood-size 5", ["--neighborhood-size", "5"]),
    ("--time-scale 0.5", ["--time-scale", "0.5"]),
    ("--time-scale 3", ["--time-scale", "3"]),
    ("--names-weight 0.2", ["--names-weight", "0.2"]),
    ("--names-weight 0.4", ["--names-weight", "0.4"]),
    ("--year-penalty 0.15", ["--year-penalty", "0.15"]),
    ("--year-penalty 0.45", ["--year-penalty", "0.45"]),
    ("--lift 4", ["--lift", "4"]),
    ("--lift 6", ["--lift", "6"]),
]


def evaluate(cluster, arguments):
    """The first result row of `cluster eval ARGUMENTS --format json`; exits on failure."""
    result = subprocess.run(
        [cluster, "eval", *arguments, "--format", "json", "--mistakes", "0"],
        capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"cluster eval {' '.join(arguments)} failed ({result.returncode}): "
                 f"{result.stderr.strip()}")
    return json.loads(result.stdout)["results"][0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluster", default=".build/release/cluster")
    parser.add_argument("--data", default="../shared/data")
    options = parser.parse_args()
    corpora = [
        (f"{options.data}/ecbplus/dev.jsonl", ["--fold-by", "topic"]),
        (f"{options.data}/uci-news-aggregator-prefix/dev.jsonl", []),
    ]
    print("| setting | ECB+ DEV | ECB+ halves | ECB+ fifths | UCI DEV | UCI halves | UCI fifths |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, setting in SETTINGS:
        cells = []
        for path, folding in corpora:
            cells.append(f"{evaluate(options.cluster, [path, *setting])['bcubed_f1']:.3f}")
            for folds in (2, 5):
                row = evaluate(options.cluster, [path, "--folds", str(folds), *folding, *setting])
                cells.append(f"{row['bcubed_f1_mean']:.3f} ± {row['bcubed_f1_sd']:.3f}")
        print(f"| `{name}` | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
