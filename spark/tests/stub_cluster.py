#!/usr/bin/env python3
"""A stand-in for the `cluster` binary that speaks the `cluster spark` protocol, for testing the
job's plumbing and merge without the Swift engine.

It is not StoryCluster: a bag-of-words cosine, scores rounded to 1/64 (so ties are common and
the merge's tie-break by row matters), row blocks of 16 rows. `run` scores every pair in one
process; `spark prepare|task|finish` split the same work into tasks, so the two reports agree
only if the merge is right.

    stub_cluster.py run [-k N] [--format json] [--output FILE] INPUT...
    stub_cluster.py spark count [--part K --parts S] INPUT...          (D and T lines)
    stub_cluster.py spark weigh --work DIR --frequencies FILE [--part K --parts S] INPUT...
    stub_cluster.py spark prepare --work DIR [--frequencies FILE --rows S] [-k N] INPUT...
    stub_cluster.py spark task --work DIR            (units on stdin: row blocks)
    stub_cluster.py spark finish --work DIR --merged FILE [-k N] --format json --output FILE
                                 INPUT...
"""

from __future__ import annotations

import json
import math
import os
import re
import struct
import sys
from collections import Counter

BLOCK = 16
PAIR_FLOOR = 0.5


def fail(message: str, code: int) -> None:
    print(message, file=sys.stderr)
    sys.exit(code)


def parse(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    options: dict[str, str] = {}
    inputs: list[str] = []
    valued = {"--work", "--merged", "-k", "--neighbors", "--format", "--output", "--threads",
              "--tasks", "--frequencies", "--rows", "--part", "--parts"}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in valued:
            if i + 1 >= len(argv):
                fail(f"Error: Missing value for '{arg}'", 64)
            options[arg] = argv[i + 1]
            i += 2
        elif arg in ("--quiet", "--verbose"):
            i += 1
        elif arg.startswith("-") and arg != "-":
            fail(f"Error: Unknown option '{arg}'", 64)
        else:
            inputs.append(arg)
            i += 1
    return options, inputs


def read_corpus(inputs: list[str]) -> list[str]:
    texts: list[str] = []
    errors: list[str] = []
    files: list[str] = []
    for path in inputs:
        if os.path.isdir(path):
            for root, _, names in sorted(os.walk(path)):
                files += [os.path.join(root, n) for n in sorted(names) if n.endswith(".txt")]
        elif os.path.exists(path):
            files.append(path)
        else:
            fail(f"{path}: error: no such file or folder", 66)
    for path in files:
        if path.endswith(".txt"):
            with open(path, encoding="utf-8") as f:
                texts.append(f.read())
            continue
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                try:
                    record = json.loads(line)
                    texts.append(f"{record.get('title') or ''}\n{record['body']}")
                except (ValueError, KeyError, TypeError) as error:
                    errors.append(f"{path}:{number}: error: bad record ({type(error).__name__})")
    if errors:
        fail("\n".join(errors), 65)
    return texts


def vectors(texts: list[str]) -> list[dict[str, float]]:
    result = []
    for text in texts:
        counts = Counter(re.findall(r"[a-z0-9]+", text.lower()))
        norm = math.sqrt(sum(v * v for v in counts.values())) or 1.0
        result.append({t: v / norm for t, v in counts.items()})
    return result


def f32(x: float) -> float:
    return struct.unpack(">f", struct.pack(">f", x))[0]


def hexbits(x: float) -> str:
    return struct.pack(">f", x).hex()


def score(a: dict[str, float], b: dict[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return f32(round(sum(v * b.get(t, 0.0) for t, v in a.items()) * 64) / 64)


def capacities(options: dict[str, str]) -> tuple[int, int]:
    k = int(options.get("-k", options.get("--neighbors", "4")))
    return k, 3 * k


def score_blocks(vecs, blocks, c, w):
    """This task's heaps: rows of `blocks` against themselves and every later row."""
    n = len(vecs)
    found: dict[str, dict[int, list[tuple[float, int]]]] = {"N": {}, "E": {}}
    pairs = []
    for bi in blocks:
        for i in range(bi * BLOCK, min(n, (bi + 1) * BLOCK)):
            for j in range(i + 1, n):
                s = score(vecs[i], vecs[j])
                for a, b in ((i, j), (j, i)):
                    found["E"].setdefault(a, []).append((s, b))
                    if s > 0:
                        found["N"].setdefault(a, []).append((s, b))
                if s >= PAIR_FLOOR:
                    pairs.append((i, j, s))
    cut = {"N": c, "E": w}
    for kind in found:
        for slot, entries in found[kind].items():
            entries.sort(key=lambda e: (-e[0], e[1]))
            del entries[cut[kind]:]
    return found, pairs


def report(found, pairs, c, w) -> str:
    out = {"config": {"neighbors": c}, "neighbors": [], "edges": [], "pairs": []}
    for kind, name in (("N", "neighbors"), ("E", "edges")):
        for slot in sorted(found[kind]):
            entries = sorted(found[kind][slot], key=lambda e: (-e[0], e[1]))
            out[name].append([slot, [[j, s] for s, j in entries]])
    out["pairs"] = [[a, b, s] for a, b, s in sorted(pairs)]
    return json.dumps(out, indent=1) + "\n"


def write_report(text: str, options: dict[str, str]) -> None:
    if "--output" in options:
        with open(options["--output"], "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


def main(argv: list[str]) -> None:
    if argv[:1] == ["run"]:
        options, inputs = parse(argv[1:])
        vecs = vectors(read_corpus(inputs))
        c, w = capacities(options)
        found, pairs = score_blocks(vecs, range((len(vecs) + BLOCK - 1) // BLOCK), c, w)
        write_report(report(found, pairs, c, w), options)
        return
    if argv[:1] != ["spark"] or len(argv) < 2:
        fail("Error: unknown subcommand", 64)
    step = argv[1]
    options, inputs = parse(argv[2:])
    part, parts = int(options.get("--part", "0")), int(options.get("--parts", "1"))
    if step == "count":
        # The share's words: documents holding each, and its occurrences.
        texts = read_corpus(inputs)
        share = texts[part * len(texts) // parts:(part + 1) * len(texts) // parts]
        documents: Counter[str] = Counter()
        occurrences: Counter[str] = Counter()
        for text in share:
            words = re.findall(r"\w+", text.lower())
            documents.update(set(words))
            occurrences.update(words)
        print(f"D {len(share)}")
        for word in sorted(documents):
            print(f"T {word.encode().hex()} {documents[word]} {occurrences[word]}")
        return
    if "--work" not in options:
        fail("Error: Missing expected argument '--work <dir>'", 64)
    work = options["--work"]
    if "--frequencies" in options:
        # The added-up counts must be the corpus's (the job's aggregation is what is tested).
        with open(options["--frequencies"]) as f:
            total = sum(int(line.split()[1]) for line in f if line.startswith("D "))
        if total != len(read_corpus(inputs)):
            fail(f"error: the counts are of {total} articles", 64)
    if step == "weigh":
        with open(os.path.join(work, f"rows-{part:06d}.bin"), "w") as f:
            f.write("stub\n")
        return
    if "--rows" in options:
        for k in range(int(options["--rows"])):
            if not os.path.exists(os.path.join(work, f"rows-{k:06d}.bin")):
                fail(f"error: {work}/rows-{k:06d}.bin: no such file or directory", 1)
    if step == "prepare":
        vecs = vectors(read_corpus(inputs))
        c, w = capacities(options)
        os.makedirs(work, exist_ok=True)
        with open(os.path.join(work, "plan.json"), "w") as f:
            json.dump({"vectors": vecs, "c": c, "w": w}, f)
        blocks = (len(vecs) + BLOCK - 1) // BLOCK
        count = max(1, min(int(options.get("--tasks", "1")), blocks))
        tasks = [[str(b) for b in range(blocks) if b * count // blocks == t] for t in range(count)]
        print(json.dumps({"rows": len(vecs), "blocks": blocks, "neighbor_capacity": c,
                          "edge_capacity": w, "tasks": tasks}))
    elif step == "task":
        with open(os.path.join(work, "plan.json")) as f:
            plan = json.load(f)
        # Units as prepare cut them: whole row blocks (`bi`), so the first number is the block.
        blocks = [int(line.split()[0]) for line in sys.stdin if line.strip()]
        found, pairs = score_blocks(plan["vectors"], blocks, plan["c"], plan["w"])
        for kind in ("N", "E"):
            for slot, entries in found[kind].items():
                tokens = " ".join(f"{j}:{hexbits(s)}" for s, j in reversed(entries))
                print(f"{kind} {slot} {tokens}")
        for a, b, s in pairs:
            print(f"C {a} {b} {hexbits(s)}")
        print(f"S {len(blocks) * 1000} {len(pairs)} 0.001")
    elif step == "finish":
        with open(os.path.join(work, "plan.json")) as f:
            plan = json.load(f)
        c, w = capacities(options)
        read_corpus(inputs)
        found: dict[str, dict[int, list[tuple[float, int]]]] = {"N": {}, "E": {}}
        pairs = []
        with open(options["--merged"]) as f:
            for line in f:
                fields = line.split()
                if fields[0] in found:
                    entries = []
                    for token in fields[2:]:
                        j, h = token.split(":")
                        entries.append((struct.unpack(">f", bytes.fromhex(h))[0], int(j)))
                    found[fields[0]][int(fields[1])] = entries
                elif fields[0] == "C":
                    pairs.append((int(fields[1]), int(fields[2]),
                                  struct.unpack(">f", bytes.fromhex(fields[3]))[0]))
        write_report(report(found, pairs, c, w), options)
    else:
        fail(f"Error: unknown step {step}", 64)


if __name__ == "__main__":
    main(sys.argv[1:])
