#!/usr/bin/env python3
"""Every clustering default beside its neighbours, on the whole DEV corpora and in folds.

For each setting (the defaults, then one option changed at a time) it runs `cluster eval` on
ECB+ DEV and UCI DEV: the whole corpus, then 2 and 5 folds of whole stories (ECB+ cut along
`topic`, so a twin event stays with its twin), and prints B-cubed F1 (mean ± sd over the folds)
as the Markdown table of the DocC article "Choosing the defaults" ("Every default across
folds"). Nothing is fitted here: the table is what the choice is read from.

With --loco it prints the leave-one-corpus-out table instead: for each setting's grid, the value
picked on one corpus (highest mean − sd over its halves; ties to the default, then the lower)
and what that value scores on the whole DEV of the other corpus, beside the other corpus's own
best on the grid and the default's score there.

usage: cross_validate_defaults.py [--cluster .build/release/cluster] [--data ../shared/data]
                                  [--loco]
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
    ("--lift 13", ["--lift", "13"]),
    ("--lift 17", ["--lift", "17"]),
    ("--seed-threshold 0.0025", ["--seed-threshold", "0.0025"]),
    ("--seed-threshold 0.01", ["--seed-threshold", "0.01"]),
    ("--seed-threshold 0 --lift 5 (all-pairs background, before)", ["--seed-threshold", "0", "--lift", "5"]),
]


# Grids for the leave-one-corpus-out table: (option, values, default or None for no default).
GRIDS = [
    ("--lift", ["11", "13", "15", "17", "19"], "15"),
    ("--seed-threshold", ["0.0025", "0.005", "0.01"], "0.005"),
    ("--threshold", ["0.01", "0.02", "0.04", "0.06", "0.08", "0.1", "0.12"], None),
    ("--neighborhood-weight", ["0.4", "0.6", "0.8"], "0.6"),
    ("--neighborhood-size", ["3", "4", "5"], "4"),
    ("--names-weight", ["0.2", "0.3", "0.4"], "0.3"),
    ("--year-penalty", ["0.15", "0.3", "0.45"], "0.3"),
]


def loco(cluster, corpora, names):
    """Prints the leave-one-corpus-out table (see the module's docstring)."""
    print("| setting | picked on | its halves (mean − sd) | held out | there: picked | there: its own best | there: default |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for option, values, default in GRIDS:
        whole = {}
        halves = {}
        for c, (path, folding) in enumerate(corpora):
            for value in values:
                whole[c, value] = evaluate(cluster, [path, option, value])["bcubed_f1"]
                row = evaluate(cluster, [path, "--folds", "2", *folding, option, value])
                halves[c, value] = row["bcubed_f1_mean"] - row["bcubed_f1_sd"]
        for held_in, held_out in ((0, 1), (1, 0)):
            def rank(value):
                nearest = abs(float(value) - float(default)) if default else 0.0
                return (-round(halves[held_in, value], 6), nearest, float(value))
            picked = min(values, key=rank)
            own = max(values, key=lambda v: (round(whole[held_out, v], 6), -float(v)))
            there_default = (f"{whole[held_out, default]:.3f} ({default})"
                             if default else "—")
            print(f"| `{option}` | {names[held_in]} | {picked} ({halves[held_in, picked]:.3f}) "
                  f"| {names[held_out]} | **{whole[held_out, picked]:.3f}** "
                  f"| {whole[held_out, own]:.3f} ({own}) | {there_default} |", flush=True)


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
    parser.add_argument("--loco", action="store_true",
                        help="print the leave-one-corpus-out table instead")
    options = parser.parse_args()
    corpora = [
        (f"{options.data}/ecbplus/dev.jsonl", ["--fold-by", "topic"]),
        (f"{options.data}/uci-news-aggregator-prefix/dev.jsonl", []),
    ]
    if options.loco:
        loco(options.cluster, corpora, ["ECB+", "UCI"])
        return
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
