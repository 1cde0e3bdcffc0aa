#!/usr/bin/env python3
"""Cuts a labelled JSON Lines corpus into K folds of whole stories, one file per fold.

    python3 scripts/story_folds.py CORPUS.jsonl K OUT_PREFIX [--seed S] [--field story]

Writes OUT_PREFIX0.jsonl ... OUT_PREFIX{K-1}.jsonl: the distinct values of the field (sorted,
then shuffled with random.Random(S)) are dealt round-robin to the folds, and every record goes
to its value's fold, in input order. Used to feed folds to `IndexBenchmarks quality` as corpora
of their own (README, story index: "Across folds").
"""
import argparse
import json
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("folds", type=int)
    parser.add_argument("prefix")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--field", default="story")
    args = parser.parse_args()
    if args.folds < 2:
        parser.error("K must be 2 or more")
    with open(args.corpus, encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    values = [json.loads(line)[args.field] for line in lines]
    distinct = sorted(set(values), key=str)
    random.Random(args.seed).shuffle(distinct)
    fold = {value: k % args.folds for k, value in enumerate(distinct)}
    outputs = [open(f"{args.prefix}{k}.jsonl", "w", encoding="utf-8") for k in range(args.folds)]
    for line, value in zip(lines, values):
        outputs[fold[value]].write(line if line.endswith("\n") else line + "\n")
    for out in outputs:
        out.close()


if __name__ == "__main__":
    main()
