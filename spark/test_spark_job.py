#!/usr/bin/env python3
"""End-to-end tests of the Spark job: its report must equal `cluster run INPUT --format json`,
byte for byte.

    python3 spark/test_spark_job.py [--cluster PATH] [--master local[2,4]] [--only NAME]

Cases:
- the merge alone (no Spark): ties, signed zeros, and seeded groupings against a direct sort;
- each corpus (seeds/, and from ../shared/data: ECB+ DEV, UCI DEV, BBC full text; skipped with a
  note when ../shared/data is absent) through one SparkContext reused across cases (starting
  one costs seconds);
- one corpus again with options that make the tasks print threshold pairs (`C` lines), and
  with one task and with a task per row block (the merge must not depend on the partitioning);
- a fault: submit.sh with STORYCLUSTER_SPARK_KILL_FIRST=1 SIGKILLs partition 0's first worker
  in each stage (count, weigh, kernel); Spark must retry them (the log shows the lost tasks)
  and the report must not change;
- a worker that always fails: the job exits 1 with the worker's exit code and message;
- a bad record: a JSON Lines file broken on line 3 makes submit.sh exit as `cluster run` does,
  with the same `file:line` message; with --skip-invalid, the same report and warnings (once).

Prints each case's time and exits non-zero on the first failure.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")
sys.path.insert(0, HERE)

import storycluster_job as job  # noqa: E402


class Failure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


def corpora() -> list[tuple[str, str]]:
    """(name, input path relative to the repo root) of each corpus that is there."""
    found = [("seeds", "seeds")]
    shared = [
        ("ecbplus", "ecbplus/dev.jsonl"),
        ("uci", "uci-news-aggregator-prefix/dev.jsonl"),
        ("bbc", "bbc-fulltext/all.jsonl"),
    ]
    if not os.path.isdir(SHARED):
        print(f"note: {SHARED} is absent; the shared corpora are skipped")
        return found
    for name, path in shared:
        full = os.path.join(SHARED, path)
        if os.path.isfile(full):
            found.append((name, os.path.relpath(full, ROOT)))
        else:
            print(f"note: {full} is absent; {name} is skipped")
    return found


def first_difference(expected: bytes, actual: bytes) -> str:
    """The first differing line of two reports, with its number."""
    a = expected.decode(errors="replace").splitlines()
    b = actual.decode(errors="replace").splitlines()
    for number, (x, y) in enumerate(zip(a, b), 1):
        if x != y:
            return f"line {number}:\n  cluster run: {x[:300]}\n  spark job:   {y[:300]}"
    return f"one report is a prefix of the other ({len(a)} vs {len(b)} lines)"


def without_config(report: bytes) -> bytes | None:
    """The report with its `config` section removed, or None if it is not a JSON object."""
    try:
        value = json.loads(report)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    value.pop("config", None)
    return json.dumps(value, sort_keys=True).encode()


def compare(name: str, expected: bytes, actual: bytes) -> str:
    """Checks two reports are equal (normalising only `config`); returns how they matched."""
    if expected == actual:
        return "identical"
    stripped = without_config(expected)
    check(
        stripped is not None and stripped == without_config(actual),
        f"{name}: the Spark job's report differs from cluster run's at "
        + first_difference(expected, actual),
    )
    return "equal but for config (" + first_difference(expected, actual).split(":")[0] + ")"


def cluster_run(cluster: str, inputs: list[str], options: list[str], out: str) -> float:
    started = time.monotonic()
    completed = subprocess.run(
        [cluster, "run", *options, "--format", "json", "--output", out, *inputs],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )
    check(completed.returncode == 0,
          f"cluster run {' '.join(inputs)} failed ({completed.returncode}): {completed.stderr}")
    return time.monotonic() - started


def read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def job_case(sc, cluster: str, name: str, inputs: list[str], scratch: str,
             options: list[str] = [], tasks: int | None = None) -> None:
    reference = os.path.join(scratch, f"{name}-run.json")
    report = os.path.join(scratch, f"{name}-spark.json")
    run_seconds = cluster_run(cluster, inputs, options, reference)
    arguments = job.JobArguments(
        master=None, tasks=tasks, cluster=cluster, work=None, merged=None,
        inputs=inputs, output=report, run_options=options,
    )
    notes: list[str] = []
    started = time.monotonic()
    cwd = os.getcwd()
    os.chdir(ROOT)  # inputs are relative to the repo root, as the reference run saw them
    try:
        job.run_job(sc, arguments, notes.append)
    except job.JobError as error:
        raise Failure(f"{name}: the job failed with exit code {error.code}: {error}") from None
    finally:
        os.chdir(cwd)
    spark_seconds = time.monotonic() - started
    how = compare(name, read(reference), read(report))
    detail = "; ".join(note for note in notes if note.startswith("tasks"))
    print(f"ok   {name}: {how}; cluster run {run_seconds:.2f} s, Spark job {spark_seconds:.2f} s "
          f"({detail})", flush=True)


def submit(arguments: list[str], environment: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", os.path.join(HERE, "submit.sh"), *arguments], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **(environment or {})},
    )


def fault_case(cluster: str, master: str, name: str, inputs: list[str], scratch: str) -> None:
    reference = os.path.join(scratch, f"{name}-run.json")
    if not os.path.exists(reference):
        cluster_run(cluster, inputs, [], reference)
    report = os.path.join(scratch, f"{name}-fault.json")
    started = time.monotonic()
    completed = submit(
        ["--master", master, *inputs, report],
        {"STORYCLUSTER_CLUSTER": cluster, job.KILL_FIRST_ENV: "1"},
    )
    seconds = time.monotonic() - started
    log = completed.stderr
    with open(os.path.join(scratch, "fault.log"), "w") as f:
        f.write(log)
    check(completed.returncode == 0,
          f"fault: submit.sh failed ({completed.returncode}); log:\n{log[-3000:]}")
    check("Lost task 0.0 in stage" in log,
          "fault: the log shows no lost task 0.0 (was the worker killed and retried?)")
    # A worker that finished before the kill reached it (a tiny corpus) still fails its
    # attempt, with exit code 0; one the kill reached ends with -9.
    for step in ("count", "weigh", "task"):
        check(re.search(rf"cluster spark {step} failed with exit code (0|-9 \(killed by "
                        r"SIGKILL\)), killed on purpose", log) is not None,
              f"fault: the log does not carry the killed {step} worker's exit code")
    check("SIGKILL" in log, "fault: no worker was reached by the kill")
    compare("fault", read(reference), read(report))
    print(f"ok   fault: partition 0's first count, weigh and kernel workers SIGKILLed, Spark "
          f"retried them, same report; submit.sh {seconds:.2f} s", flush=True)


def merge_case() -> None:
    """The merge without Spark: ties go to the smaller row, -0.0 ties 0.0, and any grouping of
    the tasks' lines gives the direct sort's best `cut` (seeded, 200 rounds)."""
    import random
    import struct

    def token(row: int, score: float) -> str:
        return f"{row}:{struct.pack('>f', score).hex()}"

    def merged(values: list[str], cut: int) -> list[str]:
        value: job.Value = (cut, values[0])
        for other in values[1:]:
            value = job.merge_values(value, (cut, other))
        key: job.Key = (0, 7)
        return next(job.format_record(key, value)).split()[2:]

    tied = [token(5, 0.5), token(3, 0.5), token(9, 0.75), token(4, -0.0), token(2, 0.0)]
    check(merged([" ".join(tied[:2]), " ".join(tied[2:])], 4) == [tied[2], tied[1], tied[0],
                                                                   tied[4]],
          "merge: ties must go to the smaller row, and -0.0 must tie 0.0")
    def f32(x: float) -> float:
        return struct.unpack(">f", struct.pack(">f", x))[0]

    rng = random.Random(18)
    for _ in range(200):
        cut = rng.randint(1, 12)
        entries = [(rng.choice([0.25, 0.5, 0.5, 0.75, rng.random()]), row)
                   for row in rng.sample(range(1000), rng.randint(1, 60))]
        expected = [token(row, score) for score, row in
                    sorted(entries, key=lambda e: (-f32(e[0]), e[1]))[:cut]]
        rng.shuffle(entries)
        cuts = sorted(rng.sample(range(1, len(entries) + 1), min(3, len(entries))))
        groups = [entries[a:b] for a, b in zip([0] + cuts, cuts + [len(entries)]) if a < b]
        # Each task's line is cut to `cut` before it leaves (the worker's heaps are bounded).
        values = [" ".join(token(row, score) for score, row in
                           sorted(group, key=lambda e: (-f32(e[0]), e[1]))[:cut])
                  for group in groups]
        rng.shuffle(values)
        check(merged(values, cut) == expected or (len(values) == 1 and sorted(
            merged(values, cut)) == sorted(expected)),
              f"merge: {values} cut to {cut} gave {merged(values, cut)}, not {expected}")
    print("ok   merge: ties, signed zeros and 200 seeded groupings", flush=True)


def failing_task_case(cluster: str, master: str, scratch: str) -> None:
    """A worker that always fails: the job ends with 1 and names its exit code and stderr."""
    wrapper = os.path.join(scratch, "failing-cluster")
    with open(wrapper, "w") as f:
        f.write('#!/bin/sh\nif [ "$1 $2" = "spark task" ]; then\n'
                '  echo "error: the disk is on fire" >&2; exit 3\nfi\n'
                f'exec "{cluster}" "$@"\n')
    os.chmod(wrapper, 0o755)
    started = time.monotonic()
    completed = submit(["--master", master, "seeds", os.path.join(scratch, "failing.json")],
                       {"STORYCLUSTER_CLUSTER": wrapper})
    seconds = time.monotonic() - started
    check(completed.returncode == 1, f"failing task: submit.sh exited {completed.returncode}, "
          f"not 1; stderr:\n{completed.stderr[-2000:]}")
    last = completed.stderr.strip().splitlines()[-1]
    check("exit code 3" in last and "the disk is on fire" in last,
          f"failing task: the last line does not give the worker's exit code and stderr: {last}")
    attempts = completed.stderr.count("Lost task") + completed.stderr.count("failed 4 times")
    check(attempts >= 1, "failing task: the log shows no failed attempt")
    print(f"ok   failing task: exit 1 with {last!r}; submit.sh {seconds:.2f} s", flush=True)


def bad_record_case(cluster: str, master: str, scratch: str) -> None:
    bad = os.path.join(scratch, "bad.jsonl")
    record = {"id": "a1", "title": "Storm hits the coast", "body": "A storm hit the coast.",
              "story": None, "source": None, "date": None, "url": None}
    with open(bad, "w") as f:
        for number in range(1, 6):
            if number == 3:
                f.write('{"id": "a3", "title": "broken", "body": \n')
            else:
                f.write(json.dumps({**record, "id": f"a{number}"}) + "\n")
    expected = subprocess.run([cluster, "run", "--format", "json", bad],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check(expected.returncode != 0, "bad record: cluster run accepted the broken line")
    located = [line for line in expected.stderr.splitlines() if f"{bad}:3" in line]
    check(bool(located), f"bad record: cluster run names no {bad}:3 ({expected.stderr!r})")
    started = time.monotonic()
    completed = submit(["--master", master, bad, os.path.join(scratch, "bad.json")],
                       {"STORYCLUSTER_CLUSTER": cluster})
    seconds = time.monotonic() - started
    check(completed.returncode == expected.returncode,
          f"bad record: submit.sh exited {completed.returncode}, cluster run "
          f"{expected.returncode}; stderr:\n{completed.stderr[-2000:]}")
    missing = [line for line in located if line not in completed.stderr.splitlines()]
    check(not missing, f"bad record: submit.sh's stderr lacks {missing}")
    check(not os.path.exists(os.path.join(scratch, "bad.json")),
          "bad record: submit.sh left a report")
    print(f"ok   bad record: exit {completed.returncode} with {located[0]!r}; "
          f"submit.sh {seconds:.2f} s", flush=True)

    # With --skip-invalid: the same report, and each of cluster run's warnings once.
    reference = os.path.join(scratch, "skip-run.json")
    expected = subprocess.run(
        [cluster, "run", "--skip-invalid", "--format", "json", "--output", reference, bad],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check(expected.returncode == 0, f"skip invalid: cluster run failed: {expected.stderr}")
    report = os.path.join(scratch, "skip-spark.json")
    started = time.monotonic()
    completed = submit(["--master", master, bad, report, "--", "--skip-invalid"],
                       {"STORYCLUSTER_CLUSTER": cluster})
    seconds = time.monotonic() - started
    check(completed.returncode == 0, f"skip invalid: submit.sh exited {completed.returncode}; "
          f"stderr:\n{completed.stderr[-2000:]}")
    compare("skip invalid", read(reference), read(report))
    lines = completed.stderr.splitlines()
    for warning in expected.stderr.splitlines():
        check(lines.count(warning) == 1,
              f"skip invalid: {warning!r} appears {lines.count(warning)} times, not once")
    print(f"ok   skip invalid: same report, cluster run's {len(expected.stderr.splitlines())} "
          f"warning lines once each; submit.sh {seconds:.2f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluster", default=os.environ.get(
        "STORYCLUSTER_CLUSTER", os.path.join(ROOT, ".build", "release", "cluster")))
    parser.add_argument("--master", default="local[2,4]")
    parser.add_argument("--only", action="append", help="run only these cases (repeatable)")
    arguments = parser.parse_args()
    cluster = os.path.abspath(arguments.cluster)
    if not os.access(cluster, os.X_OK):
        print(f"error: no cluster binary at {cluster}; build it or pass --cluster", file=sys.stderr)
        return 1
    wanted = set(arguments.only or [])

    def selected(name: str) -> bool:
        return not wanted or name in wanted

    started = time.monotonic()
    failures = 0

    def attempt(case) -> None:
        nonlocal failures
        try:
            case()
        except Failure as failure:
            print(f"FAIL {failure}", flush=True)
            failures += 1

    if selected("merge"):
        attempt(merge_case)
    with tempfile.TemporaryDirectory(prefix="storycluster-spark-test-") as scratch:
        cases = corpora()
        # The partitioning and fault cases want several row blocks (of 512 rows): UCI has 7.
        partitioned = next((c for c in cases if c[0] == "uci"), cases[0])
        # (name, inputs, `cluster run` options, tasks) of the cases sharing one SparkContext.
        shared: list[tuple[str, list[str], list[str], int | None]] = [
            (name, [path], [], None) for name, path in cases if selected(name)
        ]
        if selected("options"):
            # Options that make the tasks print threshold pairs (C lines) and more edges.
            shared += [
                (f"{partitioned[0]}-single", [partitioned[1]], ["--linkage", "single"], None),
                (f"{partitioned[0]}-all-pairs", [partitioned[1]],
                 ["--all-pairs", "--threads", "1"], None),
            ]
        if selected("tasks"):
            shared += [
                (f"{partitioned[0]}-1-task", [partitioned[1]], [], 1),
                (f"{partitioned[0]}-every-block", [partitioned[1]], [], 1 << 30),
            ]
        if shared:
            from pyspark import SparkConf, SparkContext

            spark_started = time.monotonic()
            conf = (SparkConf().setMaster(arguments.master).setAppName("storycluster-test")
                    .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
                    .set("spark.log.level", "WARN"))
            sc = SparkContext(conf=conf)
            print(f"Spark {sc.version} on {sc.master}: "
                  f"{time.monotonic() - spark_started:.2f} s to start", flush=True)
            try:
                for name, inputs, options, tasks in shared:
                    attempt(lambda: job_case(sc, cluster, name, inputs, scratch, options, tasks))
            finally:
                sc.stop()
        if selected("fault"):
            attempt(lambda: fault_case(cluster, arguments.master, partitioned[0],
                                       [partitioned[1]], scratch))
        if selected("failing"):
            attempt(lambda: failing_task_case(cluster, arguments.master, scratch))
        if selected("bad"):
            attempt(lambda: bad_record_case(cluster, arguments.master, scratch))
    print(f"{'FAILED' if failures else 'passed'} in {time.monotonic() - started:.1f} s", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
